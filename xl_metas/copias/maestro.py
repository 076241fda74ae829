"""The master workbook's side: its identifier (a small hidden sheet, since the port sees
sheets only), its year and the folders of copies."""

from __future__ import annotations

import uuid
from pathlib import Path

from ..avance import HOJA_AVANCE
from ..errors import LecturaError
from ..lectura import leer_config
from ..libro import Libro
from ..model import Plan
from ..render import HojaGenerada
from ..text import fold
from .registro import hoja_consolidacion
from .sello import (
    AVISO_IDENTIDAD,
    ETIQUETA_ID,
    EXTENSIONES_COPIA,
    HOJA_CONSOLIDACION,
    HOJA_IDENTIDAD,
    SUBCARPETA_ENVIO,
)


# -- the master's identifier ---
def id_del_libro(libro: Libro) -> str | None:
    """The master's identifier, None when no copy was ever exported from it."""
    nombre = libro.resolver(HOJA_IDENTIDAD)
    if nombre is None:
        return None
    grid = libro.leer(nombre)
    for row in range(1, grid.height + 1):
        if fold(grid.value(row, 1) or "") == fold(ETIQUETA_ID):
            valor = grid.value(row, 2)
            return str(valor).strip() if valor else None
    return None


def asegurar_id(libro: Libro) -> str:
    """The master's identifier, created (in a hidden sheet) the first time.

    The Exportar copias button calls this through xlwings and saves the book before
    ``exportar_copias`` reads the file.
    """
    asegurar_registro(libro)
    actual = id_del_libro(libro)
    if actual:
        return actual
    nuevo = uuid.uuid4().hex
    libro.poner_hoja(
        HojaGenerada(
            nombre=HOJA_IDENTIDAD,
            filas=[[AVISO_IDENTIDAD], [], [ETIQUETA_ID, nuevo]],
            oculta=True,
        )
    )
    return nuevo


def asegurar_registro(libro: Libro) -> None:
    """The (empty) Consolidación log, created once when copies are first exported, so that
    consolidating only appends rows to it: plain cell writes (the file adapter saves those
    without rewriting the workbook, and Excel gets one block)."""
    if libro.resolver(HOJA_CONSOLIDACION) is None:
        avance = libro.resolver(HOJA_AVANCE)
        libro.poner_hoja(hoja_consolidacion([]), despues_de=avance)


def anio_del_libro(libro: Libro, plan: Plan) -> int | None:
    config, _ = leer_config(libro)
    return config.anio or plan.anio


def carpeta_copias(libro: Libro, ruta_libro: Path) -> Path:
    """The folder of returned copies from Configuración, relative to the master's folder."""
    config, _ = leer_config(libro)
    carpeta = Path(config.carpeta_copias)
    return carpeta if carpeta.is_absolute() else Path(ruta_libro).parent / carpeta


def carpeta_envio(libro: Libro, ruta_libro: Path) -> Path:
    """Where exported copies go: a subfolder of the returned copies' folder, so that a
    copy coming back with the same name never replaces the one sent, or vice versa."""
    return carpeta_copias(libro, ruta_libro) / SUBCARPETA_ENVIO


def copias_en_carpeta(carpeta: Path) -> list[Path]:
    """Workbooks in a folder (not its subfolders), without Excel's lock files or backups."""
    carpeta = Path(carpeta)
    if not carpeta.is_dir():
        raise LecturaError(f"No existe la carpeta de copias «{carpeta}».")
    return sorted(
        p
        for p in carpeta.iterdir()
        if p.is_file()
        and p.suffix.lower() in EXTENSIONES_COPIA
        and not p.name.startswith(("~$", ".~"))
    )
