"""The quarterly report (*Informe trimestral*) to the state Congress, computed (pure).

For quarter N of the plan year, per programa and meta: programado and realizado in the
quarter and accumulated from January to the quarter's end, the % of each, the semáforo
and the periods still overdue when the quarter closed, and the justificación of every
meta not in green; programa and institution totals per group of units (``totals``: the
metas counted in whole units add together, a percentage or a measure stays apart, as in
Resumen); the programado and realizado by period for the chart.

A quarter is evaluated at its last day (a later cut-off does not change what the quarter
was); a quarter still open at the cut-off is refused, or evaluated at the cut-off and
marked preliminary when asked — never silently mixed. The sheet is ``informe_hoja``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import LecturaError
from .estados import Estado, Semaforo, cantidad
from .model import NOMBRES_TRIMESTRES, TRIMESTRES, Periodicidad, redondear
from .seguimiento import ResultadoMeta, Seguimiento
from .totals import grupos_de_suma
from .unidades import agrupar

PENDIENTES = (Estado.VENCIDO, Estado.PARCIAL)  # what is still owed of a closed period


def nombre_hoja(trimestre: int) -> str:
    """«Informe T2»."""
    return f"Informe {TRIMESTRES[trimestre - 1]}"


@dataclass(frozen=True)
class Periodo:
    """Quarter ``trimestre`` (1…4) of ``anio``: its first and last day."""

    anio: int
    trimestre: int

    @property
    def inicio(self) -> dt.date:
        return dt.date(self.anio, 3 * self.trimestre - 2, 1)

    @property
    def fin(self) -> dt.date:
        mes = 3 * self.trimestre
        return dt.date(self.anio, mes, calendar.monthrange(self.anio, mes)[1])

    @property
    def etiqueta(self) -> str:
        return TRIMESTRES[self.trimestre - 1]

    @property
    def nombre(self) -> str:
        """«segundo trimestre (T2) de 2011»."""
        return f"{NOMBRES_TRIMESTRES[self.trimestre - 1]} ({self.etiqueta}) de {self.anio}"

    def indices(self, periodicidad: Periodicidad) -> range:
        """The calendar's periods (0-based) inside the quarter: 3 months, or 1 quarter."""
        if periodicidad is Periodicidad.TRIMESTRAL:
            return range(self.trimestre - 1, self.trimestre)
        return range(3 * self.trimestre - 3, 3 * self.trimestre)


@dataclass(frozen=True)
class Cifras:
    """Programado and realizado in the quarter and accumulated to its end; % in percent,
    None when nothing was programado."""

    programado: float
    realizado: float
    programado_acumulado: float
    realizado_acumulado: float

    @property
    def porcentaje(self) -> float | None:
        return _pct(self.realizado, self.programado)

    @property
    def porcentaje_acumulado(self) -> float | None:
        return _pct(self.realizado_acumulado, self.programado_acumulado)

    def mas(self, otra: Cifras) -> Cifras:
        return Cifras(
            redondear(self.programado + otra.programado),
            redondear(self.realizado + otra.realizado),
            redondear(self.programado_acumulado + otra.programado_acumulado),
            redondear(self.realizado_acumulado + otra.realizado_acumulado),
        )


CERO = Cifras(0.0, 0.0, 0.0, 0.0)


def _pct(real: float, prog: float) -> float | None:
    return round(real * 100 / prog, 1) if prog > 0 else None


@dataclass(frozen=True)
class MetaInforme:
    numero: str
    descripcion: str
    unidad: str
    cifras: Cifras
    semaforo: Semaforo
    pendientes: tuple[tuple[str, Estado], ...]  # (period label, vencido | parcial)
    justificacion: str | None  # only for a meta not in green ("" when none was captured)


@dataclass(frozen=True)
class Total:
    """A sum over metas of one group of units: those counted in whole units (``conteo``:
    they add together), or the metas of one percentage or measure (added only with
    themselves). ``unidad``: the group's unit, «» for counts in several units."""

    unidad: str
    cifras: Cifras
    metas: int
    conteo: bool


@dataclass(frozen=True)
class ProgramaInforme:
    nombre: str
    metas: tuple[MetaInforme, ...]
    totales: tuple[Total, ...]


@dataclass(frozen=True)
class Serie:
    """Programado and realizado per period, January to the quarter's end, of the metas
    counted in whole units (the Resumen chart's TOTAL row); None for a period after the
    cut-off with nothing captured."""

    etiquetas: tuple[str, ...]
    programado: tuple[float, ...]
    realizado: tuple[float | None, ...]


@dataclass(frozen=True)
class InformeTrimestral:
    institucion: str
    periodo: Periodo
    corte: dt.date  # the cut-off the figures were taken at
    evaluado_al: dt.date  # the quarter's last day, or the cut-off when preliminary
    preliminar: bool
    periodicidad: Periodicidad
    programas: tuple[ProgramaInforme, ...]
    totales: tuple[Total, ...]  # the institution's, one per group of units
    serie: Serie
    umbrales: tuple[float, float, float, float]  # verde desde/hasta, amarillo desde/hasta

    @property
    def hoja(self) -> str:
        return nombre_hoja(self.periodo.trimestre)


# -- checks --------------------------------------------------------------------------------
def revisar_trimestre(trimestre: int) -> None:
    if trimestre not in (1, 2, 3, 4):
        raise LecturaError(
            f"El trimestre debe ser 1, 2, 3 o 4 (T1…T4); se indicó {trimestre}. "
            "No se escribió nada."
        )


def evaluar_en(periodo: Periodo, corte: dt.date, preliminar: bool) -> dt.date:
    """The date the quarter is evaluated at: its last day when it closed by ``corte``; the
    cut-off itself for a preliminary report of a quarter still open. Refuses a cut-off
    before the quarter starts, and an open quarter unless ``preliminar``."""
    inicio, fin = periodo.inicio, periodo.fin
    if corte < inicio:
        raise LecturaError(
            f"La fecha de corte {corte:%d/%m/%Y} es anterior al inicio del "
            f"{periodo.nombre} ({inicio:%d/%m/%Y}): aún no hay nada que informar de ese "
            "trimestre. No se escribió nada."
        )
    if corte >= fin:
        return fin
    if not preliminar:
        raise LecturaError(
            f"El {periodo.nombre} termina el {fin:%d/%m/%Y} y la fecha de corte es "
            f"{corte:%d/%m/%Y}: el trimestre aún no cierra. Pida el informe preliminar "
            f"(opción --preliminar: lleva «PRELIMINAR» en el título) o use una fecha de "
            f"corte desde el {fin:%d/%m/%Y} (--corte {fin:%Y-%m-%d}). No se escribió nada."
        )
    return corte


def ultimo_trimestre(corte: dt.date, anio: int) -> tuple[int, bool]:
    """For the button, which takes no options: the last quarter closed by the cut-off; when
    none has closed yet, the one in progress, as a preliminary report."""
    if corte.year > anio:
        return 4, False
    if corte.year < anio:
        return 1, True
    cerrados = [t for t in (1, 2, 3, 4) if Periodo(anio, t).fin <= corte]
    if cerrados:
        return cerrados[-1], False
    return 1, True


# -- the computation ------------------------------------------------------------------------
def calcular_informe(seg: Seguimiento, periodo: Periodo, corte: dt.date) -> InformeTrimestral:
    """The report of ``periodo`` from ``seg``, the progress evaluated at
    ``evaluar_en(periodo, corte, …)`` (``seg.corte.fecha``)."""
    plan = seg.plan
    periodicidad = plan.periodicidad
    trimestre = periodo.indices(periodicidad)
    hasta = trimestre.stop  # periods 0..hasta-1: January to the quarter's end
    preliminar = seg.corte.fecha < periodo.fin
    grupos = dict(zip((id(m) for m in plan.metas), grupos_de_suma(plan), strict=True))
    unidades = agrupar(m.unidad.texto for m in plan.metas)

    por_programa: dict[str, list[tuple[ResultadoMeta, Cifras]]] = {}
    nombres: dict[str, str] = {}
    for r in seg.resultados:
        clave = grupos[id(r.meta)][0]
        nombres.setdefault(clave, r.meta.programa.texto)
        por_programa.setdefault(clave, []).append((r, _cifras(r, trimestre, hasta)))

    programas = []
    for clave, filas in por_programa.items():
        metas = tuple(
            _meta(r, cifras, plan.periodos[:hasta], unidades[r.meta.unidad.texto])
            for r, cifras in filas
        )
        totales = _totales([(grupos[id(r.meta)][1], c, r.meta.unidad.texto) for r, c in filas])
        programas.append(ProgramaInforme(nombres[clave], metas, totales))
    todas = [
        (grupos[id(r.meta)][1], c, r.meta.unidad.texto)
        for filas in por_programa.values()
        for r, c in filas
    ]
    u = seg.config.umbrales
    return InformeTrimestral(
        institucion=seg.config.institucion or plan.institucion,
        periodo=periodo,
        corte=corte,
        evaluado_al=seg.corte.fecha,
        preliminar=preliminar,
        periodicidad=periodicidad,
        programas=tuple(programas),
        totales=_totales(todas),
        serie=_serie(seg, hasta),
        umbrales=(u.verde_desde, u.verde_hasta, u.amarillo_desde, u.amarillo_hasta),
    )


def _cifras(r: ResultadoMeta, trimestre: range, hasta: int) -> Cifras:
    prog = [cantidad(v.raw) for v in r.meta.meses]
    real = r.realizado
    return Cifras(
        redondear(sum(prog[i] for i in trimestre)),
        redondear(sum(real[i] for i in trimestre)),
        redondear(sum(prog[:hasta])),
        redondear(sum(real[:hasta])),
    )


def _meta(r: ResultadoMeta, cifras: Cifras, etiquetas: Sequence[str], unidad: str) -> MetaInforme:
    e = r.evaluacion
    pendientes = tuple(
        (etiqueta, estado)
        for etiqueta, estado in zip(etiquetas, e.estados, strict=False)
        if estado in PENDIENTES
    )
    justificacion = None
    if e.semaforo is not Semaforo.VERDE:
        justificacion = r.fila.justificacion.texto.strip() if r.fila is not None else ""
        if e.semaforo is Semaforo.SIN_PROGRAMADO and not justificacion:
            justificacion = None  # nothing was due: nothing to justify
    return MetaInforme(
        numero=r.meta.numero.texto,
        descripcion=r.meta.descripcion.texto,
        unidad=unidad or r.meta.unidad.texto,
        cifras=cifras,
        semaforo=e.semaforo,
        pendientes=pendientes,
        justificacion=justificacion,
    )


def _totales(filas: Sequence[tuple[str, Cifras, str]]) -> tuple[Total, ...]:
    """One total per group of units, those counted in whole units first. A group is named
    by its unit as first written; the counted ones only when they all share one unit
    («Eventos»), else «» (several units that are counted: visits, courses, events…)."""
    unidades = agrupar(texto for _, _, texto in filas)
    sumas: dict[str, tuple[set[str], Cifras, int]] = {"": (set(), CERO, 0)}
    for grupo, cifras, texto in filas:
        nombres, suma, n = sumas.get(grupo, (set(), CERO, 0))
        sumas[grupo] = (nombres | {unidades[texto]}, suma.mas(cifras), n + 1)
    return tuple(
        Total(next(iter(nombres)) if len(nombres) == 1 else "", suma, n, grupo == "")
        for grupo, (nombres, suma, n) in sumas.items()
        if n
    )


def _serie(seg: Seguimiento, hasta: int) -> Serie:
    grupos = dict(zip((id(m) for m in seg.plan.metas), grupos_de_suma(seg.plan), strict=True))
    prog = [0.0] * hasta
    real = [0.0] * hasta
    for r in seg.resultados:
        if grupos[id(r.meta)][1]:
            continue  # a percentage or a measure is not added to the counts
        for i in range(hasta):
            prog[i] += cantidad(r.meta.meses[i].raw)
            real[i] += r.realizado[i]
    realizado = tuple(
        None if seg.corte.futuro(i) and not real[i] else redondear(real[i]) for i in range(hasta)
    )
    return Serie(seg.plan.periodos[:hasta], tuple(map(redondear, prog)), realizado)


__all__ = [
    "Cifras",
    "InformeTrimestral",
    "MetaInforme",
    "Periodo",
    "ProgramaInforme",
    "Total",
    "calcular_informe",
    "evaluar_en",
    "nombre_hoja",
    "revisar_trimestre",
    "ultimo_trimestre",
]
