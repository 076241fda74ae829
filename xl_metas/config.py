"""The Configuración sheet: año, institución, fecha de corte, semáforo thresholds, folder.

Read by labels: each parameter is found by its label anywhere in the sheet and its value
is the cell in the VALOR column (or, without a header, the next cell to its right).
A bad value is a finding and the default applies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import LecturaError
from .estados import Umbrales
from .grid import Grid
from .libro import Libro
from .model import Hallazgo, Severidad, as_number, texto_numero
from .render import Estilo, HojaGenerada
from .text import cell_address, fold

HOJA_CONFIG = "Configuración"
CARPETA_COPIAS = "copias"

# key -> (label we write, other labels we accept, note)
PARAMETROS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "anio": ("Año", ("Año del programa", "Ejercicio"), "Año del programa."),
    "institucion": ("Institución", ("Instituto",), "Nombre que aparece en los encabezados."),
    "corte": ("Fecha de corte", ("Corte", "Fecha corte"), "Vacía: la fecha de hoy."),
    "verde_desde": ("Verde desde (%)", ("Verde desde",), "Semáforo verde: de este porcentaje…"),
    "verde_hasta": ("Verde hasta (%)", ("Verde hasta",), "…hasta este."),
    "amarillo_desde": (
        "Amarillo desde (%)",
        ("Amarillo desde",),
        "Semáforo amarillo por debajo del verde, desde este porcentaje.",
    ),
    "amarillo_hasta": (
        "Amarillo hasta (%)",
        ("Amarillo hasta",),
        "Amarillo por encima del verde, hasta este; fuera: rojo.",
    ),
    "carpeta": (
        "Carpeta de copias devueltas",
        ("Carpeta de copias", "Carpeta"),
        "Relativa a la carpeta de este libro.",
    ),
    # Transparency portal (Ley General de Transparencia, art. 70, fracción IV): what the
    # plan does not hold. Optional: a workbook without these rows reads as before, and
    # `transparencia` lists what is missing.
    "hipervinculo": (
        "Hipervínculo al programa",
        ("Hipervínculo al documento del programa", "Liga del programa"),
        "Fracción IV: dirección (https://…) del documento del programa publicado.",
    ),
    "area_responsable": (
        "Área responsable de la información",
        ("Área(s) responsable(s)", "Área responsable"),
        "Fracción IV: área que genera, posee, publica y actualiza la información. "
        "Vacía: el programa de cada meta.",
    ),
    "fecha_actualizacion": (
        "Fecha de actualización",
        ("Fecha de actualización de la información",),
        "Fracción IV: día/mes/año en que se actualizó la información.",
    ),
    "fecha_validacion": (
        "Fecha de validación",
        ("Fecha de validación de la información",),
        "Fracción IV: día/mes/año en que el área responsable validó la información.",
    ),
    "nota_transparencia": (
        "Nota de la fracción IV",
        ("Nota fracción IV", "Nota de transparencia"),
        "Fracción IV: texto de la columna Nota (opcional).",
    ),
}
ENCABEZADOS_CONFIG = ("PARÁMETRO", "VALOR", "NOTA")
_UMBRALES = ("verde_desde", "verde_hasta", "amarillo_desde", "amarillo_hasta")
# parameter key -> Configuracion field
_TEXTOS_TRANSPARENCIA = {
    "hipervinculo": "hipervinculo_programa",
    "area_responsable": "area_responsable",
    "nota_transparencia": "nota_transparencia",
}
_FECHAS_TRANSPARENCIA = {
    "fecha_actualizacion": "fecha_actualizacion",
    "fecha_validacion": "fecha_validacion",
}
_PUNCT = re.compile(r"[()%:*.]")
_FORMATOS_FECHA = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y")


def _key(label: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(label)).split())


_LABELS = {
    _key(text): key for key, (label, aliases, _) in PARAMETROS.items() for text in (label, *aliases)
}


@dataclass(frozen=True)
class Configuracion:
    anio: int | None = None  # None: the plan's year
    institucion: str = ""
    fecha_corte: dt.date | None = None  # None: today
    umbrales: Umbrales = field(default_factory=Umbrales)
    carpeta_copias: str = CARPETA_COPIAS
    # Fracción IV (transparency portal); empty/None: not written yet.
    hipervinculo_programa: str = ""
    area_responsable: str = ""  # empty: each meta's programa
    fecha_actualizacion: dt.date | None = None
    fecha_validacion: dt.date | None = None
    nota_transparencia: str = ""
    celdas: dict[str, str] = field(default_factory=dict)  # key -> cell of its value

    def corte(self, hoy: dt.date | None = None) -> dt.date:
        return self.fecha_corte or hoy or dt.date.today()


# -- reading ---------------------------------------------------------------------------


def _aviso(hoja: str, celda: str, mensaje: str) -> Hallazgo:
    """A bad configuration value: a warning, and the default applies."""
    return Hallazgo("configuracion-invalida", Severidad.ADVERTENCIA, hoja, celda, "", mensaje)


def read_config(grid: Grid | None) -> tuple[Configuracion, list[Hallazgo]]:
    """The configuration and the findings on it; without the sheet, the defaults."""
    if grid is None:
        return Configuracion(), []
    valores = {k: (raw, cell_address(r, c)) for k, (raw, r, c) in _find_values(grid).items()}
    hallazgos: list[Hallazgo] = []
    config = Configuracion(celdas={k: celda for k, (_, celda) in valores.items()})

    def bad(key: str, raw: Any, problema: str, consecuencia: str) -> None:
        celda = valores[key][1]
        label = PARAMETROS[key][0]
        hallazgos.append(
            _aviso(grid.hoja, celda, f"{label} ({celda}): «{raw}» {problema}; {consecuencia}.")
        )

    raw = _raw(valores, "anio")
    if raw is not None:
        number = as_number(raw)
        if number is None or not number.is_integer() or not 1900 <= number <= 2200:
            bad("anio", raw, "no es un año válido", "se usa el año del plan")
        else:
            config = replace(config, anio=int(number))
    raw = _raw(valores, "institucion")
    if raw is not None:
        config = replace(config, institucion=str(raw).strip())
    raw = _raw(valores, "corte")
    if raw is not None:
        fecha = parse_fecha(raw)
        if fecha is None:
            bad(
                "corte",
                raw,
                "no es una fecha (escríbala como 30/06/2011)",
                "se usa la fecha de hoy",
            )
        else:
            config = replace(config, fecha_corte=fecha)
    raw = _raw(valores, "carpeta")
    if raw is not None:
        config = replace(config, carpeta_copias=str(raw).strip())
    transparencia: dict[str, Any] = {}
    for key, campo in _TEXTOS_TRANSPARENCIA.items():
        raw = _raw(valores, key)
        if raw is not None:
            transparencia[campo] = str(raw).strip()
    for key, campo in _FECHAS_TRANSPARENCIA.items():
        raw = _raw(valores, key)
        if raw is None:
            continue
        fecha = parse_fecha(raw)
        if fecha is None:
            bad(key, raw, "no es una fecha (escríbala como 30/06/2011)", "queda sin fecha")
        else:
            transparencia[campo] = fecha
    config = replace(config, **transparencia)

    umbrales = Umbrales()
    for key in _UMBRALES:
        raw = _raw(valores, key)
        if raw is None:
            continue
        pct = parse_porcentaje(raw)
        if pct is None:
            bad(key, raw, "no es un porcentaje", f"se usa {texto_numero(getattr(umbrales, key))} %")
        else:
            umbrales = replace(umbrales, **{key: pct})
    if not umbrales.ordenados():
        d = Umbrales()
        celda = next((valores[k][1] for k in _UMBRALES if k in valores), "")
        hallazgos.append(
            _aviso(
                grid.hoja,
                celda,
                "Los umbrales del semáforo no están en orden (amarillo desde ≤ verde desde ≤ "
                "verde hasta ≤ amarillo hasta); se usan los de omisión: verde de "
                f"{texto_numero(d.verde_desde)} % a {texto_numero(d.verde_hasta)} %, amarillo de "
                f"{texto_numero(d.amarillo_desde)} % a {texto_numero(d.amarillo_hasta)} %.",
            )
        )
        umbrales = d
    return replace(config, umbrales=umbrales), hallazgos


def _raw(valores: dict[str, tuple[Any, str]], key: str) -> Any:
    raw = valores.get(key, (None, ""))[0]
    return None if raw is None or (isinstance(raw, str) and not raw.strip()) else raw


def _find_values(grid: Grid) -> dict[str, tuple[Any, int, int]]:
    """Each known label's value and its cell; the value sits in the VALOR column when the
    sheet has that header, else in the next cell to the right of the label."""
    valor_col: int | None = None
    found: dict[str, tuple[Any, int, int]] = {}
    for row in range(1, grid.height + 1):
        for column, value in enumerate(grid.rows[row - 1], start=1):
            if not isinstance(value, str) or not value.strip():
                continue
            if fold(value) == "valor" and valor_col is None:
                valor_col = column
                continue
            key = _LABELS.get(_key(value))
            if key is None or key in found:
                continue
            target = valor_col if valor_col is not None and valor_col > column else column + 1
            found[key] = (grid.value(row, target), row, target)
    return found


def parse_fecha(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for formato in _FORMATOS_FECHA:
            try:
                return dt.datetime.strptime(text, formato).date()
            except ValueError:
                continue
        return None
    number = as_number(raw)
    if number is not None and number.is_integer() and 1 <= number <= 2_958_465:
        # An Excel serial day number left without a date format.
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))
    return None


def parse_porcentaje(raw: Any) -> float | None:
    """90, "90 %" or 0.9 (a cell formatted as percentage) -> 90.0."""
    if isinstance(raw, str):
        text = raw.strip()
        percent_sign = text.endswith("%")
        number = as_number(text.rstrip("%").strip())
        if number is None or number < 0:
            return None
        return number if percent_sign or number > 3 else number * 100
    number = as_number(raw)
    if number is None or number < 0:
        return None
    # Values up to 3 are fractions (Excel stores 90 % as 0.9); no threshold is 3 %.
    return round(number * 100, 6) if number <= 3 else number


# -- writing ---------------------------------------------------------------------------


def config_sheet(config: Configuracion | None = None) -> HojaGenerada:
    """A Configuración sheet holding ``config`` (the defaults when None)."""
    c = config or Configuracion()
    u = c.umbrales
    valores: dict[str, Any] = {
        "anio": c.anio,
        "institucion": c.institucion or None,
        "corte": c.fecha_corte,
        "verde_desde": u.verde_desde,
        "verde_hasta": u.verde_hasta,
        "amarillo_desde": u.amarillo_desde,
        "amarillo_hasta": u.amarillo_hasta,
        "carpeta": c.carpeta_copias,
        "hipervinculo": c.hipervinculo_programa or None,
        "area_responsable": c.area_responsable or None,
        "fecha_actualizacion": c.fecha_actualizacion,
        "fecha_validacion": c.fecha_validacion,
        "nota_transparencia": c.nota_transparencia or None,
    }
    filas: list[list[Any]] = [["Configuración"], [], list(ENCABEZADOS_CONFIG)]
    for key, (label, _, nota) in PARAMETROS.items():
        value = valores[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        filas.append([label, value, nota])
    fecha = Estilo(formato="dd/mm/yyyy", horizontal="left")
    fechas = [
        (f"B{4 + list(PARAMETROS).index(key)}", fecha) for key in ("corte", *_FECHAS_TRANSPARENCIA)
    ]
    return HojaGenerada(
        nombre=HOJA_CONFIG,
        filas=filas,
        anchos={"A": 30, "B": 40, "C": 62},
        estilos=[
            ("A1", Estilo(negrita=True, tamano=14)),
            ("A3:C3", Estilo(negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True)),
            (f"A4:C{len(filas)}", Estilo(borde=True, vertical="top")),
            *fechas,
        ],
    )


def fijar(libro: Libro, key: str, valor: Any) -> None:
    """Set one parameter in Configuración; creates the sheet (defaults) when missing."""
    if libro.resolver(HOJA_CONFIG) is None:
        libro.poner_hoja(config_sheet())
    grid = libro.leer(HOJA_CONFIG)
    found = _find_values(grid)
    if key not in found:
        raise LecturaError(
            f"«{grid.libro}», hoja «{grid.hoja}»: no encontré el parámetro "
            f"«{PARAMETROS[key][0]}». Escríbalo en la columna A y su valor en la B."
        )
    _, row, column = found[key]
    libro.escribir(grid.hoja, row, column, [[valor]])
