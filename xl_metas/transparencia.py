"""The transparency-portal export: Ley General de Transparencia, artículo 70, fracción IV
(«Las metas y objetivos de las áreas de conformidad con sus programas operativos»), one row
per meta of the plan, for the Plataforma Nacional de Transparencia (SIPOT).

Where the wording comes from. The national format is *Formato IV LGT_Art_70_Fr_IV
«Metas y objetivos de las áreas»* of the Lineamientos técnicos generales (DOF 4 May 2016).
Its criteria, as the organismos garantes evaluate them (inaiot.org.mx, valoraciones of
artículo 70 IV): 1 Ejercicio; 2 Periodo que se informa (fecha de inicio y fecha de término
con el formato día/mes/año); 3 Denominación del área; 4 Descripción breve y clara de cada
objetivo; 5 Por cada objetivo, se publicarán los indicadores asociados; 6 Cada indicador
deberá señalar la(s) meta(s); 7 Cada meta deberá especificar su unidad de medida;
8 Hipervínculo al documento del o los programas operativos, presupuestarios, sectoriales,
regionales, institucionales, especiales, de trabajo y/o anuales; 12 Área(s) responsable(s)
que genera(n), posee(n), publica(n) y actualiza(n) la información; 13 Fecha de
actualización; 14 Fecha de validación; and the Nota every SIPOT format ends with. The
column titles are the SIPOT template's for those criteria (as its published downloads
carry them: «Fecha de inicio del periodo que se informa», «Indicadores asociados por cada
objetivo», «Meta(s) por cada indicador», «Unidad de medida por cada meta», «Fecha de
actualización», «Fecha de validación», «Nota»), in the criteria's order. The title block
follows the SIPOT templates: TÍTULO / NOMBRE CORTO / DESCRIPCIÓN over their values, then
«Tabla Campos» over the header row. See docs/transparencia.md.

What the plan does not hold comes from Configuración (the programme document's link, the
responsible area, the update and validation dates, the note) and from an optional
INDICADOR column in the Plan sheet; a missing required value is a finding naming the cell
where it should be written, and its cell stays empty (the file adapter marks it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .config import HOJA_CONFIG, PARAMETROS, Configuracion
from .errors import XlMetasError
from .grid import Column, Table
from .lectura import leer
from .libro import Libro
from .model import Hallazgo, Meta, Plan, Severidad, texto_numero
from .text import cell_address, fold

TITULO = "Metas y objetivos de las áreas"
NOMBRE_CORTO = "LGT_Art_70_Fr_IV"
DESCRIPCION = "Las metas y objetivos de las áreas de conformidad con sus programas operativos"
FORMATO = f"Formato IV {NOMBRE_CORTO}"
HOJA = "Información"

# key -> column title, in the criteria's order.
COLUMNAS: tuple[tuple[str, str], ...] = (
    ("ejercicio", "Ejercicio"),
    ("inicio", "Fecha de inicio del periodo que se informa"),
    ("termino", "Fecha de término del periodo que se informa"),
    ("area", "Denominación del área"),
    ("objetivo", "Descripción breve y clara de cada objetivo"),
    ("indicador", "Indicadores asociados por cada objetivo"),
    ("meta", "Meta(s) por cada indicador"),
    ("unidad", "Unidad de medida por cada meta"),
    (
        "hipervinculo",
        "Hipervínculo al documento del o los programas operativos, presupuestarios, "
        "sectoriales, regionales, institucionales, especiales, de trabajo y/o anuales",
    ),
    (
        "responsable",
        "Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualiza(n) la información",
    ),
    ("actualizacion", "Fecha de actualización"),
    ("validacion", "Fecha de validación"),
    ("nota", "Nota"),
)
ENCABEZADOS: tuple[str, ...] = tuple(titulo for _, titulo in COLUMNAS)
CLAVES: tuple[str, ...] = tuple(clave for clave, _ in COLUMNAS)
FECHAS = frozenset({"inicio", "termino", "actualizacion", "validacion"})

# The optional Plan column with each objetivo's indicator (blank in a continuation row
# of the same objetivo: the one above).
COLUMNA_INDICADOR = Column(
    "indicador",
    "INDICADOR",
    (
        "INDICADORES",
        "INDICADOR ASOCIADO",
        "INDICADORES ASOCIADOS",
        "INDICADOR(ES) ASOCIADO(S)",
        "NOMBRE DEL INDICADOR",
    ),
    required=False,
)
REGLA = "transparencia-falta-dato"
REGLA_DATO = "transparencia-dato-invalido"
_URL = re.compile(r"https?://\S+$", re.IGNORECASE)
_FECHA = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_RANGO = re.compile(rf"{_FECHA}\s*(?:-|–|a|al)\s*{_FECHA}")
SINTAXIS = (
    "T1…T4 (un trimestre), S1 o S2 (un semestre), el año (por ejemplo 2011, o ANUAL) o "
    "un rango día/mes/año-día/mes/año (por ejemplo 01/04/2011-30/06/2011)"
)


class PeriodoError(XlMetasError):
    """A --periodo that cannot be read or that falls outside the plan's year."""


@dataclass(frozen=True)
class Periodo:
    inicio: dt.date
    fin: dt.date
    etiqueta: str  # for file names: «T2», «S1», «Anual», «2011-04-01 a 2011-06-30»

    def texto(self) -> str:
        return f"{dia_mes_anio(self.inicio)} a {dia_mes_anio(self.fin)}"


@dataclass(frozen=True)
class Exportacion:
    """The fracción IV rows of a plan for a period, and what is missing from them."""

    anio: int
    periodo: Periodo
    filas: tuple[tuple[Any, ...], ...]  # one per meta, values in COLUMNAS order
    faltantes: tuple[tuple[int, str], ...]  # (row index, column key) left empty
    hallazgos: tuple[Hallazgo, ...]

    def falta(self, fila: int, clave: str) -> bool:
        return (fila, clave) in self.faltantes


def dia_mes_anio(fecha: dt.date) -> str:
    return fecha.strftime("%d/%m/%Y")


def parse_periodo(texto: str, anio: int) -> Periodo:
    """``--periodo`` within the plan's year ``anio``; see SINTAXIS."""
    crudo = texto.strip()
    t = fold(crudo).replace(" ", "")
    if re.fullmatch(r"t[1-4]", t):
        n = int(t[1])
        return Periodo(dt.date(anio, 3 * n - 2, 1), _fin_de_mes(anio, 3 * n), f"T{n}")
    if re.fullmatch(r"s[12]", t):
        n = int(t[1])
        return Periodo(dt.date(anio, 6 * n - 5, 1), _fin_de_mes(anio, 6 * n), f"S{n}")
    if t == "anual" or re.fullmatch(r"\d{4}", t):
        if t != "anual" and int(t) != anio:
            raise PeriodoError(
                f"--periodo «{crudo}»: el plan es del año {anio}; el periodo debe estar "
                "dentro de ese año."
            )
        return Periodo(dt.date(anio, 1, 1), dt.date(anio, 12, 31), "Anual")
    rango = _RANGO.fullmatch(crudo)
    if rango is None:
        raise PeriodoError(f"--periodo «{crudo}» no se entiende. Escriba {SINTAXIS}.")
    d1, m1, a1, d2, m2, a2 = (int(g) for g in rango.groups())
    try:
        inicio, fin = dt.date(a1, m1, d1), dt.date(a2, m2, d2)
    except ValueError:
        raise PeriodoError(
            f"--periodo «{crudo}»: una de las fechas no existe (escríbalas como día/mes/año)."
        ) from None
    if fin < inicio:
        raise PeriodoError(f"--periodo «{crudo}»: la fecha de término es anterior a la de inicio.")
    if inicio.year != anio or fin.year != anio:
        raise PeriodoError(
            f"--periodo «{crudo}»: el plan es del año {anio}; el periodo debe estar dentro "
            f"de ese año (del 01/01/{anio} al 31/12/{anio})."
        )
    return Periodo(inicio, fin, f"{inicio.isoformat()} a {fin.isoformat()}")


def _fin_de_mes(anio: int, mes: int) -> dt.date:
    return dt.date(anio, mes, calendar.monthrange(anio, mes)[1])


def desde_libro(libro: Libro, periodo: str) -> Exportacion:
    """The fracción IV rows of a workbook's plan for ``periodo`` (see SINTAXIS), with what
    is missing: read once through the port, nothing written."""
    lectura = leer(libro)
    anio = anio_del_plan(lectura.plan, lectura.config, lectura.nombre)
    return exportar(
        lectura.plan,
        lectura.tabla_plan,
        lectura.config,
        parse_periodo(periodo, anio),
        anio,
        lectura.hoja(HOJA_CONFIG),
    )


def anio_del_plan(plan: Plan, config: Configuracion, libro: str) -> int:
    anio = config.anio or plan.anio
    if anio is None:
        raise PeriodoError(
            f"«{libro}»: el plan no dice de qué año es; escríbalo en «Año» de la hoja "
            f"{HOJA_CONFIG} (el Ejercicio de la fracción IV)."
        )
    return anio


def exportar(
    plan: Plan,
    tabla_plan: Table,
    config: Configuracion,
    periodo: Periodo,
    anio: int,
    hojas_config: str | None = None,
) -> Exportacion:
    """The fracción IV rows: one per meta, in plan order. ``hojas_config``: the workbook's
    Configuración sheet name (None: the workbook has none), to say where to write."""
    hallazgos: list[Hallazgo] = []
    faltantes: list[tuple[int, str]] = []
    hoja_config = hojas_config or HOJA_CONFIG

    def donde_config(key: str) -> str:
        """The cell of a parameter's value, or the next free row of Configuración."""
        return config.celdas.get(key, "")

    def pedir_config(key: str, que: str) -> None:
        label = PARAMETROS[key][0]
        celda = donde_config(key)
        if celda:
            lugar = f"escriba el valor en la celda {celda} de la hoja «{hoja_config}» («{label}»)"
        elif hojas_config is None:
            lugar = (
                f"el libro no tiene hoja «{HOJA_CONFIG}»: créela con «{label}» en la "
                "columna A y su valor en la B"
            )
        else:
            lugar = (
                f"agregue a la hoja «{hoja_config}» una fila con «{label}» en la columna A "
                "y el valor en la B"
            )
        hallazgos.append(
            Hallazgo(REGLA, Severidad.ERROR, hoja_config, celda, "", f"Falta {que}: {lugar}.")
        )

    globales: dict[str, Any] = {
        "hipervinculo": config.hipervinculo_programa or None,
        "actualizacion": config.fecha_actualizacion,
        "validacion": config.fecha_validacion,
    }
    if globales["hipervinculo"] is None:
        pedir_config("hipervinculo", "el hipervínculo al documento del programa (criterio 8)")
    elif not _URL.fullmatch(globales["hipervinculo"]):
        hallazgos.append(
            Hallazgo(
                REGLA_DATO,
                Severidad.ERROR,
                hoja_config,
                donde_config("hipervinculo"),
                "",
                f"«{globales['hipervinculo']}» no es un hipervínculo: escriba la dirección "
                "completa del documento del programa (https://…) en la celda "
                f"{donde_config('hipervinculo')} de la hoja «{hoja_config}».",
            )
        )
        globales["hipervinculo"] = None
    if globales["actualizacion"] is None:
        pedir_config("fecha_actualizacion", "la fecha de actualización (día/mes/año)")
    if globales["validacion"] is None:
        pedir_config("fecha_validacion", "la fecha de validación (día/mes/año)")
    actualizacion, validacion = globales["actualizacion"], globales["validacion"]
    if actualizacion and validacion and validacion < actualizacion:
        hallazgos.append(
            Hallazgo(
                REGLA_DATO,
                Severidad.ADVERTENCIA,
                hoja_config,
                donde_config("fecha_validacion"),
                "",
                f"La fecha de validación ({dia_mes_anio(validacion)}) es anterior a la de "
                f"actualización ({dia_mes_anio(actualizacion)}): el área valida lo que ya "
                "se actualizó; revise las dos fechas.",
            )
        )

    indicadores, celda_columna = _indicadores(plan, tabla_plan)
    if celda_columna is not None:
        hallazgos.append(
            Hallazgo(
                REGLA,
                Severidad.ERROR,
                plan.hoja,
                celda_columna,
                "",
                "Faltan los indicadores asociados a cada objetivo (criterio 5): la hoja "
                f"«{plan.hoja}» no tiene columna INDICADOR. Escriba «INDICADOR» en la celda "
                f"{celda_columna} y, debajo, el nombre del indicador de cada objetivo (en la "
                "fila de su primera meta basta).",
            )
        )

    filas: list[tuple[Any, ...]] = []
    for i, meta in enumerate(plan.metas):
        valores: dict[str, Any] = {
            "ejercicio": anio,
            "inicio": periodo.inicio,
            "termino": periodo.fin,
            "area": meta.programa.texto or None,
            "objetivo": meta.objetivo.texto or None,
            "indicador": indicadores[i][0],
            "meta": _meta(meta),
            "unidad": meta.unidad.texto or None,
            "hipervinculo": globales["hipervinculo"],
            "responsable": config.area_responsable or meta.programa.texto or None,
            "actualizacion": actualizacion,
            "validacion": validacion,
            "nota": config.nota_transparencia or None,
        }

        def pedir_plan(que: str, celda: str, meta: Meta = meta) -> None:
            hallazgos.append(
                Hallazgo(
                    REGLA,
                    Severidad.ERROR,
                    plan.hoja,
                    celda,
                    meta.clave,
                    f"Meta {meta.clave or '(sin número)'}: falta {que}; escriba el valor en "
                    f"la celda {celda} de la hoja «{plan.hoja}».",
                )
            )

        if valores["area"] is None:
            pedir_plan("el programa (Denominación del área)", meta.programa.celda)
        if valores["objetivo"] is None:
            pedir_plan("el objetivo", meta.objetivo.celda)
        if valores["indicador"] is None and celda_columna is None and indicadores[i][2]:
            pedir_plan("el indicador asociado a su objetivo", indicadores[i][1])
        if valores["meta"] is None:
            celda = meta.descripcion.celda if meta.descripcion.vacio else meta.anual.celda
            que = "la descripción de la meta" if meta.descripcion.vacio else "el programa anual"
            pedir_plan(que, celda)
        if valores["unidad"] is None:
            pedir_plan("la unidad de medida", meta.unidad.celda)
        faltantes.extend((i, k) for k in CLAVES if k != "nota" and valores[k] is None)
        filas.append(tuple(valores[k] for k in CLAVES))
    return Exportacion(anio, periodo, tuple(filas), tuple(faltantes), tuple(hallazgos))


def _meta(meta: Meta) -> str | None:
    """«Meta 3. Reuniones con sociedad organizada: 20» (the annual target, in its unit)."""
    anual = meta.anual.numero
    if meta.descripcion.vacio or anual is None:
        return None
    numero = f"Meta {meta.clave}. " if meta.clave else ""
    return f"{numero}{meta.descripcion.texto}: {texto_numero(anual)}"


def _indicadores(plan: Plan, tabla: Table) -> tuple[list[tuple[str | None, str, bool]], str | None]:
    """Each meta's indicator, its cell and whether it is the first meta of its objetivo
    (where a missing one is reported), from the Plan's optional INDICADOR column (a blank
    under the same objetivo of the same programa takes the one above); without the column,
    the header cell where to write it."""
    grid = tabla.grid
    columna = next(
        (
            c
            for f in range(tabla.header_row, tabla.first_row)
            for c, v in enumerate(grid.rows[f - 1], start=1)
            if isinstance(v, str) and COLUMNA_INDICADOR.accepts(v)
        ),
        None,
    )
    if columna is None:
        return [(None, "", False)] * len(plan.metas), cell_address(
            tabla.header_row, tabla.last_header_column + 1
        )
    resultado: list[tuple[str | None, str, bool]] = []
    anterior: tuple[str, str, str | None] | None = None  # programa, objetivo, indicador
    for meta in plan.metas:
        valor = grid.value(meta.fila, columna)
        texto = str(valor).strip() if valor is not None and str(valor).strip() else None
        clave = (fold(meta.programa.texto), fold(meta.objetivo.texto))
        mismo = anterior is not None and anterior[:2] == clave
        if texto is None and anterior is not None and mismo:
            texto = anterior[2]
        resultado.append((texto, cell_address(meta.fila, columna), not mismo))
        anterior = (*clave, texto)
    return resultado, None


def valor_texto(clave: str, valor: Any) -> str:
    """A cell as the CSV and JSON write it: dates día/mes/año, numbers as written."""
    if valor is None:
        return ""
    if clave in FECHAS and isinstance(valor, dt.date):
        return dia_mes_anio(valor)
    if isinstance(valor, float):
        return texto_numero(valor)
    return str(valor)


def como_json(e: Exportacion) -> dict[str, Any]:
    return {
        "formato": FORMATO,
        "ejercicio": e.anio,
        "periodo": {
            "etiqueta": e.periodo.etiqueta,
            "inicio": dia_mes_anio(e.periodo.inicio),
            "termino": dia_mes_anio(e.periodo.fin),
        },
        "encabezados": list(ENCABEZADOS),
        "filas": [[valor_texto(k, v) for k, v in zip(CLAVES, f, strict=True)] for f in e.filas],
        "faltantes": [{"fila": i + 1, "columna": dict(COLUMNAS)[k]} for i, k in e.faltantes],
        "hallazgos": [h.as_json() for h in e.hallazgos],
    }
