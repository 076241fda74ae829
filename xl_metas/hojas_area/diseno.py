"""The page of one programa, laid out like the institute's document (pure: data in, a
``HojaGenerada`` out), and the state colours of its month cells."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import NOMBRES_MESES, Meta, Plan, numero_plano
from ..plan_sheet import TITULO
from ..render import Estilo, HojaGenerada, Impresion
from ..text import column_letter, fold, sin_controles
from ..unidades import acepta_decimales

ENCABEZADOS = ("OBJETIVO", "META", "DESCRIPCIÓN DE LA META", "UNIDAD DE MEDIDA", "PROGRAMA ANUAL")
CALENDARIO = "CALENDARIO"
TOTAL = "TOTAL"
TOTAL_CONTEOS = "TOTAL (sin las metas en porcentaje o en otra medida)"
PROGRAMADO, REALIZADO = "Prog.", "Real."

# Column widths (Excel character units) and the body font: chosen so a page of the
# 2011 plan prints one page wide on landscape letter and long objetivos stay readable.
ANCHOS_FIJOS = {"objetivo": 46.0, "meta": 6.0, "descripcion": 40.0, "unidad": 14.0, "anual": 10.0}
ANCHO_AVANCE = 6.0
ANCHO_MES = 5.5
TAMANO = 9.0
ALTO_LINEA = 12.0  # points per wrapped line at TAMANO
ALTO_MINIMO = 15.0
FILA_TITULO = 1
FILA_ENCABEZADO = 5  # two rows: 5 and 6
PRIMERA_FILA = 7

TITULO_ESTILO = Estilo(negrita=True, tamano=12, horizontal="center", vertical="center")
ENCABEZADO_ESTILO = Estilo(
    negrita=True,
    relleno="D9D9D9",
    tamano=TAMANO,
    horizontal="center",
    vertical="center",
    ajustar=True,
    borde=True,
)
TEXTO_ESTILO = Estilo(tamano=TAMANO, vertical="center", ajustar=True, borde=True)
CENTRO_ESTILO = Estilo(tamano=TAMANO, horizontal="center", vertical="center", borde=True)
TOTAL_ESTILO = Estilo(
    negrita=True,
    relleno="F2F2F2",
    tamano=TAMANO,
    horizontal="center",
    vertical="center",
    borde=True,
)

_PROHIBIDOS = re.compile(r"[\[\]:*?/\\]")
MAX_NOMBRE = 31


# -- progress, as this layout needs it ------------------------------------------------------
@dataclass(frozen=True)
class AvanceMeta:
    """A meta's progress: realizado and state colour ("RRGGBB" or None) per month."""

    realizado: tuple[float | None, ...]
    rellenos: tuple[str | None, ...] = (None,) * 12


@dataclass(frozen=True)
class ProgresoHojas:
    """Progress at a cut-off date, by meta number (``Meta.clave``), with its colour legend."""

    corte: dt.date
    metas: Mapping[str, AvanceMeta]
    leyenda: tuple[tuple[str, str], ...] = ()  # (state label, "RRGGBB")


# -- names -----------------------------------------------------------------------------
def nombre_hoja(programa: str, tomados: Iterable[str] = ()) -> str:
    """A valid Excel sheet name for a programa, unique among ``tomados`` (case-insensitive)."""
    base = _PROHIBIDOS.sub("-", " ".join(sin_controles(str(programa)).split())).strip("'").strip()
    base = base or "Sin programa"
    taken = {fold(t) for t in tomados}
    nombre, n = base[:MAX_NOMBRE].rstrip(), 2
    while fold(nombre) in taken or fold(nombre) == "history":
        sufijo = f" ({n})"
        nombre, n = base[: MAX_NOMBRE - len(sufijo)].rstrip() + sufijo, n + 1
    return nombre


# -- layout ----------------------------------------------------------------------------
def _lines(text: Any, width: float) -> int:
    """Wrapped lines a text needs in a column (about 1.2 characters per width unit at 9 pt)."""
    if text is None or text == "":
        return 1
    per_line = max(1, int(width * 1.2))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _grupos(metas: Sequence[Meta]) -> list[tuple[int, int]]:
    """Runs [start, end) of consecutive metas sharing exactly the same objetivo."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(metas) + 1):
        if i == len(metas) or not (
            metas[i].objetivo_heredado
            or (not metas[i].objetivo.vacio and metas[i].objetivo.raw == metas[start].objetivo.raw)
        ):
            runs.append((start, i))
            start = i
    return runs


def hoja_area(
    plan: Plan, programa: str, nombre: str, seguimiento: ProgresoHojas | None = None
) -> HojaGenerada:
    """The page of one programa: titles, the two-row header, one row per meta, totals.

    Values are exactly the plan's (a blank month stays blank); an objetivo shared by
    consecutive metas is written once, in a merged cell. With ``seguimiento`` each meta
    gets a *Realizado* row below it and its planned months take the state colours.
    """
    metas = [m for m in plan.metas if fold(m.programa.texto) == fold(programa)]
    avance = seguimiento is not None
    por_meta = 2 if avance else 1
    # Columns: A..E as in the document, [F: Prog./Real. label], then ENE…DIC (or T1…T4).
    n = len(plan.periodos)
    first_month = 7 if avance else 6
    last_col = first_month + n - 1
    last = column_letter(last_col)
    mes_col = [column_letter(first_month + i) for i in range(n)]

    titulo = f"{TITULO} {plan.anio}" if plan.anio else TITULO
    filas: list[list[Any]] = [
        [plan.institucion or None],
        [titulo],
        [f"PROGRAMA {programa}".upper() if programa else "PROGRAMA"],
        [_corte_texto(seguimiento.corte, plan.periodicidad.plural) if seguimiento else None],
    ]
    head1: list[Any] = [*ENCABEZADOS, *([None] if avance else []), CALENDARIO, *[None] * (n - 1)]
    head2: list[Any] = [None] * (first_month - 1) + list(plan.periodos)
    filas += [head1, head2]

    anchos: dict[str, float] = dict(zip("ABCDE", ANCHOS_FIJOS.values(), strict=True))
    if avance:
        anchos["F"] = ANCHO_AVANCE
    anchos |= dict.fromkeys(mes_col, ANCHO_MES)

    combinadas = [f"A{r}:{last}{r}" for r in range(1, 5)]
    for c in range(1, first_month):
        letter = column_letter(c)
        combinadas.append(f"{letter}{FILA_ENCABEZADO}:{letter}{FILA_ENCABEZADO + 1}")
    combinadas.append(f"{mes_col[0]}{FILA_ENCABEZADO}:{last}{FILA_ENCABEZADO}")
    estilos: list[tuple[str, Estilo]] = [
        (f"A1:{last}3", TITULO_ESTILO),
        (f"A4:{last}4", Estilo(tamano=TAMANO, horizontal="center", vertical="center")),
        (f"A{FILA_ENCABEZADO}:{last}{FILA_ENCABEZADO + 1}", ENCABEZADO_ESTILO),
    ]
    altos: dict[int, float] = {1: 18.0, 2: 18.0, 3: 18.0, 4: 15.0, 5: 30.0, 6: 15.0}

    grupos = _grupos(metas)
    solos = {start for start, end in grupos if end - start == 1}
    needs: list[float] = []  # height the row of each meta needs for its own texts
    for i, meta in enumerate(metas):
        row: list[Any] = [
            None if meta.objetivo_heredado else meta.objetivo.raw,
            meta.numero.raw,
            meta.descripcion.raw,
            meta.unidad.raw,
            meta.anual.raw,
        ]
        if avance:
            row.append(PROGRAMADO)
        filas.append(row + [m.raw for m in meta.meses])
        if seguimiento is not None:
            progreso = seguimiento.metas.get(meta.clave)
            realizado = progreso.realizado if progreso else (None,) * n
            hecho = [r for r in realizado if r is not None]
            filas.append(
                [None] * 4
                + [numero_plano(sum(hecho)) if hecho else None, REALIZADO]
                + [None if r is None else numero_plano(r) for r in realizado]
            )
        lines = max(
            _lines(meta.descripcion.raw, ANCHOS_FIJOS["descripcion"]),
            _lines(meta.unidad.raw, ANCHOS_FIJOS["unidad"]),
            # an objetivo of its own is not merged: its row holds it (autofit sees it)
            _lines(meta.objetivo.raw, ANCHOS_FIJOS["objetivo"]) if i in solos else 1,
        )
        needs.append(max(ALTO_MINIMO, lines * ALTO_LINEA + 4))

    # Heights: the meta's own row fits its texts (the Realizado row below is one line).
    # An objetivo shared by several metas is merged over their rows; when it needs more
    # than those rows give, the group's rows share one height (one operation in Excel).
    altura = {
        PRIMERA_FILA + i * por_meta + k: round(needs[i] if k == 0 else ALTO_MINIMO, 1)
        for i in range(len(metas))
        for k in range(por_meta)
    }
    fijos: list[str] = []
    for start, end in grupos:
        if end - start == 1:
            continue
        top = PRIMERA_FILA + start * por_meta
        bottom = PRIMERA_FILA + end * por_meta - 1
        combinadas.append(f"A{top}:A{bottom}")
        need = _lines(metas[start].objetivo.raw, ANCHOS_FIJOS["objetivo"]) * ALTO_LINEA + 4
        rows = range(top, bottom + 1)
        if need > sum(altura[r] for r in rows):
            alto = round(max(max(altura[r] for r in rows), need / len(rows)), 1)
            altura |= dict.fromkeys(rows, alto)
            fijos.append(f"{top}:{bottom}")
    altos |= altura

    end_row = PRIMERA_FILA + len(metas) * por_meta - 1
    if metas:
        # One style per column band of the whole table (not per row): bounded in Excel.
        estilos += [
            (f"A{PRIMERA_FILA}:A{end_row}", TEXTO_ESTILO),
            (f"B{PRIMERA_FILA}:B{end_row}", CENTRO_ESTILO),
            (f"C{PRIMERA_FILA}:C{end_row}", TEXTO_ESTILO),
            (f"D{PRIMERA_FILA}:D{end_row}", replace(TEXTO_ESTILO, horizontal="center")),
            (f"E{PRIMERA_FILA}:{last}{end_row}", CENTRO_ESTILO),
        ]

    total_row = end_row + 1
    # Figures of different units are never added: the total adds the metas counted in
    # whole units, and says so when the programa also has percentages or measures.
    suman = [m for m in metas if not acepta_decimales(m.unidad.texto)]
    totales: list[Any] = [
        TOTAL if len(suman) == len(metas) else TOTAL_CONTEOS,
        None,
        None,
        None,
        numero_plano(_sum(m.anual.numero for m in suman)),
    ]
    if avance:
        totales.append(PROGRAMADO)
    totales += [numero_plano(_sum(m.meses[i].numero for m in suman)) for i in range(n)]
    filas.append(totales)
    combinadas.append(f"A{total_row}:D{total_row}")
    estilos.append((f"A{total_row}:{last}{total_row}", TOTAL_ESTILO))
    altos[total_row] = ALTO_MINIMO
    final_row = total_row
    if seguimiento is not None:
        final_row += 1
        done = [seguimiento.metas.get(m.clave) for m in suman]
        filas.append(
            [None] * 4
            + [numero_plano(_sum(r for a in done if a for r in a.realizado)), REALIZADO]
            + [numero_plano(_sum(a.realizado[i] for a in done if a)) for i in range(n)]
        )
        combinadas.append(f"A{total_row}:D{final_row}")
        combinadas.remove(f"A{total_row}:D{total_row}")
        estilos.append((f"A{final_row}:{last}{final_row}", TOTAL_ESTILO))
        altos[final_row] = ALTO_MINIMO
        if seguimiento.leyenda:
            legend_row = final_row + 2
            filas.append([])
            # Two month columns per state, so its name fits on one or two lines.
            legend: list[Any] = ["Colores de los meses programados:"]
            legend += [None] * (first_month - 2)
            for i, (label, color) in enumerate(seguimiento.leyenda):
                pair = (
                    f"{column_letter(first_month + 2 * i)}{legend_row}:"
                    f"{column_letter(first_month + 2 * i + 1)}{legend_row}"
                )
                legend += [label, None]
                combinadas.append(pair)
                estilos.append(
                    (
                        pair,
                        Estilo(
                            relleno=color,
                            tamano=7,
                            ajustar=True,
                            borde=True,
                            horizontal="center",
                            vertical="center",
                        ),
                    )
                )
            filas.append(legend)
            estilos.append(
                (f"A{legend_row}", Estilo(tamano=TAMANO, horizontal="right", vertical="center"))
            )
            combinadas.append(f"A{legend_row}:{column_letter(first_month - 1)}{legend_row}")
            altos[legend_row] = 24.0

    return HojaGenerada(
        nombre=nombre,
        filas=filas,
        anchos=anchos,
        estilos=estilos,
        combinadas=combinadas,
        altos=altos,
        congelar=f"A{PRIMERA_FILA}",
        impresion=Impresion(filas_repetidas=f"{FILA_ENCABEZADO}:{FILA_ENCABEZADO + 1}"),
        autoajuste=f"{PRIMERA_FILA}:{end_row}" if metas else None,
        altos_fijos=fijos,
    )


def _sum(values: Iterable[float | None]) -> float:
    return float(sum(v for v in values if v is not None))


def _corte_texto(corte: dt.date, periodos: str = "meses") -> str:
    return (
        f"Avance al {corte.day} de {NOMBRES_MESES[corte.month - 1]} de {corte.year}: "
        f"{periodos} programados coloreados según su estado; fila «Real.» = realizado"
    )


@dataclass(frozen=True)
class ColoresMeses:
    """The state colours of the planned month cells: painted with ``Libro.colorear`` (a
    hidden mirror block and conditional formats), so a sheet costs the same number of
    Excel operations for 10 metas or 5,000."""

    area: str  # the month block of the meta rows, e.g. "G7:R30"
    rellenos: dict[str | None, list[str]]  # "RRGGBB" -> cells


def colores_meses(
    plan: Plan, programa: str, seguimiento: ProgresoHojas | None
) -> ColoresMeses | None:
    """The month colours of ``hoja_area(plan, programa, …, seguimiento)``; None without
    progress or metas."""
    metas = [m for m in plan.metas if fold(m.programa.texto) == fold(programa)]
    if seguimiento is None or not metas:
        return None
    first_month = 7
    mes_col = [column_letter(first_month + i) for i in range(len(plan.periodos))]
    rellenos: dict[str | None, list[str]] = {}
    for i, meta in enumerate(metas):
        progreso = seguimiento.metas.get(meta.clave)
        if progreso is None:
            continue
        for j, color in enumerate(progreso.rellenos):
            if color:
                rellenos.setdefault(color, []).append(f"{mes_col[j]}{PRIMERA_FILA + 2 * i}")
    end_row = PRIMERA_FILA + 2 * len(metas) - 1
    return ColoresMeses(f"{mes_col[0]}{PRIMERA_FILA}:{mes_col[-1]}{end_row}", rellenos)
