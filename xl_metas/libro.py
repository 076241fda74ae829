"""The port every command reads and writes through: a workbook file or a live Excel book.

Commands in ``operaciones`` talk only to this protocol, so a button press and the CLI run
the same code. Files are opened by ``archivos.abrir``; a book from Excel is wrapped by
``workbook_xlwings.LibroXlwings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .escrituras import Escritura
from .grid import Grid
from .render import HojaGenerada, ReglasColor, Rellenos


class Libro(Protocol):
    nombre: str

    @property
    def ruta(self) -> Path | None:
        """The workbook's file, or None for a book never saved to a folder."""
        ...

    def hojas(self) -> list[str]:
        """Sheet names in workbook order."""
        ...

    def resolver(self, nombre: str) -> str | None:
        """The sheet's name as the workbook spells it (accents and case aside), or None."""
        ...

    def leer(self, hoja: str) -> Grid:
        """The sheet's values as one block. Raises LecturaError when the sheet is missing."""
        ...

    def ultimo_autor(self) -> str | None:
        """Who saved the workbook last, as the workbook says (a file's
        ``docProps/core.xml`` lastModifiedBy; Excel's «Last Author» under COM), or None."""
        ...

    def aplicar(self, escrituras: Sequence[Escritura]) -> None:
        """Carry out a command's writes (``escrituras``), in the cheapest order that gives
        the same result."""
        ...

    def guardar(self) -> bool:
        """Keep the changes: a file is saved safely (True when it was written, False when
        nothing changed); an Excel book is saved in place."""
        ...

    def escribir(self, hoja: str, fila: int, columna: int, valores: list[list[Any]]) -> None:
        """Write one block of values; text stays text (never a formula)."""
        ...

    def poner_hoja(self, hoja: HojaGenerada, despues_de: str | None = None) -> None:
        """Create a sheet we own, or replace it whole (always: whether it is needed is the
        caller's decision, see ``escrituras.poner_si_cambia``)."""
        ...

    def quitar_hoja(self, nombre: str) -> None: ...

    def colorear(self, hoja: str, area: str, rellenos: Rellenos) -> None:
        """Recolour a user sheet from scratch: clear the fill of ``area``, then fill each
        group of cells (addresses or ranges) with its colour ("RRGGBB"); None = no fill.
        Nothing outside ``area`` and nothing but the fill is touched."""
        ...

    def resaltar(self, hoja: str, reglas: ReglasColor) -> None:
        """Our conditional formats on ``hoja`` are exactly ``reglas``; nothing else changes.
        (Excel through xlwings' remote engine cannot add them: there it does nothing.)"""
        ...
