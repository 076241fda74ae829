"""leer: the workbook read once; what is wrong but lets the rest go on is a finding."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.libros_avance import libro_muestra
from xl_metas.cli import app
from xl_metas.lectura import leer
from xl_metas.workbook_file import LibroArchivo

runner = CliRunner()


@pytest.fixture
def avance_roto(tmp_path: Path) -> Path:
    """The 2011 plan with the sample Avance, whose META header a user overwrote."""
    path = libro_muestra(tmp_path / "Metas.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Avance"]
    cell = next(c for c in ws[4] if c.value == "META")
    cell.value = "NÚMERO"
    wb.save(path)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_unreadable_avance_is_a_finding(avance_roto: Path) -> None:
    lectura = leer(LibroArchivo(avance_roto))
    assert lectura.avance is None and lectura.avance_ilegible
    [h] = [h for h in lectura.hallazgos if h.regla == "avance-ilegible"]
    assert h.hoja == "Avance" and "META" in h.mensaje


def test_validar_still_checks_the_plan(avance_roto: Path) -> None:
    result = runner.invoke(app, ["validar", str(avance_roto), "--json"])
    assert result.exit_code == 1, result.output
    reglas = [h["regla"] for h in json.loads(result.stdout)]
    assert "avance-ilegible" in reglas and reglas.count("anual-vs-calendario") == 2


@pytest.mark.parametrize("comando", ["vencidos", "generar-hojas"])
def test_commands_that_write_on_avance_refuse(avance_roto: Path, comando: str) -> None:
    antes = sha(avance_roto)
    result = runner.invoke(app, [comando, str(avance_roto)])
    assert result.exit_code == 2, result.output
    assert "Avance" in result.output and "META" in result.output
    assert "Traceback" not in result.output
    assert sha(avance_roto) == antes  # the user's sheet is never replaced by a blank one


def test_recalcular_reports_it_in_validacion(avance_roto: Path) -> None:
    result = runner.invoke(app, ["recalcular", str(avance_roto)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(avance_roto)["Validación"]
    assert any(c.value == "avance-ilegible" for row in ws.iter_rows() for c in row)
