"""Month states and the semáforo of a meta at a cut-off date (DESIGN.md, "Overdue, precisely").

Pure domain: planned and achieved counts in, states and percentages out. Progress pays
off the oldest planned work first (first in, first out). Comparisons with the thresholds
are exact (fractions), so 110 % is 110 % and not 110.00000000000001 %.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .model import NUMERO_MAXIMO, Periodicidad, as_number, redondear


class Estado(StrEnum):
    CUMPLIDO = "cumplido"
    CUMPLIDO_CON_ATRASO = "cumplido con atraso"
    PARCIAL = "parcial"
    VENCIDO = "vencido"
    NO_PROGRAMADO = "no programado"
    SIN_ACTIVIDAD = "sin actividad"
    EN_CURSO = "en curso"
    FUTURO = "futuro"


class Semaforo(StrEnum):
    VERDE = "verde"
    AMARILLO = "amarillo"
    ROJO = "rojo"
    SIN_PROGRAMADO = "sin programado"


# Fills ("RRGGBB"; None = no fill). Same values as the legend of the entry sheet.
COLORES_ESTADO: dict[Estado, str | None] = {
    Estado.CUMPLIDO: "63BE7B",
    Estado.CUMPLIDO_CON_ATRASO: "C6EFCE",
    Estado.PARCIAL: "F4B183",
    Estado.VENCIDO: "FF7C80",
    Estado.NO_PROGRAMADO: "9DC3E6",
    Estado.SIN_ACTIVIDAD: None,
    Estado.EN_CURSO: "E7E6E6",  # light grey: marks where the cut-off falls
    Estado.FUTURO: None,
}
COLORES_SEMAFORO: dict[Semaforo, str | None] = {
    Semaforo.VERDE: "63BE7B",
    Semaforo.AMARILLO: "FFEB84",
    Semaforo.ROJO: "FF7C80",
    Semaforo.SIN_PROGRAMADO: None,
}

_DESCRIPCION_ESTADO = {
    Estado.CUMPLIDO: "Mes cerrado: lo programado se cubrió a tiempo.",
    Estado.CUMPLIDO_CON_ATRASO: "Mes cerrado: se cubrió con trabajo de meses posteriores.",
    Estado.PARCIAL: "Mes cerrado: se cubrió solo una parte de lo programado.",
    Estado.VENCIDO: "Mes cerrado: no se cubrió nada de lo programado.",
    Estado.NO_PROGRAMADO: "Mes cerrado sin programación, pero con avance.",
    Estado.SIN_ACTIVIDAD: "Mes cerrado sin programación ni avance.",
    Estado.EN_CURSO: "Mes de la fecha de corte (aún no se evalúa).",
    Estado.FUTURO: "Mes posterior a la fecha de corte.",
}


@dataclass(frozen=True)
class Umbrales:
    """Semáforo thresholds in percent: verde in [verde_desde, verde_hasta]; amarillo in
    [amarillo_desde, verde_desde) or (verde_hasta, amarillo_hasta]; rojo outside."""

    verde_desde: float = 90.0
    verde_hasta: float = 110.0
    amarillo_desde: float = 70.0
    amarillo_hasta: float = 130.0

    def ordenados(self) -> bool:
        return (
            0
            <= self.amarillo_desde
            <= self.verde_desde
            <= self.verde_hasta
            <= (self.amarillo_hasta)
        )


def leyenda_filas(umbrales: Umbrales | None = None) -> list[tuple[str, str | None, str]]:
    """(name, fill, description) per state and semáforo colour, for the entry sheet's legend."""
    u = umbrales or Umbrales()
    filas = [(e.value.capitalize(), COLORES_ESTADO[e], _DESCRIPCION_ESTADO[e]) for e in Estado]
    v1, v2, a1, a2 = (
        _pct(x) for x in (u.verde_desde, u.verde_hasta, u.amarillo_desde, u.amarillo_hasta)
    )
    filas += [
        ("Semáforo verde", COLORES_SEMAFORO[Semaforo.VERDE],
         f"Avance al corte entre {v1} % y {v2} % de lo programado."),
        ("Semáforo amarillo", COLORES_SEMAFORO[Semaforo.AMARILLO],
         f"Entre {a1} % y menos de {v1} %, o más de {v2} % hasta {a2} %."),
        ("Semáforo rojo", COLORES_SEMAFORO[Semaforo.ROJO],
         f"Menos de {a1} % o más de {a2} %: requiere justificación."),
        ("Sin programado", COLORES_SEMAFORO[Semaforo.SIN_PROGRAMADO],
         "Nada programado hasta la fecha de corte."),
    ]  # fmt: skip
    return filas


def _pct(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- the calendar at a cut-off ---------------------------------------------------------


@dataclass(frozen=True)
class Corte:
    """Where a cut-off date falls in a plan year: how many periods (months, or quarters for
    a plan calendarised by quarter) are closed, and which one (0-based) is in progress, if
    any. A period is closed when its last day is on or before the cut-off date: T1 closes
    on 31 March, so a cut-off on 31 March closes it and one on 30 March leaves it en curso."""

    anio: int
    fecha: dt.date
    cerrados: int  # periods 0..cerrados-1 are closed
    en_curso: int | None
    periodicidad: Periodicidad = Periodicidad.MENSUAL

    @classmethod
    def en(
        cls, anio: int, fecha: dt.date, periodicidad: Periodicidad = Periodicidad.MENSUAL
    ) -> Corte:
        n = periodicidad.meses_por_periodo
        if fecha.year < anio:
            return cls(anio, fecha, 0, None, periodicidad)
        if fecha.year > anio:
            return cls(anio, fecha, 12 // n, None, periodicidad)
        last_day = calendar.monthrange(fecha.year, fecha.month)[1]
        meses_cerrados = fecha.month if fecha.day == last_day else fecha.month - 1
        cerrados = meses_cerrados // n
        actual = (fecha.month - 1) // n  # the period holding the cut-off date
        return cls(anio, fecha, cerrados, actual if actual >= cerrados else None, periodicidad)

    @property
    def periodos(self) -> int:
        """Periods in the plan year: 12 months or 4 quarters."""
        return len(self.periodicidad.periodos)

    def estado_abierto(self, mes: int) -> Estado:
        return Estado.EN_CURSO if mes == self.en_curso else Estado.FUTURO

    def cerrado(self, mes: int) -> bool:
        return mes < self.cerrados

    def futuro(self, mes: int) -> bool:
        return mes >= self.cerrados and mes != self.en_curso


# -- one meta --------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluacion:
    """A meta at the cut-off. Percentages are in percent (85.5), None when undefined."""

    estados: tuple[Estado, ...]
    programado_al_corte: float
    realizado_al_corte: float
    total_realizado: float
    porcentaje_al_corte: float | None
    porcentaje_anual: float | None
    semaforo: Semaforo


def _exact(value: float) -> Fraction:
    if type(value) is float and value.is_integer():  # counts, the common case
        return Fraction(int(value))
    return Fraction(value).limit_denominator(10**9)


@lru_cache(maxsize=8)
def _limites(u: Umbrales) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """The thresholds as exact fractions, once per configuration (not once per meta)."""
    return (
        _exact(u.verde_desde),
        _exact(u.verde_hasta),
        _exact(u.amarillo_desde),
        _exact(u.amarillo_hasta),
    )


def estados_meses(
    programado: Sequence[float], realizado: Sequence[float], corte: Corte
) -> tuple[Estado, ...]:
    """The state of each period (12 months or 4 quarters), with first-in-first-out
    coverage of the planned work. Running totals are rounded (``redondear``) so decimals
    compare as written: 0.1 + 0.2 done covers 0.3 planned."""
    closed = corte.cerrados
    # Counts (whole numbers, the common case) add up exactly: no noise to round away.
    try:
        enteros = all(map(float.is_integer, programado)) and all(map(float.is_integer, realizado))
    except TypeError:  # not floats (a caller's ints)
        enteros = all(float(x).is_integer() for x in (*programado, *realizado))
    red: Callable[[float], float] = float if enteros else redondear
    c = red(sum(realizado[:closed]))
    estados: list[Estado] = []
    cum_p = 0.0  # planned through the previous period
    cum_r = 0.0  # done through this period
    for mes in range(len(programado)):
        p, r = programado[mes], realizado[mes]
        cum_r = red(cum_r + r)
        if mes >= closed:
            estados.append(corte.estado_abierto(mes))
        elif p <= 0:
            estados.append(Estado.NO_PROGRAMADO if r > 0 else Estado.SIN_ACTIVIDAD)
        else:
            cubierto = min(max(red(c - cum_p), 0.0), p)
            if cubierto >= p:
                a_tiempo = cum_r >= red(cum_p + p)
                estados.append(Estado.CUMPLIDO if a_tiempo else Estado.CUMPLIDO_CON_ATRASO)
            elif cubierto > 0:
                estados.append(Estado.PARCIAL)
            else:
                estados.append(Estado.VENCIDO)
        cum_p = red(cum_p + p)
    return tuple(estados)


def semaforo(realizado: float, programado: float, umbrales: Umbrales) -> Semaforo:
    """Traffic light of realizado / programado at the cut-off (both counts of closed months)."""
    if programado <= 0:
        return Semaforo.SIN_PROGRAMADO
    if (
        type(realizado) is float
        and type(programado) is float
        and realizado.is_integer()
        and programado.is_integer()
    ):  # counts: the same fraction, without converting each float
        pct = Fraction(int(realizado) * 100, int(programado))
    else:
        pct = _exact(realizado) * 100 / _exact(programado)
    verde_desde, verde_hasta, amarillo_desde, amarillo_hasta = _limites(umbrales)
    if verde_desde <= pct <= verde_hasta:
        return Semaforo.VERDE
    if amarillo_desde <= pct <= amarillo_hasta:
        return Semaforo.AMARILLO
    return Semaforo.ROJO


def evaluar(
    programado: Sequence[float],
    realizado: Sequence[float],
    corte: Corte,
    umbrales: Umbrales | None = None,
    anual: float | None = None,
) -> Evaluacion:
    """Evaluate one meta. ``anual`` defaults to the sum of the calendar."""
    periodos = corte.periodos
    if len(programado) != periodos or len(realizado) != periodos:
        raise ValueError(
            f"se esperan {periodos} {corte.periodicidad.plural} de programado y de realizado"
        )
    p = [float(x) for x in programado]
    r = [float(x) for x in realizado]
    closed = corte.cerrados
    prog_corte, real_corte, total = sum(p[:closed]), sum(r[:closed]), sum(r)
    meta_anual = sum(p) if anual is None else anual
    return Evaluacion(
        estados=estados_meses(p, r, corte),
        programado_al_corte=prog_corte,
        realizado_al_corte=real_corte,
        total_realizado=total,
        porcentaje_al_corte=_percent(real_corte, prog_corte),
        porcentaje_anual=_percent(total, meta_anual),
        semaforo=semaforo(real_corte, prog_corte, umbrales or Umbrales()),
    )


def _percent(part: float, whole: float) -> float | None:
    return round(part * 100 / whole, 1) if whole > 0 else None


def cantidad(raw: Any) -> float:
    """A count as the computation uses it: blank, text and negatives count as 0 (validation
    reports them); a number is taken as written."""
    tipo = type(raw)
    if tipo is float or tipo is int:  # the common cases first: called once per cell
        return float(raw) if 0 < raw < NUMERO_MAXIMO else 0.0
    if isinstance(raw, str):
        return 0.0
    number = as_number(raw)
    return number if number is not None and number > 0 else 0.0
