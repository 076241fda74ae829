"""Sheets we render from results: Validación (each finding links to its cell)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .model import Hallazgo, Severidad
from .render import Enlace, Estilo, HojaGenerada, Impresion
from .validation import count_text

HOJA_VALIDACION = "Validación"
ANCHO_MENSAJE = 80
ENCABEZADOS_VALIDACION = ("REGLA", "SEVERIDAD", "HOJA", "CELDA", "META", "MENSAJE")
COLOR_SEVERIDAD = {
    Severidad.ERROR: "F8CBAD",
    Severidad.ADVERTENCIA: "FFE699",
    Severidad.INFO: "DDEBF7",
}
ENCABEZADO = Estilo(negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True)


def validation_sheet(hallazgos: Sequence[Hallazgo]) -> HojaGenerada:
    filas: list[list[Any]] = [
        ["Validación del plan"],
        [
            f"Hallazgos: {count_text(hallazgos)}."
            if hallazgos
            else "Sin hallazgos: el plan está en orden."
        ],
        [],
        list(ENCABEZADOS_VALIDACION),
    ]
    estilos = [("A1", Estilo(negrita=True, tamano=14)), ("A4:F4", ENCABEZADO)]
    rows_by_severity: dict[Severidad, list[int]] = {}
    for index, h in enumerate(hallazgos, start=5):
        celda: Any = Enlace(h.celda, h.hoja, h.celda) if h.celda else None
        filas.append([h.regla, str(h.severidad), h.hoja, celda, h.meta or None, h.mensaje])
        rows_by_severity.setdefault(h.severidad, []).append(index)
    # Findings come sorted by severity: one coloured block per severity.
    for severidad, rows in rows_by_severity.items():
        estilos.append((f"B{rows[0]}:B{rows[-1]}", Estilo(relleno=COLOR_SEVERIDAD[severidad])))
    ultima = 4 + len(hallazgos)
    if hallazgos:
        estilos.append((f"A5:F{ultima}", Estilo(ajustar=True, vertical="top")))
    return HojaGenerada(
        nombre=HOJA_VALIDACION,
        filas=filas,
        anchos={"A": 26, "B": 14, "C": 12, "D": 8, "E": 7, "F": ANCHO_MENSAJE},
        estilos=estilos,
        # LibreOffice does not grow rows for wrapped text when opening; Excel autofits them.
        altos={i: _alto(h.mensaje) for i, h in enumerate(hallazgos, start=5)},
        autoajuste=f"5:{ultima}" if hallazgos else None,
        congelar="A5",
        impresion=Impresion(filas_repetidas="4:4"),
    )


def _alto(mensaje: str) -> float:
    """Height of a finding's row: its message wraps at about 1.3 characters per width unit."""
    return 15.0 * max(1, math.ceil(len(mensaje) / (ANCHO_MENSAJE * 1.3))) + 2
