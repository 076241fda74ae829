"""The remote-engine harness (tests/support/remote.py), proved on real files.

Also pins the facts docs/xlwings-remote.md states about xlwings' remote engine, so an
xlwings upgrade that changes them fails here first.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlwings as xw
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from tests.support.remote import (
    EXCEL_MAX_ROWS,
    UnknownActionError,
    apply_actions,
    count_operations,
    operation_breakdown,
    payload_from_file,
    remote_book,
    unsupported_by_vba_client,
)

pytestmark = pytest.mark.excel

QUICKSTART = Path(xw.__file__).parent / "quickstart_standalone.xlsm"
FORMULA_TEXT = "=Meta duplicada, revisar"
EXPECTED_PLAN = [
    ["Programa Metas y Objetivos 2011", None, None, None, None, None],
    ["PROGRAMA", "META", "DESCRIPCIÓN DE LA META", "UNIDAD DE MEDIDA", "PROGRAMA ANUAL", "CORTE"],
    ["Vinculación", 1, "Firmar convenios con municipios", "Convenio", 22, dt.datetime(2011, 3, 31)],
    [None, 2, FORMULA_TEXT, "Evento", 7.5, None],
    ["Difusión", 3, "Campañas en radio — señal estatal", None, None, None],
]


def _calamine_rows(path: Path, sheet: str) -> list[list[object]]:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    out = []
    for row in rows:
        cells = []
        for value in row:
            if value == "":
                value = None
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            cells.append(value)
        out.append(cells)
    return out


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    """A plan-like workbook: accents, numbers, blanks, a date, text starting with "="."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    for row in EXPECTED_PLAN:
        ws.append(row)
    ws["C4"].data_type = "s"  # keep "=…" as text in the file, as the workbook holds it
    ws["F3"].number_format = "dd/mm/yyyy"
    ws.sheet_view.selection[0].sqref = "B3:C4"
    ws.sheet_view.selection[0].activeCell = "B3"
    ws.add_table(
        Table(
            displayName="TablaPlan",
            ref="A2:F5",
            tableStyleInfo=TableStyleInfo(name="TableStyleMedium2"),
        )
    )
    avance = wb.create_sheet("Avance")
    avance["B2"] = 3
    conf = wb.create_sheet("xlwings.conf")
    conf.sheet_state = "hidden"
    conf.append(["LICENSE_KEY", "noncommercial"])
    wb.defined_names["Corte"] = DefinedName("Corte", attr_text="Plan!$F$3")
    avance.defined_names["Local"] = DefinedName("Local", attr_text="Avance!$B$2:$B$4")
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


# ------------------------------------------------------------------------ payload


def test_payload_for_xlwings_quickstart_matches_the_client_format() -> None:
    payload = payload_from_file(QUICKSTART)
    assert payload["client"] == "VBA"
    assert payload["version"] == xw.__version__
    assert payload["book"]["name"] == "quickstart_standalone.xlsm"
    assert set(payload["book"]) == {"name", "active_sheet_index", "selection"}
    names = [s["name"] for s in payload["sheets"]]
    assert names == openpyxl.load_workbook(QUICKSTART, keep_vba=True).sheetnames
    for sheet in payload["sheets"]:
        assert set(sheet) == {"name", "pictures", "tables", "values"}
    conf = next(s for s in payload["sheets"] if s["name"] == "_xlwings.conf")
    assert conf["values"] == _calamine_rows(QUICKSTART, "_xlwings.conf")
    empty = next(s for s in payload["sheets"] if s["name"] == "Sheet1")
    assert empty["values"] == [[]]  # the client's Array(Array()) for an empty sheet
    json.dumps(payload)  # JSON-serialisable, as sent over HTTP

    with remote_book(payload) as book:
        assert [s.name for s in book.sheets] == names
        assert book.sheets["_xlwings.conf"].used_range.value == conf["values"]


def test_payload_for_plan_file(plan_file: Path) -> None:
    payload = payload_from_file(plan_file, caller_sheet="Plan")
    plan = payload["sheets"][0]
    assert plan["values"][2][5] == "2011-03-31T00:00:00.000Z"  # the client's date encoding
    assert plan["values"][3][2] == FORMULA_TEXT
    assert plan["values"][3][4] == 7.5 and plan["values"][2][1] == 1
    assert payload["book"] == {"name": "plan.xlsx", "active_sheet_index": 0, "selection": "B3:C4"}
    assert plan["tables"] == [
        {
            "name": "TablaPlan",
            "range_address": "$A$2:$F$5",
            "header_row_range_address": "$A$2:$F$2",
            "data_body_range_address": "$A$3:$F$5",
            "total_row_range_address": None,
            "show_headers": True,
            "show_totals": False,
            "table_style": "TableStyleMedium2",
            "show_autofilter": True,
        }
    ]
    assert payload["names"] == [
        {
            "name": "Corte",
            "sheet_index": 0,
            "address": "F3",
            "book_scope": True,
            "scope_sheet_name": None,
            "scope_sheet_index": None,
        },
        {
            "name": "Avance!Local",
            "sheet_index": 1,
            "address": "B2:B4",
            "book_scope": False,
            "scope_sheet_name": "Avance",
            "scope_sheet_index": 1,
        },
    ]
    avance = payload_from_file(plan_file, caller_sheet="avance")
    assert avance["book"]["active_sheet_index"] == 1
    assert avance["sheets"][1]["values"] == [[None, None], [None, 3]]  # anchored at A1


def test_remote_book_reads_back_what_calamine_reads(plan_file: Path) -> None:
    with remote_book(plan_file, caller_sheet="Plan") as book:
        assert xw.Book.caller().name == "plan.xlsx"
        sheet = xw.Book.caller().sheets.active
        assert sheet.name == "Plan"
        assert sheet.used_range.address == "$A$1:$F$5"
        assert sheet.used_range.value == _calamine_rows(plan_file, "Plan") == EXPECTED_PLAN
        assert book.sheets["Plan"]["Corte"].value == dt.datetime(2011, 3, 31)
        assert book.sheets["Plan"]["TablaPlan"].address == "$A$3:$F$5"
        assert book.sheets["Avance"].range("B2").value == 3
    # remote_book removed the class-level mock again (on Linux, caller() without a mock
    # fails with AttributeError: module 'xlwings' has no attribute '_xlwindows')
    assert not hasattr(xw.Book, "_mock_caller")
    with pytest.raises(AttributeError):
        xw.Book.caller()


# ------------------------------------------------------------------------ actions


def test_write_add_colour_alert_apply_and_read_back(plan_file: Path, tmp_path: Path) -> None:
    with remote_book(plan_file) as book:
        plan = book.sheets["Plan"]
        block = [["Meta", "Total", "Nota"], [1, 22, "'" + FORMULA_TEXT], [2, 7.5, "ok"]]
        plan.range("H2").value = block
        plan.range("K2").value = [[FORMULA_TEXT]]  # unescaped: Excel makes it a formula
        plan.range("L2").number_format = "@"
        plan.range("L2").value = FORMULA_TEXT  # formatted as text first: stays text
        new = book.sheets.add("Vinculación", after=book.sheets[-1])
        new.range("A1").value = [["Área", "Metas"], ["Vinculación", 2]]
        plan.range("A3:B4").color = "#C6EFCE"
        plan.range("F3").color = (255, 199, 206)
        plan.range("A5").color = None
        book.sheets["Avance"].delete()
        book.app.alert("Recalculado: 3 metas.", title="Metas y Objetivos", mode="info")
        actions = book.json()["actions"]

    assert operation_breakdown(actions) == {
        "setValues": 4,
        "setRangeColor": 3,
        "setNumberFormat": 1,
        "addSheet": 1,
        "sheetDelete": 1,
        "alert": 1,
    }
    assert count_operations(actions) == count_operations({"actions": actions}) == 11
    assert unsupported_by_vba_client(actions) == []
    assert actions[0] == {
        "func": "setValues",
        "args": [None],
        "values": block,
        "sheet_position": 0,
        "start_row": 1,
        "start_column": 7,
        "row_count": 3,
        "column_count": 3,
    }
    add = next(a for a in actions if a["func"] == "addSheet")
    assert add["args"] == [3, "Vinculación"] and add["sheet_position"] is None
    colour = next(a for a in actions if a["func"] == "setRangeColor")
    assert colour["args"] == ["#C6EFCE"] and (colour["row_count"], colour["column_count"]) == (2, 2)
    alert = actions[-1]
    assert alert["func"] == "alert"
    assert alert["args"] == ["Recalculado: 3 metas.", "Metas y Objetivos", "ok", "info", ""]

    copy = tmp_path / "copia.xlsx"
    shutil.copy(plan_file, copy)
    applied = apply_actions(actions, copy)
    applied.save(copy)
    assert applied.alerts == [
        {
            "prompt": "Recalculado: 3 metas.",
            "title": "Metas y Objetivos",
            "buttons": "ok",
            "mode": "info",
            "callback": "",
        }
    ]
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames == ["Plan", "xlwings.conf", "Vinculación"]
    assert wb["xlwings.conf"].sheet_state == "hidden"
    ws = wb["Plan"]
    assert [[c.value for c in row] for row in ws["H2:J4"]] == [
        ["Meta", "Total", "Nota"],
        [1, 22, FORMULA_TEXT],
        [2, 7.5, "ok"],
    ]
    assert ws["J3"].data_type == "s" and ws["J3"].quotePrefix  # apostrophe: text
    assert ws["K2"].data_type == "f"  # no apostrophe: Excel would store a formula
    assert ws["L2"].data_type == "s" and ws["L2"].value == FORMULA_TEXT  # "@" first: text
    assert ws["A3"].fill.fgColor.rgb == ws["B4"].fill.fgColor.rgb == "FFC6EFCE"
    assert ws["C3"].fill.fill_type is None
    assert ws["F3"].fill.fgColor.rgb == "FFFFC7CE"
    assert [[c.value for c in row] for row in wb["Vinculación"]["A1:B2"]] == [
        ["Área", "Metas"],
        ["Vinculación", 2],
    ]
    # the rest of the sheet is untouched and still reads as calamine read it
    assert [[c.value for c in row] for row in ws["A1:F5"]][:3] == EXPECTED_PLAN[:3]


def test_multi_area_addresses_are_not_supported_by_the_remote_engine(plan_file: Path) -> None:
    with remote_book(plan_file) as book:
        sheet = book.sheets["Plan"]
        with pytest.raises(ValueError):
            sheet.range("A1:B2,D4,F6:F9").color = "#FF0000"
        # Two areas are *silently* cut to the first one: D4 is lost.
        sheet.range("A1:B2,D4").color = "#FF0000"
        sheet.range("D4,F6").color = "#FF0000"
        actions = book.json()["actions"]
    assert [
        (a["start_row"], a["start_column"], a["row_count"], a["column_count"]) for a in actions
    ] == [
        (0, 0, 2, 2),
        (3, 3, 1, 1),
    ]


def test_per_cell_colours_are_one_action_but_not_in_the_vba_client(plan_file: Path) -> None:
    with remote_book(plan_file) as book:
        book.sheets["Plan"].range("G3:H4").set_colors([["#FF0000", ...], [None, (0, 176, 80)]])
        actions = book.json()["actions"]
    assert actions[0]["func"] == "setRangeColors"
    assert actions[0]["args"] == [[["#ff0000", "keep"], [None, "#00b050"]]]
    assert unsupported_by_vba_client(actions) == ["setRangeColors"]
    with pytest.raises(UnknownActionError):
        apply_actions(actions, plan_file, vba_client_only=True)
    ws = apply_actions(actions, plan_file).workbook["Plan"]
    assert ws["G3"].fill.fgColor.rgb == "FFFF0000" and ws["H4"].fill.fgColor.rgb == "FF00B050"


def test_ui_state_actions(plan_file: Path) -> None:
    with remote_book(plan_file) as book:
        with pytest.raises(NotImplementedError):
            _ = book.app.screen_updating  # cannot be read on this engine
        with pytest.raises(NotImplementedError):
            _ = book.app.calculation  # the VBA client does not send it
        with pytest.raises(KeyError):
            _ = book.sheets["xlwings.conf"].visible  # nor sheet visibility
        book.app.screen_updating = False
        book.app.calculation = "manual"
        book.sheets["Avance"].visible = False
        book.sheets["Avance"].activate()
        book.sheets["Plan"].range("A:F").autofit()
        book.app.calculation = "automatic"
        book.app.screen_updating = True
        actions = book.json()["actions"]
    assert [a["func"] for a in actions] == [
        "setScreenUpdating",
        "setCalculation",
        "setSheetVisibility",
        "activateSheet",
        "setAutofit",
        "setAutofit",
        "setCalculation",
        "setScreenUpdating",
    ]
    assert unsupported_by_vba_client(actions) == [
        "setCalculation",
        "setScreenUpdating",
        "setSheetVisibility",
    ]
    applied = apply_actions(actions, plan_file)
    assert applied.workbook["Avance"].sheet_state == "hidden"
    assert applied.workbook.active.title == "Avance"
    assert applied.noops.count("setAutofit") == 2


def test_unknown_action_is_an_error(plan_file: Path) -> None:
    with pytest.raises(UnknownActionError, match="frobnicate"):
        apply_actions([{"func": "frobnicate", "args": []}], plan_file)


def test_chart_and_freeze_panes_are_replayed(tmp_path: Path) -> None:
    src = tmp_path / "grafica.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Hoja"
    wb.save(src)
    with remote_book(src) as book:
        # The VBA payload has no "charts" field: a chart on a sheet that came in the
        # payload fails on its first set_source_data. A sheet added in the press works.
        vieja = book.sheets["Hoja"]
        with pytest.raises(KeyError, match="charts"):
            vieja.charts.add(anchor=vieja["A1"]).set_source_data(vieja["A1:B2"])
        sheet = book.sheets.add("Datos", after=vieja)
        sheet["A1"].value = [[None, "Ene", "Feb", "Mar"], ["Programado", 1, 2, 3]]
        sheet["A3"].value = [["Realizado", 1, 1, None]]
        sheet.freeze_panes.freeze_at("B2")
        chart = sheet.charts.add(width=300, height=150, chart_type="line", anchor=sheet["A6"])
        chart.set_source_data(sheet["A2:D3"], plot_by="rows")
        chart.set_x_axis_values(sheet["B1:D1"])
        chart.title = "Avance"
        actions = book.json()["actions"]
    assert [a["func"] for a in actions][-4:] == [
        "freezePaneAtRange",
        "addChart",
        "setChartXAxisValues",
        "setChartTitle",
    ]
    applied = apply_actions(actions, src).workbook["Datos"]
    assert applied.freeze_panes == "B2"
    [replayed] = applied._charts
    assert type(replayed).__name__ == "LineChart"
    assert replayed.anchor == "A6"
    assert round(replayed.width, 2) == round(300 * 2.54 / 72, 2)
    assert [s.tx.strRef.f for s in replayed.series] == ["'Datos'!A2", "'Datos'!A3"]
    assert [s.val.numRef.f for s in replayed.series] == ["'Datos'!$B$2:$D$2", "'Datos'!$B$3:$D$3"]
    assert {s.cat.numRef.f for s in replayed.series} == {"'Datos'!$B$1:$D$1"}
    # No client in the xlwings package applies them: Office.js add-in only.
    assert set(unsupported_by_vba_client(actions[-4:])) == {
        "addChart",
        "freezePaneAtRange",
        "setChartTitle",
        "setChartXAxisValues",
    }


def test_charts_the_harness_cannot_place_are_errors(plan_file: Path) -> None:
    pie = ["Chart", "Pie", "Plan", "$A$1:$B$2", None, None, 100, 100, None, "$D$1", 227]
    with pytest.raises(UnknownActionError, match="Pie"):
        apply_actions([{"func": "addChart", "args": pie, "sheet_position": 0}], plan_file)
    with pytest.raises(UnknownActionError, match="only a cell"):
        action = {"func": "freezePaneAtRange", "args": ["1:1"], "sheet_position": 0}
        apply_actions([action], plan_file)


# ------------------------------------------------------------- sheet to row 1,048,576


def test_sheet_formatted_down_to_the_last_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["META", "PROGRAMA ANUAL"])
    ws.append([1, 22])
    ws.append([2, 7])
    ws.cell(EXCEL_MAX_ROWS, 1).number_format = "0"  # formatted only, no value
    path = tmp_path / "largo.xlsx"
    wb.save(path)

    payload = payload_from_file(path)
    values = payload["sheets"][0]["values"]
    assert len(values) == EXCEL_MAX_ROWS  # the used range the client would send
    assert values[:3] == [["META", "PROGRAMA ANUAL"], [1, 22], [2, 7]]
    with remote_book(payload) as book:
        sheet = book.sheets["Plan"]
        used = sheet.used_range
        assert used.address == "$A$1:$B$1048576"
        assert used.shape == (EXCEL_MAX_ROWS, 2)
        # Read a bounded block and stop at the first all-blank block instead of
        # used_range.value (which materialises a million rows).
        first = sheet.range((1, 1), (10_000, 2)).value
        assert first[:3] == [["META", "PROGRAMA ANUAL"], [1, 22], [2, 7]]
        assert all(v is None for row in first[3:] for v in row)
        # Range.end("up") does not jump over blanks on this engine (it does in Excel).
        assert sheet.range((EXCEL_MAX_ROWS, 1)).end("up").row == EXCEL_MAX_ROWS
