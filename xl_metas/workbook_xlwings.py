"""Adapter: a live workbook through xlwings (Excel over COM; xlwings' remote engine in tests).

Long on purpose: the whole port in xlwings' terms, each operation batched so a button
press costs a bounded number of Excel calls (listed below), plus the COM-only extras.

Every call crosses a process boundary, so the adapter keeps the count bounded. When the
workbook announces the helper Sub ``AplicarLote`` (module Metas), ``aplicar`` describes all
its writes as one batch (``Lote``): the value blocks staged in one write, then one macro call
that does everything else inside Excel — two calls per ``aplicar`` whatever the plan's size
(docs/xlwings-remote.md, "AplicarLote"). Otherwise (an older workbook, xlwings Lite):

* reading: each sheet once, in blocks of ``BLOQUE_LECTURA`` rows, stopping at the first
  all-blank block (a sheet formatted down to row 1,048,576 costs two reads, not a million
  rows); later reads come from a write-through cache;
* ``escribir``: one operation per block (side-by-side blocks of one ``aplicar``: one);
* ``colorear``: one fill-clearing operation per rectangle of the area, one block of codes
  in the hidden mirror sheet (``render.PALETA``); the conditional formats that turn codes
  into colours live in the workbook (built in; added here under COM only when missing);
* ``poner_hoja``: delete/add (2) + values (1) + hidden (0/1) + freeze panes (0/1) + per
  chart 3-4 (add with its source, categories, title, axis title) + one operation per run of
  equal column widths, per run of equal row heights (rows of ``autoajuste``: one row
  autofit instead), per merged area, and per style property and rectangle (several
  rectangles per operation under COM, where multi-area addresses of up to 255 characters
  work). Merges and explicit row heights are one call each per sheet when the workbook has
  the helper Subs ``CombinarRangos``/``AltosDeFila`` (module Metas, announced by the defined
  name ``XlMetasMacros``): Excel does the many small range operations in-process. A workbook
  built before them, and xlwings Lite (which cannot run VBA), get one operation per merged
  area / run of equal heights (see docs/xlwings-remote.md, "Operations per button"). Where
  each action takes one rectangle (xlwings Lite, the remote engine), a sheet made of one
  repeated block has its formats filled down from the first block (one AutoFill), and rows
  that Excel autofits are written grouped by format and sorted back into place
  (``formatos_por_accion``): the count then follows neither metas nor programas
  (docs/xlwings-remote.md, "xlwings Lite"). Page set-up (``impresion``) is COM only
  (``preparar_impresion_com``, unverified here).

Text is written with a leading apostrophe so Excel never turns it into a formula, a
number or a date; a link (``Enlace``) is a HYPERLINK formula, so links cost nothing extra.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import LecturaError
from .escrituras import Bloque, Escritura, aplicar_en_orden, valor_escribible
from .grid import Grid
from .model import ERRORES_EXCEL, ErrorExcel
from .plantillas import cabecera, filas_cubiertas
from .rangos import agrupar_rangos
from .render import (
    CLAVE_PROTECCION,
    Enlace,
    Estilo,
    Grafica,
    HojaGenerada,
    Impresion,
    ReglasColor,
    Rellenos,
    bloque_colores,
    hoja_espejo,
    rango,
    rectangulos,
    reglas_color,
)
from .text import cell_address, column_letter, fold, quote_sheet

if TYPE_CHECKING:
    import xlwings as xw

BLOQUE_LECTURA = 10_000
# Helper Subs of module Metas (templates/vba/Metas.bas) and the defined name the build writes
# to announce them: it refers to a cell of the hidden xlwings.conf sheet listing them, ";"-
# separated. A name that refers to a range is in the remote engine's payload (free to read);
# the VBA project itself is invisible there, hence a marker rather than probing the macros.
MACRO_COMBINAR = "CombinarRangos"
MACRO_ALTOS = "AltosDeFila"
MACRO_LOTE = "AplicarLote"
MACROS_AYUDA = (MACRO_COMBINAR, MACRO_ALTOS, MACRO_LOTE)
NOMBRE_MACROS = "XlMetasMacros"
# Where AplicarLote's values are staged: the sheet of NOMBRE_MACROS (the hidden xlwings.conf),
# from this column on (xlwings reads its settings from columns A:B, the marker is in D1).
COLUMNA_LOTE = 27  # AA
# Staged cells per AplicarLote call: one write of that size is still quick under COM; a
# larger press is split into several calls (none of our plans comes near it).
CELDAS_LOTE = 4_000_000
MAX_DIRECCION = 255  # Excel's limit for a multi-area address string (COM)

# Excel constants (XlHAlign / XlVAlign / XlFormatConditionType / XlLineStyle), for COM.
_HORIZONTAL = {"left": -4131, "center": -4108, "right": -4152}
_VERTICAL = {"top": -4160, "center": -4108, "bottom": -4107}
_XL_EXPRESSION = 2
_XL_CONTINUOUS, _XL_THIN = 1, 2
_XL_PORTRAIT, _XL_LANDSCAPE = 1, 2  # XlPageOrientation
_XL_PAPER_LETTER = 1  # XlPaperSize
_XL_COLUMN_CLUSTERED, _XL_LINE = 51, 4  # XlChartType
_XL_ROWS, _XL_COLUMNS = 1, 2  # XlRowCol
PUNTOS_POR_CM = 72 / 2.54


def puntos_de_ancho(caracteres: float) -> float:
    """A column width in characters (Excel's ColumnWidth, what the sheets say) as the
    points Office.js measures it in: xlwings' remote engine and xlwings Lite pass the
    number straight to ``format.columnWidth`` (points), while Excel over COM takes
    characters. Excel's own rule for Calibri 11: 7 pixels a character plus 5 of padding
    (12 a character below one), 0.75 points a pixel."""
    if caracteres <= 0:
        return 0.0
    pixeles = int(caracteres * 12 + 0.5) if caracteres < 1 else int(caracteres * 7 + 0.5) + 5
    return pixeles * 0.75


def es_com(book: xw.Book) -> bool:
    """True under Excel itself (Windows/macOS); False on xlwings' remote engine."""
    return bool(book.app.engine.name != "remote")


@contextlib.contextmanager
def excel_quieto(book: xw.Book) -> Iterator[None]:
    """Under COM, no screen redraw and manual calculation during a press, restored after
    (even on error). The remote engine cannot read these settings: nothing to do there."""
    if not es_com(book):
        yield
        return
    app = book.app
    pantalla, calculo = app.screen_updating, app.calculation
    app.screen_updating, app.calculation = False, "manual"
    try:
        yield
    finally:
        app.calculation, app.screen_updating = calculo, pantalla


def _a_excel(value: Any) -> Any:
    """A value as it must be assigned to ``Range.Value``."""
    if isinstance(value, Enlace):
        value = Enlace(valor_escribible(value.texto), value.hoja, value.celda)
        destino = f"#{quote_sheet(value.hoja)}!{value.celda}".replace('"', '""')
        return f'=HYPERLINK("{destino}","{value.texto.replace(chr(34), chr(34) * 2)}")'
    value = valor_escribible(value)
    if isinstance(value, str):
        return "'" + value if value else None  # text stays text: never a formula or number
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _error_marcado(value: Any) -> Any:
    """An error value as the domain knows it (``ErrorExcel``), anything else as it is."""
    return ErrorExcel(value) if isinstance(value, str) and value in ERRORES_EXCEL else value


def _plano(value: Any) -> Any:
    """What reading the cell back gives (for the cache)."""
    if isinstance(value, Enlace):
        return valor_escribible(value.texto)
    return None if value == "" else valor_escribible(value)


def _rectangular(valores: Sequence[Sequence[Any]]) -> list[list[Any]]:
    width = max((len(row) for row in valores), default=0)
    return [list(row) + [None] * (width - len(row)) for row in valores]


class LibroXlwings:
    """An open ``xw.Book`` as a ``Libro``: it writes as it goes, in the order given, and
    leaves saving to the user unless a command needs the file (``guardar``)."""

    def __init__(self, book: xw.Book, *, ayudas_vba: bool = True) -> None:
        """``ayudas_vba=False`` never calls the workbook's helper Subs (xlwings Lite, which
        cannot run VBA, passes it; ``en_lite`` catches a Lite book passed without it)."""
        self.book = book
        self.nombre = str(book.name)
        self.com = es_com(book)
        self._hojas: list[str] = [s.name for s in book.sheets]
        self._grids: dict[str, Grid] = {}
        self.macros = macros_del_libro(book) if ayudas_vba and not en_lite(book) else frozenset()
        # AplicarLote's staging sheet (that of the marker name); None: no batching.
        self._hoja_lote = hoja_de_macros(book) if MACRO_LOTE in self.macros else None
        self._lote: Lote | None = None  # the batch being described, during ``aplicar``

    @property
    def ruta(self) -> Path | None:
        """The book's file; None while it was never saved to a folder."""
        fullname = str(self.book.fullname or "")
        ruta = Path(fullname)
        return ruta if fullname and ruta.is_absolute() and ruta.exists() else None

    def exportar_pdf(self, hoja: str) -> bytes | None:
        """``hoja`` as a PDF by Excel's own export (``Sheet.to_pdf``, **COM only**, not run
        here): its bytes, for the caller to write through ``guardado``. None on an engine
        without PDF export: xlwings' remote engine and xlwings Lite have none."""
        nombre = self.resolver(hoja)
        if not self.com or nombre is None:
            return None
        import tempfile

        with tempfile.TemporaryDirectory(prefix="xlmetas-pdf-") as tmp:
            destino = Path(tmp) / "informe.pdf"
            self.book.sheets[nombre].to_pdf(str(destino))
            return destino.read_bytes()

    def aplicar(self, escrituras: Sequence[Escritura]) -> None:
        """Under COM, sheets we protect are unprotected around their blocks (Excel refuses a
        write into a protected sheet). The remote engine and Lite have no protection action:
        there the blocks are written as they come (*COM part not run here: no Excel*)."""
        protegidas = {
            n
            for e in escrituras
            if isinstance(e, Bloque) and e.protegida and (n := self.resolver(e.hoja))
        }
        if self._hoja_lote is not None:
            self._aplicar_en_lote(escrituras, sorted(protegidas))
            return
        escrituras = juntar_bloques(escrituras)  # one operation per run of side-by-side blocks
        if not self.com or not protegidas:
            aplicar_en_orden(self, escrituras)
            return
        for nombre in protegidas:
            self.book.sheets[nombre].api.Unprotect(CLAVE_PROTECCION)
        try:
            aplicar_en_orden(self, escrituras)
        finally:
            for nombre in protegidas:
                self.book.sheets[nombre].api.Protect(CLAVE_PROTECCION)

    def _aplicar_en_lote(self, escrituras: Sequence[Escritura], protegidas: list[str]) -> None:
        """The whole ``aplicar`` as one ``AplicarLote`` call (two Excel calls: the staged
        values, the macro; more only past ``CELDAS_LOTE`` staged cells). The sheets we protect
        are unprotected around their writes inside the macro, on every engine."""
        assert self._hoja_lote is not None
        self._lote = Lote(self._hoja_lote)
        try:
            for nombre in protegidas:
                self._lote.linea("U", nombre, CLAVE_PROTECCION)
            aplicar_en_orden(self, escrituras)
            for nombre in protegidas:
                if nombre in self._hojas:
                    self._lote.linea("P", nombre, CLAVE_PROTECCION)
            despues = self._enviar_lote()
        finally:
            self._lote = None
        for llamada in despues:  # COM only: conditional formats, once the sheets exist
            llamada()

    def _enviar_lote(self) -> list[Callable[[], None]]:
        """Stage the values (one block), run AplicarLote (one call); what must follow it."""
        lote = self._lote
        if lote is None or not lote.lineas:
            return lote.despues if lote else []
        lineas = lote.lineas
        if lote.filas:
            ancho = max(len(row) for row in lote.filas)
            filas = [row + [None] * (ancho - len(row)) for row in lote.filas]
            # One write whatever its size (xlwings would split one above 100,000 cells).
            destino = self.book.sheets[lote.hoja].range((1, COLUMNA_LOTE))
            destino.options(chunksize=None).value = filas
            area = rango(1, COLUMNA_LOTE, len(filas), COLUMNA_LOTE + ancho - 1)
            lineas = [_linea("K", area), *lineas]
        self.book.macro(MACRO_LOTE)(lote.hoja, "\n".join(lineas))
        if not self.com:
            self._seguir_motor_remoto()
        self._lote = Lote(lote.hoja, despues=lote.despues)
        return lote.despues

    def _seguir_motor_remoto(self) -> None:
        """xlwings' remote engine only records the macro call; its local copy of the book
        (the payload) must learn the sheets the macro added and deleted, as ``sheets.add``
        and ``delete`` teach it, so that later actions address the right sheet position."""
        api = self.book.api
        if not isinstance(api, dict) or not isinstance(api.get("sheets"), list):
            return
        por_nombre = {s["name"]: s for s in api["sheets"]}
        api["sheets"][:] = [por_nombre.get(n) or _hoja_remota(n) for n in self._hojas]
        libro = api.get("book")
        if isinstance(libro, dict) and libro.get("active_sheet_index", 0) >= len(self._hojas):
            libro["active_sheet_index"] = len(self._hojas) - 1

    def ultimo_autor(self) -> str | None:
        """Excel's «Last Author» document property, under COM only (*not run here*)."""
        if not self.com:
            return None
        try:
            valor = self.book.api.BuiltinDocumentProperties("Last Author").Value
        except Exception:
            return None
        return str(valor).strip() or None

    def guardar(self) -> bool:
        self.book.save()
        return True

    # -- reading -----------------------------------------------------------------------
    def hojas(self) -> list[str]:
        return list(self._hojas)

    def resolver(self, hoja: str) -> str | None:
        if hoja in self._hojas:
            return hoja
        return next((n for n in self._hojas if fold(n) == fold(hoja)), None)

    def _nombre(self, hoja: str) -> str:
        name = self.resolver(hoja)
        if name is None:
            raise LecturaError(
                f"«{self.nombre}» no tiene la hoja «{hoja}». Hojas del libro: "
                + ", ".join(f"«{n}»" for n in self._hojas)
                + "."
            )
        return name

    def leer(self, hoja: str) -> Grid:
        name = self._nombre(hoja)
        if name not in self._grids:
            self._grids[name] = Grid(self.nombre, name, self._leer_hoja(name))
        return self._grids[name]

    def _leer_hoja(self, name: str) -> list[list[Any]]:
        sheet = self.book.sheets[name]
        last = sheet.used_range.last_cell
        height, width = last.row, last.column
        rows: list[list[Any]] = []
        start = 1
        while start <= height:
            end = min(start + BLOQUE_LECTURA - 1, height)
            # err_to_str: an error cell reads as "#DIV/0!", not as a blank that sums nothing.
            rango = sheet.range((start, 1), (end, width))
            block = rango.options(ndim=2, err_to_str=True).value or []
            if start > 1 and all(v in (None, "") for row in block for v in row):
                break  # formatted-only rows down to the end of the sheet
            rows.extend([_error_marcado(v) for v in row] for row in block)
            start = end + 1
        while rows and all(v in (None, "") for v in rows[-1]):
            rows.pop()
        return rows

    # -- writing -----------------------------------------------------------------------
    def escribir(self, hoja: str, fila: int, columna: int, valores: list[list[Any]]) -> None:
        name = self._nombre(hoja)
        block = _rectangular(valores)
        if not block or not block[0]:
            return
        grid = self.leer(name)  # keeps the cache true after the write (no Excel read-back)
        if self._lote is not None:
            if self._lote.celdas(block) > CELDAS_LOTE:
                self._enviar_lote()  # a huge press: several calls rather than one
            self._lote.valores(name, fila, columna, block)
        else:
            self.book.sheets[name].range((fila, columna)).value = [
                [_a_excel(v) for v in row] for row in block
            ]
        rows = [list(r) for r in grid.rows]
        for r, row in enumerate(block):
            while len(rows) < fila + r:
                rows.append([])
            line = rows[fila + r - 1]
            if len(line) < columna + len(row) - 1:
                line.extend([None] * (columna + len(row) - 1 - len(line)))
            for c, value in enumerate(row):
                line[columna + c - 1] = _plano(value)
        self._grids[name] = Grid(self.nombre, name, rows)

    def poner_hoja(self, hoja: HojaGenerada, despues_de: str | None = None) -> None:
        sheets = self.book.sheets
        name = self.resolver(hoja.nombre)
        antes: str | None = None
        if name is not None:
            index = self._hojas.index(name)
            despues_de = self._hojas[index - 1] if index > 0 else None
            antes = (
                self._hojas[index + 1]
                if despues_de is None and index + 1 < len(self._hojas)
                else None
            )
            self.quitar_hoja(name)
        ancla = self.resolver(despues_de) if despues_de else None
        if ancla is None and antes is None:
            ancla = self._hojas[-1]
        block = _rectangular(hoja.filas)
        plantilla = self._plantilla(hoja) if self._lote is None else None
        if self._lote is not None:
            self._lote.linea("N", hoja.nombre, ancla or "", antes or self._hojas[0])
        elif plantilla is not None:  # its fixed top comes with the copy (see plantillas)
            lugar = (
                {"after": sheets[ancla]} if ancla else {"before": sheets[antes or self._hojas[0]]}
            )
            sheet = sheets[plantilla.nombre].copy(**lugar, name=hoja.nombre)
            if isinstance(sheet.api, dict):  # the remote engine's copy of the template's
                for campo, vacia in _hoja_remota(hoja.nombre).items():  # payload (a VBA
                    sheet.api.setdefault(campo, vacia)  # client's lacks charts & co.)
            sheet.visible = True
            hoja = _sin_cabecera(hoja, filas_cubiertas(plantilla))
        elif ancla is not None:
            sheet = sheets.add(hoja.nombre, after=sheets[ancla])
        else:
            sheet = sheets.add(hoja.nombre, before=sheets[antes or self._hojas[0]])
        if ancla is not None:
            self._hojas.insert(self._hojas.index(ancla) + 1, hoja.nombre)
        else:
            self._hojas.insert(0, hoja.nombre)
        self._grids[hoja.nombre] = Grid(self.nombre, hoja.nombre, [])
        if self._lote is not None:
            if block and block[0]:
                self.escribir(hoja.nombre, 1, 1, block)
            self._grids[hoja.nombre] = Grid(
                self.nombre, hoja.nombre, [[_plano(v) for v in row] for row in block]
            )
            self._formato_en_lote(self._lote, hoja, block)
            return
        # One rectangle per action: ask for fewer (see ``formatos_por_accion``).
        f = formatos_por_accion(
            hoja, block, com=self.com, directo=self.com or MACRO_COMBINAR in self.macros
        )
        if f.escrito and f.escrito[0]:
            sheet.range("A1").value = [[_a_excel(v) for v in row] for row in f.escrito]
        self._grids[hoja.nombre] = Grid(
            self.nombre, hoja.nombre, [[_plano(v) for v in row] for row in block]
        )
        for columnas, ancho in _tramos({_columna(letra): w for letra, w in hoja.anchos.items()}):
            a, b = column_letter(columnas[0]), column_letter(columnas[1])
            sheet.range(f"{a}:{b}").column_width = ancho if self.com else puntos_de_ancho(ancho)
        for faceta, valor, rangos in f.grupos:
            for areas in self._lotes(rangos):
                self._faceta(sheet.range(areas), faceta, valor)
        combinadas = f.combinadas
        if (periodo := f.periodo) is not None:  # the first block's merges, its formats filled
            primeras = [
                a for a in combinadas if periodo.primera <= rectangulos(a)[0][0] <= periodo.ultima
            ]
            for area in primeras:
                sheet.range(area).merge()
            combinadas = [a for a in combinadas if a not in primeras]
            bloque = sheet.range(
                (periodo.primera, 1), (periodo.primera + periodo.periodo - 1, periodo.ancho)
            )
            destino = sheet.range((periodo.primera, 1), (periodo.ultima, periodo.ancho))
            bloque.autofill(destino, "fill_formats")
        if (orden := f.orden) is not None:  # rows back in place, formats with them; no key
            clave = orden.columna_clave
            sheet.range((orden.primera, 1), (orden.ultima, clave)).sort(clave)
            sheet.range((orden.primera, clave), (orden.ultima, clave)).clear_contents()
        if hoja.autoajuste:  # Excel measures the wrapped texts itself: one operation
            sheet.range(hoja.autoajuste).rows.autofit()
        tramos = _tramos(_altos_explicitos(hoja))
        if tramos and not self._macro(MACRO_ALTOS, hoja.nombre, texto_alturas(tramos)):
            for filas, alto in tramos:
                sheet.range(f"{filas[0]}:{filas[1]}").row_height = alto
        if combinadas and not self._macro(MACRO_COMBINAR, hoja.nombre, ";".join(combinadas)):
            for areas in self._lotes(combinadas):
                sheet.range(areas).merge()
        if hoja.congelar:
            sheet.freeze_panes.freeze_at(hoja.congelar)
        for grafica in hoja.graficas:
            _poner_grafica(sheet, grafica, block)
        if hoja.impresion and self.com:
            preparar_impresion_com(sheet, hoja.impresion)
        if hoja.oculta:
            sheet.visible = False
        if hoja.protegida and self.com:  # no such action on the remote engine or in Lite
            sheet.api.Protect(CLAVE_PROTECCION)

    def _plantilla(self, hoja: HojaGenerada) -> HojaGenerada | None:
        """The hidden template sheet of ``hoja``'s fixed top, when the workbook has it and
        each action takes one rectangle (xlwings Lite, the remote engine): under COM every
        facet costs one call whatever its areas, so a copy would save little there."""
        if self.com or (plantilla := cabecera(hoja)) is None:
            return None
        return plantilla if plantilla.nombre in self._hojas else None

    def _formato_en_lote(self, lote: Lote, hoja: HojaGenerada, block: list[list[Any]]) -> None:
        """Everything of ``poner_hoja`` but the sheet and its values, as AplicarLote lines,
        in the order the direct path follows (autofit after wrapping, heights after it)."""
        n = hoja.nombre
        anchos = _tramos({_columna(letra): w for letra, w in hoja.anchos.items()})
        if anchos:
            lote.linea(
                "W",
                n,
                ";".join(
                    f"{column_letter(a)}:{column_letter(b)}={ancho:g}" for (a, b), ancho in anchos
                ),
            )
        for faceta, valor, areas in _grupos_estilo(hoja.estilos, com=True):
            lote.linea("F", n, faceta, _valor_vba(faceta, valor), ";".join(areas))
        if hoja.autoajuste:
            lote.linea("A", n, hoja.autoajuste)
        if tramos := _tramos(_altos_explicitos(hoja)):
            lote.linea("H", n, texto_alturas(tramos))
        if hoja.combinadas:
            lote.linea("M", n, ";".join(hoja.combinadas))
        if hoja.congelar:
            lote.linea("Z", n, hoja.congelar)
        for grafica in hoja.graficas:
            if origen := origen_grafica(grafica, block):
                area, por = origen
                lote.linea(
                    "G",
                    n,
                    _XL_LINE if grafica.tipo == "lineas" else _XL_COLUMN_CLUSTERED,
                    area,
                    _XL_ROWS if por == "rows" else _XL_COLUMNS,
                    grafica.categorias,
                    grafica.ancla,
                    f"{grafica.ancho_cm * PUNTOS_POR_CM:.2f}",
                    f"{grafica.alto_cm * PUNTOS_POR_CM:.2f}",
                    grafica.titulo,
                    grafica.titulo_eje_y,
                )
        if impresion := hoja.impresion:
            lote.linea(
                "I",
                n,
                _XL_LANDSCAPE if impresion.horizontal else _XL_PORTRAIT,
                int(impresion.papel_carta),
                int(impresion.ajustar_ancho),
                _filas_titulo(impresion.filas_repetidas),
                ";".join(str(f) for f in impresion.saltos),
            )
        if hoja.oculta:
            lote.linea("O", n)
        if hoja.protegida:
            lote.linea("P", n, CLAVE_PROTECCION)

    def _macro(self, macro: str, *args: str) -> bool:
        """Run a helper Sub of the workbook: one cross-process call (``Application.Run``
        under COM, one ``runMacro`` action on the remote engine). False when the workbook
        does not announce it, or when it fails under COM (macros disabled, an edited VBA
        project): the caller then does the work range by range."""
        if macro not in self.macros:
            return False
        if not self.com:
            self.book.macro(macro)(*args)
            return True
        try:  # not run here (no Excel on Linux)
            self.book.macro(macro)(*args)
        except Exception:
            self.macros = self.macros - {macro}
            return False
        return True

    def quitar_hoja(self, nombre: str) -> None:
        name = self.resolver(nombre)
        if name is None:
            return
        if self._lote is not None:
            self._lote.linea("Q", name)
        else:
            self.book.sheets[name].delete()
        self._hojas.remove(name)
        self._grids.pop(name, None)

    # -- colours -------------------------------------------------------------------------
    def colorear(self, hoja: str, area: str, rellenos: Rellenos) -> None:
        name = self._nombre(hoja)
        rects = [rango(*r) for r in rectangulos(area)]
        espejo = hoja_espejo(name)
        nuevo = self.resolver(espejo) is None
        if self._lote is not None:
            self._lote.linea("C", name, ";".join(rects))  # direct fills would confuse the rules
            if nuevo:
                self._lote.linea("N", espejo, self._hojas[-1], "")
                self._lote.linea("O", espejo)
        else:
            sheet = self.book.sheets[name]
            for areas in self._lotes(rects):
                sheet.range(areas).color = None  # direct fills would only confuse the rules
            if nuevo:
                nueva = self.book.sheets.add(espejo, after=self.book.sheets[self._hojas[-1]])
                nueva.visible = False
        if nuevo:
            self._hojas.append(espejo)
            self._grids[espejo] = Grid(self.nombre, espejo, [])
        fila, columna, block = bloque_colores(area, rellenos, self.leer(espejo).rows)
        self.escribir(espejo, fila, columna, block)
        if self.com:
            self._despues(self._reglas_com, name, reglas_color(name, area))

    def _despues(self, llamada: Callable[..., None], *args: Any) -> None:
        """Call now, or after the batch when one is being described (the sheet may not
        exist in Excel before AplicarLote runs)."""
        if self._lote is not None:
            self._lote.despues.append(functools.partial(llamada, *args))
        else:
            llamada(*args)

    def _reglas_com(self, nombre: str, reglas: ReglasColor) -> None:
        self._asegurar_reglas_com(self.book.sheets[nombre], reglas)

    def resaltar(self, hoja: str, reglas: ReglasColor) -> None:
        """Under COM only: the remote engine has no action for conditional formats (the
        shipped workbook carries them already)."""
        if self.com:
            self._despues(self._reglas_com, self._nombre(hoja), reglas)

    def _asegurar_reglas_com(self, sheet: Any, reglas: ReglasColor) -> None:
        """Add the conditional formats when missing (COM only; not run on Linux).

        ``FormatConditions.Add`` takes the formula in the user's language (Spanish Excel:
        INDICE/FILA/COLUMNA), so it is translated by Excel itself through a scratch cell.
        """
        conditions = sheet.api.Cells.FormatConditions
        marca = reglas.marca
        existentes = []
        for i in range(conditions.Count, 0, -1):
            with contextlib.suppress(Exception):  # data bars etc. have no Formula1
                if marca in str(conditions(i).Formula1):
                    existentes.append(i)
        if len(existentes) == len(reglas.reglas):
            return
        for i in existentes:
            conditions(i).Delete()
        # A far cell of the mirror (or, without one, of the sheet), emptied afterwards.
        otra = self.book.sheets[reglas.espejo] if reglas.espejo else sheet
        scratch = otra.range((1, 16_384)).api
        target = sheet.range(",".join(reglas.rangos)).api
        for formula, color in reglas.reglas:
            scratch.Formula = "=" + formula
            local = scratch.FormulaLocal
            rule = target.FormatConditions.Add(Type=_XL_EXPRESSION, Formula1=local)
            rule.Interior.Color = int(color[4:6] + color[2:4] + color[0:2], 16)  # BGR
            rule.StopIfTrue = False
        scratch.ClearContents()

    # -- styles of a generated sheet ----------------------------------------------------
    def _lotes(self, areas: Sequence[str]) -> list[str]:
        """Areas joined into multi-area addresses under COM (≤ 255 characters each); one
        area per operation on the remote engine, which cannot take multi-area ranges."""
        if not self.com:
            return list(areas)
        out: list[str] = []
        for area in areas:
            if out and len(out[-1]) + 1 + len(area) <= MAX_DIRECCION:
                out[-1] += "," + area
            else:
                out.append(area)
        return out

    def _faceta(self, rng: Any, faceta: str, valor: Any) -> None:
        # Only values that differ from a fresh sheet's defaults reach here (see _facetas).
        if faceta == "negrita":
            rng.font.bold = True
        elif faceta == "color_fuente":
            rng.font.color = "#" + valor
        elif faceta == "tamano":
            rng.font.size = valor
        elif faceta == "relleno":
            rng.color = "#" + valor
        elif faceta == "formato":
            rng.number_format = valor
        elif faceta == "ajustar":
            rng.wrap_text = True
        elif faceta == "horizontal" and self.com:  # the remote engine's VBA client has no
            rng.api.HorizontalAlignment = _HORIZONTAL[valor]  # alignment callbacks
        elif faceta == "vertical" and self.com:
            rng.api.VerticalAlignment = _VERTICAL[valor]
        elif faceta == "borde" and self.com:  # no border action on the remote engine
            borders = rng.api.Borders
            borders.LineStyle = _XL_CONTINUOUS
            borders.Weight = _XL_THIN
            borders.Color = 0x808080


class Lote:
    """A press's writes as ``AplicarLote`` lines (see templates/vba/Metas.bas) and the values
    they copy, staged as one block in sheet ``hoja`` from column ``COLUMNA_LOTE``."""

    def __init__(self, hoja: str, despues: list[Callable[[], None]] | None = None) -> None:
        self.hoja = hoja
        self.lineas: list[str] = []
        self.filas: list[list[Any]] = []
        self.despues: list[Callable[[], None]] = despues if despues is not None else []

    def linea(self, *campos: object) -> None:
        self.lineas.append(_linea(*campos))

    def celdas(self, block: list[list[Any]]) -> int:
        """Staged cells (the rectangle written) once ``block`` is added; 0 when empty."""
        if not self.filas:
            return 0
        ancho = max(len(block[0]), *(len(row) for row in self.filas))
        return (len(self.filas) + len(block)) * ancho

    def valores(self, hoja: str, fila: int, columna: int, block: list[list[Any]]) -> None:
        """Text gets one more apostrophe than ``_a_excel`` gives it: the staged cell then
        holds the apostrophe-prefixed text, and copying its ``.Value`` to the destination
        keeps text as text (a link, staged as its formula's text, becomes the formula)."""
        top = len(self.filas) + 1
        self.filas.extend([_a_lote(v) for v in row] for row in block)
        origen = rango(top, COLUMNA_LOTE, top + len(block) - 1, COLUMNA_LOTE + len(block[0]) - 1)
        self.linea("V", hoja, cell_address(fila, columna), origen)


def juntar_bloques(escrituras: Sequence[Escritura]) -> list[Escritura]:
    """Consecutive value blocks of one sheet that sit side by side over the same rows (a
    sheet's columns written one by one) as one block: the same cells, one write."""
    out: list[Escritura] = []
    for e in escrituras:
        previo = out[-1] if out else None
        if (
            isinstance(e, Bloque)
            and isinstance(previo, Bloque)
            and e.valores
            and previo.valores
            and (e.hoja, e.fila, e.protegida, len(e.valores))
            == (previo.hoja, previo.fila, previo.protegida, len(previo.valores))
        ):
            izquierda = _rectangular(previo.valores)
            if e.columna == previo.columna + len(izquierda[0]):
                valores = [a + list(b) for a, b in zip(izquierda, e.valores, strict=True)]
                out[-1] = replace(previo, valores=valores)
                continue
        out.append(e)
    return out


def _hoja_remota(nombre: str) -> dict[str, Any]:
    """A sheet as xlwings' remote engine describes one it has just added."""
    vacias: dict[str, Any] = {k: [] for k in ("pictures", "shapes", "charts", "notes", "tables")}
    return {"name": nombre, "visibility": "Visible", "values": [[]], "print_area": None, **vacias}


def _a_lote(value: Any) -> Any:
    value = _a_excel(value)
    return "'" + value if isinstance(value, str) else value


def _linea(*campos: object) -> str:
    """One AplicarLote line: fields separated by tabs (no field may hold a tab or a line
    break: titles are flattened to spaces)."""
    return "\t".join(" ".join(str(c).split("\t")).replace("\n", " ") for c in campos)


def _valor_vba(faceta: str, valor: Any) -> str:
    """A facet's value as AplicarLote reads it (Excel constants for alignments)."""
    if faceta == "horizontal":
        return str(_HORIZONTAL[valor])
    if faceta == "vertical":
        return str(_VERTICAL[valor])
    if faceta == "tamano":
        return f"{valor:g}"
    if valor is True:
        return "1"
    return str(valor)


def _filas_titulo(filas: str | None) -> str:
    """``"5:6"`` -> ``"$5:$6"`` (PrintTitleRows); "" for none."""
    if not filas:
        return ""
    primera, _, ultima = filas.partition(":")
    return f"${primera}:${ultima or primera}"


def _grupos_estilo(
    estilos: Sequence[tuple[str, Estilo]], *, com: bool
) -> list[tuple[str, Any, list[str]]]:
    """Resolve the styles cell by cell (a later style wins, facet by facet, as in the file
    adapter), then group the cells that share a facet's value: (facet, value, ranges).
    Without ``com`` the facets the remote engine cannot express are left out."""
    return _agrupar_facetas(_facetas_por_celda(estilos, com=com))


def _facetas_por_celda(
    estilos: Sequence[tuple[str, Estilo]], *, com: bool
) -> dict[tuple[int, int], dict[str, Any]]:
    """Each styled cell's facets, a later style winning facet by facet (None: the default)."""
    facetas: dict[tuple[int, int], dict[str, Any]] = {}
    for area, estilo in estilos:
        valores = _facetas(estilo)
        if not valores:
            continue
        for r1, c1, r2, c2 in rectangulos(area):
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    facetas.setdefault((r, c), {}).update(valores)
    if not com:  # facets the remote engine cannot express cost nothing there
        for valores in facetas.values():
            for faceta in ("horizontal", "vertical", "borde"):
                valores.pop(faceta, None)
    return facetas


def _agrupar_facetas(
    facetas: Mapping[tuple[int, int], Mapping[str, Any]],
) -> list[tuple[str, Any, list[str]]]:
    """Cells that share a facet's value, as few rectangles: (facet, value, ranges)."""
    grupos: dict[tuple[str, Any], list[tuple[int, int]]] = {}
    for cell, valores in facetas.items():
        for faceta, valor in valores.items():
            if valor is not None:  # a fresh sheet already has the default
                grupos.setdefault((faceta, valor), []).append(cell)
    return [(faceta, valor, agrupar_rangos(cells)) for (faceta, valor), cells in grupos.items()]


@dataclass(frozen=True)
class Orden:
    """Rows ``primera`` … ``ultima`` are written grouped by format (so each format is one
    rectangle) with their row number in ``columna_clave``; sorting by it puts them back."""

    primera: int
    ultima: int
    columna_clave: int


@dataclass(frozen=True)
class Formatos:
    """How ``poner_hoja`` formats a sheet where each action takes one rectangle: the values
    to write (``escrito``), the facets by rectangles, the merges, and at most one of the two
    ways to bound the count (a repeated block filled down, or rows sorted into place)."""

    escrito: list[list[Any]]
    grupos: list[tuple[str, Any, list[str]]]
    combinadas: list[str]
    periodo: Periodo | None = None
    orden: Orden | None = None

    @property
    def operaciones(self) -> int:
        extra = 1 if self.periodo else 2 if self.orden else 0  # autofill; sort and key clear
        return sum(len(g[2]) for g in self.grupos) + len(self.combinadas) + extra


def formatos_por_accion(
    hoja: HojaGenerada, block: list[list[Any]], *, com: bool, directo: bool
) -> Formatos:
    """The cheapest of: every facet by its rectangles; the repeated block (``Periodo``); the
    rows sorted into place (``Orden``). ``directo`` (COM, where multi-area addresses work,
    or the older helper Subs): the first only."""
    facetas = _facetas_por_celda(hoja.estilos, com=com)
    combinadas = list(hoja.combinadas)
    mejor = Formatos(block, _agrupar_facetas(facetas), combinadas)
    if directo:
        return mejor
    if (periodo := periodo_de_formatos(facetas, combinadas)) is not None:
        resto, quedan = _sin_repetidas(facetas, combinadas, periodo)
        otra = Formatos(block, _agrupar_facetas(resto), quedan, periodo=periodo)
        mejor = min(mejor, otra, key=lambda f: f.operaciones)
    if (orden := orden_de_formatos(hoja, block, facetas)) is not None:
        escrito, movidas = orden
        otra = Formatos(escrito, _agrupar_facetas(movidas.facetas), combinadas, orden=movidas.orden)
        mejor = min(mejor, otra, key=lambda f: f.operaciones)
    return mejor


@dataclass(frozen=True)
class _Movidas:
    orden: Orden
    facetas: dict[tuple[int, int], Mapping[str, Any]]


def orden_de_formatos(
    hoja: HojaGenerada,
    block: list[list[Any]],
    facetas: Mapping[tuple[int, int], Mapping[str, Any]],
) -> tuple[list[list[Any]], _Movidas] | None:
    """The rows Excel autofits (``hoja.autoajuste``) written grouped by their formats, with
    a key column holding each row's place, and the facets where those rows are written; None
    when the rows hold merges, explicit heights or links (a sort would break them).

    Why: the remote engine and xlwings Lite take one rectangle per action, and a report whose
    rows alternate formats by data (a semáforo colour per meta, a section per programa) would
    cost operations per row. Rows that share a format, written together, take one rectangle
    per facet; one sort by the key (Excel moves cell formats with their rows) puts every row
    back, and the key column is cleared. Heights are measured by the autofit after it.
    """
    if not hoja.autoajuste:
        return None
    a, _, b = hoja.autoajuste.partition(":")
    primera, ultima = int(a), min(int(b or a), len(block))
    if ultima - primera < 2:
        return None
    if any(not (r2 < primera or r1 > ultima) for r1, _, r2, _ in map(_caja, hoja.combinadas)):
        return None
    if any(primera <= r <= ultima for r in _altos_explicitos(hoja)):
        return None
    filas = range(primera, ultima + 1)
    if any(isinstance(v, Enlace) for r in filas for v in block[r - 1]):
        return None
    ancho = max([len(block[0]), *(c for _, c in facetas)])
    clave = ancho + 1
    firma: dict[int, tuple[Any, ...]] = {r: () for r in filas}
    for (r, c), valores in facetas.items():
        if r in firma:
            activas = tuple(sorted((f, repr(v)) for f, v in valores.items() if v is not None))
            if activas:
                firma[r] += ((c, activas),)
    # Rows of one format together; formats that share facets next to each other.
    orden = sorted(filas, key=lambda r: (sorted(firma[r]), r))
    if orden == list(filas):
        return None
    nueva = {r: primera + i for i, r in enumerate(orden)}
    escrito = [list(row) + [None] * (clave - len(row)) for row in block]
    for r in filas:
        escrito[nueva[r] - 1] = [*block[r - 1], *[None] * (ancho - len(block[r - 1])), r]
    movidas = {(nueva.get(r, r), c): v for (r, c), v in facetas.items()}
    return escrito, _Movidas(Orden(primera, ultima, clave), movidas)


def _sin_cabecera(hoja: HojaGenerada, filas: int) -> HojaGenerada:
    """``hoja`` without what a copied template already gave its first ``filas`` rows: the
    column widths, the frozen panes, and the styles, merges and heights of those rows."""
    estilos = []
    for area, estilo in hoja.estilos:
        partes = [
            rango(max(r1, filas + 1), c1, r2, c2)
            for r1, c1, r2, c2 in rectangulos(area)
            if r2 > filas
        ]
        if partes:
            estilos.append((",".join(partes), estilo))
    return replace(
        hoja,
        anchos={},
        estilos=estilos,
        combinadas=[a for a in hoja.combinadas if rectangulos(a)[0][0] > filas],
        altos={r: h for r, h in hoja.altos.items() if r > filas},
        congelar=None,
    )


def _caja(area: str) -> tuple[int, int, int, int]:
    return rectangulos(area)[0]


@dataclass(frozen=True)
class Periodo:
    """Rows ``primera`` … ``primera + periodo * veces - 1`` of a sheet repeat the formats (styles
    and merges) of their first ``periodo`` rows: one formats-only autofill copies them down."""

    primera: int
    periodo: int
    veces: int
    ancho: int  # columns A … this one

    @property
    def ultima(self) -> int:
        return self.primera + self.periodo * self.veces - 1


PERIODO_MAXIMO = 12  # rows per repeated block we look for (Resumen's programa block: 3)


def periodo_de_formatos(
    facetas: Mapping[tuple[int, int], Mapping[str, Any]], combinadas: Sequence[str]
) -> Periodo | None:
    """The longest run of rows whose formats repeat every ``periodo`` rows (at least twice,
    at least two different rows in a block, every merge inside one block), or None.

    Why: the remote engine and xlwings Lite take one rectangle per action, so a sheet made
    of one block per programa (Resumen) would cost a few operations per programa; formatting
    the first block and filling its formats down (Excel's AutoFill, xlFillFormats, which
    repeats a multi-row source block and its merges) costs one operation whatever the count.
    """
    filas: dict[int, list[tuple[int, tuple[tuple[str, Any], ...]]]] = {}
    for (r, c), valores in facetas.items():
        activas = tuple(sorted((f, v) for f, v in valores.items() if v is not None))
        if activas:
            filas.setdefault(r, []).append((c, activas))
    cajas = [rectangulos(a)[0] for a in combinadas]
    for r1, c1, r2, c2 in cajas:
        filas.setdefault(r1, []).append((c1, (("combinada", (r2 - r1, c2)),)))
    if not filas:
        return None
    firma = {r: tuple(sorted(celdas, key=repr)) for r, celdas in filas.items()}
    ultima = max(max(firma), *(c[2] for c in cajas)) if cajas else max(firma)
    mejor: Periodo | None = None
    for periodo in range(2, PERIODO_MAXIMO + 1):
        inicio = None
        for r in range(1 + periodo, ultima + 2):
            igual = r <= ultima and firma.get(r, ()) == firma.get(r - periodo, ())
            if igual and inicio is None:
                inicio = r - periodo
            elif not igual and inicio is not None:
                veces = (r - inicio) // periodo
                bloque = [firma.get(inicio + i, ()) for i in range(periodo)]
                cubiertas = periodo * (veces - 1)
                if (
                    veces >= 2
                    and len(set(bloque)) > 1
                    and (mejor is None or cubiertas > mejor.periodo * (mejor.veces - 1))
                    and _combinadas_dentro(cajas, inicio, periodo, veces)
                ):
                    ancho = max(c for (fr, c) in facetas if inicio <= fr < inicio + periodo * veces)
                    ancho = max([ancho, *(c2 for r1, _, _, c2 in cajas if inicio <= r1)])
                    mejor = Periodo(inicio, periodo, veces, ancho)
                inicio = None
    return mejor


def _combinadas_dentro(
    cajas: Sequence[tuple[int, int, int, int]], inicio: int, periodo: int, veces: int
) -> bool:
    """Every merge touching the rows lies inside one block (autofill repeats whole blocks)."""
    fin = inicio + periodo * veces - 1
    for r1, _, r2, _ in cajas:
        if r2 < inicio or r1 > fin:
            continue
        if r1 < inicio or r2 > fin or (r1 - inicio) // periodo != (r2 - inicio) // periodo:
            return False
    return True


def _sin_repetidas(
    facetas: Mapping[tuple[int, int], Mapping[str, Any]],
    combinadas: Sequence[str],
    periodo: Periodo,
) -> tuple[dict[tuple[int, int], Mapping[str, Any]], list[str]]:
    """The formats left to set one by one when ``periodo``'s autofill copies the rest."""
    desde = periodo.primera + periodo.periodo
    fuera = {cell: v for cell, v in facetas.items() if not desde <= cell[0] <= periodo.ultima}
    quedan = [a for a in combinadas if not desde <= rectangulos(a)[0][0] <= periodo.ultima]
    return fuera, quedan


def usuario_excel(book: xw.Book) -> str | None:
    """The user name Excel knows (``Application.UserName``), under COM only (*not run
    here*); the remote engine's payload carries none."""
    if not es_com(book):
        return None
    try:
        return str(book.app.api.UserName).strip() or None
    except Exception:
        return None


def en_lite(book: xw.Book) -> bool:
    """True inside xlwings Lite: Python in Pyodide (``emscripten``), or a book whose data
    came from an Office.js client. Neither can run the workbook's VBA."""
    if sys.platform == "emscripten":
        return True
    api = getattr(book, "api", None)
    return isinstance(api, dict) and api.get("client") == "Office.js"


def macros_del_libro(book: xw.Book) -> frozenset[str]:
    """The helper Subs the workbook announces through the defined name ``NOMBRE_MACROS``
    (its cell lists them, ";"-separated); none for a workbook built before them."""
    try:
        if not book.names.contains(NOMBRE_MACROS):
            return frozenset()
        valor = book.names[NOMBRE_MACROS].refers_to_range.value
    except Exception:  # a name that no longer refers to a range (#REF!), …
        return frozenset()
    return frozenset(str(valor or "").split(";")) & frozenset(MACROS_AYUDA)


def hoja_de_macros(book: xw.Book) -> str | None:
    """The sheet the marker name ``NOMBRE_MACROS`` refers to (AplicarLote stages its values
    there); None when it cannot be found."""
    try:
        return str(book.names[NOMBRE_MACROS].refers_to_range.sheet.name)
    except Exception:
        return None


def texto_alturas(tramos: Sequence[tuple[tuple[int, int], float]]) -> str:
    """The argument of ``AltosDeFila``: ``[((5, 7), 30.0), ((9, 9), 45.75)]`` ->
    ``"5:7=30;9=45.75"`` (points with "." as decimal separator, read by VBA's ``Val``)."""
    return ";".join(f"{a}={alto:g}" if a == b else f"{a}:{b}={alto:g}" for (a, b), alto in tramos)


def _poner_grafica(sheet: Any, grafica: Grafica, filas: Sequence[Sequence[Any]]) -> None:
    """A native chart through xlwings' public chart API: the same data references as the
    file adapter (series values, categories) and the same anchor, size, type and titles.

    The remote engine takes one contiguous source range per chart, so the series go in
    as one block (``origen_grafica``) and the categories through ``set_x_axis_values``.
    When the cells just before each series hold its title, the block includes them and
    Excel names the series from the sheet, as it does for a block whose first column (or
    row) is text and the rest numbers *(Excel, not run)*; otherwise the series keep
    Excel's default names. Series that do not form one block are left out (none of our
    sheets has such a chart). Cost on the remote engine: ``addChart``,
    ``setChartXAxisValues``, ``setChartTitle`` and, with an axis title, ``setChartAxis``.
    """
    origen = origen_grafica(grafica, filas)
    if origen is None:
        return
    area, por = origen
    chart = sheet.charts.add(
        width=grafica.ancho_cm * PUNTOS_POR_CM,
        height=grafica.alto_cm * PUNTOS_POR_CM,
        chart_type="line" if grafica.tipo == "lineas" else "column_clustered",
        anchor=sheet.range(grafica.ancla),
    )
    chart.set_source_data(sheet.range(area), plot_by=por)
    chart.set_x_axis_values(sheet.range(grafica.categorias))
    chart.title = grafica.titulo
    if grafica.titulo_eje_y:
        chart.value_axis.title = grafica.titulo_eje_y


def origen_grafica(
    grafica: Grafica, filas: Sequence[Sequence[Any]]
) -> tuple[str, Literal["rows", "columns"]] | None:
    """The one contiguous block holding a chart's series and how to read it:
    ``("B9:N10", "rows")`` for series C9:N9 and C10:N10 whose titles stand in B9 and B10.
    None when the series are not consecutive rows (or columns) over the same span."""
    if not grafica.series:
        return None
    cajas = [rectangulos(s.rango)[0] for s in grafica.series]
    r1, c1, r2, c2 = cajas[0]
    en_filas = all(b[0] == b[2] for b in cajas) and not (len(cajas) == 1 and r1 != r2)
    for i, (a1, b1, a2, b2) in enumerate(cajas):
        esperado = (r1 + i, c1, r1 + i, c2) if en_filas else (r1, c1 + i, r2, c1 + i)
        if (a1, b1, a2, b2) != esperado:
            return None

    def celda(r: int, c: int) -> Any:
        return filas[r - 1][c - 1] if 0 < r <= len(filas) and 0 < c <= len(filas[r - 1]) else None

    if en_filas:
        ultima_fila, ultima_col = r1 + len(cajas) - 1, c2
        con_titulos = c1 > 1 and all(
            celda(r1 + i, c1 - 1) == s.titulo for i, s in enumerate(grafica.series)
        )
        inicio = (r1, c1 - 1) if con_titulos else (r1, c1)
    else:
        ultima_fila, ultima_col = r2, c1 + len(cajas) - 1
        con_titulos = r1 > 1 and all(
            celda(r1 - 1, c1 + i) == s.titulo for i, s in enumerate(grafica.series)
        )
        inicio = (r1 - 1, c1) if con_titulos else (r1, c1)
    return rango(*inicio, ultima_fila, ultima_col), "rows" if en_filas else "columns"


def preparar_impresion_com(sheet: Any, impresion: Impresion) -> None:
    """Page set-up through ``sheet.api.PageSetup``: **COM only** (Windows Excel), not
    verified on Linux (no Excel here; the remote engine has no page set-up actions).

    Landscape (``Orientation`` 2) or portrait (1), letter paper when asked (``PaperSize``
    1), one page wide (``Zoom`` False, ``FitToPagesWide`` 1, ``FitToPagesTall`` False)
    and the repeated title rows (``PrintTitleRows`` "$5:$6" from ``"5:6"``): the same
    settings the file adapter writes with openpyxl. Each property is one COM call.
    """
    page_setup = sheet.api.PageSetup
    page_setup.Orientation = _XL_LANDSCAPE if impresion.horizontal else _XL_PORTRAIT
    if impresion.papel_carta:
        page_setup.PaperSize = _XL_PAPER_LETTER
    if impresion.ajustar_ancho:
        page_setup.Zoom = False
        page_setup.FitToPagesWide = 1
        page_setup.FitToPagesTall = False
    if impresion.filas_repetidas:
        primera, _, ultima = impresion.filas_repetidas.partition(":")
        page_setup.PrintTitleRows = f"${primera}:${ultima or primera}"
    for fila in impresion.saltos:  # a manual page break before each of these rows
        sheet.api.HPageBreaks.Add(Before=sheet.api.Range(f"A{fila}"))


def _facetas(estilo: Estilo) -> dict[str, Any]:
    """What a style sets, facet by facet as the file adapter applies it (a font replaces
    the whole font, an alignment the whole alignment): None resets to the default."""
    out: dict[str, Any] = {}
    if estilo.negrita or estilo.color_fuente or estilo.tamano:
        out |= {"negrita": estilo.negrita or None, "color_fuente": estilo.color_fuente}
        out["tamano"] = estilo.tamano
    if estilo.relleno:
        out["relleno"] = estilo.relleno
    if estilo.horizontal or estilo.vertical or estilo.ajustar:
        out |= {"horizontal": estilo.horizontal, "vertical": estilo.vertical}
        out["ajustar"] = estilo.ajustar or None
    if estilo.borde:
        out["borde"] = True
    if estilo.formato:
        out["formato"] = estilo.formato
    return out


def _altos_explicitos(hoja: HojaGenerada) -> dict[int, float]:
    """Heights to set one by one (by runs). Rows of ``hoja.autoajuste`` are left to Excel's
    autofit, one operation, which must come after the values, widths and wrapping; the
    caller sets these heights after it, so ``altos_fijos`` win over the autofit."""
    if not hoja.autoajuste:
        return dict(hoja.altos)
    primera, _, ultima = hoja.autoajuste.partition(":")
    auto = range(int(primera), int(ultima or primera) + 1)
    fijas: set[int] = set()
    for filas in hoja.altos_fijos:
        a, _, b = filas.partition(":")
        fijas.update(range(int(a), int(b or a) + 1))
    return {r: h for r, h in hoja.altos.items() if r not in auto or r in fijas}


def _columna(letra: str) -> int:
    column = 0
    for ch in letra.upper():
        column = column * 26 + ord(ch) - 64
    return column


def _tramos(valores: Mapping[int, float]) -> list[tuple[tuple[int, int], float]]:
    """Runs of consecutive positions with the same value: {1: 5, 2: 5, 4: 5} -> two runs."""
    out: list[tuple[tuple[int, int], float]] = []
    for pos in sorted(valores):
        value = valores[pos]
        if out and out[-1][0][1] == pos - 1 and out[-1][1] == value:
            out[-1] = ((out[-1][0][0], pos), value)
        else:
            out.append(((pos, pos), value))
    return out
