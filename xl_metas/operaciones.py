"""The commands, as library calls over a ``Libro``: the CLI and the buttons both call these."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import hojas_area
from .errors import LecturaError
from .grid import Table
from .importer import read_document
from .libro import Libro
from .model import Hallazgo, Plan
from .plan_sheet import COLUMNAS_PLAN, HOJA_PLAN, plan_rows, read_plan
from .render import Estilo, HojaGenerada, Impresion
from .reportes import ENCABEZADO, HOJA_VALIDACION, validation_sheet
from .text import column_letter
from .totals import Totales, compute_totals
from .validation import validate_plan
from .workbook_file import LibroArchivo, crear_libro

ENCABEZADO_PLAN = replace(ENCABEZADO, ajustar=True, horizontal="center", vertical="center")
PROYECTO = Path(__file__).resolve().parent.parent
PLANTILLA_XLSM = PROYECTO / "workbook" / "Metas2011.xlsm"
DOCUMENTO_2011 = PROYECTO / "templates" / "programa-metas-2011.txt"


def leer_plan(libro: Libro) -> tuple[Plan, Table]:
    return read_plan(libro.leer(HOJA_PLAN))


def validar(libro: Libro) -> list[Hallazgo]:
    """All findings of the workbook, errors first."""
    plan, _ = leer_plan(libro)
    return validate_plan(plan)


def resumen(libro: Libro) -> Totales:
    plan, _ = leer_plan(libro)
    return compute_totals(plan)


@dataclass(frozen=True)
class Recalculo:
    plan: Plan
    hallazgos: list[Hallazgo]
    totales: Totales


def recalcular(libro: Libro) -> Recalculo:
    """Write the computed columns of Plan and the Validación sheet."""
    plan, table = leer_plan(libro)
    totales = compute_totals(plan)
    hallazgos = validate_plan(plan)
    _write_computed_columns(libro, plan, table, totales)
    libro.poner_hoja(validation_sheet(hallazgos), despues_de=HOJA_PLAN)
    return Recalculo(plan, hallazgos, totales)


def _write_computed_columns(libro: Libro, plan: Plan, table: Table, totales: Totales) -> None:
    """SUMA DEL CALENDARIO and DIFERENCIA beside each meta; headers added when missing."""
    columns = dict(table.columns)
    labels = {c.key: c.label for c in COLUMNAS_PLAN}
    next_free = table.last_header_column + 1
    for key in ("suma", "diferencia"):
        if key not in columns:
            columns[key] = next_free
            next_free += 1
            libro.escribir(plan.hoja, table.header_row, columns[key], [[labels[key]]])
    if not plan.metas:
        return
    first, last = plan.metas[0].fila, plan.metas[-1].fila
    by_row = {
        meta.fila: (suma, diferencia)
        for meta, suma, diferencia in zip(
            plan.metas, totales.metas["suma"], totales.metas["diferencia"], strict=True
        )
    }
    for index, key in enumerate(("suma", "diferencia")):
        block: list[list[Any]] = []
        for row in range(first, last + 1):
            value = by_row.get(row, (None, None))[index]
            block.append([None if value is None or value != value else _number(value)])
        libro.escribir(plan.hoja, first, columns[key], block)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def plan_sheet(plan: Plan) -> HojaGenerada:
    """The Plan sheet as we first write it (importar, construir)."""
    rows = plan_rows(plan)
    width = len(rows[3])
    last = len(rows)
    return HojaGenerada(
        nombre=HOJA_PLAN,
        filas=rows,
        anchos={"A": 16, "B": 48, "C": 7, "D": 48, "E": 16, "F": 11}
        | {chr(ord("G") + i): 6 for i in range(12)}
        | {"S": 12, "T": 11},
        estilos=[
            ("A1:A2", Estilo(negrita=True, tamano=13)),
            (f"A4:{column_letter(width)}4", ENCABEZADO_PLAN),
            (f"A5:{column_letter(width)}{last}", Estilo(ajustar=True, vertical="top", borde=True)),
        ],
        congelar="C5",
        impresion=Impresion(filas_repetidas="4:4"),
    )


def importar(documento: Path, destino: Path) -> Plan:
    """Create a workbook holding the plan of the institute's text document."""
    plan = read_document(documento)
    destino = Path(destino)
    if destino.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LecturaError(f"«{destino.name}»: el libro de salida debe ser .xlsx o .xlsm.")
    if destino.suffix.lower() == ".xlsm":
        if not PLANTILLA_XLSM.exists():
            raise LecturaError(
                f"No encuentro el libro con macros «{PLANTILLA_XLSM}» para crear «{destino.name}»."
            )
        shutil.copyfile(PLANTILLA_XLSM, destino)
        libro = LibroArchivo(destino)
        libro.poner_hoja(plan_sheet(plan))
        libro.guardar(respaldo=False)
    else:
        crear_libro(destino, [plan_sheet(plan)])
    return plan


def generar_hojas(libro: Libro) -> hojas_area.Generacion:
    """One sheet per programa, laid out like the original document (see ``hojas_area``)."""
    return hojas_area.generar_hojas(libro)


__all__ = [
    "HOJA_VALIDACION",
    "DOCUMENTO_2011",
    "generar_hojas",
    "importar",
    "leer_plan",
    "recalcular",
    "resumen",
    "validar",
]
