"""Saving a workbook without rewriting what is not ours: the sheets we generate are taken
from openpyxl's save and grafted into the original package; everything else stays as it
was, byte for byte.

openpyxl rewrites every part it reads and drops what it does not model: a user's logo
(without Pillow), shapes and text boxes, chart formatting, web-extension (xlwings Lite)
parts, custom ribbons, printer settings. So the file adapter edits with openpyxl as before,
records what it changed (``Cambios``), and at save time builds the new package from the
original: the user's sheets keep their XML (only the cells we wrote are patched, as
``sheet_patch`` does), the sheets we generated come from openpyxl's package with their
styles merged into the original ``styles.xml``, and the workbook part, its relationships
and the content types are edited in place. Whatever this module does not handle raises
``NoParcheable`` and the caller keeps openpyxl's package.

Written by hand: no library grafts parts between two OOXML packages.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from posixpath import basename, dirname, join, normpath
from typing import Any

from .hoja_xml import NS_MAIN, NS_R, Estilos, hoja_xml
from .render import HojaGenerada
from .sheet_patch import (
    NoParcheable,
    Paquete,
    _copiar_zip,
    _Estilos,
    escribible,
    parchear_hoja,
)
from .sheet_patch import escape_xml as escape
from .sheet_patch import unescape_xml as unescape

_TIPO_HOJA = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_TIPO_CALC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_TIPO_CUSTOM = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_CT_HOJA = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_REL = re.compile(rb"<Relationship\b[^>]*?/>", re.S)
_ATTR = re.compile(rb'\s([\w:]+)="([^"]*)"')
_SHEETS = re.compile(rb"<sheets\b[^>]*>(.*?)</sheets>|<sheets\s*/>", re.S)
_SHEET = re.compile(rb"<sheet\b[^>]*?/>", re.S)
_DEFINED_NAMES = re.compile(
    rb"<definedNames\b[^>]*?/>|<definedNames\b[^>]*>(.*?)</definedNames>", re.S
)
_DEFINED_NAME = re.compile(
    rb"<definedName\b([^>]*)>(.*?)</definedName>|<definedName\b[^>]*/>", re.S
)
_LOCAL = re.compile(rb'\slocalSheetId="([0-9]+)"')
_S_ATTR = re.compile(rb'(<(?:c|row)\b[^>]*?\ss=")([0-9]+)(")')
_COL_STYLE = re.compile(rb'(<col\b[^>]*?\sstyle=")([0-9]+)(")')
_DXF_ID = re.compile(rb'(\sdxfId=")([0-9]+)(")')
_S_VALOR = re.compile(rb'<(?:c|row)\b[^>]*?\ss="([0-9]+)"')
_COL_STYLE_VALOR = re.compile(rb'<col\b[^>]*?\sstyle="([0-9]+)"')
_DXF_VALOR = re.compile(rb'\sdxfId="([0-9]+)"')
_OVERRIDE = re.compile(rb"<Override\b[^>]*?/>", re.S)
_ACTIVE_TAB = re.compile(rb'(<workbookView\b[^>]*?\sactiveTab=")([0-9]+)(")')
_FIRST_SHEET = re.compile(rb'\sfirstSheet="[0-9]+"')
_CF = re.compile(rb"<conditionalFormatting\b.*?</conditionalFormatting>", re.S)
# Elements of a worksheet that come after conditionalFormatting (CT_Worksheet's order).
_DESPUES_DE_CF = (
    b"<dataValidations",
    b"<hyperlinks",
    b"<printOptions",
    b"<pageMargins",
    b"<pageSetup",
    b"<headerFooter",
    b"<rowBreaks",
    b"<colBreaks",
    b"<customProperties",
    b"<cellWatches",
    b"<ignoredErrors",
    b"<smartTags",
    b"<drawing",
    b"<legacyDrawing",
    b"<legacyDrawingHF",
    b"<drawingHF",
    b"<picture",
    b"<oleObjects",
    b"<controls",
    b"<webPublishItems",
    b"<tableParts",
    b"<extLst",
    b"</worksheet>",
)


@dataclass
class Cambios:
    """What the file adapter changed since opening, as it needs to be grafted."""

    propias: set[str] = field(default_factory=set)  # sheets we created or replaced whole
    quitadas: set[str] = field(default_factory=set)  # sheets of the original removed
    celdas: dict[str, dict[tuple[int, int], Any]] = field(default_factory=dict)  # user sheets
    # user sheet -> how our conditional formats there are recognised (ReglasColor.marca)
    reglas: dict[str, set[str]] = field(default_factory=dict)
    propiedades: bool = False  # custom document properties changed
    # sheets of ours written with the package's styles (``hoja_xml``): their cellXfs
    # indices in the order they first appear, the only style indices they carry
    indices: dict[str, tuple[int, ...]] = field(default_factory=dict)
    imposible: str | None = None  # a change this module cannot graft (why)

    def celda(self, hoja: str, fila: int, columna: int, valor: Any) -> None:
        if hoja not in self.propias:
            self.celdas.setdefault(hoja, {})[(fila, columna)] = valor


def _attrs(elemento: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(elemento))


def _rels_de(parte: str) -> str:
    return join(dirname(parte), "_rels", basename(parte) + ".rels")


def _destino(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else normpath(join(dirname(base), target))


def _relativo(desde: str, hacia: str) -> str:
    """``hacia`` as a Target relative to the folder of ``desde``."""
    origen = dirname(desde).split("/") if dirname(desde) else []
    partes = hacia.split("/")
    comun = 0
    while comun < min(len(origen), len(partes) - 1) and origen[comun] == partes[comun]:
        comun += 1
    return "/".join([".."] * (len(origen) - comun) + partes[comun:])


@dataclass
class _Zip:
    datos: bytes
    zip: zipfile.ZipFile

    @classmethod
    def de(cls, datos: bytes) -> _Zip:
        try:
            return cls(datos, zipfile.ZipFile(io.BytesIO(datos)))
        except zipfile.BadZipFile as exc:
            raise NoParcheable("zip") from exc

    def nombres(self) -> set[str]:
        return set(self.zip.namelist())

    def leer(self, parte: str) -> bytes:
        try:
            return self.zip.read(parte)
        except KeyError as exc:
            raise NoParcheable(parte) from exc

    def rels(self, parte: str) -> list[dict[bytes, bytes]]:
        ruta = _rels_de(parte)
        if ruta not in self.nombres():
            return []
        return [_attrs(r) for r in _REL.findall(self.leer(ruta))]


# -- styles ------------------------------------------------------------------------------
_LISTAS = {
    "fonts": re.compile(rb"<font\b[^>]*?(?:/>|>.*?</font>)", re.S),
    "fills": re.compile(rb"<fill\b[^>]*?(?:/>|>.*?</fill>)", re.S),
    "borders": re.compile(rb"<border\b[^>]*?(?:/>|>.*?</border>)", re.S),
    "cellXfs": re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S),
    "dxfs": re.compile(rb"<dxf\b[^>]*?(?:/>|>.*?</dxf>)", re.S),
    "cellStyleXfs": re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S),
}
_NUMFMT = re.compile(rb"<numFmt\b[^>]*/>")


def _lista(xml: bytes, nombre: str) -> tuple[int, int, list[bytes]] | None:
    """Start and end of the content of ``<nombre>`` in styles.xml, and its items."""
    m = re.search(rb"<" + nombre.encode() + rb"\b[^>]*?(/?)>", xml)
    if m is None:
        return None
    if m.group(1):
        return m.start(), m.end(), []
    fin = xml.find(b"</" + nombre.encode() + b">", m.end())
    if fin < 0:
        raise NoParcheable(nombre)
    return m.end(), fin, _LISTAS[nombre].findall(xml, m.end(), fin) if nombre in _LISTAS else []


class _Mezcla:
    """The original styles.xml with the styles our grafted sheets use appended."""

    def __init__(self, destino: bytes, origen: bytes) -> None:
        self.destino = destino
        self.origen = origen
        self.listas: dict[str, list[bytes]] = {}
        self.nuevos: dict[str, list[bytes]] = {}
        for nombre in ("fonts", "fills", "borders", "cellXfs", "dxfs"):
            hallada = _lista(destino, nombre)
            self.listas[nombre] = hallada[2] if hallada else []
            self.nuevos[nombre] = []
        self.fmts_destino = {
            a[b"formatCode"]: a[b"numFmtId"] for a in map(_attrs, _NUMFMT.findall(destino))
        }
        self.fmts_origen = {
            a[b"numFmtId"]: a[b"formatCode"] for a in map(_attrs, _NUMFMT.findall(origen))
        }
        self.fmts_nuevos: list[tuple[bytes, bytes]] = []
        self.items_origen = {
            nombre: (_lista(origen, nombre) or (0, 0, []))[2]
            for nombre in ("fonts", "fills", "borders", "cellXfs", "dxfs")
        }
        self.xfs: dict[int, int] = {}
        self.dxfs: dict[int, int] = {}

    def _indice(self, nombre: str, item: bytes) -> int:
        todos = self.listas[nombre] + self.nuevos[nombre]
        if item in todos:
            return todos.index(item)
        self.nuevos[nombre].append(item)
        return len(todos)

    def _formato(self, numfmt: bytes) -> bytes:
        if int(numfmt) < 164:
            return numfmt  # built-in
        codigo = self.fmts_origen.get(numfmt)
        if codigo is None:
            raise NoParcheable("numFmt")
        if codigo not in self.fmts_destino:
            usados = [int(i) for i in self.fmts_destino.values()] + [163]
            nuevo = str(max(usados) + 1).encode()
            self.fmts_destino[codigo] = nuevo
            self.fmts_nuevos.append((nuevo, codigo))
        return self.fmts_destino[codigo]

    def xf(self, indice: int) -> int:
        if indice not in self.xfs:
            items = self.items_origen["cellXfs"]
            if indice >= len(items):
                raise NoParcheable("estilo")
            xf = items[indice]
            for atributo, lista in (
                (b"fontId", "fonts"),
                (b"fillId", "fills"),
                (b"borderId", "borders"),
            ):
                xf = self._cambiar(xf, atributo, lista)
            m = re.search(rb'\snumFmtId="([0-9]+)"', xf)
            if m:
                xf = xf[: m.start(1)] + self._formato(m.group(1)) + xf[m.end(1) :]
            # Named cell styles (a hyperlink's) are not carried over: the cell keeps the look.
            xf = re.sub(rb'\sxfId="[0-9]+"', b' xfId="0"', xf)
            self.xfs[indice] = self._indice("cellXfs", xf)
        return self.xfs[indice]

    def _cambiar(self, xf: bytes, atributo: bytes, lista: str) -> bytes:
        m = re.search(rb"\s" + atributo + rb'="([0-9]+)"', xf)
        if m is None:
            return xf
        items = self.items_origen[lista]
        viejo = int(m.group(1))
        if viejo >= len(items):
            raise NoParcheable(lista)
        nuevo = self._indice(lista, items[viejo])
        return xf[: m.start(1)] + str(nuevo).encode() + xf[m.end(1) :]

    def dxf(self, indice: int) -> int:
        if indice not in self.dxfs:
            items = self.items_origen["dxfs"]
            if indice >= len(items):
                raise NoParcheable("dxf")
            self.dxfs[indice] = self._indice("dxfs", items[indice])
        return self.dxfs[indice]

    def hoja(self, xml: bytes, indices: tuple[int, ...] | None = None) -> bytes:
        """A grafted sheet's XML with its style indices pointing into the merged styles.

        Each distinct index is mapped once, in the order the substitution would meet it
        first (``indices`` when the caller knows them: cellXfs only, in that order); when
        every one keeps its number (a sheet written with these styles, as ``hoja_xml``
        does) the XML is returned as it is, without rewriting every cell."""
        if indices is not None:
            if all(self.xf(i) == i for i in indices):
                return xml
        elif all(
            all(mapa(i) == i for i in map(int, dict.fromkeys(patron.findall(xml))))
            for patron, mapa in (
                (_S_VALOR, self.xf),
                (_COL_STYLE_VALOR, self.xf),
                (_DXF_VALOR, self.dxf),
            )
        ):
            return xml
        xml = _S_ATTR.sub(
            lambda m: m.group(1) + str(self.xf(int(m.group(2)))).encode() + m.group(3), xml
        )
        xml = _COL_STYLE.sub(
            lambda m: m.group(1) + str(self.xf(int(m.group(2)))).encode() + m.group(3), xml
        )
        return _DXF_ID.sub(
            lambda m: m.group(1) + str(self.dxf(int(m.group(2)))).encode() + m.group(3), xml
        )

    def guardado(self) -> bytes:
        """styles.xml with the new items appended (and their counts)."""
        xml = self.destino
        if self.fmts_nuevos:
            fmts = [
                b'<numFmt numFmtId="' + i + b'" formatCode="' + c + b'"/>'
                for i, c in self.fmts_nuevos
            ]
            antes = len(_NUMFMT.findall(xml))
            xml = _anexar(xml, "numFmts", fmts, antes + len(fmts), b"<styleSheet")
        for nombre in ("fonts", "fills", "borders", "cellXfs", "dxfs"):
            nuevos = self.nuevos[nombre]
            if nuevos:
                total = len(self.listas[nombre]) + len(nuevos)
                xml = _anexar(xml, nombre, nuevos, total, b"</styleSheet>")
        return xml


def _anexar(xml: bytes, nombre: str, items: list[bytes], total: int, donde: bytes) -> bytes:
    """``items`` appended to the list element ``nombre`` of styles.xml, its count set; the
    element is created (at ``donde``: after the root's opening tag, or before its end)
    when missing, and opened when empty (``<dxfs/>``)."""
    etiqueta = nombre.encode()
    cuerpo = b"".join(items)
    m = re.search(rb"<" + etiqueta + rb"\b([^>]*?)(/?)>", xml)
    if m is None:
        nuevo = b"<" + etiqueta + b' count="' + str(total).encode() + b'">' + cuerpo
        nuevo += b"</" + etiqueta + b">"
        if donde == b"<styleSheet":
            raiz = re.search(rb"<styleSheet\b[^>]*>", xml)
            if raiz is None:
                raise NoParcheable("styleSheet")
            return xml[: raiz.end()] + nuevo + xml[raiz.end() :]
        fin = xml.rfind(donde)
        if fin < 0:
            raise NoParcheable("styleSheet")
        return xml[:fin] + nuevo + xml[fin:]
    if nombre != "dxfs" and nombre != "numFmts" and m.group(2):
        raise NoParcheable(nombre)  # an empty font, fill, border or xf list is not a workbook
    atributos = re.sub(rb'\scount="[^"]*"', b"", m.group(1)) + b' count="' + str(total).encode()
    apertura = b"<" + etiqueta + atributos + b'">'
    if m.group(2):
        return xml[: m.start()] + apertura + cuerpo + b"</" + etiqueta + b">" + xml[m.end() :]
    cierre = xml.find(b"</" + etiqueta + b">", m.end())
    if cierre < 0:
        raise NoParcheable(nombre)
    return xml[: m.start()] + apertura + xml[m.end() : cierre] + cuerpo + xml[cierre:]


# -- the graft ---------------------------------------------------------------------------
def injertar(original: bytes, nuevo: bytes, cambios: Cambios) -> bytes:
    """The original package with ``cambios`` taken from ``nuevo`` (openpyxl's save of the
    same workbook after our edits). Raises ``NoParcheable`` for what it does not handle."""
    if cambios.imposible:
        raise NoParcheable(cambios.imposible)
    o = Paquete.abrir(original)
    n = Paquete.abrir(nuevo)
    if o is None or n is None or o.estilos is None or n.estilos is None:
        raise NoParcheable("paquete")
    oz, nz = _Zip(original, o.zip), _Zip(nuevo, n.zip)
    orden_nuevo = list(n.hojas)  # workbook order after our edits
    propias = {h for h in orden_nuevo if h in cambios.propias}
    for h in orden_nuevo:
        if h not in propias and h not in o.hojas:
            raise NoParcheable(f"hoja {h} sin origen")
    quitadas = {h for h in o.hojas if h not in orden_nuevo or h in propias}

    estilos = _Mezcla(oz.leer(o.estilos), nz.leer(n.estilos))
    nuevos: dict[str, bytes] = {}
    quitar: set[str] = set()
    tipos: dict[str, str] = {}  # new part -> content type

    # Sheets of the original removed or replaced: their part and what hangs from it only.
    for h in quitadas:
        parte = o.hojas[h]
        quitar |= {parte, _rels_de(parte)}
        for rel in oz.rels(parte):
            if rel.get(b"TargetMode") == b"External":
                continue
            destino = _destino(parte, rel[b"Target"].decode())
            if any(destino.startswith(p) for p in ("xl/drawings/", "xl/charts/", "xl/comments")):
                quitar |= {destino, _rels_de(destino)}
                for sub in oz.rels(destino):
                    if sub.get(b"TargetMode") != b"External":
                        quitar.add(_destino(destino, sub[b"Target"].decode()))

    # Our sheets, from openpyxl's package, under fresh part names.
    existentes = oz.nombres() - quitar
    ocupados = set(existentes)

    def libre(plantilla: str) -> str:
        i = 1
        while plantilla.format(i) in ocupados:
            i += 1
        nombre = plantilla.format(i)
        ocupados.add(nombre)
        return nombre

    partes_propias: dict[str, str] = {}
    for h in orden_nuevo:
        if h not in propias:
            continue
        origen = n.hojas[h]
        destino = libre("xl/worksheets/sheet{}.xml")
        partes_propias[h] = destino
        xml = estilos.hoja(nz.leer(origen), cambios.indices.get(h))
        rels = nz.rels(origen)
        if rels:
            nuevos[_rels_de(destino)] = _copiar_rels(
                nz, origen, destino, rels, libre, nuevos, tipos
            )
        nuevos[destino] = xml
        tipos[destino] = _CT_HOJA

    # Our conditional formats on the user's sheets (their styles merged first).
    for h, marcas in cambios.reglas.items():
        if h in quitadas or h in propias or h not in o.hojas or h not in n.hojas:
            continue
        parte = o.hojas[h]
        actual = nuevos.get(parte) or oz.leer(parte)
        nuevos[parte] = _con_reglas(actual, nz.leer(n.hojas[h]), estilos, marcas)

    # The user's sheets: only the cells we wrote, patched into their own XML.
    sin_estilos_citados = _Estilos.de(estilos.guardado())

    def citar(estilo: bytes | None) -> bytes:
        return sin_estilos_citados.citar(estilo)

    for h, celdas in cambios.celdas.items():
        if h in quitadas or h not in o.hojas or not celdas:
            continue
        celdas = {rc: _serial(v) for rc, v in celdas.items()}
        if not all(escribible(v) for v in celdas.values()):
            raise NoParcheable("valor que solo openpyxl escribe")  # a link, a time
        parte = o.hojas[h]
        nuevos[parte] = parchear_hoja(nuevos.get(parte) or oz.leer(parte), celdas, citar)
    # styles.xml: merged, then the quote-prefixed copies the patcher asked for.
    base = estilos.guardado()
    citados = sin_estilos_citados.guardado()
    nuevos[o.estilos] = citados if citados is not None else base

    # The workbook part, its relationships and the content types.
    rels_libro = _rels_de(o.libro)
    rels_xml = oz.leer(rels_libro)
    rid_de: dict[str, bytes] = {}
    usados = {a.get(b"Id", b"") for a in map(_attrs, _REL.findall(rels_xml))}
    cuerpo_rels = rels_xml
    for h in quitadas:
        parte = o.hojas[h]
        cuerpo_rels = _quitar_rel(cuerpo_rels, o.libro, parte)
    calc = [a for a in map(_attrs, _REL.findall(rels_xml)) if a.get(b"Type") == _TIPO_CALC.encode()]
    if calc and (quitadas or propias):  # sheet positions change: Excel rebuilds the chain
        cuerpo_rels = _REL.sub(
            lambda m: b"" if _attrs(m.group()).get(b"Type") == _TIPO_CALC.encode() else m.group(),
            cuerpo_rels,
        )
        quitar |= {_destino(o.libro, c[b"Target"].decode()) for c in calc}
    altas = []
    for h, parte in partes_propias.items():
        i = 1
        while f"rIdX{i}".encode() in usados:
            i += 1
        rid = f"rIdX{i}".encode()
        usados.add(rid)
        rid_de[h] = rid
        altas.append(
            b'<Relationship Id="'
            + rid
            + b'" Type="'
            + _TIPO_HOJA.encode()
            + b'" Target="'
            + _relativo(o.libro, parte).encode()
            + b'"/>'
        )
    fin = cuerpo_rels.rfind(b"</Relationships>")
    nuevos[rels_libro] = cuerpo_rels[:fin] + b"".join(altas) + cuerpo_rels[fin:]
    nuevos[o.libro] = _libro(oz.leer(o.libro), nz.leer(n.libro), orden_nuevo, o, propias, rid_de)

    if cambios.propiedades:
        _propiedades(oz, nz, nuevos, tipos)

    ct = oz.leer("[Content_Types].xml")
    ct = _OVERRIDE.sub(
        lambda m: (
            b""
            if _attrs(m.group()).get(b"PartName", b"").lstrip(b"/").decode() in quitar
            else m.group()
        ),
        ct,
    )
    fin = ct.rfind(b"</Types>")
    ct = (
        ct[:fin]
        + b"".join(
            b'<Override PartName="/' + p.encode() + b'" ContentType="' + t.encode() + b'"/>'
            for p, t in tipos.items()
        )
        + ct[fin:]
    )
    nuevos["[Content_Types].xml"] = ct
    return _copiar_zip(original, o.zip, nuevos, frozenset(quitar))


_CT_DIBUJO = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CT_GRAFICA = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_TIPO_DIBUJO = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_CODE_NAME = re.compile(rb'<sheetPr\b[^>]*?\scodeName="([^"]*)"')


def codigo_de_hoja(xml: bytes) -> str | None:
    """The codeName of a worksheet part, None without one."""
    m = _CODE_NAME.search(xml, 0, xml.find(b"<sheetData") if b"<sheetData" in xml else len(xml))
    return _desescapar(m.group(1)) if m else None


def injertar_hojas(
    original: bytes,
    paquete: Paquete,
    orden: list[str],
    hojas: Mapping[str, HojaGenerada],
    codigos: Mapping[str, str | None],
    celdas: Mapping[str, Mapping[tuple[int, int], Any]],
) -> bytes:
    """The original package with whole sheets of ours (``hojas``, written as XML by
    ``hoja_xml`` with the codeNames ``codigos``) put in, the workbook's sheets in
    ``orden``, and cell writes patched into the user's sheets: no openpyxl. The sheets go
    in a small package of their own that ``injertar`` takes them from, as it takes them
    from openpyxl's."""
    if paquete.estilos is None:
        raise NoParcheable("estilos")
    estilos = Estilos(paquete.leer(paquete.estilos))
    partes: dict[str, bytes] = {}
    tipos = [
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    ]
    elementos, nombres_locales, rels = [], [], []
    graficas = 0
    indices: dict[str, tuple[int, ...]] = {}
    for i, nombre in enumerate(orden, start=1):
        parte = f"xl/worksheets/sheet{i}.xml"
        rels.append(
            f'<Relationship Id="rId{i}" Type="{_TIPO_HOJA}" Target="worksheets/sheet{i}.xml"/>'
        )
        hoja = hojas.get(nombre)
        estado = b' state="hidden"' if hoja is not None and hoja.oculta else b""
        elementos.append(
            b'<sheet name="'
            + _escapar_atributo(nombre)
            + b'" sheetId="%d"' % i
            + estado
            + b' r:id="rId%d"/>' % i
        )
        if hoja is None:
            partes[parte] = b"<worksheet/>"  # the user's: the graft keeps the original's
            continue
        hx = hoja_xml(hoja, estilos, codigos.get(nombre), primera_grafica=graficas + 1, dibujo=i)
        partes[parte] = hx.xml
        indices[nombre] = hx.indices
        if hx.titulos:
            nombres_locales.append(
                b'<definedName name="_xlnm.Print_Titles" localSheetId="%d">' % (i - 1)
                + escape(hx.titulos).encode("utf-8")
                + b"</definedName>"
            )
        if hx.dibujo is not None and hx.dibujo_rels is not None:
            dibujo = f"xl/drawings/drawing{i}.xml"
            partes[dibujo] = hx.dibujo
            partes[_rels_de(dibujo)] = hx.dibujo_rels
            partes[_rels_de(parte)] = (
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships"><Relationship Id="rId1" Type="'
                + _TIPO_DIBUJO.encode()
                + b'" Target="../drawings/drawing%d.xml"/></Relationships>' % i
            )
            tipos.append(
                b'<Override PartName="/'
                + dibujo.encode()
                + b'" ContentType="'
                + _CT_DIBUJO.encode()
                + b'"/>'
            )
            for grafica in hx.graficas:
                graficas += 1
                nombre_grafica = f"xl/charts/chart{graficas}.xml"
                partes[nombre_grafica] = grafica
                tipos.append(
                    b'<Override PartName="/'
                    + nombre_grafica.encode()
                    + b'" ContentType="'
                    + _CT_GRAFICA.encode()
                    + b'"/>'
                )
    rels.append(
        '<Relationship Id="rIdEstilos" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    nombres_xml = (
        b"<definedNames>" + b"".join(nombres_locales) + b"</definedNames>"
        if nombres_locales
        else b""
    )
    partes["xl/workbook.xml"] = (
        b'<workbook xmlns="'
        + NS_MAIN.encode()
        + b'" xmlns:r="'
        + NS_R.encode()
        + b'"><sheets>'
        + b"".join(elementos)
        + b"</sheets>"
        + nombres_xml
        + b"</workbook>"
    )
    partes["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()
    partes["xl/styles.xml"] = estilos.guardado()
    partes["_rels/.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    partes["[Content_Types].xml"] = (
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + b"".join(tipos)
        + b"</Types>"
    )
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_STORED) as z:
        for nombre, datos in partes.items():
            z.writestr(nombre, datos)
    cambios = Cambios(
        propias=set(hojas),
        celdas={h: dict(c) for h, c in celdas.items() if h not in hojas and c},
        indices=indices,
    )
    return injertar(original, salida.getvalue(), cambios)


def _serial(valor: Any) -> Any:
    """A date as Excel keeps it (days since 1899-12-30); the cell's own date format shows
    it. Other values as they are."""
    if isinstance(valor, dt.datetime):
        delta = valor - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    if isinstance(valor, dt.date) and valor >= dt.date(1900, 3, 1):
        return float((valor - dt.date(1899, 12, 30)).days)
    return valor


# Kinds of the user's content, by what marks their parts, named as people know them.
_CONTENIDO = {
    "imágenes": (b"image/", b"xl/media/"),
    "dibujos o cuadros de texto": (b"drawing+xml",),
    "gráficas": (b"drawingml.chart+xml",),
    "comentarios": (b"comments+xml",),
    "tablas": (b"spreadsheetml.table+xml",),
    "complementos de Office (xlwings Lite)": (b"webextension",),
    "cinta de opciones personalizada": (b"ui/extensibility", b"customUI"),
    "configuración de impresora": (b"printerSettings",),
    "controles de formulario": (b"ctrlProp",),
}


_TIPO_PANELES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
_DEFAULT = re.compile(rb"<Default\b[^>]*?/>", re.S)


def con_complementos(original: bytes, nuevo: bytes) -> bytes:
    """``nuevo`` (a package openpyxl wrote) with the original's Office add-ins put back byte
    for byte: the task-pane part, the add-in parts (xlwings Lite keeps its code there)
    and whatever they point to, with their package relationship and content types.
    They belong to the package, not to a sheet, so any package of the workbook can carry
    them. ``nuevo`` as it is when the original has none, or it has them already."""
    oz, nz = _Zip.de(original), _Zip.de(nuevo)
    if "_rels/.rels" not in oz.nombres() or "_rels/.rels" not in nz.nombres():
        return nuevo
    paneles = [r for r in oz.rels("") if r.get(b"Type", b"").decode() == _TIPO_PANELES]
    nuevas = nz.rels("")  # the package relationships ("_rels/.rels")
    if not paneles or any(r.get(b"Type", b"").decode() == _TIPO_PANELES for r in nuevas):
        return nuevo
    panel = _destino("", unescape(paneles[0].get(b"Target", b"").decode()))
    partes: list[str] = []
    pendientes = [panel]
    while pendientes:  # the pane, its add-ins, and what they point to
        parte = pendientes.pop(0)
        if parte in partes or parte not in oz.nombres():
            continue
        partes.append(parte)
        if _rels_de(parte) in oz.nombres():
            partes.append(_rels_de(parte))
        for rel in oz.rels(parte):
            if rel.get(b"TargetMode") != b"External":
                pendientes.append(_destino(parte, unescape(rel.get(b"Target", b"").decode())))
    if any(p in nz.nombres() for p in partes):
        return nuevo  # an add-in part under the same name: left to ``perdidas`` to report
    usados = {r.get(b"Id", b"").decode() for r in nuevas}
    n = 1
    while f"rId{n}" in usados:
        n += 1
    relacion = (
        f'<Relationship Id="rId{n}" Type="{_TIPO_PANELES}" Target="'.encode()
        + paneles[0].get(b"Target", b"")
        + b'"/>'
    )
    raiz = nz.leer("_rels/.rels").replace(b"</Relationships>", relacion + b"</Relationships>", 1)
    tipos = nz.leer("[Content_Types].xml")
    otipos = oz.leer("[Content_Types].xml")
    overrides = {
        _attrs(o).get(b"PartName", b"").decode().lstrip("/"): o for o in _OVERRIDE.findall(otipos)
    }
    defaults = {_attrs(d).get(b"Extension", b"").lower(): d for d in _DEFAULT.findall(otipos)}
    extra = b""
    for parte in partes:
        if parte in overrides and f'PartName="/{parte}"'.encode() not in tipos:
            extra += overrides[parte]
        ext = parte.rpartition(".")[2].lower().encode()
        if (
            parte not in overrides
            and ext in defaults
            and not re.search(rb'Extension="' + re.escape(ext) + rb'"', tipos, re.I)
        ):
            extra += defaults.pop(ext)
    tipos = tipos.replace(b"</Types>", extra + b"</Types>", 1)
    nuevos = {"_rels/.rels": raiz, "[Content_Types].xml": tipos}
    nuevos |= {parte: oz.leer(parte) for parte in partes}
    return _copiar_zip(nuevo, nz.zip, nuevos)


def perdidas(original: bytes, nuevo: bytes) -> list[str]:
    """The kinds of the user's content that ``nuevo`` has fewer of than ``original``."""

    def cuenta(datos: bytes) -> dict[str, int]:
        z = _Zip.de(datos)
        tipos = z.leer("[Content_Types].xml") if "[Content_Types].xml" in z.nombres() else b""
        rels = z.leer("_rels/.rels") if "_rels/.rels" in z.nombres() else b""
        fragmentos = _OVERRIDE.findall(tipos) + _REL.findall(rels)
        fragmentos += [n.encode("utf-8") for n in z.nombres()]
        return {
            nombre: sum(any(m in f for m in marcas) for f in fragmentos)
            for nombre, marcas in _CONTENIDO.items()
        }

    antes, despues = cuenta(original), cuenta(nuevo)
    return [nombre for nombre in _CONTENIDO if despues[nombre] < antes[nombre]]


def _copiar_rels(
    nz: _Zip,
    origen: str,
    destino: str,
    rels: Iterable[dict[bytes, bytes]],
    libre: Any,
    nuevos: dict[str, bytes],
    tipos: dict[str, str],
) -> bytes:
    """The relationships of a grafted part, its targets copied under fresh names (drawings
    and the charts they hold)."""
    contenido = nz.leer(_rels_de(origen))
    ct = nz.leer("[Content_Types].xml")
    tipos_origen = {
        a[b"PartName"].lstrip(b"/").decode(): a[b"ContentType"].decode()
        for a in map(_attrs, _OVERRIDE.findall(ct))
    }
    for rel in rels:
        if rel.get(b"TargetMode") == b"External":
            continue
        viejo = _destino(origen, rel[b"Target"].decode())
        carpeta, nombre = dirname(viejo), basename(viejo)
        raiz = re.sub(r"[0-9]+(\.\w+)$", r"{}\1", nombre)
        if "{}" not in raiz:
            raise NoParcheable(viejo)
        nuevo = libre(join(carpeta, raiz))
        sub_rels = nz.rels(viejo)
        if sub_rels:
            nuevos[_rels_de(nuevo)] = _copiar_rels(nz, viejo, nuevo, sub_rels, libre, nuevos, tipos)
        nuevos[nuevo] = nz.leer(viejo)
        if viejo not in tipos_origen:
            raise NoParcheable(f"tipo de {viejo}")
        tipos[nuevo] = tipos_origen[viejo]
        contenido = contenido.replace(
            b'Target="' + rel[b"Target"] + b'"',
            b'Target="' + _relativo(destino, nuevo).encode() + b'"',
        )
    return contenido


def _quitar_rel(rels: bytes, libro: str, parte: str) -> bytes:
    return _REL.sub(
        lambda m: (
            b""
            if _destino(libro, _attrs(m.group()).get(b"Target", b"").decode()) == parte
            else m.group()
        ),
        rels,
    )


def _libro(
    original: bytes,
    nuevo: bytes,
    orden: list[str],
    o: Paquete,
    propias: set[str],
    rid_de: Mapping[str, bytes],
) -> bytes:
    """workbook.xml: the sheets in their new order (the user's kept as they were, ours
    added), local defined names renumbered, the active tab kept on its sheet."""
    m = _SHEETS.search(original)
    mn = _SHEETS.search(nuevo)
    if m is None or mn is None:
        raise NoParcheable("sheets")
    viejas = {_xml_nombre(e): e for e in _SHEET.findall(m.group(1) or b"")}
    nuevas = {_xml_nombre(e): e for e in _SHEET.findall(mn.group(1) or b"")}
    orden_viejo = [_xml_nombre(e) for e in _SHEET.findall(m.group(1) or b"")]
    ids = [int(_attrs(e).get(b"sheetId", b"0")) for e in viejas.values()]
    siguiente = max(ids, default=0) + 1
    elementos = []
    for h in orden:
        clave = _escapar_atributo(h)
        if h not in propias and clave not in viejas:
            raise NoParcheable(f"hoja {h}")
        if h in propias:
            estado = _attrs(nuevas.get(clave, b"<sheet/>")).get(b"state")
            elementos.append(
                b'<sheet name="'
                + clave
                + b'" sheetId="'
                + str(siguiente).encode()
                + b'"'
                + (b' state="' + estado + b'"' if estado else b"")
                + b' r:id="'
                + rid_de[h]
                + b'"/>'
            )
            siguiente += 1
        else:
            elementos.append(viejas[clave])
    xml = (
        original[: m.start()]
        + b"<sheets>"
        + b"".join(elementos)
        + b"</sheets>"
        + original[m.end() :]
    )
    if b'xmlns:r="' not in xml[: xml.find(b">", xml.find(b"<workbook")) + 1]:
        raise NoParcheable("prefijo r")

    posicion = {_escapar_atributo(h): i for i, h in enumerate(orden)}
    indice_viejo = {i: n for i, n in enumerate(orden_viejo)}
    nombres_locales_nuevos = [
        (attrs, cuerpo)
        for attrs, cuerpo in (
            (mm.group(1) or b"", mm.group(2) or b"") for mm in _DEFINED_NAME.finditer(nuevo)
        )
        if _LOCAL.search(attrs) and orden[int(_LOCAL.search(attrs).group(1))] in propias  # type: ignore[union-attr]
    ]

    def renumerar(mm: re.Match[bytes]) -> bytes:
        completo = mm.group()
        local = _LOCAL.search(completo)
        if local is None:
            return completo
        hoja = indice_viejo.get(int(local.group(1)))
        if hoja is None or hoja not in posicion or _desescapar(hoja) in propias:
            return b""  # local to a sheet removed or replaced
        return completo[: local.start(1)] + str(posicion[hoja]).encode() + completo[local.end(1) :]

    dm = _DEFINED_NAMES.search(xml)
    agregados = b"".join(
        b"<definedName" + attrs + b">" + cuerpo + b"</definedName>"
        for attrs, cuerpo in nombres_locales_nuevos
    )
    if dm is not None:
        cuerpo = _DEFINED_NAME.sub(renumerar, dm.group(1) or b"") + agregados
        xml = (
            xml[: dm.start()]
            + (b"<definedNames>" + cuerpo + b"</definedNames>" if cuerpo else b"")
            + xml[dm.end() :]
        )
    elif agregados:
        fin = xml.find(b"</sheets>") + len(b"</sheets>")
        xml = xml[:fin] + b"<definedNames>" + agregados + b"</definedNames>" + xml[fin:]

    activa = _ACTIVE_TAB.search(xml)
    if activa is not None:
        hoja = indice_viejo.get(int(activa.group(2)))
        nueva = posicion.get(hoja, 0) if hoja is not None else 0
        xml = xml[: activa.start(2)] + str(nueva).encode() + xml[activa.end(2) :]
    return _FIRST_SHEET.sub(b"", xml)


def _xml_nombre(elemento: bytes) -> bytes:
    return _attrs(elemento).get(b"name", b"")


def _escapar_atributo(texto: str) -> bytes:
    return escape(texto, {'"': "&quot;"}).encode("utf-8")


def _desescapar(texto: bytes) -> str:
    return unescape(texto.decode("utf-8"), {"&quot;": '"', "&apos;": "'"})


def _con_reglas(
    actual: bytes, de_openpyxl: bytes, estilos: _Mezcla, marcas_texto: set[str]
) -> bytes:
    """A user sheet whose conditional formats of ours (recognised by a ``marca``, e.g.
    "'_colores_Avance'!") are replaced by openpyxl's; the user's own formats stay."""
    if re.search(rb"<\w+:conditionalFormatting", actual):
        raise NoParcheable("prefijo")
    marcas = [
        variante
        for marca in marcas_texto
        for variante in (
            marca.encode("utf-8"),
            marca.replace("'", "&apos;").encode("utf-8"),
            marca.replace('"', "&quot;").encode("utf-8"),
        )
    ]

    def nuestra(bloque: bytes) -> bool:
        return any(m in bloque for m in marcas)

    nuevas = [estilos.hoja(c) for c in _CF.findall(de_openpyxl) if nuestra(c)]
    sin_nuestras = _CF.sub(lambda m: b"" if nuestra(m.group()) else m.group(), actual)
    restantes = list(_CF.finditer(sin_nuestras))
    if restantes:
        pos = restantes[-1].end()
    else:
        encontrados = [i for i in (sin_nuestras.find(e) for e in _DESPUES_DE_CF) if i >= 0]
        if not encontrados:
            raise NoParcheable("conditionalFormatting")
        pos = min(encontrados)
    return sin_nuestras[:pos] + b"".join(nuevas) + sin_nuestras[pos:]


def _propiedades(oz: _Zip, nz: _Zip, nuevos: dict[str, bytes], tipos: dict[str, str]) -> None:
    """docProps/custom.xml from openpyxl's package, with its relationship when new."""
    parte = "docProps/custom.xml"
    nuevos[parte] = nz.leer(parte)
    if parte in oz.nombres():
        return
    rels = oz.leer("_rels/.rels")
    fin = rels.rfind(b"</Relationships>")
    nuevos["_rels/.rels"] = (
        rels[:fin]
        + b'<Relationship Id="rIdXcustom" Type="'
        + _TIPO_CUSTOM.encode()
        + b'" Target="docProps/custom.xml"/>'
        + rels[fin:]
    )
    tipos[parte] = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
