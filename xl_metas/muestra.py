"""A sample Avance for the demo: deterministic, fictitious, and labelled as such.

Each meta gets one of a few progress patterns (in plan order, cycling), chosen so that at
the sample cut-off (15 June) every month state and every semáforo colour appears. The
sheet says in its first rows, in red, that the figures are not real.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from . import config
from .avance import FILA_ENCABEZADO, avance_sheet
from .estados import cantidad
from .libro import Libro
from .model import Plan
from .plan_sheet import HOJA_PLAN
from .render import Estilo, HojaGenerada

CORTE_MUESTRA = dt.date(2011, 6, 15)
AVISO_MUESTRA = "DATOS DE MUESTRA — NO SON DATOS REALES"
NOTA_MUESTRA = (
    "Avance ficticio generado por xl-metas para la demostración (fecha de corte "
    f"{CORTE_MUESTRA:%d/%m/%Y}). Bórrelo antes de capturar el avance real."
)
_CERRADOS = CORTE_MUESTRA.month - 1  # Jan..May closed, June in progress

Patron = Callable[[Sequence[float]], list[float]]


def _acumulado(fraccion: float) -> Patron:
    """Realizado whose running total is ⌊fraccion × planned running total⌋."""

    def patron(p: Sequence[float]) -> list[float]:
        out, hecho, plan = [], 0.0, 0.0
        for mes in range(12):
            plan += p[mes] if mes <= _CERRADOS else 0.0
            objetivo = math.floor(fraccion * plan)
            out.append(max(objetivo - hecho, 0.0))
            hecho += out[-1]
        return out

    return patron


def _al_dia(p: Sequence[float]) -> list[float]:
    return [p[m] if m <= _CERRADOS else 0.0 for m in range(12)]


def _con_atraso(p: Sequence[float]) -> list[float]:
    """Each month's work done one month later (the last closed month's goes to June)."""
    return [p[m - 1] if 0 < m <= _CERRADOS else 0.0 for m in range(12)]


def _sin_avance(p: Sequence[float]) -> list[float]:
    return [0.0] * 12


def _sobrecumplido(p: Sequence[float]) -> list[float]:
    """Double the plan, and one extra in January (often unplanned): rojo by excess."""
    out = [2 * p[m] if m < _CERRADOS else 0.0 for m in range(12)]
    out[0] += 1
    return out


PATRONES: tuple[tuple[str, Patron, str | None], ...] = (
    ("al día", _al_dia, None),
    ("con atraso", _con_atraso, None),
    ("parcial", _acumulado(0.75), None),
    ("sin avance", _sin_avance, None),  # rojo without justificación: shows the finding
    ("sobrecumplido", _sobrecumplido, "[Muestra] Se atendieron solicitudes adicionales."),
    ("casi al día", _acumulado(0.85), None),
)


def realizado_muestra(plan: Plan) -> list[tuple[list[float], str | None]]:
    """Per meta of the plan (in order): the sample realizado and justificación."""
    out = []
    for index, meta in enumerate(plan.metas):
        _, patron, justificacion = PATRONES[index % len(PATRONES)]
        out.append((patron([cantidad(v.raw) for v in meta.meses]), justificacion))
    return out


def avance_muestra(plan: Plan, anio: int | None = None, institucion: str = "") -> HojaGenerada:
    """An Avance sheet filled with the sample realizado, clearly labelled as sample data."""
    hoja = avance_sheet(plan, anio, institucion)
    filas = [list(f) for f in hoja.filas]
    filas[0] = [AVISO_MUESTRA]
    filas[2] = [NOTA_MUESTRA]
    ultima_col = len(filas[FILA_ENCABEZADO - 1])
    for fila, (realizado, justificacion) in zip(
        filas[FILA_ENCABEZADO:], realizado_muestra(plan), strict=True
    ):
        valores: list[Any] = [int(v) if v else None for v in realizado]
        fila[3:] = valores + [None] * (ultima_col - 15)
        fila[-1] = justificacion
    aviso = Estilo(negrita=True, tamano=14, color_fuente="C00000", relleno="FFF2CC")
    return replace(
        hoja,
        filas=filas,
        estilos=[
            *hoja.estilos,
            ("A1", aviso),
            ("A3", Estilo(negrita=True, color_fuente="C00000")),
        ],
    )


def aplicar_muestra(libro: Libro, plan: Plan) -> dt.date:
    """Put the sample Avance in the workbook and set its cut-off date in Configuración."""
    libro.poner_hoja(avance_muestra(plan), despues_de=HOJA_PLAN)
    config.fijar(libro, "corte", CORTE_MUESTRA)
    return CORTE_MUESTRA
