"""The «Informe T<n>» sheet: the quarterly report (``informe``) laid out to print.

Page 1 is the title section (institution, period with its dates, cut-off, PRELIMINAR when
the quarter is still open), the quarter's totals per programa and for the institution,
and the chart of programado vs. realizado from January to the quarter's end; then one
page per programa with its metas and its totals. Landscape, one page wide, the column
headers repeated on every page.
"""

from __future__ import annotations

from typing import Any

from .estados import COLORES_SEMAFORO, Estado, Semaforo
from .informe import Cifras, InformeTrimestral, MetaInforme, Total
from .model import NOMBRES_MESES, Periodicidad, numero_plano
from .render import Estilo, Grafica, HojaGenerada, Impresion, Serie
from .text import column_letter

FILA_ENCABEZADO = 7
ULTIMA_COLUMNA = "L"
ANCHOS: dict[str, float] = {
    "A": 7,
    "B": 40,
    "C": 16,
    "D": 15,
    "E": 15,
    "F": 9,
    "G": 16,
    "H": 16,
    "I": 13,
    "J": 14,
    "K": 16,
    "L": 40,
}
ALTO_LINEA = 15.0
FILAS_GRAFICA = 21  # rows left free under the chart's anchor (10 cm at 15 pt a row)
PRELIMINAR = "PRELIMINAR"
SIN_JUSTIFICACION = "Sin justificación capturada en Avance."

_ENCABEZADO = Estilo(
    negrita=True,
    relleno="1F4E78",
    color_fuente="FFFFFF",
    borde=True,
    horizontal="center",
    vertical="center",
    ajustar=True,
)
_SECCION = Estilo(negrita=True, relleno="DDEBF7", borde=True)
_TABLA = Estilo(borde=True, vertical="top", ajustar=True)
_PORCENTAJE = Estilo(formato="0.0")
_ROJO = Estilo(negrita=True, color_fuente="C00000")


def _color_titulo(informe: InformeTrimestral) -> str | None:
    return _ROJO.color_fuente if informe.preliminar else None


def _fecha(d: Any) -> str:
    return f"{d:%d/%m/%Y}"


def _num(valor: float | None) -> int | float | None:
    return numero_plano(valor)


def encabezados(informe: InformeTrimestral) -> list[str]:
    t = informe.periodo.etiqueta
    periodos = informe.serie.etiquetas
    desde_hasta = periodos[0] if len(periodos) == 1 else f"{periodos[0]}–{periodos[-1]}"
    mensual = informe.periodicidad is Periodicidad.MENSUAL
    return [
        "META",
        "DESCRIPCIÓN DE LA META",
        "UNIDAD DE MEDIDA",
        f"PROGRAMADO {t}",
        f"REALIZADO {t}",
        f"% {t}",
        f"PROGRAMADO ACUMULADO {desde_hasta}",
        f"REALIZADO ACUMULADO {desde_hasta}",
        f"% ACUMULADO {desde_hasta}",
        "SEMÁFORO",
        "MESES PENDIENTES" if mensual else "TRIMESTRES PENDIENTES",
        "JUSTIFICACIÓN",
    ]


def _cifras(c: Cifras) -> list[Any]:
    return [
        _num(c.programado),
        _num(c.realizado),
        c.porcentaje,
        _num(c.programado_acumulado),
        _num(c.realizado_acumulado),
        c.porcentaje_acumulado,
    ]


def _pendientes(meta: MetaInforme) -> str | None:
    partes = [
        etiqueta + (" (parcial)" if estado is Estado.PARCIAL else "")
        for etiqueta, estado in meta.pendientes
    ]
    return ", ".join(partes) or None


def _unidad_total(total: Total) -> str:
    return total.unidad or "Varias (conteo)"


def _alto(fila: list[Any]) -> float:
    """The height a row needs for its wrapped texts (about 1.15 characters per width
    unit): LibreOffice does not grow rows on opening, and Excel only when it edits them.
    Written in files; a live Excel measures the rows itself (``autoajuste``: one autofit
    instead of one operation per run of heights)."""
    lineas = 1
    for i, valor in enumerate(fila):
        if isinstance(valor, str) and valor:
            por_linea = max(1, int(ANCHOS[column_letter(i + 1)] * 1.15))
            lineas = max(lineas, sum(-(-len(p) // por_linea) for p in valor.split("\n")))
    return ALTO_LINEA * lineas


def informe_sheet(informe: InformeTrimestral) -> HojaGenerada:
    p = informe.periodo
    titulo = f"INFORME TRIMESTRAL DE AVANCE DEL PROGRAMA METAS Y OBJETIVOS {p.anio}"
    if informe.preliminar:
        titulo += f" — {PRELIMINAR}"
    v1, v2, a1, a2 = (f"{u:g}" for u in informe.umbrales)
    filas: list[list[Any]] = [
        [informe.institucion or None],
        [titulo],
        [f"Periodo que se informa: {p.nombre}, del {_fecha(p.inicio)} al {_fecha(p.fin)}."],
        [f"Fecha de corte: {_fecha(informe.corte)}."],
        [
            f"{PRELIMINAR}: el trimestre aún no cierra a la fecha de corte; cifras al "
            f"{_fecha(informe.evaluado_al)}, sujetas a cambio."
            if informe.preliminar
            else f"Cifras al cierre del trimestre ({_fecha(p.fin)}). Semáforo del avance "
            f"acumulado: verde de {v1} % a {v2} %; amarillo de {a1} % a menos de {v1} % o "
            f"más de {v2} % hasta {a2} %; rojo fuera de esos rangos."
        ],
        [],
        encabezados(informe),
    ]
    estilos: list[tuple[str, Estilo]] = [
        ("A1", Estilo(negrita=True, tamano=14)),
        ("A2", Estilo(negrita=True, tamano=12, color_fuente=_color_titulo(informe))),
        ("A3:A4", Estilo(negrita=True)),
        ("A5", _ROJO if informe.preliminar else Estilo(color_fuente="595959")),
        (f"A{FILA_ENCABEZADO}:{ULTIMA_COLUMNA}{FILA_ENCABEZADO}", _ENCABEZADO),
    ]
    altos: dict[int, float] = {FILA_ENCABEZADO: 4 * ALTO_LINEA}

    def seccion(texto: str) -> None:
        filas.append([texto])
        fila = len(filas)
        estilos.append((f"A{fila}:{ULTIMA_COLUMNA}{fila}", _SECCION))

    def total(etiqueta: str, t: Total, negrita: bool = True) -> None:
        filas.append([None, etiqueta, _unidad_total(t), *_cifras(t.cifras)])
        fila = len(filas)
        if _alto(filas[-1]) > ALTO_LINEA:
            altos[fila] = _alto(filas[-1])
        estilos.append((f"A{fila}:{ULTIMA_COLUMNA}{fila}", _TABLA))
        estilos.append((f"F{fila}", _PORCENTAJE))
        estilos.append((f"I{fila}", _PORCENTAJE))
        if negrita:
            estilos.append((f"A{fila}:I{fila}", Estilo(negrita=True)))

    # -- page 1: the quarter at a glance -------------------------------------------------
    seccion(f"RESUMEN DEL {p.nombre.upper()}")
    for programa in informe.programas:
        for t in programa.totales:
            total(programa.nombre, t, negrita=False)
    for t in informe.totales:
        total("TOTAL DE LA INSTITUCIÓN", t)
    filas.append([])
    grafica = _grafica(informe, filas, estilos)

    # -- one page per programa -----------------------------------------------------------
    saltos: list[int] = []
    for programa in informe.programas:
        saltos.append(len(filas) + 1)
        seccion(f"PROGRAMA {programa.nombre}")
        for meta in programa.metas:
            fila = [
                meta.numero or None,
                meta.descripcion or None,
                meta.unidad or None,
                *_cifras(meta.cifras),
                str(meta.semaforo),
                _pendientes(meta),
                None if meta.justificacion is None else (meta.justificacion or SIN_JUSTIFICACION),
            ]
            filas.append(fila)
            n = len(filas)
            estilos.append((f"A{n}:{ULTIMA_COLUMNA}{n}", _TABLA))
            estilos.append((f"F{n}", _PORCENTAJE))
            estilos.append((f"I{n}", _PORCENTAJE))
            color = COLORES_SEMAFORO[meta.semaforo]
            if color:
                estilos.append((f"J{n}", Estilo(relleno=color)))
            if meta.justificacion == "" and meta.semaforo is not Semaforo.SIN_PROGRAMADO:
                estilos.append((f"L{n}", Estilo(color_fuente="C00000")))
            if _alto(fila) > ALTO_LINEA:
                altos[n] = _alto(fila)
        for t in programa.totales:
            total(f"TOTAL {programa.nombre}", t)
    return HojaGenerada(
        nombre=informe.hoja,
        filas=filas,
        anchos=dict(ANCHOS),
        estilos=estilos,
        altos=altos,
        congelar=f"A{FILA_ENCABEZADO + 1}",
        impresion=Impresion(
            filas_repetidas=f"{FILA_ENCABEZADO}:{FILA_ENCABEZADO}", saltos=tuple(saltos)
        ),
        graficas=[grafica],
        autoajuste=f"{FILA_ENCABEZADO + 1}:{len(filas)}",
    )


def _grafica(
    informe: InformeTrimestral, filas: list[list[Any]], estilos: list[tuple[str, Estilo]]
) -> Grafica:
    """The programado and realizado per period (of the metas counted in whole units) as a
    small table, and the Resumen-style chart over it; rows are left free for the chart."""
    serie = informe.serie
    mensual = informe.periodicidad is Periodicidad.MENSUAL
    filas.append([None, "MES" if mensual else "TRIMESTRE", None, "Programado", "Realizado", "%"])
    cabecera = len(filas)
    estilos.append((f"B{cabecera}:F{cabecera}", _ENCABEZADO))
    for i, etiqueta in enumerate(serie.etiquetas):
        prog, real = serie.programado[i], serie.realizado[i]
        nombre = NOMBRES_MESES[i].capitalize() if mensual else etiqueta
        pct = round(real * 100 / prog, 1) if real is not None and prog > 0 else None
        filas.append([None, nombre, None, _num(prog), _num(real), pct])
    primera, ultima = cabecera + 1, len(filas)
    estilos.append((f"B{primera}:F{ultima}", Estilo(borde=True)))
    estilos.append((f"F{primera}:F{ultima}", _PORCENTAJE))
    filas.append([])
    ancla = f"B{len(filas) + 1}"
    filas.extend([] for _ in range(FILAS_GRAFICA))
    periodos = serie.etiquetas
    desde = NOMBRES_MESES[0] if mensual else periodos[0]
    hasta = NOMBRES_MESES[len(periodos) - 1] if mensual else periodos[-1]
    return Grafica(
        titulo=f"Programado vs. realizado, {desde} a {hasta} de {informe.periodo.anio}",
        categorias=f"B{primera}:B{ultima}",
        series=(
            Serie("Programado", f"D{primera}:D{ultima}"),
            Serie("Realizado", f"E{primera}:E{ultima}"),
        ),
        ancla=ancla,
        titulo_eje_y="Cantidad",
        ancho_cm=24.0,
        alto_cm=10.0,
    )
