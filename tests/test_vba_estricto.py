"""The strict VBA checker (tests/support/vba_estricto.py): it accepts projects Excel wrote
and flags each way a project can break, so that a clean report means something."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest

from tests.support import vba_estricto
from tests.support.libros_copias import MAESTRO
from tests.support.planes import XLWINGS_XLSM
from xl_metas import guardado
from xl_metas.vba import cfb, ovba
from xl_metas.vba.project import (
    PROJECT_ID,
    VBA_PROJECT_SOURCE_ONLY,
    WORKBOOK_BASE,
    Module,
    _dir_stream,
    _project_stream,
    _projectwm_stream,
    document_module,
)

XLWINGS = XLWINGS_XLSM.parent
EXCEL_PROJECTS = [
    XLWINGS / "quickstart.xlsm",  # compiled by Excel: performance cache, four kinds of reference
    XLWINGS / "addin" / "xlwings.xlam",  # password-protected, p-code before each source
    XLWINGS_XLSM,
    MAESTRO,
]


def vba_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(vba_estricto.VBA_PART)


def streams_of(vba: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(vba))
    return {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}


def unchecked_project(modules: list[Module]) -> bytes:
    """A project written without build_project's checks: how a bad one is planted."""
    streams = {
        "PROJECT": _project_stream(modules, PROJECT_ID),
        "PROJECTwm": _projectwm_stream(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_SOURCE_ONLY,
        "VBA/dir": ovba.compress(_dir_stream(modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = ovba.compress(m.source.encode("cp1252"))
    return cfb.write_cfb(streams)


@pytest.mark.parametrize("path", EXCEL_PROJECTS, ids=lambda p: p.name)
def test_accepts_projects_excel_wrote(path: Path) -> None:
    assert vba_estricto.problemas_vba(vba_of(path)) == []


@pytest.mark.parametrize("path", [XLWINGS_XLSM, MAESTRO], ids=lambda p: p.name)
def test_accepts_consistent_workbooks(path: Path) -> None:
    vba_estricto.revisar(path)


def test_flags_a_sheet_whose_code_name_is_a_module(tmp_path: Path) -> None:
    """What generar-hojas wrote for a programa called «Metas» before codeNames looked at
    the modules: Excel removes the whole VBA project to repair it."""
    libro = tmp_path / "m.xlsm"
    shutil.copyfile(MAESTRO, libro)
    wb = openpyxl.load_workbook(libro, keep_vba=True)
    wb.create_sheet("Metas").sheet_properties.codeName = "Metas"
    wb.create_sheet("ThisWorkbook").sheet_properties.codeName = "Thisworkbook"
    wb.save(libro)
    malos = vba_estricto.problemas(libro)
    assert "el codeName 'Metas' de la hoja «Metas» choca con el módulo 'Metas'" in malos
    assert "la hoja «ThisWorkbook» y el libro comparten el codeName 'Thisworkbook'" in malos
    with pytest.raises(AssertionError, match="choca con el módulo"):
        vba_estricto.revisar(libro)


def test_flags_missing_and_orphan_document_modules(tmp_path: Path) -> None:
    libro = tmp_path / "m.xlsm"
    shutil.copyfile(MAESTRO, libro)
    wb = openpyxl.load_workbook(libro, keep_vba=True)
    wb.create_sheet("Nueva").sheet_properties.codeName = "HojaNueva"
    wb.remove(wb["Configuración"])
    wb.save(libro)
    assert set(vba_estricto.problemas(libro)) == {
        "el codeName 'HojaNueva' de la hoja «Nueva» no tiene módulo de documento",
        "el módulo de documento 'HojaConfiguracion' no es de ninguna hoja",
    }


def test_flags_a_keyword_and_a_bad_identifier() -> None:
    modules = [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        Module("Print", "standard", 'Attribute VB_Name = "Print"\r\n'),
        Module("_x", "standard", 'Attribute VB_Name = "_x"\r\n'),
    ]
    malos = vba_estricto.problemas_vba(unchecked_project(modules))
    assert "el módulo 'Print' es una palabra reservada de VBA" in malos
    assert any("'_x' no es un identificador VBA" in m for m in malos)


def test_flags_a_module_named_like_the_project() -> None:
    modules = [Module("VBAProject", "standard", 'Attribute VB_Name = "VBAProject"\r\n')]
    malos = vba_estricto.problemas_vba(unchecked_project(modules))
    assert malos == ["el módulo 'VBAProject' se llama como el proyecto o una referencia"]


def test_flags_a_truncated_dir_and_a_stale_project_line() -> None:
    streams = streams_of(vba_of(MAESTRO))
    dir_stream = bytes(ovba.decompress(streams["VBA/dir"]))
    truncated = dict(streams, **{"VBA/dir": ovba.compress(dir_stream[:-6])})
    assert vba_estricto.problemas_vba(cfb.write_cfb(truncated)) == [
        "dir: falta el registro 0x0010 al final"
    ]
    project = streams["PROJECT"].replace(b"Module=Metas\r\n", b"Module=Metas\r\nModule=Otro\r\n")
    stale = dict(streams, PROJECT=project)
    assert vba_estricto.problemas_vba(cfb.write_cfb(stale)) == [
        "PROJECT nombra 'Otro', que no está en dir"
    ]


def test_flags_a_module_whose_source_does_not_decompress() -> None:
    streams = streams_of(vba_of(MAESTRO))
    streams["VBA/Metas"] = b"\x02garbage"
    malos = vba_estricto.problemas_vba(cfb.write_cfb(streams))
    assert malos[0].startswith("'Metas': el código no se descomprime (invalid signature")
    assert malos[1].startswith("oletools lee")  # it skips the module it cannot read


def test_every_macro_workbook_a_test_writes_is_checked(tmp_path: Path) -> None:
    """The guard in conftest: a write that leaves a project Excel would repair fails the
    test that made it, whichever command wrote it."""
    libro = tmp_path / "m.xlsm"
    shutil.copyfile(MAESTRO, libro)
    wb = openpyxl.load_workbook(libro, keep_vba=True)
    wb.create_sheet("Metas").sheet_properties.codeName = "Metas"
    wb.save(libro)  # openpyxl itself: not a write of ours
    with pytest.raises(AssertionError, match="choca con el módulo 'Metas'"):
        guardado.escribir(tmp_path / "escrito.xlsm", libro.read_bytes(), respaldo=False)
    guardado.escribir(tmp_path / "escrito.xlsx", libro.read_bytes(), respaldo=False)  # no VBA
