"""The plan as the institute writes it: metas grouped by programa, with a monthly calendar.

Every value keeps what was written (``raw``) next to what it means (``value``), and the
cell it came from, so a finding can point at the cell and nothing is corrected silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from .text import sin_controles

# The institute's own month labels (its document writes AGT for August).
MESES: tuple[str, ...] = (
    "ENE",
    "FEB",
    "MAR",
    "ABR",
    "MAY",
    "JUN",
    "JUL",
    "AGT",
    "SEP",
    "OCT",
    "NOV",
    "DIC",
)
NOMBRES_MESES: tuple[str, ...] = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
TRIMESTRES: tuple[str, ...] = ("T1", "T2", "T3", "T4")
NOMBRES_TRIMESTRES: tuple[str, ...] = (
    "primer trimestre",
    "segundo trimestre",
    "tercer trimestre",
    "cuarto trimestre",
)


class Periodicidad(StrEnum):
    """How a plan is calendarised: by month (ENE…DIC) or by quarter (T1…T4)."""

    MENSUAL = "mensual"
    TRIMESTRAL = "trimestral"

    @property
    def meses_por_periodo(self) -> int:
        return 3 if self is Periodicidad.TRIMESTRAL else 1

    @property
    def periodos(self) -> tuple[str, ...]:
        return PERIODOS[self]

    @property
    def periodo(self) -> str:
        """The word for one period, for messages: «mes» or «trimestre»."""
        return "trimestre" if self is Periodicidad.TRIMESTRAL else "mes"

    @property
    def plural(self) -> str:
        return "trimestres" if self is Periodicidad.TRIMESTRAL else "meses"

    def nombre(self, indice: int) -> str:
        """A period as a sentence says it: «enero», «el primer trimestre»."""
        if self is Periodicidad.TRIMESTRAL:
            return f"el {NOMBRES_TRIMESTRES[indice]}"
        return NOMBRES_MESES[indice]

    def trimestres(self, valores: Sequence[float]) -> list[float]:
        """Per-period figures as four quarters (months add up by three; quarters are as is)."""
        n = self.meses_por_periodo
        paso = 3 // n
        return [math.fsum(valores[i * paso : i * paso + paso]) for i in range(4)]


PERIODOS: dict[Periodicidad, tuple[str, ...]] = {
    Periodicidad.MENSUAL: MESES,
    Periodicidad.TRIMESTRAL: TRIMESTRES,
}

# From here on a double no longer holds every whole number: no count is this large, and
# sums of such values overflow. A number this large counts as nothing (a finding says so).
NUMERO_MAXIMO = 1e15
# The error values Excel stores in a cell.
ERRORES_EXCEL = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#DATA!",
    }
)


class ErrorExcel(str):
    """A cell holding an Excel error (#DIV/0!, #REF!, #N/A…), marked by the adapter that
    read it: never a blank, never text a person typed, and it counts as nothing."""

    __slots__ = ()


class FormulaSinValor(str):
    """A formula whose result was never calculated (the file was saved by a program that
    does not calculate, not by Excel): its text is the formula (``=SUM(G5:R5)``), marked by
    the adapter that read it. It has no value, so it counts as nothing."""

    __slots__ = ()


def sin_valor(raw: Any) -> bool:
    """An Excel error or a formula never calculated: a cell that holds no value to use."""
    return isinstance(raw, ErrorExcel | FormulaSinValor)


# A meta number typed as text ("09", "8.0"): the whole number it means.
_ENTERO_TEXTO = re.compile(r"\s*\+?0*(\d+)(?:\.0*)?\s*")


def entero_en_texto(raw: Any) -> int | None:
    """The whole number a text means ("09" -> 9, "8.0" -> 8); None for anything else."""
    if not isinstance(raw, str) or sin_valor(raw):
        return None
    m = _ENTERO_TEXTO.fullmatch(raw)
    return int(m.group(1)) if m and m.group(1) else None


class Valor(NamedTuple):
    """One cell as read: what was written, and where (``celda`` is '' when not from a sheet).

    A NamedTuple rather than a dataclass: plans hold one per cell, and this is built fast."""

    raw: Any
    celda: str = ""

    # The three properties below are read hundreds of thousands of times for a large plan
    # (every rule and every month state asks them): each takes the common cell types (str,
    # int, float) first, by exact type, and leaves the rest to the general path.

    @property
    def vacio(self) -> bool:
        raw = self.raw
        return raw is None or (isinstance(raw, str) and not raw.strip())

    @property
    def texto(self) -> str:
        raw = self.raw
        tipo = type(raw)
        if tipo is str:
            return raw.strip()
        if tipo is int:
            return str(raw)
        if tipo is float:
            return str(int(raw)) if raw.is_integer() else str(raw)
        if raw is None:
            return ""
        if isinstance(raw, str) and not raw.strip():
            return ""
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw).strip()

    @property
    def numero(self) -> float | None:
        """The value as a number, or None when blank or not a number."""
        raw = self.raw
        tipo = type(raw)
        if tipo is float:
            return raw if -NUMERO_MAXIMO < raw < NUMERO_MAXIMO else None  # NaN fails too
        if tipo is int:
            return float(raw) if -NUMERO_MAXIMO < raw < NUMERO_MAXIMO else None
        if raw is None:
            return None
        return as_number(raw)

    @property
    def clave(self) -> str:
        """The value as a meta number: the whole number of a text like "09" or "8.0" (a
        finding says it is text), "" for a cell without a value (an error, a formula never
        calculated)."""
        raw = self.raw
        tipo = type(raw)
        if tipo is int:
            return str(raw)
        if tipo is float:
            return str(int(raw)) if raw.is_integer() else str(raw)
        if tipo is str:
            m = _ENTERO_TEXTO.fullmatch(raw)
            return str(int(m.group(1))) if m else raw.strip()
        if sin_valor(raw):
            return ""
        entero = entero_en_texto(raw)
        return str(entero) if entero is not None else self.texto


def iguales(a: Any, b: Any) -> bool:
    """Same value as a user means it: 3, 3.0 and "3" are equal; texts compare trimmed and
    as they are written (without the control characters a workbook cannot hold)."""
    vacio_a, vacio_b = Valor(a).vacio, Valor(b).vacio
    if vacio_a or vacio_b:
        return vacio_a and vacio_b
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return abs(na - nb) < 1e-9
    return sin_controles(Valor(a).texto) == sin_controles(Valor(b).texto)


# Significant digits a computed figure keeps: sums of decimals carry binary noise in the
# last digits (0.1 + 0.2 = 0.30000000000000004); no plan figure needs more than this.
CIFRAS_SIGNIFICATIVAS = 10


def redondear(value: float) -> float:
    """A computed figure without floating-point noise: 0.30000000000000004 -> 0.3,
    1.7000000000000002 -> 1.7. Whole numbers, zero, NaN and infinities stay as they are."""
    if type(value) is float and value.is_integer():  # the common case first
        return value
    if not math.isfinite(value) or value == 0 or float(value).is_integer():
        return value
    digitos = CIFRAS_SIGNIFICATIVAS - 1 - math.floor(math.log10(abs(value)))
    return round(float(value), digitos)


def numero_plano(value: float | None) -> int | float | None:
    """A number as a person writes it: 3, not 3.0; 0.3, not 0.30000000000000004 (None
    stays None)."""
    if value is None:
        return None
    value = redondear(float(value))
    return int(value) if value.is_integer() else value


def texto_numero(value: float | None) -> str:
    """A number inside a message or a table: «3», «1.5», «1e+308»; empty for none or NaN."""
    if value is None or value != value:
        return ""
    if not math.isfinite(value) or abs(value) >= NUMERO_MAXIMO:
        return f"{float(value):g}"
    value = redondear(float(value))
    return str(int(value)) if value.is_integer() else repr(value)


def as_number(raw: Any) -> float | None:
    """A value as a number, or None: a blank, text that is not a number, a boolean, an
    Excel error, a formula never calculated, and anything that is not a finite number
    below ``NUMERO_MAXIMO`` ("nan", "inf", 1e308) are not numbers."""
    tipo = type(raw)
    if tipo is float:  # the common case first
        return raw if -NUMERO_MAXIMO < raw < NUMERO_MAXIMO else None
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int) and abs(raw) >= NUMERO_MAXIMO:
        return None  # an int too large for a float
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str) and not sin_valor(raw):
        text = raw.strip().replace(",", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and abs(number) < NUMERO_MAXIMO else None


@dataclass(frozen=True)
class Meta:
    programa: Valor
    objetivo: Valor
    numero: Valor
    descripcion: Valor
    unidad: Valor
    anual: Valor
    meses: tuple[Valor, ...]  # one per period of the plan: 12 months or 4 quarters
    fila: int = 0  # sheet row, 0 when not read from a sheet
    # True when the objetivo cell was blank and inherited from the row above.
    objetivo_heredado: bool = False

    @cached_property
    def clave(self) -> str:
        """The meta number as the users say it ("7"; also for "07" typed as text); worked
        out once, as every rule and every stage asks for it."""
        return self.numero.clave

    def calendario(self) -> list[float]:
        return [m.numero or 0.0 for m in self.meses]


@dataclass(frozen=True)
class EncabezadoRepetido:
    """A column header written twice in a sheet: the first is read, the other is not."""

    texto: str
    usada: str  # cell of the header that is read ("F4")
    ignorada: str  # cell of the repeated one ("S4")


@dataclass(frozen=True)
class Plan:
    metas: tuple[Meta, ...]
    anio: int | None = None
    institucion: str = ""
    hoja: str = "Plan"
    repetidos: tuple[EncabezadoRepetido, ...] = ()  # headers written twice in the sheet
    periodicidad: Periodicidad = Periodicidad.MENSUAL

    @property
    def periodos(self) -> tuple[str, ...]:
        """The calendar's labels: ENE…DIC, or T1…T4 for a plan calendarised by quarter."""
        return PERIODOS[self.periodicidad]

    def programas(self) -> list[str]:
        """Programa names in plan order (first spelling seen)."""
        seen: dict[str, None] = {}
        for meta in self.metas:
            seen.setdefault(meta.programa.texto, None)
        return list(seen)


class Severidad(StrEnum):
    ERROR = "error"
    ADVERTENCIA = "advertencia"
    INFO = "info"


@dataclass(frozen=True)
class Hallazgo:
    """A validation finding: where, what, and what to fix, in Spanish."""

    regla: str
    severidad: Severidad
    hoja: str
    celda: str
    meta: str
    mensaje: str

    def as_json(self) -> dict[str, str]:
        return {
            "regla": self.regla,
            "severidad": str(self.severidad),
            "hoja": self.hoja,
            "celda": self.celda,
            "meta": self.meta,
            "mensaje": self.mensaje,
        }
