"""Version care for the workbook's VBA: update xlwings' module, and diagnose a setup.

A mismatch between the xlwings VBA module inside a workbook and the installed xlwings
package is the most common failure xlwings users report; `actualizar_vba` rebuilds the
workbook's `vbaProject.bin` with the installed module, keeping every other module.
"""

from __future__ import annotations

import platform
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import __version__, guardado
from .errors import LecturaError
from .vba.project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    build_project,
    document_module,
    read_modules,
)

VBA_PART = "xl/vbaProject.bin"
XLWINGS_MODULES = ("xlwings", "Dictionary")
_VERSION = re.compile(r'Public\s+Const\s+XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]*)"', re.I)
_CODE_NAME = re.compile(r'<(?:\w+:)?(?:sheetPr|workbookPr)\b[^>]*\bcodeName="([^"]+)"')


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


def _code_names(libro: Path) -> tuple[str | None, list[str]]:
    """(workbook codeName, sheet codeNames in part order) from the package XML."""
    with zipfile.ZipFile(libro) as z:
        names = z.namelist()

        def code_name(part: str) -> str | None:
            match = _CODE_NAME.search(z.read(part).decode("utf-8", "replace"))
            return match.group(1) if match else None

        book = code_name("xl/workbook.xml") if "xl/workbook.xml" in names else None
        sheets = sorted(
            (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        return book, [c for c in (code_name(s) for s in sheets) if c]


def updated_modules(current: list[Module], libro: Path) -> list[Module]:
    """Replace xlwings' modules with the installed ones; add missing document modules.

    Order: document modules, then the other modules as they were, then xlwings'.
    """
    from .build import xlwings_modules

    book_name, sheet_names = _code_names(libro)
    keep = [m for m in current if m.name not in XLWINGS_MODULES]
    have = {m.name.upper() for m in keep}
    docs = [m for m in keep if m.kind == "document"]
    if book_name and book_name.upper() not in have:
        docs.insert(0, document_module(book_name, WORKBOOK_BASE))
    docs += [document_module(n, WORKSHEET_BASE) for n in sheet_names if n.upper() not in have]
    others = [m for m in keep if m.kind != "document"]
    return docs + others + xlwings_modules()


def _replace_part(
    libro: Path,
    part: str,
    data: bytes,
    respaldo: bool = False,
    leido: guardado.Huella | None = None,
) -> guardado.Guardado:
    """Rewrite the zip with one part replaced, through ``guardado`` (atomic, checked)."""

    def reescribir(destino: BinaryIO) -> None:
        with zipfile.ZipFile(libro) as src, zipfile.ZipFile(destino, "w") as dst:
            for info in src.infolist():
                payload = data if info.filename == part else src.read(info.filename)
                dst.writestr(info, payload, compress_type=info.compress_type)

    return guardado.escribir(libro, reescribir, respaldo=respaldo, leido=leido)


@dataclass(frozen=True)
class Actualizacion:
    libro: Path
    version_anterior: str | None
    version_nueva: str
    modulos_agregados: list[str]
    cambiado: bool
    respaldo: Path | None


def actualizar_vba(libro: Path, respaldo: bool = True) -> Actualizacion:
    """Put the installed xlwings' VBA into `libro`, keeping our modules.

    Running it twice changes nothing the second time. Keeps a `.bak` copy when it writes.
    Example: actualizar_vba(Path("Metas2011.xlsm"))
    """
    libro = Path(libro)
    try:
        leido: guardado.Huella | None = guardado.leer(libro).huella  # before anything is read
    except OSError:
        leido = None  # read_vba says what is wrong
    old_bin = read_vba(libro)
    current = read_modules(old_bin)
    if not current:
        raise LecturaError(f"«{libro.name}»: no pude leer los módulos de sus macros.")
    modules = updated_modules(current, libro)
    new_bin = build_project(modules)
    before = {m.name for m in current}
    added = [m.name for m in modules if m.name not in before]
    changed = modules != current  # never rewrite a project that needs nothing
    backup = None
    if changed:
        backup = _replace_part(libro, VBA_PART, new_bin, respaldo, leido).respaldo
    else:
        guardado.limpiar(libro)
    return Actualizacion(
        libro, vba_version(current), installed_xlwings_version(), added, changed, backup
    )


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
