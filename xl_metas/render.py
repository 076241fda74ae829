"""What a command writes, as plain data the adapters apply (they decide nothing).

A sheet we own entirely (Validación, Resumen, the area sheets) is a ``HojaGenerada``;
values written into a user's sheet are blocks; colours are grouped by fill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
    congelar: str | None = None  # top-left cell of the scrolling area, e.g. "A5"
    impresion: Impresion | None = None
    oculta: bool = False
    graficas: list[Grafica] = field(default_factory=list)
