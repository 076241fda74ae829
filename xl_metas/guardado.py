"""Replacing a file safely: every write of a workbook (or of its copies) goes through here.

``escribir`` writes the new content to a temporary file in the same folder as the real
file (``.~<name>.<8 hex>.tmp``), with the real file's permissions (a new file gets
``0o666`` less the umask), flushes it to disk, keeps the previous file as ``<name>.bak``
(itself written through a temporary, so a full disk never truncates the old backup), and
renames the temporary over the file. A symbolic link is followed: the file it points to
is replaced and the link stays. Before writing it refuses, leaving the file untouched,
when Excel has the workbook open (its owner file ``~$<name>`` is beside it), when the
file is read-only, or when the file changed since it was read (another command or person
saved meanwhile). Every failure is one Spanish sentence naming the file, never the
operating system's English; reading a file (``leer``) fails the same way.

One writer at a time: the whole check-and-replace runs under a lock per workbook
(``.~<name>.lock`` beside it, through the ``filelock`` library: the operating system
frees it when its process dies, so a crash never leaves it stuck). Temporaries that a
killed save left behind are removed the next time the same workbook is saved.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import EscrituraError, LecturaError

ESPERA_BLOQUEO = 30.0  # seconds a save waits for another save of the same workbook
Contenido = bytes | Callable[[BinaryIO], None]  # the bytes, or a function writing them


@dataclass(frozen=True)
class Huella:
    """What a file was when it was read: its identity on disk and its content's hash."""

    dispositivo: int
    inodo: int
    tamano: int
    modificado_ns: int
    sha256: str | None = None  # None for a file we wrote (its stat identifies it)

    @classmethod
    def de(cls, st: os.stat_result, datos: bytes | None = None) -> Huella:
        digest = hashlib.sha256(datos).hexdigest() if datos is not None else None
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, digest)

    def misma_identidad(self, st: os.stat_result) -> bool:
        return (self.dispositivo, self.inodo, self.tamano, self.modificado_ns) == (
            st.st_dev,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
        )


@dataclass(frozen=True)
class Leido:
    datos: bytes
    huella: Huella


@dataclass(frozen=True)
class Guardado:
    archivo: Path  # the real file written (a symbolic link's target)
    respaldo: Path | None  # the previous file, when there was one and a backup was asked
    huella: Huella  # what the file is now


def leer(ruta: Path) -> Leido:
    """The file's bytes and its fingerprint, from one open (so both describe one version).

    Raises ``LecturaError`` with a Spanish sentence naming the file (a folder, a missing
    file, no permission, a disk error), never the operating system's English.
    """
    try:
        with open(ruta, "rb") as f:
            st = os.fstat(f.fileno())
            datos = f.read()
    except OSError as exc:
        raise LecturaError(mensaje_error(exc, Path(ruta), leyendo=True)) from exc
    return Leido(datos, Huella.de(st, datos))


def real(ruta: Path) -> Path:
    """The file a path names: a symbolic link's target (even a missing one)."""
    return Path(os.path.realpath(ruta))


def respaldo_de(ruta: Path) -> Path:
    """Where the previous version of ``ruta`` is kept: ``<name>.bak`` beside the real file."""
    archivo = real(ruta)
    return archivo.with_name(archivo.name + ".bak")


def archivo_bloqueo(ruta: Path) -> Path:
    archivo = real(ruta)
    return archivo.with_name(".~" + archivo.name + ".lock")


def escribir(
    ruta: Path,
    contenido: Contenido,
    *,
    respaldo: bool,
    leido: Huella | None = None,
    solo_nuevo: bool = False,
) -> Guardado:
    """Replace (or create) ``ruta`` with ``contenido``, safely; see the module's docstring.

    ``leido``: the fingerprint of the version the new content was computed from; the save
    is refused when the file is no longer that version. ``solo_nuevo``: refuse when the
    file exists. Raises ``EscrituraError`` with a Spanish sentence; the file is untouched.
    Example: ``escribir(Path("Metas2011.xlsx"), datos, respaldo=True)``
    """
    ruta = Path(ruta)
    archivo = real(ruta)
    with bloqueo(ruta):
        st = None
        try:
            st = _stat(archivo)
            if st is not None:
                if solo_nuevo:
                    raise EscrituraError(f"Ya existe «{ruta}»; no se reemplazó.")
                _revisar_abierto(ruta, archivo)
                _revisar_solo_lectura(ruta, archivo, st)
            if leido is not None and _cambio(archivo, st, leido):
                raise EscrituraError(
                    f"«{ruta}» cambió desde que se leyó (otro comando o persona lo guardó "
                    "mientras tanto); para no perder esos cambios el archivo no se modificó: "
                    "vuelva a ejecutar el comando."
                )
            _borrar_restos(archivo)
            temporal, huella = _temporal(archivo, contenido, st)
            try:
                copia = _respaldar(archivo) if respaldo and st is not None else None
                os.replace(temporal, archivo)
            except BaseException:
                temporal.unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise EscrituraError(mensaje_error(exc, ruta, existe=st is not None)) from exc
        _sincronizar_carpeta(archivo.parent)
    return Guardado(archivo, copia, huella)


@contextmanager
def bloqueo(ruta: Path, espera: float | None = None) -> Iterator[None]:
    """Hold the workbook's lock (waiting up to ``espera`` or ``ESPERA_BLOQUEO`` seconds)."""
    ruta = Path(ruta)
    archivo = real(ruta)
    if not archivo.parent.is_dir():  # filelock would create the missing folders
        raise EscrituraError(mensaje_error(FileNotFoundError(errno.ENOENT, ""), ruta, False))
    from filelock import FileLock, Timeout  # only a command that writes takes the lock

    segundos = ESPERA_BLOQUEO if espera is None else espera
    lock = FileLock(archivo_bloqueo(ruta), timeout=segundos)
    try:
        with warnings.catch_warnings():  # e.g. a folder without flock: falls back, quietly
            warnings.simplefilter("ignore")
            lock.acquire()
    except Timeout as exc:
        raise EscrituraError(
            f"Otro comando está guardando «{ruta}» desde hace más de {segundos:g} segundos; "
            "el archivo no se modificó: vuelva a intentarlo cuando termine."
        ) from exc
    except OSError as exc:
        raise EscrituraError(mensaje_error(exc, ruta, existe=archivo.exists())) from exc
    try:
        yield
    finally:
        lock.release()


def limpiar(ruta: Path) -> None:
    """Remove what an interrupted save of ``ruta`` left, unless a save is running now."""
    archivo = real(ruta)
    if not _restos(archivo):
        return
    with suppress(EscrituraError), bloqueo(ruta, espera=0):
        _borrar_restos(archivo)


def mensaje_error(exc: OSError, ruta: Path, existe: bool = True, *, leyendo: bool = False) -> str:
    """One Spanish sentence for a failed write of ``ruta`` (``leyendo``: a failed read),
    never the system's English."""
    if leyendo:
        return _mensaje_lectura(exc, ruta)
    fin = "el archivo no se modificó" if existe else "no se creó el archivo"
    numero = exc.errno
    if numero in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"No hay espacio en el disco para guardar «{ruta}»; {fin}."
    if numero in (errno.EACCES, errno.EPERM):
        return (
            f"No hay permiso para escribir «{ruta}» o su carpeta (o está abierto en otro "
            f"programa); {fin}."
        )
    if numero == errno.EROFS:
        return f"«{ruta}» está en un disco de solo lectura; {fin}."
    if numero == errno.ENOENT:
        return f"No existe la carpeta de «{ruta}»; {fin}."
    if numero == errno.ENAMETOOLONG:
        return f"La ruta de «{ruta}» es demasiado larga; {fin}."
    return f"No se pudo guardar «{ruta}» (error del sistema {_codigo(exc)}); {fin}."


def _mensaje_lectura(exc: OSError, ruta: Path) -> str:
    numero = exc.errno
    if numero == errno.EISDIR or (numero in (errno.EACCES, errno.EPERM) and ruta.is_dir()):
        return f"«{ruta}» es una carpeta, no un archivo."
    if numero == errno.ENOENT:
        return f"No existe el archivo «{ruta}»."
    if numero in (errno.EACCES, errno.EPERM):
        return (
            f"No hay permiso para leer «{ruta}» (o otro programa lo tiene bloqueado); pida "
            "acceso a quien administra la carpeta o cierre el programa que lo usa."
        )
    if numero == errno.ENAMETOOLONG:
        return f"La ruta de «{ruta}» es demasiado larga."
    if numero == errno.EIO:
        return (
            f"No se pudo leer «{ruta}»: el disco o la unidad de red dio un error de lectura. "
            "Copie el archivo a otra carpeta y vuelva a intentarlo."
        )
    return f"No se pudo leer «{ruta}» (error del sistema {_codigo(exc)})."


def mensaje_sistema(exc: OSError) -> str:
    """A Spanish sentence for an operating-system error that reached a front end without
    one (the last net: names the file when the error does)."""
    if exc.filename:
        return _mensaje_lectura(exc, Path(exc.filename))
    return f"Error del sistema operativo ({_codigo(exc)}) al usar un archivo."


def _codigo(exc: OSError) -> str:
    numero = exc.errno
    return errno.errorcode.get(numero, str(numero)) if numero is not None else "desconocido"


# -- the owner file of a workbook open in Excel -----------------------------------------------
def leer_dueno(datos: bytes) -> str | None:
    """The person named in an Excel owner file, or None when it holds no readable name.

    Layout: byte 0 is the name's length (1–52) and the name follows in the Windows code
    page, padded with spaces to byte 55; there the length again (2 bytes) and the name in
    UTF-16-LE, which keeps every accent, so it is preferred.
    """
    largo = datos[0] if datos else 0
    if not 0 < largo <= 52:
        return None
    unicode = int.from_bytes(datos[55:57], "little")
    if 0 < unicode <= 52 and len(datos) >= 57 + 2 * unicode:
        nombre = datos[57 : 57 + 2 * unicode].decode("utf-16-le", "replace").strip()
        if nombre:
            return nombre
    return datos[1 : 1 + largo].decode("cp1252", "replace").strip() or None


def _revisar_abierto(ruta: Path, archivo: Path) -> None:
    # Excel may have opened the workbook through the link or through its target.
    duenos = dict.fromkeys(
        carpeta / ("~$" + nombre)
        for carpeta in (ruta.parent, archivo.parent)
        for nombre in (ruta.name, archivo.name)
    )
    for dueno in duenos:
        if not dueno.exists():
            continue
        try:
            persona = leer_dueno(dueno.read_bytes()[:256])
        except OSError:  # Excel may hold it locked: it is open all the same
            persona = None
        quien = f" por {persona}" if persona else ""
        raise EscrituraError(
            f"«{ruta}» está abierto en Excel{quien}: ciérrelo y vuelva a intentarlo (si nadie "
            f"lo tiene abierto, borre «{dueno.name}» de su carpeta); el archivo no se modificó."
        )


def _revisar_solo_lectura(ruta: Path, archivo: Path, st: os.stat_result) -> None:
    # Mode bits, not only os.access: root (and Windows' administrators) may write anyway.
    sin_escritura = not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if sin_escritura or not os.access(archivo, os.W_OK):
        raise EscrituraError(
            f"«{ruta}» es de solo lectura (quítele esa marca en sus propiedades para poder "
            "guardarlo); el archivo no se modificó."
        )


def _cambio(archivo: Path, st: os.stat_result | None, leido: Huella) -> bool:
    if st is None:
        return True  # removed or moved away since it was read
    if leido.misma_identidad(st):
        return False
    if leido.sha256 is None:
        return True
    try:
        return leer(archivo).huella.sha256 != leido.sha256  # touched, or saved identical
    except OSError:
        return True


# -- temporaries ------------------------------------------------------------------------------
def _nuevo_temporal(archivo: Path) -> tuple[int, Path]:
    """A new file beside ``archivo``: mode 0o666, so the umask applies as for any new file."""
    while True:
        temporal = archivo.with_name(f".~{archivo.name}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporal, flags, 0o666), temporal
        except FileExistsError:
            continue


def _temporal(
    archivo: Path, contenido: Contenido, st: os.stat_result | None
) -> tuple[Path, Huella]:
    """Write the content to a flushed temporary with the file's owner and permissions."""
    fd, temporal = _nuevo_temporal(archivo)
    try:
        with os.fdopen(fd, "wb") as f:
            if st is not None:
                _como_el_original(f.fileno(), st)
            if isinstance(contenido, bytes):
                f.write(contenido)
            else:
                contenido(f)
            f.flush()
            os.fsync(f.fileno())
            huella = Huella.de(os.fstat(f.fileno()))
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise
    return temporal, huella


def _como_el_original(fd: int, st: os.stat_result) -> None:
    if hasattr(os, "fchown"):  # keep the group (a shared folder's), and the owner if we may
        for uid in (st.st_uid, -1):
            try:
                os.fchown(fd, uid, st.st_gid)
                break
            except OSError:
                continue
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(st.st_mode))


def _respaldar(archivo: Path) -> Path:
    """Copy the current file to ``<name>.bak`` through a temporary: a failure keeps the old one."""
    destino = archivo.with_name(archivo.name + ".bak")
    fd, temporal = _nuevo_temporal(destino)
    os.close(fd)
    try:
        shutil.copyfile(archivo, temporal)
        shutil.copystat(archivo, temporal)  # the previous version's date and permissions
        _fsync(temporal)
        os.replace(temporal, destino)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise
    return destino


def _fsync(ruta: Path) -> None:
    fd = os.open(ruta, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sincronizar_carpeta(carpeta: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(carpeta, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _patrones_restos(archivo: Path) -> list[re.Pattern[str]]:
    nombre, raiz, ext = map(re.escape, (archivo.name, archivo.stem, archivo.suffix))
    return [
        re.compile(rf"\.~{nombre}(\.bak)?\.[0-9a-f]{{8}}\.tmp"),  # ours (and the .bak's)
        # What earlier versions left (tempfile.mkstemp's 8 characters).
        re.compile(rf"\.~{raiz}[a-z0-9_]{{8}}{ext}"),
        re.compile(rf"\.{nombre}\.[a-z0-9_]{{8}}\.tmp"),
    ]


def _restos(archivo: Path) -> list[Path]:
    patrones = _patrones_restos(archivo)
    try:
        nombres = os.listdir(archivo.parent)
    except OSError:
        return []
    return [archivo.with_name(n) for n in nombres if any(p.fullmatch(n) for p in patrones)]


def _borrar_restos(archivo: Path) -> None:
    """Only under the lock: no save of this workbook is running, so these are leftovers."""
    for resto in _restos(archivo):
        with suppress(OSError):
            resto.unlink()


def _stat(archivo: Path) -> os.stat_result | None:
    try:
        return os.stat(archivo)
    except FileNotFoundError:
        return None


__all__ = [
    "ESPERA_BLOQUEO",
    "Guardado",
    "Huella",
    "Leido",
    "archivo_bloqueo",
    "bloqueo",
    "escribir",
    "leer",
    "leer_dueno",
    "limpiar",
    "mensaje_error",
    "mensaje_sistema",
    "real",
    "respaldo_de",
]
