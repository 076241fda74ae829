"""Small text helpers shared by the readers: label folding and cell addresses."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Control characters XML cannot hold, so no workbook can store them as they are (Excel
# escapes them as _x000B_; openpyxl refuses them): what a line break pasted from another
# program leaves (vertical tab, form feed) and other control codes.
CONTROLES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SALTOS = "\x0b\x0c"


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


# Characters that do not show, or show as an ordinary space, but make a different text:
# pasted from a web page or a word processor, they split a programa or a unit in two.
INVISIBLES: dict[str, str] = {
    "\u200b": "espacio de ancho cero",
    "\u200c": "separador de ancho cero",
    "\u200d": "unión de ancho cero",
    "\u2060": "unión de palabras",
    "\ufeff": "marca de orden de bytes",
    "\u00ad": "guion suave",
    "\u00a0": "espacio duro",
    "\u202f": "espacio duro estrecho",
    "\u2007": "espacio de cifra",
}
_ESPACIOS_DUROS = "\u00a0\u202f\u2007"


def visible(texto: str) -> str:
    """The text as it looks: invisible characters dropped, hard spaces as spaces."""
    return "".join(" " if c in _ESPACIOS_DUROS else "" if c in INVISIBLES else c for c in texto)


def invisibles(texto: object) -> list[tuple[str, str, str]]:
    """Each invisible character of a text, once: (code point "U+200B", its name, the
    visible text before its first occurrence)."""
    if not isinstance(texto, str) or not any(c in INVISIBLES for c in texto):
        return []
    vistos: dict[str, tuple[str, str, str]] = {}
    for i, c in enumerate(texto):
        if c in INVISIBLES and c not in vistos:
            vistos[c] = (f"U+{ord(c):04X}", INVISIBLES[c], visible(texto[:i]))
    return list(vistos.values())


def sin_controles(texto: str) -> str:
    """The text as a workbook can hold it: a vertical tab or form feed (a line break pasted
    from another program) becomes a line break, other control characters are dropped."""
    if CONTROLES.search(texto) is None:
        return texto
    return CONTROLES.sub(lambda m: "\n" if m.group() in _SALTOS else "", texto)


def controles(texto: object) -> list[str]:
    """The control characters in a text, as Unicode code points ("U+000B"), once each."""
    if not isinstance(texto, str):
        return []
    return sorted({f"U+{ord(c):04X}" for c in CONTROLES.findall(texto)})


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
