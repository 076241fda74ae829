"""xlwings Lite: the same buttons with no Python on the PC.

``partes`` writes and updates the web-extension parts that hold Lite's code in a workbook,
``codigo`` makes that code (``main.py`` with the package inside, ``requirements.txt``),
``scripts`` is what Lite's buttons run. ``con_lite`` gives a workbook's bytes with our Lite
code, ``actualizar_lite`` puts the current code into a workbook file without touching its
data.
"""

from __future__ import annotations

from pathlib import Path

from .codigo import main_py, requirements_txt
from .partes import con_lite as _con_lite
from .partes import leer_lite

__all__ = ["actualizar_lite", "con_lite", "leer_lite"]


def con_lite(xlsx: bytes) -> bytes:
    """The workbook's bytes with the current xlwings Lite code (added or updated)."""
    return _con_lite(xlsx, main_py(), requirements_txt())


def actualizar_lite(libro: Path, respaldo: bool = True) -> bool:
    """Put the current Lite code into the workbook file: only the web-extension parts
    change, every other part keeps its bytes. False when it had it already.
    Example: ``actualizar_lite(Path("Metas2011.xlsm"))``"""
    import zipfile

    from .. import guardado
    from ..errors import LecturaError

    leido = guardado.leer(libro)
    try:
        nuevos = con_lite(leido.datos)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise LecturaError(f"«{libro.name}» no es un libro de Excel (.xlsx o .xlsm).") from exc
    if nuevos == leido.datos:
        return False
    guardado.escribir(libro, nuevos, respaldo=respaldo, leido=leido.huella)
    return True
