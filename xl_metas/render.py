"""What a command writes, as plain data the adapters apply (they decide nothing).

A sheet we own entirely (Validación, Resumen, the area sheets) is a ``HojaGenerada``;
values written into a user's sheet are blocks; colours are grouped by fill.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .text import cell_address, column_letter, quote_sheet


@dataclass(frozen=True)
class Enlace:
    """A cell that links to another cell of the workbook."""

    texto: str
    hoja: str
    celda: str


@dataclass(frozen=True)
class Estilo:
    negrita: bool = False
    relleno: str | None = None  # "RRGGBB"
    color_fuente: str | None = None
    tamano: float | None = None
    horizontal: str | None = None  # left, center, right
    vertical: str | None = None  # top, center, bottom
    ajustar: bool = False  # wrap text
    borde: bool = False  # thin border around each cell
    formato: str | None = None  # number format, e.g. "0%"


@dataclass(frozen=True)
class Impresion:
    horizontal: bool = True  # landscape
    ajustar_ancho: bool = True  # one page wide
    filas_repetidas: str | None = None  # e.g. "5:6"
    papel_carta: bool = True
    saltos: tuple[int, ...] = ()  # rows that start a new page (manual page breaks)


@dataclass(frozen=True)
class Serie:
    titulo: str  # series name, as shown in the legend
    rango: str  # values, e.g. "B5:M5" (one row or one column of the same sheet)


@dataclass(frozen=True)
class Grafica:
    """A native Excel chart placed on a generated sheet."""

    titulo: str
    categorias: str  # e.g. "B4:M4"
    series: tuple[Serie, ...]
    ancla: str  # top-left cell, e.g. "B20"
    tipo: str = "columnas"  # columnas | lineas
    titulo_eje_y: str = ""
    ancho_cm: float = 24.0
    alto_cm: float = 10.0


@dataclass
class HojaGenerada:
    """A whole sheet, written from A1. Rewriting it replaces values, styles and merges."""

    nombre: str
    filas: list[list[Any]]
    anchos: Mapping[str, float] = field(default_factory=dict)  # column letter -> width
    estilos: list[tuple[str, Estilo]] = field(default_factory=list)  # range -> style
    combinadas: list[str] = field(default_factory=list)
    altos: dict[int, float] = field(default_factory=dict)  # row -> height
    # Rows (e.g. "7:26") whose heights in ``altos`` are only estimates of what Excel's row
    # autofit gives: a live Excel autofits them in one operation instead, then sets the
    # row ranges of ``altos_fijos`` (one height each: rows under a vertical merge, which
    # autofit ignores). A file writer, which cannot autofit, writes every height in altos.
    autoajuste: str | None = None
    altos_fijos: list[str] = field(default_factory=list)
    congelar: str | None = None  # top-left cell of the scrolling area, e.g. "A5"
    impresion: Impresion | None = None
    oculta: bool = False
    graficas: list[Grafica] = field(default_factory=list)
    # Sheet protection against accidental edits (CLAVE_PROTECCION): not security, the
    # password is in this code. The file adapter and Excel under COM protect; xlwings'
    # remote engine and Lite have no action for it (the sheet is only hidden there).
    protegida: bool = False


CLAVE_PROTECCION = "xl-metas"


# -- colours through a hidden mirror sheet ------------------------------------------------
# ``Libro.colorear`` does not fill cells one by one: it writes a small code per cell
# (index in PALETA plus one; blank = no fill) into a hidden mirror sheet, as one block,
# and conditional-formatting rules on the coloured area (one per palette colour) show the
# colour. The cost in Excel is then the same for 10 metas or 5,000.
PALETA: tuple[str, ...] = (
    "63BE7B",  # cumplido, semáforo verde
    "C6EFCE",  # cumplido con atraso
    "F4B183",  # parcial
    "FF7C80",  # vencido, semáforo rojo
    "9DC3E6",  # no programado
    "E7E6E6",  # en curso
    "FFEB84",  # semáforo amarillo
)
PREFIJO_ESPEJO = "_colores_"
ULTIMA_FILA = 1_048_576

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def hoja_espejo(hoja: str) -> str:
    """Name of the hidden sheet that holds the colour codes of ``hoja`` (at most 31
    characters; a long name keeps a short hash so two long names never share a mirror)."""
    nombre = PREFIJO_ESPEJO + hoja
    if len(nombre) <= 31:
        return nombre
    huella = hashlib.sha1(hoja.encode("utf-8")).hexdigest()[:4]
    return f"{nombre[:26]}~{huella}"


def codigo_color(color: str | None) -> int | None:
    """The mirror code of a fill: 1… for PALETA colours, None for no fill."""
    if color is None:
        return None
    try:
        return PALETA.index(color.upper()) + 1
    except ValueError:
        raise ValueError(f"colour {color!r} is not in render.PALETA; add it there") from None


def rectangulos(area: str) -> list[tuple[int, int, int, int]]:
    """``"E5:P9,T5"`` -> [(5, 5, 9, 16), (5, 20, 5, 20)]: (row1, col1, row2, col2), 1-based."""
    out = []
    for part in area.split(","):
        first, _, last = part.strip().partition(":")
        r1, c1 = _celda(first)
        r2, c2 = _celda(last) if last else (r1, c1)
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _celda(ref: str) -> tuple[int, int]:
    match = _REF.match(ref.strip())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    column = 0
    for ch in match.group(1).upper():
        column = column * 26 + ord(ch) - 64
    return int(match.group(2)), column


def rango(r1: int, c1: int, r2: int, c2: int) -> str:
    a, b = cell_address(r1, c1), cell_address(r2, c2)
    return a if a == b else f"{a}:{b}"


@dataclass(frozen=True)
class ReglasColor:
    """Conditional formats we own on ``hoja``: the same rules in the shipped workbook
    (build), in a file (openpyxl) and in Excel (COM). Ours are told from the user's by
    ``marca``, a text every formula of ours holds (the mirror's name, or a N("…") tag)."""

    hoja: str
    espejo: str | None  # the mirror sheet the formulas read, when they read one
    rangos: tuple[str, ...]  # the coloured columns, from the area's first row to the last row
    reglas: tuple[tuple[str, str], ...]  # (formula without "=", "RRGGBB"), one per colour
    marca: str = ""


def reglas_color(hoja: str, area: str) -> ReglasColor:
    """Rules for ``area`` of ``hoja``. They reach the last row of the sheet, so rows added
    later are covered without touching the rules; the formula reads the mirror cell at the
    same address (INDEX/ROW/COLUMN: no relative reference, so no active-cell surprises)."""
    rects = rectangulos(area)
    rangos = tuple(dict.fromkeys(rango(r1, c1, ULTIMA_FILA, c2) for r1, c1, _, c2 in rects))
    ultima_columna = max(c2 for _, _, _, c2 in rects)
    espejo = hoja_espejo(hoja)
    fuente = f"{quote_sheet(espejo)}!$A$1:${column_letter(ultima_columna)}${ULTIMA_FILA}"
    reglas = tuple(
        (f"INDEX({fuente},ROW(),COLUMN())={i}", color) for i, color in enumerate(PALETA, start=1)
    )
    return ReglasColor(hoja, espejo, rangos, reglas, marca=quote_sheet(espejo) + "!")


# Each colour's cells (None: no fill), as A1 ranges ("D5:F7", "G5") or as (row, column).
Rellenos = Mapping[str | None, Sequence[str] | Sequence[tuple[int, int]]]


def bloque_colores(
    area: str,
    rellenos: Rellenos,
    anterior: Sequence[Sequence[Any]] = (),
) -> tuple[int, int, list[list[Any]]]:
    """The mirror block (first row, first column, values): a code per coloured cell of
    ``area``, None elsewhere. It also covers what ``anterior`` (the mirror's current rows,
    from A1) holds, so stale codes of a shrunken table are cleared in the same write."""
    rects = rectangulos(area)
    codes: dict[tuple[int, int], int | None] = {}
    for color, partes in rellenos.items():
        code = codigo_color(color)
        for parte in partes:
            if not isinstance(parte, str):
                codes[parte] = code
                continue
            for r1, c1, r2, c2 in rectangulos(parte):
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        codes[(r, c)] = code
    top = min(r1 for r1, _, _, _ in rects)
    left = min(c1 for _, c1, _, _ in rects)
    bottom = max(r2 for _, _, r2, _ in rects)
    right = max(c2 for _, _, _, c2 in rects)
    used = [
        (r, c)
        for r, row in enumerate(anterior, start=1)
        for c, value in enumerate(row, start=1)
        if value not in (None, "")
    ]
    if used:
        top, left = min(top, *(r for r, _ in used)), min(left, *(c for _, c in used))
        bottom, right = max(bottom, *(r for r, _ in used)), max(right, *(c for _, c in used))
    block = [[codes.get((r, c)) for c in range(left, right + 1)] for r in range(top, bottom + 1)]
    return top, left, block
