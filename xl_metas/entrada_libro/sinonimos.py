"""The synonym table: every header label a foreign planning workbook may use for a column.

One place for all of them (``docs/importar-libros.md`` lists the same table). Labels are
compared folded (no accents, no case, single spaces), without a leading number
(«4. PROYECTOS», «(7) Unidad de medida»), a trailing colon or period, and singular or
plural alike where listed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from ..model import Periodicidad
from ..text import fold


class Campo(StrEnum):
    """A meta's fields a column can hold (besides the calendar)."""

    PROGRAMA = "programa"
    OBJETIVO = "objetivo"
    NUMERO = "numero"
    DESCRIPCION = "descripcion"
    UNIDAD = "unidad"
    ANUAL = "anual"


NOMBRES_CAMPOS: dict[Campo, str] = {
    Campo.PROGRAMA: "programa",
    Campo.OBJETIVO: "objetivo",
    Campo.NUMERO: "número de meta",
    Campo.DESCRIPCION: "descripción de la meta",
    Campo.UNIDAD: "unidad de medida",
    Campo.ANUAL: "meta anual",
}


class Papel(StrEnum):
    """What a calendar sub-column holds: the planned figure, the achieved one, or neither."""

    PROGRAMADO = "programado"
    REALIZADO = "realizado"
    OTRO = "otro"  # cumplimiento, %, medio de verificación…: read by no one


# Campo -> labels, best first (when two columns match one campo, the better label wins).
SINONIMOS: dict[Campo, tuple[str, ...]] = {
    Campo.PROGRAMA: (
        "programa",
        "programa presupuestario",
        "proyecto",
        "nombre del programa",
        "nombre del proyecto",
        "area",
        "area responsable",
        "unidad responsable",
        "unidad administrativa",
    ),
    Campo.OBJETIVO: (
        "objetivo",
        "objetivo general",
        "objetivo especifico",
        "objetivo estrategico",
        "objetivo de la meta",
    ),
    Campo.NUMERO: (
        "meta",
        "numero de meta",
        "no. de meta",
        "no. meta",
        "num. meta",
        "n° meta",
        "n° de meta",
        "clave de meta",
        "codigo",
        "clave",
        "no.",
        "n°",
        "nro.",
        "num.",
        "numero",
        "#",
        "id",
    ),
    Campo.DESCRIPCION: (
        "descripcion de la meta",
        "descripcion de las metas",
        "descripcion de las metas de actividad",
        "descripcion de la actividad",
        "metas de actividad",
        "meta de actividad",
        "nombre de la meta",
        "actividad",
        "accion",
        "descripcion",
        "denominacion",
        "metas",
    ),
    Campo.UNIDAD: (
        "unidad de medida",
        "unidad",
        "u. de medida",
        "u.m.",
        "um",
        "unidad de medida de la meta",
    ),
    Campo.ANUAL: (
        "programa anual",
        "programacion anual",
        "meta anual",
        "cantidad programada anual",
        "programado anual",
        "cantidad anual",
        "cantidad programada",
        "valor esperado",
        "total programado",
        "meta programada",
        "meta total",
        "total anual",
        "anual",
        "total",
    ),
}

# Labels that mean either a meta's number or its description («META» over the numbers
# in the institute's own plan, «5. METAS» over the text in others): the cells decide.
AMBIGUAS: dict[str, tuple[Campo, Campo]] = {
    "meta": (Campo.NUMERO, Campo.DESCRIPCION),
    "metas": (Campo.DESCRIPCION, Campo.NUMERO),
}

PAPELES: dict[Papel, tuple[str, ...]] = {
    Papel.PROGRAMADO: (
        "programado",
        "programada",
        "programacion",
        "prog.",
        "planeado",
        "planeada",
        "planificado",
        "plan",
        "meta",
        "abs.",
        "absoluto",
        "absoluta",
        "cantidad",
    ),
    Papel.REALIZADO: (
        "realizado",
        "realizada",
        "real",
        "ejecutado",
        "ejecutada",
        "alcanzado",
        "alcanzada",
        "logrado",
        "logro",
        "avance",
    ),
    Papel.OTRO: (
        "cumplimiento",
        "% de cumplimiento",
        "% cumplimiento",
        "%",
        "porcentaje",
        "% de avance",
        "% avance",
        "medio de verificacion",
        "medios de verificacion",
        "evidencia",
        "observaciones",
        "observacion",
        "justificacion",
        "variacion",
        "desviacion",
        "comentarios",
    ),
}

# Labels over a group of columns that say nothing by themselves («Programación» over
# the months): they only tell that a row belongs to the header.
BANDAS: tuple[str, ...] = (
    "programacion",
    "programacion mensual",
    "programacion trimestral",
    "programacion de metas",
    "calendario",
    "calendarizacion",
    "calendarizacion de metas",
    "calendarizacion de metas fisicas",
    "calendario de metas",
    "meses",
    "trimestres",
    "metas fisicas",
    "avance",
    "avance fisico",
    "seguimiento",
)

_MESES: dict[str, int] = {
    **dict.fromkeys(("ene", "enero"), 0),
    **dict.fromkeys(("feb", "febrero"), 1),
    **dict.fromkeys(("mar", "marzo"), 2),
    **dict.fromkeys(("abr", "abril"), 3),
    **dict.fromkeys(("may", "mayo"), 4),
    **dict.fromkeys(("jun", "junio"), 5),
    **dict.fromkeys(("jul", "julio"), 6),
    **dict.fromkeys(("ago", "agt", "agosto"), 7),
    **dict.fromkeys(("sep", "sept", "set", "septiembre", "setiembre"), 8),
    **dict.fromkeys(("oct", "octubre"), 9),
    **dict.fromkeys(("nov", "noviembre"), 10),
    **dict.fromkeys(("dic", "diciembre"), 11),
}
_ORDINALES: dict[str, int] = {
    **dict.fromkeys(("1", "i", "primer", "primero", "primera"), 0),
    **dict.fromkeys(("2", "ii", "segundo", "segunda"), 1),
    **dict.fromkeys(("3", "iii", "tercer", "tercero", "tercera"), 2),
    **dict.fromkeys(("4", "iv", "cuarto", "cuarta"), 3),
}
_MES = "|".join(sorted(_MESES, key=len, reverse=True))
_ORD = "|".join(sorted(_ORDINALES, key=len, reverse=True))
_TRIM = r"(?:trimestre|trim\.?|t)"
# «T1», «Trimestre 1», «Trim. 2»; «1er trimestre», «1° trim», «Primer trimestre», «IV trimestre»;
# «1T»; «Ene-Mar».
_TRIMESTRE = re.compile(
    rf"(?<![\w])(?:{_TRIM}\s*([1-4])"
    rf"|({_ORD})\s*(?:er|ero|ro|do|to|o|a|°|\.)?\s*(?:trimestre|trim\.?)"
    rf"|([1-4])t"
    rf"|({_MES})\.?\s*[-–a]\s*({_MES}))(?![\w])"
)
_MES_SOLO = re.compile(rf"(?<![\w])({_MES})(?![\w])\.?")
_ANIO = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMERADA = re.compile(r"^\(?\d{1,2}(?:\.\d{1,2})*\s*[.):\-]\s*(?=\S)|^\(\d{1,2}\)\s*")
_RELLENO = re.compile(r"^(?:de|del|al|mes|mes de|en)\s+|\s+(?:de|del|al|en)$")
_PUNTUACION = " .:-–_/()"


def limpia(texto: object) -> str:
    """A header label as compared: folded, without a leading number nor trailing «:»."""
    etiqueta = _NUMERADA.sub("", fold(texto))
    return etiqueta.rstrip(":").strip()


def _sin_punto(etiqueta: str) -> str:
    return etiqueta.rstrip(".").strip()


@functools.cache
def _tabla_campos() -> dict[str, tuple[Campo, int]]:
    tabla: dict[str, tuple[Campo, int]] = {}
    for campo, etiquetas in SINONIMOS.items():
        for rango, etiqueta in enumerate(etiquetas):
            for forma in _formas(etiqueta):
                tabla.setdefault(forma, (campo, rango))
    return tabla


@functools.cache
def _tabla_papeles() -> dict[str, Papel]:
    return {forma: p for p, ets in PAPELES.items() for e in ets for forma in _formas(e)}


def _formas(etiqueta: str) -> set[str]:
    """A label, without its final period, and in the plural («proyecto»/«proyectos»)."""
    base = _sin_punto(fold(etiqueta)) or fold(etiqueta)
    formas = {base}
    primera, _, resto = base.partition(" ")
    if primera.isalpha():
        plural = primera + ("es" if primera[-1] in "dlnr" else "s")
        formas.add(f"{plural} {resto}".strip())
    return formas


@dataclass(frozen=True)
class Lectura:
    """What one header label says: a campo, a period (with a role), a role, or a band."""

    campo: Campo | None = None
    rango: int = 0  # the synonym's place in its list (lower is better)
    ambigua: bool = False  # «META»/«METAS»: number or description, the cells decide
    periodo: int | None = None  # 0-based month or quarter
    periodicidad: Periodicidad | None = None
    papel: Papel | None = None
    banda: bool = False

    @property
    def reconocida(self) -> bool:
        return (
            self.campo is not None
            or self.periodo is not None
            or self.papel is not None
            or (self.banda)
        )


NADA = Lectura()


@functools.lru_cache(maxsize=4096)
def leer_etiqueta(texto: str) -> Lectura:
    """What a header label says (``NADA`` when nothing)."""
    etiqueta = limpia(texto)
    if not etiqueta:
        return NADA
    periodo = _periodo(etiqueta)
    if periodo is not None:
        return periodo
    sin_punto = _sin_punto(etiqueta) or etiqueta
    if sin_punto in AMBIGUAS:
        return Lectura(campo=AMBIGUAS[sin_punto][0], ambigua=True)
    if sin_punto in _tabla_campos():
        campo, rango = _tabla_campos()[sin_punto]
        return Lectura(campo=campo, rango=rango)
    papel = _papel(etiqueta)
    if papel is not None:
        return Lectura(papel=papel)
    if sin_punto in {fold(b) for b in BANDAS}:
        return Lectura(banda=True)
    return NADA


def _papel(resto: str) -> Papel | None:
    resto = _RELLENO.sub("", resto.strip(_PUNTUACION + " ")).strip()
    tabla = _tabla_papeles()
    return tabla.get(resto) or tabla.get(_sin_punto(resto)) or tabla.get(resto + ".")


def _periodo(etiqueta: str) -> Lectura | None:
    """A month or quarter label, alone or with its role («T1. EJECUTADO», «Ene Prog.»)."""
    sin_anio = _ANIO.sub(" ", etiqueta)
    trimestre = _TRIMESTRE.search(sin_anio)
    if trimestre is not None:
        numero, ordinal, numero_t, desde, hasta = trimestre.groups()
        if numero or numero_t:
            indice = int(numero or numero_t) - 1
        elif ordinal:
            indice = _ORDINALES[ordinal]
        else:
            inicio, fin = _MESES[desde], _MESES[hasta]
            if inicio % 3 or fin != inicio + 2:
                return None
            indice = inicio // 3
        resto = sin_anio[: trimestre.start()] + " " + sin_anio[trimestre.end() :]
        return _con_papel(indice, Periodicidad.TRIMESTRAL, resto)
    meses = _MES_SOLO.findall(sin_anio)
    if len(meses) == 1:
        return _con_papel(_MESES[meses[0]], Periodicidad.MENSUAL, _MES_SOLO.sub(" ", sin_anio))
    return None


def _con_papel(indice: int, periodicidad: Periodicidad, resto: str) -> Lectura | None:
    resto = " ".join(resto.split()).strip(_PUNTUACION)
    if not resto:
        return Lectura(periodo=indice, periodicidad=periodicidad)
    papel = _papel(resto)
    if papel is None:
        return None  # «Observaciones de enero» is not the January figure
    return Lectura(periodo=indice, periodicidad=periodicidad, papel=papel)
