"""Every write is safe: one module (``xl_metas/guardado.py``) replaces files for every writer.

Each case first reproduced a measured failure: a workbook open in Excel written anyway, a
symbolic link replaced by a loose file, permissions turned into 0600, a read-only workbook
replaced, a killed save's temporary left forever, two writers where the second silently
dropped the first one's changes, a full disk truncating the previous backup, the OS's
English on a full disk, ``importar`` replacing a workbook without asking, and
``actualizar-vba`` failing on a plain install.
"""

from __future__ import annotations

import ast
import errno
import importlib.metadata
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.escritura import archivo_dueno, ocultos
from tests.support.libros_copias import MAESTRO, editar, reloj
from tests.support.libros_vba import con_hojas_viejas
from tests.support.planes import DOCUMENTO_2011, XLWINGS_XLSM
from xl_metas import copias_archivo, guardado, libro_nuevo, operaciones
from xl_metas.cli import app
from xl_metas.errors import EscrituraError
from xl_metas.workbook_file import LibroArchivo

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def modo(ruta: Path) -> int:
    return stat.S_IMODE(os.stat(ruta).st_mode)


def refused(result, *words: str) -> None:
    """A clean refusal: exit 2, the words (file, person…) in one message, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.output, (word, result.output)


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def sin_temporales(carpeta: Path) -> None:
    """Nothing but lock files among the hidden files of a folder."""
    assert [n for n in ocultos(carpeta) if not n.endswith(".lock")] == []


# -- the five writers, each set up so that running it writes the returned file -----------------
Writer = Callable[[Path], tuple[list[object], Path]]


def _recalcular(tmp: Path) -> tuple[list[object], Path]:
    ruta = tmp / "Metas2011.xlsx"
    libro_nuevo.importar(DOCUMENTO_2011, ruta)
    return ["recalcular", ruta], ruta


def _actualizar_vba(tmp: Path) -> tuple[list[object], Path]:
    ruta = tmp / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, ruta)
    # A sheet an earlier xl-metas saved without its document module: actualizar adds it.
    con_hojas_viejas(ruta, {"Extra": "HojaExtra"})
    return ["actualizar-vba", ruta], ruta


def _importar_forzar(tmp: Path) -> tuple[list[object], Path]:
    ruta = tmp / "Metas2011.xlsx"
    libro_nuevo.importar(DOCUMENTO_2011, ruta)
    return ["importar", DOCUMENTO_2011, "-o", ruta, "--forzar"], ruta


def _construir(tmp: Path) -> tuple[list[object], Path]:
    ruta = tmp / "Metas.xlsm"
    shutil.copyfile(XLWINGS_XLSM, ruta)
    return ["construir", "-o", ruta], ruta


def _exportar_copias(tmp: Path) -> tuple[list[object], Path]:
    maestro = tmp / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, maestro)
    carpeta = tmp / "enviadas"
    copias_archivo.exportar_copias(maestro, carpeta, ahora=reloj)
    editar(maestro, {("Plan", 1, "DESCRIPCIÓN DE LA META"): "Otra descripción"})
    return ["exportar-copias", maestro, "--carpeta", carpeta], carpeta / (
        "Metas2011 - Vinculación.xlsm"
    )


WRITERS: dict[str, Writer] = {
    "recalcular": _recalcular,
    "actualizar-vba": _actualizar_vba,
    "importar --forzar": _importar_forzar,
    "construir": _construir,
    "exportar-copias": _exportar_copias,
}


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_refuses_a_workbook_open_in_excel(tmp_path: Path, writer: str) -> None:
    args, ruta = WRITERS[writer](tmp_path)
    archivo_dueno(ruta, "María José Ávila")
    before = ruta.read_bytes()
    result = run(*args)
    refused(result, ruta.name, "María José Ávila", "abierto en Excel", "no se modificó")
    assert ruta.read_bytes() == before
    assert not guardado.respaldo_de(ruta).exists()


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_writes_through_a_symlink_and_keeps_the_mode(
    tmp_path: Path, writer: str
) -> None:
    args, ruta = WRITERS[writer](tmp_path)
    compartida = tmp_path / "compartida"
    compartida.mkdir()
    destino = compartida / ruta.name
    shutil.move(ruta, destino)
    ruta.symlink_to(destino)
    os.chmod(destino, 0o640)
    before = os.stat(destino).st_ino
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert ruta.is_symlink() and ruta.resolve() == destino.resolve()
    assert os.stat(destino).st_ino != before  # the shared workbook was replaced…
    assert modo(destino) == 0o640  # …keeping its permissions, and its backup beside it
    assert (compartida / (destino.name + ".bak")).is_file()
    assert not (ruta.parent / (ruta.name + ".bak")).exists()
    sin_temporales(ruta.parent)
    sin_temporales(compartida)


@pytest.mark.parametrize("permisos", [0o644, 0o664])
def test_a_save_keeps_the_permissions(tmp_path: Path, permisos: int) -> None:
    args, ruta = _recalcular(tmp_path)
    os.chmod(ruta, permisos)
    assert run(*args).exit_code == 0
    assert modo(ruta) == permisos and modo(guardado.respaldo_de(ruta)) == permisos


@pytest.mark.parametrize("mascara", [0o022, 0o002])
@pytest.mark.parametrize("extension", [".xlsx", ".xlsm"])
def test_a_new_workbook_honours_the_umask(tmp_path: Path, mascara: int, extension: str) -> None:
    ruta = tmp_path / f"Metas2011{extension}"
    with umask(mascara):
        result = run("importar", DOCUMENTO_2011, "-o", ruta)
    assert result.exit_code == 0, result.output
    assert modo(ruta) == 0o666 & ~mascara
    sin_temporales(tmp_path)


def test_the_library_writes_through_a_link_and_a_new_file_honours_the_umask(
    tmp_path: Path,
) -> None:
    compartida = tmp_path / "compartida"
    compartida.mkdir()
    destino = compartida / "Metas.xlsx"
    destino.write_bytes(b"antes")
    os.chmod(destino, 0o664)
    enlace = tmp_path / "Metas.xlsx"
    enlace.symlink_to(destino)
    hecho = guardado.escribir(enlace, b"despues", respaldo=True)
    assert enlace.is_symlink() and destino.read_bytes() == b"despues"
    assert modo(destino) == 0o664
    assert hecho.respaldo == compartida / "Metas.xlsx.bak"
    assert hecho.respaldo.read_bytes() == b"antes" and modo(hecho.respaldo) == 0o664
    nuevo = tmp_path / "nuevo.xlsx"
    with umask(0o027):
        assert guardado.escribir(nuevo, b"x", respaldo=True).respaldo is None
    assert modo(nuevo) == 0o640
    with pytest.raises(EscrituraError, match="Ya existe"):
        guardado.escribir(nuevo, b"y", respaldo=False, solo_nuevo=True)
    assert nuevo.read_bytes() == b"x"
    sin_temporales(tmp_path)
    sin_temporales(compartida)


# -- a workbook open in Excel -------------------------------------------------------------------
def test_owner_file_names_the_person_through_the_library(plan_2011: Path) -> None:
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    archivo_dueno(plan_2011, "Lupita Ñáñez")
    before = plan_2011.read_bytes()
    with pytest.raises(EscrituraError, match=r"Metas2011\.xlsx.*abierto en Excel por Lupita Ñáñez"):
        libro.guardar()
    assert plan_2011.read_bytes() == before
    assert not guardado.respaldo_de(plan_2011).exists()


def test_an_unreadable_owner_file_still_refuses(tmp_path: Path) -> None:
    ruta = tmp_path / "libro.xlsx"
    ruta.write_bytes(b"antes")
    ruta.with_name("~$libro.xlsx").write_bytes(b"\x00basura")
    with pytest.raises(EscrituraError, match=r"«.*libro\.xlsx» está abierto en Excel:"):
        guardado.escribir(ruta, b"despues", respaldo=True)
    assert ruta.read_bytes() == b"antes"


def test_owner_file_layout_read_back() -> None:
    datos = bytes([5]) + b"Perez".ljust(54, b" ") + (5).to_bytes(2, "little")
    datos += "Pérez".encode("utf-16-le")
    assert guardado.leer_dueno(datos.ljust(165, b" ")) == "Pérez"  # UTF-16 copy preferred
    assert guardado.leer_dueno(bytes([4]) + "Peña".encode("cp1252")) == "Peña"  # ANSI only
    assert guardado.leer_dueno(b"") is None and guardado.leer_dueno(b"\x00xx") is None


# -- read-only --------------------------------------------------------------------------------
def test_a_read_only_workbook_is_refused(plan_2011: Path) -> None:
    os.chmod(plan_2011, 0o444)  # root ignores it: read-only comes from the mode bits
    before = plan_2011.read_bytes()
    refused(run("recalcular", plan_2011), plan_2011.name, "solo lectura", "no se modificó")
    assert plan_2011.read_bytes() == before and modo(plan_2011) == 0o444
    with pytest.raises(EscrituraError, match="solo lectura"):
        guardado.escribir(plan_2011, b"otra cosa", respaldo=True)
    assert plan_2011.read_bytes() == before
    assert not guardado.respaldo_de(plan_2011).exists()


# -- full disk, denied writes: one Spanish sentence, the original and the previous .bak intact --
def _con_respaldo_previo(plan_2011: Path) -> tuple[bytes, bytes]:
    respaldo = guardado.respaldo_de(plan_2011)
    respaldo.write_bytes(b"respaldo anterior")
    return plan_2011.read_bytes(), respaldo.read_bytes()


def _intactos(plan_2011: Path, antes: tuple[bytes, bytes]) -> None:
    assert (plan_2011.read_bytes(), guardado.respaldo_de(plan_2011).read_bytes()) == antes
    sin_temporales(plan_2011.parent)


ESPACIO = "No hay espacio en el disco para guardar «{}»; el archivo no se modificó."


def test_full_disk_while_writing_the_workbook(plan_2011: Path, monkeypatch) -> None:
    antes = _con_respaldo_previo(plan_2011)

    def half_then_full(self, destino) -> None:
        if hasattr(destino, "write"):
            destino.write(b"PK\x03\x04 a medias")
        else:
            Path(destino).write_bytes(b"PK\x03\x04 a medias")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_then_full)
    result = run("recalcular", plan_2011)
    refused(result, ESPACIO.format(plan_2011))
    assert "No space" not in result.output
    _intactos(plan_2011, antes)


def test_full_disk_while_copying_the_backup(plan_2011: Path, monkeypatch) -> None:
    antes = _con_respaldo_previo(plan_2011)

    def half_then_full(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", half_then_full)
    result = run("recalcular", plan_2011)
    refused(result, ESPACIO.format(plan_2011))
    _intactos(plan_2011, antes)


def test_full_disk_when_flushing_through_the_library(plan_2011: Path, monkeypatch) -> None:
    antes = _con_respaldo_previo(plan_2011)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(guardado.os, "fsync", full)
    with pytest.raises(EscrituraError) as info:
        guardado.escribir(plan_2011, b"nuevo", respaldo=True)
    assert info.value.mensaje == ESPACIO.format(plan_2011)
    _intactos(plan_2011, antes)


@pytest.mark.parametrize(
    ("numero", "texto"),
    [
        (errno.EACCES, "No hay permiso para escribir"),
        (errno.EPERM, "No hay permiso para escribir"),
        (errno.EROFS, "está en un disco de solo lectura"),
        (errno.EIO, "No se pudo guardar"),
    ],
)
def test_a_denied_write_is_one_spanish_sentence(plan_2011: Path, monkeypatch, numero, texto):
    antes = _con_respaldo_previo(plan_2011)

    def denied(src, dst) -> None:
        raise OSError(numero, os.strerror(numero))

    monkeypatch.setattr(guardado.os, "replace", denied)
    result = run("recalcular", plan_2011)
    refused(result, texto, str(plan_2011), "el archivo no se modificó.")
    assert os.strerror(numero) not in result.output
    _intactos(plan_2011, antes)


def test_a_new_file_in_a_missing_folder(tmp_path: Path) -> None:
    ruta = tmp_path / "no-existe" / "Metas.xlsx"
    refused(run("importar", DOCUMENTO_2011, "-o", ruta), "No existe la carpeta", "no se creó")
    assert not ruta.parent.exists()


# -- a killed save ----------------------------------------------------------------------------
MUERE_A_MEDIAS = """
import os, sys
from pathlib import Path
import openpyxl
from xl_metas import operaciones
from xl_metas.workbook_file import LibroArchivo

def muere(self, destino):
    if hasattr(destino, "write"):
        destino.write(b"PK a medias"); destino.flush()
    else:
        Path(destino).write_bytes(b"PK a medias")
    os._exit(9)  # killed: no cleanup runs

openpyxl.Workbook.save = muere
libro = LibroArchivo(Path(sys.argv[1]))
operaciones.recalcular(libro)
libro.guardar()
"""


def test_a_killed_save_leaves_a_temporary_that_the_next_run_removes(plan_2011: Path) -> None:
    before = plan_2011.read_bytes()
    otro = plan_2011.parent / ".~Otro.xlsx.0123abcd.tmp"  # another workbook's: not ours
    otro.write_bytes(b"ajeno")
    done = subprocess.run([sys.executable, "-c", MUERE_A_MEDIAS, str(plan_2011)], check=False)
    assert done.returncode == 9
    assert plan_2011.read_bytes() == before
    restos = [n for n in ocultos(plan_2011.parent) if n.startswith(".~Metas2011")]
    assert any(not n.endswith(".lock") for n in restos)  # the temporary is there
    assert run("recalcular", plan_2011).exit_code == 0
    assert [n for n in ocultos(plan_2011.parent) if not n.endswith(".lock")] == [otro.name]


def test_leftovers_go_even_when_nothing_needs_saving(plan_2011: Path) -> None:
    assert run("recalcular", plan_2011).exit_code == 0
    resto = plan_2011.parent / f".~{plan_2011.name}.89abcdef.tmp"
    viejo = plan_2011.parent / ".~Metas2011k3j_h5g6.xlsx"  # what earlier versions left
    resto.write_bytes(b"a medias")
    viejo.write_bytes(b"a medias")
    result = run("recalcular", plan_2011)
    assert result.exit_code == 0 and "no se modificó" in result.output
    assert not resto.exists() and not viejo.exists()


# -- one writer at a time ---------------------------------------------------------------------
def test_two_writers_the_second_refuses_instead_of_dropping_the_first(make_plan) -> None:
    ruta = make_plan([[None]])
    primero, segundo = LibroArchivo(ruta), LibroArchivo(ruta)
    primero.escribir("Plan", 20, 1, [["del primero"]])
    segundo.escribir("Plan", 21, 1, [["del segundo"]])
    assert primero.guardar()
    after_first = ruta.read_bytes()
    with pytest.raises(EscrituraError, match=r"«.*plan\.xlsx» cambió desde que se leyó"):
        segundo.guardar()
    assert ruta.read_bytes() == after_first
    assert LibroArchivo(ruta).leer("Plan").value(20, 1) == "del primero"


def test_a_command_in_between_is_not_overwritten(plan_2011: Path) -> None:
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    assert run("recalcular", plan_2011).exit_code == 0  # someone else saved meanwhile
    saved = plan_2011.read_bytes()
    with pytest.raises(EscrituraError, match="vuelva a ejecutar"):
        libro.guardar()
    assert plan_2011.read_bytes() == saved


def test_a_touched_but_identical_file_is_not_a_change(make_plan) -> None:
    ruta = make_plan([[None]])
    libro = LibroArchivo(ruta)
    libro.escribir("Plan", 20, 1, [["nuevo"]])
    ruta.write_bytes(ruta.read_bytes())  # same content, new mtime
    assert libro.guardar()


ESCRITOR = """
import sys, time
from pathlib import Path
from xl_metas.errors import EscrituraError
from xl_metas.workbook_file import LibroArchivo

ruta, yo, carpeta = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
libro = LibroArchivo(ruta)
libro.escribir("Plan", 20 + yo, 1, [[f"escritor {yo}"]])
(carpeta / f"leido-{yo}").touch()
fin = time.monotonic() + 60
while len(list(carpeta.glob("leido-*"))) < 2:  # both have read before either saves
    if time.monotonic() > fin:
        sys.exit(4)
    time.sleep(0.01)
try:
    libro.guardar()
except EscrituraError as exc:
    print(exc.mensaje)
    sys.exit(3)
"""


def test_concurrent_processes_never_lose_an_update_silently(make_plan, tmp_path: Path) -> None:
    ruta = make_plan([[None]])
    barrera = tmp_path / "barrera"
    barrera.mkdir()
    procesos = [
        subprocess.Popen(
            [sys.executable, "-c", ESCRITOR, str(ruta), str(yo), str(barrera)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for yo in (1, 2)
    ]
    salidas = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in procesos]
    codigos = sorted(code for code, _ in salidas)
    assert codigos == [0, 3], salidas
    ganador = next(yo for yo, (code, _) in zip((1, 2), salidas, strict=True) if code == 0)
    perdedor = 3 - ganador
    assert "cambió desde que se leyó" in salidas[perdedor - 1][1]
    grid = LibroArchivo(ruta).leer("Plan")
    assert grid.value(20 + ganador, 1) == f"escritor {ganador}"
    assert grid.value(20 + perdedor, 1) is None  # refused and said so: nothing half-merged


TIENE_EL_BLOQUEO = """
import sys, time
from pathlib import Path
from xl_metas import guardado

with guardado.bloqueo(Path(sys.argv[1])):
    print("bloqueado", flush=True)
    time.sleep(120)
"""


def test_a_held_lock_refuses_and_a_killed_holder_does_not_leave_it_stuck(
    plan_2011: Path, monkeypatch
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", TIENE_EL_BLOQUEO, str(plan_2011)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "bloqueado"
        monkeypatch.setattr(guardado, "ESPERA_BLOQUEO", 0.3)
        before = plan_2011.read_bytes()
        refused(run("recalcular", plan_2011), "Otro comando está guardando", plan_2011.name)
        assert plan_2011.read_bytes() == before
    finally:
        holder.kill()  # a crash: no release, no cleanup
        holder.wait(timeout=30)
    assert run("recalcular", plan_2011).exit_code == 0


# -- importar never replaces a workbook without --forzar ----------------------------------------
@pytest.fixture
def capturado(tmp_path: Path) -> Path:
    """A macro workbook whose Avance already holds realizado someone typed."""
    ruta = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, ruta)
    editar(ruta, {("Avance", 2, "ENE"): 5})
    return ruta


def test_importar_refuses_an_existing_workbook(capturado: Path) -> None:
    before = capturado.read_bytes()
    result = run("importar", DOCUMENTO_2011, "-o", capturado)
    refused(result, f"Ya existe «{capturado}»", "--forzar")
    assert capturado.read_bytes() == before
    assert not guardado.respaldo_de(capturado).exists()
    with pytest.raises(EscrituraError, match="Ya existe"):
        libro_nuevo.importar(DOCUMENTO_2011, capturado)
    assert capturado.read_bytes() == before


def test_importar_forzar_keeps_a_backup(capturado: Path) -> None:
    before = capturado.read_bytes()
    result = run("importar", DOCUMENTO_2011, "-o", capturado, "--forzar")
    assert result.exit_code == 0, result.output
    assert guardado.respaldo_de(capturado).name in result.output
    assert guardado.respaldo_de(capturado).read_bytes() == before
    assert capturado.read_bytes() != before


# -- plain install ----------------------------------------------------------------------------
def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = (re.match(r"[A-Za-z0-9_.\-]+", d) for d in project["dependencies"])
    return {_normal(m.group(0)) for m in names if m}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_import_is_a_declared_dependency() -> None:
    """``pip install xl-metas`` brings all it imports (olefile and oletools were dev-only)."""
    top: set[str] = set()
    for path in (ROOT / "xl_metas").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                top |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                top.add(node.module.split(".")[0])
    third_party = top - set(sys.stdlib_module_names) - {"xl_metas", "__future__"}
    distributions = importlib.metadata.packages_distributions()
    missing = {
        name
        for name in third_party
        if not {_normal(d) for d in distributions.get(name, [name])} & _declared()
    }
    assert missing == set()


def test_the_help_of_the_new_option_is_spanish() -> None:
    result = run("importar", "--help")
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert "--forzar" in flat and "respaldo" in flat


def test_errno_messages_never_leak_english() -> None:
    for numero in (errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO, errno.EDQUOT):
        mensaje = guardado.mensaje_error(OSError(numero, os.strerror(numero)), Path("x.xlsx"))
        assert os.strerror(numero) not in mensaje and "«x.xlsx»" in mensaje
