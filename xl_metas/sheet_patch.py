"""Saving plain cell values by patching worksheet XML, leaving the rest of the package as is.

Used by ``LibroArchivo.guardar`` when the only changes are cell values (text, numbers,
booleans, blanks): only the ``<sheetData>`` rows holding those cells are rewritten (and
the ``<dimension>``), every other zip entry — ``vbaProject.bin``, VML buttons, drawings,
custom document properties, shared strings — is copied byte for byte. Text is written as
an inline string (``t="inlineStr"``), so it is never read as a formula and the shared
strings table is untouched; text starting with "=", "+", "-" or "@" gets a copy of its
cell style with ``quotePrefix`` (as the openpyxl path does), so it stays text when edited
in Excel.

Anything unexpected raises ``NoParcheable`` and the caller saves through openpyxl instead.
The same regular, well-known XML is also where ``celdas_sin_valor`` finds the cells
calamine cannot give a value for (Excel errors, formulas never calculated).
Long on purpose: no library edits worksheet XML in place, and every case it does not
handle must be recognised (and refused) here.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath
from typing import Any
from xml.etree import ElementTree

from .escrituras import valor_escribible
from .text import column_letter as get_column_letter
from .text import sin_controles


def _deflate() -> tuple[Any, int]:
    """The compressor module and level for the parts a save writes. zlib-ng writes the
    same deflate streams as zlib; at level 4 it compresses a 5,000-meta workbook's new
    parts three times faster than zlib at its default level (6, what zipfile and openpyxl
    use), into parts about 6 % larger (bench/). Imported when a part is compressed:
    Pyodide (xlwings Lite) has no wheel for it, and Lite never writes a package."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:
        return zlib, 6
    return zlib_ng, 4


def escape_xml(texto: str, entidades: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape``, here because that module imports ``urllib.request``
    (a cost every command would pay for three replacements)."""
    texto = texto.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for clave, valor in (entidades or {}).items():
        texto = texto.replace(clave, valor)
    return texto


def unescape_xml(texto: str, entidades: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.unescape``: the reverse, ``&amp;`` last."""
    texto = texto.replace("&lt;", "<").replace("&gt;", ">")
    for clave, valor in (entidades or {}).items():
        texto = texto.replace(clave, valor)
    return texto.replace("&amp;", "&")


_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TIPO_HOJA = _NS_REL + "/worksheet"
_TIPO_ESTILOS = _NS_REL + "/styles"

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData\s*>")
_FILA = re.compile(rb"<row\b([^>]*?)(/?)>")
_CELDA = re.compile(rb"<c\b([^>]*?)(/?)>")
_R = re.compile(rb'\sr="([A-Z]{1,3})([0-9]+)"')
_R_FILA = re.compile(rb'\sr="([0-9]+)"')
_S = re.compile(rb'\ss="([0-9]+)"')
_ESPECIAL = re.compile(rb'<f\b|\st="e"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([^"]*)"\s*/>')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_CALC_PR = re.compile(rb"<calcPr\b([^>]*?)(/?)>")
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def column_index_from_string(letras: str) -> int:
    """A -> 1, AA -> 27 (here, not openpyxl's: importing openpyxl costs a button press
    a fifth of a second)."""
    if not 1 <= len(letras) <= 3 or not letras.isascii() or not letras.isupper():
        raise ValueError(letras)
    n = 0
    for letra in letras:
        n = n * 26 + ord(letra) - 64
    return n


# Cells calamine reads as blank though they are not: an error value, or a formula.
_MARCAS_SIN_VALOR = (b't="e"', b"<f")
_VALOR = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
_T = re.compile(rb'\st="([a-zA-Z]+)"')


def celdas_sin_valor(xml: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """Cells of a worksheet that hold no value calamine can give: ``("error", "#DIV/0!")``
    for an Excel error, ``("formula", "=SUM(A1:A3)")`` for a formula saved without its
    result (by a program that does not calculate). By (row, column), 1-based."""
    encontradas: dict[tuple[int, int], tuple[str, str]] = {}
    try:
        _, inicio, fin, _ = _sheet_data(xml)
    except NoParcheable:
        return encontradas
    vistas: set[int] = set()
    for posicion in _marcas(xml, inicio, fin):
        celda = xml.rfind(b"<c ", inicio, posicion + 1)
        if celda < 0 or celda in vistas:
            continue
        vistas.add(celda)
        etiqueta = _CELDA.match(xml, celda)
        r = _R.search(etiqueta.group(1)) if etiqueta else None
        if etiqueta is None or r is None or etiqueta.group(2):
            continue  # a cell without its reference or without content
        cierre = xml.find(b"</c>", etiqueta.end(), fin)
        if cierre < 0:
            continue
        contenido = xml[etiqueta.end() : cierre]
        tipo = _T.search(etiqueta.group(1))
        valor = _VALOR.search(contenido)
        lugar = (int(r.group(2)), _columna(r.group(1)))
        if tipo is not None and tipo.group(1) == b"e":
            texto = _texto_xml(valor.group(1)) if valor else "#N/A"
            encontradas[lugar] = ("error", texto or "#N/A")
        elif b"<f" in contenido and (valor is None or not valor.group(1).strip()):
            if tipo is not None and tipo.group(1) in (b"str", b"inlineStr"):
                continue  # a formula whose result is the empty text
            formula = _FORMULA.search(contenido)
            texto = _texto_xml(formula.group(1)) if formula else ""
            encontradas[lugar] = ("formula", "=" + texto.lstrip("="))
    return encontradas


def rellenos_de_estilos(estilos: bytes) -> set[int]:
    """The cellXfs indices (styles.xml) whose fill is not empty."""
    m = re.search(rb"<fills\b[^>]*>(.*?)</fills>", estilos, re.S)
    x = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", estilos, re.S)
    if m is None or x is None:
        return set()
    fills = re.findall(rb"<fill\b[^>]*?(?:/>|>.*?</fill>)", m.group(1), re.S)
    llenos = {
        i
        for i, f in enumerate(fills)
        if b"<gradientFill" in f or re.search(rb'patternType="(?!none")', f)
    }
    out = set()
    for i, xf in enumerate(_XF.findall(x.group(1))):
        fill = re.search(rb'\sfillId="([0-9]+)"', xf)
        if fill is not None and int(fill.group(1)) in llenos:
            out.add(i)
    return out


def celdas_con_estilo(xml: bytes, estilos: set[int]) -> list[tuple[int, int]]:
    """(row, column) of the cells of a worksheet whose style is one of ``estilos``."""
    if not estilos:
        return []
    indices = b"|".join(str(i).encode() for i in sorted(estilos))
    patron = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?\ss="(?:' + indices + rb')"')
    return [(int(m.group(2)), _columna(m.group(1))) for m in patron.finditer(xml)]


def _marcas(xml: bytes, inicio: int, fin: int) -> list[int]:
    """Where an error type (t="e") or a formula (<f…>) appears: bytes.find, not a regular
    expression, because a sheet of thousands of rows usually has none."""
    posiciones = []
    for marca in _MARCAS_SIN_VALOR:
        i = xml.find(marca, inicio, fin)
        while i >= 0:
            antes, despues = xml[i - 1 : i], xml[i + len(marca) : i + len(marca) + 1]
            if (marca == b"<f" and despues in (b" ", b">", b"/")) or (
                marca != b"<f" and antes.isspace()
            ):
                posiciones.append(i)
            i = xml.find(marca, i + 1, fin)
    return sorted(posiciones)


def _texto_xml(datos: bytes) -> str:
    texto = datos.decode("utf-8", "replace")
    for entidad, caracter in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        texto = texto.replace(entidad, caracter)
    return texto.replace("&amp;", "&")


# Text Excel would take for a formula when someone edits the cell (F2, Enter): written
# with the quote prefix, as text typed after an apostrophe is.
COMO_FORMULA = ("=", "+", "-", "@")


class NoParcheable(Exception):
    """The package or a sheet is not one this module patches; save with openpyxl."""


def escribible(value: Any) -> bool:
    """Values the patcher writes exactly as openpyxl would (both write text without the
    control characters XML cannot hold, and a number that is not finite as its text)."""
    return value is None or isinstance(value, bool | int | float | str)


def _columna(letras: bytes, _cache: dict[bytes, int] = {}) -> int:  # noqa: B006 - a cache
    n = _cache.get(letras)
    if n is None:
        n = _cache[letras] = column_index_from_string(letras.decode("ascii"))
    return n


def _letras(columna: int, _cache: dict[int, bytes] = {}) -> bytes:  # noqa: B006 - a cache
    s = _cache.get(columna)
    if s is None:
        s = _cache[columna] = get_column_letter(columna).encode("ascii")
    return s


def _sheet_data(xml: bytes) -> tuple[int, int, int, int]:
    """Start of the sheetData tag, start and end of its content, and where it ends."""
    if not re.search(rb"<worksheet[\s>]", xml):
        raise NoParcheable("prefijo")  # a namespace prefix: leave it to openpyxl
    m = _SHEET_DATA.search(xml)
    if m is None:
        raise NoParcheable("sheetData")
    if m.group().endswith(b"/>"):
        return m.start(), m.end(), m.end(), m.end()
    end = xml.find(b"</sheetData>", m.end())
    if end < 0:
        raise NoParcheable("sheetData")
    return m.start(), m.end(), end, end + len(b"</sheetData>")


def escapar_texto(texto: str) -> bytes:
    """A cell's text as the content of an XML element, UTF-8."""
    if "&" not in texto and "<" not in texto and ">" not in texto and "\r" not in texto:
        return texto.encode("utf-8")  # most texts: nothing to escape
    return (
        texto.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
        .encode("utf-8")
    )


def celda_texto(ref: bytes, s: bytes, texto: str) -> bytes:
    """An inline-string cell: ``s`` is its style attribute (b' s="3"') or b"". The text
    says ``xml:space="preserve"`` only when it starts or ends with white space (as Excel
    and openpyxl write it): the attribute on every cell makes big sheets a fifth larger."""
    abrir = _T_PRESERVAR if texto[:1].isspace() or texto[-1:].isspace() else b"<t>"
    return (
        b'<c r="'
        + ref
        + b'"'
        + s
        + b' t="inlineStr"><is>'
        + abrir
        + escapar_texto(texto)
        + b"</t></is></c>"
    )


_T_PRESERVAR = b'<t xml:space="preserve">'


def _celda(
    ref: bytes, estilo: bytes | None, value: Any, citar: Callable[[bytes | None], bytes]
) -> bytes:
    if type(value) is str:  # the common case first: what valor_escribible does to text
        value = sin_controles(value)
        if value.startswith(COMO_FORMULA):
            estilo = citar(estilo)
        s = b' s="' + estilo + b'"' if estilo is not None else b""
        if value == "":
            return b'<c r="' + ref + b'"' + s + b"/>"  # the cell stays, without a value
        return celda_texto(ref, s, value)
    value = valor_escribible(value)
    if isinstance(value, str) and value.startswith(COMO_FORMULA):
        estilo = citar(estilo)
    s = b' s="' + estilo + b'"' if estilo is not None else b""
    if value is None or value == "":
        return b'<c r="' + ref + b'"' + s + b"/>"  # the cell stays, without a value
    if isinstance(value, bool):
        return b'<c r="' + ref + b'"' + s + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, int | float):
        return b'<c r="' + ref + b'"' + s + b"><v>" + repr(value).encode("ascii") + b"</v></c>"
    return celda_texto(ref, s, value)


def _fila(
    numero: int,
    attrs: bytes,
    contenido: bytes,
    escrituras: Mapping[int, Any],
    citar: Callable[[bytes | None], bytes],
) -> bytes:
    """One ``<row>`` with the written cells replaced or inserted in column order."""
    rapida = _fila_directa(numero, attrs, contenido, escrituras, citar)
    if rapida is not None:
        return rapida
    partes: list[bytes] = []
    pendientes = sorted(escrituras)
    i = 0
    pos = 0
    numero_b = str(numero).encode("ascii")
    for m in _CELDA.finditer(contenido):
        r = _R.search(m.group(1))
        if r is None or r.group(2) != numero_b:
            raise NoParcheable("celda sin referencia")
        columna = _columna(r.group(1))
        if m.group(2):
            fin = m.end()
        else:
            cierre = contenido.find(b"</c>", m.end())
            if cierre < 0:
                raise NoParcheable("celda")
            fin = cierre + 4
        while i < len(pendientes) and pendientes[i] < columna:
            partes.append(contenido[pos : m.start()])
            pos = m.start()
            c = pendientes[i]
            partes.append(_celda(_letras(c) + numero_b, None, escrituras[c], citar))
            i += 1
        if i < len(pendientes) and pendientes[i] == columna:
            atributos = m.group(1)
            if b" cm=" in atributos or b" vm=" in atributos:
                raise NoParcheable("metadatos de celda")
            if _ESPECIAL.search(contenido, m.start(), fin):
                raise NoParcheable("fórmula")
            s = _S.search(atributos)
            partes.append(contenido[pos : m.start()])
            partes.append(
                _celda(r.group(1) + numero_b, s.group(1) if s else None, escrituras[columna], citar)
            )
            pos = fin
            i += 1
    partes.append(contenido[pos:])
    for c in pendientes[i:]:
        partes.append(_celda(_letras(c) + numero_b, None, escrituras[c], citar))
    return b"<row" + _SPANS.sub(b"", attrs) + b">" + b"".join(partes) + b"</row>"


def _fila_directa(
    numero: int,
    attrs: bytes,
    contenido: bytes,
    escrituras: Mapping[int, Any],
    citar: Callable[[bytes | None], bytes],
) -> bytes | None:
    """The common case, without scanning every cell: each written cell already exists
    (``<c r="…"`` first, as Excel, LibreOffice and openpyxl write it) and holds no formula.
    None when that is not so."""
    numero_b = str(numero).encode("ascii")
    lugares = []
    for columna, value in escrituras.items():
        ref = _letras(columna) + numero_b
        inicio = contenido.find(b'<c r="' + ref + b'"')
        if inicio < 0:
            return None
        cierre = contenido.find(b">", inicio)
        if cierre < 0:
            return None
        atributos = contenido[inicio + 2 : cierre]
        if atributos.endswith(b"/"):
            fin = cierre + 1
            atributos = atributos[:-1]
        else:
            fin = contenido.find(b"</c>", cierre)
            if fin < 0:
                return None
            fin += 4
            if _ESPECIAL.search(contenido, inicio, fin):
                raise NoParcheable("fórmula")
        if b" cm=" in atributos or b" vm=" in atributos:
            raise NoParcheable("metadatos de celda")
        s = _S.search(atributos)
        lugares.append((inicio, fin, _celda(ref, s.group(1) if s else None, value, citar)))
    lugares.sort()
    partes = []
    pos = 0
    for inicio, fin, celda in lugares:
        partes.append(contenido[pos:inicio])
        partes.append(celda)
        pos = fin
    partes.append(contenido[pos:])
    return b"<row" + _SPANS.sub(b"", attrs) + b">" + b"".join(partes) + b"</row>"


def parchear_hoja(
    xml: bytes,
    escrituras: Mapping[tuple[int, int], Any],
    citar: Callable[[bytes | None], bytes],
) -> bytes:
    """The worksheet XML with the given cells written (None or "" clears a cell's value)."""
    inicio_tag, inicio, fin, despues = _sheet_data(xml)
    por_fila: dict[int, dict[int, Any]] = {}
    for (r, c), value in escrituras.items():
        por_fila.setdefault(r, {})[c] = value
    objetivos = sorted(por_fila)
    partes: list[bytes] = []
    pos = inicio
    i = 0
    anterior = 0
    for m in _FILA.finditer(xml, inicio, fin):
        if i >= len(objetivos):
            break
        rm = _R_FILA.search(m.group(1))
        if rm is None:
            raise NoParcheable("fila sin número")
        numero = int(rm.group(1))
        if numero <= anterior:
            raise NoParcheable("filas desordenadas")
        anterior = numero
        while i < len(objetivos) and objetivos[i] < numero:
            partes.append(xml[pos : m.start()])
            pos = m.start()
            n = objetivos[i]
            partes.append(_fila(n, b' r="' + str(n).encode() + b'"', b"", por_fila[n], citar))
            i += 1
        if i < len(objetivos) and objetivos[i] == numero:
            if m.group(2):
                contenido, final = b"", m.end()
            else:
                cierre = xml.find(b"</row>", m.end(), fin)
                if cierre < 0:
                    raise NoParcheable("fila")
                contenido, final = xml[m.end() : cierre], cierre + 6
            partes.append(xml[pos : m.start()])
            partes.append(_fila(numero, m.group(1), contenido, por_fila[numero], citar))
            pos = final
            i += 1
    partes.append(xml[pos:fin])
    for n in objetivos[i:]:
        partes.append(_fila(n, b' r="' + str(n).encode() + b'"', b"", por_fila[n], citar))
    cuerpo = b"".join(partes)
    cabeza = xml[:inicio_tag] + b"<sheetData>"
    cola = b"</sheetData>" + xml[despues:]
    return _dimension(cabeza, escrituras) + cuerpo + cola


def _dimension(cabeza: bytes, escrituras: Mapping[tuple[int, int], Any]) -> bytes:
    """Widen ``<dimension ref>`` to the cells given a value."""
    m = _DIMENSION.search(cabeza)
    if m is None:
        return cabeza
    llenas = [rc for rc, v in escrituras.items() if v is not None and v != ""]
    if not llenas:
        return cabeza
    ref = m.group(1).decode("ascii")
    partes = [re.fullmatch(r"([A-Z]{1,3})([0-9]+)", p) for p in ref.split(":")]
    if not all(partes):
        raise NoParcheable("dimension")
    filas = [int(p.group(2)) for p in partes if p] + [r for r, _ in llenas]
    columnas = [column_index_from_string(p.group(1)) for p in partes if p] + [c for _, c in llenas]
    vacia = ref == "A1" and not any(r == 1 and c == 1 for r, c in llenas)
    if vacia:  # "A1" is also what an empty sheet says
        filas, columnas = [r for r, _ in llenas], [c for _, c in llenas]
    nuevo = (
        f"{get_column_letter(min(columnas))}{min(filas)}:"
        f"{get_column_letter(max(columnas))}{max(filas)}"
    )
    return cabeza[: m.start(1)] + nuevo.encode("ascii") + cabeza[m.end(1) :]


@dataclass
class _Estilos:
    """``cellXfs`` of styles.xml, with quote-prefixed copies of styles added on demand."""

    xml: bytes
    xfs: list[bytes] = field(default_factory=list)
    nuevos: list[bytes] = field(default_factory=list)
    citados: dict[bytes | None, bytes] = field(default_factory=dict)
    inicio: int = 0
    fin: int = 0

    @classmethod
    def de(cls, xml: bytes) -> _Estilos:
        m = re.search(rb"<cellXfs\b[^>]*>", xml)
        fin = xml.find(b"</cellXfs>", m.end()) if m else -1
        if m is None or fin < 0:
            raise NoParcheable("cellXfs")
        estilos = cls(xml, inicio=m.end(), fin=fin)
        estilos.xfs = _XF.findall(xml, m.end(), fin)
        return estilos

    def citar(self, estilo: bytes | None) -> bytes:
        if estilo in self.citados:
            return self.citados[estilo]
        indice = int(estilo) if estilo is not None else 0
        if indice >= len(self.xfs):
            raise NoParcheable("estilo")
        xf = self.xfs[indice]
        if re.search(rb'\squotePrefix="(1|true)"', xf):
            resultado = str(indice).encode()
        else:
            copia = re.sub(rb'\squotePrefix="[^"]*"', b"", xf)
            copia = b'<xf quotePrefix="1"' + copia[3:]
            resultado = str(len(self.xfs) + len(self.nuevos)).encode()
            self.nuevos.append(copia)
        self.citados[estilo] = resultado
        return resultado

    def guardado(self) -> bytes | None:
        if not self.nuevos:
            return None
        cabeza = self.xml[: self.inicio]
        total = str(len(self.xfs) + len(self.nuevos)).encode()
        cabeza = re.sub(rb'(<cellXfs\b[^>]*?\scount=")[0-9]*"', rb"\g<1>" + total + b'"', cabeza)
        return (
            cabeza + self.xml[self.inicio : self.fin] + b"".join(self.nuevos) + self.xml[self.fin :]
        )


def _calculo_al_abrir(xml: bytes) -> bytes:
    """workbook.xml asking for a full recalculation on load (openpyxl always writes it), so
    formulas that depend on the written cells never show stale results."""
    m = _CALC_PR.search(xml)
    if m is None:
        raise NoParcheable("calcPr")
    if re.search(rb'\sfullCalcOnLoad="(1|true)"', m.group(1)):
        return xml
    attrs = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", m.group(1))
    return (
        xml[: m.start()]
        + b"<calcPr"
        + attrs
        + b' fullCalcOnLoad="1"'
        + m.group(2)
        + b">"
        + xml[m.end() :]
    )


@dataclass
class Paquete:
    """The zip package of a workbook, as bytes, with its worksheet and styles parts."""

    datos: bytes
    zip: zipfile.ZipFile
    hojas: dict[str, str]  # sheet name -> zip member
    libro: str  # the workbook part, "xl/workbook.xml"
    estilos: str | None

    @classmethod
    def abrir(cls, datos: bytes) -> Paquete | None:
        """None when the package is not laid out as this module expects."""
        try:
            z = zipfile.ZipFile(io.BytesIO(datos))
            raiz = ElementTree.fromstring(z.read("_rels/.rels"))
            libro = next(
                r.get("Target", "")
                for r in raiz.iter(f"{{{_NS_PKG}}}Relationship")
                if r.get("Type", "").endswith("/officeDocument")
            ).lstrip("/")
            base = dirname(libro)
            rels_path = join(base, "_rels", libro.rsplit("/", 1)[-1] + ".rels")
            destinos: dict[str, str] = {}
            estilos = None
            for r in ElementTree.fromstring(z.read(rels_path)).iter(f"{{{_NS_PKG}}}Relationship"):
                target = r.get("Target", "")
                parte = (
                    target.lstrip("/") if target.startswith("/") else normpath(join(base, target))
                )
                if r.get("Type") == _TIPO_HOJA:
                    destinos[r.get("Id", "")] = parte
                elif r.get("Type") == _TIPO_ESTILOS:
                    estilos = parte
            hojas = {}
            for hoja in ElementTree.fromstring(z.read(libro)).iter(f"{{{_NS_MAIN}}}sheet"):
                rid = hoja.get(f"{{{_NS_REL}}}id", "")
                if rid in destinos:
                    hojas[hoja.get("name", "")] = destinos[rid]
            nombres = set(z.namelist())
            hojas = {n: p for n, p in hojas.items() if p in nombres}
            return cls(datos, z, hojas, libro, estilos if estilos in nombres else None)
        except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
            return None

    def leer(self, parte: str) -> bytes:
        return self.zip.read(parte)

    def parchear(self, escrituras: Mapping[str, Mapping[tuple[int, int], Any]]) -> bytes:
        """The new package: written sheets patched, every other entry copied unchanged."""
        estilos = _Estilos.de(self.leer(self.estilos)) if self.estilos else None

        def citar(estilo: bytes | None) -> bytes:
            if estilos is None:
                raise NoParcheable("sin estilos")
            return estilos.citar(estilo)

        nuevos: dict[str, bytes] = {}
        for hoja, celdas in escrituras.items():
            if not celdas:
                continue
            parte = self.hojas.get(hoja)
            if parte is None:
                raise NoParcheable(hoja)
            nuevos[parte] = parchear_hoja(self.leer(parte), celdas, citar)
        if not nuevos:
            raise NoParcheable("nada que escribir")
        if estilos is not None and self.estilos is not None:
            guardado = estilos.guardado()
            if guardado is not None:
                nuevos[self.estilos] = guardado
        nuevos[self.libro] = _calculo_al_abrir(self.leer(self.libro))
        return _copiar_zip(self.datos, self.zip, nuevos)


def reemplazar_partes(datos: bytes, nuevos: Mapping[str, bytes]) -> bytes:
    """The package ``datos`` with some existing parts replaced; the others keep their
    compressed bytes when the zip allows it (else every part is written again)."""
    origen = zipfile.ZipFile(io.BytesIO(datos))
    try:
        return _copiar_zip(datos, origen, nuevos)
    except NoParcheable:
        salida = io.BytesIO()
        with zipfile.ZipFile(salida, "w") as destino:
            for info in origen.infolist():
                contenido = nuevos.get(info.filename)
                if contenido is None:
                    contenido = origen.read(info.filename)
                destino.writestr(info, contenido, compress_type=zipfile.ZIP_DEFLATED)
        return salida.getvalue()


def _copiar_zip(
    datos: bytes,
    origen: zipfile.ZipFile,
    nuevos: Mapping[str, bytes],
    quitar: frozenset[str] = frozenset(),
) -> bytes:
    """A copy of the zip with some members replaced, added (``nuevos`` not in the zip, at
    the end) or removed (``quitar``); the others keep their compressed bytes as they are
    (no recompression). Plain zip only: no zip64, no encryption."""
    salida = bytearray()
    central = bytearray()
    deflate: tuple[Any, int] | None = None
    infos = [i for i in origen.infolist() if i.filename not in quitar or i.filename in nuevos]
    existentes = {i.filename for i in infos}
    for nombre_nuevo in nuevos:
        if nombre_nuevo not in existentes:
            infos.append(zipfile.ZipInfo(nombre_nuevo, date_time=(1980, 1, 1, 0, 0, 0)))
    if len(infos) >= 0xFFFF:
        raise NoParcheable("zip64")
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, 8):
            raise NoParcheable("zip cifrado o con otra compresión")
        nombre = info.filename.encode("utf-8")
        flags = 0x800 if info.flag_bits & 0x800 or not nombre.isascii() else 0
        contenido = nuevos.get(info.filename)
        if contenido is None:
            metodo, crc = info.compress_type, info.CRC
            tamano, comprimido = info.file_size, _crudo(datos, info)
        else:
            if deflate is None:
                deflate = _deflate()
            compresor = deflate[0].compressobj(deflate[1], zlib.DEFLATED, -15)
            comprimido = compresor.compress(contenido) + compresor.flush()
            metodo, crc, tamano = 8, zlib.crc32(contenido), len(contenido)
        if max(tamano, len(comprimido), len(salida)) >= 0xFFFFFFFF:
            raise NoParcheable("zip64")
        anio, mes, dia, hora, minuto, segundo = info.date_time
        hora_dos = (hora << 11) | (minuto << 5) | (segundo // 2)
        fecha_dos = ((max(anio, 1980) - 1980) << 9) | (mes << 5) | dia
        comun = struct.pack(
            "<HHHHHIIIH",
            20,
            flags,
            metodo,
            hora_dos,
            fecha_dos,
            crc,
            len(comprimido),
            tamano,
            len(nombre),
        )
        desplazamiento = len(salida)
        salida += b"PK\x03\x04" + comun + struct.pack("<H", 0) + nombre + comprimido
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + comun
            + struct.pack("<HHHHII", 0, 0, 0, 0, info.external_attr, desplazamiento)
            + nombre
        )
    inicio_central = len(salida)
    salida += central
    salida += b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(infos), len(infos), len(central), inicio_central, 0
    )
    return bytes(salida)


def _crudo(datos: bytes, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of a member, straight from its local header."""
    inicio = info.header_offset
    if datos[inicio : inicio + 4] != b"PK\x03\x04":
        raise NoParcheable("cabecera local")
    largo_nombre, largo_extra = struct.unpack_from("<HH", datos, inicio + 26)
    datos_inicio = inicio + 30 + largo_nombre + largo_extra
    return datos[datos_inicio : datos_inicio + info.compress_size]
