"""Headless saves keep the shipped workbook alive (issue 5, point 5).

On a copy of `workbook/Metas2011.xlsm`, every CLI command that writes a workbook keeps our
modules and xlwings' byte for byte; where a command added sheets, the same save added
their document modules (so `xl-metas actualizar-vba` has nothing to add); the project
passes the strict checker; and LibreOffice, an independent office suite, loads the new
modules and still shows every button bound to its Sub.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from typer.testing import CliRunner

from xl_metas import build
from xl_metas.cli import app
from xl_metas.vba.project import read_modules

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support importable however pytest was started
    sys.path.insert(0, str(ROOT))

from tests.support import vba_estricto  # noqa: E402
from tests.support.libros_vba import con_programas  # noqa: E402
from tests.support.lo import inspect_workbook, require_libreoffice  # noqa: E402

pytestmark = pytest.mark.libreoffice

runner = CliRunner()
SHIPPED = build.LIBRO
BOUND = [("VBAProject", "Metas", b.sub) for b in build.BOTONES]


def vba_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def code_names(path: Path) -> dict[str, str]:
    """Sheet name -> codeName ("" when the sheet has none)."""
    book = load_workbook(path, keep_vba=True)
    return {ws.title: ws.sheet_properties.codeName or "" for ws in book.worksheets}


def missing_document_modules(path: Path) -> list[str]:
    kinds = {m.name: m.kind for m in read_modules(vba_of(path))}
    return [c for c in code_names(path).values() if kinds.get(c) != "document"]


def olevba_modules(path: Path) -> set[str]:
    parser = VBA_Parser(str(path))
    try:
        return {p.split("/")[-1] for _, p, _, _ in parser.extract_macros()}
    finally:
        parser.close()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def assert_buttons_bound(path: Path) -> dict[str, object]:
    """LibreOffice opens the file, lists our modules and binds each button to its Sub."""
    info = inspect_workbook(path)
    bound = [(b["library"], b["module"], b["sub"]) for b in info["buttons"]["Inicio"]]
    assert bound == BOUND, path.name
    labels = [b["label"] for b in info["buttons"]["Inicio"]]
    assert labels == [b.etiqueta for b in build.BOTONES]
    assert {"Metas", "xlwings", "Dictionary", "ThisWorkbook"} <= set(
        info["libraries"]["VBAProject"]
    )
    return info


def assert_alive(path: Path) -> None:
    """Our modules as shipped, a document module for every codeName (added in the save
    that added the sheet), the project strict, the buttons bound, the new modules loaded."""
    vba_estricto.revisar(path)
    names = code_names(path)
    assert all(names.values()), f"{path.name}: sheets without codeName: {names}"
    assert missing_document_modules(path) == []
    before = {m.name: m for m in read_modules(vba_of(SHIPPED))}
    after = {m.name: m for m in read_modules(vba_of(path))}
    assert set(before) <= set(after)
    assert all(after[n] == m for n, m in before.items())  # ours and xlwings' untouched
    added = set(after) - set(before)
    assert added <= olevba_modules(path)  # an independent reader agrees
    info = assert_buttons_bound(path)
    assert added <= set(info["libraries"]["VBAProject"])  # type: ignore[index]
    assert "no se modificó" in run("actualizar-vba", str(path))  # nothing left to add


@pytest.fixture
def copia(tmp_path: Path) -> Path:
    require_libreoffice()
    path = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(SHIPPED, path)
    return path


def test_shipped_workbook_is_consistent() -> None:
    require_libreoffice()
    assert missing_document_modules(SHIPPED) == []
    assert_buttons_bound(SHIPPED)


@pytest.mark.parametrize("comando", ["recalcular", "vencidos", "generar-hojas"])
def test_command_keeps_vba_and_buttons(copia: Path, comando: str) -> None:
    shipped = SHIPPED.read_bytes()
    assert "Guardado" in run(comando, str(copia))
    assert SHIPPED.read_bytes() == shipped
    assert_alive(copia)


def test_vencidos_on_a_fresh_copy_adds_only_the_historial(copia: Path) -> None:
    """The shipped workbook already has Avance's mirror: the only sheet added is the hidden
    Historial (its first state), with its document module."""
    run("vencidos", str(copia))
    assert code_names(copia) == code_names(SHIPPED) | {"Historial": "HojaHistorial"}
    assert missing_document_modules(copia) == []


def test_commands_in_sequence_then_again(copia: Path) -> None:
    """A working session: every command once, then again (the second round saves nothing)."""
    comandos = ["recalcular", "vencidos", "generar-hojas"]
    for comando in comandos:
        run(comando, str(copia))
    data = copia.read_bytes()
    for comando in comandos:
        assert "no se modificó" in run(comando, str(copia)), comando
    assert copia.read_bytes() == data
    assert_alive(copia)


def test_exportar_copias_keeps_vba_and_buttons(copia: Path, tmp_path: Path) -> None:
    carpeta = tmp_path / "enviadas"
    run("exportar-copias", str(copia), "--carpeta", str(carpeta))
    copias = sorted(carpeta.glob("*.xlsm"))
    assert len(copias) == 3  # one per programa of the 2011 plan
    for path in [copia, *copias]:
        assert_alive(path)


def test_programas_named_like_modules_load_in_libreoffice(copia: Path, tmp_path: Path) -> None:
    """Areas called Metas, xlwings and ThisWorkbook: after generar-hojas and in every
    exported copy, LibreOffice loads the project with each sheet's module beside ours, and
    module Metas is still the buttons' module."""
    con_programas(copia)
    run("generar-hojas", str(copia))
    assert_alive(copia)
    carpeta = tmp_path / "enviadas"
    run("exportar-copias", str(copia), "--carpeta", str(carpeta))
    copias = sorted(carpeta.glob("*.xlsm"))
    assert len(copias) == 3
    for path in [copia, *copias]:
        assert_alive(path)
        modulos = inspect_workbook(path)["libraries"]["VBAProject"]
        assert "Sub Recalcular" in modulos["Metas"]
        assert {"HojaMetas", "HojaXlwings", "HojaThisworkbook"} & set(modulos)
