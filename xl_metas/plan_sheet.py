"""The Plan sheet: the master list of metas, read and written by header labels."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from .errors import LecturaError
from .grid import Column, Grid, Table, find_table
from .model import (
    MESES,
    NOMBRES_MESES,
    TRIMESTRES,
    Meta,
    Periodicidad,
    Plan,
    Valor,
)
from .rangos import runs
from .render import ULTIMA_FILA, ReglasColor, rango
from .text import cell_address, column_letter, fold
from .unidades import acepta_decimales

HOJA_PLAN = "Plan"
TITULO = "PROGRAMA METAS Y OBJETIVOS"
_YEAR = re.compile(r"programa metas y objetivos\s+(\d{4})")

COLUMNAS_MESES: tuple[Column, ...] = tuple(
    Column(mes, mes, (nombre, "AGO") if mes == "AGT" else (nombre,))
    for mes, nombre in zip(MESES, NOMBRES_MESES, strict=True)
)
_ORDINALES = (
    ("1er", "1ro", "1o", "1°", "1a", "primer", "primero", "i"),
    ("2do", "2o", "2°", "2a", "segundo", "ii"),
    ("3er", "3ro", "3o", "3°", "3a", "tercer", "tercero", "iii"),
    ("4to", "4o", "4°", "4a", "cuarto", "iv"),
)


def _alias_trimestre(n: int) -> tuple[str, ...]:
    """«T1», «1er trimestre», «TRIMESTRE 1», «1T», «Trim. 1»… (folded when compared)."""
    ordinales = _ORDINALES[n - 1]
    return (
        f"{n}T",
        f"TRIMESTRE {n}",
        f"TRIM {n}",
        f"TRIM. {n}",
        f"TRIMESTRE {ordinales[-1]}",
        *(f"{o} TRIMESTRE" for o in ordinales),
        *(f"{o}. TRIMESTRE" for o in ordinales[:3]),
    )


# Labels of the quarters of a plan calendarised by quarter (also read from Avance).
COLUMNAS_TRIMESTRES: tuple[Column, ...] = tuple(
    Column(t, t, _alias_trimestre(n)) for n, t in enumerate(TRIMESTRES, start=1)
)
_COLUMNAS_FIJAS: tuple[Column, ...] = (
    Column("programa", "PROGRAMA", ("ÁREA", "PROGRAMA / ÁREA", "PROGRAMA O ÁREA")),
    Column("objetivo", "OBJETIVO", ("OBJETIVOS",)),
    Column("numero", "META", ("NO. META", "NÚM. META", "NÚMERO DE META", "NO META", "#")),
    Column("descripcion", "DESCRIPCIÓN DE LA META", ("DESCRIPCIÓN", "DESCRIPCIÓN META")),
    Column("unidad", "UNIDAD DE MEDIDA", ("UNIDAD",)),
    Column("anual", "PROGRAMA ANUAL", ("ANUAL", "META ANUAL", "TOTAL ANUAL")),
)
_COLUMNAS_CALCULADAS: tuple[Column, ...] = (
    Column("suma", "SUMA DEL CALENDARIO", ("SUMA CALENDARIO", "SUMA"), required=False),
    Column("diferencia", "DIFERENCIA", (), required=False),
)
COLUMNAS_PLAN: tuple[Column, ...] = (*_COLUMNAS_FIJAS, *COLUMNAS_MESES, *_COLUMNAS_CALCULADAS)
COLUMNAS_PLAN_TRIMESTRAL: tuple[Column, ...] = (
    *_COLUMNAS_FIJAS,
    *COLUMNAS_TRIMESTRES,
    *_COLUMNAS_CALCULADAS,
)
ENCABEZADOS_PLAN: tuple[str, ...] = tuple(c.label for c in COLUMNAS_PLAN)


def columnas_plan(periodicidad: Periodicidad) -> tuple[Column, ...]:
    if periodicidad is Periodicidad.TRIMESTRAL:
        return COLUMNAS_PLAN_TRIMESTRAL
    return COLUMNAS_PLAN


def encabezados_plan(periodicidad: Periodicidad) -> tuple[str, ...]:
    """The Plan header we write: … PROGRAMA ANUAL, ENE…DIC or T1…T4, SUMA, DIFERENCIA."""
    return tuple(c.label for c in columnas_plan(periodicidad))


# Title rows above the header when we write the sheet.
FILA_ENCABEZADO = 4


def detectar_calendario(
    grid: Grid, fijas: tuple[Column, ...], *anclas: tuple[str, ...]
) -> Periodicidad:
    """Which calendar a sheet's header has: 12 months (the default, and the only one
    whose columns a missing-column message lists) or 4 quarters. Month and quarter
    columns in one header are an error naming their cells. The header row is the first
    with the labels of one of ``anclas``."""
    todas = _con_calendarios(fijas)
    for anchor_keys in anclas:
        try:
            table = find_table(grid, todas, anchor_keys=anchor_keys)
            break
        except LecturaError:
            continue
    else:
        return Periodicidad.MENSUAL  # the monthly reading says what is wrong
    meses = [m for m in MESES if m in table.columns]
    trimestres = [t for t in TRIMESTRES if t in table.columns]
    if meses and trimestres:
        celdas = ", ".join(
            f"{k} en {celda_encabezado(table, k)}" for k in (meses[0], meses[-1], *trimestres)
        )
        raise LecturaError(
            f"«{grid.libro}», hoja «{grid.hoja}»: el calendario tiene meses y trimestres a la "
            f"vez ({celdas}). Use un solo calendario: doce meses (ENE…DIC) o cuatro "
            "trimestres (T1…T4); borre o cambie el nombre de las columnas que sobran."
        )
    return Periodicidad.TRIMESTRAL if trimestres else Periodicidad.MENSUAL


@functools.lru_cache(maxsize=8)
def _con_calendarios(fijas: tuple[Column, ...]) -> tuple[Column, ...]:
    """The fixed columns and both calendars' (optional), built once per kind of sheet."""
    return (
        *fijas,
        *(replace(c, required=False) for c in (*COLUMNAS_MESES, *COLUMNAS_TRIMESTRES)),
    )


def celda_encabezado(table: Table, key: str) -> str:
    """The header cell of a column (in a one- or two-row header)."""
    columna = table.columns[key]
    fila = next(
        (f for f in range(table.header_row, table.first_row) if table.grid.value(f, columna)),
        table.header_row,
    )
    return cell_address(fila, columna)


def plan_table(grid: Grid) -> Table:
    return _plan_table(grid)[1]


def _plan_table(grid: Grid) -> tuple[Periodicidad, Table]:
    anchors = ("numero", "anual")
    periodicidad = detectar_calendario(grid, _COLUMNAS_FIJAS, anchors)
    return periodicidad, find_table(grid, columnas_plan(periodicidad), anchor_keys=anchors)


def read_plan(grid: Grid) -> tuple[Plan, Table]:
    """Read the metas of a Plan sheet (calendarised by month or by quarter, as its header
    says); continuation rows inherit the objetivo above."""
    periodicidad, table = _plan_table(grid)
    periodos = periodicidad.periodos
    metas: list[Meta] = []
    previous: Meta | None = None
    # Column index and letter once per column, not per cell: plans run to thousands of rows.
    # The fields a Meta holds come first (programa, objetivo, numero, descripcion, unidad,
    # anual, the periods); the other columns only decide whether a row is blank.
    campos = ("programa", "objetivo", "numero", "descripcion", "unidad", "anual", *periodos)
    indices = [table.columns[k] - 1 for k in campos]
    letras = [column_letter(i + 1) for i in indices]
    otras = [c - 1 for k, c in table.columns.items() if k not in campos]
    nuevo = tuple.__new__  # Valor(raw, celda) without the NamedTuple constructor's call
    for row in table.rows():
        line = grid.rows[row - 1]
        ancho = len(line)
        crudos = [None if i >= ancho or line[i] == "" else line[i] for i in indices]
        if all(v is None for v in crudos) and all(
            i >= ancho or line[i] == "" or line[i] is None for i in otras
        ):
            continue
        fila = str(row)
        values = [nuevo(Valor, (v, x + fila)) for v, x in zip(crudos, letras, strict=True)]
        programa, objetivo = values[0], values[1]
        heredado = False
        if objetivo.vacio and previous and fold(previous.programa.texto) == fold(programa.texto):
            objetivo, heredado = Valor(previous.objetivo.raw, objetivo.celda), True
        meta = Meta(
            programa=programa,
            objetivo=objetivo,
            numero=values[2],
            descripcion=values[3],
            unidad=values[4],
            anual=values[5],
            meses=tuple(values[6:]),
            fila=row,
            objetivo_heredado=heredado,
        )
        metas.append(meta)
        previous = meta
    anio, institucion = _titles(grid, table.header_row)
    plan = Plan(
        tuple(metas),
        anio=anio,
        institucion=institucion,
        hoja=grid.hoja,
        repetidos=table.repetidas,
        periodicidad=periodicidad,
    )
    return plan, table


def _titles(grid: Grid, header_row: int) -> tuple[int | None, str]:
    anio, institucion = None, ""
    for row in range(1, header_row):
        for value in grid.rows[row - 1]:
            if not isinstance(value, str) or not value.strip():
                continue
            year = _YEAR.search(fold(value))
            if year:
                anio = int(year.group(1))
            elif not institucion:
                institucion = value.strip()
    return anio, institucion


def plan_rows(plan: Plan) -> list[list[Any]]:
    """The Plan sheet from A1: titles, header, one row per meta (computed columns blank)."""
    titulo = f"{TITULO} {plan.anio}" if plan.anio else TITULO
    rows: list[list[Any]] = [[plan.institucion or None], [titulo], []]
    rows.append(list(encabezados_plan(plan.periodicidad)))
    for meta in plan.metas:
        rows.append(
            [
                meta.programa.raw,
                None if meta.objetivo_heredado else meta.objetivo.raw,
                meta.numero.raw,
                meta.descripcion.raw,
                meta.unidad.raw,
                meta.anual.raw,
                *(m.raw for m in meta.meses),
                None,
                None,
            ]
        )
    return rows


# -- the Plan flags its own errors -----------------------------------------------------------
RELLENO_ERROR = "FFC7CE"  # Excel's light red for «bad» cells


def _celda(columna: int) -> str:
    letra = column_letter(columna)
    return f"INDEX(${letra}:${letra},ROW())"


def _suma_meses(columnas: list[int]) -> str:
    """SUM of the month cells of the row, one INDEX per run of adjacent columns."""
    partes = [
        _celda(a) if a == b else f"SUM(INDEX(${column_letter(a)}:${column_letter(b)},ROW(),0))"
        for a, b in runs(columnas)
    ]
    return f"SUM({','.join(partes)})"


def reglas_plan(table: Table) -> list[ReglasColor]:
    """The Plan's own error marks, as conditional formats that follow the values: the
    annual target that is not the sum of its calendar (``anual-vs-calendario``), and text,
    negatives or decimals where a count goes (``cantidad-invalida``; decimals are fine in
    the rows whose unit is a percentage or a measure, see ``unidades``). Each rule reads its
    row with INDEX/ROW/COLUMN (no relative reference: the same in a file and in Excel)
    and carries a N("…") tag, so a later version replaces them and nothing else."""
    anual = table.columns["anual"]
    meses = [table.columns[p] for p in (*MESES, *TRIMESTRES) if p in table.columns]
    primera = table.first_row
    marca_anual = 'N("xl-metas:anual")'
    marca_cantidades = 'N("xl-metas:cantidades")'
    a = _celda(anual)
    anual_vs = f"AND(ISNUMBER({a}),ROUND({_suma_meses(meses)}-{a},6)<>0,{marca_anual}=0)"
    ultima = column_letter(max(anual, *meses))
    x = f"INDEX($A$1:${ultima}${ULTIMA_FILA},ROW(),COLUMN())"
    decimales = f"{x}<>INT({x})"
    medidas = _unidades_con_decimales(table)
    if medidas:
        # Excel compares texts without case: one equality per unit the plan writes.
        u = _celda(table.columns["unidad"])
        iguales = ",".join(f'{u}="{texto.replace(chr(34), chr(34) * 2)}"' for texto in medidas)
        decimales = f"AND({decimales},NOT(OR({iguales})))"
    cantidad = f"AND(LEN({x})>0,IF(ISNUMBER({x}),OR({x}<0,{decimales}),TRUE),{marca_cantidades}=0)"
    return [
        ReglasColor(
            table.grid.hoja,
            None,
            (rango(primera, anual, ULTIMA_FILA, anual),),
            ((anual_vs, RELLENO_ERROR),),
            marca=marca_anual,
        ),
        ReglasColor(
            table.grid.hoja,
            None,
            tuple(rango(primera, a1, ULTIMA_FILA, a2) for a1, a2 in runs([anual, *meses])),
            ((cantidad, RELLENO_ERROR),),
            marca=marca_cantidades,
        ),
    ]


def _unidades_con_decimales(table: Table) -> list[str]:
    """The unit texts of the table whose figures may have decimals, as written (trimmed,
    first spelling of each), in order."""
    columna = table.columns["unidad"]
    vistos: dict[str, str] = {}
    for fila in table.rows():
        valor = table.grid.value(fila, columna)
        if isinstance(valor, str) and valor.strip() and acepta_decimales(valor):
            vistos.setdefault(valor.strip().casefold(), valor.strip())
    return list(vistos.values())
