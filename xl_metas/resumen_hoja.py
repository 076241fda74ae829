"""The Resumen sheet: per programa × month and quarter, programado vs realizado and %,
with a native chart of the whole institute's programado vs realizado by month."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .estados import cantidad
from .model import MESES, TRIMESTRES, numero_plano
from .render import Estilo, Grafica, HojaGenerada, Impresion, Serie
from .seguimiento import Seguimiento
from .text import column_letter, fold

HOJA_RESUMEN = "Resumen"
ENCABEZADOS_RESUMEN: tuple[str, ...] = ("PROGRAMA", "CONCEPTO", *MESES, *TRIMESTRES, "TOTAL")
FILA_ENCABEZADO = 5
_ENCABEZADO = Estilo(
    negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True, horizontal="center"
)
_PORCENTAJE = Estilo(color_fuente="1F4E78", formato="0.0")


@dataclass(frozen=True)
class Totales12:
    """One programa (or the total): 12 months planned and done."""

    programa: str
    programado: tuple[float, ...]
    realizado: tuple[float, ...]

    @staticmethod
    def trimestres(valores: tuple[float, ...]) -> list[float]:
        return [sum(valores[i * 3 : i * 3 + 3]) for i in range(4)]


def por_programa(seg: Seguimiento) -> list[Totales12]:
    """Programas in plan order (first spelling seen), then the total."""
    grupos: dict[str, tuple[str, list[float], list[float]]] = {}
    for r in seg.resultados:
        nombre = r.meta.programa.texto
        _, prog, real = grupos.setdefault(fold(nombre), (nombre, [0.0] * 12, [0.0] * 12))
        for mes in range(12):
            prog[mes] += cantidad(r.meta.meses[mes].raw)
            real[mes] += r.realizado[mes]
    filas = [Totales12(n, tuple(p), tuple(r)) for n, p, r in grupos.values()]
    total = Totales12(
        "TOTAL",
        tuple(sum(f.programado[m] for f in filas) for m in range(12)),
        tuple(sum(f.realizado[m] for f in filas) for m in range(12)),
    )
    return [*filas, total]


def _pct(real: float, prog: float) -> float | None:
    return round(real * 100 / prog, 1) if prog > 0 else None


def resumen_sheet(seg: Seguimiento) -> HojaGenerada:
    anio = seg.corte.anio
    ancho = len(ENCABEZADOS_RESUMEN)
    ultima_col = column_letter(ancho)
    filas: list[list[Any]] = [
        [seg.config.institucion or seg.plan.institucion or None],
        [f"RESUMEN DEL AVANCE {anio}"],
        [
            f"Fecha de corte: {seg.corte.fecha:%d/%m/%Y}. % = realizado ÷ programado × 100 "
            "(todo lo capturado en cada mes o trimestre)."
        ],
        [],
        list(ENCABEZADOS_RESUMEN),
    ]
    estilos: list[tuple[str, Estilo]] = [
        ("A1:A2", Estilo(negrita=True, tamano=13)),
        ("A3", Estilo(color_fuente="595959")),
        (f"A{FILA_ENCABEZADO}:{ultima_col}{FILA_ENCABEZADO}", _ENCABEZADO),
    ]
    combinadas: list[str] = []
    grupos = por_programa(seg)
    # Months after the cut-off show no realizado and no % (nothing can have been done yet).
    futuro = [seg.corte.futuro(m) for m in range(12)]
    futuro_t = [all(futuro[i * 3 : i * 3 + 3]) for i in range(4)]
    for grupo in grupos:
        top = len(filas) + 1
        prog, real = grupo.programado, grupo.realizado
        tp, tr = Totales12.trimestres(prog), Totales12.trimestres(real)
        reales = [*zip(real, futuro, strict=True), *zip(tr, futuro_t, strict=True)]
        filas.append(
            [
                grupo.programa,
                "Programado",
                *map(numero_plano, prog),
                *map(numero_plano, tp),
                numero_plano(sum(prog)),
            ]
        )
        filas.append(
            [
                None,
                "Realizado",
                *(None if f and not r else numero_plano(r) for r, f in reales),
                numero_plano(sum(real)),
            ]
        )
        filas.append(
            [
                None,
                "% de avance",
                *(
                    None if f and not r else _pct(r, p)
                    for (r, f), p in zip(reales, [*prog, *tp], strict=True)
                ),
                _pct(sum(real), sum(prog)),
            ]
        )
        combinadas.append(f"A{top}:A{top + 2}")
        estilos.append((f"A{top}:{ultima_col}{top + 2}", Estilo(borde=True, vertical="center")))
        estilos.append((f"C{top + 2}:{ultima_col}{top + 2}", _PORCENTAJE))
        estilos.append((f"A{top}", Estilo(negrita=True, vertical="center", ajustar=True)))
        if grupo.programa == "TOTAL":
            estilos.append((f"A{top}:{ultima_col}{top + 1}", Estilo(negrita=True)))
    fila_total = len(filas) - 2  # Programado row of TOTAL
    meses_hasta = column_letter(2 + len(MESES))
    grafica = Grafica(
        titulo=f"Programado vs. realizado por mes, {anio}",
        categorias=f"C{FILA_ENCABEZADO}:{meses_hasta}{FILA_ENCABEZADO}",
        series=(
            Serie("Programado", f"C{fila_total}:{meses_hasta}{fila_total}"),
            Serie("Realizado", f"C{fila_total + 1}:{meses_hasta}{fila_total + 1}"),
        ),
        ancla=f"B{len(filas) + 3}",
        titulo_eje_y="Cantidad",
        ancho_cm=26.0,
        alto_cm=10.0,
    )
    return HojaGenerada(
        nombre=HOJA_RESUMEN,
        filas=filas,
        anchos={"A": 20, "B": 14}
        | {column_letter(3 + i): 7 for i in range(len(MESES) + len(TRIMESTRES))}
        | {ultima_col: 9},
        estilos=estilos,
        combinadas=combinadas,
        congelar=f"C{FILA_ENCABEZADO + 1}",
        impresion=Impresion(),
        graficas=[grafica],
    )
