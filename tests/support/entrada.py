"""Input a person could really hand the commands (issue 12, item 3): workbooks written with
XlsxWriter, which stores cached formula results and Excel errors and escapes control
characters the way Excel does (``_x000B_``), files that only pretend to be workbooks, and
the English that must never reach the user."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

from tests.support.libros_copias import MAESTRO
from tests.support.planes import meta_row
from xl_metas import copias_archivo
from xl_metas.model import MESES
from xl_metas.plan_sheet import ENCABEZADOS_PLAN
from xl_metas.vba.cfb import write_cfb

ENCABEZADO_PLAN = tuple(ENCABEZADOS_PLAN[:18])
ENCABEZADO_AVANCE = ("PROGRAMA", "META", *MESES, "JUSTIFICACIÓN")
CORTE = dt.date(2011, 6, 30)


@dataclass(frozen=True)
class Formula:
    """A formula cell; ``valor`` is the result Excel cached (an error text like "#DIV/0!"
    gives an error cell), None when it was never calculated."""

    formula: str
    valor: Any = None


def escribir_libro(ruta: Path, hojas: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook with each sheet's rows from A1: text stays text, None leaves a cell out."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(ruta))
    fecha = wb.add_format({"num_format": "dd/mm/yyyy"})
    for nombre, filas in hojas.items():
        ws = wb.add_worksheet(nombre)
        for r, fila in enumerate(filas):
            for c, valor in enumerate(fila):
                if valor is None:
                    continue
                if isinstance(valor, Formula):
                    # XlsxWriter writes <v></v> for "": a formula never calculated.
                    resultado = "" if valor.valor is None else valor.valor
                    ws.write_formula(r, c, valor.formula, None, resultado)
                elif isinstance(valor, str):
                    ws.write_string(r, c, valor)
                elif isinstance(valor, bool):
                    ws.write_boolean(r, c, valor)
                elif isinstance(valor, dt.date):
                    ws.write_datetime(r, c, valor, fecha)
                else:
                    ws.write_number(r, c, valor)
    wb.close()
    return ruta


def meta(numero: Any = 1, **campos: Any) -> list[Any]:
    return meta_row(numero, **campos)


def libro_plan(
    ruta: Path,
    metas: Sequence[Sequence[Any]],
    *,
    encabezado: Sequence[Any] = ENCABEZADO_PLAN,
    titulos: int = 3,
    hoja: str = "Plan",
    avance: Sequence[Sequence[Any]] | None = None,
    corte: dt.date = CORTE,
) -> Path:
    """A Plan sheet (``titulos`` rows above the header) and, with ``avance``, an Avance
    sheet and a Configuración sheet holding the cut-off date."""
    filas: list[Sequence[Any]] = [["INSTITUTO DE PRUEBA"], ["PROGRAMA METAS Y OBJETIVOS 2011"]]
    filas += [[] for _ in range(titulos - 2)]
    hojas: dict[str, Sequence[Sequence[Any]]] = {hoja: [*filas, encabezado, *metas]}
    if avance is not None:
        hojas["Avance"] = [["AVANCE"], [], [], ENCABEZADO_AVANCE, *avance]
        hojas["Configuración"] = [["PARÁMETRO", "VALOR"], ["Fecha de corte", corte]]
    return escribir_libro(ruta, hojas)


def fila_avance(numero: Any, meses: Sequence[Any] = (1,) * 12, justificacion: Any = None):
    return ["VINCULACIÓN", numero, *meses, justificacion]


def reemplazar_xml(ruta: Path, parte: str, viejo: bytes, nuevo: bytes) -> None:
    """Edit one part of the package in place, as another program could have written it."""
    with zipfile.ZipFile(ruta) as z:
        partes = {n: z.read(n) for n in z.namelist()}
    assert viejo in partes[parte], (parte, viejo)
    partes[parte] = partes[parte].replace(viejo, nuevo)
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as z:
        for nombre, datos in partes.items():
            z.writestr(nombre, datos)
    ruta.write_bytes(salida.getvalue())


def libro_cifrado(ruta: Path) -> Path:
    """What Excel saves when a workbook gets a password: an OLE compound file holding
    ``EncryptionInfo`` and ``EncryptedPackage`` instead of the zip package."""
    informacion = b"\x04\x00\x04\x00" + bytes(60)  # agile encryption, version 4.4
    ruta.write_bytes(write_cfb({"EncryptionInfo": informacion, "EncryptedPackage": bytes(600)}))
    return ruta


def libro_xls(ruta: Path) -> Path:
    """An Excel 97-2003 workbook (.xls, an OLE file with a ``Workbook`` stream) renamed."""
    ruta.write_bytes(write_cfb({"Workbook": bytes(700)}))
    return ruta


def copia_devuelta(tmp: Path, cambios: Mapping[tuple[int, str], Any]) -> tuple[Path, Path]:
    """The shipped master and its Vinculación copy, exported and then edited in the copy's
    Avance as (meta, header) -> value. A text like "a_x000B_b" is how Excel stores a
    control character: reading gives "a\\x0bb"."""
    maestro = tmp / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, maestro)
    hechas = copias_archivo.exportar_copias(maestro, tmp / "enviadas")
    copia = next(e.archivo for e in hechas if e.programa == "VINCULACIÓN")
    wb = openpyxl.load_workbook(copia, keep_vba=True)
    ws = wb["Avance"]
    columnas = {str(c.value).strip(): c.column for c in ws[4] if c.value is not None}
    for (numero, encabezado), valor in cambios.items():
        fila = next(
            r for r in range(5, ws.max_row + 1) if ws.cell(r, columnas["META"]).value == numero
        )
        celda = ws.cell(fila, columnas[encabezado])
        if isinstance(valor, Formula):  # openpyxl stores it without a result
            celda.value = "=" + valor.formula.lstrip("=")
            continue
        celda.value = valor  # "#DIV/0!" becomes an error cell, as Excel stores it
        if isinstance(valor, str) and not valor.startswith("#"):
            celda.data_type = "s"
    devuelta = tmp / "devueltas" / copia.name
    devuelta.parent.mkdir()
    wb.save(devuelta)
    return maestro, devuelta


# -- what the user must never read --------------------------------------------------------
INGLES = (
    "Traceback",
    "Error inesperado",  # our last net: reached only by a bug
    "Errno",
    "errno",
    "No such",
    "Cannot",
    "cannot",
    "not a zip",
    "File is not",
    "No space left",
    "not permitted",
    "Permission denied",
    "Is a directory",
    "Invalid value",
    " invalid ",  # (the rule ids say «invalida», in Spanish)
    "requires an argument",
    "requires",
    "Usage",
    "Try ",
    "unexpected",
    "Missing",
    "codec",
    "decode",
    "Did you mean",
    "does not",
    "Overflow",
    "Warning",
    "not supported",
    "Illegal",
    "nan)",
    "(inf",
)


def ingles(texto: str) -> list[str]:
    """The English (or Python) fragments found in a command's output."""
    return [f for f in INGLES if f in texto]


def una_linea(texto: str) -> str:
    """The output as one line: the borders of click's error panel gone and every run of
    whitespace one space, so a sentence reads the same at any terminal width."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", texto))
