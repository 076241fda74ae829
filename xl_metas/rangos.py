"""Cells grouped into few rectangles: what colouring and block writes need.

An Excel adapter pays one operation per rectangle, so cells are grouped: runs along each
row, then identical runs on consecutive rows merged. Each rectangle holds only the cells
given.
"""

from __future__ import annotations

from collections.abc import Iterable

from .text import cell_address

Rectangulo = tuple[int, int, int, int]  # first row, first column, last row, last column


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted runs of consecutive integers: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def rectangulos(celdas: Iterable[tuple[int, int]]) -> list[Rectangulo]:
    """Cells (row, column) as sorted rectangles (r1, c1, r2, c2)."""
    by_row: dict[int, list[int]] = {}
    for row, column in celdas:
        by_row.setdefault(row, []).append(column)
    rows_by_run: dict[tuple[int, int], list[int]] = {}  # (first col, last col) -> rows
    for row, columns in by_row.items():
        for run in runs(columns):
            rows_by_run.setdefault(run, []).append(row)
    return sorted(
        (r1, c1, r2, c2) for (c1, c2), rows in rows_by_run.items() for r1, r2 in runs(rows)
    )


def columnas_enteras(primera: int, ultima: int, columnas: Iterable[int]) -> list[Rectangulo]:
    """``rectangulos`` of every cell of ``columnas`` from row ``primera`` to ``ultima``,
    without listing the cells (a table of 5,000 rows has 65,000 of them)."""
    return [(primera, c1, ultima, c2) for c1, c2 in runs(columnas)]


def agrupar_rangos(celdas: Iterable[tuple[int, int]]) -> list[str]:
    """The same rectangles as A1 ranges ("D5:F7", or "D8" for a single cell)."""
    return en_a1(rectangulos(celdas))


def en_a1(rectangulos: Iterable[Rectangulo]) -> list[str]:
    """Rectangles as A1 ranges ("D5:F7", or "D8" for a single cell)."""
    out = []
    for r1, c1, r2, c2 in rectangulos:
        a, b = cell_address(r1, c1), cell_address(r2, c2)
        out.append(a if a == b else f"{a}:{b}")
    return out
