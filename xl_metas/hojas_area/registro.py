"""The hidden registry of the sheets we generated, and their fingerprints: a hash of the
whole layout and one hash per row of values, to leave unchanged sheets alone and to find
hand edits."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..grid import Grid, recortar
from ..libro import Libro
from ..render import HojaGenerada
from ..text import sin_controles
from .diseno import ColoresMeses

# Hidden sheet where we record what we generated (survives Excel and openpyxl saves).
HOJA_REGISTRO = "Hojas generadas"
ENCABEZADOS_REGISTRO = ("HOJA", "PROGRAMA", "HUELLA", "FILAS")
AVISO_REGISTRO = (
    "No modifique esta hoja: xl-metas la usa para reconocer las hojas por área que generó "
    "y detectar cambios hechos a mano."
)


# -- fingerprints ------------------------------------------------------------------------
def _para_huella(value: Any) -> Any:
    """A cell value as any reader gives it back (calamine, openpyxl, xlwings), as text that
    hashes the same however the number was typed (an infinite one reads back as its text,
    "inf", and hashes so too)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return sin_controles(str(value))  # as written: without what a workbook cannot hold


def _filas_planas(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return recortar([[_para_huella(v) for v in row] for row in rows])


def _hash(data: Any, size: int) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def huellas_filas(rows: Sequence[Sequence[Any]]) -> list[str]:
    """One short hash per row of values (blank rows included, trailing blanks trimmed)."""
    return [_hash(row, 8) for row in _filas_planas(rows)]


def huella_hoja(hoja: HojaGenerada, colores: ColoresMeses | None = None) -> str:
    """A hash of everything we write on the sheet: values, styles, merges, sizes, printing
    and the month colours."""
    data = asdict(hoja)
    data["filas"] = _filas_planas(hoja.filas)
    if colores is not None:
        data["colores"] = [colores.area, sorted(colores.rellenos.items(), key=str)]
    return _hash(data, 16)


@dataclass(frozen=True)
class Registro:
    hoja: str
    programa: str
    huella: str
    filas: tuple[str, ...]


def leer_registro(libro: Libro) -> list[Registro]:
    nombre = libro.resolver(HOJA_REGISTRO)
    return read_registro(libro.leer(nombre)) if nombre else []


def read_registro(grid: Grid) -> list[Registro]:
    registros = []
    for r in range(1, grid.height + 1):
        hoja, programa = grid.value(r, 1), grid.value(r, 2)
        if r <= 3 or not isinstance(hoja, str):  # notice, blank, header
            continue
        huella, filas = grid.value(r, 3), grid.value(r, 4)
        registros.append(
            Registro(
                hoja,
                "" if programa is None else str(programa),
                str(huella or ""),
                tuple(str(filas or "").split()),
            )
        )
    return registros


def hoja_registro(registros: Sequence[Registro]) -> HojaGenerada:
    filas: list[list[Any]] = [[AVISO_REGISTRO], [], list(ENCABEZADOS_REGISTRO)]
    filas += [[r.hoja, r.programa, r.huella, " ".join(r.filas)] for r in registros]
    return HojaGenerada(nombre=HOJA_REGISTRO, filas=filas, oculta=True)


def filas_editadas(registro: Registro, actuales: Sequence[Sequence[Any]]) -> list[int]:
    """Rows (1-based) whose values differ from what we generated."""
    now = huellas_filas(actuales)
    return [
        i + 1
        for i in range(max(len(now), len(registro.filas)))
        if (now[i] if i < len(now) else None)
        != (registro.filas[i] if i < len(registro.filas) else None)
    ]
