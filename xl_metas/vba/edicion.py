"""Edit a workbook's existing `vbaProject.bin` in place: add, replace or remove modules and
keep everything else as it was (MS-OVBA §2.3).

What is kept: every other stream byte for byte (other modules, with the p-code Excel put
before their source; designer storages such as a UserForm's, with their CLSID), every
`dir` record of the project and its references (stdole, Office, MSForms, Scripting, other
projects), and every PROJECT line (the ID, protection and password fields CMG/DPB/GC,
`Package=`/`BaseClass=` of designers, the window layout under `[Workspace]`). What changes:
the records and lines of the modules edited, their names in PROJECTwm, and — because
Office's performance cache would describe the old project — `_VBA_PROJECT` becomes the
source-only header (version 0xFFFF) and the `__SRP_*` cache streams go, so Office
recompiles every module from its source (§2.3.4.1). Storage timestamps are not kept.

Hand-written: olefile and oletools only read VBA projects.
"""

from __future__ import annotations

import codecs
import io
import struct
import uuid
from dataclasses import dataclass, field
from typing import Literal

import olefile

from . import cfb, ovba
from .project import VBA_PROJECT_SOURCE_ONLY, Module, crlf, module_records, project_line

Kind = Literal["standard", "document", "class", "designer"]
_KINDS: dict[bytes, Kind] = {
    b"Module": "standard",
    b"Document": "document",
    b"Class": "class",
    b"BaseClass": "designer",
}
_MODULE_KEYS = (*_KINDS, b"Package")
_CACHE_PREFIX = "VBA/__SRP_"


class ProyectoIlegible(ValueError):
    """The project is not laid out as MS-OVBA says (or not as we can edit): why, in English."""


@dataclass(frozen=True)
class Registro:
    """One dir record exactly as stored: id, size field and payload."""

    id: int
    crudo: bytes

    @property
    def datos(self) -> bytes:
        return self.crudo[6:]


@dataclass
class Modulo:
    nombre: str
    flujo: str  # its stream in the VBA storage
    tipo: Kind
    desplazamiento: int  # where its source starts in that stream (after any p-code)
    registros: list[Registro]


@dataclass
class Proyecto:
    """A project as read, ready to edit; ``guardar`` gives the bytes back."""

    flujos: dict[str, bytes]
    clsids: dict[str, bytes]
    codificacion: str
    nombre: str
    referencias: list[str]
    cabecera: list[Registro]  # PROJECTINFORMATION and PROJECTREFERENCES, as stored
    cookie: Registro
    modulos: list[Modulo]
    cola: list[Registro]  # the terminator
    lineas: list[bytes]  # the PROJECT stream, line by line
    dir_leido: bytes  # the dir stream decompressed, to know whether it changed
    original: bytes  # the compound file as read, given back when nothing was edited
    cambiado: bool = field(default=False)

    # -- reading -------------------------------------------------------------------------
    def modulo(self, nombre: str) -> Modulo | None:
        clave = nombre.casefold()
        return next((m for m in self.modulos if m.nombre.casefold() == clave), None)

    def fuente(self, nombre: str) -> str:
        """A module's source text (CRLF lines), decompressed from its text offset."""
        modulo = self.modulo(nombre)
        if modulo is None:
            raise KeyError(nombre)
        crudo = self.flujos[f"VBA/{modulo.flujo}"][modulo.desplazamiento :]
        return ovba.decompress(crudo).decode(self.codificacion, "replace")

    def nombres(self) -> set[str]:
        """Every name a new module must not take: modules, the streams of the VBA storage,
        root storages (designers), the project and its references."""
        ocupados = {m.nombre for m in self.modulos} | {self.nombre, *self.referencias}
        ocupados |= {p.split("/", 1)[1] for p in self.flujos if p.startswith("VBA/")}
        ocupados |= {p.split("/", 1)[0] for p in [*self.flujos, *self.clsids] if "/" in p}
        return ocupados

    # -- editing -------------------------------------------------------------------------
    def agregar(self, module: Module) -> None:
        """Add a module (standard, class or document), its source at offset 0, last."""
        if module.name.casefold() in {n.casefold() for n in self.nombres()}:
            raise ValueError(f"VBA name already taken: {module.name!r}")
        # Everything encoded first: a name or source the code page cannot hold changes nothing.
        registros = _registros(module_records(module.name, module.kind, self.codificacion))
        flujo = self._comprimir(module.source)
        linea = project_line(module).encode(self.codificacion)
        self.modulos.append(Modulo(module.name, module.name, module.kind, 0, registros))
        self.flujos[f"VBA/{module.name}"] = flujo
        self.lineas.insert(self._tras_modulos(), linea)
        espacio = self._fin_de_espacio()
        if espacio is not None:
            self.lineas.insert(espacio, module.name.encode(self.codificacion) + b"=0, 0, 0, 0, C")
        self._projectwm(agregar=module.name)
        self.cambiado = True

    def quitar(self, nombre: str) -> None:
        """Remove a module: its stream, records, PROJECT and workspace lines, PROJECTwm name."""
        modulo = self.modulo(nombre)
        if modulo is None:
            raise KeyError(nombre)
        if modulo.tipo == "designer":
            raise ValueError(f"{nombre!r} is a designer: its storage would stay behind")
        self.modulos.remove(modulo)
        del self.flujos[f"VBA/{modulo.flujo}"]
        clave = modulo.nombre.casefold()
        seccion = b""
        lineas = []
        for linea in self.lineas:
            if linea.startswith(b"["):
                seccion = linea
            key, _, valor = linea.partition(b"=")
            if seccion == b"" and key in _KINDS and self._clave(valor.split(b"/")[0]) == clave:
                continue
            if seccion == b"[Workspace]" and self._clave(key) == clave:
                continue
            lineas.append(linea)
        self.lineas = lineas
        self._projectwm(quitar=modulo.nombre)
        self.cambiado = True

    def reemplazar(self, module: Module) -> None:
        """Give an existing module a new source (stored at offset 0); same name, same kind."""
        modulo = self.modulo(module.name)
        if modulo is None:
            raise KeyError(module.name)
        if modulo.tipo != module.kind:
            raise ValueError(f"{module.name!r} is a {modulo.tipo} module, not {module.kind}")
        self.flujos[f"VBA/{modulo.flujo}"] = self._comprimir(module.source)
        if modulo.desplazamiento:
            modulo.registros = [
                Registro(0x31, struct.pack("<HII", 0x31, 4, 0)) if r.id == 0x31 else r
                for r in modulo.registros
            ]
            modulo.desplazamiento = 0
        self.cambiado = True

    def guardar(self) -> bytes:
        """The compound file with the edits; the bytes as read when nothing was edited."""
        if not self.cambiado:
            return self.original
        flujos = dict(self.flujos)
        crudo = b"".join(r.crudo for r in self.cabecera)
        crudo += struct.pack("<HIH", 0x0F, 2, len(self.modulos)) + self.cookie.crudo
        crudo += b"".join(r.crudo for m in self.modulos for r in m.registros)
        crudo += b"".join(r.crudo for r in self.cola)
        if crudo != self.dir_leido:
            flujos["VBA/dir"] = ovba.compress(crudo)
        flujos["PROJECT"] = b"\r\n".join(self.lineas)
        flujos["VBA/_VBA_PROJECT"] = VBA_PROJECT_SOURCE_ONLY
        flujos = {p: d for p, d in flujos.items() if not p.startswith(_CACHE_PREFIX)}
        return cfb.write_cfb(flujos, self.clsids)

    # -- helpers ---------------------------------------------------------------------------
    def _clave(self, nombre: bytes) -> str:
        """A name as stored (MBCS), folded: VBA names are case-insensitive."""
        return nombre.decode(self.codificacion, "replace").casefold()

    def _comprimir(self, source: str) -> bytes:
        return ovba.compress(crlf(source).encode(self.codificacion))

    def _tras_modulos(self) -> int:
        """Index after the last module line of the PROJECT stream (after ID when none)."""
        ultimo = 0
        for i, linea in enumerate(self.lineas):
            if linea.startswith(b"["):
                break
            if linea.partition(b"=")[0] in _MODULE_KEYS:
                ultimo = i
        return ultimo + 1

    def _fin_de_espacio(self) -> int | None:
        """Index after the last line of ``[Workspace]``, None when there is no such section."""
        try:
            inicio = self.lineas.index(b"[Workspace]")
        except ValueError:
            return None
        fin = inicio + 1
        for i in range(inicio + 1, len(self.lineas)):
            if self.lineas[i].startswith(b"["):
                break
            if self.lineas[i]:
                fin = i + 1
        return fin

    def _projectwm(self, agregar: str | None = None, quitar: str | None = None) -> None:
        datos = self.flujos.get("PROJECTwm")
        if datos is None:
            return
        pares = _pares_wm(datos)
        if quitar is not None:
            pares = [p for p in pares if self._clave(p[0]) != quitar.casefold()]
        if agregar is not None:
            pares.append((agregar.encode(self.codificacion), agregar.encode("utf-16-le")))
        self.flujos["PROJECTwm"] = (
            b"".join(mbcs + b"\x00" + uni + b"\x00\x00" for mbcs, uni in pares) + b"\x00\x00"
        )


def _registros(datos: bytes) -> list[Registro]:
    out = []
    pos = 0
    while pos < len(datos):
        if pos + 6 > len(datos):
            raise ProyectoIlegible("dir stream: truncated record")
        rid, size = struct.unpack_from("<HI", datos, pos)
        if rid == 0x0009:  # PROJECTVERSION: its size field says 4, six bytes follow
            size = 6
        if pos + 6 + size > len(datos):
            raise ProyectoIlegible(f"dir stream: record 0x{rid:04X} runs past the end")
        out.append(Registro(rid, datos[pos : pos + 6 + size]))
        pos += 6 + size
    return out


def _pares_wm(datos: bytes) -> list[tuple[bytes, bytes]]:
    """(MBCS name, UTF-16 name) pairs of a PROJECTwm stream (§2.3.3)."""
    pares = []
    pos = 0
    while datos[pos:] != b"\x00\x00":
        fin = datos.find(b"\x00", pos)
        if fin < 0 or fin == pos:
            raise ProyectoIlegible("PROJECTwm: a name without its terminator")
        mbcs = datos[pos:fin]
        inicio = final = fin + 1
        while final + 1 < len(datos) and datos[final : final + 2] != b"\x00\x00":
            final += 2
        if final + 2 >= len(datos):
            raise ProyectoIlegible("PROJECTwm: a Unicode name or the terminator is missing")
        pares.append((mbcs, datos[inicio:final]))
        pos = final + 2
    return pares


def _kinds(lineas: list[bytes], codificacion: str) -> dict[str, Kind]:
    """Module name (folded) -> kind, from the PROJECT stream's module lines."""
    kinds: dict[str, Kind] = {}
    for linea in lineas:
        if linea.startswith(b"["):
            break
        key, _, valor = linea.partition(b"=")
        if key in _KINDS:
            nombre = valor.split(b"/")[0].decode(codificacion, "replace")
            kinds[nombre.casefold()] = _KINDS[key]
    return kinds


def leer(vba: bytes) -> Proyecto:
    """Read a `vbaProject.bin` for editing; ``ProyectoIlegible`` says why it cannot be."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(vba))
    except Exception as exc:  # olefile raises several types for damaged files
        raise ProyectoIlegible(f"not a compound file ({exc})") from exc
    try:
        flujos = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
        clsids = {"/".join(p): ole.getclsid(p) for p in ole.listdir(False, True)}
        clsids[""] = ole.root.clsid
    finally:
        ole.close()
    for requerido in ("PROJECT", "VBA/dir", "VBA/_VBA_PROJECT"):
        if requerido not in flujos:
            raise ProyectoIlegible(f"no {requerido} stream")
    try:
        dir_leido = ovba.decompress(flujos["VBA/dir"])
    except ValueError as exc:
        raise ProyectoIlegible(f"dir stream: {exc}") from exc
    registros = _registros(dir_leido)
    ids = [r.id for r in registros]
    if 0x0003 not in ids or 0x0004 not in ids or 0x000F not in ids or ids[-1] != 0x0010:
        raise ProyectoIlegible("dir stream: no code page, name, module count or terminator")
    (pagina,) = struct.unpack("<H", registros[ids.index(0x0003)].datos[:2])
    try:
        codificacion = codecs.lookup(f"cp{pagina}").name
    except LookupError as exc:
        raise ProyectoIlegible(f"unknown code page {pagina}") from exc
    inicio = ids.index(0x000F)
    cabecera = registros[:inicio]
    (cuantos,) = struct.unpack("<H", registros[inicio].datos[:2])
    if inicio + 1 >= len(registros) or registros[inicio + 1].id != 0x0013:
        raise ProyectoIlegible("dir stream: no PROJECTCOOKIE after the module count")
    lineas = flujos["PROJECT"].split(b"\r\n")
    kinds = _kinds(lineas, codificacion)
    modulos: list[Modulo] = []
    grupo: list[Registro] = []
    for registro in registros[inicio + 2 : -1]:
        grupo.append(registro)
        if registro.id == 0x002B:
            modulos.append(_modulo(grupo, kinds, codificacion, flujos))
            grupo = []
    if grupo or len(modulos) != cuantos:
        raise ProyectoIlegible(f"dir stream: {cuantos} modules announced, {len(modulos)} found")
    nombre = next(r for r in cabecera if r.id == 0x0004).datos.decode(codificacion)
    referencias = [r.datos.decode(codificacion) for r in cabecera if r.id == 0x0016]
    return Proyecto(
        flujos=flujos,
        clsids={p: uuid.UUID(c).bytes_le for p, c in clsids.items() if c},
        codificacion=codificacion,
        nombre=nombre,
        referencias=list(dict.fromkeys(referencias)),
        cabecera=cabecera,
        cookie=registros[inicio + 1],
        modulos=modulos,
        cola=registros[-1:],
        lineas=lineas,
        dir_leido=dir_leido,
        original=vba,
    )


def _modulo(
    grupo: list[Registro], kinds: dict[str, Kind], codificacion: str, flujos: dict[str, bytes]
) -> Modulo:
    por_id = {r.id: r for r in grupo}
    if not {0x0019, 0x001A, 0x0031} <= set(por_id) or not {0x0021, 0x0022} & set(por_id):
        raise ProyectoIlegible("dir stream: a module without name, stream, offset or type")
    nombre = por_id[0x0019].datos.decode(codificacion)
    flujo = por_id[0x001A].datos.decode(codificacion)
    (desplazamiento,) = struct.unpack("<I", por_id[0x0031].datos[:4])
    if f"VBA/{flujo}" not in flujos:
        raise ProyectoIlegible(f"module {nombre!r} has no stream")
    tipo = kinds.get(nombre.casefold(), "standard" if 0x0021 in por_id else "class")
    return Modulo(nombre, flujo, tipo, desplazamiento, grupo)


def nombres_tomados(vba: bytes) -> set[str]:
    """Every name a sheet's codeName must not take in this project (see ``Proyecto.nombres``)."""
    return leer(vba).nombres()
