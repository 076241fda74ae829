"""The file adapter: VBA kept byte for byte, text never becomes a formula, safe saves."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from xl_metas import operaciones
from xl_metas.cli import app
from xl_metas.errors import EscrituraError
from xl_metas.importer import read_document
from xl_metas.workbook_file import LibroArchivo

from .conftest import DOCUMENTO_2011, XLWINGS_XLSM, meta_row


def vba_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/vbaProject.bin")


def test_xlsm_keeps_its_vba_project_byte_identical(xlwings_xlsm):
    original = vba_bytes(XLWINGS_XLSM)
    libro = LibroArchivo(xlwings_xlsm)
    libro.poner_hoja(operaciones.plan_sheet(read_document(DOCUMENTO_2011)))
    assert libro.guardar()
    result = CliRunner().invoke(app, ["recalcular", str(xlwings_xlsm)])
    assert result.exit_code == 0, result.output
    assert vba_bytes(xlwings_xlsm) == original
    with zipfile.ZipFile(xlwings_xlsm) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types
    wb = openpyxl.load_workbook(xlwings_xlsm, keep_vba=True)
    assert {"Plan", "Validación"} <= set(wb.sheetnames)
    # Sheets we add get a codeName, so the VBA project can reference them.
    assert wb["Plan"].sheet_properties.codeName == "Plan"
    assert wb["Validación"].sheet_properties.codeName == "Validacion"


def test_text_that_looks_like_a_formula_stays_text(make_plan):
    formula = '=HYPERLINK("http://x","y")'
    path = make_plan([meta_row(1, descripcion=formula, unidad="=1+2", anual=13)])
    libro = LibroArchivo(path)
    operaciones.recalcular(libro)
    libro.escribir("Plan", 30, 1, [[formula]])
    assert libro.guardar()
    wb = openpyxl.load_workbook(path)
    for cell in (wb["Plan"]["D5"], wb["Plan"]["E5"], wb["Plan"]["A30"]):
        assert cell.data_type == "s", cell.coordinate
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Plan").to_python()
    assert values[29][0] == formula


def test_failed_save_leaves_the_file_and_no_litter(plan_2011, monkeypatch):
    original = plan_2011.read_bytes()
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)

    def broken(self, filename):
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(EscrituraError, match="No se pudo guardar.*no se modificó"):
        libro.guardar()
    assert plan_2011.read_bytes() == original
    assert sorted(p.name for p in plan_2011.parent.iterdir()) == [plan_2011.name]


def test_no_change_no_save(plan_2011):
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    assert libro.guardar()
    stamp = plan_2011.stat().st_mtime_ns
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    assert libro.cambios == 0 and not libro.guardar()
    assert plan_2011.stat().st_mtime_ns == stamp


def test_sheet_names_resolve_without_accents_or_case(plan_2011):
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    libro.guardar()
    libro = LibroArchivo(plan_2011)
    assert libro.resolver("validacion") == "Validación"
    assert libro.leer("PLAN").hoja == "Plan"
