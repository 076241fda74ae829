"""Which column of a foreign sheet is which: the header band's labels, the mapping file's
choices on top, and a clear error that lists the headers found when something is missing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..errors import LecturaError
from ..model import PERIODOS, Periodicidad, entero_en_texto
from ..text import column_letter, enumerar, fold
from .encabezado import Banda, Columna, extender, leer_banda
from .hoja import Hoja
from .mapeo import Mapeo, Seleccion, Serie
from .sinonimos import NOMBRES_CAMPOS, Campo, Papel, limpia

FILAS_MUESTRA = 30  # data rows looked at to tell a meta number from a description
MAX_ROTULOS = 60  # header labels listed in an error message


@dataclass
class Tabla:
    """Where a plan sits in a sheet, and what each of its columns holds."""

    hoja: Hoja
    banda: Banda
    primera: int  # first data row
    ultima: int  # last row read
    campos: dict[Campo, int] = field(default_factory=dict)  # column (1-based) of each campo
    periodicidad: Periodicidad = Periodicidad.MENSUAL
    programado: dict[int, int] = field(default_factory=dict)  # period -> column
    realizado: dict[int, int] = field(default_factory=dict)
    avisos: list[str] = field(default_factory=list)

    @property
    def periodos(self) -> tuple[str, ...]:
        return PERIODOS[self.periodicidad]

    @property
    def completa(self) -> bool:
        return Campo.DESCRIPCION in self.campos and len(self.programado) == len(self.periodos)

    def puntos(self) -> tuple[int, ...]:
        """How much of a plan this looks like (compared between sheets and bands)."""
        reconocidas = sum(c.reconocida for c in self.banda.columnas)
        return (
            int(self.completa),
            int(Campo.DESCRIPCION in self.campos),
            len(self.programado),
            len(self.campos),
            len(self.realizado),
            reconocidas,
        )


def tabla_de(hoja: Hoja, fila1: int, fila2: int | None = None, mapeo: Mapeo | None = None) -> Tabla:
    """The table whose header band starts at ``fila1`` (its columns may still be missing:
    see ``exigir``). A mapping's choice that names nothing is an error naming its line."""
    if fila2 is None:
        fila2 = extender(hoja, fila1, mapeo.filas_encabezado if mapeo else None)
    banda = leer_banda(hoja, fila1, fila2)
    primera = mapeo.primera_fila if mapeo and mapeo.primera_fila else fila2 + 1
    ultima = mapeo.ultima_fila if mapeo and mapeo.ultima_fila else hoja.alto
    tabla = Tabla(hoja, banda, primera, ultima)
    _campos(tabla)
    _calendario(tabla, mapeo.periodicidad if mapeo else None)
    if mapeo is not None:
        _mapear(tabla, mapeo)
    return tabla


def _campos(tabla: Tabla) -> None:
    candidatas: dict[Campo, list[Columna]] = {}
    ambiguas: list[Columna] = []
    for columna in tabla.banda.columnas:
        if columna.campo is None or columna.periodo is not None:
            continue
        if columna.papel not in (None, Papel.PROGRAMADO):
            continue  # «Meta anual › Realizado», «Programación anual › %»
        if columna.ambigua:
            ambiguas.append(columna)
        else:
            candidatas.setdefault(columna.campo, []).append(columna)
    for campo, columnas in candidatas.items():
        mejor = min(columnas, key=lambda c: (c.rango, c.indice))
        tabla.campos[campo] = mejor.indice
        for otra in columnas:
            if otra is not mejor:
                tabla.avisos.append(
                    f"La columna {otra.letra} «{otra.titulo}» también parece "
                    f"{NOMBRES_CAMPOS[campo]}: se usa la {mejor.letra} «{mejor.titulo}»."
                )
    for columna in ambiguas:  # «META» / «METAS»: the cells say whether number or text
        texto = _parece_texto(tabla, columna.indice)
        orden = (Campo.DESCRIPCION, Campo.NUMERO) if texto else (Campo.NUMERO, Campo.DESCRIPCION)
        libre = next((c for c in orden if c not in tabla.campos), None)
        if libre is not None:
            tabla.campos[libre] = columna.indice
            if libre is Campo.DESCRIPCION:
                tabla.avisos.append(
                    f"La columna {columna.letra} «{columna.titulo}» tiene texto: se lee como la "
                    "descripción de la meta."
                )


def _parece_texto(tabla: Tabla, columna: int) -> bool:
    """Mostly words, not numbers or short codes («1», «1.2», «M-03»)."""
    valores = [
        v
        for fila in range(tabla.primera, min(tabla.ultima, tabla.primera + FILAS_MUESTRA) + 1)
        if (v := tabla.hoja.valor(fila, columna)) is not None
    ]
    textos = [
        v
        for v in valores
        if isinstance(v, str) and entero_en_texto(v) is None and len(v.split()) >= 3
    ]
    return bool(valores) and len(textos) * 2 > len(valores)


def _calendario(tabla: Tabla, periodicidad: Periodicidad | None) -> None:
    columnas = [c for c in tabla.banda.columnas if c.periodo is not None]
    if periodicidad is None:
        mensual = any(
            c.periodicidad is Periodicidad.MENSUAL and c.papel is Papel.PROGRAMADO for c in columnas
        )
        periodicidad = Periodicidad.MENSUAL if mensual else Periodicidad.TRIMESTRAL
    tabla.periodicidad = periodicidad
    ignoradas: Counter[str] = Counter()
    otras = 0
    for c in columnas:
        assert c.periodo is not None
        if c.periodicidad is not periodicidad:
            otras += 1
            continue
        destino = {Papel.PROGRAMADO: tabla.programado, Papel.REALIZADO: tabla.realizado}.get(
            c.papel or Papel.PROGRAMADO
        )
        if destino is None:
            ignoradas[c.rotulos[-1].texto] += 1
        elif c.periodo in destino:
            tabla.avisos.append(
                f"{tabla.periodos[c.periodo]} tiene otra columna de {c.papel}: "
                f"se usa la {column_letter(destino[c.periodo])}, no la {c.letra} «{c.titulo}»."
            )
        else:
            destino[c.periodo] = c.indice
    if ignoradas:
        tabla.avisos.append(
            "No se leen las subcolumnas "
            + enumerar([f"«{t}» ({n})" for t, n in ignoradas.items()])
            + " del calendario: solo lo programado y lo realizado."
        )
    if otras and tabla.programado:
        tabla.avisos.append(
            f"No se leen {otras} columnas de "
            + (
                "trimestres (subtotales de los meses)"
                if periodicidad is Periodicidad.MENSUAL
                else "meses"
            )
            + f": el calendario es {periodicidad.value}."
        )


def _mapear(tabla: Tabla, mapeo: Mapeo) -> None:
    for campo, seleccion in mapeo.columnas.items():
        tabla.campos[campo] = _columna(tabla, mapeo, seleccion, campo.value)
    if mapeo.series:
        periodicidad = mapeo.periodicidad
        columnas = {k: _serie(tabla, mapeo, s, k) for k, s in mapeo.series.items()}
        if periodicidad is None:
            n = len(next(iter(columnas.values())))
            periodicidad = {12: Periodicidad.MENSUAL, 4: Periodicidad.TRIMESTRAL}.get(n)
        for clave, lista in columnas.items():
            esperadas = len(PERIODOS[periodicidad]) if periodicidad else None
            if esperadas != len(lista):
                raise LecturaError(
                    f"{mapeo.donde(mapeo.series[clave].linea)}: {clave} da {len(lista)} "
                    f"columnas ({', '.join(column_letter(c) for c in lista)}); se esperan "
                    + (
                        f"{esperadas}, una por periodo ({periodicidad.value})."
                        if periodicidad and esperadas
                        else "12 (mensual) o 4 (trimestral)."
                    )
                )
        assert periodicidad is not None
        if periodicidad is not tabla.periodicidad:
            tabla.periodicidad = periodicidad
            tabla.programado, tabla.realizado = {}, {}
        for clave, lista in columnas.items():
            destino = tabla.programado if clave == "programado" else tabla.realizado
            destino.clear()
            destino.update(enumerate(lista))
    tabla.avisos.append(f"Se aplica el archivo de mapeo «{mapeo.nombre}».")


def _columna(tabla: Tabla, mapeo: Mapeo, seleccion: Seleccion, clave: str) -> int:
    if seleccion.columna is not None:
        return seleccion.columna
    encontradas = _con_texto(tabla, seleccion.texto or "")
    if len(encontradas) == 1:
        return encontradas[0]
    if not encontradas:
        raise _no_encontrado(tabla, mapeo, seleccion)
    raise LecturaError(
        f"{mapeo.donde(seleccion.linea)}: el encabezado «{seleccion.texto}» está en varias "
        f"columnas ({', '.join(column_letter(c) for c in encontradas)}) de la hoja "
        f"«{tabla.hoja.nombre}»: escriba la letra de la que es {clave}, por ejemplo "
        f'{clave} = "{column_letter(encontradas[0])}".'
    )


def _serie(tabla: Tabla, mapeo: Mapeo, serie: Serie, clave: str) -> list[int]:
    if serie.lista:
        return [_columna(tabla, mapeo, s, clave) for s in serie.lista]
    if serie.texto is not None:
        encontradas = _con_texto(tabla, serie.texto)
        if not encontradas:
            raise _no_encontrado(tabla, mapeo, Seleccion(serie.linea, texto=serie.texto))
        return encontradas
    assert serie.desde is not None
    if serie.hasta is not None:
        return list(range(serie.desde, serie.hasta + 1))
    n = len(PERIODOS[mapeo.periodicidad or Periodicidad.MENSUAL])
    return [serie.desde + i * serie.paso for i in range(n)]


def _con_texto(tabla: Tabla, texto: str) -> list[int]:
    buscado = {fold(texto), limpia(texto)}
    return [
        c.indice
        for c in tabla.banda.columnas
        if any(fold(r.texto) in buscado or limpia(r.texto) in buscado for r in c.rotulos)
    ]


def _no_encontrado(tabla: Tabla, mapeo: Mapeo, seleccion: Seleccion) -> LecturaError:
    return LecturaError(
        f"{mapeo.donde(seleccion.linea)}: no encuentro el encabezado «{seleccion.texto}» en "
        f"la hoja «{tabla.hoja.nombre}» (filas {tabla.banda.filas}). "
        + encabezados_encontrados(tabla.banda)
    )


def encabezados_encontrados(banda: Banda) -> str:
    """«Encabezados encontrados (fila 5): A5 «N°», B5 «ACTIVIDAD», …»."""
    rotulos = banda.rotulos()
    if not rotulos:
        return f"La fila {banda.filas} no tiene encabezados."
    partes = [f"{r.celda} «{r.texto}»" for r in rotulos[:MAX_ROTULOS]]
    if len(rotulos) > MAX_ROTULOS:
        partes.append(f"y {len(rotulos) - MAX_ROTULOS} más")
    filas = "fila" if banda.fila1 == banda.fila2 else "filas"
    return f"Encabezados encontrados ({filas} {banda.filas}): " + ", ".join(partes) + "."


COMO_MAPEAR = (
    "Diga qué columna es cuál en un archivo de mapeo (TOML; véase docs/importar-libros.md) y "
    "úselo al importar, por ejemplo:\n"
    '    hoja = "{hoja}"\n'
    "    fila_encabezado = {fila}\n"
    "    [columnas]\n"
    '    descripcion = "ACTIVIDAD"\n'
    '    programado = ["F", "H", "J", "L"]'
)


def exigir(tabla: Tabla) -> Tabla:
    """The table, when it has a description column and the whole calendar; otherwise a
    ``LecturaError`` listing the headers found and how to map them."""
    faltan = []
    if Campo.DESCRIPCION not in tabla.campos:
        faltan.append("la columna de la descripción de la meta")
    if len(tabla.programado) < len(tabla.periodos):
        if not tabla.programado:
            faltan.append(
                "el calendario (columnas de meses ENE…DIC o de trimestres T1…T4, con lo programado)"
            )
        else:
            sin = [p for i, p in enumerate(tabla.periodos) if i not in tabla.programado]
            faltan.append(f"lo programado de {enumerar(sin)} en el calendario")
    if not faltan:
        return tabla
    banda = tabla.banda
    raise LecturaError(
        f"«{banda.hoja.libro}», hoja «{banda.hoja.nombre}»: no reconozco {enumerar(faltan)}. "
        + encabezados_encontrados(banda)
        + "\n"
        + COMO_MAPEAR.format(hoja=banda.hoja.nombre, fila=banda.fila1)
    )
