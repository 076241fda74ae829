"""The header band of a foreign plan: up to four rows of labels, merged cells included.

A column's header is the path of labels over it, top to bottom: «Programación» over «ENE»
over «Programado». A merged cell gives its label to every cell it covers. When the file
says nothing about merges (or the band has none: «centrar en la selección» looks merged
but is not), a blank band cell takes the label to its left when both columns carry
labels below it and share the same label above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import MESES, Periodicidad
from ..text import cell_address, column_letter
from .hoja import Hoja, es_numero
from .sinonimos import Campo, Lectura, Papel, leer_etiqueta

FILAS_BUSQUEDA = 40  # the header band starts within the first rows of a sheet
MAX_FILAS_BANDA = 4


@dataclass(frozen=True)
class Rotulo:
    """One label of a column's header: its text, its cell (a merged range's first cell)."""

    texto: str
    celda: str
    lectura: Lectura


@dataclass(frozen=True)
class Columna:
    """A column of the header band and what its labels say."""

    indice: int  # 1-based
    rotulos: tuple[Rotulo, ...]
    campo: Campo | None = None
    rango: int = 0
    ambigua: bool = False
    periodo: int | None = None
    periodicidad: Periodicidad | None = None
    papel: Papel | None = None

    @property
    def letra(self) -> str:
        return column_letter(self.indice)

    @property
    def titulo(self) -> str:
        """«Programación › ENE › Programado»."""
        return " › ".join(r.texto for r in self.rotulos)

    @property
    def reconocida(self) -> bool:
        return any(r.lectura.reconocida for r in self.rotulos)


@dataclass(frozen=True)
class Banda:
    hoja: Hoja
    fila1: int
    fila2: int
    columnas: tuple[Columna, ...]  # the columns that carry a label, left to right

    @property
    def filas(self) -> str:
        return str(self.fila1) if self.fila1 == self.fila2 else f"{self.fila1}–{self.fila2}"

    def rotulos(self) -> list[Rotulo]:
        """Every distinct label cell of the band, in reading order."""
        vistos: dict[str, Rotulo] = {}
        for columna in self.columnas:
            for r in columna.rotulos:
                vistos.setdefault(r.celda, r)
        return sorted(vistos.values(), key=lambda r: _orden(r.celda))


def _orden(celda: str) -> tuple[int, int, str]:
    letras = celda.rstrip("0123456789")
    return (int(celda[len(letras) :]), len(letras), letras)


def texto_de(valor: Any) -> str | None:
    """A header cell's label: its text; a date (a month typed as a date) as its month."""
    if isinstance(valor, str):
        return valor.strip() or None
    if isinstance(valor, dt.date):
        return MESES[valor.month - 1]
    return None


def fila_de_encabezado(hoja: Hoja, fila: int) -> bool:
    """A row that can belong to a header band: a recognised label and no figure."""
    return not tiene_numeros(hoja, fila) and any(
        leer_etiqueta(t).reconocida
        for c in range(1, len(hoja.filas[fila - 1]) + 1)
        if (t := texto_de(hoja.valor(fila, c))) is not None
    )


def tiene_numeros(hoja: Hoja, fila: int) -> bool:
    return fila <= hoja.alto and any(es_numero(v) for v in hoja.filas[fila - 1])


def bandas(hoja: Hoja, desde: int = 1, hasta: int = FILAS_BUSQUEDA) -> Iterator[tuple[int, int]]:
    """Candidate header bands (first row, last row) starting between rows desde–hasta."""
    for fila1 in range(desde, min(hoja.alto, hasta) + 1):
        if not fila_de_encabezado(hoja, fila1):
            continue
        yield fila1, extender(hoja, fila1)


def extender(hoja: Hoja, fila1: int, filas: int | None = None) -> int:
    """The band's last row: ``filas`` rows, or down while rows look like a header."""
    if filas is not None:
        return fila1 + filas - 1
    fila2 = fila1
    while (
        fila2 - fila1 + 1 < MAX_FILAS_BANDA
        and fila2 < hoja.alto
        and fila_de_encabezado(hoja, fila2 + 1)
    ):
        fila2 += 1
    return fila2


def leer_banda(hoja: Hoja, fila1: int, fila2: int) -> Banda:
    celdas = _celdas(hoja, fila1, fila2)
    columnas = []
    for indice in range(1, hoja.ancho + 1):
        rotulos: list[Rotulo] = []
        for fila in range(fila1, fila2 + 1):
            rotulo = celdas.get((fila, indice))
            if rotulo is not None and (not rotulos or rotulos[-1].celda != rotulo.celda):
                rotulos.append(rotulo)
        if rotulos:
            columnas.append(clasificar(indice, tuple(rotulos)))
    return Banda(hoja, fila1, fila2, tuple(columnas))


def _celdas(hoja: Hoja, fila1: int, fila2: int) -> dict[tuple[int, int], Rotulo]:
    celdas: dict[tuple[int, int], Rotulo] = {}
    combinadas = False
    for fila in range(fila1, fila2 + 1):
        for columna in range(1, hoja.ancho + 1):
            origen = hoja.origen(fila, columna)
            if origen is not None and origen[0] >= fila1:
                combinadas = True
            elif origen is not None:
                continue  # merged from a title row above the band
            desde = origen or (fila, columna)
            texto = texto_de(hoja.valor(*desde))
            if texto is not None:
                celdas[(fila, columna)] = Rotulo(texto, cell_address(*desde), leer_etiqueta(texto))
    if not combinadas:
        _rellenar(hoja, celdas, fila1, fila2)
    return celdas


def _rellenar(hoja: Hoja, celdas: dict[tuple[int, int], Rotulo], fila1: int, fila2: int) -> None:
    """Band labels spread over the columns they head, for files without merge ranges."""

    def con_debajo(fila: int, columna: int) -> bool:
        return any((f, columna) in celdas for f in range(fila + 1, fila2 + 1))

    for fila in range(fila1, fila2):
        for columna in range(2, hoja.ancho + 1):
            izquierda = celdas.get((fila, columna - 1))
            if (fila, columna) in celdas or izquierda is None:
                continue
            if not (con_debajo(fila, columna) and con_debajo(fila, columna - 1)):
                continue
            if fila > fila1 and celdas.get((fila - 1, columna)) != celdas.get(
                (fila - 1, columna - 1)
            ):
                continue
            celdas[(fila, columna)] = izquierda


def clasificar(indice: int, rotulos: tuple[Rotulo, ...]) -> Columna:
    """What a column holds, from its labels: the lowest label says most («Programado»
    under «ENE» under «Programación»)."""
    lecturas = [r.lectura for r in rotulos]
    periodos = [x for x in lecturas if x.periodo is not None]
    if periodos:
        mensuales = [x for x in periodos if x.periodicidad is Periodicidad.MENSUAL]
        periodo = (mensuales or periodos)[-1]
        papel: Papel | None = Papel.PROGRAMADO
        for x in reversed(lecturas):
            if x.papel is not None:
                papel = x.papel
                break
            if x.ambigua:  # «Meta» under a month: the planned figure
                break
        return Columna(
            indice, rotulos, periodo=periodo.periodo, periodicidad=periodo.periodicidad, papel=papel
        )
    campos = [x for x in lecturas if x.campo is not None]
    if not campos:
        return Columna(indice, rotulos)
    campo = campos[-1]
    debajo = lecturas[lecturas.index(campo) + 1 :]
    papel = next((x.papel for x in reversed(debajo) if x.papel is not None), None)
    if campo.ambigua and papel is not None:
        # «Meta» over «Programada | Alcanzada»: the annual target and its achievement.
        return Columna(indice, rotulos, campo=Campo.ANUAL, rango=len(lecturas), papel=papel)
    return Columna(
        indice, rotulos, campo=campo.campo, rango=campo.rango, ambigua=campo.ambigua, papel=papel
    )
