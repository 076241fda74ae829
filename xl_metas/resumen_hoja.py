"""The Resumen sheet: per programa × month and quarter, programado vs realizado and %,
with a native chart of the whole institute's programado vs realizado by month."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .estados import cantidad
from .model import MESES, TRIMESTRES, Periodicidad, numero_plano
from .render import Estilo, Grafica, HojaGenerada, Impresion, Serie
from .seguimiento import Seguimiento
from .text import column_letter
from .totals import grupos_de_suma

HOJA_RESUMEN = "Resumen"
ENCABEZADOS_RESUMEN: tuple[str, ...] = ("PROGRAMA", "CONCEPTO", *MESES, *TRIMESTRES, "TOTAL")
FILA_ENCABEZADO = 5
_ENCABEZADO = Estilo(
    negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True, horizontal="center"
)
_PORCENTAJE = Estilo(color_fuente="1F4E78", formato="0.0")


@dataclass(frozen=True)
class Totales12:
    """One programa (or the total), in one class of unit: each period planned and done
    (12 months, or 4 quarters for a plan calendarised by quarter)."""

    programa: str
    programado: tuple[float, ...]
    realizado: tuple[float, ...]
    total: bool = False

    @staticmethod
    def trimestres(valores: tuple[float, ...]) -> list[float]:
        if len(valores) == len(TRIMESTRES):
            return list(valores)
        return [sum(valores[i * 3 : i * 3 + 3]) for i in range(4)]


def por_programa(seg: Seguimiento) -> list[Totales12]:
    """Programas in plan order (first spelling seen), then the total. Figures of different
    units are never added: a programa's metas in a percentage or a measure make a row of
    their own per unit («DIFUSIÓN (Km)»), totalled apart («TOTAL (Km)»); the programa row
    and TOTAL add the metas counted in whole units."""
    n = len(seg.plan.periodos)
    grupos: dict[tuple[str, str], tuple[str, list[float], list[float]]] = {}
    unidades: dict[str, str] = {}
    por_meta = dict(zip((id(m) for m in seg.plan.metas), grupos_de_suma(seg.plan), strict=True))
    for r in seg.resultados:
        programa, unidad = por_meta[id(r.meta)]
        if unidad:
            unidades.setdefault(unidad, r.meta.unidad.texto)
        nombre = r.meta.programa.texto
        etiqueta = f"{nombre} ({unidades[unidad]})" if unidad else nombre
        _, prog, real = grupos.setdefault((programa, unidad), (etiqueta, [0.0] * n, [0.0] * n))
        for mes in range(n):
            prog[mes] += cantidad(r.meta.meses[mes].raw)
            real[mes] += r.realizado[mes]
    orden = {k: i for i, k in enumerate(dict.fromkeys(p for p, _ in grupos))}
    claves = sorted(grupos, key=lambda k: (orden[k[0]], k[1] != ""))
    filas = [Totales12(grupos[k][0], tuple(grupos[k][1]), tuple(grupos[k][2])) for k in claves]
    totales = []
    for unidad in ["", *unidades]:
        de_la_unidad = [grupos[k] for k in claves if k[1] == unidad]
        if unidad and not de_la_unidad:
            continue
        totales.append(
            Totales12(
                f"TOTAL ({unidades[unidad]})" if unidad else "TOTAL",
                tuple(sum(g[1][m] for g in de_la_unidad) for m in range(n)),
                tuple(sum(g[2][m] for g in de_la_unidad) for m in range(n)),
                total=True,
            )
        )
    return [*filas, *totales]


def _pct(real: float, prog: float) -> float | None:
    return round(real * 100 / prog, 1) if prog > 0 else None


def encabezados_resumen(periodicidad: Periodicidad) -> tuple[str, ...]:
    if periodicidad is Periodicidad.TRIMESTRAL:
        return ("PROGRAMA", "CONCEPTO", *TRIMESTRES, "TOTAL")
    return ENCABEZADOS_RESUMEN


def resumen_sheet(seg: Seguimiento) -> HojaGenerada:
    anio = seg.corte.anio
    periodicidad = seg.plan.periodicidad
    mensual = periodicidad is Periodicidad.MENSUAL
    encabezados = encabezados_resumen(periodicidad)
    ancho = len(encabezados)
    ultima_col = column_letter(ancho)
    filas: list[list[Any]] = [
        [seg.config.institucion or seg.plan.institucion or None],
        [f"RESUMEN DEL AVANCE {anio}"],
        [
            f"Fecha de corte: {seg.corte.fecha:%d/%m/%Y}. % = realizado ÷ programado × 100 "
            "(todo lo capturado en cada mes o trimestre)."
        ],
        [],
        list(encabezados),
    ]
    estilos: list[tuple[str, Estilo]] = [
        ("A1:A2", Estilo(negrita=True, tamano=13)),
        ("A3", Estilo(color_fuente="595959")),
        (f"A{FILA_ENCABEZADO}:{ultima_col}{FILA_ENCABEZADO}", _ENCABEZADO),
    ]
    combinadas: list[str] = []
    grupos = por_programa(seg)
    # Periods after the cut-off show no realizado and no % (nothing can have been done yet).
    futuro = [seg.corte.futuro(m) for m in range(len(seg.plan.periodos))]
    futuro_t = [all(futuro[i * 3 : i * 3 + 3]) for i in range(4)] if mensual else []
    fila_total = 0
    for grupo in grupos:
        top = len(filas) + 1
        if grupo.programa == "TOTAL":
            fila_total = top  # the chart's Programado row
        prog, real = grupo.programado, grupo.realizado
        # a monthly plan also shows its quarters; a quarterly one shows them once
        tp, tr = (Totales12.trimestres(prog), Totales12.trimestres(real)) if mensual else ([], [])
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
        if grupo.total:
            estilos.append((f"A{top}:{ultima_col}{top + 1}", Estilo(negrita=True)))
    meses_hasta = column_letter(2 + len(seg.plan.periodos))
    grafica = Grafica(
        titulo=f"Programado vs. realizado por {periodicidad.periodo}, {anio}",
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
        | {column_letter(3 + i): 7 for i in range(ancho - 3)}
        | {ultima_col: 9},
        estilos=estilos,
        combinadas=combinadas,
        congelar=f"C{FILA_ENCABEZADO + 1}",
        impresion=Impresion(),
        graficas=[grafica],
    )
