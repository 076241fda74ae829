"""Workbooks for a plan: ``importar`` (a new workbook, or a changed plan in one in use) and
``nuevo_anio`` (year N+1 from a year-N workbook, which is left untouched).

A front end like the CLI: it picks the adapters (the build for a new workbook, ``archivos``
for one in use) and calls the library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import archivos, build, guardado, operaciones
from .cambio_plan import CambioPlan
from .config import Configuracion
from .copias.sello import HOJA_CONSOLIDACION, HOJA_IDENTIDAD
from .entrada_libro import PlanImportado
from .errors import EscrituraError, LecturaError
from .historial import HOJA_HISTORIAL
from .hojas_area.registro import HOJA_REGISTRO, leer_registro
from .importer import plan_del_documento
from .lectura import leer
from .libro_ajeno_archivo import EXTENSIONES as EXTENSIONES_ORIGEN
from .libro_ajeno_archivo import plan_de_libro
from .model import Plan, Valor
from .render import PREFIJO_ESPEJO
from .reportes import HOJA_VALIDACION
from .resumen_hoja import HOJA_RESUMEN

EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
# Sheets the buttons write (and write again in the new year's workbook): not the user's.
GENERADAS = (
    HOJA_VALIDACION,
    HOJA_RESUMEN,
    HOJA_REGISTRO,
    HOJA_CONSOLIDACION,
    HOJA_IDENTIDAD,
    HOJA_HISTORIAL,
)
_ANIO = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Importacion:
    plan: Plan
    destino: Path
    cambio: CambioPlan | None = None  # a plan put in a workbook in use
    guardado: bool = True  # False: the workbook already held this plan
    avisos: tuple[str, ...] = ()  # what was inferred reading another institution's workbook


def leer_plan(documento: Path, hoja: str | None = None, mapeo: Path | None = None) -> PlanImportado:
    """The plan of the institute's text document, or of a workbook in another institution's
    layout (.xlsx, .xlsm, .xls, .ods: ``entrada_libro``; ``hoja`` and ``mapeo`` apply)."""
    documento = Path(documento)
    if documento.suffix.lower() in EXTENSIONES_ORIGEN:
        return plan_de_libro(documento, hoja, mapeo)
    if hoja is not None or mapeo is not None:
        raise LecturaError(
            f"«{documento.name}» es un documento de texto: --hoja y --mapeo son para importar "
            f"de un libro ({', '.join(EXTENSIONES_ORIGEN)})."
        )
    return PlanImportado(plan_del_documento(guardado.leer(documento).datos, documento.name))


def _destino_valido(destino: Path) -> None:
    if destino.suffix.lower() not in EXTENSIONES_LIBRO:
        raise LecturaError(f"«{destino.name}»: el libro de salida debe ser .xlsx o .xlsm.")


def crear_libro(
    destino: Path,
    plan: Plan,
    config: Configuracion | None = None,
    reemplazar: bool = False,
    realizado: Mapping[str, Sequence[Valor]] | None = None,
) -> None:
    """A complete new workbook for ``plan``: with macros and buttons for .xlsm, without them
    for .xlsx; Avance holds ``realizado`` when given. An existing file is refused unless
    ``reemplazar`` (then kept as .bak)."""
    macros = destino.suffix.lower() == ".xlsm"
    datos = build.workbook_bytes(plan, macros=macros, config=config, realizado=realizado)
    guardado.escribir(destino, datos, respaldo=reemplazar, solo_nuevo=not reemplazar)


def importar(
    documento: Path,
    destino: Path,
    forzar: bool = False,
    actualizar: bool = False,
    hoja: str | None = None,
    mapeo: Path | None = None,
) -> Importacion:
    """The plan of ``documento`` in ``destino``.

    A new workbook is complete: Plan, Avance (one row per meta of this plan), Configuración
    (its year and institution) and Inicio. An existing one is never replaced, unless
    ``forzar`` (then it is kept as .bak); with ``actualizar`` its plan changes and its
    Avance follows, keeping everything captured (``operaciones.actualizar_plan``).
    """
    destino = Path(destino)
    _destino_valido(destino)
    leido = leer_plan(documento, hoja, mapeo)
    plan, avisos = leido.plan, tuple(leido.avisos)
    if destino.exists() and actualizar:
        if leido.realizado:
            avisos += (
                "El realizado que trae el libro no se copia sobre el avance ya capturado; "
                "captúrelo en «Avance» si hace falta.",
            )
        libro = archivos.abrir(destino)
        cambio = operaciones.actualizar_plan(libro, plan)
        return Importacion(plan, destino, cambio, libro.guardar(), avisos)
    if destino.exists() and not forzar:
        raise EscrituraError(
            f"Ya existe «{destino}»: no se reemplaza sin --forzar (con --forzar, el anterior "
            f"queda como «{archivos.ruta_respaldo(destino).name}»). Para cambiar su plan sin "
            "perder el avance capturado, use --actualizar."
        )
    crear_libro(destino, plan, reemplazar=forzar, realizado=leido.realizado)
    return Importacion(plan, destino, avisos=avisos)


@dataclass(frozen=True)
class AnioNuevo:
    origen: Path
    destino: Path
    anio: int
    plan: Plan
    no_copiadas: tuple[str, ...]  # the year-N workbook's own sheets the new one does not hold


def ruta_anio_nuevo(origen: Path, anio_origen: int, anio: int) -> Path:
    """Metas2011.xlsm -> Metas2012.xlsm (the year in the name changes); a name without the
    year gets it: Plan.xlsm -> Plan 2012.xlsm."""
    nombre = origen.stem
    if str(anio_origen) in nombre:
        nombre = nombre.replace(str(anio_origen), str(anio))
    elif _ANIO.search(nombre):
        nombre = _ANIO.sub(str(anio), nombre, count=1)
    else:
        nombre = f"{nombre} {anio}"
    return origen.with_name(nombre + origen.suffix)


def nuevo_anio(
    origen: Path,
    destino: Path | None = None,
    anio: int | None = None,
    documento: Path | None = None,
    forzar: bool = False,
) -> AnioNuevo:
    """Start year N+1 from a year-N workbook, which is only read.

    The new workbook carries the plan (or the plan of ``documento`` instead), the
    institution, the semáforo thresholds and the copies folder; Avance is empty, and
    Configuración holds the new year and no fecha de corte. Same kind of workbook as the
    origin (.xlsm with macros and buttons, or .xlsx) unless ``destino`` says otherwise.
    """
    origen = Path(origen)
    libro_origen = archivos.abrir(origen)  # only read: year N is never written
    lectura = leer(libro_origen)
    anio_origen = lectura.config.anio or lectura.plan.anio
    if anio is None:
        if anio_origen is None:
            raise LecturaError(
                f"«{origen.name}»: no encontré su año (ni en Configuración ni en el título de "
                "la hoja Plan); indíquelo con --anio."
            )
        anio = anio_origen + 1
    if anio_origen is not None and anio <= anio_origen:
        raise LecturaError(
            f"«{origen.name}» es del año {anio_origen}: el año nuevo debe ser posterior "
            f"(se pidió {anio})."
        )
    if documento is not None:
        plan = leer_plan(documento).plan
        if plan.anio is not None and plan.anio != anio:
            raise LecturaError(
                f"«{Path(documento).name}» es el plan de {plan.anio}, no de {anio}: importe "
                "el plan del año nuevo (o indique su año con --anio)."
            )
    else:
        plan = lectura.plan
    institucion = lectura.config.institucion or plan.institucion or lectura.plan.institucion
    plan = replace(plan, anio=anio, institucion=institucion)
    # The year's dates do not carry over (the fracción IV dates are dated to their year).
    config = replace(
        lectura.config,
        anio=anio,
        institucion=institucion,
        fecha_corte=None,
        fecha_actualizacion=None,
        fecha_validacion=None,
        celdas={},
    )
    destino = Path(destino) if destino else ruta_anio_nuevo(origen, anio_origen or anio - 1, anio)
    _destino_valido(destino)
    if destino.resolve() == origen.resolve():
        raise EscrituraError(
            f"El libro del año nuevo no puede ser «{origen.name}» mismo: ese libro no se toca."
        )
    if destino.exists() and not forzar:
        raise EscrituraError(
            f"Ya existe «{destino}»: no se reemplaza sin --forzar (con --forzar, el anterior "
            f"queda como «{archivos.ruta_respaldo(destino).name}»)."
        )
    crear_libro(destino, plan, config, reemplazar=forzar)
    macros = destino.suffix.lower() == ".xlsm"
    nuevas = {h.contenido.nombre for h in build.workbook_sheets(plan, config, macros)}
    generadas = set(GENERADAS) | {r.hoja for r in leer_registro(libro_origen)}
    no_copiadas = tuple(
        h
        for h in lectura.hojas
        if h not in nuevas and h not in generadas and not h.startswith(PREFIJO_ESPEJO)
    )
    return AnioNuevo(origen, destino, anio, plan, no_copiadas)
