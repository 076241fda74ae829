"""What the command line prints, whatever the terminal's width.

Sentences and file paths are never hard-wrapped: each prints as one logical line and the
terminal soft-wraps it, so a path can be copied whole. Only tables adapt to the width, and
a table whose columns would not fit at a readable width prints as one block per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Console
from rich.markup import escape as esc
from rich.table import Table
from rich.text import Text

from .historial import Registro
from .model import Hallazgo, Severidad, Valor, texto_numero
from .seguimiento import Seguimiento
from .totals import Totales
from .validation import count_text

if TYPE_CHECKING:  # consolidar's own path imports it
    from .copias import Informe

# soft_wrap: no hard line breaks in sentences; tables still lay out to the console width.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# A column of running text (a message, a list of months) is readable from this many cells.
ANCHO_LEGIBLE = 40
# Rich's box: one border per column plus one, and one space of padding on each side.
_BORDE_POR_COLUMNA = 3


@dataclass(frozen=True)
class Columna:
    titulo: str
    justify: Literal["left", "right"] = "left"
    texto: bool = False  # running text: folds inside a table, gets its own line in a block


def _ancho(celda: str) -> int:
    return max((Text.from_markup(linea).cell_len for linea in celda.split("\n")), default=0)


def cabe(columnas: Sequence[Columna], filas: Sequence[Sequence[str]], ancho: int) -> bool:
    """Whether a table fits: every column at its natural width, running text at least
    ``ANCHO_LEGIBLE`` (or its natural width when shorter)."""
    total = 1
    for i, columna in enumerate(columnas):
        natural = max([_ancho(columna.titulo), *(_ancho(f[i]) for f in filas)])
        total += (min(natural, ANCHO_LEGIBLE) if columna.texto else natural) + _BORDE_POR_COLUMNA
    return total <= ancho


def tabla(
    titulo: str,
    columnas: Sequence[Columna],
    filas: Sequence[Sequence[str]],
    *,
    console: Console | None = None,
    rotulo: bool = False,
) -> None:
    """Print ``filas`` (rich markup, user text already escaped) as a table when it fits the
    console, otherwise as one block per row: the first column as the block's heading, the
    short columns on one line, each running-text column on a line of its own."""
    console = console or out  # ``rotulo``: a block's heading names its first column
    if cabe(columnas, filas, console.width):
        table = Table(title=titulo, title_justify="left")
        for columna in columnas:
            table.add_column(columna.titulo, justify=columna.justify, overflow="fold")
        for fila in filas:
            table.add_row(*fila)
        console.print(table)
        return
    console.print(f"[bold]{titulo}[/]")
    for fila in filas:
        cabeza = f"{esc(columnas[0].titulo)} {fila[0]}" if rotulo else fila[0]
        console.print(f"[bold]{cabeza}[/]")
        cortas = [
            f"{esc(c.titulo)}: {v}"
            for c, v in zip(columnas[1:], fila[1:], strict=True)
            if v and not c.texto
        ]
        if cortas:
            console.print("  " + " · ".join(cortas))
        for c, v in zip(columnas[1:], fila[1:], strict=True):
            if v and c.texto:
                console.print(f"  {esc(c.titulo)}: {v}")


# -- what the commands print -----------------------------------------------------------
COLOR = {Severidad.ERROR: "red", Severidad.ADVERTENCIA: "yellow", Severidad.INFO: "cyan"}


def print_findings(hallazgos: list[Hallazgo]) -> None:
    if not hallazgos:
        out.print("[green]Sin hallazgos: el plan está en orden.[/]")
        return
    columnas = [
        Columna("Severidad"),
        Columna("Hoja"),
        Columna("Celda"),
        Columna("Meta"),
        Columna("Mensaje", texto=True),
        Columna("Regla"),
    ]
    filas = [
        [
            f"[{COLOR[h.severidad]}]{h.severidad}[/]",
            esc(h.hoja),
            h.celda,
            esc(h.meta),
            esc(h.mensaje),
            h.regla,
        ]
        for h in hallazgos
    ]
    tabla("Hallazgos de validación", columnas, filas)
    out.print(count_text(hallazgos))


def print_totals(totales: Totales) -> None:
    """Totals per programa (its metas counted in whole units; its metas in a percentage or
    a measure on a row per unit) and overall, then per unit of measure."""
    periodos = totales.columnas
    campos = ("anual", *periodos, "suma")
    columnas = [
        Columna("Programa"),
        *(Columna(c, justify="right") for c in ("Anual", *periodos, "Suma")),
    ]
    filas = [
        [esc(_programa_unidad(row)), *(texto_numero(row[c]) for c in campos)]
        for row in totales.programas.to_dict("records")
    ]
    g = totales.general
    filas.append(["[bold]TOTAL[/]", *(f"[bold]{texto_numero(g[c])}[/]" for c in campos)])
    tabla("Totales por programa", columnas, filas)
    if not totales.por_unidad.empty:
        tabla(
            "Totales por unidad de medida",
            [
                Columna("Unidad"),
                Columna("Clase"),
                Columna("Metas", justify="right"),
                *(Columna(c, justify="right") for c in ("Anual", *periodos, "Suma")),
            ],
            [
                [
                    esc(str(row["unidad"]) or "(sin unidad)"),
                    str(row["clase"]),
                    str(row["metas"]),
                    *(texto_numero(row[c]) for c in campos),
                ]
                for row in totales.por_unidad.to_dict("records")
            ],
        )


def _programa_unidad(row: dict[str, Any]) -> str:
    """«DIFUSIÓN», or «DIFUSIÓN (Km)» for its metas measured in kilometres."""
    unidad = row.get("unidad")
    programa = str(row["programa"])
    return f"{programa} ({unidad})" if isinstance(unidad, str) and unidad else programa


SEMAFORO_COLOR = {"verde": "green", "amarillo": "yellow", "rojo": "red"}


def print_semaforos(seg: Seguimiento) -> None:
    columnas = [
        Columna("Meta", justify="right"),
        Columna("Programa"),
        Columna("Prog. al corte", justify="right"),
        Columna("Real. al corte", justify="right"),
        Columna("%", justify="right"),
        Columna("Semáforo", justify="right"),
        Columna(f"{seg.plan.periodicidad.plural.capitalize()} vencidos o parciales", texto=True),
    ]
    filas = []
    for r in seg.resultados:
        e = r.evaluacion
        pendientes = [
            f"{mes} ({estado})"
            for mes, estado in zip(seg.plan.periodos, e.estados, strict=True)
            if estado in ("vencido", "parcial")
        ]
        color = SEMAFORO_COLOR.get(str(e.semaforo), "default")
        filas.append(
            [
                esc(r.clave),
                esc(r.meta.programa.texto),
                texto_numero(e.programado_al_corte),
                texto_numero(e.realizado_al_corte),
                texto_numero(e.porcentaje_al_corte),
                f"[{color}]{e.semaforo}[/]",
                ", ".join(pendientes),
            ]
        )
    tabla(f"Avance al {seg.corte.fecha:%d/%m/%Y}", columnas, filas, rotulo=True)


def print_informe(informe: Informe) -> None:
    """Per file: metas and cells updated, conflicts, Plan proposals, rows not applied."""
    for r in informe.copias:
        titulo = f"[bold]«{esc(r.archivo)}»[/]" + (f" ({esc(r.programa)})" if r.programa else "")
        if r.rechazo:
            out.print(f"{titulo}: [bold red]rechazada[/]. {esc(r.rechazo)}")
            continue
        out.print(
            f"{titulo}: {len(r.actualizadas)} celdas actualizadas, {len(r.conflictos)} conflictos."
        )
        for aviso in r.avisos:
            out.print(f"  [yellow]{esc(aviso)}[/]")
        if r.metas_actualizadas:
            por_meta: dict[str, list[str]] = {}
            for c in r.actualizadas:
                por_meta.setdefault(c.meta, []).append(f"{c.celda} ({c.etiqueta})")
            for meta in r.metas_actualizadas:
                out.print(f"  Meta {esc(meta)}: " + ", ".join(por_meta[meta]))
        if r.conflictos:
            tabla(
                "Conflictos",
                [
                    Columna("Meta"),
                    Columna("Celda"),
                    Columna("Campo"),
                    Columna("En el libro", texto=True),
                    Columna("En la copia", texto=True),
                ],
                [
                    [esc(c.meta), c.celda, esc(c.etiqueta), _texto(c.libro), _texto(c.copia)]
                    for c in r.conflictos
                ],
            )
        for p in r.propuestas:
            out.print(f"  [cyan]Propuesta (no aplicada):[/] {esc(p.mensaje)}")
        for a in r.fuera:
            out.print(f"  [yellow]No aplicada:[/] {esc(a.mensaje)}")
    verbo = "se actualizarían" if informe.simulado else "se actualizaron"
    out.print(
        f"[bold]Total:[/] {informe.actualizadas} celdas {verbo}, {informe.conflictos} "
        f"conflictos, {len(informe.rechazadas)} copias rechazadas."
    )
    if informe.conflictos:
        quien = "de la copia" if informe.preferir_copia else "del libro"
        out.print(f"En los conflictos se tomó el valor {quien}.")


def _texto(value: Any) -> str:
    return esc(Valor(value).texto)


def print_historial(registros: Sequence[Registro]) -> None:
    """The Historial's rows as a table (one block per row when the terminal is narrow)."""
    columnas = [
        Columna("Fecha"),
        Columna("Quién", texto=True),
        Columna("Origen", texto=True),
        Columna("Copia", texto=True),
        Columna("Celda"),
        Columna("Meta", justify="right"),
        Columna("Campo"),
        Columna("Antes", texto=True),
        Columna("Después", texto=True),
    ]
    filas = [
        [
            esc(r.fecha),
            esc(r.quien),
            esc(r.origen),
            esc(r.copia),
            esc(f"{r.hoja}!{r.celda}" if r.celda else r.hoja),
            esc(r.meta),
            esc(r.campo),
            _texto(r.antes),
            _texto(r.despues),
        ]
        for r in registros
    ]
    tabla("Historial de cambios", columnas, filas)
    out.print(f"{len(registros)} registro(s).")
