"""Adapter: the report sheet as a PDF file, through LibreOffice headless (command line).

The sheet goes alone into a temporary workbook (``archivos.crear``: its print set-up,
page breaks and chart as the workbook gets them), which ``soffice --convert-to pdf``
turns into a PDF with a private user profile (never the user's own LibreOffice
settings, and no clash with a LibreOffice already open), under a time limit, its whole
process group killed on timeout. The PDF is written through ``guardado`` (atomic, the
previous one kept as .bak) and only when its content changed: LibreOffice stamps every
conversion with its date and a random document id, which are set aside to compare.

The button exports with Excel's own PDF writer instead (``LibroXlwings.exportar_pdf``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from . import archivos, guardado
from .errors import EscrituraError
from .render import HojaGenerada

ESPERA_PDF = 180.0  # seconds LibreOffice may take to convert the report
_CANDIDATOS = (
    "soffice",
    "libreoffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
# What changes from one conversion of the same sheet to the next.
_VARIABLE = re.compile(
    rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)"
    rb"|/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]"
    rb"|/DocChecksum\s*/[0-9A-Fa-f]+"
)


def buscar_soffice() -> str | None:
    """LibreOffice's ``soffice`` (``XLMETAS_SOFFICE`` first), or None when not installed."""
    propio = os.environ.get("XLMETAS_SOFFICE")
    for candidato in ((propio,) if propio else ()) + _CANDIDATOS:
        encontrado = shutil.which(candidato) or (candidato if Path(candidato).is_file() else None)
        if encontrado:
            return encontrado
    return None


def mensaje_sin_libreoffice(hoja: str) -> str:
    return (
        "LibreOffice no está instalado (no se encontró el programa «soffice»): sin él no se "
        "puede crear el PDF desde la línea de comandos. Instálelo (https://es.libreoffice.org;"
        " en Debian o Ubuntu: sudo apt install libreoffice-calc-nogui) y vuelva a ejecutar el "
        f"comando; o ejecútelo con --sin-pdf, abra el libro en Excel, vaya a la hoja «{hoja}» "
        "y use Archivo › Guardar como › PDF (el botón «Informe trimestral» de Excel también "
        "lo exporta). No se escribió nada."
    )


def ruta_pdf(libro: Path, hoja: str, salida: Path | None = None) -> Path:
    """Where the PDF goes: ``salida``, or beside the workbook («Metas2011 - Informe T2.pdf»)."""
    if salida is not None:
        return Path(salida)
    libro = Path(libro)
    return libro.with_name(f"{libro.stem} - {hoja}.pdf")


def revisar_destino(ruta: Path) -> None:
    """Refuse, before anything is written, a PDF target that cannot be written."""
    ruta = Path(ruta)
    if ruta.is_dir():
        raise EscrituraError(f"«{ruta}» es una carpeta; no se escribió nada.")
    if ruta.suffix.lower() != ".pdf":
        raise EscrituraError(
            f"El informe en PDF debe tener la extensión .pdf («{ruta}»); no se escribió nada."
        )
    carpeta = guardado.real(ruta).parent
    if not carpeta.is_dir():
        raise EscrituraError(
            f"No existe la carpeta «{carpeta}» para el PDF «{ruta.name}»; no se escribió nada."
        )
    if not _escribible(carpeta, os.W_OK | os.X_OK):
        raise EscrituraError(
            f"No hay permiso para escribir en la carpeta «{carpeta}» (el PDF «{ruta.name}»); "
            "no se escribió nada."
        )
    if ruta.exists() and not _escribible(ruta, os.W_OK):
        raise EscrituraError(
            f"«{ruta}» es de solo lectura (quítele esa marca en sus propiedades); no se "
            "escribió nada."
        )


def _escribible(ruta: Path, modo: int) -> bool:
    # Mode bits, not only os.access: root (and Windows' administrators) may write anyway,
    # and a save through guardado refuses a read-only file all the same.
    marcas = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return bool(ruta.stat().st_mode & marcas) and os.access(ruta, modo)


def pdf_de_hoja(hoja: HojaGenerada, soffice: str, espera: float = ESPERA_PDF) -> bytes:
    """The sheet, alone in a temporary workbook, converted by LibreOffice: the PDF's bytes."""
    with tempfile.TemporaryDirectory(prefix="xlmetas-informe-") as tmp_s:
        tmp = Path(tmp_s)
        libro = tmp / "informe.xlsx"
        archivos.crear(libro, [hoja])
        perfil = tmp / "perfil"
        salida = tmp / "pdf"
        salida.mkdir()
        orden = [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={perfil.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(salida),
            str(libro),
        ]
        try:
            proceso = subprocess.Popen(
                orden,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            raise EscrituraError(
                f"No se pudo iniciar LibreOffice («{soffice}»: {guardado.mensaje_sistema(exc)}); "
                "no se escribió nada."
            ) from exc
        try:
            _, err = proceso.communicate(timeout=espera)
        except subprocess.TimeoutExpired:
            _matar(proceso)
            proceso.communicate()
            raise EscrituraError(
                f"LibreOffice no terminó el PDF en {espera:.0f} segundos; no se escribió nada. "
                "Cierre otras ventanas de LibreOffice y vuelva a intentarlo."
            ) from None
        finally:
            _matar(proceso)  # a soffice.bin left behind, if any
        pdf = salida / "informe.pdf"
        if proceso.returncode != 0 or not pdf.is_file():
            detalle = err.decode("utf-8", "replace").strip()[-300:]
            raise EscrituraError(
                f"LibreOffice no pudo crear el PDF (código {proceso.returncode}"
                + (f": {detalle}" if detalle else "")
                + "); no se escribió nada."
            )
        return pdf.read_bytes()


def _matar(proceso: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        with contextlib.suppress(OSError):
            proceso.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proceso.pid, signal.SIGKILL)


def contenido(datos: bytes) -> bytes:
    """A PDF without what changes between two conversions of the same sheet."""
    return _VARIABLE.sub(b"", datos)


def guardar_pdf(ruta: Path, datos: bytes) -> bool:
    """Write the PDF (atomic; the previous one kept as .bak); False, writing nothing, when
    the file already holds the same report."""
    ruta = Path(ruta)
    if ruta.is_file():
        with contextlib.suppress(OSError):
            if contenido(ruta.read_bytes()) == contenido(datos):
                return False
    guardado.escribir(ruta, datos, respaldo=True)
    return True
