"""The fracción IV export on disk: an .xlsx for the SIPOT (XlsxWriter) and a UTF-8 CSV.

The .xlsx carries the SIPOT title block (TÍTULO / NOMBRE CORTO / DESCRIPCIÓN, «Tabla
Campos») over the header row and one row per meta; dates are date cells shown día/mes/año,
text is always text (never a formula), and a required value that is missing is an empty
cell filled red with a comment saying where to write it. The CSV holds the header row
and the rows (día/mes/año dates), UTF-8 with a byte-order mark so Excel on Windows shows
the accents (``csv`` reads it back with ``encoding="utf-8-sig"``). Both are byte for byte
the same on a rerun (fixed document dates), and a file that already holds them is not
written again; every write goes through ``guardado.escribir`` (atomic, with backup).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from . import guardado
from .errors import EscrituraError
from .transparencia import (
    CLAVES,
    COLUMNAS,
    DESCRIPCION,
    ENCABEZADOS,
    FECHAS,
    HOJA,
    NOMBRE_CORTO,
    TITULO,
    Exportacion,
    valor_texto,
)

FILA_ENCABEZADO = 4  # 1-based row of the header in the .xlsx (data from the next one)
_ANCHOS = {"ejercicio": 10, "inicio": 14, "termino": 14, "actualizacion": 14, "validacion": 14}
_QUE_FALTA = {
    "area": "el programa de la meta en la hoja Plan",
    "objetivo": "el objetivo en la hoja Plan",
    "indicador": "el indicador en la columna INDICADOR de la hoja Plan",
    "meta": "la descripción y el programa anual de la meta en la hoja Plan",
    "unidad": "la unidad de medida en la hoja Plan",
    "hipervinculo": "«Hipervínculo al programa» en la hoja Configuración",
    "responsable": "«Área responsable de la información» en la hoja Configuración",
    "actualizacion": "«Fecha de actualización» en la hoja Configuración",
    "validacion": "«Fecha de validación» en la hoja Configuración",
}


@dataclass(frozen=True)
class Escrito:
    ruta: Path
    cambiado: bool  # False: the file already held exactly this


def rutas(libro: Path, etiqueta: str, salida: Path | None = None) -> tuple[Path, Path]:
    """The .xlsx and the .csv: «Metas2011 - Fracción IV T2.xlsx» / «.csv» next to the
    workbook (or in the folder ``salida``), or ``salida`` and its twin with the other
    extension."""
    nombre = f"{Path(libro).stem} - Fracción IV {etiqueta}"
    if salida is None or Path(salida).is_dir():
        carpeta = Path(libro).parent if salida is None else Path(salida)
        return carpeta / f"{nombre}.xlsx", carpeta / f"{nombre}.csv"
    salida = Path(salida)
    if salida.suffix.lower() not in (".xlsx", ".csv"):
        raise EscrituraError(
            f"«{salida}»: la salida debe terminar en .xlsx (el CSV se escribe a su lado con "
            "el mismo nombre) o en .csv."
        )
    return salida.with_suffix(".xlsx"), salida.with_suffix(".csv")


def xlsx_bytes(e: Exportacion) -> bytes:
    """The .xlsx, byte-reproducible: sheet «Información», title block, header, rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    creado = dt.datetime(e.anio, 1, 1)
    book.set_properties({"title": f"{TITULO} ({NOMBRE_CORTO})", "created": creado})
    ws = book.add_worksheet(HOJA)
    titulo = book.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
    borde = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    encabezado = book.add_format(
        {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "top"}
    )
    texto = book.add_format({"text_wrap": True, "valign": "top"})
    fecha = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"})
    falta = book.add_format({"bg_color": "#FFC7CE", "border": 1})
    for c, valor in enumerate(("TÍTULO", "NOMBRE CORTO", "DESCRIPCIÓN")):
        ws.write_string(0, c, valor, titulo)
    for c, valor in enumerate((TITULO, NOMBRE_CORTO, DESCRIPCION)):
        ws.write_string(1, c, valor, borde)
    ws.merge_range(2, 0, 2, len(COLUMNAS) - 1, "Tabla Campos", titulo)
    for c, valor in enumerate(ENCABEZADOS):
        ws.write_string(FILA_ENCABEZADO - 1, c, valor, encabezado)
    for i, fila in enumerate(e.filas):
        r = FILA_ENCABEZADO + i
        for c, (clave, valor) in enumerate(zip(CLAVES, fila, strict=True)):
            if e.falta(i, clave):
                ws.write_blank(r, c, None, falta)
                ws.write_comment(
                    r,
                    c,
                    f"Falta: escriba {_QUE_FALTA[clave]} y vuelva a exportar.",
                    {"author": "xl-metas"},
                )
            elif valor is None:
                ws.write_blank(r, c, None)
            elif clave in FECHAS and isinstance(valor, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(valor, dt.time()), fecha)
            elif isinstance(valor, int | float):
                ws.write_number(r, c, valor)
            else:
                ws.write_string(r, c, str(valor), texto)
    for c, clave in enumerate(CLAVES):
        ws.set_column(c, c, _ANCHOS.get(clave, 32))
    ws.set_row(FILA_ENCABEZADO - 1, 60)
    ws.freeze_panes(FILA_ENCABEZADO, 0)
    book.close()
    return buffer.getvalue()


def csv_bytes(e: Exportacion) -> bytes:
    """Header and rows, UTF-8 with BOM, comma-separated, CRLF (RFC 4180)."""
    texto = io.StringIO(newline="")
    escritor = csv.writer(texto, lineterminator="\r\n")
    escritor.writerow(ENCABEZADOS)
    for fila in e.filas:
        escritor.writerow([valor_texto(k, v) for k, v in zip(CLAVES, fila, strict=True)])
    return texto.getvalue().encode("utf-8-sig")


def escribir(e: Exportacion, xlsx: Path, csv_ruta: Path) -> tuple[Escrito, Escrito]:
    """Both files, the .xlsx first (a workbook open in Excel refuses before anything is
    written); a file that already holds these bytes is left alone."""
    contenidos = ((Path(xlsx), xlsx_bytes(e)), (Path(csv_ruta), csv_bytes(e)))
    hechos = []
    for ruta, datos in contenidos:
        if ruta.is_file() and guardado.leer(ruta).datos == datos:
            hechos.append(Escrito(ruta, False))
            continue
        guardado.escribir(ruta, datos, respaldo=True)
        hechos.append(Escrito(ruta, True))
    return hechos[0], hechos[1]
