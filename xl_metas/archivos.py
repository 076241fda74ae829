"""Workbook files: the one place that knows which adapter opens and creates them.

Front ends (the command line, the copies by e-mail) open a file here and then speak only
the ``Libro`` port; every write goes through ``guardado``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import guardado
from .render import HojaGenerada
from .workbook_file import LibroArchivo, crear_libro


def abrir(ruta: Path) -> LibroArchivo:
    """A .xlsx/.xlsm file as a ``Libro``; nothing is written until ``guardar``."""
    return LibroArchivo(Path(ruta))


def crear(
    destino: Path,
    hojas: Sequence[HojaGenerada],
    *,
    plantilla: Path | None = None,
    reemplazar: bool = False,
) -> guardado.Guardado:
    """A new workbook holding ``hojas``: a copy of ``plantilla`` (a macro workbook, its
    VBA and buttons kept) with them put in, or a plain .xlsx. An existing file is refused
    unless ``reemplazar`` (then it is kept as .bak)."""
    if plantilla is None:
        return crear_libro(Path(destino), hojas, reemplazar=reemplazar)
    libro = LibroArchivo(plantilla)  # read only: the new workbook is written to destino
    for hoja in hojas:
        libro.poner_hoja(hoja)
    return libro.guardar_como(Path(destino), respaldo=reemplazar, solo_nuevo=not reemplazar)


def ruta_respaldo(ruta: Path) -> Path:
    """Where a save keeps the previous file (``LIBRO.xlsm.bak``)."""
    return guardado.respaldo_de(Path(ruta))
