"""The Resumen sheet: programado vs realizado per programa × month and quarter, and its chart."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.support import lo
from tests.support.libros_avance import libro_muestra, libro_plan_avance
from xl_metas import operaciones
from xl_metas.resumen_hoja import ENCABEZADOS_RESUMEN, HOJA_RESUMEN, resumen_sheet
from xl_metas.workbook_file import LibroArchivo

MARZO_3 = [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
FUTURO = [None] * 6


def _libro(tmp_path: Path) -> Path:
    # Meta 1: planned 3 in March, done 3 in May. Meta 2: planned 1 a month, done Jan..Mar.
    return libro_plan_avance(
        tmp_path / "r.xlsx",
        [(1, MARZO_3), (2, [1] * 12)],
        [["VINCULACIÓN", 2, 1, 1, 1], ["VINCULACIÓN", 1, None, None, None, None, 3]],
        corte=dt.date(2011, 6, 30),
    )


def test_valores_a_mano(tmp_path: Path) -> None:
    seg = operaciones.seguimiento(LibroArchivo(_libro(tmp_path)))
    assert seg is not None
    hoja = resumen_sheet(seg)
    assert hoja.filas[4] == list(ENCABEZADOS_RESUMEN)
    programado = [1, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    # Quarters: 1+1+4, 1+1+1, 1+1+1, 1+1+1; total 15.
    assert hoja.filas[5] == ["VINCULACIÓN", "Programado", *programado, 6, 3, 3, 3, 15]
    # Done: Jan..Mar 1 (meta 2), May 3 (meta 1). July on is after the cut-off: blank.
    # T1 = 3, T2 = 3, T3 and T4 wholly after the cut-off: blank. Total 6.
    assert hoja.filas[6] == [None, "Realizado", 1, 1, 1, 0, 3, 0, *FUTURO, 3, 3, None, None, 6]
    # %: 1/1, 1/1, 1/4, 0/1, 3/1, 0/1; T1 3/6, T2 3/3; total 6/15.
    assert hoja.filas[7] == [
        None,
        "% de avance",
        100.0,
        100.0,
        25.0,
        0.0,
        300.0,
        0.0,
        *FUTURO,
        50.0,
        100.0,
        None,
        None,
        40.0,
    ]
    assert hoja.filas[8][:2] == ["TOTAL", "Programado"]
    assert hoja.filas[8][2:] == hoja.filas[5][2:]
    assert hoja.filas[9][2:] == hoja.filas[6][2:]
    (grafica,) = hoja.graficas
    assert grafica.categorias == "C5:N5"
    assert [(s.titulo, s.rango) for s in grafica.series] == [
        ("Programado", "C9:N9"),
        ("Realizado", "C10:N10"),
    ]
    assert "Fecha de corte: 30/06/2011" in hoja.filas[2][0]


def test_recalcular_pone_resumen_con_grafica(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    libro = LibroArchivo(path)
    operaciones.recalcular(libro)
    assert libro.guardar()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames.index(HOJA_RESUMEN) == wb.sheetnames.index("Avance") + 1
    ws = wb[HOJA_RESUMEN]
    assert ws["A6"].value == "VINCULACIÓN" and ws["A15"].value == "TOTAL"
    assert len(ws._charts) == 1


@pytest.mark.libreoffice
def test_libreoffice_dibuja_la_grafica(tmp_path: Path) -> None:
    lo.require_libreoffice(render=True)
    path = libro_muestra(tmp_path / "m.xlsx")
    libro = LibroArchivo(path)
    operaciones.recalcular(libro)
    libro.guardar()
    pages = lo.render_png(path, tmp_path / "png", sheets=[HOJA_RESUMEN])
    assert pages and all(p.stat().st_size > 10_000 for p in pages)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "png" / "m.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "RESUMEN DEL AVANCE 2011" in text
    assert "Programado vs. realizado por mes, 2011" in text  # the chart's title
