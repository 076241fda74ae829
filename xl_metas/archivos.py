"""Workbook files: the one place that knows which adapter opens them.

Front ends (the command line, the copies by e-mail, the workbook build) open a file here
and then speak only the ``Libro`` port.
"""

from __future__ import annotations

from pathlib import Path

from .workbook_file import LibroArchivo, backup_path


def abrir(ruta: Path) -> LibroArchivo:
    """A .xlsx/.xlsm file as a ``Libro``; nothing is written until ``guardar``."""
    return LibroArchivo(Path(ruta))


def ruta_respaldo(ruta: Path) -> Path:
    """Where a save keeps the previous file (``LIBRO.xlsm.bak``)."""
    return backup_path(Path(ruta))
