"""Adapter: a workbook file on disk. Reads with python-calamine, writes with openpyxl or,
when only cell values change, by patching the XML of just those worksheets.

Reading with calamine is fast and only sees cells that hold a value, so a sheet formatted
down to row 1,048,576 reads as its real rows. calamine reads an Excel error and a formula
saved without its result as blank: those cells are found in the sheet's XML and marked
(``ErrorExcel``, ``FormulaSinValor``), so nothing is summed as an empty cell silently. A
file that is not a workbook is refused with a sentence that says what it is.

Plain cell writes (text, numbers, blanks) are first kept as pending writes, compared with
the values read; ``guardar`` then rewrites only the ``<sheetData>`` rows of the
worksheets they touch (``sheet_patch``) and copies every other part of the package
unchanged. Anything else (a new sheet, colours, a link, a cell holding a formula) loads
the file once with openpyxl (``keep_vba`` keeps ``vbaProject.bin`` and the form buttons),
replays the pending writes and continues there; that save is grafted into the original
package (``injerto``), so only our sheets, the cells we wrote and our rules change, and in
a macro workbook each sheet added gets its VBA document module and a removed sheet's goes
(``vba.documentos``), every other module byte for byte. Either way the save goes through
``guardado`` (atomic, with a backup, refused when Excel has the workbook open or when the
file changed since it was read) and happens only when something changed.

Long on purpose: it is the whole of the port for files (read, write, sheets, colours
through the mirror sheet, charts, print setup) in openpyxl's terms, and splitting it would
spread one library's details over several modules.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from copy import copy
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

# openpyxl is imported where a write needs it: reading with calamine and patching the XML
# (most commands, most presses) never pay its import.
if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from python_calamine import CalamineWorkbook

from . import guardado
from .errors import EscrituraError, LecturaError
from .escrituras import (
    Escritura,
    aplicar_en_orden,
    hojas_primero,
    valor_escribible,
    valor_plano,
)
from .grid import Grid
from .injerto import (
    Cambios,
    codigo_de_hoja,
    con_complementos,
    injertar,
    injertar_hojas,
    perdidas,
)
from .model import ErrorExcel, FormulaSinValor
from .plantillas import sin_plantillas
from .render import (
    CLAVE_PROTECCION,
    Enlace,
    Estilo,
    Grafica,
    HojaGenerada,
    ReglasColor,
    Rellenos,
    bloque_colores,
    hoja_espejo,
    rectangulos,
    reglas_color,
)
from .sheet_patch import (
    COMO_FORMULA,
    NoParcheable,
    Paquete,
    celdas_con_estilo,
    celdas_sin_valor,
    escribible,
    reemplazar_partes,
    rellenos_de_estilos,
)
from .sheet_patch import escape_xml as escape
from .text import enumerar, fold, quote_sheet
from .vba.nombres import code_name

EXTENSIONES = (".xlsx", ".xlsm")
VBA_PART = "xl/vbaProject.bin"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .xls, or a workbook with a password


def no_es_libro(nombre: str, datos: bytes) -> str | None:
    """Why ``datos`` is not a workbook package (.xlsx/.xlsm), in Spanish; None when it is."""
    if not datos:
        return (
            f"«{nombre}» está vacío (0 bytes): no es un libro de Excel. ¿Se interrumpió la "
            "copia o la descarga? Vuelva a copiarlo."
        )
    if datos.startswith(_OLE):
        if _cifrado(datos):
            return _protegido(nombre)
        return (
            f"«{nombre}» es un libro de Excel 97-2003 (.xls) u otro archivo de Office con la "
            "extensión cambiada: ábralo en Excel y guárdelo como libro de Excel (.xlsx) o "
            "libro con macros (.xlsm)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as z:
            partes = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        if _parece_texto(datos):
            return (
                f"«{nombre}» es un archivo de texto (por ejemplo CSV), no un libro de Excel: "
                "ábralo en Excel y guárdelo como libro de Excel (.xlsx)."
            )
        return _danado(nombre)
    if "[Content_Types].xml" not in partes or not any(p.startswith("xl/") for p in partes):
        return f"«{nombre}» es un archivo comprimido (.zip), pero no un libro de Excel."
    return None


def _cifrado(datos: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(datos)) as ole:
            return bool(ole.exists("EncryptedPackage"))
    except Exception:  # a damaged compound file is not a protected workbook
        return False


def _parece_texto(datos: bytes) -> bool:
    muestra = datos[:4096]
    return b"\x00" not in muestra and not any(b < 9 or 13 < b < 32 for b in muestra)


def _protegido(nombre: str) -> str:
    return (
        f"«{nombre}» está protegido con contraseña y xl-metas no puede abrirlo. En Excel, "
        "quite la contraseña (Archivo › Información › Proteger libro › Cifrar con "
        "contraseña, y déjela en blanco), guárdelo y vuelva a intentarlo."
    )


def _danado(nombre: str) -> str:
    return (
        f"«{nombre}» no es un libro de Excel válido o está dañado (no se puede abrir como "
        ".xlsx/.xlsm)."
    )


def backup_path(path: Path) -> Path:
    return guardado.respaldo_de(path)


class LibroArchivo:
    """A .xlsx/.xlsm file as a ``Libro``. Call ``guardar`` to keep changes.

    ``datos``: the workbook's bytes, for one that is not on disk yet (``crear_libro``).
    """

    def __init__(self, path: Path, datos: bytes | None = None) -> None:
        self.path = Path(path)
        self.nombre = self.path.name
        self._grids: dict[str, Grid] = {}
        # The file as opened (calamine, openpyxl and the patcher all start from these bytes),
        # and the version of the file our state derives from: a save is refused when the
        # file is no longer that version.
        self._datos: bytes | None = datos
        self._huella: guardado.Huella | None = None
        self._cal: CalamineWorkbook | None = None
        self._wb: Workbook | None = None
        self._check(en_disco=datos is None)
        self._names: list[str] = self._read_names()
        # Plain cell writes not yet applied through openpyxl: sheet -> (row, col) -> value.
        self._pendientes: dict[str, dict[tuple[int, int], Any]] = {}
        self._vistas: dict[str, Grid] = {}  # calamine grids with the pending writes on top
        # Whole sheets put without openpyxl: name -> (sheet, the sheet it goes after); written
        # as XML and grafted into the package when saving (``hoja_xml``, ``injerto``).
        self._nuevas: dict[str, tuple[HojaGenerada, str | None]] = {}
        self._paquete: Paquete | None = None
        self._injerto = Cambios()  # what a save grafts into the original package
        self.permitir_perdidas = False  # a save may drop the user's content (copies only)
        self.perdidas: list[str] = []  # what the last save could not keep
        self._tomados_vba: set[str] | None = None  # names in the VBA project, once read
        self.cambios = 0  # cells, sheets or styles changed since opening

    # -- reading -----------------------------------------------------------------------
    def _check(self, en_disco: bool = True) -> None:
        """Refuse, with a sentence that says what the file is, anything but a workbook."""
        if en_disco and not self.path.exists():
            raise LecturaError(f"No existe el archivo «{self.path}».")
        if self.path.suffix.lower() not in EXTENSIONES:
            if en_disco and self.path.is_dir():
                raise LecturaError(f"«{self.path}» es una carpeta, no un libro de Excel.")
            raise LecturaError(
                f"«{self.nombre}» no es un libro de Excel: se esperaba un archivo .xlsx o .xlsm."
            )
        if en_disco:
            problema = no_es_libro(self.nombre, self._bytes())
            if problema:
                raise LecturaError(problema)

    def _calamine(self) -> CalamineWorkbook:
        # Opened once, from memory: no file handle stays open (Windows could not replace it).
        if self._cal is not None:
            return self._cal
        # Imported here: xlwings Lite (Pyodide, no python-calamine) imports this module
        # through operaciones but never reads a file.
        from python_calamine import CalamineWorkbook, PasswordError

        try:
            self._cal = CalamineWorkbook.from_filelike(io.BytesIO(self._bytes()))
            return self._cal
        except PasswordError as exc:
            raise LecturaError(_protegido(self.nombre)) from exc
        except Exception as exc:  # calamine raises several types for damaged files
            raise LecturaError(_danado(self.nombre)) from exc

    def _bytes(self) -> bytes:
        """The workbook's bytes, read from the file once per version we work on."""
        if self._datos is None:
            leido = guardado.leer(self.path)
            self._datos = leido.datos
            if self._wb is None:  # an openpyxl model in memory derives from an earlier version
                self._huella = leido.huella
        return self._datos

    def _read_names(self) -> list[str]:
        return list(self._calamine().sheet_names)

    def hojas(self) -> list[str]:
        return list(self._wb.sheetnames) if self._wb is not None else list(self._names)

    @property
    def ruta(self) -> Path:
        return self.path

    def aplicar(self, escrituras: Sequence[Escritura]) -> None:
        """Whole sheets first: once one changes, openpyxl holds the workbook and the cell
        writes go straight into it instead of being recorded and replayed."""
        aplicar_en_orden(self, hojas_primero(escrituras))

    def resolver(self, hoja: str) -> str | None:
        """The workbook's spelling of a sheet name (accents and case do not matter)."""
        names = self.hojas()
        if hoja in names:
            return hoja
        return next((n for n in names if fold(n) == fold(hoja)), None)

    def leer(self, hoja: str) -> Grid:
        name = self.resolver(hoja)
        if name is None:
            raise LecturaError(
                f"«{self.nombre}» no tiene la hoja «{hoja}». Hojas del libro: "
                + ", ".join(f"«{n}»" for n in sin_plantillas(self.hojas()))
                + "."
            )
        if self._wb is not None and self.cambios:
            return Grid(self.nombre, name, self._rows_from_openpyxl(self._wb[name]))
        if name in self._nuevas:
            return Grid(self.nombre, name, _filas_escritas(self._nuevas[name][0]))
        if self._pendientes.get(name):
            if name not in self._vistas:
                self._vistas[name] = _con_escrituras(self._leida(name), self._pendientes[name])
            return self._vistas[name]
        return self._leida(name)

    def _leida(self, name: str) -> Grid:
        """The sheet as calamine read it from the file (without pending writes)."""
        if name not in self._grids:
            try:
                sheet = self._calamine().get_sheet_by_name(name)
                rows = _con_marcas(sheet.to_python(skip_empty_area=False), self._sin_valor(name))
            except Exception as exc:
                raise LecturaError(
                    f"«{self.nombre}», hoja «{name}»: no se pudo leer (la hoja está dañada o "
                    "tiene un formato que xl-metas no reconoce); ábralo en Excel y guárdelo de "
                    "nuevo."
                ) from exc
            self._grids[name] = Grid(self.nombre, name, rows)
        return self._grids[name]

    def ultimo_autor(self) -> str | None:
        """``lastModifiedBy`` of ``docProps/core.xml``: who saved the file last (Excel and
        LibreOffice write it; xl-metas keeps it as it was)."""
        datos = self.parte("docProps/core.xml")
        if not datos:
            return None
        from xml.etree import ElementTree

        try:
            raiz = ElementTree.fromstring(datos)
        except ElementTree.ParseError:
            return None
        nodo = raiz.find(
            "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy"
        )
        texto = (nodo.text or "").strip() if nodo is not None else ""
        return texto or None

    def parte(self, nombre: str) -> bytes | None:
        """A part of the package as read (``docProps/custom.xml``), None when missing."""
        paquete = self._paquete_abierto()
        try:
            return paquete.leer(nombre) if paquete is not None else None
        except KeyError:
            return None

    def _sin_valor(self, name: str) -> dict[tuple[int, int], tuple[str, str]]:
        """Cells calamine reads as blank that hold an Excel error or a formula never
        calculated (found in the sheet's XML; none when the package is not laid out as
        the patcher expects)."""
        paquete = self._paquete_abierto()
        parte = paquete.hojas.get(name) if paquete is not None else None
        if paquete is None or parte is None:
            return {}
        return celdas_sin_valor(paquete.leer(parte))

    @staticmethod
    def _rows_from_openpyxl(ws: Worksheet) -> list[list[Any]]:
        # Only cells that hold a value: never iterate a sheet formatted to row 1,048,576.
        cells = [(r, c, cell.value) for (r, c), cell in ws._cells.items() if cell.value is not None]
        if not cells:
            return []
        height = max(r for r, _, _ in cells)
        width = max(c for _, c, _ in cells)
        rows: list[list[Any]] = [[None] * width for _ in range(height)]
        for r, c, value in cells:
            rows[r - 1][c - 1] = value
        for (r, c), cell in ws._cells.items():
            if cell.data_type == "e" and isinstance(cell.value, str):
                rows[r - 1][c - 1] = ErrorExcel(cell.value)
        return rows

    # -- writing -----------------------------------------------------------------------
    def _book(self) -> Workbook:
        """The workbook loaded with openpyxl, with the pending writes replayed into it."""
        if self._wb is None:
            import openpyxl

            try:
                self._wb = openpyxl.load_workbook(
                    io.BytesIO(self._bytes()),  # the version calamine read, not a later one
                    keep_vba=self.path.suffix.lower() == ".xlsm",
                    rich_text=False,
                )
            except Exception as exc:
                raise LecturaError(
                    f"«{self.nombre}» no se pudo abrir para escribir: tiene partes dañadas o que "
                    "xl-metas no reconoce; ábralo en Excel y guárdelo de nuevo."
                ) from exc
            # The sheets put as XML, now through openpyxl, each in its place.
            nuevas, self._nuevas, orden = self._nuevas, {}, list(self._names)
            for i, nombre in enumerate(orden):
                if nombre in nuevas:
                    nueva = self.resolver(nombre) is None
                    self._poner_openpyxl(nuevas[nombre][0], orden[i - 1] if nueva and i else None)
            for name, escrituras in self._pendientes.items():
                ws = self._wb[name]
                for (row, column), value in escrituras.items():
                    if value is None and (row, column) not in ws._cells:
                        continue
                    _poner(ws.cell(row=row, column=column), value)  # counted when recorded
                    self._injerto.celda(name, row, column, value)
            self._pendientes.clear()
            self._vistas.clear()
        return self._wb

    def _sheet(self, hoja: str) -> Worksheet:
        name = self.resolver(hoja)
        if name is None:
            raise LecturaError(f"«{self.nombre}» no tiene la hoja «{hoja}».")
        return self._book()[name]

    def _set(self, cell: Cell, value: Any) -> None:
        hoja = cell.parent.title
        if isinstance(value, Enlace):
            from openpyxl.worksheet.hyperlink import Hyperlink

            if hoja not in self._injerto.propias:
                self._injerto.imposible = "vínculo en una hoja del usuario"
            location = f"{quote_sheet(value.hoja)}!{value.celda}"
            link = cell.hyperlink
            texto = valor_escribible(value.texto)
            if cell.value != texto or link is None or link.location != location:
                cell.value = texto
                cell.data_type = "s"
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location)
                cell.style = "Hyperlink"
                self.cambios += 1
            return
        plain = valor_plano(value)
        if valor_plano(cell.value) == plain and (
            plain is None or not isinstance(value, str) or cell.data_type == "s"
        ):
            return  # a blank over a blank, or the same value (text over text)
        _poner(cell, value)
        self._injerto.celda(hoja, cell.row, cell.column, value)
        self.cambios += 1

    def escribir(self, hoja: str, fila: int, columna: int, valores: list[list[Any]]) -> None:
        if self._wb is None:
            name = self.resolver(hoja)
            if name is None:
                raise LecturaError(f"«{self.nombre}» no tiene la hoja «{hoja}».")
            if name in self._nuevas:
                self._escribir_en_nueva(name, fila, columna, valores)
                return
            if self._pendiente(name, fila, columna, valores):
                return
        ws = self._sheet(hoja)
        for r, row in enumerate(valores):
            for c, value in enumerate(row):
                if value is None and (fila + r, columna + c) not in ws._cells:
                    continue  # do not create empty cells
                self._set(ws.cell(row=fila + r, column=columna + c), value)

    def _pendiente(self, name: str, fila: int, columna: int, valores: list[list[Any]]) -> bool:
        """Record a block as pending cell writes, counting only cells whose value changes.

        False (recording nothing) when the block needs openpyxl: a value that is not plain
        text, a number or a blank, or a target cell holding a date. A target holding a
        formula, or XML the patcher does not handle, is found when saving, which then goes
        through openpyxl with these writes replayed.
        """
        grid = self._leida(name)
        previas = self._pendientes.get(name, {})
        nuevas: dict[tuple[int, int], Any] = {}
        filas = grid.rows
        for r, row in enumerate(valores):
            f = fila + r
            leida = filas[f - 1][columna - 1 : columna - 1 + len(row)] if f <= len(filas) else ()
            if not any(v is not None and v != "" for v in leida):
                # Nothing in the sheet under this row of the block (rows appended to the
                # Historial, a mirror sheet written whole): only earlier pending writes.
                for c, value in enumerate(row):
                    tipo = type(value)
                    plano = tipo is int or tipo is float or tipo is str or value is None
                    if not plano and not escribible(value):
                        return False
                    rc = (f, columna + c)
                    antes = valor_plano(previas[rc]) if rc in previas else None
                    if valor_plano(value) != antes:
                        nuevas[rc] = value
                continue
            n = len(leida)
            for c, value in enumerate(row):
                tipo = type(value)
                plano = tipo is int or tipo is float or tipo is str or value is None
                if not plano and not escribible(value):
                    return False
                rc = (f, columna + c)
                if rc in previas:
                    actual = previas[rc]
                else:  # what grid.value(*rc) gives, without a call per cell
                    actual = leida[c] if c < n else None
                    if actual == "":
                        actual = None
                tipo_actual = type(actual)
                if tipo_actual is tipo and (tipo is int or tipo is float) and actual == value:
                    continue  # the same number: the common case of a second run
                if isinstance(actual, dt.date | dt.time | dt.timedelta):
                    return False
                if valor_plano(actual) == valor_plano(value):
                    continue
                nuevas[rc] = value
        return self._anotar_pendientes(name, nuevas)

    def _anotar_pendientes(self, name: str, nuevas: dict[tuple[int, int], Any]) -> bool:
        if nuevas:
            self._pendientes.setdefault(name, {}).update(nuevas)
            self._vistas.pop(name, None)
            self.cambios += len(nuevas)
        return True

    def _paquete_abierto(self) -> Paquete | None:
        if self._paquete is None:
            self._paquete = Paquete.abrir(self._bytes())
        return self._paquete

    def _escribir_en_nueva(
        self, name: str, fila: int, columna: int, valores: list[list[Any]]
    ) -> None:
        """Cell writes into a sheet put as XML: into its rows, before it is written."""
        hoja, despues_de = self._nuevas[name]
        filas = [list(f) for f in hoja.filas]
        for r, row in enumerate(valores, start=fila):
            for c, value in enumerate(row, start=columna):
                while len(filas) < r:
                    filas.append([])
                linea = filas[r - 1]
                if len(linea) < c:
                    if value is None:
                        continue
                    linea.extend([None] * (c - len(linea)))
                if valor_plano(linea[c - 1]) != valor_plano(value):
                    linea[c - 1] = value
                    self.cambios += 1
        self._nuevas[name] = (replace(hoja, filas=filas), despues_de)

    def poner_hoja(self, hoja: HojaGenerada, despues_de: str | None = None) -> None:
        """A whole sheet: kept to be written as XML when saving (``hoja_xml``) while the
        workbook is not loaded with openpyxl, else through openpyxl."""
        if self._wb is None and self._paquete_abierto() is not None:
            name = self.resolver(hoja.nombre)
            if name is not None and name != hoja.nombre:
                self._names[self._names.index(name)] = hoja.nombre
                self._nuevas.pop(name, None)
            elif name is None:
                anchor = self.resolver(despues_de) if despues_de else None
                posicion = self._names.index(anchor) + 1 if anchor else len(self._names)
                self._names.insert(posicion, hoja.nombre)
            if name is not None:
                self._pendientes.pop(name, None)
                self._vistas.pop(name, None)
            self._nuevas[hoja.nombre] = (hoja, despues_de)
            self._grids.pop(hoja.nombre, None)
            self.cambios += 1
            return
        self._book()
        self._poner_openpyxl(hoja, despues_de)

    def _poner_openpyxl(self, hoja: HojaGenerada, despues_de: str | None) -> None:
        name = self.resolver(hoja.nombre)
        wb = self._book()
        index = None
        if name is not None:
            old = wb[name]
            index = wb.sheetnames.index(name)
            codename = old.sheet_properties.codeName
            wb.remove(old)
        else:
            anchor = self.resolver(despues_de) if despues_de else None
            index = wb.sheetnames.index(anchor) + 1 if anchor else len(wb.sheetnames)
            codename = None
        ws = wb.create_sheet(hoja.nombre, index)
        self._injerto.propias.add(hoja.nombre)
        ws.sheet_properties.codeName = codename or code_name(hoja.nombre, self._nombres_tomados())
        self._fill_sheet(ws, hoja)
        self._grids.pop(hoja.nombre, None)
        self.cambios += 1

    def _fill_sheet(self, ws: Worksheet, hoja: HojaGenerada) -> None:
        for r, row in enumerate(hoja.filas, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    self._set(ws.cell(row=r, column=c), value)
        for letter, width in hoja.anchos.items():
            ws.column_dimensions[letter].width = width
        for row_number, height in hoja.altos.items():
            ws.row_dimensions[row_number].height = height
        hechos: dict[tuple[Estilo, tuple[int, ...]], StyleArray] = {}
        for area, estilo in hoja.estilos:
            for cell in _cells(ws, area):
                # openpyxl finds each new style object by deep equality in the workbook's
                # lists, per cell; a cell with the same style before gets the same after.
                antes = (estilo, tuple(cell._style or ()))
                despues = hechos.get(antes)
                if despues is None:
                    _apply_style(cell, estilo)
                    hechos[antes] = copy(cell._style)
                else:
                    cell._style = copy(despues)
        for area in hoja.combinadas:
            ws.merge_cells(area)
        if hoja.congelar:
            ws.freeze_panes = hoja.congelar
        if hoja.impresion:
            p = hoja.impresion
            ws.page_setup.orientation = "landscape" if p.horizontal else "portrait"
            ws.page_setup.paperSize = ws.PAPERSIZE_LETTER if p.papel_carta else None
            if p.ajustar_ancho:
                ws.sheet_properties.pageSetUpPr.fitToPage = True
                ws.page_setup.fitToWidth = 1
                ws.page_setup.fitToHeight = 0
            if p.filas_repetidas:
                ws.print_title_rows = p.filas_repetidas
            from openpyxl.worksheet.pagebreak import Break

            for fila in p.saltos:  # openpyxl's Break(id) breaks after row id
                ws.row_breaks.append(Break(id=fila - 1))
        for grafica in hoja.graficas:
            _add_chart(ws, grafica)
        if hoja.oculta:
            ws.sheet_state = "hidden"
        if hoja.protegida:  # against accidental edits only: see render.CLAVE_PROTECCION
            ws.protection.sheet = True
            ws.protection.password = CLAVE_PROTECCION

    def _nombres_tomados(self) -> set[str]:
        """The names a new sheet's codeName must not take: the other codeNames (the
        workbook's too) and, in a macro workbook, every name of its VBA project."""
        from .vba import edicion  # olefile: only when a sheet is added

        wb = self._book()
        if self._tomados_vba is None:
            vba = _proyecto_vba(wb)
            try:
                self._tomados_vba = edicion.nombres_tomados(vba) if vba else set()
            except edicion.ProyectoIlegible:
                self._tomados_vba = set()  # an unreadable project: its names are unknown
        codigos = {codigo for _, codigo, _ in _code_names(wb) if codigo}
        return codigos | {wb.code_name or "ThisWorkbook"} | self._tomados_vba

    def colorear(self, hoja: str, area: str, rellenos: Rellenos) -> None:
        """Colours through the hidden mirror sheet and conditional formats (see
        ``render.PALETA``): the same workbook state the Excel adapter produces."""
        if self._colorear_sin_openpyxl(hoja, area, rellenos):
            return
        from openpyxl.styles import PatternFill

        ws = self._sheet(hoja)
        for cell in _cells(ws, area, existing_only=True):
            if cell.fill.fill_type is not None:  # direct fills would hide nothing, but confuse
                cell.fill = PatternFill(None)
                if ws.title not in self._injerto.propias:
                    self._injerto.imposible = "rellenos de una hoja del usuario"
                self.cambios += 1
        espejo = self._espejo(ws.title)
        fila, columna, bloque = bloque_colores(area, rellenos, self._rows_from_openpyxl(espejo))
        self.escribir(espejo.title, fila, columna, bloque)
        self._asegurar_reglas(ws, reglas_color(ws.title, area))

    def _colorear_sin_openpyxl(self, hoja: str, area: str, rellenos: Rellenos) -> bool:
        """The common case, as cell writes in the mirror sheet: the workbook not loaded with
        openpyxl, the mirror and our rules already there, no cell of the area with a fill
        of its own. False (nothing done) otherwise."""
        name = self.resolver(hoja)
        espejo = self.resolver(hoja_espejo(name)) if name is not None else None
        paquete = self._paquete_abierto()
        if (
            self._wb is not None
            or name is None
            or espejo is None
            or paquete is None
            or name in self._nuevas
            or name not in paquete.hojas
            or not self._tiene_reglas(name, reglas_color(name, area))
            or _con_rellenos(paquete, name, area)
        ):
            return False
        fila, columna, bloque = bloque_colores(area, rellenos, self.leer(espejo).rows)
        self.escribir(espejo, fila, columna, bloque)
        return True

    def resaltar(self, hoja: str, reglas: ReglasColor) -> None:
        name = self.resolver(hoja)
        if name is None:
            raise LecturaError(f"«{self.nombre}» no tiene la hoja «{hoja}».")
        if self._wb is None and self._tiene_reglas(name, reglas):
            return  # checked in the sheet's XML: no need to load the workbook
        self._asegurar_reglas(self._sheet(name), reglas)

    def _tiene_reglas(self, hoja: str, reglas: ReglasColor) -> bool:
        """Whether the sheet as read holds exactly these rules of ours (formulas, range)."""
        paquete = self._paquete_abierto()
        if paquete is None or hoja not in paquete.hojas:
            return False
        xml = paquete.leer(paquete.hojas[hoja])
        marca = escape(reglas.marca).encode("utf-8")
        formulas = [
            b"<formula>" + escape(f).encode("utf-8") + b"</formula>" for f, _ in reglas.reglas
        ]
        sqref = b'sqref="' + " ".join(reglas.rangos).encode("utf-8") + b'"'
        return (
            xml.count(marca) == len(reglas.reglas)
            and all(f in xml for f in formulas)
            and sqref in xml
        )

    def _espejo(self, hoja: str) -> Worksheet:
        """The hidden mirror sheet of ``hoja``, created (at the end) when missing."""
        nombre = hoja_espejo(hoja)
        existente = self.resolver(nombre)
        wb = self._book()
        if existente is not None:
            return wb[existente]
        ws = wb.create_sheet(nombre)
        self._injerto.propias.add(nombre)
        ws.sheet_properties.codeName = code_name(nombre, self._nombres_tomados())
        ws.sheet_state = "hidden"
        self.cambios += 1
        return ws

    def _asegurar_reglas(self, ws: Worksheet, reglas: ReglasColor) -> None:
        """Put the rules in when missing or different; never duplicate them."""
        from openpyxl.formatting.formatting import ConditionalFormattingList
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import PatternFill

        marca = reglas.marca
        sqref = " ".join(reglas.rangos)
        wanted = {(sqref, formula, color) for formula, color in reglas.reglas}
        ours: set[tuple[str, str, str]] = set()
        keep = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                formula = rule.formula[0] if rule.formula else ""
                if marca in formula:
                    ours.add((str(cf.sqref), formula, _dxf_color(rule)))
                else:
                    keep.add(str(cf.sqref), rule)
        if ours == wanted:
            return
        for formula, color in reglas.reglas:
            fill = PatternFill("solid", start_color=color, end_color=color)
            keep.add(sqref, FormulaRule(formula=[formula], fill=fill, stopIfTrue=False))
        ws.conditional_formatting = keep
        if ws.title not in self._injerto.propias:
            self._injerto.reglas.setdefault(ws.title, set()).add(marca)
        self.cambios += 1

    def quitar_hoja(self, nombre: str) -> None:
        name = self.resolver(nombre)
        if name is None:
            return
        paquete = self._paquete_abierto()
        if name in self._nuevas and (paquete is None or name not in paquete.hojas):
            del self._nuevas[name]  # put in this session only: never written
            self._names.remove(name)
            self.cambios += 1
            return
        wb = self._book()
        wb.remove(wb[name])
        self._grids.pop(name, None)
        self.cambios += 1

    def guardar(self, respaldo: bool = True) -> bool:
        """Save through ``guardado``: atomically, keeping the previous file as .bak, and only
        if the file is still the version that was read (else ``EscrituraError``).

        Returns False, touching nothing, when no change was made.
        """
        if not self.cambios or (self._wb is None and not self._pendientes and not self._nuevas):
            guardado.limpiar(self.path)  # what a killed save of this workbook left
            return False
        hecho = guardado.escribir(
            self.path, self._contenido(), respaldo=respaldo, leido=self._huella
        )
        self._huella = hecho.huella
        self._grids.clear()
        self._cal = None
        self._datos = None
        self._paquete = None
        self._tomados_vba = None
        self._pendientes.clear()
        self._vistas.clear()
        self._nuevas.clear()
        if self._wb is not None:
            self._names = list(self._wb.sheetnames)
        self._injerto = Cambios()  # the saved file is the original of what comes next
        self.cambios = 0
        return True

    def quitar_filas(self, hoja: str, filas: Iterable[int]) -> None:
        """Delete whole rows (1-based); the rows below move up with their styles."""
        ws = self._sheet(hoja)
        rows = sorted(set(filas), reverse=True)
        # Delete runs of consecutive rows at once, bottom first, so numbers stay valid.
        while rows:
            last = first = rows.pop(0)
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            ws.delete_rows(first, last - first + 1)
            self._injerto.imposible = "filas borradas"
            self.cambios += 1
        self._grids.pop(ws.title, None)

    def sellar(self, propiedades: Mapping[str, str]) -> None:
        """Set custom document properties (text), replacing those with the same names."""
        from openpyxl.packaging.custom import StringProperty

        props = self._book().custom_doc_props
        props.props = [p for p in props.props if p.name not in propiedades]
        for name, value in propiedades.items():
            props.append(StringProperty(name=name, value=valor_escribible(value)))
        self._injerto.propiedades = True
        self.cambios += 1

    def guardar_como(
        self, destino: Path, *, respaldo: bool, solo_nuevo: bool = False
    ) -> guardado.Guardado:
        """Write the workbook as it is now to another file, through ``guardado``."""
        return guardado.escribir(
            destino, self._contenido(), respaldo=respaldo, solo_nuevo=solo_nuevo
        )

    def _contenido(self) -> guardado.Contenido:
        """The workbook as it is now: the pending cell writes patched into the package when
        possible, else through openpyxl; the bytes as read when nothing changed."""
        if self._wb is None and self._nuevas:
            try:
                return self._injertar_nuevas()
            except NoParcheable:
                self._book()  # openpyxl, with the sheets and the pending writes replayed
        if self._wb is None and self._pendientes:
            paquete = self._paquete_abierto()
            try:
                if paquete is None:
                    raise NoParcheable("paquete")
                return paquete.parchear(self._pendientes)
            except NoParcheable:
                self._book()  # openpyxl, with the pending writes replayed
        if self._wb is not None:
            return self._injertado
        return self._bytes()

    def _injertar_nuevas(self) -> bytes:
        """The package with the sheets put as XML grafted in and the pending cell writes
        patched (``injerto.injertar_hojas``); in a macro workbook a new sheet gets its VBA
        document module. ``NoParcheable`` when the workbook needs openpyxl."""
        paquete = self._paquete_abierto()
        if paquete is None or paquete.estilos is None:
            raise NoParcheable("paquete")
        nombres = self.hojas()
        from .vba import documentos, edicion  # olefile: only when sheets are added

        if list(paquete.hojas) != list(self._calamine().sheet_names):
            raise NoParcheable("hojas")  # a chart sheet, or a part missing
        originales = {n: codigo_de_hoja(paquete.leer(p)) for n, p in paquete.hojas.items()}
        m = re.search(rb'<workbookPr\b[^>]*?\scodeName="([^"]*)"', paquete.leer(paquete.libro))
        libro_codigo = m.group(1).decode("utf-8") if m else None
        vba = self.parte(VBA_PART) if self.path.suffix.lower() == ".xlsm" else None
        try:
            tomados_vba = edicion.nombres_tomados(vba) if vba else set()
        except edicion.ProyectoIlegible:
            tomados_vba, vba = set(), None  # left as it is, as the openpyxl path does
        tomados = {c for c in originales.values() if c} | {libro_codigo or "ThisWorkbook"}
        tomados |= tomados_vba
        codigos: dict[str, str | None] = {n: originales.get(n) for n in nombres}
        for nombre in self._nuevas:
            anterior = next(
                (c for n, c in originales.items() if fold(n) == fold(nombre) and c), None
            )
            codigos[nombre] = anterior or code_name(nombre, tomados)
            tomados.add(codigos[nombre] or "")
        datos = injertar_hojas(
            self._bytes(),
            paquete,
            nombres,
            {n: h for n, (h, _) in self._nuevas.items()},
            codigos,
            self._pendientes,
        )
        if vba is None:
            return datos
        try:
            ajuste, nuevo = documentos.sincronizar(
                vba, libro_codigo, [documentos.Hoja(n, codigos[n]) for n in nombres]
            )
        except edicion.ProyectoIlegible:
            return datos
        if ajuste.libro != libro_codigo or list(ajuste.codigos) != [codigos[n] for n in nombres]:
            raise NoParcheable("codeName")  # a rename the openpyxl path makes
        return reemplazar_partes(datos, {VBA_PART: nuevo}) if nuevo != vba else datos

    def _injertado(self, destino: BinaryIO) -> None:
        """openpyxl's save, grafted into the original package (``injerto``): the user's
        parts stay as they were; openpyxl's package as it is when the graft cannot be made.
        In a macro workbook, the VBA project then gets the document modules of the sheets
        saved. Called by ``guardado`` while it writes the temporary file."""
        assert self._wb is not None
        vba = self._ajustar_vba()
        salida = io.BytesIO()
        self._wb.save(salida)
        try:
            paquete = injertar(self._bytes(), salida.getvalue(), self._injerto)
        except NoParcheable:
            # openpyxl's package as it is: refused when it drops what the user put in the
            # workbook, unless the caller accepts it (a copy cut down for e-mail).
            salida = io.BytesIO(con_complementos(self._bytes(), salida.getvalue()))
            self.perdidas = perdidas(self._bytes(), salida.getvalue())
            if self.perdidas and not self.permitir_perdidas:
                raise EscrituraError(
                    f"«{self.nombre}» tiene {enumerar(self.perdidas)} que esta operación no "
                    "puede conservar; para no perderlos el archivo no se modificó. Avise al "
                    "responsable del libro."
                ) from None
            paquete = salida.getvalue()
        destino.write(reemplazar_partes(paquete, {VBA_PART: vba}) if vba else paquete)

    def _ajustar_vba(self) -> bytes | None:
        """In a macro workbook, the ``vbaProject.bin`` whose document modules match the
        sheets being saved (``vba.documentos``): a module for each sheet added, none for a
        sheet removed, every other stream as it was. Colliding codeNames are renamed in the
        workbook. None when the project needs nothing, or cannot be read (kept as it is)."""
        assert self._wb is not None
        wb = self._wb
        vba = _proyecto_vba(wb)
        if vba is None:
            return None
        from .vba import documentos, edicion

        hojas = _code_names(wb)
        try:
            ajuste, nuevo = documentos.sincronizar(
                vba,
                wb.code_name,
                [documentos.Hoja(h.title, c, tipo == "grafica") for h, c, tipo in hojas],
            )
        except edicion.ProyectoIlegible:
            return None
        if ajuste.libro != wb.code_name:
            self._injerto.imposible = "codeName del libro"  # lives in workbook.xml
        wb.code_name = ajuste.libro
        for (hoja, codigo, tipo), nuevo_codigo in zip(hojas, ajuste.codigos, strict=True):
            if nuevo_codigo != codigo:
                if hoja.title not in self._injerto.propias:
                    self._injerto.imposible = "codeName de una hoja del usuario"
                _poner_code_name(hoja, tipo, nuevo_codigo)
        return nuevo if nuevo != vba else None


def _proyecto_vba(wb: Workbook) -> bytes | None:
    """The workbook's ``vbaProject.bin`` as openpyxl kept it (None in a plain workbook)."""
    archivo = wb.vba_archive
    if archivo is None or VBA_PART not in archivo.namelist():
        return None
    return archivo.read(VBA_PART)


def _code_names(wb: Workbook) -> list[tuple[Any, str | None, str]]:
    """(sheet, codeName, kind) of every sheet, worksheets and chart sheets, in order."""
    from openpyxl.worksheet.worksheet import Worksheet

    out: list[tuple[Any, str | None, str]] = []
    for sheet in (wb[nombre] for nombre in wb.sheetnames):
        if isinstance(sheet, Worksheet):
            out.append((sheet, sheet.sheet_properties.codeName, "hoja"))
        else:
            props = getattr(sheet, "sheetPr", None)
            out.append((sheet, props.codeName if props is not None else None, "grafica"))
    return out


def _poner_code_name(hoja: Any, tipo: str, codigo: str | None) -> None:
    if tipo == "hoja":
        hoja.sheet_properties.codeName = codigo
    else:
        hoja.sheetPr.codeName = codigo  # a chart sheet: it had one, or it is not renamed


def _poner(cell: Cell, value: Any) -> None:
    value = valor_escribible(value)  # no control character openpyxl would refuse
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text from a workbook is data, never a formula
        if value.startswith(COMO_FORMULA):
            cell.quotePrefix = True  # and stays text when someone edits it in Excel


def _filas_escritas(hoja: HojaGenerada) -> list[list[Any]]:
    """The values of a sheet put as XML, as reading it back gives them."""
    return [
        [v.texto if isinstance(v, Enlace) else valor_escribible(v) for v in fila]
        for fila in hoja.filas
    ]


def _con_rellenos(paquete: Paquete, hoja: str, area: str) -> bool:
    """Whether a cell of ``area`` in the sheet's XML has a style with a fill."""
    estilos = paquete.leer(paquete.estilos) if paquete.estilos else b""
    rects = rectangulos(area)
    return any(
        r1 <= fila <= r2 and c1 <= columna <= c2
        for fila, columna in celdas_con_estilo(
            paquete.leer(paquete.hojas[hoja]), rellenos_de_estilos(estilos)
        )
        for r1, c1, r2, c2 in rects
    )


def _con_marcas(
    rows: list[list[Any]], sin_valor: Mapping[tuple[int, int], tuple[str, str]]
) -> list[list[Any]]:
    """calamine's rows with the cells that hold no value marked as what they are."""
    for (r, c), (tipo, texto) in sin_valor.items():
        while len(rows) < r:
            rows.append([])
        line = rows[r - 1]
        if len(line) < c:
            line.extend([None] * (c - len(line)))
        if line[c - 1] in (None, ""):
            line[c - 1] = ErrorExcel(texto) if tipo == "error" else FormulaSinValor(texto)
    return rows


def _con_escrituras(grid: Grid, escrituras: Mapping[tuple[int, int], Any]) -> Grid:
    """A grid with pending cell writes applied (what openpyxl would read back)."""
    height = max(grid.height, max(r for r, _ in escrituras))
    rows = [list(row) for row in grid.rows] + [[] for _ in range(height - grid.height)]
    for (r, c), value in escrituras.items():
        line = rows[r - 1]
        if len(line) < c:
            line.extend([None] * (c - len(line)))
        line[c - 1] = value
    return Grid(grid.libro, grid.hoja, rows)


def _cells(ws: Worksheet, area: str, existing_only: bool = False) -> Iterator[Cell]:
    """Cells of a (multi-area) range; ``existing_only`` creates no new cells."""
    from openpyxl.cell.cell import Cell

    if existing_only:
        for part in area.split(","):
            low, high = _bounds(part.strip())
            for (r, c), cell in list(ws._cells.items()):
                if low[0] <= r <= high[0] and low[1] <= c <= high[1]:
                    yield cell
        return
    for part in area.split(","):
        bounds = ws[part.strip()]
        if isinstance(bounds, Cell):
            yield bounds
            continue
        for row in bounds if isinstance(bounds[0], tuple) else (bounds,):
            yield from row


def _bounds(part: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(part)
    return (min_row or 1, min_col or 1), (max_row or 1_048_576, max_col or 16_384)


def _dxf_color(rule: Any) -> str:
    fill = rule.dxf.fill if rule.dxf is not None else None
    rgb = fill.bgColor.rgb if fill is not None and fill.bgColor is not None else None
    return rgb[-6:].upper() if isinstance(rgb, str) else ""


def _add_chart(ws: Worksheet, grafica: Grafica) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.series import SeriesLabel

    chart: BarChart | LineChart = LineChart() if grafica.tipo == "lineas" else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "col"
    chart.title = valor_escribible(grafica.titulo)
    chart.y_axis.title = grafica.titulo_eje_y or None
    chart.width, chart.height = grafica.ancho_cm, grafica.alto_cm
    for serie in grafica.series:
        data = Reference(ws, range_string=f"{quote_sheet(ws.title)}!{serie.rango}")
        chart.add_data(data, from_rows=_is_row(serie.rango), titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=valor_escribible(serie.titulo))
    chart.set_categories(
        Reference(ws, range_string=f"{quote_sheet(ws.title)}!{grafica.categorias}")
    )
    ws.add_chart(chart, grafica.ancla)


def _is_row(area: str) -> bool:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(area)
    return min_row == max_row and min_col != max_col


def _apply_style(cell: Cell, estilo: Estilo) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    if estilo.negrita or estilo.color_fuente or estilo.tamano:
        cell.font = Font(
            bold=estilo.negrita,
            color=estilo.color_fuente,
            size=estilo.tamano or cell.font.size,
        )
    if estilo.relleno:
        cell.fill = PatternFill("solid", fgColor=estilo.relleno)
    if estilo.horizontal or estilo.vertical or estilo.ajustar:
        cell.alignment = Alignment(
            horizontal=estilo.horizontal, vertical=estilo.vertical, wrap_text=estilo.ajustar
        )
    if estilo.borde:
        thin = Side(style="thin", color="808080")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if estilo.formato:
        cell.number_format = estilo.formato


def crear_libro(
    path: Path, hojas: Sequence[HojaGenerada], *, reemplazar: bool = False
) -> guardado.Guardado:
    """Write a new .xlsx workbook holding the given sheets.

    An existing file is refused, unless ``reemplazar`` (then it is kept as .bak).
    """
    from openpyxl.workbook.workbook import Workbook

    path = Path(path)
    wb = Workbook()
    wb.active.title = hojas[0].nombre
    inicial = io.BytesIO()
    wb.save(inicial)
    libro = LibroArchivo(path, datos=inicial.getvalue())
    for hoja in hojas:
        libro.poner_hoja(hoja)
    return libro.guardar_como(path, respaldo=reemplazar, solo_nuevo=not reemplazar)
