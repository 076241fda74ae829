"""A strict reading of a macro workbook's VBA project, independent of our writer.

``problemas(ruta)`` lists everything Excel could object to: the compound file (olefile with
its strictest defect level), the ``dir`` stream read record by record in the exact order of
MS-OVBA §2.3.4.2 (every reference parsed, every Unicode twin equal to its MBCS record), the
PROJECT and PROJECTwm streams agreeing with ``dir``, every module stream decompressing (with
oletools, from its text offset) to source that names its module, module names valid VBA
identifiers, not keywords and unique case-insensitively (also against the project and the
referenced libraries), and the workbook's codeNames and document modules one to one.
``revisar(ruta)`` fails a test with that list. The parsing here is written again on purpose:
it must not share a bug with ``xl_metas.vba``.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

import olefile
from oletools.olevba import VBA_Parser, decompress_stream

from xl_metas.vba.nombres import RESERVADAS

VBA_PART = "xl/vbaProject.bin"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_TIPO_VBA = "application/vnd.ms-office.vbaProject"
_IDENTIFICADOR = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_LIBID = re.compile(r"^\*\\[GHCR]")
_HEX = re.compile(r'^"[0-9A-F]+"$')


class _Malo(Exception):
    """The dir stream breaks the specification; the message says where."""


@dataclass
class ModuloDir:
    nombre: str
    flujo: str
    desplazamiento: int
    procedimental: bool


@dataclass
class Dir:
    codificacion: str
    proyecto: str
    referencias: list[str] = field(default_factory=list)
    modulos: list[ModuloDir] = field(default_factory=list)


class _Lector:
    """Records of a decompressed dir stream, read strictly in order."""

    def __init__(self, datos: bytes) -> None:
        self.datos = datos
        self.pos = 0

    def mirar(self) -> int | None:
        if self.pos + 2 > len(self.datos):
            return None
        return int(struct.unpack_from("<H", self.datos, self.pos)[0])

    def registro(self, rid: int, tamano: int | None = None) -> bytes:
        if self.pos + 6 > len(self.datos):
            raise _Malo(f"dir: falta el registro 0x{rid:04X} al final")
        got, size = struct.unpack_from("<HI", self.datos, self.pos)
        if got != rid:
            raise _Malo(f"dir: se esperaba 0x{rid:04X} y hay 0x{got:04X} en el byte {self.pos}")
        if rid == 0x0009:  # PROJECTVERSION: Reserved (4) is 4, then 6 bytes
            if size != 4:
                raise _Malo("dir: PROJECTVERSION.Reserved no es 4")
            size = 6
        if tamano is not None and size != tamano:
            raise _Malo(f"dir: 0x{rid:04X} mide {size}, debe medir {tamano}")
        inicio = self.pos + 6
        if inicio + size > len(self.datos):
            raise _Malo(f"dir: 0x{rid:04X} se sale del flujo")
        self.pos = inicio + size
        return self.datos[inicio : inicio + size]

    def texto(self, rid: int, unicode_id: int, cod: str, maximo: int | None = None) -> str:
        mbcs = self.registro(rid)
        if maximo is not None and len(mbcs) > maximo:
            raise _Malo(f"dir: 0x{rid:04X} excede {maximo} bytes")
        uni = self.registro(unicode_id)
        if len(uni) % 2:
            raise _Malo(f"dir: 0x{unicode_id:04X} tiene un número impar de bytes")
        texto = mbcs.decode(cod)
        if uni.decode("utf-16-le") != texto:
            raise _Malo(f"dir: 0x{rid:04X} y 0x{unicode_id:04X} no dicen lo mismo")
        return texto


def _libid(datos: bytes, cod: str, donde: str) -> tuple[str, bytes]:
    if len(datos) < 4:
        raise _Malo(f"{donde}: sin tamaño de libid")
    (n,) = struct.unpack_from("<I", datos)
    if 4 + n > len(datos):
        raise _Malo(f"{donde}: el libid se sale del registro")
    libid = datos[4 : 4 + n].decode(cod)
    if not _LIBID.match(libid):
        raise _Malo(f"{donde}: libid inválido {libid!r}")
    return libid, datos[4 + n :]


def _referencia_control(lector: _Lector, cod: str) -> None:
    cuerpo = lector.registro(0x002F)
    _, resto = _libid(cuerpo, cod, "REFERENCECONTROL")
    if resto != b"\x00" * 6:
        raise _Malo("REFERENCECONTROL: reservados distintos de cero")
    if lector.mirar() == 0x0016:
        lector.texto(0x0016, 0x003E, cod)
    extendido = lector.registro(0x0030)
    _, resto = _libid(extendido, cod, "REFERENCECONTROL extendido")
    if len(resto) != 4 + 2 + 16 + 4:
        raise _Malo("REFERENCECONTROL extendido: tamaño incorrecto")


def leer_dir(datos: bytes) -> Dir:
    """The dir stream (decompressed), strictly per MS-OVBA §2.3.4.2."""
    lector = _Lector(datos)
    lector.registro(0x0001, 4)
    if lector.mirar() == 0x004A:
        lector.registro(0x004A, 4)
    lector.registro(0x0002, 4)
    lector.registro(0x0014, 4)
    (pagina,) = struct.unpack("<H", lector.registro(0x0003, 2))
    try:
        cod = codecs.lookup(f"cp{pagina}").name
    except LookupError as exc:
        raise _Malo(f"dir: página de códigos desconocida {pagina}") from exc
    nombre = lector.registro(0x0004).decode(cod)
    if not 1 <= len(nombre) <= 128:
        raise _Malo("dir: PROJECTNAME vacío o largo")
    lector.texto(0x0005, 0x0040, cod, 2000)
    ayuda1 = lector.registro(0x0006)
    ayuda2 = lector.registro(0x003D)
    if ayuda1 != ayuda2:
        raise _Malo("dir: PROJECTHELPFILEPATH con dos rutas distintas")
    lector.registro(0x0007, 4)
    lector.registro(0x0008, 4)
    lector.registro(0x0009)
    lector.texto(0x000C, 0x003C, cod, 1015)
    proyecto = Dir(cod, nombre)
    while lector.mirar() in (0x0016, 0x002F, 0x0033, 0x000D, 0x000E):
        if lector.mirar() == 0x0016:
            proyecto.referencias.append(lector.texto(0x0016, 0x003E, cod))
        rid = lector.mirar()
        if rid == 0x0033:
            lector.registro(0x0033)
            _referencia_control(lector, cod)
        elif rid == 0x002F:
            _referencia_control(lector, cod)
        elif rid == 0x000D:
            _, resto = _libid(lector.registro(0x000D), cod, "REFERENCEREGISTERED")
            if resto != b"\x00" * 6:
                raise _Malo("REFERENCEREGISTERED: reservados distintos de cero")
        elif rid == 0x000E:
            cuerpo = lector.registro(0x000E)
            _, resto = _libid(cuerpo, cod, "REFERENCEPROJECT (absoluto)")
            _, resto = _libid(resto, cod, "REFERENCEPROJECT (relativo)")
            if len(resto) != 6:
                raise _Malo("REFERENCEPROJECT: versión de tamaño incorrecto")
        else:
            raise _Malo(f"dir: un REFERENCENAME sin referencia (sigue 0x{rid or 0:04X})")
    (cuantos,) = struct.unpack("<H", lector.registro(0x000F, 2))
    lector.registro(0x0013, 2)
    for _ in range(cuantos):
        nombre_mod = lector.registro(0x0019).decode(cod)
        unicode = lector.registro(0x0047) if lector.mirar() == 0x0047 else None
        if unicode is not None and unicode.decode("utf-16-le") != nombre_mod:
            raise _Malo(f"dir: MODULENAMEUNICODE distinto de {nombre_mod!r}")
        flujo = lector.texto(0x001A, 0x0032, cod)
        lector.texto(0x001C, 0x0048, cod)
        (desplazamiento,) = struct.unpack("<I", lector.registro(0x0031, 4))
        lector.registro(0x001E, 4)
        lector.registro(0x002C, 2)
        tipo = lector.mirar()
        if tipo not in (0x0021, 0x0022):
            raise _Malo(f"dir: módulo {nombre_mod!r} sin MODULETYPE")
        lector.registro(tipo, 0)
        if lector.mirar() == 0x0025:
            lector.registro(0x0025, 0)
        if lector.mirar() == 0x0028:
            lector.registro(0x0028, 0)
        lector.registro(0x002B, 0)
        proyecto.modulos.append(ModuloDir(nombre_mod, flujo, desplazamiento, tipo == 0x0021))
    lector.registro(0x0010, 0)
    if lector.pos != len(datos):
        raise _Malo(f"dir: {len(datos) - lector.pos} bytes después del terminador")
    return proyecto


# -- the package side: which codeNames the workbook's sheets carry --------------------------
def _parte(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else normpath(join(base, target))


def code_names(z: zipfile.ZipFile) -> tuple[str | None, dict[str, str | None]]:
    """(workbook codeName, {sheet name: codeName}) of every sheet of any kind."""
    raiz = ElementTree.fromstring(z.read("_rels/.rels"))
    libro = next(
        r.get("Target", "")
        for r in raiz.iter(f"{_NS_PKG}Relationship")
        if r.get("Type", "").endswith("/officeDocument")
    ).lstrip("/")
    rels = join(dirname(libro), "_rels", libro.rsplit("/", 1)[-1] + ".rels")
    destinos = {
        r.get("Id"): _parte(dirname(libro), r.get("Target", ""))
        for r in ElementTree.fromstring(z.read(rels)).iter(f"{_NS_PKG}Relationship")
    }
    wb = ElementTree.fromstring(z.read(libro))
    pr = wb.find(f"{_NS_MAIN}workbookPr")
    propio = pr.get("codeName") if pr is not None else None
    hojas: dict[str, str | None] = {}
    for hoja in wb.iter(f"{_NS_MAIN}sheet"):
        parte = destinos[hoja.get(f"{_NS_REL}id")]
        xml = ElementTree.fromstring(z.read(parte))
        spr = xml.find(f"{_NS_MAIN}sheetPr")
        hojas[hoja.get("name", "")] = spr.get("codeName") if spr is not None else None
    return propio, hojas


# -- the checks -----------------------------------------------------------------------------
def _nombre_valido(nombre: str, que: str) -> Iterator[str]:
    if not _IDENTIFICADOR.match(nombre):
        yield f"{que} {nombre!r} no es un identificador VBA (letra, ASCII, ≤ 31)"
    if nombre.casefold() in RESERVADAS:
        yield f"{que} {nombre!r} es una palabra reservada de VBA"


def _project_stream(texto: str) -> tuple[dict[str, str], list[str], list[str], list[str]]:
    """({module: kind}, workspace names, other problems, property keys) of a PROJECT stream."""
    kinds: dict[str, str] = {}
    espacio: list[str] = []
    malos: list[str] = []
    claves: list[str] = []
    seccion = ""
    lineas = texto.split("\r\n")
    if not lineas or not re.match(r'^ID="\{[0-9A-Fa-f-]{36}\}"$', lineas[0]):
        malos.append('PROJECT: la primera línea no es ID="{GUID}"')
    for linea in lineas[1:]:
        if linea.startswith("["):
            seccion = linea
            continue
        if not linea:
            continue
        clave, igual, valor = linea.partition("=")
        if not igual:
            malos.append(f"PROJECT: línea sin «=»: {linea!r}")
            continue
        if seccion == "[Workspace]":
            espacio.append(clave)
        elif seccion == "":
            claves.append(clave)
            if clave in ("Module", "Class", "BaseClass"):
                nombre = valor
            elif clave == "Document":
                nombre, barra, version = valor.partition("/")
                if not barra or not re.match(r"^&H[0-9A-F]{8}$", version):
                    malos.append(f"PROJECT: {linea!r} sin /&Hxxxxxxxx")
            else:
                if clave in ("CMG", "DPB", "GC") and not _HEX.match(valor):
                    malos.append(f"PROJECT: {clave} no es hexadecimal")
                continue
            if nombre.casefold() in {k.casefold() for k in kinds}:
                malos.append(f"PROJECT: {nombre!r} aparece dos veces")
            kinds[nombre] = clave
    for requerida in ("Name", "CMG", "DPB", "GC"):
        if requerida not in claves:
            malos.append(f"PROJECT: falta {requerida}")
    return kinds, espacio, malos, claves


def _projectwm(datos: bytes, cod: str) -> list[str] | None:
    """Module names of a PROJECTwm stream, or None when it does not parse."""
    nombres: list[str] = []
    pos = 0
    while True:
        if datos[pos : pos + 2] == b"\x00\x00" and pos + 2 == len(datos):
            return nombres
        fin = datos.find(b"\x00", pos)
        if fin < 0:
            return None
        mbcs = datos[pos:fin].decode(cod)
        pos = fin + 1
        fin = pos
        while fin + 1 < len(datos) and datos[fin : fin + 2] != b"\x00\x00":
            fin += 2
        if datos[pos:fin].decode("utf-16-le") != mbcs:
            return None
        nombres.append(mbcs)
        pos = fin + 2


def problemas_vba(
    vba: bytes, libro: str | None = None, hojas: dict[str, str | None] | None = None
) -> list[str]:
    """Everything wrong with ``vbaProject.bin``; with the codeNames, the 1:1 check too."""
    malos: list[str] = []
    try:
        ole = olefile.OleFileIO(io.BytesIO(vba), raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as exc:  # olefile raises several types
        return [f"el archivo compuesto no abre estrictamente: {exc}"]
    try:
        entradas = ["/".join(e) for e in ole.listdir(streams=True, storages=True)]
        if len({e.upper() for e in entradas}) != len(entradas):
            malos.append("entradas repetidas en el archivo compuesto")
        for requerido in ("PROJECT", "VBA/_VBA_PROJECT", "VBA/dir"):
            if not ole.exists(requerido):
                malos.append(f"falta el flujo {requerido}")
        if malos:
            return malos
        cabeza = ole.openstream("VBA/_VBA_PROJECT").read()
        if len(cabeza) < 7 or cabeza[:2] != b"\xcc\x61":
            malos.append("_VBA_PROJECT no empieza con CC 61")
        try:
            proyecto = leer_dir(
                bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
            )
        except (_Malo, UnicodeDecodeError) as exc:
            return malos + [str(exc)]
        except Exception as exc:
            return malos + [f"dir no se descomprime: {exc}"]
        cod = proyecto.codificacion
        vistos: dict[str, str] = {}
        tomados = {proyecto.proyecto.casefold(), *(r.casefold() for r in proyecto.referencias)}
        for modulo in proyecto.modulos:
            malos += _nombre_valido(modulo.nombre, "el módulo")
            clave = modulo.nombre.casefold()
            if clave in vistos:
                malos.append(f"módulos {vistos[clave]!r} y {modulo.nombre!r}: mismo nombre")
            vistos[clave] = modulo.nombre
            if clave in tomados:
                malos.append(
                    f"el módulo {modulo.nombre!r} se llama como el proyecto o una referencia"
                )
            ruta = f"VBA/{modulo.flujo}"
            if not ole.exists(ruta):
                malos.append(f"falta el flujo del módulo {modulo.nombre!r}")
                continue
            crudo = ole.openstream(ruta).read()
            if modulo.desplazamiento > len(crudo):
                malos.append(f"{modulo.nombre!r}: su texto empieza fuera del flujo")
                continue
            try:
                fuente = bytes(decompress_stream(bytearray(crudo[modulo.desplazamiento :])))
                texto = fuente.decode(cod)
            except Exception as exc:
                malos.append(f"{modulo.nombre!r}: el código no se descomprime ({exc})")
                continue
            primera = (texto.splitlines() or [""])[0]
            if primera != f'Attribute VB_Name = "{modulo.nombre}"':
                malos.append(f"{modulo.nombre!r}: empieza con {primera[:60]!r}")
        proyecto_txt = ole.openstream("PROJECT").read().decode(cod)
        kinds, espacio, otros, _ = _project_stream(proyecto_txt)
        malos += otros
        por_nombre = {k.casefold(): (k, v) for k, v in kinds.items()}
        for modulo in proyecto.modulos:
            linea = por_nombre.pop(modulo.nombre.casefold(), None)
            if linea is None:
                malos.append(f"PROJECT no nombra el módulo {modulo.nombre!r}")
            elif (linea[1] == "Module") != modulo.procedimental:
                malos.append(f"{modulo.nombre!r}: PROJECT y dir no coinciden en el tipo")
            elif linea[1] == "BaseClass" and not ole.exists(modulo.nombre):
                malos.append(f"el diseñador {modulo.nombre!r} no tiene su almacenamiento")
        malos += [f"PROJECT nombra {k!r}, que no está en dir" for k, _ in por_nombre.values()]
        malos += [
            f"[Workspace] nombra {n!r}, que no está" for n in espacio if n.casefold() not in vistos
        ]
        if ole.exists("PROJECTwm"):
            wm = _projectwm(ole.openstream("PROJECTwm").read(), cod)
            if wm is None:
                malos.append("PROJECTwm no se puede leer")
            elif sorted(n.casefold() for n in wm) != sorted(vistos):
                malos.append(f"PROJECTwm nombra {sorted(wm)}, dir {sorted(vistos.values())}")
    finally:
        ole.close()
    parser = VBA_Parser("vbaProject.bin", data=vba)
    try:
        leidos = {p.split("/")[-1].casefold() for _, p, _, _ in parser.extract_macros()}
        flujos = {m.flujo.casefold() for m in proyecto.modulos}
        if leidos != flujos:
            malos.append(f"oletools lee {sorted(leidos)}, dir dice {sorted(flujos)}")
    finally:
        parser.close()
    if hojas is not None:
        malos += _uno_a_uno(kinds, libro, hojas)
    return malos


def _uno_a_uno(kinds: dict[str, str], libro: str | None, hojas: dict[str, str | None]) -> list[str]:
    malos: list[str] = []
    documentos = {k.casefold(): k for k, v in kinds.items() if v == "Document"}
    nombres = [("el libro", libro)] + [(f"la hoja «{h}»", c) for h, c in hojas.items()]
    vistos: dict[str, str] = {}
    for quien, codigo in nombres:
        if codigo is None:
            if quien == "el libro" and documentos:
                malos.append("el libro no tiene codeName y el proyecto tiene módulos de documento")
            continue
        malos += _nombre_valido(codigo, f"el codeName de {quien}")
        if codigo.casefold() in vistos:
            malos.append(f"{quien} y {vistos[codigo.casefold()]} comparten el codeName {codigo!r}")
        vistos[codigo.casefold()] = quien
        if codigo.casefold() not in documentos:
            otro = next((k for k in kinds if k.casefold() == codigo.casefold()), None)
            malos.append(
                f"el codeName {codigo!r} de {quien} choca con el módulo {otro!r}"
                if otro
                else f"el codeName {codigo!r} de {quien} no tiene módulo de documento"
            )
    for clave, nombre in documentos.items():
        if clave not in vistos:
            malos.append(f"el módulo de documento {nombre!r} no es de ninguna hoja")
    return malos


def _contenido_vba(z: zipfile.ZipFile) -> list[str]:
    malos = []
    tipos = ElementTree.fromstring(z.read("[Content_Types].xml"))
    declarado = any(
        e.get("ContentType") == _TIPO_VBA
        and (e.get("PartName") == "/" + VBA_PART or e.get("Extension") == "bin")
        for e in tipos
    )
    if not declarado:
        malos.append("[Content_Types].xml no declara vbaProject.bin")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    if "vbaProject.bin" not in rels:
        malos.append("el libro no enlaza vbaProject.bin")
    return malos


def tiene_vba(ruta: Path) -> bool:
    try:
        with zipfile.ZipFile(ruta) as z:
            return VBA_PART in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


_VISTOS: dict[tuple[bytes, str | None, tuple[tuple[str, str | None], ...]], list[str]] = {}


def problemas(ruta: Path) -> list[str]:
    """Everything wrong with the VBA project of the macro workbook at ``ruta``.

    A project already read with the same codeNames is not read again: most saves in the
    tests keep the project they found."""
    with zipfile.ZipFile(ruta) as z:
        if VBA_PART not in z.namelist():
            return [f"«{ruta.name}» no tiene {VBA_PART}"]
        libro, hojas = code_names(z)
        vba = z.read(VBA_PART)
        clave = (hashlib.sha256(vba).digest(), libro, tuple(hojas.items()))
        if clave not in _VISTOS:
            _VISTOS[clave] = problemas_vba(vba, libro, hojas)
        return _contenido_vba(z) + _VISTOS[clave]


def revisar(ruta: Path) -> None:
    """Fail (AssertionError) listing every problem of the workbook's VBA project."""
    malos = problemas(Path(ruta))
    assert not malos, f"«{Path(ruta).name}»:\n  " + "\n  ".join(malos)
