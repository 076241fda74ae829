"""Version care for the workbook's VBA: update xlwings' module, and diagnose a setup.

A mismatch between the xlwings VBA module inside a workbook and the installed xlwings
package is the most common failure xlwings users report; `actualizar_vba` puts the
installed module into the workbook's own `vbaProject.bin`, editing it in place
(`vba.edicion`): references, UserForms and other designers, project protection and every
other module stay as they were. On the way it makes sheets and document modules one to
one (`vba.documentos`), repairing what an earlier version left: a missing module, a
codeName that collides with a module (renamed in the sheet's XML too).
"""

from __future__ import annotations

import platform
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import dirname, join, normpath
from typing import BinaryIO
from xml.etree import ElementTree

from . import __version__, guardado
from .errors import LecturaError
from .sheet_patch import reemplazar_partes
from .vba import documentos, edicion
from .vba.project import Module, read_modules

VBA_PART = "xl/vbaProject.bin"
XLWINGS_MODULES = ("xlwings", "Dictionary")
_VERSION = re.compile(r'Public\s+Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]*)"', re.I)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CHART_SHEET = "/chartsheet"
_FIRMA = "xl/vbaProjectSignature"  # …Signature.bin, …SignatureAgile.bin, …SignatureV3.bin
_KIND = {
    "standard": "estándar",
    "class": "de clase",
    "document": "de hoja",
    "designer": "formulario",
}


def installed_xlwings_version() -> str:
    import xlwings

    return str(xlwings.__version__)


def vba_version(modules: list[Module]) -> str | None:
    """The `XLWINGS_VERSION` constant of the workbook's xlwings module, if it has one."""
    for module in modules:
        if module.kind == "standard":
            match = _VERSION.search(module.source)
            if match:
                return match.group(1)
    return None


def _version(proyecto: edicion.Proyecto) -> str | None:
    """``vba_version`` of a project being edited: its xlwings module first."""
    estandar = sorted(
        (m.nombre for m in proyecto.modulos if m.tipo == "standard"),
        key=lambda n: n.casefold() != "xlwings",
    )
    for nombre in estandar:
        match = _VERSION.search(proyecto.fuente(nombre))
        if match:
            return match.group(1)
    return None


def read_vba(libro: Path) -> bytes:
    """The workbook's `vbaProject.bin`; a Spanish error when there is none."""
    libro = Path(libro)
    try:
        with zipfile.ZipFile(libro) as z:
            if VBA_PART not in z.namelist():
                raise LecturaError(f"«{libro.name}» no tiene macros (no es un libro .xlsm).")
            return z.read(VBA_PART)
    except FileNotFoundError as exc:
        raise LecturaError(f"No encuentro el libro «{libro}».") from exc
    except OSError as exc:
        raise LecturaError(guardado.mensaje_error(exc, libro, leyendo=True)) from exc
    except zipfile.BadZipFile as exc:
        raise LecturaError(
            f"«{libro.name}» no es un libro de Excel válido o está dañado (no se puede abrir "
            "como .xlsm)."
        ) from exc


@dataclass(frozen=True)
class _Hoja:
    nombre: str
    parte: str
    codigo: str | None
    grafica: bool


def _parte(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else normpath(join(base, target))


def _hojas(z: zipfile.ZipFile) -> tuple[str, str | None, list[_Hoja]]:
    """(workbook part, its codeName, every sheet of any kind in workbook order)."""
    raiz = ElementTree.fromstring(z.read("_rels/.rels"))
    libro = next(
        _parte("", r.get("Target", ""))
        for r in raiz.iter(f"{_NS_PKG}Relationship")
        if r.get("Type", "").endswith("/officeDocument")
    )
    rels = join(dirname(libro), "_rels", libro.rsplit("/", 1)[-1] + ".rels")
    destinos = {
        r.get("Id"): (_parte(dirname(libro), r.get("Target", "")), r.get("Type", ""))
        for r in ElementTree.fromstring(z.read(rels)).iter(f"{_NS_PKG}Relationship")
    }
    wb = ElementTree.fromstring(z.read(libro))
    pr = wb.find(f"{_NS_MAIN}workbookPr")
    propio = pr.get("codeName") if pr is not None else None
    hojas = []
    for hoja in wb.iter(f"{_NS_MAIN}sheet"):
        parte, tipo = destinos.get(hoja.get(f"{_NS_REL}id"), ("", ""))
        if parte not in z.namelist():
            continue
        spr = ElementTree.fromstring(z.read(parte)).find(f"{_NS_MAIN}sheetPr")
        codigo = spr.get("codeName") if spr is not None else None
        hojas.append(_Hoja(hoja.get("name", ""), parte, codigo, tipo.endswith(_CHART_SHEET)))
    return libro, propio, hojas


def _con_code_name(xml: bytes, elemento: bytes, codigo: str) -> bytes:
    """``xml`` with the codeName of its ``sheetPr``/``workbookPr`` set to ``codigo``."""
    valor = codigo.encode("ascii")
    patron = re.compile(rb"(<(?:\w+:)?" + elemento + rb"\b[^>]*?\bcodeName=\")[^\"]*(\")")
    nuevo, n = patron.subn(lambda m: m.group(1) + valor + m.group(2), xml, count=1)
    if n:
        return nuevo
    etiqueta = re.compile(rb"<((?:\w+:)?)" + elemento + rb"\b")
    nuevo, n = etiqueta.subn(lambda m: m.group(0) + b' codeName="' + valor + b'"', xml, count=1)
    if n:
        return nuevo
    # No workbookPr at all: it follows fileVersion and fileSharing (CT_Workbook's order).
    for anterior in (rb"<(?:\w+:)?fileSharing\b[^>]*/>", rb"<(?:\w+:)?fileVersion\b[^>]*/>"):
        m = re.search(anterior, xml)
        if m:
            break
    else:
        m = re.search(rb"<(?:\w+:)?workbook\b[^>]*>", xml)
    if m is None:
        raise LecturaError("el libro no tiene el elemento <workbook>")
    prefijo = re.match(rb"<(\w+:)?", m.group(0)).group(1) or b""  # type: ignore[union-attr]
    pr = b"<" + prefijo + elemento + b' codeName="' + valor + b'"/>'
    return xml[: m.end()] + pr + xml[m.end() :]


@dataclass(frozen=True)
class Actualizacion:
    libro: Path
    version_anterior: str | None
    version_nueva: str
    modulos_agregados: list[str]
    cambiado: bool
    respaldo: Path | None
    modulos_quitados: list[str] = field(default_factory=list)
    codigos_cambiados: list[tuple[str, str, str]] = field(default_factory=list)  # hoja, de, a


def _rechazo(libro: Path, motivo: str) -> LecturaError:
    return LecturaError(f"«{libro.name}»: {motivo}; no se modificó.")


def _poner_xlwings(proyecto: edicion.Proyecto, libro: Path) -> list[str]:
    """Put the installed xlwings' modules into ``proyecto``; returns those added."""
    from .build import xlwings_modules

    if "xlwings" in {n.casefold() for n in [proyecto.nombre, *proyecto.referencias]}:
        raise _rechazo(
            libro,
            "usa el complemento de xlwings (su proyecto VBA tiene la referencia «xlwings») y "
            "un módulo xlwings a su lado chocaría con ella; actualice el complemento con "
            "«xlwings addin install», o quite la referencia en el editor de VBA "
            "(Herramientas → Referencias) y vuelva a ejecutar",
        )
    agregados = []
    for module in xlwings_modules():
        actual = proyecto.modulo(module.name)
        try:
            if actual is None:
                proyecto.agregar(module)
                agregados.append(module.name)
            elif actual.tipo != module.kind:
                raise _rechazo(
                    libro,
                    f"tiene un módulo {_KIND[actual.tipo]} «{actual.nombre}» que no es el de "
                    "xlwings; cámbiele el nombre en el editor de VBA y vuelva a ejecutar",
                )
            elif proyecto.fuente(module.name) != module.source:
                proyecto.reemplazar(module)
        except UnicodeEncodeError as exc:
            raise _rechazo(
                libro,
                f"su proyecto VBA usa la página de códigos {proyecto.codificacion}, en la que "
                "no cabe el módulo de xlwings",
            ) from exc
    return agregados


def actualizar_vba(libro: Path, respaldo: bool = True) -> Actualizacion:
    """Put the installed xlwings' VBA into `libro`, keeping everything else of its project.

    Refuses, with a Spanish reason and touching nothing, a project it cannot read, a signed
    one (the signature would no longer match), one that uses the xlwings add-in, or one
    whose module called xlwings or Dictionary is another kind of module. Running it twice
    changes nothing the second time. Keeps a `.bak` copy when it writes.
    Example: actualizar_vba(Path("Metas2011.xlsm"))
    """
    libro = Path(libro)
    try:
        leido: guardado.Leido | None = guardado.leer(libro)  # before anything is read
    except OSError:
        leido = None  # read_vba says what is wrong
    old_bin = read_vba(libro)
    datos = leido.datos if leido is not None else libro.read_bytes()
    try:
        proyecto = edicion.leer(old_bin)
        with zipfile.ZipFile(libro) as z:
            if any(n.startswith(_FIRMA) for n in z.namelist()):
                raise _rechazo(
                    libro,
                    "su proyecto VBA está firmado digitalmente y cambiarlo anularía la firma; "
                    "quite la firma en el editor de VBA (Herramientas → Firma digital), "
                    "vuelva a ejecutar y fírmelo de nuevo",
                )
            parte_libro, codigo_libro, hojas = _hojas(z)
            partes = {h.parte: z.read(h.parte) for h in hojas} | {parte_libro: z.read(parte_libro)}
    except edicion.ProyectoIlegible as exc:
        raise _rechazo(libro, f"no pude leer su proyecto VBA ({exc})") from exc
    except (KeyError, StopIteration, ElementTree.ParseError) as exc:
        raise _rechazo(libro, f"no pude leer sus hojas ({exc})") from exc
    anterior = _version(proyecto)
    ajuste = documentos.ajustar(
        proyecto, codigo_libro, [documentos.Hoja(h.nombre, h.codigo, h.grafica) for h in hojas]
    )
    agregados = [*ajuste.agregados, *_poner_xlwings(proyecto, libro)]
    nuevas: dict[str, bytes] = {}
    cambios: list[tuple[str, str, str]] = []
    if ajuste.libro is not None and ajuste.libro != codigo_libro:
        nuevas[parte_libro] = _con_code_name(partes[parte_libro], b"workbookPr", ajuste.libro)
        cambios.append(("", codigo_libro or "", ajuste.libro))
    for hoja, codigo in zip(hojas, ajuste.codigos, strict=True):
        if codigo is not None and codigo != hoja.codigo:
            nuevas[hoja.parte] = _con_code_name(partes[hoja.parte], b"sheetPr", codigo)
            cambios.append((hoja.nombre, hoja.codigo or "", codigo))
    new_bin = proyecto.guardar()
    cambiado = new_bin != old_bin or bool(nuevas)
    backup = None
    if cambiado:
        nuevas[VBA_PART] = new_bin
        contenido = reemplazar_partes(datos, nuevas)
        huella = leido.huella if leido is not None else None
        backup = guardado.escribir(libro, contenido, respaldo=respaldo, leido=huella).respaldo
    else:
        guardado.limpiar(libro)
    return Actualizacion(
        libro,
        anterior,
        installed_xlwings_version(),
        agregados,
        cambiado,
        backup,
        list(ajuste.quitados),
        cambios,
    )


def _replace_part(
    libro: Path,
    part: str,
    data: bytes,
    respaldo: bool = False,
    leido: guardado.Huella | None = None,
) -> guardado.Guardado:
    """Rewrite the zip with one part replaced, through ``guardado`` (atomic, checked)."""

    def reescribir(destino: BinaryIO) -> None:
        destino.write(reemplazar_partes(Path(libro).read_bytes(), {part: data}))

    return guardado.escribir(libro, reescribir, respaldo=respaldo, leido=leido)


@dataclass
class Diagnostico:
    version_paquete: str
    version_xlwings: str
    interprete: str
    python: str
    sistema: str
    libro: Path | None = None
    version_vba: str | None = None
    modulos: list[str] = field(default_factory=list)
    interprete_libro: str | None = None
    pendientes: list[str] = field(default_factory=list)

    @property
    def versiones_coinciden(self) -> bool | None:
        if self.libro is None:
            return None
        return self.version_vba == self.version_xlwings


def _xlwings_conf(libro: Path) -> dict[str, str]:
    """Key/value pairs of the hidden xlwings.conf sheet (keys upper-cased, as xlwings does)."""
    from openpyxl import load_workbook

    book = load_workbook(libro, read_only=True, data_only=True)
    try:
        if "xlwings.conf" not in book.sheetnames:
            return {}
        conf: dict[str, str] = {}
        for row in book["xlwings.conf"].iter_rows(min_col=1, max_col=2, values_only=True):
            key = row[0] if row else None
            if key is None or str(key).strip() == "":
                break
            value = row[1] if len(row) > 1 else None
            conf[str(key).upper()] = "" if value is None else str(value)
        return conf
    finally:
        book.close()


def diagnostico(libro: Path | None = None) -> Diagnostico:
    """What is installed here, what the workbook carries, and what a staff PC still needs.

    Example: diagnostico(Path("Metas2011.xlsm"))
    """
    diag = Diagnostico(
        version_paquete=__version__,
        version_xlwings=installed_xlwings_version(),
        interprete=sys.executable,
        python=platform.python_version(),
        sistema=f"{platform.system()} {platform.release()}".strip(),
    )
    pendientes = diag.pendientes
    if libro is not None:
        diag.libro = Path(libro)
        modules = read_modules(read_vba(diag.libro))
        diag.modulos = [m.name for m in modules]
        diag.version_vba = vba_version(modules)
        conf = _xlwings_conf(diag.libro)
        diag.interprete_libro = conf.get("INTERPRETER_WIN") or conf.get("INTERPRETER")
        if diag.version_vba is None:
            pendientes.append(
                "El libro no tiene el módulo VBA de xlwings: ejecute "
                f"«xl-metas actualizar-vba {diag.libro.name}»."
            )
        elif diag.version_vba != diag.version_xlwings:
            pendientes.append(
                f"El módulo VBA del libro es xlwings {diag.version_vba} y el paquete instalado "
                f"es {diag.version_xlwings}: ejecute «xl-metas actualizar-vba {diag.libro.name}»."
            )
        if "Metas" not in diag.modulos:
            pendientes.append("El libro no tiene el módulo «Metas» de los botones.")
    pendientes += [
        "Python 3.11 o posterior para Windows (python.org), instalado para el usuario.",
        "El paquete: «py -m pip install RUTA» con la carpeta de xl-metas o su archivo .whl "
        f"(instala xlwings=={diag.version_xlwings}).",
        "En la hoja oculta «xlwings.conf», «Interpreter_Win» debe apuntar a pythonw.exe"
        + (f" (ahora: {diag.interprete_libro})." if diag.interprete_libro else "."),
        "Si el libro llegó por correo: clic derecho → Propiedades → «Desbloquear», "
        "y al abrirlo, «Habilitar contenido» (macros).",
    ]
    return diag


__all__ = [
    "Actualizacion",
    "Diagnostico",
    "actualizar_vba",
    "diagnostico",
    "installed_xlwings_version",
    "read_vba",
    "vba_version",
]
