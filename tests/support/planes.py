"""Plans for the tests: the institute's real 2011 document and purpose-built plan rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlwings

from xl_metas import archivos, operaciones
from xl_metas.avance import FILA_ENCABEZADO, avance_sheet
from xl_metas.config import Configuracion, config_sheet
from xl_metas.model import Meta, Periodicidad, Plan, Valor

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTO_2011 = ROOT / "templates" / "programa-metas-2011.txt"
XLWINGS_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


PlanRow = Sequence[Any]


def meta_row(
    numero: Any = 1,
    *,
    programa: Any = "VINCULACIÓN",
    objetivo: Any = "Objetivo",
    descripcion: Any = "Descripción",
    unidad: Any = "Visitas",
    anual: Any = 12,
    meses: Sequence[Any] = (1,) * 12,
) -> list[Any]:
    return [programa, objetivo, numero, descripcion, unidad, anual, *meses]


# -- plans calendarised by quarter, and plans in several units -------------------------------
def meta_plan(
    numero: int,
    calendario: Sequence[Any],
    *,
    programa: str = "VINCULACIÓN",
    objetivo: str = "Objetivo",
    descripcion: str = "Descripción",
    unidad: str = "Visitas",
    anual: Any = None,
) -> Meta:
    """A ``Meta`` with its calendar (12 months or 4 quarters); ``anual`` defaults to its sum."""
    total = sum(v for v in calendario if isinstance(v, int | float)) if anual is None else anual
    return Meta(
        programa=Valor(programa),
        objetivo=Valor(objetivo),
        numero=Valor(numero),
        descripcion=Valor(descripcion),
        unidad=Valor(unidad),
        anual=Valor(total),
        meses=tuple(Valor(v) for v in calendario),
    )


def plan_trimestral(metas: Sequence[Meta], anio: int = 2024) -> Plan:
    """A ``Plan`` calendarised by quarter (T1…T4) holding ``metas`` (see ``meta_plan``)."""
    return Plan(
        tuple(metas),
        anio=anio,
        institucion="INSTITUTO DE PRUEBA",
        periodicidad=Periodicidad.TRIMESTRAL,
    )


def libro_de_plan(
    ruta: Path,
    plan: Plan,
    realizado: Mapping[int, Sequence[Any]] | None = None,
    corte: dt.date | None = None,
    *,
    plantilla: Path | None = None,
) -> Path:
    """A workbook written by the product's own writers (``archivos.crear``): the Plan sheet,
    an Avance sheet with ``realizado`` per meta number (periods as the plan's calendar),
    and a Configuración sheet with the plan's year and ``corte``; with ``plantilla`` (the
    shipped macro workbook) they replace its sheets of the same name."""
    avance = avance_sheet(plan)
    for fila in avance.filas[FILA_ENCABEZADO:]:
        valores = (realizado or {}).get(fila[1])
        if valores is not None:
            fila.extend(valores)
    config = config_sheet(Configuracion(anio=plan.anio, fecha_corte=corte))
    archivos.crear(ruta, [operaciones.plan_sheet(plan), avance, config], plantilla=plantilla)
    return ruta
