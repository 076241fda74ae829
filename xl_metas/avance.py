"""The Avance sheet: realizado per meta and month, read by labels and keyed by META.

Rows may be in any order; PROGRAMA and DESCRIPCIÓN are there for the reader. The computed
columns (TOTAL REALIZADO … SEMÁFORO) are written back by ``seguimiento``; when a column is
missing its header is added after the last one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .grid import Column, Grid, Table, find_table
from .model import EncabezadoRepetido, Periodicidad, Plan, Valor
from .plan_sheet import COLUMNAS_MESES, COLUMNAS_TRIMESTRES, detectar_calendario
from .render import Estilo, HojaGenerada, Impresion
from .text import column_letter

HOJA_AVANCE = "Avance"
TITULO_AVANCE = "AVANCE DEL PROGRAMA METAS Y OBJETIVOS"

_COLUMNAS_INICIO: tuple[Column, ...] = (
    Column("programa", "PROGRAMA", ("ÁREA", "PROGRAMA / ÁREA"), required=False),
    Column("numero", "META", ("NO. META", "NÚM. META", "NÚMERO DE META", "NO META", "#")),
    Column(
        "descripcion",
        "DESCRIPCIÓN DE LA META",
        ("DESCRIPCIÓN", "DESCRIPCIÓN META"),
        required=False,
    ),
)
_COLUMNAS_FIN: tuple[Column, ...] = (
    Column("total", "TOTAL REALIZADO", ("REALIZADO TOTAL",), required=False),
    Column("programado_corte", "PROGRAMADO AL CORTE", (), required=False),
    Column("realizado_corte", "REALIZADO AL CORTE", (), required=False),
    Column("pct_corte", "% AL CORTE", ("PORCENTAJE AL CORTE", "AVANCE AL CORTE"), required=False),
    Column("pct_anual", "% ANUAL", ("PORCENTAJE ANUAL", "AVANCE ANUAL"), required=False),
    Column("semaforo", "SEMÁFORO", (), required=False),
    Column("justificacion", "JUSTIFICACIÓN", ("JUSTIFICACION DEL AVANCE",), required=False),
)
COLUMNAS_AVANCE: tuple[Column, ...] = (*_COLUMNAS_INICIO, *COLUMNAS_MESES, *_COLUMNAS_FIN)
COLUMNAS_AVANCE_TRIMESTRAL: tuple[Column, ...] = (
    *_COLUMNAS_INICIO,
    *COLUMNAS_TRIMESTRES,
    *_COLUMNAS_FIN,
)
ENCABEZADOS_AVANCE: tuple[str, ...] = tuple(c.label for c in COLUMNAS_AVANCE)


def columnas_avance(periodicidad: Periodicidad) -> tuple[Column, ...]:
    if periodicidad is Periodicidad.TRIMESTRAL:
        return COLUMNAS_AVANCE_TRIMESTRAL
    return COLUMNAS_AVANCE


def encabezados_avance(periodicidad: Periodicidad) -> tuple[str, ...]:
    return tuple(c.label for c in columnas_avance(periodicidad))


CALCULADAS: tuple[str, ...] = (
    "total",
    "programado_corte",
    "realizado_corte",
    "pct_corte",
    "pct_anual",
    "semaforo",
)
FILA_ENCABEZADO = 4


@dataclass(frozen=True)
class FilaAvance:
    numero: Valor
    programa: Valor
    descripcion: Valor
    meses: tuple[Valor, ...]  # realizado per period: 12 months or 4 quarters
    justificacion: Valor
    fila: int

    @cached_property
    def clave(self) -> str:
        return self.numero.clave


@dataclass(frozen=True)
class Avance:
    filas: tuple[FilaAvance, ...]
    hoja: str = HOJA_AVANCE
    repetidos: tuple[EncabezadoRepetido, ...] = ()  # headers written twice in the sheet
    periodicidad: Periodicidad = Periodicidad.MENSUAL

    @property
    def periodos(self) -> tuple[str, ...]:
        return self.periodicidad.periodos

    def por_meta(self) -> dict[str, FilaAvance]:
        """Rows by meta number; the first wins when a number repeats (a finding says so)."""
        out: dict[str, FilaAvance] = {}
        for fila in self.filas:
            if fila.clave:
                out.setdefault(fila.clave, fila)
        return out


def calendario_avance(grid: Grid) -> Periodicidad:
    """Whether an Avance sheet has realizado per month (ENE…DIC) or per quarter (T1…T4)."""
    return detectar_calendario(grid, _COLUMNAS_INICIO, ("numero", "ENE"), ("numero", "T1"))


def avance_table(grid: Grid, periodicidad: Periodicidad | None = None) -> Table:
    periodicidad = periodicidad or calendario_avance(grid)
    ancla = periodicidad.periodos[0]
    return find_table(grid, columnas_avance(periodicidad), anchor_keys=("numero", ancla))


def read_avance(grid: Grid, table: Table | None = None) -> tuple[Avance, Table]:
    """The Avance rows that hold a meta, a period or a justificación. The columns are found
    once (by their labels) and each row is sliced by index: a returned copy or a
    5,000-meta sheet is read without per-cell lookups."""
    if table is None:
        periodicidad = calendario_avance(grid)
        table = avance_table(grid, periodicidad)
    elif "T1" in table.columns and "ENE" not in table.columns:
        periodicidad = Periodicidad.TRIMESTRAL
    else:
        periodicidad = Periodicidad.MENSUAL
    claves = ("numero", "programa", "descripcion", *periodicidad.periodos, "justificacion")
    indices = [table.columns[k] - 1 if k in table.columns else -1 for k in claves]
    letras = [column_letter(i + 1) if i >= 0 else "" for i in indices]
    datos = [0, *range(3, len(claves))]  # numero, months and justificación
    filas: list[FilaAvance] = []
    nuevo = tuple.__new__  # Valor(raw, celda) without the NamedTuple constructor's call
    for numero_fila in range(table.first_row, grid.height + 1):
        linea = grid.rows[numero_fila - 1]
        ancho = len(linea)
        crudos = [None if i < 0 or i >= ancho or linea[i] == "" else linea[i] for i in indices]
        if all(crudos[k] is None for k in datos):
            continue  # blank, or only our computed columns left over
        fila = str(numero_fila)
        valores = [
            nuevo(Valor, (v, letra + fila if letra else ""))
            for v, letra in zip(crudos, letras, strict=True)
        ]
        filas.append(
            FilaAvance(
                numero=valores[0],
                programa=valores[1],
                descripcion=valores[2],
                meses=tuple(valores[3:-1]),
                justificacion=valores[-1],
                fila=numero_fila,
            )
        )
    avance = Avance(
        tuple(filas), hoja=grid.hoja, repetidos=table.repetidas, periodicidad=periodicidad
    )
    return avance, table


def columnas_escritura(table: Table) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Column of every computed key; new headers (column, label) for those missing."""
    columns = dict(table.columns)
    labels = {c.key: c.label for c in COLUMNAS_AVANCE}
    nuevas: list[tuple[int, str]] = []
    next_free = table.last_header_column + 1
    for key in CALCULADAS:
        if key not in columns:
            columns[key] = next_free
            nuevas.append((next_free, labels[key]))
            next_free += 1
    return columns, nuevas


def mensaje_calendario_distinto(plan: Plan, avance: Avance) -> str:
    """Avance with realizado per month and a Plan per quarter (or the other way round)."""

    def cual(p: Periodicidad) -> str:
        return f"{p.plural} ({p.periodos[0]}…{p.periodos[-1]})"

    return (
        f"La hoja «{avance.hoja}» tiene el realizado por {cual(avance.periodicidad)} y la hoja "
        f"«{plan.hoja}» programa por {cual(plan.periodicidad)}: no se pueden comparar. Ponga "
        f"en «{avance.hoja}» las mismas columnas de calendario que en «{plan.hoja}»."
    )


def avance_sheet(
    plan: Plan,
    anio: int | None = None,
    institucion: str = "",
    realizado: Mapping[str, Sequence[Valor]] | None = None,
) -> HojaGenerada:
    """A fresh Avance: one row per meta of the plan, ready to fill in, with the plan's
    calendar (ENE…DIC, or T1…T4 for a plan calendarised by quarter); realizado blank, or
    the one given per meta number (read beside the plan in another workbook)."""
    anio = anio or plan.anio
    titulo = f"{TITULO_AVANCE} {anio}" if anio else TITULO_AVANCE
    periodo = plan.periodicidad.periodo
    filas: list[list[Any]] = [
        [institucion or plan.institucion or None],
        [titulo],
        [
            f"Capture lo realizado en cada {periodo}; las columnas grises se calculan con "
            "«Recalcular»."
        ],
        list(encabezados_avance(plan.periodicidad)),
    ]
    realizado = realizado or {}
    for meta in plan.metas:
        valores = [v.raw for v in realizado.get(meta.clave, ())][: len(plan.periodos)]
        filas.append([meta.programa.raw, meta.numero.raw, meta.descripcion.raw, *valores])
    return _hoja_avance(filas, len(plan.periodos))


def _alto(fila: list[Any]) -> float:
    """Row height for the wrapped description (column C, about 70 characters a line)."""
    texto = str(fila[2]) if len(fila) > 2 and fila[2] is not None else ""
    return 15.0 * max(2, -(-len(texto) // 70)) + 2


def _hoja_avance(filas: list[list[Any]], periodos: int = 12) -> HojaGenerada:
    width = len(filas[FILA_ENCABEZADO - 1])
    last = max(len(filas), FILA_ENCABEZADO + 1)
    first_calc = 4 + periodos  # TOTAL REALIZADO
    letra = column_letter
    return HojaGenerada(
        nombre=HOJA_AVANCE,
        filas=filas,
        anchos={"A": 16, "B": 8, "C": 60}
        | {letra(4 + i): 6 for i in range(periodos)}
        | {letra(first_calc + i): 12 for i in range(5)}
        | {letra(first_calc + 5): 14, letra(first_calc + 6): 40},
        estilos=[
            ("A1:A2", Estilo(negrita=True, tamano=13)),
            ("A3", Estilo(color_fuente="595959")),
            (
                f"A{FILA_ENCABEZADO}:{letra(width)}{FILA_ENCABEZADO}",
                Estilo(
                    negrita=True,
                    relleno="1F4E78",
                    color_fuente="FFFFFF",
                    borde=True,
                    ajustar=True,
                    horizontal="center",
                    vertical="center",
                ),
            ),
            (
                f"A{FILA_ENCABEZADO + 1}:{letra(width)}{last}",
                Estilo(ajustar=True, vertical="top", borde=True),
            ),
            (
                f"{letra(first_calc)}{FILA_ENCABEZADO + 1}:{letra(first_calc + 4)}{last}",
                Estilo(relleno="F2F2F2", horizontal="right", vertical="top", borde=True),
            ),
        ],
        # LibreOffice does not grow rows for wrapped text on opening: size them here.
        altos={FILA_ENCABEZADO: 45.0}
        | {r: _alto(filas[r - 1]) for r in range(FILA_ENCABEZADO + 1, len(filas) + 1)},
        congelar=f"D{FILA_ENCABEZADO + 1}",
        impresion=Impresion(filas_repetidas=f"{FILA_ENCABEZADO}:{FILA_ENCABEZADO}"),
    )
