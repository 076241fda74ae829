"""leer: a workbook, once, through the port, into one value.

Every command starts here. The Plan is required (a workbook without it, or without its
columns, cannot go on: ``LecturaError``); Avance and Configuración are read when present;
the sheets a command may replace whole (Validación, Resumen) are read so the writes can be
compared with what is there. What is wrong but lets the rest go on is a finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .avance import HOJA_AVANCE, Avance, mensaje_calendario_distinto, read_avance
from .config import HOJA_CONFIG, Configuracion, read_config
from .errors import LecturaError
from .grid import Grid, Table
from .libro import Libro
from .model import Hallazgo, Plan, Severidad
from .plan_sheet import HOJA_PLAN, read_plan
from .plantillas import sin_plantillas
from .reportes import HOJA_VALIDACION
from .resumen_hoja import HOJA_RESUMEN
from .text import cell_address, fold

# Sheets a command replaces whole: read to compare, so a rerun writes nothing.
HOJAS_REEMPLAZABLES = (HOJA_VALIDACION, HOJA_RESUMEN)


@dataclass(frozen=True)
class LecturaAvance:
    avance: Avance
    tabla: Table


@dataclass(frozen=True)
class Lectura:
    """What a command knows about a workbook, read once."""

    nombre: str
    hojas: tuple[str, ...]
    plan: Plan
    tabla_plan: Table
    config: Configuracion
    avance: LecturaAvance | None = None  # None: no Avance sheet, or one that cannot be read
    avance_ilegible: str | None = None  # why the Avance sheet there cannot be read
    hallazgos: tuple[Hallazgo, ...] = ()  # read findings (Configuración, an unreadable Avance)
    actuales: Mapping[str, Grid] = field(default_factory=dict)  # HOJAS_REEMPLAZABLES present

    def hoja(self, nombre: str) -> str | None:
        """The workbook's spelling of a sheet read at the start, or None."""
        return next((h for h in self.hojas if _igual(h, nombre)), None)

    def avance_o_error(self) -> LecturaAvance | None:
        """Avance as read; None when the workbook has no Avance sheet. A sheet that is there
        but cannot be read stops a command that would write on it (never replaced)."""
        if self.avance_ilegible is not None:
            raise LecturaError(self.avance_ilegible)
        return self.avance

    def actual(self, nombre: str) -> Grid | None:
        return next((g for h, g in self.actuales.items() if _igual(h, nombre)), None)


def _igual(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def leer_config(libro: Libro) -> tuple[Configuracion, list[Hallazgo]]:
    """Configuración's values and the findings on them; the defaults without the sheet."""
    nombre = libro.resolver(HOJA_CONFIG)
    return read_config(libro.leer(nombre) if nombre else None)


def leer(libro: Libro, *, para_escribir: bool = False) -> Lectura:
    """Plan, Configuración and Avance, each sheet read once; ``para_escribir`` also reads
    the sheets a command may replace whole, to compare."""
    hojas = tuple(sin_plantillas(libro.hojas()))  # Lite's hidden templates: not the user's
    plan, tabla_plan = read_plan(libro.leer(HOJA_PLAN))
    config, hallazgos = leer_config(libro)
    nombre_avance = libro.resolver(HOJA_AVANCE)
    avance = None
    ilegible = None
    if nombre_avance is not None:
        try:
            avance = LecturaAvance(*read_avance(libro.leer(nombre_avance)))
        except LecturaError as exc:  # the Plan can still be validated and totalled
            ilegible = exc.mensaje
            hallazgos.append(
                Hallazgo("avance-ilegible", Severidad.ERROR, nombre_avance, "", "", exc.mensaje)
            )
        if avance is not None and avance.avance.periodicidad != plan.periodicidad:
            # months against quarters: not comparable, so read as an Avance that cannot be used
            ilegible = f"«{libro.nombre}»: " + mensaje_calendario_distinto(plan, avance.avance)
            hallazgos.append(
                Hallazgo(
                    "avance-calendario-distinto",
                    Severidad.ERROR,
                    nombre_avance,
                    cell_address(
                        avance.tabla.header_row, avance.tabla.columns[avance.avance.periodos[0]]
                    ),
                    "",
                    ilegible,
                )
            )
            avance = None
    actuales = {
        nombre: libro.leer(nombre)
        for nombre in (libro.resolver(h) for h in HOJAS_REEMPLAZABLES if para_escribir)
        if nombre is not None
    }
    return Lectura(
        nombre=libro.nombre,
        hojas=hojas,
        plan=plan,
        tabla_plan=tabla_plan,
        config=config,
        avance=avance,
        avance_ilegible=ilegible,
        hallazgos=tuple(hallazgos),
        actuales=actuales,
    )
