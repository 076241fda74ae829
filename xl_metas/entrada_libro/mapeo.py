"""The mapping file: how one layout's columns are read, written once by the user (TOML).

    hoja = "POA 2024"
    fila_encabezado = 6
    periodicidad = "trimestral"

    [columnas]
    descripcion = "ACTIVIDAD"          # a header text…
    unidad = "F"                       # …or a column letter
    programado = ["H", "J", "L", "N"]  # one per period, in order
    realizado = "Ejecutado"            # every column with that header, in order

Every mistake is a ``LecturaError`` naming the file and its line. ``tomllib`` gives no
line for a key, so the line is found by searching the text for the key (``linea_de``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from ..errors import LecturaError
from ..model import Periodicidad
from ..text import column_letter, enumerar
from .sinonimos import Campo

CLAVES = (
    "hoja",
    "fila_encabezado",
    "filas_encabezado",
    "primera_fila",
    "ultima_fila",
    "periodicidad",
    "programa",
    "columnas",
)
SERIES = ("programado", "realizado")
CLAVES_COLUMNAS = (*(c.value for c in Campo), *SERIES)
_LETRA = re.compile(r"[A-Za-z]{1,3}")
_RANGO = re.compile(r"([A-Za-z]{1,3})\s*:\s*([A-Za-z]{1,3})")
_LINEA_TOML = re.compile(r"at line (\d+), column (\d+)")
MAX_COLUMNA = 16_384  # XFD


@dataclass(frozen=True)
class Seleccion:
    """A column named by the mapping: by letter (``columna``) or by header ``texto``."""

    linea: int
    columna: int | None = None
    texto: str | None = None

    def describir(self) -> str:
        return f"«{self.texto}»" if self.texto is not None else column_letter(self.columna or 0)


@dataclass(frozen=True)
class Serie:
    """The calendar's columns: a list (one per period), every column with a header text,
    or ``paso`` columns apart from a first one."""

    linea: int
    lista: tuple[Seleccion, ...] = ()
    texto: str | None = None
    desde: int | None = None
    paso: int = 1
    hasta: int | None = None  # «F:Q»


@dataclass(frozen=True)
class Mapeo:
    nombre: str  # the mapping file's name, for messages
    hoja: str | None = None
    fila_encabezado: int | None = None
    filas_encabezado: int | None = None
    primera_fila: int | None = None
    ultima_fila: int | None = None
    periodicidad: Periodicidad | None = None
    programa: str | None = None  # a fixed programa name, when the sheet has no column
    columnas: dict[Campo, Seleccion] = field(default_factory=dict)
    series: dict[str, Serie] = field(default_factory=dict)
    lineas: dict[str, int] = field(default_factory=dict)  # top-level key -> line

    def donde(self, linea: int) -> str:
        return f"«{self.nombre}», línea {linea}"


def indice_columna(letras: str) -> int:
    """«A» -> 1, «AA» -> 27 (0 when not letters)."""
    indice = 0
    for ch in letras.upper():
        if not "A" <= ch <= "Z":
            return 0
        indice = indice * 26 + ord(ch) - 64
    return indice


def linea_de(texto: str, clave: str, seccion: str | None = None, valor: str | None = None) -> int:
    """The line where ``clave`` is set (in ``[seccion]`` when given); with ``valor``, the
    line from there on where that value is written (an item of a list over several
    lines). 1 when not found (a key written in a way this search does not follow)."""
    actual: str | None = None
    patron = re.compile(
        rf"""\s*(?:{re.escape(clave)}|"{re.escape(clave)}"|'{re.escape(clave)}')\s*="""
    )
    lineas = texto.splitlines()
    for numero, linea in enumerate(lineas, start=1):
        cabecera = re.match(r"\s*\[\s*([^\]]+?)\s*\]", linea)
        if cabecera:
            actual = cabecera.group(1).strip("\"'")
            continue
        if actual == seccion and patron.match(linea):
            if valor is None:
                return numero
            for otro, resto in enumerate(lineas[numero - 1 :], start=numero):
                if valor in (resto if otro > numero else linea.split("=", 1)[1]):
                    return otro
            return numero
    return 1


def leer_mapeo(texto: str, nombre: str) -> Mapeo:
    """The mapping file's content, checked; ``LecturaError`` naming the line otherwise."""
    try:
        datos = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as exc:
        m = _LINEA_TOML.search(str(exc))
        donde = f"línea {m.group(1)}, columna {m.group(2)}" if m else "en algún punto"
        raise LecturaError(
            f"«{nombre}», {donde}: no es un archivo TOML válido. Cada línea es "
            '«clave = valor», con el texto entre comillas ("ACTIVIDAD") y las listas entre '
            'corchetes (["F", "H"]).'
        ) from exc
    return _Lector(texto, nombre).mapeo(datos)


class _Lector:
    def __init__(self, texto: str, nombre: str) -> None:
        self.texto = texto
        self.nombre = nombre

    def error(self, linea: int, mensaje: str) -> LecturaError:
        return LecturaError(f"«{self.nombre}», línea {linea}: {mensaje}")

    def linea(self, clave: str, seccion: str | None = None, valor: str | None = None) -> int:
        return linea_de(self.texto, clave, seccion, valor)

    def mapeo(self, datos: dict[str, Any]) -> Mapeo:
        for clave in datos:
            if clave not in CLAVES:
                raise self.error(
                    self.linea(clave),
                    f"«{clave}» no es una clave del archivo de mapeo. Claves: "
                    + ", ".join(CLAVES)
                    + ".",
                )
        columnas = datos.get("columnas", {})
        if not isinstance(columnas, dict):
            raise self.error(
                self.linea("columnas"), "«columnas» va como sección: una línea «[columnas]»."
            )
        periodicidad = self.texto_de(datos, "periodicidad")
        if periodicidad is not None and periodicidad not in {p.value for p in Periodicidad}:
            raise self.error(
                self.linea("periodicidad"),
                f"periodicidad «{periodicidad}»: se espera «mensual» o «trimestral».",
            )
        mapeo = Mapeo(
            nombre=self.nombre,
            hoja=self.texto_de(datos, "hoja"),
            fila_encabezado=self.fila(datos, "fila_encabezado"),
            filas_encabezado=self.fila(datos, "filas_encabezado", maximo=4),
            primera_fila=self.fila(datos, "primera_fila"),
            ultima_fila=self.fila(datos, "ultima_fila"),
            periodicidad=Periodicidad(periodicidad) if periodicidad else None,
            programa=self.texto_de(datos, "programa"),
            columnas=self.columnas(columnas),
            series={c: self.serie(c, columnas[c]) for c in SERIES if c in columnas},
            lineas={c: self.linea(c) for c in datos},
        )
        if (
            mapeo.primera_fila is not None
            and mapeo.fila_encabezado is not None
            and mapeo.primera_fila <= mapeo.fila_encabezado
        ):
            raise self.error(
                self.linea("primera_fila"),
                f"primera_fila ({mapeo.primera_fila}) debe estar debajo de fila_encabezado "
                f"({mapeo.fila_encabezado}).",
            )
        return mapeo

    def texto_de(self, datos: dict[str, Any], clave: str) -> str | None:
        valor = datos.get(clave)
        if valor is None:
            return None
        if not isinstance(valor, str) or not valor.strip():
            raise self.error(
                self.linea(clave), f'{clave} va entre comillas, por ejemplo «{clave} = "…"».'
            )
        return valor.strip()

    def fila(self, datos: dict[str, Any], clave: str, maximo: int = 1_048_576) -> int | None:
        valor = datos.get(clave)
        if valor is None:
            return None
        if isinstance(valor, bool) or not isinstance(valor, int) or not 1 <= valor <= maximo:
            raise self.error(
                self.linea(clave),
                f"{clave} debe ser un número entero de 1 a {maximo}, sin comillas.",
            )
        return valor

    def columnas(self, columnas: dict[str, Any]) -> dict[Campo, Seleccion]:
        salida: dict[Campo, Seleccion] = {}
        for clave, valor in columnas.items():
            if clave not in CLAVES_COLUMNAS:
                raise self.error(
                    self.linea(clave, "columnas"),
                    f"«{clave}» no es una columna que se pueda mapear. Columnas: "
                    + enumerar(list(CLAVES_COLUMNAS))
                    + ".",
                )
            if clave in SERIES:
                continue
            salida[Campo(clave)] = self.seleccion(valor, self.linea(clave, "columnas"), clave)
        return salida

    def seleccion(self, valor: Any, linea: int, clave: str) -> Seleccion:
        """«B» is a letter, «ACTIVIDAD» a header; ``{encabezado = "ID"}`` for a header text
        that looks like a letter, ``{letra = "B"}`` also works."""
        if isinstance(valor, dict):
            if set(valor) == {"letra"} and isinstance(valor["letra"], str):
                return self.letra(valor["letra"], linea, clave)
            if set(valor) == {"encabezado"} and isinstance(valor["encabezado"], str):
                return Seleccion(linea, texto=valor["encabezado"].strip())
        elif isinstance(valor, str) and valor.strip():
            valor = valor.strip()
            if _LETRA.fullmatch(valor):
                return self.letra(valor, linea, clave)
            if re.fullmatch(r"[A-Za-z]{1,3}\d+|\d+", valor):
                raise self.error(
                    linea,
                    f"{clave} = «{valor}»: se espera la letra de la columna («C»), sin número "
                    "de fila, o el texto de su encabezado.",
                )
            return Seleccion(linea, texto=valor)
        raise self.error(
            linea,
            f"{clave}: se espera la letra de una columna («C») o el texto de su encabezado "
            'entre comillas («"ACTIVIDAD"»).',
        )

    def letra(self, letras: str, linea: int, clave: str) -> Seleccion:
        indice = indice_columna(letras)
        if not 1 <= indice <= MAX_COLUMNA:
            raise self.error(
                linea, f"{clave} = «{letras}»: no es una columna de Excel (van de A a XFD)."
            )
        return Seleccion(linea, columna=indice)

    def serie(self, clave: str, valor: Any) -> Serie:
        linea = self.linea(clave, "columnas")
        if isinstance(valor, list):
            if not valor:
                raise self.error(linea, f"{clave}: la lista está vacía.")
            return Serie(
                linea,
                lista=tuple(
                    self.seleccion(
                        v,
                        self.linea(clave, "columnas", f'"{v}"' if isinstance(v, str) else None),
                        clave,
                    )
                    for v in valor
                ),
            )
        if isinstance(valor, dict):
            desde = valor.get("desde")
            paso = valor.get("paso", 1)
            if (
                set(valor) - {"desde", "paso"}
                or not isinstance(desde, str)
                or isinstance(paso, bool)
                or not isinstance(paso, int)
                or paso < 1
            ):
                raise self.error(
                    linea,
                    f'{clave}: se espera {{ desde = "F", paso = 4 }} (la primera columna y '
                    "cada cuántas columnas sigue el siguiente periodo).",
                )
            inicio = self.letra(desde, linea, clave).columna
            return Serie(linea, desde=inicio, paso=paso)
        if isinstance(valor, str) and (rango := _RANGO.fullmatch(valor.strip())):
            inicio = self.letra(rango.group(1), linea, clave).columna
            fin = self.letra(rango.group(2), linea, clave).columna
            if inicio is None or fin is None or fin < inicio:
                raise self.error(linea, f"{clave} = «{valor}»: el rango va de izquierda a derecha.")
            return Serie(linea, desde=inicio, hasta=fin)
        if isinstance(valor, str) and valor.strip() and not _LETRA.fullmatch(valor.strip()):
            return Serie(linea, texto=valor.strip())
        raise self.error(
            linea,
            f'{clave}: se espera una lista de columnas (["F", "H", …]), un rango («F:Q»), '
            'el texto del encabezado que llevan todas («Programado») o { desde = "F", paso = 4 }.',
        )
