"""calcular, for progress: every meta of the plan evaluated at the cut-off against its
Avance row (pure: no port, no I/O), and the description of what that writes on Avance
(its computed columns and colours). Validation of the result is ``validation_avance``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .avance import Avance, FilaAvance, columnas_escritura
from .config import Configuracion
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
from .model import MESES, Meta, Plan
from .rangos import agrupar_rangos


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
    """Evaluate every meta of the plan (in plan order) against its Avance row."""
    config = config or Configuracion()
    fecha = corte or config.corte()
    anio = config.anio or plan.anio or fecha.year
    c = Corte.en(anio, fecha)
    filas = avance.por_meta()
    resultados: list[ResultadoMeta] = []
    seen: set[str] = set()
    for meta in plan.metas:
        if not meta.clave or meta.clave in seen:
            continue  # the plan's own validation reports these
        seen.add(meta.clave)
        fila = filas.get(meta.clave)
        realizado = tuple(cantidad(v.raw) for v in fila.meses) if fila else (0.0,) * 12
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
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def area_colores(table: Table) -> str:
    """The cells ``escribir_avance`` colours in an Avance table (the build puts the
    conditional formats over them, so a first press adds none)."""
    return _area(table, columnas_escritura(table)[0])


def _area(table: Table, columns: dict[str, int]) -> str:
    """Month and semáforo cells of every table row: what we colour, and all we clear."""
    last = max(table.grid.height, table.first_row)
    cells = [
        (row, columns[key])
        for key in (*MESES, "semaforo")
        for row in range(table.first_row, last + 1)
    ]
    return ",".join(agrupar_rangos(cells))


def rellenos(seg: Seguimiento, columns: dict[str, int]) -> dict[str | None, list[str]]:
    """Cells grouped by fill colour, as ranges (cells left without fill are not listed)."""
    por_color: dict[str, list[tuple[int, int]]] = {}
    for r in seg.resultados:
        if r.fila is None:
            continue
        row = r.fila.fila
        for mes, estado in zip(MESES, r.evaluacion.estados, strict=True):
            color = COLORES_ESTADO[estado]
            if color:
                por_color.setdefault(color, []).append((row, columns[mes]))
        color = COLORES_SEMAFORO[r.evaluacion.semaforo]
        if color:
            por_color.setdefault(color, []).append((row, columns["semaforo"]))
    return {color: agrupar_rangos(cells) for color, cells in sorted(por_color.items())}


__all__ = [
    "ResultadoMeta",
    "Seguimiento",
    "area_colores",
    "escrituras_avance",
    "evaluar_seguimiento",
]
