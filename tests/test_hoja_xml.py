"""Charts written as DrawingML by hoja_xml: the same bytes openpyxl's chart objects write
for the same chart (the openpyxl path's ``_add_chart``), so a chart put without openpyxl
is the chart LibreOffice already renders in the Resumen and report tests."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.xml.functions import tostring

from xl_metas.hoja_xml import _dibujo
from xl_metas.render import Grafica, HojaGenerada, Serie
from xl_metas.sheet_patch import NoParcheable
from xl_metas.workbook_file import _add_chart


def _con_openpyxl(hoja: HojaGenerada, primera: int) -> tuple[bytes, bytes, list[bytes]]:
    """The drawing, its relationships and the chart parts as the openpyxl path writes them:
    its own ``_add_chart`` on a worksheet, serialised as openpyxl's writer does."""
    ws = Workbook().active
    ws.title = hoja.nombre
    for grafica in hoja.graficas:
        _add_chart(ws, grafica)
    drawing = SpreadsheetDrawing()
    graficas = []
    for i, chart in enumerate(ws._charts, start=primera):
        chart._id = i
        drawing.charts.append(chart)
        graficas.append(tostring(chart._write()))
    return tostring(drawing._write()), tostring(drawing._write_rels()), graficas


RESUMEN = Grafica(
    titulo="Programado vs. realizado por mes, 2011",
    categorias="C5:N5",
    series=(Serie("Programado", "C31:N31"), Serie("Realizado", "C32:N32")),
    ancla="B35",
    titulo_eje_y="Cantidad",
    ancho_cm=26.0,
    alto_cm=10.0,
)
INFORME = Grafica(
    titulo="Programado vs. realizado, enero a junio de 2011",
    categorias="B9:B14",
    series=(Serie("Programado", "D9:D14"), Serie("Realizado", "E9:E14")),
    ancla="G9",
    titulo_eje_y="Cantidad",
)
RARA = Grafica(
    titulo="Metas & <avance>\nsegunda línea «con acentos»",
    categorias="A1",
    series=(Serie("", "B2"), Serie("Años > 2", "C2:C9"), Serie("Una fila", "D1:F1")),
    ancla="AA7",
    tipo="lineas",
    ancho_cm=12.7,
    alto_cm=7.3,
)


@pytest.mark.parametrize(
    ("nombre", "graficas", "primera"),
    [
        ("Resumen", [RESUMEN], 1),
        ("Informe T2", [INFORME], 2),
        ("Años & metas", [RARA, RESUMEN, INFORME], 4),
    ],
)
def test_charts_are_written_as_openpyxl_writes_them(
    nombre: str, graficas: list[Grafica], primera: int
) -> None:
    hoja = HojaGenerada(nombre=nombre, filas=[[1]], graficas=graficas)
    dibujo, rels, partes = _dibujo(hoja, primera, 3)
    esperado = _con_openpyxl(hoja, primera)
    assert (dibujo, rels, list(partes)) == esperado


def test_a_series_of_several_rows_and_columns_goes_through_openpyxl() -> None:
    """openpyxl makes one series per row or column of such a range: not written here."""
    grafica = Grafica("T", "C4:N4", (Serie("Dos filas", "C5:N6"),), "B10")
    with pytest.raises(NoParcheable):
        _dibujo(HojaGenerada(nombre="Resumen", filas=[], graficas=[grafica]), 1, 1)
