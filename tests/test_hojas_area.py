"""Per-area sheets: faithful to the original document, safe to rerun, never losing hand edits."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from tests.support.planes import DOCUMENTO_2011
from xl_metas import avance, config, operaciones
from xl_metas.cli import app
from xl_metas.hojas_area import (
    HOJA_REGISTRO,
    AvanceMeta,
    HojaEditadaError,
    ProgresoHojas,
    colores_meses,
    generar_hojas,
    hoja_area,
    nombre_hoja,
)
from xl_metas.importer import read_document
from xl_metas.model import MESES
from xl_metas.workbook_file import LibroArchivo

from .support.libros_avance import relleno

AREAS = ["VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"]
CAMPOS = ("objetivo", "meta", "descripcion", "unidad", "anual", *MESES)


def _norm(value: Any) -> str:
    """A cell as text: numbers without ".0", blank as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def documento_por_programa() -> dict[str, list[dict[str, str]]]:
    """The original text document, read here independently of the importer: a meta row has
    a number in its META column; a blank objetivo continues the one above."""
    out: dict[str, list[dict[str, str]]] = {}
    programa, objetivo = "", ""
    for line in DOCUMENTO_2011.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        first = cells[0].strip()
        match = re.fullmatch(r"PROGRAMA (?!METAS)(.+)", first)
        if match:
            programa = match.group(1).strip()
            continue
        if len(cells) < 17 or not cells[1].strip().isdigit():
            continue
        objetivo = first or objetivo
        values = [objetivo, *(c.strip() for c in cells[1:17])]
        out.setdefault(programa, []).append(dict(zip(CAMPOS, values, strict=True)))
    return out


def hoja_leida(path: Path, hoja: str) -> list[dict[str, str]]:
    """A generated sheet read back row by row (calamine, as saved): the header row is found
    by its labels; a meta row has a META number; a merged objetivo is in its top cell."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(hoja).to_python()
    header = next(i for i, r in enumerate(rows) if _norm(r[0]) == "OBJETIVO")
    labels = [_norm(v) for v in rows[header]]
    months = [_norm(v) for v in rows[header + 1]]
    col = {
        "objetivo": labels.index("OBJETIVO"),
        "meta": labels.index("META"),
        "descripcion": labels.index("DESCRIPCIÓN DE LA META"),
        "unidad": labels.index("UNIDAD DE MEDIDA"),
        "anual": labels.index("PROGRAMA ANUAL"),
    } | {mes: months.index(mes) for mes in MESES}
    metas, objetivo = [], ""
    for row in rows[header + 2 :]:
        if _norm(row[0]) == "TOTAL":
            break
        objetivo = _norm(row[col["objetivo"]]) or objetivo
        if not _norm(row[col["meta"]]):
            continue  # a Realizado row, under its meta
        meta = {k: _norm(row[c]) for k, c in col.items()}
        meta["objetivo"] = objetivo
        metas.append(meta)
    return metas


def generar(path: Path) -> tuple[Any, bool]:
    libro = LibroArchivo(path)
    hecho = generar_hojas(libro)
    return hecho, libro.guardar()


def test_2011_plan_gives_three_sheets_in_plan_order(plan_2011):
    hecho, guardado = generar(plan_2011)
    assert guardado and hecho.creadas == AREAS
    wb = CalamineWorkbook.from_path(str(plan_2011))
    assert wb.sheet_names == ["Plan", *AREAS, HOJA_REGISTRO]
    assert [len(hoja_leida(plan_2011, h)) for h in AREAS] == [6, 2, 12]
    assert openpyxl.load_workbook(plan_2011)[HOJA_REGISTRO].sheet_state == "hidden"


@pytest.mark.parametrize("programa", AREAS)
def test_generated_sheet_reads_back_as_the_original_document(plan_2011, programa):
    generar(plan_2011)
    assert hoja_leida(plan_2011, programa) == documento_por_programa()[programa]


def test_layout_titles_header_merges_totals_and_print_setup(plan_2011):
    generar(plan_2011)
    ws = openpyxl.load_workbook(plan_2011)["DIFUSIÓN"]
    assert ws["A1"].value == "INSTITUTO DE TRANSPARENCIA INFORMATIVA DEL ESTADO DE SONORA"
    assert ws["A2"].value == "PROGRAMA METAS Y OBJETIVOS 2011"
    assert ws["A3"].value == "PROGRAMA DIFUSIÓN"
    assert ws["F5"].value == "CALENDARIO" and "F5:Q5" in ws.merged_cells
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A7:A12" in merged  # metas 9–14 share one objetivo
    assert not any(r.startswith("A18:") for r in merged)  # 19 and 20 differ in case: not merged
    assert ws["A19"].value == "TOTAL" and ws["E19"].value == 74 and ws["Q19"].value == 10
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$5:$6"
    # Every meta row has an explicit height (no auto-size for rows of merged cells).
    assert all(ws.row_dimensions[r].height for r in range(7, 19))
    # The six metas under one objetivo are tall enough for it together.
    assert sum(ws.row_dimensions[r].height for r in range(7, 13)) >= 3 * 12


def test_rerun_changes_nothing(plan_2011):
    generar(plan_2011)
    before = plan_2011.read_bytes()
    hecho, guardado = generar(plan_2011)
    assert not guardado
    assert hecho.sin_cambios == AREAS and not (hecho.creadas or hecho.actualizadas)
    assert plan_2011.read_bytes() == before


def _replace_plan(path: Path, keep: set[str]) -> None:
    plan = read_document(DOCUMENTO_2011)
    plan = type(plan)(
        tuple(m for m in plan.metas if m.programa.texto in keep), plan.anio, plan.institucion
    )
    libro = LibroArchivo(path)
    libro.poner_hoja(operaciones.plan_sheet(plan))
    assert libro.guardar()


def test_removed_programa_removes_its_sheet_only(plan_2011):
    generar(plan_2011)
    _replace_plan(plan_2011, {"VINCULACIÓN", "DIFUSIÓN"})
    hecho, guardado = generar(plan_2011)
    assert guardado and hecho.quitadas == ["CAPACITACIÓN"]
    assert hecho.sin_cambios == ["VINCULACIÓN", "DIFUSIÓN"]
    names = CalamineWorkbook.from_path(str(plan_2011)).sheet_names
    assert names == ["Plan", "VINCULACIÓN", "DIFUSIÓN", HOJA_REGISTRO]


def test_sheets_not_generated_are_never_touched(plan_2011):
    wb = openpyxl.load_workbook(plan_2011)
    wb.create_sheet("DIFUSIÓN")["A1"] = "mi hoja, no la generó xl-metas"
    wb.create_sheet("Notas")["B2"] = 42
    wb.save(plan_2011)
    hecho, _ = generar(plan_2011)
    assert hecho.creadas == ["VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN (2)"]
    _replace_plan(plan_2011, {"VINCULACIÓN"})
    hecho, _ = generar(plan_2011)
    assert hecho.quitadas == ["CAPACITACIÓN", "DIFUSIÓN (2)"]
    wb = openpyxl.load_workbook(plan_2011)
    assert wb["DIFUSIÓN"]["A1"].value == "mi hoja, no la generó xl-metas"
    assert wb["Notas"]["B2"].value == 42


def _edit(path: Path, hoja: str, celda: str, value: Any) -> None:
    wb = openpyxl.load_workbook(path)
    wb[hoja][celda] = value
    wb.save(path)


def test_hand_edit_is_refused_with_the_rows_and_nothing_written(plan_2011):
    generar(plan_2011)
    _edit(plan_2011, "VINCULACIÓN", "H8", 9)  # meta 2, MAR
    _replace_plan(plan_2011, {"VINCULACIÓN", "DIFUSIÓN"})  # a change that needs a rewrite
    before = plan_2011.read_bytes()
    libro = LibroArchivo(plan_2011)
    with pytest.raises(HojaEditadaError) as error:
        generar_hojas(libro)
    assert "«VINCULACIÓN» (fila 8)" in error.value.mensaje
    assert "se modificó a mano" in error.value.mensaje
    assert not libro.guardar() and plan_2011.read_bytes() == before


def test_cli_refuses_hand_edit_and_renaming_keeps_it(plan_2011):
    generar(plan_2011)
    _edit(plan_2011, "CAPACITACIÓN", "C8", "Reunión (corregida a mano)")
    result = CliRunner().invoke(app, ["generar-hojas", str(plan_2011)])
    assert result.exit_code == 2
    assert "CAPACITACIÓN" in result.output and "Traceback" not in result.output
    # The way out the message gives: rename the sheet to keep it; it is no longer ours.
    wb = openpyxl.load_workbook(plan_2011)
    wb["CAPACITACIÓN"].title = "Capacitación editada"
    wb.save(plan_2011)
    result = CliRunner().invoke(app, ["generar-hojas", str(plan_2011)])
    assert result.exit_code == 0, result.output
    assert "Creadas: «CAPACITACIÓN»" in result.output
    wb = openpyxl.load_workbook(plan_2011)
    assert wb["Capacitación editada"]["C8"].value == "Reunión (corregida a mano)"
    assert wb["CAPACITACIÓN"]["C8"].value.startswith("Reunión de capacitación complementaria")


def test_deleting_a_generated_sheet_regenerates_it(plan_2011):
    generar(plan_2011)
    wb = openpyxl.load_workbook(plan_2011)
    del wb["DIFUSIÓN"]
    wb.save(plan_2011)
    hecho, _ = generar(plan_2011)
    assert hecho.creadas == ["DIFUSIÓN"]


@pytest.mark.parametrize(
    ("programa", "tomados", "esperado"),
    [
        ("VINCULACIÓN", [], "VINCULACIÓN"),
        ("Difusión [2011]: web/impresos*?", [], "Difusión -2011-- web-impresos--"),
        ("A" * 40, [], "A" * 31),
        ("Plan", ["plan"], "Plan (2)"),
        ("B" * 40, ["B" * 31], "B" * 27 + " (2)"),
        ("   ", [], "Sin programa"),
        ("'Citado'", [], "Citado"),
    ],
)
def test_sheet_names_valid_and_unique(programa, tomados, esperado):
    nombre = nombre_hoja(programa, tomados)
    assert nombre == esperado
    assert len(nombre) <= 31 and not re.search(r"[\[\]:*?/\\]", nombre)


def test_with_avance_realizado_row_and_state_colours():
    plan = read_document(DOCUMENTO_2011)
    realizado = (None, 1.0, 2.0) + (None,) * 9
    colores = ("63BE7B", "FF7C80", "F4B183") + (None,) * 9
    seguimiento = ProgresoHojas(
        dt.date(2011, 3, 31), {"8": AvanceMeta(realizado, colores)}, (("Cumplido", "63BE7B"),)
    )
    hoja = hoja_area(plan, "CAPACITACIÓN", "CAPACITACIÓN", seguimiento)
    assert hoja.filas[3][0].startswith("Avance al 31 de marzo de 2011")
    meta8 = next(i for i, f in enumerate(hoja.filas) if len(f) > 1 and f[1] == 8)
    assert hoja.filas[meta8][5:8] == ["Prog.", 1, 2]  # planned values stay the cell values
    assert hoja.filas[meta8 + 1][4:9] == [3, "Real.", None, 1, 2]
    # Month colours go through Libro.colorear (mirror + conditional formats), not styles.
    colores_mes = colores_meses(plan, "CAPACITACIÓN", seguimiento)
    assert colores_mes is not None and colores_mes.area == "G7:R10"
    fills = {c: color for color, cells in colores_mes.rellenos.items() for c in cells}
    assert fills == {
        f"G{meta8 + 1}": "63BE7B",
        f"H{meta8 + 1}": "FF7C80",
        f"I{meta8 + 1}": "F4B183",
    }
    assert not any(e.relleno for a, e in hoja.estilos if ":" not in a)  # no per-cell fill
    # One style per column band, whatever the number of metas; the Realizado row is one
    # line and the meta's row holds its texts (autofit in Excel, estimates in files).
    assert len(hoja.estilos) <= 12 and hoja.autoajuste == "7:10"
    assert hoja.altos[meta8 + 2] == 15.0 and hoja.altos[meta8 + 1] > 15.0


def test_colour_only_change_rewrites_the_sheet(plan_2011, tmp_path):
    generar(plan_2011)
    colores = ("FF7C80",) + (None,) * 11
    seguimiento = ProgresoHojas(dt.date(2011, 1, 31), {"1": AvanceMeta((None,) * 12, colores)})
    libro = LibroArchivo(plan_2011)
    assert generar_hojas(libro, seguimiento).creadas == []
    assert libro.guardar()
    libro = LibroArchivo(plan_2011)
    seguimiento = ProgresoHojas(
        dt.date(2011, 1, 31), {"1": AvanceMeta((None,) * 12, ("63BE7B",) + (None,) * 11)}
    )
    hecho = generar_hojas(libro, seguimiento)
    assert "VINCULACIÓN" in hecho.actualizadas and libro.guardar()
    assert relleno(plan_2011, "VINCULACIÓN", "G7") == "63BE7B"
    assert openpyxl.load_workbook(plan_2011).sheetnames.index("VINCULACIÓN") == 1


def test_avance_sheet_colours_months_through_the_state_modules(plan_2011):
    plan = read_document(DOCUMENTO_2011)
    hoja = avance.avance_sheet(plan)
    for row in hoja.filas[4:]:
        if row[1] == 7:  # CAPACITACIÓN, meta 7: MAR 5 planned, 5 done; ABR 3 planned, none
            row += [None, None, 5]
    libro = LibroArchivo(plan_2011)
    libro.poner_hoja(hoja)
    libro.poner_hoja(config.config_sheet(config.Configuracion(fecha_corte=dt.date(2011, 4, 30))))
    hecho = generar_hojas(libro)
    assert hecho.corte == dt.date(2011, 4, 30) and libro.guardar()
    assert hoja_leida(plan_2011, "CAPACITACIÓN") == documento_por_programa()["CAPACITACIÓN"]
    ws = openpyxl.load_workbook(plan_2011)["CAPACITACIÓN"]
    assert ws["B7"].value == 7 and ws["F7"].value == "Prog." and ws["F8"].value == "Real."
    assert ws["I8"].value == 5 and ws["E8"].value == 5
    assert relleno(plan_2011, "CAPACITACIÓN", "I7") == "63BE7B"  # MAR cumplido
    assert relleno(plan_2011, "CAPACITACIÓN", "J7") == "FF7C80"  # ABR vencido
    assert generar_hojas(LibroArchivo(plan_2011)).sin_cambios == AREAS
