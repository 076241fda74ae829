"""The xlwings Lite parts of a workbook package: written, found, updated.

xlwings Lite is an Office add-in (AppSource asset ``WA200008175``). A workbook carries an
add-in as two package parts, as Excel writes them and Microsoft documents them
("Automatically open a task pane with a document", Office Add-ins docs; [MS-OWEXML]):

* ``xl/webextensions/webextension1.xml`` (content type
  ``application/vnd.ms-office.webextension+xml``): the add-in's store reference
  (``storeType="OMEX"``) and its property bag. Office.js document settings are these
  properties, each value JSON text; xlwings Lite keeps its code there: ``main.py`` and
  ``requirements.txt`` (a JSON string each), beside its own settings
  (``xlwingsSettingsWorkbook``, and ``xlwingsWorkbookId``, ``pyodideVersion``,
  ``addinVersion``, which the add-in writes itself when it saves the workbook).
* ``xl/webextensions/taskpanes.xml`` (``…webextensiontaskpanes+xml``): the task pane
  (dock, width, ``visibility``), pointing to the add-in through
  ``xl/webextensions/_rels/taskpanes.xml.rels`` (type ``…/2011/relationships/
  webextension``); the package relationship ``_rels/.rels`` points to it (type
  ``…/2011/relationships/webextensiontaskpanes``).

``visibility="1"`` with ``Office.AutoShowTaskpaneWithDocument`` is Microsoft's way to
distribute an add-in with a document: opening the workbook offers to install xlwings
Lite and then opens its task pane.

Written by hand: no library edits web-extension parts (openpyxl drops them).
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from posixpath import basename, dirname, join, normpath
from xml.sax.saxutils import escape, unescape

from ..sheet_patch import _copiar_zip

ID_TIENDA = "WA200008175"  # xlwings Lite in AppSource
NS_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
NS_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
TASKPANES = "xl/webextensions/taskpanes.xml"
CARPETA = "xl/webextensions"

# Our instance of the add-in: a fixed id, so the same sources give the same bytes.
ID_EXTENSION = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "xl-metas/xlwings-lite")).upper() + "}"
# The workbook settings Lite shows under Settings > Workbook: start with the task pane.
AJUSTES_LIBRO = {"startupBehavior": "taskpane"}
ANCHO_PANEL = 420

_XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_REL = re.compile(rb"<Relationship\b[^>]*?/>", re.S)
_ATTR = re.compile(rb'\s([\w:]+)="([^"]*)"')
_REFERENCIA = re.compile(rb"<we:reference\b[^>]*?\sid=\"([^\"]*)\"", re.S)
_PROPIEDAD = re.compile(rb"<we:property\b[^>]*?/>", re.S)


@dataclass
class Lite:
    """The xlwings Lite extension found in a package."""

    parte: str  # "xl/webextensions/webextension1.xml"
    propiedades: dict[str, str] = field(default_factory=dict)  # name -> JSON text

    def texto(self, nombre: str) -> str | None:
        """A property holding a JSON string (``main.py``, ``requirements.txt``), decoded."""
        valor = self.propiedades.get(nombre)
        if valor is None:
            return None
        texto = json.loads(valor)
        return texto if isinstance(texto, str) else None


# -- the parts ---------------------------------------------------------------------------
def _propiedad(nombre: str, valor_json: str) -> bytes:
    return f"<we:property name={_atributo(nombre)} value={_atributo(valor_json)}/>".encode()


def _atributo(texto: str) -> str:
    return '"' + escape(texto, {'"': "&quot;"}) + '"'


def _json(texto: str) -> str:
    return json.dumps(texto, ensure_ascii=False)


def webextension_xml(main_py: str, requirements: str) -> bytes:
    """The add-in part: store reference, task pane opened with the workbook, our code."""
    propiedades = b"".join(
        [
            _propiedad("Office.AutoShowTaskpaneWithDocument", "true"),
            _propiedad("main.py", _json(main_py)),
            _propiedad("requirements.txt", _json(requirements)),
            _propiedad(
                "xlwingsSettingsWorkbook",
                json.dumps(AJUSTES_LIBRO, separators=(",", ":"), sort_keys=True),
            ),
        ]
    )
    return (
        _XML
        + f'<we:webextension xmlns:we="{NS_WE}" id="{ID_EXTENSION}">'.encode()
        + f'<we:reference id="{ID_TIENDA.lower()}" version="1.0.0.0" store="en-US"'
        ' storeType="OMEX"/>'.encode()
        + b"<we:alternateReferences>"
        + f'<we:reference id="{ID_TIENDA}" version="1.0.0.0" store="{ID_TIENDA}"'
        ' storeType="OMEX"/>'.encode()
        + b"</we:alternateReferences>"
        + b"<we:properties>"
        + propiedades
        + b"</we:properties><we:bindings/>"
        + f'<we:snapshot xmlns:r="{NS_R}"/></we:webextension>'.encode()
    )


def _panel(rid: str, fila: int) -> bytes:
    return (
        f'<wetp:taskpane dockstate="right" visibility="1" width="{ANCHO_PANEL}" row="{fila}">'
        f'<wetp:webextensionref xmlns:r="{NS_R}" r:id="{rid}"/></wetp:taskpane>'
    ).encode()


def taskpanes_xml() -> bytes:
    return (
        _XML
        + f'<wetp:taskpanes xmlns:wetp="{NS_WETP}">'.encode()
        + _panel("rId1", 0)
        + (b"</wetp:taskpanes>")
    )


def _relacion(rid: str, tipo: str, destino: str) -> bytes:
    return f'<Relationship Id="{rid}" Type="{tipo}" Target="{destino}"/>'.encode()


def _rels(*relaciones: bytes) -> bytes:
    return (
        _XML
        + f'<Relationships xmlns="{NS_PKG}">'.encode()
        + b"".join(relaciones)
        + (b"</Relationships>")
    )


def _override(parte: str, tipo: str) -> bytes:
    return f'<Override PartName="/{parte}" ContentType="{tipo}"/>'.encode()


# -- finding them -----------------------------------------------------------------------
def _rels_de(parte: str) -> str:
    return join(dirname(parte), "_rels", basename(parte) + ".rels")


def _relaciones(xml: bytes) -> list[dict[bytes, bytes]]:
    return [dict(_ATTR.findall(r)) for r in _REL.findall(xml)]


def _destino(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else normpath(join(dirname(base), target))


def _panel_de(z: zipfile.ZipFile) -> str | None:
    """The task-pane part the package relationships point to, if any."""
    for rel in _relaciones(z.read("_rels/.rels")):
        if rel.get(b"Type", b"").decode() == REL_TASKPANES:
            parte = _destino("", unescape(rel.get(b"Target", b"").decode()))
            return parte if parte in z.namelist() else None
    return None


def _extensiones(z: zipfile.ZipFile, panel: str) -> dict[str, str]:
    """The add-in parts of a task-pane part: relationship id -> part."""
    rels = _rels_de(panel)
    if rels not in z.namelist():
        return {}
    return {
        r.get(b"Id", b"").decode(): _destino(panel, unescape(r.get(b"Target", b"").decode()))
        for r in _relaciones(z.read(rels))
        if r.get(b"Type", b"").decode() == REL_WEBEXTENSION
    }


def _es_lite(xml: bytes) -> bool:
    ref = _REFERENCIA.search(xml)
    return ref is not None and ref.group(1).decode().upper() == ID_TIENDA


def _propiedades(xml: bytes) -> dict[str, str]:
    out = {}
    for elemento in _PROPIEDAD.findall(xml):
        attrs = dict(_ATTR.findall(elemento))
        nombre = unescape(attrs.get(b"name", b"").decode(), {"&quot;": '"'})
        out[nombre] = unescape(attrs.get(b"value", b"").decode(), {"&quot;": '"', "&apos;": "'"})
    return out


def leer_lite(xlsx: bytes) -> Lite | None:
    """The xlwings Lite extension of a workbook package, None when it has none."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        panel = _panel_de(z)
        if panel is None:
            return None
        for parte in _extensiones(z, panel).values():
            if parte in z.namelist() and _es_lite(xml := z.read(parte)):
                return Lite(parte, _propiedades(xml))
    return None


# -- adding or updating them -------------------------------------------------------------
def _con_propiedades(xml: bytes, nuevas: dict[str, str]) -> bytes:
    """The add-in part with these properties set (in place when present, else appended);
    every other property and attribute stays as it is."""
    pendientes = dict(nuevas)

    def poner(m: re.Match[bytes]) -> bytes:
        nombre = unescape(dict(_ATTR.findall(m.group(0))).get(b"name", b"").decode())
        if nombre in pendientes:
            return _propiedad(nombre, pendientes.pop(nombre))
        return m.group(0)

    xml = _PROPIEDAD.sub(poner, xml)
    if not pendientes:
        return xml
    extra = b"".join(_propiedad(n, v) for n, v in pendientes.items())
    if b"</we:properties>" in xml:
        return xml.replace(b"</we:properties>", extra + b"</we:properties>", 1)
    if b"<we:properties/>" in xml:
        return xml.replace(b"<we:properties/>", b"<we:properties>" + extra + b"</we:properties>")
    cierre = xml.index(b"<we:reference")
    fin = xml.index(b">", cierre) + 1
    return xml[:fin] + b"<we:properties>" + extra + b"</we:properties>" + xml[fin:]


def _libre(usados: set[str], prefijo: str = "rId") -> str:
    n = 1
    while f"{prefijo}{n}" in usados:
        n += 1
    return f"{prefijo}{n}"


def _con_override(tipos: bytes, parte: str, tipo: str) -> bytes:
    if f'PartName="/{parte}"'.encode() in tipos:
        return tipos
    return tipos.replace(b"</Types>", _override(parte, tipo) + b"</Types>", 1)


def con_lite(xlsx: bytes, main_py: str, requirements: str) -> bytes:
    """The workbook package with our xlwings Lite code: the parts added when it has none;
    when it has Lite already, only the ``main.py`` and ``requirements.txt`` properties
    change (the add-in's own settings stay); another add-in's parts are kept and ours
    added beside them. Every other part keeps its bytes. Same input, same bytes."""
    codigo = {"main.py": _json(main_py), "requirements.txt": _json(requirements)}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        nombres = set(z.namelist())
        panel = _panel_de(z)
        nuevos: dict[str, bytes] = {}
        if panel is not None:
            extensiones = _extensiones(z, panel)
            for parte in extensiones.values():
                if parte in nombres and _es_lite(xml := z.read(parte)):
                    nuevos[parte] = _con_propiedades(xml, codigo)
                    break
            else:  # another add-in's task pane: ours goes beside it
                n = 1
                while join(CARPETA, f"webextension{n}.xml") in nombres:
                    n += 1
                parte = join(CARPETA, f"webextension{n}.xml")
                rid = _libre(set(extensiones))
                rels = _rels_de(panel)
                relacion = _relacion(rid, REL_WEBEXTENSION, _relativa(panel, parte))
                nuevos[rels] = (
                    z.read(rels).replace(b"</Relationships>", relacion + b"</Relationships>", 1)
                    if rels in nombres
                    else _rels(relacion)
                )
                paneles = z.read(panel)
                fila = paneles.count(b"<wetp:taskpane ")
                nuevos[panel] = paneles.replace(
                    b"</wetp:taskpanes>", _panel(rid, fila) + b"</wetp:taskpanes>", 1
                )
                nuevos[parte] = webextension_xml(main_py, requirements)
                nuevos["[Content_Types].xml"] = _con_override(
                    z.read("[Content_Types].xml"), parte, CT_WEBEXTENSION
                )
        else:
            parte = join(CARPETA, "webextension1.xml")
            raiz = z.read("_rels/.rels")
            rid = _libre({r.get(b"Id", b"").decode() for r in _relaciones(raiz)})
            nuevos["_rels/.rels"] = raiz.replace(
                b"</Relationships>", _relacion(rid, REL_TASKPANES, TASKPANES) + b"</Relationships>"
            )
            tipos = z.read("[Content_Types].xml")
            tipos = _con_override(tipos, TASKPANES, CT_TASKPANES)
            nuevos["[Content_Types].xml"] = _con_override(tipos, parte, CT_WEBEXTENSION)
            nuevos[TASKPANES] = taskpanes_xml()
            nuevos[_rels_de(TASKPANES)] = _rels(
                _relacion("rId1", REL_WEBEXTENSION, basename(parte))
            )
            nuevos[parte] = webextension_xml(main_py, requirements)
        cambiados = {n: d for n, d in nuevos.items() if n not in nombres or z.read(n) != d}
        if not cambiados:
            return xlsx
        return _copiar_zip(xlsx, z, cambiados)


def _relativa(desde: str, hacia: str) -> str:
    """``hacia`` relative to the folder of ``desde`` (both package parts)."""
    base = dirname(desde).split("/")
    destino = hacia.split("/")
    comun = 0
    while comun < min(len(base), len(destino) - 1) and base[comun] == destino[comun]:
        comun += 1
    return "/".join([".."] * (len(base) - comun) + destino[comun:])
