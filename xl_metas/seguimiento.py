"""calcular, for progress: every meta of the plan evaluated at the cut-off against its
Avance row (pure: no port, no I/O), and the description of what that writes on Avance
(its computed columns and colours). Validation of the result is ``validation_avance``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .avance import Avance, FilaAvance, columnas_escritura, mensaje_calendario_distinto
from .config import Configuracion
from .errors import LecturaError
from .escrituras import Bloque, Colorear, Escritura
from .estados import (
    COLORES_ESTADO,
    COLORES_SEMAFORO,
    Corte,
    Evaluacion,
    cantidad,
    evaluar,
)
from .grid import Table
from .model import MESES, TRIMESTRES, Meta, Plan, numero_plano
from .rangos import columnas_enteras, en_a1


@dataclass(frozen=True)
class ResultadoMeta:
    meta: Meta
    fila: FilaAvance | None  # its Avance row; None when the meta is missing from Avance
    realizado: tuple[float, ...]
    evaluacion: Evaluacion

    @property
    def clave(self) -> str:
        return self.meta.clave


@dataclass(frozen=True)
class Seguimiento:
    plan: Plan
    avance: Avance
    config: Configuracion
    corte: Corte
    resultados: tuple[ResultadoMeta, ...]

    def por_meta(self) -> dict[str, ResultadoMeta]:
        return {r.clave: r for r in self.resultados}


def evaluar_seguimiento(
    plan: Plan,
    avance: Avance,
    config: Configuracion | None = None,
    corte: dt.date | None = None,
) -> Seguimiento:
    """Evaluate every meta of the plan (in plan order) against its Avance row, period by
    period (months, or quarters for a plan calendarised by quarter). An Avance with
    another calendar than the Plan's cannot be evaluated (``LecturaError``)."""
    if avance.periodicidad != plan.periodicidad:
        raise LecturaError(mensaje_calendario_distinto(plan, avance))
    config = config or Configuracion()
    fecha = corte or config.corte()
    anio = config.anio or plan.anio or fecha.year
    c = Corte.en(anio, fecha, plan.periodicidad)
    sin_fila = (0.0,) * len(plan.periodos)
    filas = avance.por_meta()
    resultados: list[ResultadoMeta] = []
    seen: set[str] = set()
    for meta in plan.metas:
        if not meta.clave or meta.clave in seen:
            continue  # the plan's own validation reports these
        seen.add(meta.clave)
        fila = filas.get(meta.clave)
        realizado = tuple(cantidad(v.raw) for v in fila.meses) if fila else sin_fila
        anual = meta.anual.numero
        evaluacion = evaluar(
            [cantidad(v.raw) for v in meta.meses],
            realizado,
            c,
            config.umbrales,
            anual=anual if anual is not None and anual > 0 else None,
        )
        resultados.append(ResultadoMeta(meta, fila, realizado, evaluacion))
    return Seguimiento(plan, avance, config, c, tuple(resultados))


def escrituras_avance(seg: Seguimiento, table: Table) -> list[Escritura]:
    """Computed columns beside each Avance row (headers added when missing), then month and
    semáforo colours from scratch."""
    hoja = seg.avance.hoja
    columns, nuevas = columnas_escritura(table)
    escrituras: list[Escritura] = [
        Bloque(hoja, table.header_row, column, [[label]]) for column, label in nuevas
    ]
    by_row = {r.fila.fila: r for r in seg.resultados if r.fila is not None}
    rows = [f.fila for f in seg.avance.filas]
    if rows:
        first, last = min(rows), max(rows)
        for key in ("total", "programado_corte", "realizado_corte", "pct_corte", "pct_anual"):
            block = [[_valor(by_row.get(row), key)] for row in range(first, last + 1)]
            escrituras.append(Bloque(hoja, first, columns[key], block))
        block = [
            [str(by_row[row].evaluacion.semaforo) if row in by_row else None]
            for row in range(first, last + 1)
        ]
        escrituras.append(Bloque(hoja, first, columns["semaforo"], block))
    escrituras.append(Colorear(hoja, _area(table, columns), rellenos(seg, columns)))
    return escrituras


def _valor(resultado: ResultadoMeta | None, key: str) -> Any:
    if resultado is None:
        return None
    e = resultado.evaluacion
    value = {
        "total": e.total_realizado,
        "programado_corte": e.programado_al_corte,
        "realizado_corte": e.realizado_al_corte,
        "pct_corte": e.porcentaje_al_corte,
        "pct_anual": e.porcentaje_anual,
    }[key]
    return numero_plano(value)


def area_colores(table: Table) -> str:
    """The cells ``escribir_avance`` colours in an Avance table (the build puts the
    conditional formats over them, so a first press adds none)."""
    return _area(table, columnas_escritura(table)[0])


def periodos_tabla(table: Table) -> tuple[str, ...]:
    """The calendar columns of an Avance table: ENE…DIC, or T1…T4."""
    return TRIMESTRES if "T1" in table.columns and "ENE" not in table.columns else MESES


def _area(table: Table, columns: dict[str, int]) -> str:
    """Month and semáforo cells of every table row: what we colour, and all we clear."""
    last = max(table.grid.height, table.first_row)
    columnas = [columns[key] for key in (*periodos_tabla(table), "semaforo")]
    return ",".join(en_a1(columnas_enteras(table.first_row, last, columnas)))


def rellenos(seg: Seguimiento, columns: dict[str, int]) -> dict[str | None, list[tuple[int, int]]]:
    """Cells (row, column) grouped by fill colour (cells left without fill are not listed):
    the adapters write them as codes in the mirror sheet, cell by cell, so they are not
    turned into ranges."""
    por_color: dict[str, list[tuple[int, int]]] = {}
    for r in seg.resultados:
        if r.fila is None:
            continue
        row = r.fila.fila
        for mes, estado in zip(seg.plan.periodos, r.evaluacion.estados, strict=True):
            color = COLORES_ESTADO[estado]
            if color:
                por_color.setdefault(color, []).append((row, columns[mes]))
        color = COLORES_SEMAFORO[r.evaluacion.semaforo]
        if color:
            por_color.setdefault(color, []).append((row, columns["semaforo"]))
    return {color: cells for color, cells in sorted(por_color.items())}


__all__ = [
    "ResultadoMeta",
    "Seguimiento",
    "area_colores",
    "escrituras_avance",
    "evaluar_seguimiento",
]
