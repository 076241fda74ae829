"""The Plan flags its own errors where they are edited: conditional formats that follow
the values (a fixed value loses its mark), and rows as tall as their wrapped texts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from typer.testing import CliRunner

from tests.support.planes import meta_row
from tests.support.png import bandas
from xl_metas.cli import app
from xl_metas.plan_sheet import RELLENO_ERROR

runner = CliRunner()
ROSA = (0xFF, 0xC7, 0xCE)
SHIPPED = Path(__file__).resolve().parent.parent / "workbook" / "Metas2011.xlsm"


def reglas(ruta: Path, hoja: str = "Plan") -> dict[str, list[str]]:
    ws = openpyxl.load_workbook(ruta)[hoja]
    return {
        str(cf.sqref): [r.formula[0] if r.formula else r.type for r in cf.rules]
        for cf in ws.conditional_formatting
    }


def test_recalcular_puts_the_marks_once(plan_2011: Path) -> None:
    assert runner.invoke(app, ["recalcular", str(plan_2011)]).exit_code == 0
    marcas = reglas(plan_2011)
    assert set(marcas) == {"F5:F1048576", "F5:R1048576"}
    assert 'N("xl-metas:anual")' in marcas["F5:F1048576"][0]
    assert 'N("xl-metas:cantidades")' in marcas["F5:R1048576"][0]
    with zipfile.ZipFile(plan_2011) as z:
        assert RELLENO_ERROR in z.read("xl/styles.xml").decode()  # the rules' fill
    antes = plan_2011.read_bytes()
    result = runner.invoke(app, ["recalcular", str(plan_2011)])
    assert "no se modificó" in result.output
    assert plan_2011.read_bytes() == antes


def test_the_users_own_formats_on_the_plan_stay(make_plan, tmp_path: Path) -> None:
    ruta = make_plan([meta_row(1), meta_row(2, anual=13)])
    wb = openpyxl.load_workbook(ruta)
    rojo = PatternFill("solid", start_color="FF0000", end_color="FF0000")
    wb["Plan"].conditional_formatting.add(
        "G5:G20", CellIsRule(operator="greaterThan", formula=["5"], fill=rojo)
    )
    wb.save(ruta)
    runner.invoke(app, ["recalcular", str(ruta)])
    marcas = reglas(ruta)
    assert marcas["G5:G20"] == ["5"]
    assert "F5:F1048576" in marcas


def test_the_shipped_workbook_carries_the_marks() -> None:
    marcas = reglas(SHIPPED)
    assert 'N("xl-metas:anual")' in marcas["F5:F1048576"][0]
    assert 'N("xl-metas:cantidades")' in marcas["F5:R1048576"][0]


def test_plan_rows_fit_their_wrapped_text(plan_2011: Path) -> None:
    ws = openpyxl.load_workbook(plan_2011)["Plan"]
    assert ws.row_dimensions[4].height == 45  # the header's three lines
    # meta 7's objetivo runs over several lines of column B (width 48)
    assert ws.row_dimensions[11].height >= 75
    assert ws.row_dimensions[14].height in (None, 15)  # one line: the default height


@pytest.mark.libreoffice
def test_libreoffice_shows_metas_7_and_20_flagged_until_fixed(
    plan_2011: Path, tmp_path: Path
) -> None:
    from tests.support import lo

    lo.require_libreoffice(render=True)
    runner.invoke(app, ["recalcular", str(plan_2011)])
    paginas = lo.render_png(plan_2011, tmp_path / "antes", sheets=["Plan"], dpi=60)
    assert sum(bandas(p, ROSA) for p in paginas) == 2  # F11 (meta 7) and F24 (meta 20)
    wb = openpyxl.load_workbook(plan_2011)
    wb["Plan"]["F11"] = 21  # the user fixes meta 7's annual target
    wb.save(plan_2011)
    paginas = lo.render_png(plan_2011, tmp_path / "despues", sheets=["Plan"], dpi=60)
    assert sum(bandas(p, ROSA) for p in paginas) == 1  # the rule follows the value
