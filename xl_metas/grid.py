"""A sheet read as one block of values, and tables found in it by their header labels.

Reading by labels: title rows above the table, column order, accents and case do not
matter; a header may span two rows (CALENDARIO over ENE…DIC, as in the original).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import LecturaError
from .model import EncabezadoRepetido
from .text import cell_address, fold

HEADER_SCAN_ROWS = 30
# When no header row is found, rows searched for the one that looks most like it, to say
# where it is (below the first 30 rows, or with a label written differently).
FILAS_PISTA = 1000


@dataclass(frozen=True)
class Grid:
    """Values of one sheet; ``rows[0][0]`` is cell A1. Trailing blank rows are not kept."""

    libro: str  # file or book name, for messages
    hoja: str
    rows: Sequence[Sequence[Any]]

    def value(self, row: int, column: int) -> Any:
        """Value at 1-based (row, column), None when outside or blank."""
        if row < 1 or row > len(self.rows):
            return None
        line = self.rows[row - 1]
        if column < 1 or column > len(line):
            return None
        value = line[column - 1]
        return None if value == "" else value

    @property
    def height(self) -> int:
        return len(self.rows)

    def where(self, row: int, column: int) -> str:
        return f"«{self.libro}», hoja «{self.hoja}», celda {cell_address(row, column)}"


@dataclass(frozen=True)
class Column:
    """A column the table may have: its key, the label we write, and labels we accept."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    @functools.cached_property
    def _folded(self) -> frozenset[str]:
        return frozenset(fold(label) for label in (self.label, *self.aliases))

    def accepts(self, text: str) -> bool:
        return fold(text) in self._folded


@dataclass(frozen=True)
class Table:
    """Where a table sits in a grid: header row(s), first data row, and column of each key."""

    grid: Grid
    header_row: int
    first_row: int
    columns: dict[str, int]
    last_header_column: int
    repetidas: tuple[EncabezadoRepetido, ...] = ()

    def rows(self) -> range:
        return range(self.first_row, self.grid.height + 1)

    def get(self, row: int, key: str) -> Any:
        column = self.columns.get(key)
        return None if column is None else self.grid.value(row, column)

    def address(self, row: int, key: str) -> str:
        return cell_address(row, self.columns[key]) if key in self.columns else ""


def recortar(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without their trailing blanks (None) and without trailing empty rows, in place."""
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def find_table(grid: Grid, columns: Sequence[Column], anchor_keys: Sequence[str]) -> Table:
    """Locate the header row by its labels and map each known column.

    ``anchor_keys`` are the labels that identify the header row. A required column that
    is missing is an error that names the sheet and suggests the closest unknown label.
    """
    by_key = {c.key: c for c in columns}
    for row in range(1, min(grid.height, HEADER_SCAN_ROWS) + 1):
        found = _match_row(grid, row, columns)
        if not all(key in found for key in anchor_keys):
            continue
        first_row = row + 1
        # Two-row header: labels missing here may sit in the next row (CALENDARIO / ENE…DIC),
        # never in a row with numbers (a first data row is not looked at label by label).
        if not _has_numbers(grid, row + 1):
            below = _match_row(grid, row + 1, [c for c in columns if c.key not in found])
            if len(below) >= 2:
                found.update(below)
                first_row = row + 2
        last = max(found.values())
        for column in range(1, len(grid.rows[row - 1]) + 1):
            if grid.value(row, column) is not None:
                last = max(last, column)
        missing = [c for c in columns if c.required and c.key not in found]
        if missing:
            raise LecturaError(_missing_message(grid, row, first_row, missing, found))
        repetidas = _repetidas(grid, range(row, first_row), columns, found)
        return Table(grid, row, first_row, found, last, repetidas)
    raise LecturaError(_sin_encabezados(grid, columns, [by_key[k] for k in anchor_keys]))


def _repetidas(
    grid: Grid, filas: range, columns: Sequence[Column], found: dict[str, int]
) -> tuple[EncabezadoRepetido, ...]:
    """Header cells that repeat a column already found (only the first one is read)."""
    usadas = {(f, c) for f in filas for c in found.values()}
    repetidas = []
    for fila in filas:
        for index, value in enumerate(grid.rows[fila - 1], start=1):
            if (fila, index) in usadas or not isinstance(value, str) or not value.strip():
                continue
            column = next((c for c in columns if c.accepts(value)), None)
            if column is not None and column.key in found:
                primera = _celda_de(grid, filas, found[column.key])
                repetidas.append(
                    EncabezadoRepetido(value.strip(), primera, cell_address(fila, index))
                )
    return tuple(repetidas)


def _celda_de(grid: Grid, filas: range, columna: int) -> str:
    """The header cell of a column found in a (one- or two-row) header."""
    fila = next((f for f in filas if grid.value(f, columna) is not None), filas.start)
    return cell_address(fila, columna)


def _sin_encabezados(grid: Grid, columns: Sequence[Column], anchors: Sequence[Column]) -> str:
    """No header row in the first rows: say where the row that looks most like one is."""
    labels = ", ".join(c.label for c in anchors)
    base = (
        f"«{grid.libro}», hoja «{grid.hoja}»: no encontré la fila de encabezados "
        f"(se buscan {labels} en las primeras {HEADER_SCAN_ROWS} filas)"
    )
    mejor: tuple[tuple[int, int], int, dict[str, int]] | None = None
    for row in range(1, min(grid.height, FILAS_PISTA) + 1):
        found = _match_row(grid, row, columns)
        puntos = (sum(c.key in found for c in anchors), len(found))
        if found and (mejor is None or puntos > mejor[0]):
            mejor = (puntos, row, found)
    if mejor is None or mejor[0][1] < 2:
        return base + "."
    _, row, found = mejor
    faltan = [c for c in anchors if c.key not in found]
    if not faltan:
        donde = ", ".join(f"{c.label} en {cell_address(row, found[c.key])}" for c in anchors)
        return (
            f"«{grid.libro}», hoja «{grid.hoja}»: los encabezados están en la fila {row} "
            f"({donde}), más abajo de las primeras {HEADER_SCAN_ROWS} filas, donde se buscan. "
            f"Borre filas vacías o de títulos de arriba para que queden dentro de las primeras "
            f"{HEADER_SCAN_ROWS}."
        )
    return (
        f"{base}. La que más se parece es la fila {row}: "
        + "; ".join(_faltantes(grid, row, row + 1, faltan, found))
        + "."
    )


def _has_numbers(grid: Grid, row: int) -> bool:
    return row <= grid.height and any(
        isinstance(v, int | float) and not isinstance(v, bool) for v in grid.rows[row - 1]
    )


def _match_row(grid: Grid, row: int, columns: Sequence[Column]) -> dict[str, int]:
    """Each column's first cell in the row whose label it accepts (a cell goes to the first
    column, in ``columns`` order, that accepts it and is not found yet)."""
    found: dict[str, int] = {}
    if row > grid.height:
        return found
    por_etiqueta = _por_etiqueta(tuple(columns))
    if not por_etiqueta:
        return found
    for index, value in enumerate(grid.rows[row - 1], start=1):
        if not isinstance(value, str) or not value.strip():
            continue
        for key in por_etiqueta.get(fold(value), ()):
            if key not in found:
                found[key] = index
                break
    return found


@functools.lru_cache(maxsize=64)
def _por_etiqueta(columns: tuple[Column, ...]) -> dict[str, tuple[str, ...]]:
    """Folded label -> the keys of the columns that accept it, in order: one look-up per
    header cell instead of folding it again for every column."""
    out: dict[str, list[str]] = {}
    for column in columns:
        for label in column._folded:
            out.setdefault(label, []).append(column.key)
    return {label: tuple(keys) for label, keys in out.items()}


def _missing_message(
    grid: Grid, row: int, first_row: int, missing: list[Column], found: dict[str, int]
) -> str:
    return (
        f"«{grid.libro}», hoja «{grid.hoja}», encabezados en la fila {row}: "
        + "; ".join(_faltantes(grid, row, first_row, missing, found))
        + "."
    )


def _faltantes(
    grid: Grid, row: int, first_row: int, missing: Sequence[Column], found: dict[str, int]
) -> list[str]:
    """«falta la columna …», with the header that looks like it and its cell."""
    used = set(found.values())
    unknown = {}
    for header_row in range(row, first_row):
        for index, value in enumerate(grid.rows[header_row - 1], start=1):
            if index not in used and isinstance(value, str) and value.strip():
                unknown[value.strip()] = cell_address(header_row, index)
    parts = []
    for column in missing:
        text = f"falta la columna «{column.label}»"
        close = difflib.get_close_matches(
            fold(column.label), [fold(u) for u in unknown], n=1, cutoff=0.6
        )
        if close:
            original = next(u for u in unknown if fold(u) == close[0])
            text += f" (¿es «{original}» en la celda {unknown[original]}? revise cómo está escrita)"
        parts.append(text)
    return parts
