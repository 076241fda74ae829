"""The Consolidación log: one row per outcome, only ever appended to, so consolidating
the same copy twice adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..escrituras import Bloque, Escritura, PonerHoja
from ..grid import Grid
from ..model import Valor
from ..render import Estilo, HojaGenerada, Impresion
from ..text import fold
from .informe import Celda, Informe, _ordenadas
from .sello import HOJA_CONSOLIDACION

# -- the Consolidación log ---
ENCABEZADOS_LOG = (
    "FECHA",
    "ARCHIVO",
    "PROGRAMA",
    "META",
    "CELDAS",
    "RESULTADO",
    "EN EL LIBRO",
    "EN LA COPIA",
    "DETALLE",
)
FILA_ENCABEZADO_LOG = 4
ACTUALIZADA = "actualizada"
CONFLICTO_LIBRO = "conflicto: se conservó el libro"
CONFLICTO_COPIA = "conflicto: se tomó la copia"
PROPUESTA = "propuesta de cambio al Plan (no aplicada)"
FUERA = "no aplicada"
RECHAZADA = "copia rechazada"
AVISO = "aviso"


def entradas(informe: Informe) -> list[list[str]]:
    """The log entries of a consolidation (without the date): one per updated meta, one per
    conflict, proposal and rejection."""
    filas: list[list[str]] = []
    for r in informe.copias:
        base = [r.archivo, r.programa]
        if r.rechazo:
            filas.append([*base, "", "", RECHAZADA, "", "", r.rechazo])
            continue
        for aviso in r.avisos:
            filas.append([*base, "", "", AVISO, "", "", aviso])
        conflictos = {(c.meta, c.campo) for c in r.conflictos}
        por_meta: dict[str, list[Celda]] = {}
        for c in r.actualizadas:
            if not conflictos or (c.meta, c.campo) not in conflictos:
                por_meta.setdefault(c.meta, []).append(c)
        for meta in _ordenadas(por_meta):
            celdas = por_meta[meta]
            filas.append(
                [
                    *base,
                    meta,
                    ", ".join(c.celda for c in celdas),
                    ACTUALIZADA,
                    "",
                    "",
                    ", ".join(c.etiqueta for c in celdas),
                ]
            )
        resultado = CONFLICTO_COPIA if informe.preferir_copia else CONFLICTO_LIBRO
        for c in r.conflictos:
            filas.append(
                [
                    *base,
                    c.meta,
                    c.celda,
                    resultado,
                    Valor(c.libro).texto,
                    Valor(c.copia).texto,
                    c.etiqueta,
                ]
            )
        for p in r.propuestas:
            filas.append([*base, p.meta, p.celda, PROPUESTA, p.libro, p.copia, p.mensaje])
        for a in r.fuera:
            filas.append([*base, a.meta, "", FUERA, "", "", a.mensaje])
    return filas


def escrituras_registro(
    grid: Grid | None, informe: Informe, despues_de: str, ahora: Callable[[], dt.datetime] | None
) -> list[Escritura]:
    """The new entries of the Consolidación log (``grid``, None when missing); entries
    already there are not repeated, so a second identical run leaves the sheet (and the
    file) as it was.

    The entries go below the last row as one block of values when the sheet has our header
    row; the sheet is (re)built only when it is missing or its header was changed."""
    previas: list[list[Any]] = []
    nombre = grid.hoja if grid is not None else None
    anexar = False
    fin = FILA_ENCABEZADO_LOG
    if grid is not None:
        columnas = range(1, len(ENCABEZADOS_LOG) + 1)
        anexar = [fold(Valor(grid.value(FILA_ENCABEZADO_LOG, c)).texto) for c in columnas] == [
            fold(e) for e in ENCABEZADOS_LOG
        ]
        fin = max(grid.height, FILA_ENCABEZADO_LOG)
        for row in range(FILA_ENCABEZADO_LOG + 1, grid.height + 1):
            valores = [Valor(grid.value(row, c)).texto for c in columnas]
            if any(valores):
                previas.append(valores)
    vistas = {tuple(p[1:]) for p in previas}
    fecha = (ahora or dt.datetime.now)().strftime("%d/%m/%Y %H:%M")
    nuevas = []
    for entrada in entradas(informe):
        if tuple(entrada) not in vistas:
            vistas.add(tuple(entrada))
            nuevas.append([fecha, *entrada])
    if nombre is not None and not nuevas:
        return []
    if nombre is not None and anexar:
        return [Bloque(nombre, fin + 1, 1, nuevas)]
    return [PonerHoja(hoja_consolidacion(previas + nuevas), despues_de=despues_de)]


def hoja_consolidacion(filas: list[list[Any]]) -> HojaGenerada:
    # No per-cell style on the entries: with thousands of them it would cost seconds.
    return HojaGenerada(
        nombre=HOJA_CONSOLIDACION,
        filas=[
            ["CONSOLIDACIÓN DE COPIAS POR ÁREA"],
            [
                "Cada vez que se consolidan copias se agregan aquí las celdas actualizadas, los "
                "conflictos (valor distinto en el libro y en la copia), las propuestas de cambio "
                "al Plan y las copias rechazadas. Los cambios al Plan nunca se aplican solos."
            ],
            [],
            list(ENCABEZADOS_LOG),
            *filas,
        ],
        anchos={"A": 16, "B": 34, "C": 18, "D": 7, "E": 16, "F": 30, "G": 18, "H": 18, "I": 60},
        estilos=[
            ("A1", Estilo(negrita=True, tamano=13)),
            ("A2", Estilo(color_fuente="595959")),
            (
                f"A{FILA_ENCABEZADO_LOG}:I{FILA_ENCABEZADO_LOG}",
                Estilo(negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True),
            ),
        ],
        congelar=f"A{FILA_ENCABEZADO_LOG + 1}",
        impresion=Impresion(filas_repetidas=f"{FILA_ENCABEZADO_LOG}:{FILA_ENCABEZADO_LOG}"),
    )


# -- short summaries (CLI footer and the buttons' message boxes) -------------------------------
