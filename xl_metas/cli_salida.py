"""What the command line prints, whatever the terminal's width.

Sentences and file paths are never hard-wrapped: each prints as one logical line and the
terminal soft-wraps it, so a path can be copied whole. Only tables adapt to the width, and
a table whose columns would not fit at a readable width prints as one block per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

# soft_wrap: no hard line breaks in sentences; tables still lay out to the console width.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# A column of running text (a message, a list of months) is readable from this many cells.
ANCHO_LEGIBLE = 40
# Rich's box: one border per column plus one, and one space of padding on each side.
_BORDE_POR_COLUMNA = 3


@dataclass(frozen=True)
class Columna:
    titulo: str
    justify: Literal["left", "right"] = "left"
    texto: bool = False  # running text: folds inside a table, gets its own line in a block


def _ancho(celda: str) -> int:
    return max((Text.from_markup(linea).cell_len for linea in celda.split("\n")), default=0)


def cabe(columnas: Sequence[Columna], filas: Sequence[Sequence[str]], ancho: int) -> bool:
    """Whether a table fits: every column at its natural width, running text at least
    ``ANCHO_LEGIBLE`` (or its natural width when shorter)."""
    total = 1
    for i, columna in enumerate(columnas):
        natural = max([_ancho(columna.titulo), *(_ancho(f[i]) for f in filas)])
        total += (min(natural, ANCHO_LEGIBLE) if columna.texto else natural) + _BORDE_POR_COLUMNA
    return total <= ancho


def tabla(
    titulo: str,
    columnas: Sequence[Columna],
    filas: Sequence[Sequence[str]],
    *,
    console: Console | None = None,
) -> None:
    """Print ``filas`` (rich markup, user text already escaped) as a table when it fits the
    console, otherwise as one block per row: the first column as the block's heading, the
    short columns on one line, each running-text column on a line of its own."""
    console = console or out
    if cabe(columnas, filas, console.width):
        table = Table(title=titulo, title_justify="left")
        for columna in columnas:
            table.add_column(columna.titulo, justify=columna.justify, overflow="fold")
        for fila in filas:
            table.add_row(*fila)
        console.print(table)
        return
    console.print(f"[bold]{titulo}[/]")
    for fila in filas:
        console.print(f"[bold]{fila[0]}[/]")
        cortas = [
            f"{esc(c.titulo)}: {v}"
            for c, v in zip(columnas[1:], fila[1:], strict=True)
            if v and not c.texto
        ]
        if cortas:
            console.print("  " + " · ".join(cortas))
        for c, v in zip(columnas[1:], fila[1:], strict=True):
            if v and c.texto:
                console.print(f"  {esc(c.titulo)}: {v}")
