"""Editing a workbook package by hand in tests: what a writer cannot produce (a part
Excel or an add-in adds), laid out as they lay it out."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping


def editar_paquete(
    datos: bytes,
    cambios: Mapping[str, Callable[[bytes], bytes]] | None = None,
    nuevas: Mapping[str, bytes] | None = None,
) -> bytes:
    """The package with some parts rewritten (``cambios``: part -> function of its bytes)
    and some parts added (``nuevas``)."""
    cambios = cambios or {}
    origen = zipfile.ZipFile(io.BytesIO(datos))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as z:
        for info in origen.infolist():
            contenido = origen.read(info.filename)
            if info.filename in cambios:
                contenido = cambios[info.filename](contenido)
            z.writestr(info, contenido)
        for nombre, contenido in (nuevas or {}).items():
            z.writestr(nombre, contenido)
    return salida.getvalue()
