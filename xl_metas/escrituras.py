"""What a command writes, as one value: the ``presentar`` stage describes it, the port's
``aplicar`` carries it out once.

Each adapter decides *how* (the file adapter puts whole sheets first so its cell writes
go straight into the loaded workbook; the Excel adapter batches its calls); neither decides
*what*. A command that would write what the workbook already holds describes nothing, so
running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .grid import Grid, recortar
from .render import Enlace, HojaGenerada, ReglasColor, Rellenos
from .text import fold, sin_controles


@dataclass(frozen=True)
class Bloque:
    """One block of values from (fila, columna), 1-based; text stays text."""

    hoja: str
    fila: int
    columna: int
    valores: list[list[Any]]
    protegida: bool = False  # the sheet is one we protect (``HojaGenerada.protegida``)


@dataclass(frozen=True)
class PonerHoja:
    """Create a sheet we own, or replace it whole (its position kept)."""

    hoja: HojaGenerada
    despues_de: str | None = None


@dataclass(frozen=True)
class QuitarHoja:
    nombre: str  # nothing happens when the workbook has no such sheet


@dataclass(frozen=True)
class Colorear:
    """Recolour ``area`` of a user sheet from scratch (see ``Libro.colorear``)."""

    hoja: str
    area: str
    rellenos: Rellenos = field(default_factory=dict)


@dataclass(frozen=True)
class Resaltar:
    """Make sure ``hoja`` carries our conditional formats ``reglas`` (and only this version
    of them); the user's own formats stay."""

    hoja: str
    reglas: ReglasColor


Escritura = Bloque | PonerHoja | QuitarHoja | Colorear | Resaltar


class Destino(Protocol):
    """The primitive operations of the port that ``aplicar`` is made of."""

    def escribir(self, hoja: str, fila: int, columna: int, valores: list[list[Any]]) -> None: ...

    def poner_hoja(self, hoja: HojaGenerada, despues_de: str | None = None) -> None: ...

    def quitar_hoja(self, nombre: str) -> None: ...

    def colorear(self, hoja: str, area: str, rellenos: Rellenos) -> None: ...

    def resaltar(self, hoja: str, reglas: ReglasColor) -> None: ...


def aplicar_en_orden(destino: Destino, escrituras: Sequence[Escritura]) -> None:
    """Carry out each write in the order given."""
    for e in escrituras:
        if isinstance(e, Bloque):
            destino.escribir(e.hoja, e.fila, e.columna, e.valores)
        elif isinstance(e, PonerHoja):
            destino.poner_hoja(e.hoja, e.despues_de)
        elif isinstance(e, QuitarHoja):
            destino.quitar_hoja(e.nombre)
        elif isinstance(e, Resaltar):
            destino.resaltar(e.hoja, e.reglas)
        else:
            destino.colorear(e.hoja, e.area, e.rellenos)


def hojas_primero(escrituras: Sequence[Escritura]) -> list[Escritura]:
    """The same writes with whole-sheet ones first, when that changes no outcome: no cell
    write or colouring aims at a sheet that a later whole-sheet write replaces or removes."""
    enteras = [e for e in escrituras if isinstance(e, PonerHoja | QuitarHoja)]
    resto = [e for e in escrituras if not isinstance(e, PonerHoja | QuitarHoja)]
    reemplazadas: set[str] = set()
    for e in reversed(escrituras):
        if isinstance(e, PonerHoja):
            reemplazadas.add(fold(e.hoja.nombre))
        elif isinstance(e, QuitarHoja):
            reemplazadas.add(fold(e.nombre))
        elif fold(e.hoja) in reemplazadas:
            return list(escrituras)
    return [*enteras, *resto]


def mismos_valores(actual: Grid | None, hoja: HojaGenerada) -> bool:
    """Whether a sheet already holds exactly the values ``hoja`` would write."""
    return actual is not None and _planas(actual.rows) == _planas(hoja.filas)


def poner_si_cambia(
    actual: Grid | None, hoja: HojaGenerada, despues_de: str | None = None
) -> list[Escritura]:
    """The sheet, unless the workbook already holds its values (a rerun writes nothing)."""
    return [] if mismos_valores(actual, hoja) else [PonerHoja(hoja, despues_de)]


def grid_de(hoja: HojaGenerada, libro: str) -> Grid:
    """The values of a sheet we are about to put, as reading it back would give them."""
    return Grid(libro, hoja.nombre, _planas(hoja.filas))


def _planas(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return recortar([[valor_plano(v) for v in row] for row in rows])


def valor_escribible(value: Any) -> Any:
    """A value as every adapter writes it: text without the control characters a workbook
    cannot hold (``text.sin_controles``), NaN as a blank, an infinite number as its text;
    the rest as it is. Whatever the domain hands over, no writer refuses it."""
    tipo = type(value)
    if tipo is int or value is None:  # the common cases first: called once per cell
        return value
    if tipo is float:
        return value if value - value == 0 else (None if value != value else str(value))
    if isinstance(value, str):
        return sin_controles(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None if value != value else str(value)
    return value


def valor_plano(value: Any) -> Any:
    """A cell value as both adapters read it back, so what we would write compares equal
    to what is there: blanks as None, numbers as floats, a link as its text, a midnight
    datetime as a date, text as it can be written."""
    tipo = type(value)
    if tipo is float:  # the common cases first: called once per cell
        return value if value - value == 0 else (None if value != value else str(value))
    if value is None:
        return None
    if tipo is int:
        return float(value)
    if tipo is str:
        texto = sin_controles(value)
        return texto if texto else None
    if isinstance(value, Enlace):
        return sin_controles(value.texto)
    value = valor_escribible(value)
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value
