"""Per-area sheets: one printed page per programa, laid out like the institute's document.

``hoja_area`` lays out one programa (pure data in, a ``HojaGenerada`` out); ``generar_hojas``
writes them through a ``Libro``. A hidden registry sheet remembers which sheets we
generated and a fingerprint of each one (a hash of the whole layout and one hash per row
of values), so a rerun changes nothing, a removed programa loses its sheet, sheets we did
not generate are never touched, and a sheet typed into by hand is never replaced: the
command refuses, names the rows, and says how to keep or discard the edits.

When progress (Avance) exists, each meta gets a second row, *Realizado*, and the planned
month cells (still the planned values, so the plan stays readable and testable) are
filled with the month's state colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import XlMetasError
from ..escrituras import Colorear, Escritura, PonerHoja, QuitarHoja, poner_si_cambia
from ..estados import COLORES_ESTADO
from ..grid import Grid
from ..lectura import Lectura, leer
from ..libro import Libro
from ..render import HojaGenerada, hoja_espejo
from ..seguimiento import Seguimiento, evaluar_seguimiento
from ..text import enumerar, fold
from .diseno import (
    PRIMERA_FILA,
    AvanceMeta,
    ColoresMeses,
    ProgresoHojas,
    colores_meses,
    hoja_area,
    nombre_hoja,
)
from .registro import (
    HOJA_REGISTRO,
    Registro,
    filas_editadas,
    hoja_registro,
    huella_hoja,
    huellas_filas,
    leer_registro,
    read_registro,
)

__all__ = [
    "HOJA_REGISTRO",
    "PRIMERA_FILA",
    "AvanceMeta",
    "ColoresMeses",
    "Generacion",
    "HojaEditadaError",
    "LecturaHojas",
    "ProgresoHojas",
    "Registro",
    "colores_meses",
    "filas_editadas",
    "generar_hojas",
    "hoja_area",
    "hoja_registro",
    "leer_hojas",
    "leer_registro",
    "nombre_hoja",
    "planear_hojas",
    "progreso_hojas",
]


# -- the command ---------------------------------------------------------------------------
class HojaEditadaError(XlMetasError):
    """A generated sheet was typed into since it was generated: we refuse to replace it."""


@dataclass
class Generacion:
    """What ``generar_hojas`` did, sheet by sheet."""

    creadas: list[str] = field(default_factory=list)
    actualizadas: list[str] = field(default_factory=list)
    sin_cambios: list[str] = field(default_factory=list)
    quitadas: list[str] = field(default_factory=list)
    corte: dt.date | None = None


def _mensaje_editadas(libro: str, editadas: Mapping[str, list[int]]) -> str:
    parts = []
    for hoja, rows in editadas.items():
        shown = rows[:10] + (["…"] if len(rows) > 10 else [])
        parts.append(
            f"«{hoja}» (fila{'s' if len(rows) > 1 else ''} {enumerar([str(s) for s in shown])})"
        )
    plural = len(editadas) > 1
    return (
        f"«{libro}»: {'las hojas' if plural else 'la hoja'} {enumerar(parts)} "
        f"{'se modificaron' if plural else 'se modificó'} a mano después de generarse. "
        "No se regeneró ninguna hoja para no perder esos cambios. "
        "Pase los cambios a la hoja «Plan» (de ella salen las hojas por área) y borre la hoja, "
        "o cámbiele el nombre para conservarla tal como está (xl-metas ya no la tocará); "
        "después vuelva a ejecutar «generar hojas»."
    )


def progreso_hojas(seg: Seguimiento | None) -> ProgresoHojas | None:
    """Progress at the cut-off, as the area sheets show it; None without Avance."""
    if seg is None:
        return None
    metas = {
        r.clave: AvanceMeta(
            tuple(v.numero for v in r.fila.meses),
            tuple(COLORES_ESTADO[e] for e in r.evaluacion.estados),
        )
        for r in seg.resultados
        if r.fila is not None
    }
    leyenda = tuple((str(e).capitalize(), color) for e, color in COLORES_ESTADO.items() if color)
    return ProgresoHojas(seg.corte.fecha, metas, leyenda)


@dataclass(frozen=True)
class LecturaHojas:
    """What generating needs beyond ``Lectura``: the registry, and the values of the
    registered sheets that still exist (to find hand edits)."""

    hoja_registro: Grid | None
    registro: list[Registro]
    actuales: dict[str, Grid]  # folded sheet name -> its values


def leer_hojas(libro: Libro, lectura: Lectura) -> LecturaHojas:
    nombre = lectura.hoja(HOJA_REGISTRO)
    grid = libro.leer(nombre) if nombre else None
    registro = read_registro(grid) if grid else []
    por_nombre = {fold(h): h for h in lectura.hojas}
    actuales = {
        fold(r.hoja): libro.leer(por_nombre[fold(r.hoja)])
        for r in registro
        if fold(r.hoja) in por_nombre
    }
    return LecturaHojas(grid, registro, actuales)


def generar_hojas(libro: Libro, progreso: ProgresoHojas | None = None) -> Generacion:
    """Create, update or remove the per-area sheets so they match the Plan: read the
    workbook once, decide, write once.

    Idempotent: a sheet whose layout would not change is left alone. Raises
    ``HojaEditadaError`` (and writes nothing) when a generated sheet was edited by hand.
    ``progreso`` replaces the workbook's own Avance (tests).
    """
    lectura = leer(libro)
    avance = lectura.avance_o_error()
    if progreso is None and avance is not None:
        progreso = progreso_hojas(evaluar_seguimiento(lectura.plan, avance.avance, lectura.config))
    hecho, escrituras = planear_hojas(lectura, leer_hojas(libro, lectura), progreso)
    libro.aplicar(escrituras)
    return hecho


def planear_hojas(
    lectura: Lectura, leidas: LecturaHojas, progreso: ProgresoHojas | None
) -> tuple[Generacion, list[Escritura]]:
    """What to create, update and remove (pure). Raises ``HojaEditadaError`` when one of
    our sheets holds hand edits."""
    plan = lectura.plan
    registros = {fold(r.hoja): r for r in leidas.registro}
    por_nombre = {fold(h): h for h in lectura.hojas}
    # Registered sheets that still exist; the others (deleted or renamed) are forgotten.
    nuestras = {k: r for k, r in registros.items() if k in por_nombre}

    # Names: a programa keeps its sheet; a new one avoids every sheet that is not ours.
    by_programa = {fold(r.programa): r for r in nuestras.values()}
    tomadas = [h for h in lectura.hojas if fold(h) not in nuestras] + [HOJA_REGISTRO]
    plan_hojas: list[tuple[str, HojaGenerada, ColoresMeses | None]] = []
    for programa in plan.programas():
        previo = by_programa.get(fold(programa))
        nombre = por_nombre[fold(previo.hoja)] if previo else nombre_hoja(programa, tomadas)
        tomadas.append(nombre)
        hoja = hoja_area(plan, programa, nombre, progreso)
        plan_hojas.append((programa, hoja, colores_meses(plan, programa, progreso)))

    # Refuse before writing anything when one of our sheets holds hand edits.
    editadas: dict[str, list[int]] = {}
    for key, registro in nuestras.items():
        rows = filas_editadas(registro, leidas.actuales[key].rows)
        if rows:
            editadas[por_nombre[key]] = rows
    if editadas:
        raise HojaEditadaError(_mensaje_editadas(lectura.nombre, editadas))

    hecho = Generacion(corte=progreso.corte if progreso else None)
    escrituras: list[Escritura] = []
    wanted = {fold(h.nombre) for _, h, _ in plan_hojas}
    for key in nuestras:
        if key not in wanted:
            escrituras.append(QuitarHoja(por_nombre[key]))
            escrituras.append(QuitarHoja(hoja_espejo(por_nombre[key])))  # when it has one
            hecho.quitadas.append(por_nombre[key])

    nuevos: list[Registro] = []
    anterior: str | None = None
    for programa, hoja, colores in plan_hojas:
        huella = huella_hoja(hoja, colores)
        previo = nuestras.get(fold(hoja.nombre))
        espejo = por_nombre.get(fold(hoja_espejo(hoja.nombre)))
        if previo is not None and previo.huella == huella and (colores is None) == (espejo is None):
            hecho.sin_cambios.append(hoja.nombre)  # values, layout and colours as they are
        else:
            # a new sheet goes after the previous area sheet; ours is replaced where it is
            escrituras.append(PonerHoja(hoja, despues_de=anterior if previo is None else None))
            (hecho.creadas if previo is None else hecho.actualizadas).append(hoja.nombre)
            if colores is not None:
                escrituras.append(Colorear(hoja.nombre, colores.area, colores.rellenos))
            elif espejo is not None:
                escrituras.append(QuitarHoja(espejo))  # no progress any more: stale codes go
        nuevos.append(Registro(hoja.nombre, programa, huella, tuple(huellas_filas(hoja.filas))))
        anterior = hoja.nombre
    escrituras += poner_si_cambia(leidas.hoja_registro, hoja_registro(nuevos), anterior)
    return hecho, escrituras
