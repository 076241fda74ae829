"""A generated sheet (``HojaGenerada``) written straight as worksheet XML, with its styles
added to the workbook's own ``styles.xml``: what the file adapter grafts into a workbook
instead of loading the whole workbook with openpyxl to add one sheet.

The result reads back as the openpyxl path wrote it: the same values (text as inline
strings, never formulas; text Excel would take for a formula with the quote prefix), the
same fonts, fills, borders, alignment and number formats applied in the same order
(``LibroArchivo._fill_sheet``), widths, heights, merges, frozen panes, print setup, page
breaks, internal links and the hidden state; charts as DrawingML parts, the bytes
openpyxl's chart objects write for them. Anything else raises ``NoParcheable`` and the
caller takes the openpyxl path.

Written by hand: no library writes one worksheet part for an existing package, and a
writer library would cost the whole workbook's round trip this module exists to avoid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .escrituras import valor_escribible
from .render import Enlace, Estilo, Grafica, HojaGenerada, rectangulos
from .sheet_patch import (
    COMO_FORMULA,
    NoParcheable,
    celda_texto,
    column_index_from_string,
    escapar_texto,
)
from .text import column_letter, quote_sheet, sin_controles

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FORMATOS_INTEGRADOS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
_FORMATOS_INTEGRADOS |= {"0%": 9, "0.00%": 10}
_LISTAS = ("numFmts", "fonts", "fills", "borders", "cellXfs")
_ITEM = {
    "fonts": re.compile(rb"<font\b[^>]*?(?:/>|>.*?</font>)", re.S),
    "fills": re.compile(rb"<fill\b[^>]*?(?:/>|>.*?</fill>)", re.S),
    "borders": re.compile(rb"<border\b[^>]*?(?:/>|>.*?</border>)", re.S),
    "cellXfs": re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S),
    "numFmts": re.compile(rb"<numFmt\b[^>]*/>"),
}
_SZ = re.compile(rb'<sz\s+val="([0-9.]+)"')
# What a text needs looked at before it goes into XML as it is: markup to escape, a
# carriage return, control characters to drop (text.CONTROLES).
_A_REVISAR = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_SIGNOS = "".join(COMO_FORMULA)  # a text starting with one of them gets the quote prefix
_LINK_FONT = (False, "hipervinculo", None)  # openpyxl's "Hyperlink" named style font


def _color(rgb: str) -> bytes:
    return b'rgb="00' + rgb.upper().encode("ascii") + b'"'


def _atributo(texto: str) -> bytes:
    return escapar_texto(texto).replace(b'"', b"&quot;")


# A cell's look as openpyxl leaves it after ``_apply_style`` ran for each of its styles in
# order: (font, fill, border, alignment, number format, quote prefix, link).
Aspecto = tuple[Any, str | None, bool, Any, str | None, bool]


class Estilos:
    """The workbook's styles.xml with the styles of our sheets appended (equal items
    reused), so a sheet's ``s`` indices point straight into it."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self.items: dict[str, list[bytes]] = {}
        for nombre in _LISTAS:
            m = re.search(rb"<" + nombre.encode() + rb"\b[^>]*?(/?)>", xml)
            if m is None and nombre != "numFmts":
                raise NoParcheable(nombre)
            if m is None or m.group(1):
                self.items[nombre] = []
                continue
            fin = xml.find(b"</" + nombre.encode() + b">", m.end())
            if fin < 0:
                raise NoParcheable(nombre)
            self.items[nombre] = _ITEM[nombre].findall(xml, m.end(), fin)
        if not self.items["fonts"] or not self.items["cellXfs"]:
            raise NoParcheable("estilos")
        sz = _SZ.search(self.items["fonts"][0])
        self.tamano = float(sz.group(1)) if sz else 11.0
        self.nuevos: dict[str, list[bytes]] = {n: [] for n in _LISTAS}
        self._xfs: dict[Aspecto, int] = {}

    def _indice(self, nombre: str, item: bytes) -> int:
        existentes = self.items[nombre]
        if item in existentes:
            return existentes.index(item)
        nuevos = self.nuevos[nombre]
        if item not in nuevos:
            nuevos.append(item)
        return len(existentes) + nuevos.index(item)

    def _formato(self, codigo: str | None) -> int:
        if codigo is None:
            return 0
        if codigo in _FORMATOS_INTEGRADOS:
            return _FORMATOS_INTEGRADOS[codigo]
        escrito = b'formatCode="' + _atributo(codigo) + b'"'
        for item in self.items["numFmts"] + self.nuevos["numFmts"]:
            if escrito in item:
                m = re.search(rb'numFmtId="([0-9]+)"', item)
                if m:
                    return int(m.group(1))
        usados = [163] + [
            int(m.group(1))
            for item in self.items["numFmts"] + self.nuevos["numFmts"]
            for m in [re.search(rb'numFmtId="([0-9]+)"', item)]
            if m
        ]
        nuevo = max(usados) + 1
        self.nuevos["numFmts"].append(b'<numFmt numFmtId="%d" ' % nuevo + escrito + b"/>")
        return nuevo

    def xf(self, aspecto: Aspecto) -> int:
        """The cellXfs index of a cell's look (appended when new)."""
        hecho = self._xfs.get(aspecto)
        if hecho is not None:
            return hecho
        fuente, relleno, borde, alineacion, formato, citado = aspecto
        attrs = [b'numFmtId="%d"' % self._formato(formato)]
        if fuente is None:
            attrs.append(b'fontId="0"')
        else:
            negrita, color, tamano = fuente
            xml = b"<font>"
            if color == "hipervinculo":
                xml += b'<name val="Calibri"/><family val="2"/><color theme="10"/>'
                xml += b'<sz val="12"/><scheme val="minor"/>'
            else:
                xml += (b"<b/>" if negrita else b"") + (
                    b"<color " + _color(color) + b"/>" if color else b""
                )
                xml += b'<sz val="' + _numero(tamano) + b'"/>'
            attrs.append(b'fontId="%d"' % self._indice("fonts", xml + b"</font>"))
        if relleno is None:
            attrs.append(b'fillId="0"')
        else:
            fill = b'<fill><patternFill patternType="solid"><fgColor ' + _color(relleno)
            fill += b'/><bgColor rgb="00000000"/></patternFill></fill>'
            attrs.append(b'fillId="%d"' % self._indice("fills", fill))
        if not borde:
            attrs.append(b'borderId="0"')
        else:
            lados = b"".join(
                b"<" + lado + b' style="thin"><color rgb="00808080"/></' + lado + b">"
                for lado in (b"left", b"right", b"top", b"bottom")
            )
            xml = b"<border>" + lados + b"<diagonal/></border>"
            attrs.append(b'borderId="%d"' % self._indice("borders", xml))
        attrs.append(b'xfId="0"')
        if citado:
            attrs.append(b'quotePrefix="1"')
        if formato is not None:
            attrs.append(b'applyNumberFormat="1"')
        if fuente is not None:
            attrs.append(b'applyFont="1"')
        if relleno is not None:
            attrs.append(b'applyFill="1"')
        if borde:
            attrs.append(b'applyBorder="1"')
        cuerpo = b""
        if alineacion is not None:
            horizontal, vertical, ajustar = alineacion
            partes = []
            if horizontal:
                partes.append(b'horizontal="' + horizontal.encode() + b'"')
            if vertical:
                partes.append(b'vertical="' + vertical.encode() + b'"')
            if ajustar:
                partes.append(b'wrapText="1"')
            attrs.append(b'applyAlignment="1"')
            cuerpo = b"<alignment " + b" ".join(partes) + b"/>"
        xf = b"<xf " + b" ".join(attrs) + (b">" + cuerpo + b"</xf>" if cuerpo else b"/>")
        indice = self._indice("cellXfs", xf)
        self._xfs[aspecto] = indice
        return indice

    def guardado(self) -> bytes:
        """styles.xml with what was appended (and the counts); as read when nothing was."""
        xml = self.xml
        for nombre in _LISTAS:
            nuevos = self.nuevos[nombre]
            if not nuevos:
                continue
            etiqueta = nombre.encode()
            total = str(len(self.items[nombre]) + len(nuevos)).encode()
            m = re.search(rb"<" + etiqueta + rb"\b([^>]*?)(/?)>", xml)
            if m is None:  # numFmts only: it goes first
                raiz = re.search(rb"<styleSheet\b[^>]*>", xml)
                if raiz is None:
                    raise NoParcheable("styleSheet")
                bloque = b'<numFmts count="' + total + b'">' + b"".join(nuevos) + b"</numFmts>"
                xml = xml[: raiz.end()] + bloque + xml[raiz.end() :]
                continue
            attrs = re.sub(rb'\scount="[^"]*"', b"", m.group(1)) + b' count="' + total + b'"'
            if m.group(2):
                xml = (
                    xml[: m.start()]
                    + b"<"
                    + etiqueta
                    + attrs
                    + b">"
                    + b"".join(nuevos)
                    + b"</"
                    + etiqueta
                    + b">"
                    + xml[m.end() :]
                )
                continue
            cierre = xml.find(b"</" + etiqueta + b">", m.end())
            xml = (
                xml[: m.start()]
                + b"<"
                + etiqueta
                + attrs
                + b">"
                + xml[m.end() : cierre]
                + b"".join(nuevos)
                + xml[cierre:]
            )
        return xml


def _numero(valor: float) -> bytes:
    return (str(int(valor)) if float(valor).is_integer() else repr(float(valor))).encode()


def _aplicar(aspecto: Aspecto, estilo: Estilo, tamano: float) -> Aspecto:
    """One ``_apply_style`` of the file adapter, on a look."""
    fuente, relleno, borde, alineacion, formato, citado = aspecto
    if estilo.negrita or estilo.color_fuente or estilo.tamano:
        actual = tamano if fuente is None else (12.0 if fuente[1] == "hipervinculo" else fuente[2])
        fuente = (estilo.negrita, estilo.color_fuente, estilo.tamano or actual)
    if estilo.relleno:
        relleno = estilo.relleno.upper()
    if estilo.horizontal or estilo.vertical or estilo.ajustar:
        alineacion = (estilo.horizontal, estilo.vertical, estilo.ajustar)
    if estilo.borde:
        borde = True
    if estilo.formato:
        formato = estilo.formato
    return (fuente, relleno, borde, alineacion, formato, citado)


@dataclass
class HojaXml:
    xml: bytes
    dibujo: bytes | None = None  # drawing part, its rels and the chart parts
    dibujo_rels: bytes | None = None
    graficas: tuple[bytes, ...] = ()
    titulos: str | None = None  # print titles, the value of _xlnm.Print_Titles
    # The cellXfs indices its cells use, in the order they first appear (no other element
    # carries a style index): the graft maps these without scanning the XML for them.
    indices: tuple[int, ...] = ()


def hoja_xml(
    hoja: HojaGenerada,
    estilos: Estilos,
    code_name: str | None,
    *,
    primera_grafica: int = 1,
    dibujo: int = 1,
) -> HojaXml:
    """The worksheet part of ``hoja`` (its styles added to ``estilos``); its charts, if
    any, numbered from ``primera_grafica`` in drawing number ``dibujo``."""
    _solo_lo_conocido(hoja)
    vinculos: list[tuple[str, Enlace]] = []
    for r, fila in enumerate(hoja.filas, start=1):
        for c, valor in enumerate(fila, start=1):
            tipo = type(valor)
            if valor is None or tipo is str or tipo is int or tipo is float:
                continue  # the common cells, checked once here
            if isinstance(valor, dt.date | dt.time | dt.timedelta):
                raise NoParcheable("fecha")  # openpyxl gives it a date format
            if isinstance(valor, Enlace):
                vinculos.append((column_letter(c) + str(r), valor))
            elif not isinstance(valor, bool | int | float | str):
                raise NoParcheable("valor")
    # Styles of each row: (first column, last column, style) in order; rows sharing the
    # same list share the per-column looks, computed once.
    # (by the style's id: a dataclass hashes all its fields, and rows are thousands)
    por_fila: dict[int, list[tuple[int, int, int]]] = {}
    de_id: dict[int, Estilo] = {}
    for area, estilo in hoja.estilos:
        de_id[id(estilo)] = estilo
        for r1, c1, r2, c2 in rectangulos(area):
            for r in range(r1, r2 + 1):
                por_fila.setdefault(r, []).append((c1, c2, id(estilo)))
    base: Aspecto = (None, None, False, None, None, False)
    patrones: dict[tuple[tuple[int, int, int], ...], dict[int, Aspecto]] = {}
    filas_xml: list[bytes] = []
    ultima_fila = max([len(hoja.filas), *por_fila, *hoja.altos, 0])
    min_c, max_c = 1 << 30, 0
    # Per column of a row pattern (the id of its looks, which ``patrones`` keeps alive):
    # the column's letters and the cell's look, computed once for thousands of rows.
    por_columna: dict[tuple[int, int], tuple[bytes, Aspecto | None]] = {}
    de_vinculo: dict[tuple[int, int], Aspecto] = {}
    atributo_s: dict[Aspecto | None, bytes] = {None: b"", base: b""}
    indices: dict[int, None] = {}  # in the order they first appear

    def atributo(aspecto: Aspecto | None) -> bytes:
        """The ``s`` attribute of a look (its style added to the workbook when new)."""
        hecho = atributo_s.get(aspecto)
        if hecho is None:
            assert aspecto is not None  # None and the plain look have no attribute
            indice = estilos.xf(aspecto)
            indices.setdefault(indice, None)
            hecho = atributo_s[aspecto] = b' s="%d"' % indice
        return hecho

    def aspecto_de_vinculo(patron: int, lista: tuple[tuple[int, int, int], ...], c: int) -> Aspecto:
        """The look of a link in column ``c`` of rows with the styles ``lista``: the same
        for every link of that column in rows of that pattern, computed once."""
        aspecto = de_vinculo.get((patron, c))
        if aspecto is None:
            aspecto = de_vinculo[(patron, c)] = _sobre_vinculo(
                [(c1, c2, de_id[e]) for c1, c2, e in lista], c, estilos.tamano
            )
        return aspecto

    # Rows of one shape (the row's looks and each cell's type) share a template: the
    # cells' XML with the row number and the values as format fields, built from the
    # first plain row of that shape (None: a shape with other types).
    plantillas: dict[tuple[int, tuple[type, ...]], tuple[str, int, int] | None] = {}

    def plantilla_de(
        patron: int,
        lista: tuple[tuple[int, int, int], ...],
        aspectos: dict[int, Aspecto],
        forma: tuple[type, ...],
    ) -> tuple[str, int, int] | None:
        partes, campo, primera, ultima = [], 0, 0, 0
        for c, tipo in enumerate(forma, start=1):
            aspecto = aspectos.get(c)
            if tipo is type(None):
                if c not in aspectos:
                    continue
                cola = "/>"  # a styled blank keeps its cell
            elif tipo is int or tipo is float:
                campo += 1
                cola = f"><v>{{{campo}}}</v></c>"
            elif tipo is str or tipo is Enlace:
                if tipo is Enlace:
                    aspecto = aspecto_de_vinculo(patron, lista, c)
                campo += 1
                cola = f' t="inlineStr"><is><t>{{{campo}}}</t></is></c>'
            else:
                return None
            partes.append('<c r="' + column_letter(c) + '{0}"' + atributo(aspecto).decode() + cola)
            primera, ultima = primera or c, c
        return "".join(partes), primera, ultima

    def fila_por_plantilla(
        r: int,
        patron: int,
        lista: tuple[tuple[int, int, int], ...],
        aspectos: dict[int, Aspecto],
        fila: Sequence[Any],
        alto: Any,
    ) -> tuple[bytes, int, int] | None:
        """A row of plain values (text needing no escaping, no dropped characters, no quote
        prefix and no preserved space; whole numbers, finite decimals, links, blanks)
        written through its shape's template: a few calls in C per row, not several per
        cell (the Historial of a consolidation has 35,000 rows of 15 cells). None for any
        other row: the cell by cell loop below writes it."""
        forma = tuple(map(type, fila))
        clave = (patron, forma)
        if clave in plantillas and plantillas[clave] is None:
            return None
        if int in forma or float in forma or Enlace in forma:
            valores, textos = [], []
            for valor, tipo in zip(fila, forma, strict=True):
                if tipo is str:
                    textos.append(valor)
                elif tipo is Enlace:
                    valor = valor.texto
                    textos.append(valor)
                elif tipo is float and valor - valor != 0:
                    return None
                elif valor is None:
                    continue
                valores.append(valor)
        else:
            valores = textos = [v for v in fila if v is not None]
        if _A_REVISAR.search("\n".join(textos)) is not None:
            return None
        for texto in textos:  # none empty, starting with a formula sign or white space…
            if not texto or texto[0] in _SIGNOS or texto[0].isspace() or texto[-1].isspace():
                return None  # …or ending with it
        hecha = plantillas.get(clave)
        if hecha is None:
            hecha = plantillas[clave] = plantilla_de(patron, lista, aspectos, forma)
            if hecha is None:
                return None
        plantilla, primera, ultima = hecha
        if not primera and alto is None:
            return None
        abrir = f'<row r="{r}"'
        if alto is not None:
            abrir += ' ht="' + _numero(alto).decode() + '" customHeight="1"'
        xml = abrir + ">" + plantilla.format(r, *valores) + "</row>"
        return xml.encode("utf-8"), primera, ultima

    for r in range(1, ultima_fila + 1):
        lista = tuple(por_fila.get(r, ()))
        aspectos = patrones.get(lista)
        if aspectos is None:
            aspectos = {}
            for c1, c2, e in lista:
                for c in range(c1, c2 + 1):
                    aspectos[c] = _aplicar(aspectos.get(c, base), de_id[e], estilos.tamano)
            patrones[lista] = aspectos
        fila = hoja.filas[r - 1] if r <= len(hoja.filas) else []
        n = len(fila)
        patron = id(aspectos)
        alto = hoja.altos.get(r)
        if n and (not aspectos or max(aspectos) <= n):
            rapida = fila_por_plantilla(r, patron, lista, aspectos, fila, alto)
            if rapida is not None:
                filas_xml.append(rapida[0])
                if rapida[1]:
                    min_c, max_c = min(min_c, rapida[1]), max(max_c, rapida[2])
                continue
        if aspectos:
            columnas: Sequence[int] = sorted(
                {c for c in range(1, n + 1) if fila[c - 1] is not None} | set(aspectos)
            )
        else:  # no styles in this row: its cells in order, without a set
            columnas = [c for c, v in enumerate(fila, start=1) if v is not None]
        if columnas:
            min_c, max_c = min(min_c, columnas[0]), max(max_c, columnas[-1])
        numero = str(r).encode()
        celdas = []
        for c in columnas:
            valor = fila[c - 1] if c <= n else None
            hecho = por_columna.get((patron, c))
            if hecho is None:
                hecho = por_columna[(patron, c)] = (column_letter(c).encode(), aspectos.get(c))
            letra, aspecto = hecho
            # The common cells first: plain text, a whole number, a blank.
            if type(valor) is str:
                valor = sin_controles(valor)
                if not valor:
                    celdas.append(b'<c r="' + letra + numero + b'"' + atributo(aspecto) + b"/>")
                    continue
                if valor.startswith(COMO_FORMULA):
                    a = aspecto or base
                    aspecto = (a[0], a[1], a[2], a[3], a[4], True)
                celdas.append(celda_texto(letra + numero, atributo(aspecto), valor))
                continue
            if type(valor) is int:
                celdas.append(
                    b'<c r="'
                    + letra
                    + numero
                    + b'"'
                    + atributo(aspecto)
                    + b"><v>"
                    + str(valor).encode()
                    + b"</v></c>"
                )
                continue
            if valor is not None:
                if isinstance(valor, Enlace):
                    # the same for every link in a column of rows with the same styles
                    aspecto = aspecto_de_vinculo(patron, lista, c)
                    valor = valor.texto
                valor = valor_escribible(valor)
            if isinstance(valor, str) and valor.startswith(COMO_FORMULA):
                a = aspecto or base
                aspecto = (a[0], a[1], a[2], a[3], a[4], True)
            ref = letra + numero
            s = atributo(aspecto)
            if valor is None or valor == "":
                celdas.append(b'<c r="' + ref + b'"' + s + b"/>")
            elif isinstance(valor, str):
                celdas.append(celda_texto(ref, s, valor))
            elif isinstance(valor, bool):
                celdas.append(b'<c r="' + ref + b'"' + s + b' t="b"><v>%d</v></c>' % valor)
            elif isinstance(valor, int | float):
                celdas.append(
                    b'<c r="' + ref + b'"' + s + b"><v>" + repr(valor).encode() + b"</v></c>"
                )
            else:
                celdas.append(celda_texto(ref, s, valor))
        attrs = b' r="' + numero + b'"'
        if alto is not None:
            attrs += b' ht="' + _numero(alto) + b'" customHeight="1"'
        if celdas or alto is not None:
            filas_xml.append(b"<row" + attrs + b">" + b"".join(celdas) + b"</row>")
    partes = [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="' + NS_MAIN.encode() + b'" xmlns:r="' + NS_R.encode() + b'">'
    ]
    pr = b""
    if code_name:
        pr += b' codeName="' + _atributo(code_name) + b'"'
    ajustar = hoja.impresion is not None and hoja.impresion.ajustar_ancho
    partes.append(
        b"<sheetPr"
        + pr
        + b'><outlinePr summaryBelow="1" summaryRight="1"/>'
        + (b'<pageSetUpPr fitToPage="1"/>' if ajustar else b"<pageSetUpPr/>")
        + b"</sheetPr>"
    )
    dimension = (f"A1:{column_letter(max_c)}{ultima_fila}" if max_c else "A1").encode()
    partes.append(b'<dimension ref="' + dimension + b'"/>')
    partes.append(_vista(hoja.congelar))
    partes.append(b'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if hoja.anchos:
        cols = sorted(
            (column_index_from_string(letra), ancho) for letra, ancho in hoja.anchos.items()
        )
        partes.append(
            b"<cols>"
            + b"".join(
                b'<col min="%d" max="%d" width="' % (c, c) + _numero(a) + b'" customWidth="1"/>'
                for c, a in cols
            )
            + b"</cols>"
        )
    partes.append(b"<sheetData>" + b"".join(filas_xml) + b"</sheetData>")
    if getattr(hoja, "protegida", False):
        from .render import CLAVE_PROTECCION  # type: ignore[attr-defined,unused-ignore]

        clave = _hash_clave(CLAVE_PROTECCION).encode()
        partes.append(
            b'<sheetProtection sheet="1" objects="1" scenarios="1" password="' + clave + b'"/>'
        )
    if hoja.combinadas:
        partes.append(
            b'<mergeCells count="%d">' % len(hoja.combinadas)
            + b"".join(b'<mergeCell ref="' + a.encode() + b'"/>' for a in hoja.combinadas)
            + b"</mergeCells>"
        )
    if vinculos:
        partes.append(
            b"<hyperlinks>"
            + b"".join(
                b'<hyperlink ref="'
                + ref.encode()
                + b'" location="'
                + _atributo(f"{quote_sheet(e.hoja)}!{e.celda}")
                + b'"/>'
                for ref, e in vinculos
            )
            + b"</hyperlinks>"
        )
    partes.append(
        b'<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    )
    titulos = None
    if hoja.impresion is not None:
        p = hoja.impresion
        attrs = b' orientation="' + (b"landscape" if p.horizontal else b"portrait") + b'"'
        if p.papel_carta:
            attrs += b' paperSize="1"'
        if p.ajustar_ancho:
            attrs += b' fitToHeight="0" fitToWidth="1"'
        partes.append(b"<pageSetup" + attrs + b"/>")
        saltos = getattr(p, "saltos", ())
        if saltos:
            partes.append(
                b'<rowBreaks count="%d" manualBreakCount="%d">' % (len(saltos), len(saltos))
                + b"".join(b'<brk id="%d" max="16383" man="1"/>' % (f - 1) for f in saltos)
                + b"</rowBreaks>"
            )
        if p.filas_repetidas:
            primera, _, ultima = p.filas_repetidas.partition(":")
            titulos = f"{quote_sheet(hoja.nombre)}!${primera}:${ultima or primera}"
    resultado = HojaXml(b"", titulos=titulos, indices=tuple(indices))
    if hoja.graficas:
        resultado.dibujo, resultado.dibujo_rels, resultado.graficas = _dibujo(
            hoja, primera_grafica, dibujo
        )
        partes.append(b'<drawing r:id="rId1"/>')
    partes.append(b"</worksheet>")
    resultado.xml = b"".join(partes)
    return resultado


# What this module writes; a sheet asking for anything else (a field added to HojaGenerada
# or Impresion later) goes through openpyxl until it is written here too.
_CONOCIDOS = {
    "nombre",
    "filas",
    "anchos",
    "estilos",
    "combinadas",
    "altos",
    "autoajuste",
    "altos_fijos",
    "congelar",
    "impresion",
    "oculta",
    "graficas",
    "protegida",
    "horizontal",
    "ajustar_ancho",
    "filas_repetidas",
    "papel_carta",
    "saltos",
}


def _solo_lo_conocido(hoja: HojaGenerada) -> None:
    for objeto in (hoja, hoja.impresion):
        if objeto is None:
            continue
        for campo in dataclasses.fields(objeto):
            if campo.name in _CONOCIDOS:
                continue
            if campo.default is not dataclasses.MISSING:
                defecto = campo.default
            elif campo.default_factory is not dataclasses.MISSING:
                defecto = campo.default_factory()
            else:
                defecto = object()
            if getattr(objeto, campo.name) != defecto:
                raise NoParcheable(campo.name)


def _sobre_vinculo(lista: Sequence[tuple[int, int, Estilo]], c: int, tamano: float) -> Aspecto:
    """A link cell in column ``c`` of a row with the styles ``lista`` (in the sheet's
    order): openpyxl's "Hyperlink" style first (its font), then those styles of the cell."""
    a: Aspecto = (_LINK_FONT, None, False, None, None, False)
    for c1, c2, estilo in lista:
        if c1 <= c <= c2:
            a = _aplicar(a, estilo, tamano)
    return a


def _hash_clave(clave: str) -> str:
    """The legacy sheet-protection hash of ECMA-376 (what openpyxl's hash_password gives;
    here so a protected sheet does not cost the openpyxl import)."""
    valor = 0
    for i, letra in enumerate(clave, 1):
        bits = ord(letra) << i
        valor ^= (bits & 0x7FFF) | (bits >> 15)
    valor ^= len(clave) ^ 0xCE4B
    return f"{valor:X}"


def _vista(congelar: str | None) -> bytes:
    if not congelar or congelar == "A1":
        return (
            b'<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1"/>'
            b"</sheetView></sheetViews>"
        )
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", congelar)
    if m is None:
        raise NoParcheable("congelar")
    columna, fila = column_index_from_string(m.group(1)), int(m.group(2))
    attrs = b""
    if columna > 1:
        attrs += b' xSplit="%d"' % (columna - 1)
    if fila > 1:
        attrs += b' ySplit="%d"' % (fila - 1)
    panel = b"topRight"
    if fila > 1:
        panel = b"bottomRight" if columna > 1 else b"bottomLeft"
    seleccion = b""
    if fila > 1 and columna > 1:
        seleccion = b'<selection pane="topRight"/><selection pane="bottomLeft"/>'
    celda = congelar.encode()
    return (
        b'<sheetViews><sheetView workbookViewId="0"><pane'
        + attrs
        + b' topLeftCell="'
        + celda
        + b'" activePane="'
        + panel
        + b'" state="frozen"/>'
        + seleccion
        + b'<selection pane="'
        + panel
        + b'" activeCell="'
        + celda
        + b'" sqref="'
        + celda
        + b'"/></sheetView></sheetViews>'
    )


_NS_DIBUJO = (
    b'<wsDr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    b'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
)
_TIPO_GRAFICA = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_LINEA = b'<spPr><a:ln><a:prstDash val="solid" /></a:ln></spPr>'
_EJE_X = (
    b'<catAx><axId val="10" /><scaling><orientation val="minMax" /></scaling>'
    b'<axPos val="l" /><majorTickMark val="none" /><minorTickMark val="none" />'
    b'<crossAx val="100" /><lblOffset val="100" /></catAx>'
)


def _dibujo(
    hoja: HojaGenerada, primera: int, numero: int
) -> tuple[bytes, bytes, tuple[bytes, ...]]:
    """The drawing holding the sheet's charts, its relationships and the chart parts
    (DrawingML), written as openpyxl's chart objects write the same charts (the openpyxl
    path's ``_add_chart``), byte for byte: that import would cost a small plan's button
    press more than all the rest of it."""
    del numero  # the drawing's part name is the caller's; its XML does not carry it
    anclas, rels, graficas = [], [], []
    for i, grafica in enumerate(hoja.graficas, start=1):
        m = re.fullmatch(r"\$?([A-Z]{1,3})\$?([0-9]+)", grafica.ancla.upper())
        if m is None:
            raise NoParcheable("ancla")
        anclas.append(
            b"<oneCellAnchor><from><col>%d</col><colOff>0</colOff><row>%d</row>"
            % (column_index_from_string(m.group(1)) - 1, int(m.group(2)) - 1)
            + b'<rowOff>0</rowOff></from><ext cx="%d" cy="%d" />'
            % (int(grafica.ancho_cm * 360000), int(grafica.alto_cm * 360000))
            + b'<graphicFrame><nvGraphicFramePr><cNvPr id="%d" name="Chart %d" />' % (i, i)
            + b"<cNvGraphicFramePr /></nvGraphicFramePr><xfrm /><a:graphic>"
            + b'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            + b'<c:chart r:id="rId%d" /></a:graphicData></a:graphic></graphicFrame>' % i
            + b"<clientData /></oneCellAnchor>"
        )
        rels.append(
            b'<Relationship Type="'
            + _TIPO_GRAFICA
            + b'" Target="/xl/charts/chart%d.xml" Id="rId%d" />' % (primera + i - 1, i)
        )
        graficas.append(_grafica(grafica, hoja.nombre))
    xml = _NS_DIBUJO + b"".join(anclas) + b"</wsDr>"
    rels_xml = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + b"".join(rels)
        + b"</Relationships>"
    )
    return xml, rels_xml, tuple(graficas)


def _grafica(grafica: Grafica, hoja: str) -> bytes:
    """One chart part: a clustered column or a line chart, its series each one row or one
    column of ``hoja``, categories, titles, the axes and a legend on the right."""
    lineas = grafica.tipo == "lineas"
    categorias = _referencia(hoja, grafica.categorias)
    series = []
    for i, serie in enumerate(grafica.series):
        (r1, c1, r2, c2), *otros = rectangulos(serie.rango)
        if otros or (r1 != r2 and c1 != c2):
            raise NoParcheable("serie")  # openpyxl makes one series per row or column
        series.append(
            b'<ser><idx val="%d" /><order val="%d" /><tx>' % (i, i)
            + _elemento(b"v", valor_escribible(serie.titulo))
            + b"</tx>"
            + _LINEA
            + (b'<marker><symbol val="none" />' + _LINEA + b"</marker>" if lineas else b"")
            + b"<cat><numRef><f>"
            + categorias
            + b"</f></numRef></cat><val><numRef><f>"
            + _referencia(hoja, serie.rango)
            + b"</f></numRef></val></ser>"
        )
    if lineas:
        tipo = b'<lineChart><grouping val="standard" />' + b"".join(series)
        tipo += b'<axId val="10" /><axId val="100" /></lineChart>'
    else:
        tipo = b'<barChart><barDir val="col" /><grouping val="clustered" />'
        tipo += b"".join(series)
        tipo += b'<gapWidth val="150" /><axId val="10" /><axId val="100" /></barChart>'
    eje_y = (
        b'<valAx><axId val="100" /><scaling><orientation val="minMax" /></scaling>'
        b'<axPos val="l" /><majorGridlines />'
        + (_titulo(grafica.titulo_eje_y) if grafica.titulo_eje_y else b"")
        + b'<majorTickMark val="none" /><minorTickMark val="none" /><crossAx val="10" />'
        b"</valAx>"
    )
    return (
        b'<chartSpace xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        b'xmlns="http://schemas.openxmlformats.org/drawingml/2006/chart"><chart>'
        + _titulo(valor_escribible(grafica.titulo))
        + b"<plotArea>"
        + tipo
        + _EJE_X
        + eje_y
        + b'</plotArea><legend><legendPos val="r" /></legend><plotVisOnly val="1" />'
        b'<dispBlanksAs val="gap" /></chart></chartSpace>'
    )


def _titulo(texto: str) -> bytes:
    """A chart or axis title: one paragraph per line."""
    parrafos = b"".join(
        b"<a:p><a:pPr><a:defRPr /></a:pPr><a:r>" + _elemento(b"a:t", linea) + b"</a:r></a:p>"
        for linea in texto.split("\n")
    )
    return b"<title><tx><rich><a:bodyPr />" + parrafos + b"</rich></tx></title>"


def _elemento(etiqueta: bytes, texto: str) -> bytes:
    """An element holding ``texto`` as ElementTree writes it: empty as ``<v />``."""
    if not texto:
        return b"<" + etiqueta + b" />"
    return b"<" + etiqueta + b">" + _texto_elemento(texto) + b"</" + etiqueta + b">"


def _texto_elemento(texto: str) -> bytes:
    """Element text escaped as ElementTree does (``\r`` kept as it is)."""
    return texto.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _referencia(hoja: str, area: str) -> bytes:
    """``'Hoja'!$C$4:$N$4`` (one cell: ``'Hoja'!$C$4``): the sheet always quoted."""
    (r1, c1, r2, c2), *_ = rectangulos(area)
    nombre = "'" + hoja.replace("'", "''") + "'!"
    inicio = f"${column_letter(c1)}${r1}"
    fin = "" if (r1, c1) == (r2, c2) else f":${column_letter(c2)}${r2}"
    return _texto_elemento(nombre + inicio + fin)


def _es_fila(area: str) -> bool:
    (r1, c1, r2, c2), *_ = rectangulos(area)
    return r1 == r2 and c1 != c2


def orden_final(nombres: Sequence[str], nuevas: Sequence[tuple[str, str | None]]) -> list[str]:
    """The workbook's sheet order after putting ``nuevas`` (name, after which sheet):
    a replaced sheet keeps its place, a new one goes after its anchor or at the end."""
    orden = list(nombres)
    for nombre, despues in nuevas:
        if nombre in orden:
            continue
        if despues is not None and despues in orden:
            orden.insert(orden.index(despues) + 1, nombre)
        else:
            orden.append(nombre)
    return orden
