"""The code a workbook carries for xlwings Lite: ``main.py`` and ``requirements.txt``.

Lite keeps one Python file per workbook, so ``main.py`` (``templates/lite/main.py``)
carries the xl-metas package itself, as a zip in base64 that it imports from with the
standard library's zipimport. The workbook then runs exactly the code it was built with,
with no package to publish or host, and nothing but Pyodide's own packages and the
pure-Python wheels of ``requirements.txt`` to download.

Deterministic: the package's ``.py`` files in path order, fixed dates and permissions.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

from .. import __version__

PAQUETE = Path(__file__).resolve().parents[1]  # xl_metas/
PLANTILLAS = PAQUETE.parent / "templates" / "lite"
_ANCHO = 100  # characters per line of the embedded zip


def paquete_zip() -> bytes:
    """The xl_metas package (its ``.py`` files) as a zip, the same bytes for the same code."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for ruta in sorted(PAQUETE.rglob("*.py"), key=lambda p: p.relative_to(PAQUETE).as_posix()):
            info = zipfile.ZipInfo(
                f"xl_metas/{ruta.relative_to(PAQUETE).as_posix()}", (1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, ruta.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def version_lite(datos: bytes) -> str:
    """The package version and the fingerprint of the embedded code: ``0.1.0+3f2a…``."""
    return f"{__version__}+{hashlib.sha256(datos).hexdigest()[:12]}"


def main_py() -> str:
    datos = paquete_zip()
    texto = base64.b64encode(datos).decode("ascii")
    lineas = "\n".join(f'    "{texto[i : i + _ANCHO]}"' for i in range(0, len(texto), _ANCHO))
    plantilla = (PLANTILLAS / "main.py").read_text(encoding="utf-8")
    return plantilla.replace("__XL_METAS_VERSION__", version_lite(datos)).replace(
        "__XL_METAS_PAQUETE__", lineas
    )


def requirements_txt() -> str:
    return (PLANTILLAS / "requirements.txt").read_text(encoding="utf-8")
