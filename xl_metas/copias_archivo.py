"""The file side of e-mailed copies: copying the master, cutting each copy down, the stamp
in custom document properties (``docProps/custom.xml``), and reading a returned copy with
python-calamine (fast, and it never evaluates or rewrites anything).

``copias`` decides what each copy holds and how returned copies merge; this module only
applies those decisions to files.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from . import archivos, copias, guardado, historial
from .avance import HOJA_AVANCE, read_avance
from .copias import EXTENSIONES_COPIA, CopiaLeida, Exportacion, Sello
from .errors import EscrituraError, LecturaError
from .lectura import leer
from .plan_sheet import HOJA_PLAN, read_plan
from .text import enumerar


def exportar_copias(
    libro_path: Path,
    carpeta: Path | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
) -> list[Exportacion]:
    """One complete macro workbook per programa, stamped with its origin.

    Creates the master's identifier the first time (saving the master, with a backup).
    A copy that already exists with the same content is left alone; one that differs is
    replaced and the previous file kept as .bak. Example::

        exportar_copias(Path("Metas2011.xlsm"))  # -> copias/enviadas/Metas2011 - ….xlsm
    """
    libro_path = Path(libro_path)
    maestro = archivos.abrir(libro_path)
    libro_id = copias.asegurar_id(maestro)
    # The Historial (hand edits so far, or its baseline) before the copies leave: then
    # consolidating only appends rows to it.
    historial.registrar(maestro, leer(maestro), "exportar-copias")
    maestro.guardar()
    reloj = ahora or (lambda: dt.datetime.now().replace(microsecond=0))
    envio = copias.planear_envio(maestro, libro_id, reloj().isoformat())
    carpeta = Path(carpeta) if carpeta else copias.carpeta_envio(maestro, libro_path)
    try:
        carpeta.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EscrituraError(
            guardado.mensaje_error(exc, carpeta, existe=False).replace("el archivo", "la carpeta")
        ) from exc

    hechas: list[Exportacion] = []
    for planeada in envio.copias:
        destino = carpeta / copias.nombre_copia(libro_path.name, planeada.programa)
        if destino.exists() and _mismo_contenido(destino, planeada.sello):
            hechas.append(Exportacion(planeada.programa, destino, "sin cambios", planeada.metas))
            continue
        try:
            copia = archivos.abrir(libro_path)  # the master as saved; only the copy is written
            copia.permitir_perdidas = True  # rows are cut with openpyxl: see the aviso
            avisos = copias.recortar_copia(copia, planeada, envio)
            respaldo = copia.guardar_como(destino, respaldo=True).respaldo
            if copia.perdidas:
                avisos.append(
                    f"La copia no lleva {enumerar(copia.perdidas)} del libro maestro: "
                    "xl-metas no puede conservarlos al recortar las filas de otras áreas."
                )
        except OSError as exc:
            raise EscrituraError(guardado.mensaje_error(exc, destino)) from exc
        estado = "actualizada" if respaldo else "creada"
        hechas.append(
            Exportacion(planeada.programa, destino, estado, planeada.metas, respaldo, tuple(avisos))
        )
    return hechas


_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def leer_propiedades(ruta: Path) -> dict[str, str]:
    """Custom document properties of a workbook file (empty when it has none).

    Read with the standard library: calamine does not expose them.
    """
    with zipfile.ZipFile(ruta) as z:
        try:
            data = z.read("docProps/custom.xml")
        except KeyError:
            return {}
    return propiedades(data)


def propiedades(custom_xml: bytes | None) -> dict[str, str]:
    """The properties in a ``docProps/custom.xml`` part (empty without one)."""
    props: dict[str, str] = {}
    if custom_xml is None:
        return props
    for prop in ElementTree.fromstring(custom_xml).iter(f"{_CUSTOM_NS}property"):
        name = prop.get("name")
        if name:
            props[name] = "".join(child.text or "" for child in prop)
    return props


def _mismo_contenido(destino: Path, sello: Sello) -> bool:
    try:
        previo = Sello.desde(leer_propiedades(destino))
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    return (
        previo is not None
        and previo.libro == sello.libro
        and previo.huella_contenido == sello.huella_contenido
    )


def leer_copia(ruta: Path) -> CopiaLeida:
    """A returned copy's stamp, Plan and Avance, read with python-calamine (through the file
    adapter, so a copy is recognised and refused exactly as a workbook given to a command).

    Raises ``LecturaError`` (Spanish, naming the file) when it cannot be read.
    """
    ruta = Path(ruta)
    nombre = ruta.name
    if ruta.suffix.lower() not in EXTENSIONES_COPIA:
        raise LecturaError(f"«{nombre}» no es un libro de Excel (.xlsx o .xlsm).")
    libro = archivos.abrir(ruta)
    try:
        props = propiedades(libro.parte("docProps/custom.xml"))  # the bytes read once
    except ElementTree.ParseError as exc:
        raise LecturaError(f"«{nombre}» no es un libro de Excel válido o está dañado.") from exc
    plan, _ = read_plan(libro.leer(HOJA_PLAN))
    avance = read_avance(libro.leer(HOJA_AVANCE))[0]
    return CopiaLeida(ruta, Sello.desde(props), plan, avance, libro.ultimo_autor() or "")
