"""A plan read from another institution's workbook: the sheet, its header band, its rows.

Values are kept as written, each with the cell it came from, so every later finding
points at the source workbook. What had to be inferred is said in ``avisos``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import LecturaError
from ..model import Meta, Plan, Valor, as_number, numero_plano
from ..text import cell_address, column_letter, enumerar, fold
from .encabezado import FILAS_BUSQUEDA, MAX_FILAS_BANDA, bandas, fila_de_encabezado, texto_de
from .hoja import Hoja, es_numero
from .mapeo import Mapeo
from .sinonimos import NOMBRES_CAMPOS, Campo
from .tabla import COMO_MAPEAR, FILAS_MUESTRA, Tabla, encabezados_encontrados, exigir, tabla_de

# Reads a sheet by name: all its rows (None) or only the first ones (to choose the sheet).
LeerHoja = Callable[[str, int | None], Hoja]

_ANIO = re.compile(r"(?<!\d)(20\d\d|2100)(?!\d)")
_GRUPO = re.compile(r"^(?:programa|proyecto|area)\s*[:.\-]?\s+(.+)$", re.IGNORECASE)
_TOTAL = ("total", "totales", "suma", "subtotal")


@dataclass(frozen=True)
class PlanImportado:
    """The plan read, the realizado found beside it (by meta number), and what was inferred."""

    plan: Plan
    realizado: dict[str, tuple[Valor, ...]] = field(default_factory=dict)
    avisos: list[str] = field(default_factory=list)


def plan_de_hojas(
    libro: str,
    nombres: Sequence[str],
    leer_hoja: LeerHoja,
    hoja: str | None = None,
    mapeo: Mapeo | None = None,
) -> PlanImportado:
    """The plan of a workbook whose sheets are ``nombres``: on the sheet named (``hoja``,
    else the mapping's), or on the sheet that looks most like a plan."""
    elegida = hoja or (mapeo.hoja if mapeo else None)
    avisos: list[str] = []
    if elegida is not None:
        nombre = _resolver(libro, nombres, elegida, mapeo if not hoja else None)
    else:
        nombre = _elegir(libro, nombres, leer_hoja, mapeo)
        if len(nombres) > 1:
            otras = enumerar([f"«{n}»" for n in nombres if n != nombre])
            avisos.append(f"El plan se lee de la hoja «{nombre}» (las otras: {otras}).")
    completa = leer_hoja(nombre, None)
    tabla = _tabla(completa, mapeo)
    if tabla is None:
        raise LecturaError(
            f"«{libro}», hoja «{nombre}»: no encuentro la fila de encabezados de una tabla de "
            f"metas en las primeras {FILAS_BUSQUEDA} filas.\n"
            + COMO_MAPEAR.format(hoja=nombre, fila=1)
        )
    exigir(tabla)
    return _construir(tabla, avisos, mapeo.programa if mapeo else None)


def _resolver(libro: str, nombres: Sequence[str], hoja: str, mapeo: Mapeo | None) -> str:
    if hoja in nombres:
        return hoja
    parecida = next((n for n in nombres if fold(n) == fold(hoja)), None)
    if parecida is not None:
        return parecida
    donde = f" ({mapeo.donde(mapeo.lineas.get('hoja', 1))})" if mapeo else ""
    raise LecturaError(
        f"«{libro}» no tiene la hoja «{hoja}»{donde}. Hojas del libro: "
        + ", ".join(f"«{n}»" for n in nombres)
        + "."
    )


def _tabla(hoja: Hoja, mapeo: Mapeo | None) -> Tabla | None:
    """The header band that reads most like a plan (the mapping's row when it gives one),
    with the mapping's columns on top."""
    if mapeo is not None and mapeo.fila_encabezado is not None:
        return tabla_de(hoja, mapeo.fila_encabezado, mapeo=mapeo)
    mejor: Tabla | None = None
    for fila1, fila2 in bandas(hoja):
        tabla = tabla_de(hoja, fila1, fila2)
        if mejor is None or tabla.puntos() > mejor.puntos():
            mejor = tabla
    if mejor is None or mapeo is None:
        return mejor
    return tabla_de(hoja, mejor.banda.fila1, mejor.banda.fila2, mapeo=mapeo)


def _elegir(libro: str, nombres: Sequence[str], leer_hoja: LeerHoja, mapeo: Mapeo | None) -> str:
    """The sheet that looks most like a plan, from its first rows only."""
    filas = FILAS_BUSQUEDA + MAX_FILAS_BANDA + FILAS_MUESTRA
    if mapeo is not None and mapeo.fila_encabezado is not None:
        filas += mapeo.fila_encabezado
    vistas: list[tuple[str, Tabla | None]] = []
    for nombre in nombres:
        hoja = leer_hoja(nombre, filas)
        sin_columnas = Mapeo(mapeo.nombre, fila_encabezado=mapeo.fila_encabezado) if mapeo else None
        vistas.append((nombre, _tabla(hoja, sin_columnas)))
    puntuadas = [(t.puntos(), -i, n) for i, (n, t) in enumerate(vistas) if t is not None]
    if puntuadas:
        mejor = max(puntuadas)
        if mejor[0][0] or mapeo is not None:  # a whole plan, or the mapping says the rest
            return mejor[2]
    if mapeo is not None:
        return nombres[0]
    partes = []
    for nombre, tabla in vistas:
        if tabla is None or not tabla.banda.rotulos():
            partes.append(f"«{nombre}»: nada reconocible")
        else:
            partes.append(f"«{nombre}»: " + encabezados_encontrados(tabla.banda).rstrip("."))
    raise LecturaError(
        f"«{libro}»: ninguna hoja tiene una tabla de metas que reconozca (una columna de "
        "descripción y un calendario de meses o trimestres).\n"
        + "\n".join(partes)
        + "\n"
        + COMO_MAPEAR.format(hoja=nombres[0] if nombres else "", fila=1)
    )


@dataclass
class _Fila:
    tabla: Tabla
    fila: int

    def valor(self, columna: int | None) -> Valor:
        if columna is None:
            return Valor(None, "")
        raw = self.tabla.hoja.valor(self.fila, columna)
        return Valor(raw, cell_address(self.fila, columna))

    def campo(self, campo: Campo) -> Valor:
        return self.valor(self.tabla.campos.get(campo))

    def cifras(self) -> list[Valor]:
        """The row's figures: numbers in the calendar, the realizado or the annual target."""
        columnas = [*self.tabla.programado.values(), *self.tabla.realizado.values()]
        if Campo.ANUAL in self.tabla.campos:
            columnas.append(self.tabla.campos[Campo.ANUAL])
        return [v for c in columnas if (v := self.valor(c)).numero is not None]


def _construir(tabla: Tabla, avisos: list[str], nombre_programa: str | None) -> PlanImportado:
    hoja = tabla.hoja
    avisos.append(
        f"Hoja «{hoja.nombre}»: encabezados en "
        + ("la fila " if tabla.banda.fila1 == tabla.banda.fila2 else "las filas ")
        + f"{tabla.banda.filas}; metas desde la fila {tabla.primera}."
    )
    avisos.append(_columnas_leidas(tabla))
    avisos.extend(tabla.avisos)
    usadas = {*tabla.campos.values(), *tabla.programado.values(), *tabla.realizado.values()}
    no_leidas = [
        f"{c.letra} «{c.titulo}»"
        for c in tabla.banda.columnas
        if c.indice not in usadas and c.periodo is None
    ]
    if no_leidas:
        avisos.append("No se leen las columnas " + enumerar(no_leidas) + ".")
    titulos = _titulos(hoja, tabla.banda.fila1)
    anio = next((int(m.group(1)) for t in titulos if (m := _ANIO.search(str(t)))), None)
    institucion = next((t for t in titulos if isinstance(t, str)), "")

    filas = _filas(tabla, avisos)
    programa_fijo = (
        Valor(nombre_programa)
        if nombre_programa is not None
        else _programa_fijo(tabla, titulos, avisos)
    )
    metas: list[Meta] = []
    realizado: dict[str, tuple[Valor, ...]] = {}
    anterior: Meta | None = None
    grupo: Valor | None = None
    for fila, es_grupo in filas:
        if es_grupo is not None:
            grupo = es_grupo
            continue
        programa = fila.campo(Campo.PROGRAMA) if Campo.PROGRAMA in tabla.campos else None
        if programa is None:
            programa = grupo or programa_fijo
        elif programa.vacio and anterior is not None:
            programa = Valor(anterior.programa.raw, programa.celda)
        objetivo = fila.campo(Campo.OBJETIVO)
        heredado = False
        if (
            Campo.OBJETIVO in tabla.campos
            and objetivo.vacio
            and anterior is not None
            and fold(anterior.programa.texto) == fold(programa.texto)
        ):
            objetivo, heredado = Valor(anterior.objetivo.raw, objetivo.celda), True
        meses = tuple(fila.valor(tabla.programado.get(i)) for i in range(len(tabla.periodos)))
        numero = fila.campo(Campo.NUMERO) if Campo.NUMERO in tabla.campos else Valor(len(metas) + 1)
        anual = fila.campo(Campo.ANUAL) if Campo.ANUAL in tabla.campos else _suma(meses)
        meta = Meta(
            programa=programa,
            objetivo=objetivo,
            numero=numero,
            descripcion=fila.campo(Campo.DESCRIPCION),
            unidad=fila.campo(Campo.UNIDAD),
            anual=anual,
            meses=meses,
            fila=fila.fila,
            objetivo_heredado=heredado,
        )
        metas.append(meta)
        anterior = meta
        if tabla.realizado:
            valores = tuple(fila.valor(tabla.realizado.get(i)) for i in range(len(tabla.periodos)))
            if meta.clave in realizado:
                avisos.append(
                    f"La meta {meta.clave} está dos veces (fila {fila.fila}): su realizado no "
                    "se lee otra vez."
                )
            else:
                realizado[meta.clave] = valores
    avisos.extend(_faltantes(tabla, len(metas)))
    plan = Plan(
        metas=tuple(metas),
        anio=anio,
        institucion=institucion,
        hoja=hoja.nombre,
        periodicidad=tabla.periodicidad,
    )
    return PlanImportado(plan, realizado, avisos)


def _columnas_leidas(tabla: Tabla) -> str:
    partes = [
        f"{column_letter(c)} → {NOMBRES_CAMPOS[campo]}"
        for campo, c in sorted(tabla.campos.items(), key=lambda x: x[1])
    ]
    programado = ", ".join(column_letter(c) for _, c in sorted(tabla.programado.items()))
    partes.append(f"programado ({tabla.periodicidad.value}) en {programado}")
    if tabla.realizado:
        realizado = ", ".join(column_letter(c) for _, c in sorted(tabla.realizado.items()))
        partes.append(f"realizado en {realizado}")
    return "Columnas: " + "; ".join(partes) + "."


def _faltantes(tabla: Tabla, n: int) -> list[str]:
    avisos = []
    if Campo.NUMERO not in tabla.campos:
        avisos.append(f"Sin columna de número de meta: las metas se numeran del 1 al {n}.")
    if Campo.ANUAL not in tabla.campos:
        avisos.append("Sin columna de meta anual: se toma la suma del calendario.")
    if Campo.OBJETIVO not in tabla.campos:
        avisos.append("Sin columna de objetivo: las metas quedan sin objetivo.")
    if Campo.UNIDAD not in tabla.campos:
        avisos.append("Sin columna de unidad de medida: las metas quedan sin unidad.")
    return avisos


def _titulos(hoja: Hoja, fila1: int) -> list[Any]:
    """Title cells above the header band, in reading order."""
    return [
        v
        for fila in range(1, fila1)
        for c in range(1, hoja.ancho + 1)
        if (v := hoja.valor(fila, c)) is not None and (texto_de(v) or es_numero(v))
    ]


def _programa_fijo(tabla: Tabla, titulos: list[Any], avisos: list[str]) -> Valor:
    """The programa of every meta when the sheet has no programa column."""
    if Campo.PROGRAMA in tabla.campos:
        return Valor(None, "")
    for t in titulos:
        if isinstance(t, str) and (m := _GRUPO.match(t.strip())):
            avisos.append(f"Sin columna de programa: se toma «{m.group(1)}» del título.")
            return Valor(m.group(1).strip())
    avisos.append(f"Sin columna de programa: se toma el nombre de la hoja, «{tabla.hoja.nombre}».")
    return Valor(tabla.hoja.nombre)


def _filas(tabla: Tabla, avisos: list[str]) -> list[tuple[_Fila, Valor | None]]:
    """The rows that hold metas (or name the programa of the metas below them)."""
    hoja = tabla.hoja
    filas: list[tuple[_Fila, Valor | None]] = []
    totales: list[str] = []
    sin_texto: list[str] = []
    repetidos: list[str] = []
    ultima_con_cifras = 0
    for numero in range(tabla.primera, tabla.ultima + 1):
        fila = _Fila(tabla, numero)
        textos = [
            (c, v)
            for c in range(1, hoja.ancho + 1)
            if isinstance(v := hoja.valor(numero, c), str) and v.strip()
        ]
        cifras = fila.cifras()
        if not textos and not cifras:
            continue
        if _es_total(fila, textos):
            if cifras:
                totales.append(str(numero))
            continue
        if not cifras and fila_de_encabezado(hoja, numero):
            repetidos.append(str(numero))
            continue
        descripcion = fila.campo(Campo.DESCRIPCION)
        clave = fila.campo(Campo.NUMERO)
        if descripcion.vacio and clave.vacio:
            if (
                Campo.PROGRAMA not in tabla.campos
                and not cifras
                and len(textos) == 1
                and (m := _GRUPO.match(textos[0][1].strip()))
            ):
                filas.append((fila, Valor(m.group(1).strip(), cell_address(numero, textos[0][0]))))
            elif cifras:
                sin_texto.append(str(numero))
            continue
        filas.append((fila, None))
        if cifras:
            ultima_con_cifras = len(filas)
    sobran = [f for f, g in filas[ultima_con_cifras:] if g is None]
    if sobran:
        avisos.append(
            "No se leen las filas "
            + enumerar([str(f.fila) for f in sobran])
            + ", después de la última meta con cifras (firmas o notas)."
        )
        filas = filas[:ultima_con_cifras]
    if totales:
        avisos.append(f"No se leen las filas de totales {enumerar(totales)}.")
    if repetidos:
        avisos.append(f"Encabezados repetidos en las filas {enumerar(repetidos)}: no se leen.")
    if sin_texto:
        avisos.append(
            f"Las filas {enumerar(sin_texto)} tienen cifras pero ni descripción ni número de "
            "meta: no se leen."
        )
    return filas


def _es_total(fila: _Fila, textos: list[tuple[int, str]]) -> bool:
    """A totals row: «TOTAL», «Subtotal Vinculación», «Suma» where the metas' labels go."""
    etiquetas = {
        fila.tabla.campos.get(c) for c in (Campo.PROGRAMA, Campo.NUMERO, Campo.DESCRIPCION)
    }
    return any(
        c in etiquetas and fold(v).startswith(_TOTAL) and len(v.split()) <= 3 for c, v in textos
    )


def _suma(meses: tuple[Valor, ...]) -> Valor:
    """The calendar's sum, as a person writes it (0.5, not 0.49999999999999994)."""
    numeros = [n for v in meses if (n := as_number(v.raw)) is not None]
    return Valor(numero_plano(round(math.fsum(numeros), 9)))
