"""Workbooks with a Plan and an Avance sheet for the progress tests (issue 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from xl_metas import libro_nuevo, operaciones
from xl_metas.lectura import leer
from xl_metas.model import MESES
from xl_metas.muestra import aplicar_muestra
from xl_metas.plan_sheet import ENCABEZADOS_PLAN
from xl_metas.workbook_file import LibroArchivo


def libro_muestra(path: Path) -> Path:
    """The real 2011 plan with the sample Avance and its cut-off (15/06/2011)."""
    libro_nuevo.importar(operaciones.DOCUMENTO_2011, path)
    libro = LibroArchivo(path)
    plan = leer(libro).plan
    aplicar_muestra(libro, plan)
    assert libro.guardar(respaldo=False)
    return path


def libro_plan_avance(
    path: Path,
    plan: Sequence[tuple[Any, Sequence[float]]],
    avance: Sequence[Sequence[Any]],
    *,
    avance_header: Sequence[str] = ("PROGRAMA", "META", *MESES, "JUSTIFICACIÓN"),
    corte: dt.date | None = None,
    config_rows: Sequence[Sequence[Any]] | None = None,
) -> Path:
    """Plan rows (meta, 12 months) under VINCULACIÓN, an Avance sheet with ``avance_header``
    and rows, and a Configuración sheet with ``corte`` (or ``config_rows``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["INSTITUTO DE PRUEBA"])
    ws.append(["PROGRAMA METAS Y OBJETIVOS 2011"])
    ws.append([])
    ws.append(list(ENCABEZADOS_PLAN[:18]))
    for numero, meses in plan:
        ws.append(["VINCULACIÓN", "Objetivo", numero, "Descripción", "Visitas", sum(meses), *meses])
    av = wb.create_sheet("Avance")
    av.append(["AVANCE"])
    av.append([])
    av.append(list(avance_header))
    for row in avance:
        av.append(list(row))
    if corte is not None or config_rows is not None:
        cf = wb.create_sheet("Configuración")
        cf.append(["Parámetro", "Valor"])
        for row in config_rows or [("Fecha de corte", corte)]:
            cf.append(list(row))
    wb.save(path)
    return path


def relleno(path: Path, hoja: str, celda: str) -> str | None:
    """The fill a cell shows ("RRGGBB"), None without fill: the colour of its code in the
    hidden mirror sheet when the adapter colours through one (render.PALETA), else the
    cell's own solid fill."""
    return _shown(openpyxl.load_workbook(path), hoja, celda)


def _shown(wb: Any, hoja: str, celda: str) -> str | None:
    espejo = _espejo(wb, hoja)
    if espejo is not None:
        code = espejo[celda].value
        if isinstance(code, int | float) and code:
            return _paleta()[int(code) - 1]
    cell = wb[hoja][celda]
    if cell.fill.fill_type != "solid":
        return None
    rgb = cell.fill.fgColor.rgb
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def rellenos_area(path: Path, hoja: str, area: str) -> set[str]:
    """Every fill shown in ``area`` (e.g. "D5:X24")."""
    wb = openpyxl.load_workbook(path)
    return {
        color
        for row in wb[hoja][area]
        for cell in row
        if (color := _shown(wb, hoja, cell.coordinate)) is not None
    }


def _paleta() -> tuple[str, ...]:
    from xl_metas import render

    return tuple(getattr(render, "PALETA", ()))


def _espejo(wb: Any, hoja: str) -> Any:
    from xl_metas import render

    nombre = render.hoja_espejo(hoja) if hasattr(render, "hoja_espejo") else None
    return wb[nombre] if nombre and nombre in wb.sheetnames else None


def valores(path: Path, hoja: str) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path, data_only=True)[hoja]
    return [list(r) for r in ws.iter_rows(values_only=True)]
