"""Export: what each programa's copy holds, and cutting a byte copy of the master down to
it (the file side is ``copias_archivo``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .. import __version__, hojas_area
from ..avance import HOJA_AVANCE, Avance, read_avance
from ..errors import LecturaError
from ..historial import HOJA_HISTORIAL
from ..libro import Libro
from ..model import Plan, Valor
from ..plan_sheet import HOJA_PLAN, read_plan
from ..render import hoja_espejo
from ..reportes import HOJA_VALIDACION
from ..resumen_hoja import HOJA_RESUMEN
from ..text import fold
from .maestro import anio_del_libro
from .sello import HOJA_CONSOLIDACION, Sello, _hash, _meta_plana, huella_plan, metas_de


# -- export ---
@dataclass(frozen=True)
class Exportacion:
    """One exported copy: its file, what happened to it, and anything to know."""

    programa: str
    archivo: Path
    estado: str  # "creada", "actualizada" (the previous one kept as .bak), "sin cambios"
    metas: int
    respaldo: Path | None = None
    avisos: tuple[str, ...] = ()


@dataclass(frozen=True)
class CopiaPlaneada:
    """What one programa's copy holds: its stamp and the master rows it leaves out."""

    programa: str
    metas: int
    sello: Sello
    fuera_plan: list[int]
    hoja_avance: str | None
    fuera_avance: list[int]


@dataclass(frozen=True)
class Envio:
    """Every copy of one export, decided from the master as read through the port."""

    copias: list[CopiaPlaneada]
    registro: list[hojas_area.Registro]


def planear_envio(maestro: Libro, libro_id: str, exportada: str) -> Envio:
    """One ``CopiaPlaneada`` per programa of the master's Plan (pure over what is read)."""
    plan, _ = read_plan(maestro.leer(HOJA_PLAN))
    if not plan.metas:
        raise LecturaError(f"«{maestro.nombre}»: la hoja Plan no tiene metas que exportar.")
    anio = anio_del_libro(maestro, plan)
    avance = _avance_o_none(maestro)
    config_rows = _filas(maestro, "Configuración")
    copias = []
    for programa in plan.programas():
        metas = metas_de(plan, programa)
        filas_avance = [
            f for f in (avance.filas if avance else ()) if _programa_fila(f, plan) == fold(programa)
        ]
        sello = Sello(
            libro=libro_id,
            anio=anio,
            programa=programa,
            huella_plan=huella_plan(metas),
            huella_contenido=_hash(
                [
                    [_meta_plana(m) for m in metas],
                    [
                        [v.texto for v in (f.numero, *f.meses, f.justificacion)]
                        for f in filas_avance
                    ],
                    config_rows,
                    __version__,
                ]
            ),
            exportada=exportada,
        )
        mias = {f.fila for f in filas_avance}
        copias.append(
            CopiaPlaneada(
                programa=programa,
                metas=len(metas),
                sello=sello,
                fuera_plan=[m.fila for m in plan.metas if fold(m.programa.texto) != fold(programa)],
                hoja_avance=avance.hoja if avance else None,
                fuera_avance=[f.fila for f in avance.filas if f.fila not in mias] if avance else [],
            )
        )
    return Envio(copias, hojas_area.leer_registro(maestro))


class LibroRecortable(Libro, Protocol):
    """A fresh copy of the master that can lose whole rows and carry a stamp."""

    def resolver(self, nombre: str) -> str | None: ...

    def quitar_filas(self, hoja: str, filas: Iterable[int]) -> None: ...

    def sellar(self, propiedades: dict[str, str]) -> None: ...


def recortar_copia(copia: LibroRecortable, planeada: CopiaPlaneada, envio: Envio) -> list[str]:
    """Cut a byte copy of the master down to one programa; returns warnings for the user."""
    _quitar_filas(copia, HOJA_PLAN, planeada.fuera_plan)
    if planeada.hoja_avance is not None:
        _quitar_filas(copia, planeada.hoja_avance, planeada.fuera_avance)
    for hoja in (HOJA_VALIDACION, HOJA_RESUMEN, HOJA_CONSOLIDACION, HOJA_HISTORIAL):
        copia.quitar_hoja(hoja)
    avisos = _hojas_area_de(copia, envio.registro, planeada.programa)
    copia.sellar(planeada.sello.propiedades())
    return avisos


def _quitar_filas(copia: LibroRecortable, hoja: str, filas: list[int]) -> None:
    """Remove rows from a sheet and from its hidden colour mirror, which is cell-aligned."""
    copia.quitar_filas(hoja, filas)
    espejo = copia.resolver(hoja_espejo(hoja))
    if espejo is not None:
        copia.quitar_filas(espejo, filas)


def _avance_o_none(libro: Libro) -> Avance | None:
    nombre = libro.resolver(HOJA_AVANCE)
    return read_avance(libro.leer(nombre))[0] if nombre else None


def _filas(libro: Libro, hoja: str) -> list[list[str]]:
    nombre = libro.resolver(hoja)
    if nombre is None:
        return []
    return [[Valor(v).texto for v in row] for row in libro.leer(nombre).rows]


def _programa_fila(fila: Any, plan: Plan) -> str:
    """An Avance row's programa: its meta's in the Plan, else its own PROGRAMA cell."""
    for meta in plan.metas:
        if meta.clave == fila.clave:
            return fold(meta.programa.texto)
    return fold(fila.programa.texto)


def _hojas_area_de(copia: Libro, registro: list[hojas_area.Registro], programa: str) -> list[str]:
    """Keep only the programa's area sheet (created when the master has none)."""
    existentes = {fold(h): h for h in copia.hojas()}
    propias = []
    for r in registro:
        if fold(r.hoja) not in existentes:
            continue
        if fold(r.programa) == fold(programa):
            propias.append(r)
        else:
            copia.quitar_hoja(existentes[fold(r.hoja)])
    if registro:
        copia.poner_hoja(hojas_area.hoja_registro(propias))
    try:
        hojas_area.generar_hojas(copia)
    except hojas_area.HojaEditadaError:
        return [
            "La hoja del programa tiene cambios hechos a mano en el libro maestro; "
            "se copió tal como está (no se regeneró)."
        ]
    return []
