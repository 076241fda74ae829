"""Adapter: another institution's planning workbook on disk, read into plain sheets.

.xlsx, .xlsm, .xls and .ods are read with python-calamine, from the bytes ``guardado.leer``
gives (Spanish errors naming the file). calamine gives the merged cell ranges of .xlsx,
.xlsm and .xls (``CalamineSheet.merged_cell_ranges``: 0-based, inclusive) and None for
.ods, so for .ods they are read from ``content.xml`` (``table:number-columns-spanned`` and
``…-rows-spanned``) with the standard library. In .xlsx/.xlsm, cells calamine reads as
blank that hold an Excel error or a formula never calculated are marked, as for the
institute's own workbook, so they never count as an empty month silently.

Nothing is written: this module only reads the workbook and the mapping file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from . import guardado
from .entrada_libro import Combinada, Hoja, PlanImportado, leer_mapeo, plan_de_hojas
from .errors import LecturaError
from .model import ErrorExcel, FormulaSinValor
from .plantillas import sin_plantillas
from .sheet_patch import Paquete, celdas_sin_valor

EXTENSIONES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def plan_de_libro(ruta: Path, hoja: str | None = None, mapeo: Path | None = None) -> PlanImportado:
    """The plan in a foreign workbook: on ``hoja``, or on the sheet that looks most like a
    plan; ``mapeo`` is the layout's mapping file (see ``docs/importar-libros.md``).

    Raises ``LecturaError`` (Spanish, naming the file, the sheet and the cell, or the
    mapping file's line) when the workbook cannot be read or a column is not recognised.
    """
    ruta = Path(ruta)
    mapa = None
    if mapeo is not None:
        mapeo = Path(mapeo)
        datos = guardado.leer(mapeo).datos
        try:
            texto = datos.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LecturaError(
                f"«{mapeo.name}» no está en UTF-8: guárdelo como texto UTF-8 (el Bloc de notas "
                "lo ofrece en «Guardar como» › Codificación)."
            ) from exc
        mapa = leer_mapeo(texto, mapeo.name)
    libro = LibroAjeno(ruta)
    return plan_de_hojas(ruta.name, libro.nombres(), libro.hoja, hoja, mapa)


class LibroAjeno:
    """A workbook file read once into memory; its sheets on demand."""

    def __init__(self, ruta: Path) -> None:
        self.ruta = Path(ruta)
        self.nombre = self.ruta.name
        self.datos = guardado.leer(self.ruta).datos
        _comprobar(self.nombre, self.datos)
        try:
            self._cal = CalamineWorkbook.from_filelike(io.BytesIO(self.datos))
        except PasswordError as exc:
            raise LecturaError(
                f"«{self.nombre}» está protegido con contraseña: quítela en Excel (Archivo › "
                "Información › Proteger libro) y vuelva a intentarlo."
            ) from exc
        except Exception as exc:  # calamine raises several types for damaged files
            raise LecturaError(_no_legible(self.nombre)) from exc
        self._paquete = Paquete.abrir(self.datos) if self.datos.startswith(_ZIP) else None
        self._ods: dict[str, tuple[Combinada, ...]] | None = None

    def nombres(self) -> list[str]:
        """The worksheets (chart and dialog sheets hold no table; our templates neither)."""
        return sin_plantillas(
            [m.name for m in self._cal.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        )

    def hoja(self, nombre: str, filas: int | None = None) -> Hoja:
        """A sheet's values (the first ``filas`` rows only, when given) and merges."""
        try:
            sheet = self._cal.get_sheet_by_name(nombre)
            valores: list[list[Any]] = sheet.to_python(skip_empty_area=False, nrows=filas)
            rangos = sheet.merged_cell_ranges
        except Exception as exc:
            raise LecturaError(
                f"«{self.nombre}», hoja «{nombre}»: no se pudo leer (la hoja está dañada o tiene "
                "un formato que xl-metas no reconoce); ábralo y guárdelo de nuevo."
            ) from exc
        if rangos is not None:
            combinadas = tuple(
                Combinada(f1 + 1, c1 + 1, f2 + 1, c2 + 1) for (f1, c1), (f2, c2) in rangos
            )
        else:
            combinadas = self._combinadas_ods().get(nombre, ())
        return Hoja(self.nombre, nombre, self._marcar(nombre, valores, filas), combinadas)

    def _marcar(self, nombre: str, valores: list[list[Any]], filas: int | None) -> list[list[Any]]:
        parte = self._paquete.hojas.get(nombre) if self._paquete is not None else None
        if self._paquete is None or parte is None:
            return valores
        for (r, c), (tipo, texto) in celdas_sin_valor(self._paquete.leer(parte)).items():
            if filas is not None and r > filas:
                continue
            while len(valores) < r:
                valores.append([])
            linea = valores[r - 1]
            if len(linea) < c:
                linea.extend([None] * (c - len(linea)))
            if linea[c - 1] in (None, ""):
                linea[c - 1] = ErrorExcel(texto) if tipo == "error" else FormulaSinValor(texto)
        return valores

    def _combinadas_ods(self) -> dict[str, tuple[Combinada, ...]]:
        if self._ods is None:
            self._ods = combinadas_ods(self.datos) if self.datos.startswith(_ZIP) else {}
        return self._ods


def combinadas_ods(datos: bytes) -> dict[str, tuple[Combinada, ...]]:
    """Merged ranges of each sheet of an OpenDocument spreadsheet (calamine gives none);
    written here because no maintained library exposes them."""
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as z:
            contenido = z.read("content.xml")
    except (KeyError, zipfile.BadZipFile):
        return {}
    salida: dict[str, list[Combinada]] = {}
    hoja: list[Combinada] | None = None
    fila = columna = 0
    repetidas = 1
    try:
        for evento, elem in ElementTree.iterparse(io.BytesIO(contenido), ("start", "end")):
            tag = elem.tag
            if evento == "start":
                if tag == f"{_TABLE}table":
                    hoja = salida.setdefault(elem.get(f"{_TABLE}name", ""), [])
                    fila = 0
                elif tag == f"{_TABLE}table-row":
                    columna = 0
                    repetidas = int(elem.get(f"{_TABLE}number-rows-repeated", "1"))
                elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    columnas = int(elem.get(f"{_TABLE}number-columns-spanned", "1"))
                    filas = int(elem.get(f"{_TABLE}number-rows-spanned", "1"))
                    if hoja is not None and (columnas > 1 or filas > 1):
                        hoja.append(
                            Combinada(fila + 1, columna + 1, fila + filas, columna + columnas)
                        )
                    columna += int(elem.get(f"{_TABLE}number-columns-repeated", "1"))
            else:
                if tag == f"{_TABLE}table-row":
                    fila += repetidas
                elif tag == f"{_TABLE}table":
                    hoja = None
                elem.clear()
    except (ElementTree.ParseError, ValueError):
        return {}
    return {nombre: tuple(rangos) for nombre, rangos in salida.items()}


def _comprobar(nombre: str, datos: bytes) -> None:
    if not datos:
        raise LecturaError(f"«{nombre}» está vacío (0 bytes): no es un libro.")
    if not (datos.startswith(_ZIP) or datos.startswith(_OLE)):
        muestra = datos[:4096]
        if b"\x00" not in muestra and not any(b < 9 or 13 < b < 32 for b in muestra):
            raise LecturaError(
                f"«{nombre}» es un archivo de texto, no un libro: ábralo en Excel o "
                "LibreOffice y guárdelo como .xlsx (o use «importar» con el documento de "
                "texto del Instituto)."
            )
        raise LecturaError(_no_legible(nombre))


def _no_legible(nombre: str) -> str:
    return (
        f"«{nombre}» no es un libro que xl-metas pueda leer (.xlsx, .xlsm, .xls u .ods) o "
        "está dañado."
    )
