"""The command line: exit codes, JSON, and clear Spanish errors on bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from typer.testing import CliRunner

from tests.support.planes import DOCUMENTO_2011, meta_row
from xl_metas import cli_salida
from xl_metas.cli import app
from xl_metas.plan_sheet import ENCABEZADOS_PLAN
from xl_metas.render import hoja_espejo

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_importar_creates_the_workbook(tmp_path: Path):
    target = tmp_path / "nuevo.xlsx"
    result = run("importar", DOCUMENTO_2011, "-o", target)
    assert result.exit_code == 0, result.output
    assert "20 metas en 3 programas del año 2011" in result.output
    wb = openpyxl.load_workbook(target)
    hojas = ["Inicio", "Plan", "Avance", "Configuración", hoja_espejo("Avance")]
    assert wb.sheetnames[:5] == hojas  # then the templates xlwings Lite copies, very hidden
    assert {wb[h].sheet_state for h in wb.sheetnames[5:]} == {"veryHidden"}
    assert wb["Plan"]["C5"].value == 1 and wb["Plan"]["A1"].value.startswith("INSTITUTO")
    assert wb[hoja_espejo("Avance")].sheet_state == "hidden"


def test_validar_exit_1_with_errors_and_json_keys(plan_2011):
    result = run("validar", plan_2011, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {tuple(sorted(f)) for f in data} == {
        ("celda", "hoja", "mensaje", "meta", "regla", "severidad")
    }
    assert [(f["meta"], f["severidad"]) for f in data if f["severidad"] == "error"] == [
        ("7", "error"),
        ("20", "error"),
    ]


def test_validar_exit_0_without_errors(make_plan):
    path = make_plan([meta_row(1), meta_row(2, unidad="Visita")])  # only a warning
    result = run("validar", path)
    assert result.exit_code == 0, result.output
    assert "advertencia" in result.output


def test_resumen_json_shape_and_2011_totals(plan_2011):
    result = run("resumen", plan_2011, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    meta7 = next(m for m in data["metas"] if m["meta"] == 7)
    assert meta7 == {
        "meta": 7,
        "programa": "CAPACITACIÓN",
        "anual": 22,
        "suma_calendario": 21,
        "diferencia": -1,
        "meses": [0, 0, 5, 3, 2, 0, 0, 0, 5, 5, 1, 0],
        "unidad": "Reuniones",
        "clase": "conteo",
        "trimestres": [5, 5, 5, 6],
    }
    programas = {p["programa"]: p for p in data["programas"]}
    assert list(programas) == ["VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"]
    # Hand sums from the document: annual 4+36+20+1+10+1, 22+18, 5+10+10+1+12+16+3+4+1+4+1+7.
    assert [p["anual"] for p in programas.values()] == [72, 40, 74]
    assert [p["suma_calendario"] for p in programas.values()] == [72, 39, 79]
    assert programas["CAPACITACIÓN"]["meses"] == [1, 2, 6, 5, 3, 2, 1, 2, 6, 7, 2, 2]
    assert programas["CAPACITACIÓN"]["trimestres"] == [9, 10, 9, 11]
    for p in data["programas"]:
        assert sum(p["trimestres"]) == sum(p["meses"]) == p["suma_calendario"]
    assert data["total"]["anual"] == 186 and data["total"]["suma_calendario"] == 190


def test_recalcular_writes_columns_and_validacion_then_nothing_changes(plan_2011):
    result = run("recalcular", plan_2011)
    assert result.exit_code == 0, result.output
    assert "2 errores, 1 advertencia, 0 info" in result.output
    wb = openpyxl.load_workbook(plan_2011)
    plan = wb["Plan"]
    assert (plan["S4"].value, plan["T4"].value) == ("SUMA DEL CALENDARIO", "DIFERENCIA")
    assert (plan["S11"].value, plan["T11"].value) == (21, -1)  # meta 7
    assert (plan["S24"].value, plan["T24"].value) == (12, 5)  # meta 20
    assert wb.sheetnames == ["Plan", "Validación"]
    link = wb["Validación"]["D5"]
    assert link.value == "F11" and link.hyperlink.location == "'Plan'!F11"
    before = plan_2011.read_bytes()
    again = run("recalcular", plan_2011)
    assert again.exit_code == 0 and "no se modificó" in again.output
    assert plan_2011.read_bytes() == before


def test_recalcular_keeps_a_backup_of_the_previous_file(plan_2011):
    original = plan_2011.read_bytes()
    assert run("recalcular", plan_2011).exit_code == 0
    assert plan_2011.with_name(plan_2011.name + ".bak").read_bytes() == original


# -- bad input: a clear Spanish message naming the file, exit 2, file untouched --------


def assert_clean_failure(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output


def test_not_a_workbook(tmp_path: Path):
    path = tmp_path / "notas.txt"
    path.write_text("hola", encoding="utf-8")
    assert_clean_failure(run("validar", path), "notas.txt", "no es un libro de Excel")


def test_text_file_named_xlsx(tmp_path: Path):
    path = tmp_path / "falso.xlsx"
    path.write_text("hola", encoding="utf-8")
    # A text file is not a damaged workbook: the message says what it is.
    assert_clean_failure(run("recalcular", path), "falso.xlsx", "archivo de texto")
    assert path.read_text(encoding="utf-8") == "hola"


def test_truncated_zip(plan_2011):
    data = plan_2011.read_bytes()
    plan_2011.write_bytes(data[: len(data) // 2])
    assert_clean_failure(run("recalcular", plan_2011), plan_2011.name, "dañado")
    assert plan_2011.read_bytes() == data[: len(data) // 2]


def test_zip_that_is_not_a_workbook(tmp_path: Path):
    path = tmp_path / "otro.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hola.txt", "no soy un libro")
    assert_clean_failure(run("validar", path), "otro.xlsx")


def test_missing_file(tmp_path: Path):
    assert_clean_failure(run("resumen", tmp_path / "no-existe.xlsx"), "No existe")


def test_missing_plan_sheet(make_plan):
    path = make_plan([meta_row(1)], sheet="Hoja1")
    assert_clean_failure(run("validar", path), "plan.xlsx", "no tiene la hoja «Plan»", "«Hoja1»")


def test_misspelled_column_names_the_cell(make_plan):
    header = list(ENCABEZADOS_PLAN[:18])
    header[3] = "DESCRIPCON DE LA META"
    path = make_plan([meta_row(1)], header=header)
    assert_clean_failure(
        run("recalcular", path),
        "plan.xlsx",
        "hoja «Plan»",
        "«DESCRIPCIÓN DE LA META»",
        "«DESCRIPCON DE LA META» en la celda D4",
    )


def test_missing_header_row(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.title = "Plan"
    wb.active["A1"] = "nada"
    path = tmp_path / "sin.xlsx"
    wb.save(path)
    assert_clean_failure(run("validar", path), "sin.xlsx", "fila de encabezados")


def test_headers_in_any_order_and_spelling(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "plan"
    header = ["meta", "Unidad de Medida", "Programa", "Descripcion de la meta", "objetivo"]
    months = ["enero", "FEB", "Mar", "abr", "MAY", "jun", "jul", "AGO", "sep", "oct", "nov", "dic"]
    ws.append(["título"])
    ws.append([*header, "Programa Anual", *months])
    ws.append([1, "Visitas", "VINCULACIÓN", "D", "O", 13, *([1] * 12)])
    path = tmp_path / "desordenado.xlsx"
    wb.save(path)
    result = run("validar", path, "--json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert (finding["celda"], finding["meta"]) == ("F3", "1")


def test_text_in_a_number_is_a_finding_not_a_crash(make_plan):
    path = make_plan([meta_row(1, meses=["dos"] + [1] * 11)])
    result = run("validar", path, "--json")
    assert result.exit_code == 1
    assert any(f["celda"] == "G5" for f in json.loads(result.stdout))
    assert run("recalcular", path).exit_code == 0


def test_sheet_formatted_down_to_the_last_row(make_plan):
    path = make_plan([meta_row(1), meta_row(2)])
    wb = openpyxl.load_workbook(path)
    wb["Plan"].cell(row=1_048_576, column=7).fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    assert openpyxl.load_workbook(path)["Plan"].max_row == 1_048_576
    result = run("recalcular", path)
    assert result.exit_code == 0, result.output
    assert "2 metas recalculadas" in result.output
    assert openpyxl.load_workbook(path)["Plan"]["S6"].value == 12


def test_help_and_usage_errors_are_in_spanish():
    result = run("--help")
    assert result.exit_code == 0
    for word in ("Uso:", "Opciones", "Comandos", "Muestra esta ayuda", "[OPCIONES]"):
        assert word in result.output
    assert "Show this message" not in result.output and "Options" not in result.output
    validar_help = run("validar", "--help").output
    assert (
        "<ruta>" in validar_help and "<path>" not in validar_help and "<bool>" not in validar_help
    )
    missing = run("validar")
    assert missing.exit_code == 2 and "Falta el argumento" in missing.output
    unknown = run("validar", "x.xlsx", "--nada")
    assert unknown.exit_code == 2 and "No existe la opción: --nada" in unknown.output


def test_error_messages_keep_brackets_in_file_names(tmp_path: Path):
    path = tmp_path / "[copia] plan.txt"
    path.write_text("hola", encoding="utf-8")
    assert_clean_failure(run("validar", path), "[copia] plan.txt")


# -- output that holds at any terminal width -------------------------------------------------
@pytest.fixture(params=[40, 80, 250], ids=lambda w: f"{w}-columnas")
def ancho(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The console as wide as a given terminal, whatever COLUMNS the test run has."""
    monkeypatch.setattr(cli_salida.out, "width", request.param)
    monkeypatch.setattr(cli_salida.err, "width", request.param)
    return request.param


def test_messages_are_never_hard_wrapped(ancho: int, tmp_path: Path) -> None:
    target = tmp_path / ("una carpeta con un nombre largo " * 3).strip() / "nuevo libro.xlsx"
    target.parent.mkdir()
    result = run("importar", DOCUMENTO_2011, "-o", target)
    assert result.exit_code == 0, result.output
    assert f"Se creó «{target}» con 20 metas en 3 programas del año 2011.\n" in result.output


def test_validar_fits_the_terminal_or_prints_blocks(ancho: int, plan_2011: Path) -> None:
    result = run("validar", plan_2011)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    mensaje = (
        "En la meta 7 el programa anual (22) no coincide con la suma del calendario (21); "
        "diferencia -1. Corrija el programa anual o los meses."
    )
    if ancho >= 200:  # a table, every message in one cell
        assert any("│" in line and mensaje in line for line in lines)
    else:  # one block per finding, the message whole on its own line
        assert f"  Mensaje: {mensaje}" in lines
        assert "  Hoja: Plan · Celda: F11 · Meta: 7 · Regla: anual-vs-calendario" in lines
    assert all(len(line) <= ancho for line in lines if "│" in line or "━" in line)
    assert lines[-1] == "2 errores, 1 advertencia, 0 info"


def test_resumen_prints_every_figure_at_any_width(ancho: int, plan_2011: Path) -> None:
    result = run("resumen", plan_2011)
    assert result.exit_code == 0, result.output
    if ancho < 120:
        assert "  Anual: 40 · ENE: 1 · FEB: 2 · MAR: 6" in result.output
        assert "T4: 11 · Suma: 39" in result.output
    else:
        fila = next(line for line in result.output.splitlines() if "CAPACITACIÓN" in line)
        assert fila.split("│")[2:5] == ["    40 ", "   1 ", "   2 "]


def test_cabe_counts_borders_and_readable_text() -> None:
    columnas = [cli_salida.Columna("A"), cli_salida.Columna("Texto", texto=True)]
    filas = [["[red]xx[/]", "y" * 100]]
    # 2 + 40 readable cells + 3 per column + 1 = 49
    assert cli_salida.cabe(columnas, filas, 49)
    assert not cli_salida.cabe(columnas, filas, 48)


# -- --json on failure: a script can tell why ---------------------------------------------------
def test_json_failure_names_file_sheet_and_cell(make_plan) -> None:
    header = list(ENCABEZADOS_PLAN[:18])
    header[3] = "DESCRIPCON DE LA META"
    path = make_plan([meta_row(1)], header=header)
    result = run("validar", path, "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["archivo"] == str(path) and error["hoja"] == "Plan" and error["codigo"] == 2
    assert error["celda"] and "DESCRIPCIÓN DE LA META" in error["mensaje"]


@pytest.mark.parametrize(
    "args",
    [
        ("validar", "{falta}", "--json"),
        ("resumen", "{falta}", "--json"),
        ("vencidos", "{plan}", "--corte", "el lunes", "--json"),
    ],
    ids=["validar", "resumen", "vencidos-corte"],
)
def test_json_failure_is_json_with_the_same_exit_code(
    args: tuple[str, ...], plan_2011: Path, tmp_path: Path
) -> None:
    lugares = {"falta": tmp_path / "no existe.xlsx", "plan": plan_2011}
    result = run(*(a.format(**lugares) for a in args))
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["mensaje"] and error["codigo"] == 2 and "Traceback" not in result.output


def test_the_cycle_collector_pauses_for_a_command_and_resumes(
    plan_2011: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command runs with CPython's cycle collector paused (its heap of cells and
    findings is acyclic) and leaves it as it found it, after an error too."""
    import gc

    from xl_metas import operaciones

    durante = []
    validar = operaciones.validate_plan

    def espiar(*args: Any, **kwargs: Any) -> Any:
        durante.append(gc.isenabled())
        return validar(*args, **kwargs)

    monkeypatch.setattr(operaciones, "validate_plan", espiar)
    assert gc.isenabled()
    assert runner.invoke(app, ["validar", str(plan_2011)]).exit_code == 1
    assert runner.invoke(app, ["validar", str(plan_2011.with_name("no.xlsx"))]).exit_code == 2
    assert durante == [False] and gc.isenabled()
