"""The port every front end writes through: a workbook file (openpyxl) or a live book (xlwings).

Commands in ``operaciones`` talk only to this protocol, so a button press and the CLI run
the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .grid import Grid
from .render import HojaGenerada


class Libro(Protocol):
    nombre: str

    def hojas(self) -> list[str]:
        """Sheet names in workbook order."""
        ...

    def leer(self, hoja: str) -> Grid:
        """The sheet's values as one block. Raises LecturaError when the sheet is missing."""
        ...

    def escribir(self, hoja: str, fila: int, columna: int, valores: list[list[Any]]) -> None:
        """Write one block of values; text stays text (never a formula)."""
        ...

    def poner_hoja(self, hoja: HojaGenerada, despues_de: str | None = None) -> None:
        """Create or fully replace a sheet we own."""
        ...

    def quitar_hoja(self, nombre: str) -> None: ...

    def colorear(self, hoja: str, area: str, rellenos: Mapping[str | None, Sequence[str]]) -> None:
        """Recolour a user sheet from scratch: clear the fill of ``area``, then fill each
        group of cells (addresses or ranges) with its colour ("RRGGBB"); None = no fill.
        Nothing outside ``area`` and nothing but the fill is touched."""
        ...
