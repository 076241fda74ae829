"""Units of measure: what a meta's unit says about its figures.

A count (Eventos, Visitas, Cursos, Número de…) is done in whole units: a decimal there is
a typing error. A percentage (Porcentaje, %) or a measure (Km, horas, metros, litros,
pesos…) is measured, so 0.15 or 2.5 are figures like any other. Figures in different
units are never added together: totals across metas go per unit (``agrupar``).

How a unit text is classified (folded: no accents, no case), by its first significant word:

- porcentaje: porcentaje, porcentual, por ciento, %, tasa;
- medida: length and area (km, kilómetro(s), m, metro(s), m2, m3, hectárea(s), ha), time
  (hora(s), h, hrs, minuto(s)), volume and weight (litro(s), l, lts, kilogramo(s), kg,
  tonelada(s), ton), money (peso(s), $, mdp);
- conteo: anything else (the default: the product always counted whole things).

The first significant word is the first one after quantity words such as «número de»,
«cantidad de», «total de», «miles de», «millones de» («Miles de pesos» is a measure,
«Número de eventos» a count).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .text import fold


class ClaseUnidad(StrEnum):
    CONTEO = "conteo"
    PORCENTAJE = "porcentaje"
    MEDIDA = "medida"

    @property
    def decimales(self) -> bool:
        """Whether a figure in this class may have decimals."""
        return self is not ClaseUnidad.CONTEO


_PORCENTAJE = frozenset({"porcentaje", "porcentajes", "porcentual", "%", "tasa", "tasas"})
_MEDIDA = frozenset(
    {
        # length and area
        "km", "kms", "kilometro", "kilometros", "m", "mts", "metro", "metros", "m2", "m3",
        "hectarea", "hectareas", "ha",
        # time
        "hora", "horas", "h", "hr", "hrs", "minuto", "minutos", "min",
        # volume and weight
        "litro", "litros", "l", "lt", "lts", "kilogramo", "kilogramos", "kg", "kgs",
        "tonelada", "toneladas", "ton",
        # money
        "peso", "pesos", "$", "mdp",
    }
)  # fmt: skip
# Words before the one that names the unit («Número de eventos», «Miles de pesos»).
_CUANTIFICADORES = frozenset(
    {"numero", "no", "num", "cantidad", "total", "miles", "millones", "de", "del", "en", "la"}
)
_PALABRAS = re.compile(r"[a-z0-9]+|%|\$")


def clase_unidad(texto: object) -> ClaseUnidad:
    """The class of a unit as written («Porcentaje» -> porcentaje, «Km.» -> medida,
    «Eventos» -> conteo); a blank unit is a count."""
    plegado = fold(texto) if texto is not None else ""
    if "por ciento" in plegado:
        return ClaseUnidad.PORCENTAJE
    for palabra in _PALABRAS.findall(plegado):
        if palabra in _CUANTIFICADORES:
            continue
        if palabra in _PORCENTAJE:
            return ClaseUnidad.PORCENTAJE
        if palabra in _MEDIDA:
            return ClaseUnidad.MEDIDA
        break
    return ClaseUnidad.CONTEO


def acepta_decimales(texto: object) -> bool:
    """Whether figures in this unit may have decimals (a percentage or a measure)."""
    return clase_unidad(texto).decimales


def formas(texto: str) -> set[str]:
    """The spellings a unit may stand for: folded, singular and plural («Eventos» ->
    {"eventos", "evento", "event"}): two units sharing one are the same unit."""
    word = fold(texto)
    forms = {word}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    return forms


def agrupar(textos: Iterable[str]) -> dict[str, str]:
    """Each unit text -> the first spelling seen of its unit («Evento» and «Eventos» are
    one unit, said as the first one written). Blank units group under ""."""
    grupos: list[tuple[set[str], str]] = []
    out: dict[str, str] = {}
    for texto in textos:
        if texto in out:
            continue
        if not texto.strip():
            out[texto] = ""
            continue
        propias = formas(texto)
        for vistas, primera in grupos:
            if propias & vistas:
                out[texto] = primera
                break
        else:
            grupos.append((propias, texto))
            out[texto] = texto
    return out
