"""The Plan sheet: the master list of metas, read and written by header labels."""

from __future__ import annotations

import re
from typing import Any

from .grid import Column, Grid, Table, find_table
from .model import MESES, NOMBRES_MESES, Meta, Plan, Valor
from .rangos import runs
from .render import ULTIMA_FILA, ReglasColor, rango
from .text import column_letter, fold

HOJA_PLAN = "Plan"
TITULO = "PROGRAMA METAS Y OBJETIVOS"
_YEAR = re.compile(r"programa metas y objetivos\s+(\d{4})")

COLUMNAS_PLAN: tuple[Column, ...] = (
    Column("programa", "PROGRAMA", ("ÁREA", "PROGRAMA / ÁREA", "PROGRAMA O ÁREA")),
    Column("objetivo", "OBJETIVO", ("OBJETIVOS",)),
    Column("numero", "META", ("NO. META", "NÚM. META", "NÚMERO DE META", "NO META", "#")),
    Column("descripcion", "DESCRIPCIÓN DE LA META", ("DESCRIPCIÓN", "DESCRIPCIÓN META")),
    Column("unidad", "UNIDAD DE MEDIDA", ("UNIDAD",)),
    Column("anual", "PROGRAMA ANUAL", ("ANUAL", "META ANUAL", "TOTAL ANUAL")),
    *(
        Column(mes, mes, (nombre, "AGO") if mes == "AGT" else (nombre,))
        for mes, nombre in zip(MESES, NOMBRES_MESES, strict=True)
    ),
    Column("suma", "SUMA DEL CALENDARIO", ("SUMA CALENDARIO", "SUMA"), required=False),
    Column("diferencia", "DIFERENCIA", (), required=False),
)
ENCABEZADOS_PLAN: tuple[str, ...] = tuple(c.label for c in COLUMNAS_PLAN)
# Title rows above the header when we write the sheet.
FILA_ENCABEZADO = 4


def plan_table(grid: Grid) -> Table:
    return find_table(grid, COLUMNAS_PLAN, anchor_keys=("numero", "anual"))


def read_plan(grid: Grid) -> tuple[Plan, Table]:
    """Read the metas of a Plan sheet; continuation rows inherit the objetivo above."""
    table = plan_table(grid)
    metas: list[Meta] = []
    previous: Meta | None = None
    # Column index and letter once per column, not per cell: plans run to thousands of rows.
    where = {key: (column - 1, column_letter(column)) for key, column in table.columns.items()}
    for row in table.rows():
        line = grid.rows[row - 1]
        values = {
            key: Valor(
                None if index >= len(line) or line[index] == "" else line[index], f"{x}{row}"
            )
            for key, (index, x) in where.items()
        }
        if all(v.raw is None for v in values.values()):
            continue
        programa, objetivo = values["programa"], values["objetivo"]
        heredado = False
        if objetivo.vacio and previous and fold(previous.programa.texto) == fold(programa.texto):
            objetivo, heredado = Valor(previous.objetivo.raw, objetivo.celda), True
        meta = Meta(
            programa=programa,
            objetivo=objetivo,
            numero=values["numero"],
            descripcion=values["descripcion"],
            unidad=values["unidad"],
            anual=values["anual"],
            meses=tuple(values[mes] for mes in MESES),
            fila=row,
            objetivo_heredado=heredado,
        )
        metas.append(meta)
        previous = meta
    anio, institucion = _titles(grid, table.header_row)
    plan = Plan(
        tuple(metas), anio=anio, institucion=institucion, hoja=grid.hoja, repetidos=table.repetidas
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
    rows.append(list(ENCABEZADOS_PLAN))
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
    annual target that is not the sum of its months (``anual-vs-calendario``), and text,
    negatives or decimals where a count goes (``cantidad-invalida``). Each rule reads its
    row with INDEX/ROW/COLUMN (no relative reference: the same in a file and in Excel)
    and carries a N("…") tag, so a later version replaces them and nothing else."""
    anual = table.columns["anual"]
    meses = [table.columns[m] for m in MESES]
    primera = table.first_row
    marca_anual = 'N("xl-metas:anual")'
    marca_cantidades = 'N("xl-metas:cantidades")'
    a = _celda(anual)
    anual_vs = f"AND(ISNUMBER({a}),ROUND({_suma_meses(meses)}-{a},6)<>0,{marca_anual}=0)"
    ultima = column_letter(max(anual, *meses))
    x = f"INDEX($A$1:${ultima}${ULTIMA_FILA},ROW(),COLUMN())"
    cantidad = (
        f"AND(LEN({x})>0,IF(ISNUMBER({x}),OR({x}<0,{x}<>INT({x})),TRUE),{marca_cantidades}=0)"
    )
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
