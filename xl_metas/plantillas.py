"""Template sheets for xlwings Lite: the fixed top of a generated sheet, kept hidden in the
workbook, so that a press copies it (one ``copySheet``) instead of setting every column
width, header style, merge, height and the frozen panes one Excel operation at a time.

A sheet's fixed top is what lies above its frozen panes (``HojaGenerada.congelar``): the
title and header rows, whose formats do not depend on the data (their texts do, and those
are written with the values). The template is that top as a sheet of its own, with no
values, hidden, named by a digest of its formats (``PREFIJO_PLANTILLA`` + 10 hex digits).
The name is the contract: the adapter looks for the name its sheet's top gives, so a
template built from other formats (an older build, a quarterly plan's months, a user who
edited it by hand and renamed it) is never used by mistake; without a matching template
the press formats the sheet as before.

Pure: no Excel library. ``build`` writes the templates (``build.plantillas_del_plan``: very
hidden, at the end of a new workbook), ``workbook_xlwings`` uses them, and everything that
lists the user's sheets skips them (``es_plantilla``: ``lectura.leer``, the file adapters'
listings).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .render import HojaGenerada, rango, rectangulos

PREFIJO_PLANTILLA = "_plantilla_"


def es_plantilla(nombre: str) -> bool:
    """True for a template sheet's name (readers and listings skip them)."""
    return nombre.startswith(PREFIJO_PLANTILLA)


def fila_congelada(hoja: HojaGenerada) -> int | None:
    """The first scrolling row (7 for ``congelar="A7"``); None without frozen rows."""
    if not hoja.congelar:
        return None
    fila = rectangulos(hoja.congelar)[0][0]
    return fila if fila > 1 else None


def cabecera(hoja: HojaGenerada) -> HojaGenerada | None:
    """The template of ``hoja``'s fixed top: every column width, the frozen panes, and the
    styles, merges and heights of the rows above them; None when the sheet freezes no
    rows, or when a merge or Excel's row autofit crosses into those rows (no fixed top)."""
    fila = fila_congelada(hoja)
    if fila is None:
        return None
    ultima = fila - 1
    if hoja.autoajuste:
        a, _, b = hoja.autoajuste.partition(":")
        if int(a) <= ultima:
            return None
    combinadas = []
    for area in hoja.combinadas:
        r1, _, r2, _ = rectangulos(area)[0]
        if r1 <= ultima < r2:
            return None
        if r2 <= ultima:
            combinadas.append(area)
    estilos = []
    for area, estilo in hoja.estilos:
        partes = [
            rango(r1, c1, min(r2, ultima), c2)
            for r1, c1, r2, c2 in rectangulos(area)
            if r1 <= ultima
        ]
        if partes:
            estilos.append((",".join(partes), estilo))
    sin_nombre = HojaGenerada(
        nombre="",
        filas=[],
        anchos=dict(sorted(hoja.anchos.items())),
        estilos=estilos,
        combinadas=combinadas,
        altos={r: h for r, h in sorted(hoja.altos.items()) if r <= ultima},
        congelar=hoja.congelar,
        oculta=True,
    )
    huella = hashlib.sha1(repr(sin_nombre).encode("utf-8")).hexdigest()[:10]
    return replace(sin_nombre, nombre=PREFIJO_PLANTILLA + huella)


def filas_cubiertas(plantilla: HojaGenerada) -> int:
    """How many top rows a template formats (those above its frozen panes)."""
    fila = fila_congelada(plantilla)
    return fila - 1 if fila else 0


def plantillas(hojas: Iterable[HojaGenerada]) -> list[HojaGenerada]:
    """The distinct templates of ``hojas`` (area sheets share one), in order of first use."""
    vistas: dict[str, HojaGenerada] = {}
    for hoja in hojas:
        plantilla = cabecera(hoja)
        if plantilla is not None:
            vistas.setdefault(plantilla.nombre, plantilla)
    return list(vistas.values())


def sin_plantillas(nombres: Sequence[str]) -> list[str]:
    """``nombres`` without template sheets."""
    return [n for n in nombres if not es_plantilla(n)]
