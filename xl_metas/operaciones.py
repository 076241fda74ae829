"""The commands, as library calls over a ``Libro``: the CLI and the buttons both call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import copias as copias_correo
from . import copias_archivo, hojas_area
from . import seguimiento as avance_libro
from .avance import HOJA_AVANCE, avance_sheet
from .errors import EscrituraError, LecturaError
from .grid import Table
from .importer import read_document
from .libro import Libro
from .model import Hallazgo, Plan
from .plan_sheet import COLUMNAS_PLAN, HOJA_PLAN, plan_rows, read_plan
from .render import Estilo, HojaGenerada, Impresion
from .reportes import ENCABEZADO, HOJA_VALIDACION, validation_sheet
from .resumen_hoja import resumen_sheet
from .seguimiento import Seguimiento
from .text import column_letter
from .totals import Totales, compute_totals
from .validation import sort_findings, validate_plan
from .workbook_file import LibroArchivo, backup_path, crear_libro

ENCABEZADO_PLAN = replace(ENCABEZADO, ajustar=True, horizontal="center", vertical="center")
PROYECTO = Path(__file__).resolve().parent.parent
PLANTILLA_XLSM = PROYECTO / "workbook" / "Metas2011.xlsm"
DOCUMENTO_2011 = PROYECTO / "templates" / "programa-metas-2011.txt"


def leer_plan(libro: Libro) -> tuple[Plan, Table]:
    return read_plan(libro.leer(HOJA_PLAN))


def validar(libro: Libro) -> list[Hallazgo]:
    """All findings of the workbook, errors first."""
    plan, _ = leer_plan(libro)
    leido = avance_libro.seguimiento(libro, plan)
    return sort_findings(validate_plan(plan) + (leido[0].hallazgos if leido else []))


def resumen(libro: Libro) -> Totales:
    plan, _ = leer_plan(libro)
    return compute_totals(plan)


@dataclass(frozen=True)
class Recalculo:
    plan: Plan
    hallazgos: list[Hallazgo]
    totales: Totales
    seguimiento: Seguimiento | None = None  # when the workbook has an Avance sheet


def recalcular(libro: Libro) -> Recalculo:
    """Write the computed columns of Plan and the Validación sheet; with an Avance sheet,
    also its computed columns and colours and the Resumen sheet."""
    plan, table = leer_plan(libro)
    totales = compute_totals(plan)
    hallazgos = validate_plan(plan)
    leido = avance_libro.seguimiento(libro, plan)
    seg = leido[0] if leido else None
    if seg:
        hallazgos = sort_findings(hallazgos + seg.hallazgos)
    # Whole sheets first: when one changes, the file adapter loads the workbook once and
    # the cell writes below go straight into it instead of being recorded and replayed.
    libro.poner_hoja(validation_sheet(hallazgos), despues_de=HOJA_PLAN)
    if leido:
        libro.poner_hoja(resumen_sheet(leido[0]), despues_de=leido[0].avance.hoja)
        avance_libro.escribir_avance(libro, *leido)
    _write_computed_columns(libro, plan, table, totales)
    return Recalculo(plan, hallazgos, totales, seg)


def seguimiento(libro: Libro, corte: dt.date | None = None) -> Seguimiento | None:
    """Progress at the cut-off (Configuración's, or ``corte``); None without Avance."""
    plan, _ = leer_plan(libro)
    leido = avance_libro.seguimiento(libro, plan, corte)
    return leido[0] if leido else None


def vencidos(libro: Libro, corte: dt.date | None = None) -> Seguimiento:
    """Colour each month of Avance by its state at the cut-off and write the semáforo.

    Without an Avance sheet, one is created from the Plan (realizado blank).
    """
    plan, _ = leer_plan(libro)
    leido = avance_libro.seguimiento(libro, plan, corte)
    if leido is None:
        libro.poner_hoja(avance_sheet(plan), despues_de=HOJA_PLAN)
        leido = avance_libro.seguimiento(libro, plan, corte)
        if leido is None:  # the sheet we just wrote cannot be read back
            raise LecturaError(f"«{libro.nombre}»: no se pudo crear la hoja {HOJA_AVANCE}.")
    avance_libro.escribir_avance(libro, *leido)
    return leido[0]


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


def importar(documento: Path, destino: Path, forzar: bool = False) -> Plan:
    """Create a workbook holding the plan of the institute's text document.

    An existing workbook is never replaced, unless ``forzar`` (then it is kept as .bak).
    """
    plan = read_document(documento)
    destino = Path(destino)
    if destino.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LecturaError(f"«{destino.name}»: el libro de salida debe ser .xlsx o .xlsm.")
    if destino.exists() and not forzar:
        raise EscrituraError(
            f"Ya existe «{destino}»: no se reemplaza sin --forzar (con --forzar, el anterior "
            f"queda como «{backup_path(destino).name}»)."
        )
    if destino.suffix.lower() == ".xlsm":
        if not PLANTILLA_XLSM.exists():
            raise LecturaError(
                f"No encuentro el libro con macros «{PLANTILLA_XLSM}» para crear «{destino.name}»."
            )
        libro = LibroArchivo(PLANTILLA_XLSM)  # read only: the new workbook is written below
        libro.poner_hoja(plan_sheet(plan))
        libro.guardar_como(destino, respaldo=forzar, solo_nuevo=not forzar)
    else:
        crear_libro(destino, [plan_sheet(plan)], reemplazar=forzar)
    return plan


def generar_hojas(libro: Libro) -> hojas_area.Generacion:
    """One sheet per programa, laid out like the original document (see ``hojas_area``)."""
    return hojas_area.generar_hojas(libro)


def exportar_copias(
    libro_path: Path, carpeta: Path | None = None
) -> list[copias_correo.Exportacion]:
    """One stamped workbook per programa, for e-mailing (see ``copias``). Default folder:
    «enviadas» inside Configuración's folder of returned copies."""
    return copias_archivo.exportar_copias(Path(libro_path), carpeta)


def preparar_exportacion(libro: Libro) -> str:
    """The master's identifier, created through the port when missing. The Exportar copias
    button calls this, saves the book, then ``exportar_copias`` on the saved file."""
    return copias_correo.asegurar_id(libro)


def consolidar(
    libro: Libro,
    copias: Sequence[Path],
    simular: bool = False,
    preferir_copia: bool = False,
    al_avanzar: Callable[[Path], None] | None = None,
) -> copias_correo.Informe:
    """Merge returned copies into Avance; a folder stands for the workbooks in it."""
    archivos = expandir_copias(copias)
    return copias_archivo.consolidar(libro, archivos, simular, preferir_copia, al_avanzar)


def expandir_copias(copias: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the workbooks directly in it."""
    archivos: list[Path] = []
    for ruta in map(Path, copias):
        archivos += copias_correo.copias_en_carpeta(ruta) if ruta.is_dir() else [ruta]
    return archivos


def consolidar_carpeta(
    libro: Libro, ruta_libro: Path, simular: bool = False, preferir_copia: bool = False
) -> copias_correo.Informe:
    """The Consolidar copias button: every workbook in Configuración's folder."""
    carpeta = copias_correo.carpeta_copias(libro, Path(ruta_libro))
    return consolidar(libro, [carpeta], simular, preferir_copia)


__all__ = [
    "HOJA_VALIDACION",
    "DOCUMENTO_2011",
    "HOJA_AVANCE",
    "consolidar",
    "consolidar_carpeta",
    "expandir_copias",
    "exportar_copias",
    "generar_hojas",
    "importar",
    "leer_plan",
    "preparar_exportacion",
    "recalcular",
    "resumen",
    "seguimiento",
    "validar",
    "vencidos",
]
