"""Small text helpers shared by the readers: label folding and cell addresses."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)  # labels, programas and units repeat on every row
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare).strip().casefold()


def fold(text: object) -> str:
    """Fold a label for comparison: no accents, no case, single spaces."""
    return _fold(str(text))


def enumerar(partes: list[str]) -> str:
    """«a», «a y b», «a, b y c»."""
    if len(partes) <= 1:
        return "".join(partes)
    return ", ".join(partes[:-1]) + " y " + partes[-1]


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA (written here: a domain module must not import openpyxl)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_address(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


def quote_sheet(sheet: str) -> str:
    """Sheet name as Excel writes it inside a reference."""
    return "'" + sheet.replace("'", "''") + "'"
