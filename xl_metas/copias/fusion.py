"""The merge: each returned copy's realizado and justificación into the master's Avance,
never overwriting a value silently; Plan changes only proposed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..avance import HOJA_AVANCE
from ..errors import LecturaError, XlMetasError
from ..escrituras import Bloque, Escritura
from ..grid import Grid
from ..lectura import Lectura
from ..libro import Libro
from ..model import ErrorExcel, Meta, Plan, Valor, iguales, sin_valor
from ..rangos import rectangulos
from ..text import column_letter, controles, fold
from .informe import Aviso, Celda, CopiaLeida, Informe, Propuesta, ResultadoCopia
from .maestro import id_del_libro
from .registro import escrituras_registro
from .sello import _CAMPOS, HOJA_CONSOLIDACION, JUSTIFICACION, Sello, huella_plan, metas_de


# -- consolidation: the merge ---
def _vacio(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _para_escribir(raw: Any) -> Any:
    """The copy's value as we write it: whole numbers as int, text as text (never a formula)."""
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


@dataclass
class _Maestro:
    """The master's Avance as it evolves while copies are merged (cells by row, column)."""

    plan: Plan
    programas: dict[str, str]  # meta -> folded programa
    por_programa: dict[str, list[Meta]]  # folded programa -> its metas, in plan order
    filas: dict[str, int]  # meta -> Avance row
    columnas: dict[str, int]  # field -> column
    valores: dict[tuple[int, int], Any]
    escribir: dict[tuple[int, int], Any] = field(default_factory=dict)
    huellas: dict[str, str] = field(default_factory=dict)  # folded programa -> huella_plan
    campos: tuple[str, ...] = _CAMPOS  # Avance fields merged: the periods, justificación


def consolidacion(
    libro: Libro,
    lectura: Lectura,
    copias: Sequence[Path],
    preferir_copia: bool = False,
    al_avanzar: Callable[[Path], None] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
    *,
    leer_copia: Callable[[Path], CopiaLeida],
) -> tuple[Informe, list[Escritura]]:
    """Merge realizado and justificación of returned copies into the master's Avance, as
    read once (``lectura``); each copy read by ``leer_copia`` (``copias_archivo.leer_copia``
    for files). Returns the report and the writes, not applied: the command adds its own
    (the Historial) and applies all at once (nothing with ``simular``).

    Every file is reported on its own; a rejected file does not stop the others. Changed
    cells are written one block per rectangle of changed cells, and the ``Consolidación``
    log gets the new entries."""
    if lectura.avance_o_error() is None:
        raise LecturaError(
            f"«{libro.nombre}» no tiene la hoja «{HOJA_AVANCE}»: no hay dónde consolidar."
        )
    nombre_log = lectura.hoja(HOJA_CONSOLIDACION)
    log = libro.leer(nombre_log) if nombre_log else None
    return fusionar(
        lectura, id_del_libro(libro), log, copias, preferir_copia, leer_copia, al_avanzar, ahora
    )


def fusionar(
    lectura: Lectura,
    libro_id: str | None,
    log: Grid | None,
    copias: Sequence[Path],
    preferir_copia: bool,
    leer_copia: Callable[[Path], CopiaLeida],
    al_avanzar: Callable[[Path], None] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
) -> tuple[Informe, list[Escritura]]:
    """The merge of every copy into the master as read, and the writes it needs."""
    assert lectura.avance is not None
    plan = lectura.plan
    table = lectura.avance.tabla
    avance = lectura.avance.avance
    campos = (*avance.periodos, "justificacion")  # ENE…DIC or T1…T4, then justificación
    columnas = {mes: table.columns[mes] for mes in avance.periodos}
    nueva_justificacion = "justificacion" not in table.columns
    columnas["justificacion"] = table.columns.get("justificacion", table.last_header_column + 1)
    valores: dict[tuple[int, int], Any] = {}
    indices = [columnas[campo] for campo in campos]
    for fila in avance.filas:
        # As read: the cells of the row (a justificación column added now is read too).
        linea = fila.meses if nueva_justificacion else (*fila.meses, fila.justificacion)
        crudos = [v.raw for v in linea]
        if nueva_justificacion:
            crudos.append(table.grid.value(fila.fila, columnas["justificacion"]))
        numero = fila.fila
        for columna, valor in zip(indices, crudos, strict=True):
            valores[(numero, columna)] = valor
    maestro = _Maestro(
        plan=plan,
        programas={m.clave: fold(m.programa.texto) for m in plan.metas if m.clave},
        por_programa=_por_programa(plan),
        filas={k: f.fila for k, f in avance.por_meta().items()},
        columnas=columnas,
        valores=valores,
        campos=campos,
    )
    anio = lectura.config.anio or plan.anio

    informe = Informe([], False, preferir_copia)
    for ruta in copias:
        resultado = ResultadoCopia(Path(ruta))
        try:
            _consolidar_copia(maestro, leer_copia(Path(ruta)), resultado, libro_id, anio)
        except XlMetasError as exc:
            resultado.rechazo = exc.mensaje
        except Exception as exc:  # a damaged file must not stop the others
            resultado.rechazo = (
                f"«{Path(ruta).name}» no se pudo leer (error interno {type(exc).__name__}); "
                "no se consolidó. Avise al responsable del libro."
            )
        if preferir_copia:
            resultado.actualizadas.extend(resultado.conflictos)
        for celda in resultado.actualizadas:
            rc = _rc(maestro, celda)
            maestro.escribir[rc] = _para_escribir(celda.copia)
            maestro.valores[rc] = celda.copia
        informe.copias.append(resultado)
        if al_avanzar:
            al_avanzar(Path(ruta))

    escrituras: list[Escritura] = []
    if maestro.escribir and nueva_justificacion:
        escrituras.append(
            Bloque(avance.hoja, table.header_row, columnas["justificacion"], [[JUSTIFICACION]])
        )
    for r1, c1, r2, c2 in rectangulos(maestro.escribir):
        block = [[maestro.escribir[(r, c)] for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        escrituras.append(Bloque(avance.hoja, r1, c1, block))
    informe.escritas = len(maestro.escribir)
    escrituras += escrituras_registro(log, informe, despues_de=avance.hoja, ahora=ahora)
    return informe, escrituras


def _calendario(periodos: tuple[str, ...]) -> str:
    return f"{periodos[0]}…{periodos[-1]}"


def _por_programa(plan: Plan) -> dict[str, list[Meta]]:
    out: dict[str, list[Meta]] = {}
    for meta in plan.metas:
        out.setdefault(fold(meta.programa.texto), []).append(meta)
    return out


def _rc(maestro: _Maestro, celda: Celda) -> tuple[int, int]:
    return maestro.filas[celda.meta], maestro.columnas[celda.campo]


def _consolidar_copia(
    maestro: _Maestro,
    copia: CopiaLeida,
    resultado: ResultadoCopia,
    libro_id: str | None,
    anio: int | None,
) -> None:
    nombre = copia.ruta.name
    sello = copia.sello
    if sello is None:
        resultado.rechazo = (
            f"«{nombre}» no tiene el sello de una copia exportada por xl-metas "
            "(¿es el libro maestro u otro archivo?); no se consolidó."
        )
        return
    resultado.programa, resultado.exportada = sello.programa, sello.exportada
    resultado.autor = copia.autor
    if libro_id is None or sello.libro != libro_id:
        resultado.rechazo = (
            f"«{nombre}» es una copia de otro libro (no se exportó desde este); no se consolidó."
        )
        return
    if anio is not None and sello.anio is not None and sello.anio != anio:
        resultado.rechazo = (
            f"«{nombre}» es del programa {sello.anio} y este libro es del {anio}; no se consolidó."
        )
        return
    programa = fold(sello.programa)
    if programa not in maestro.por_programa:
        resultado.rechazo = (
            f"«{nombre}»: el programa «{sello.programa}» ya no está en el Plan de este libro; "
            "no se consolidó."
        )
        return
    if copia.avance.periodos != maestro.campos[:-1]:
        resultado.rechazo = (
            f"«{nombre}»: su hoja Avance tiene el calendario {_calendario(copia.avance.periodos)} "
            f"y la de este libro {_calendario(maestro.campos[:-1])}; no se consolidó."
        )
        return
    _proponer_plan(maestro, copia, sello, resultado)
    campos = maestro.campos
    columnas = [maestro.columnas[campo] for campo in campos]
    letras = [column_letter(columna) for columna in columnas]
    valores = maestro.valores
    for fila in copia.avance.filas:
        datos = [
            (i, v)
            for i, v in enumerate((*fila.meses, fila.justificacion))
            if v.raw is not None and not _vacio(v.raw)
        ]
        if not datos:
            continue
        meta = fila.clave
        if not meta:
            resultado.fuera.append(
                Aviso(
                    "",
                    f"Fila {fila.fila} de Avance de la copia tiene datos pero no número de "
                    "meta; no se aplicó.",
                )
            )
            continue
        suya = maestro.programas.get(meta)
        if suya is None:
            resultado.fuera.append(
                Aviso(meta, f"La meta {meta} no está en el Plan de este libro; no se aplicó.")
            )
            continue
        if suya != programa:
            resultado.fuera.append(
                Aviso(
                    meta,
                    f"La meta {meta} no es del programa {sello.programa} (fila {fila.fila} de "
                    "Avance de la copia); no se aplicó.",
                )
            )
            continue
        row = maestro.filas.get(meta)
        if row is None:
            resultado.fuera.append(
                Aviso(
                    meta,
                    f"La meta {meta} no tiene fila en la hoja Avance de este libro; agréguela y "
                    "vuelva a consolidar.",
                )
            )
            continue
        numero = str(row)
        for i, valor in datos:
            raw = valor.raw
            tipo = type(raw)
            campo = campos[i]
            if tipo is not float and tipo is not int and sin_valor(raw):
                resultado.fuera.append(Aviso(meta, _sin_valor(meta, campo, valor)))
                continue
            actual = valores.get((row, columnas[i]))
            vacia = actual is None or _vacio(actual)  # the copy's value is not blank
            if not vacia and iguales(actual, raw):
                continue
            celda = Celda(meta, campo, letras[i] + numero, actual, raw)
            codigos = controles(raw) if tipo is not float and tipo is not int else None
            if codigos:
                resultado.avisos.append(
                    f"En la copia, {_que(campo)} de la meta {meta} (celda {valor.celda} de "
                    f"Avance) tiene caracteres de control invisibles ({', '.join(codigos)}): "
                    "se consolida sin ellos (un salto de línea pegado de otro programa queda "
                    "como un salto de línea normal)."
                )
            if vacia:
                resultado.actualizadas.append(celda)
            else:
                resultado.conflictos.append(celda)


def _que(campo: str) -> str:
    return "la justificación" if campo == "justificacion" else f"el realizado de {campo}"


def _sin_valor(meta: str, campo: str, valor: Valor) -> str:
    """Why a cell of the copy was not applied: it holds no value."""
    que = _que(campo)
    if isinstance(valor.raw, ErrorExcel):
        tiene = f"tiene el error de Excel {valor.raw}"
    else:
        tiene = f"es una fórmula sin calcular («{valor.raw}»)"
    return (
        f"En la copia, {que} de la meta {meta} (celda {valor.celda} de Avance) {tiene}; no "
        "se aplicó. Corríjala en la copia (ábrala en Excel y guárdela) y vuelva a consolidar."
    )


_CAMPOS_PLAN = (
    ("objetivo", "OBJETIVO"),
    ("descripcion", "DESCRIPCIÓN DE LA META"),
    ("unidad", "UNIDAD DE MEDIDA"),
    ("anual", "PROGRAMA ANUAL"),
)


def _campos_plan(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The Plan fields compared with a copy's: the texts, the annual target, the calendar."""
    return (*_CAMPOS_PLAN, *((p, p) for p in plan.periodos))


def _campo_plan(meta: Meta, campo: str, periodos: tuple[str, ...]) -> Valor:
    if campo in periodos:
        return meta.meses[periodos.index(campo)]
    valor: Valor = getattr(meta, campo)
    return valor


def _proponer_plan(
    maestro: _Maestro, copia: CopiaLeida, sello: Sello, resultado: ResultadoCopia
) -> None:
    """Differences between the copy's Plan and the master's, as proposals."""
    programa = sello.programa
    propias = metas_de(copia.plan, programa)
    del_libro = maestro.por_programa.get(fold(programa), [])
    if fold(programa) not in maestro.huellas:
        maestro.huellas[fold(programa)] = huella_plan(del_libro)
    if maestro.huellas[fold(programa)] != sello.huella_plan:
        resultado.avisos.append(
            f"El Plan del programa {programa} cambió en este libro después de exportar la copia."
        )
    if huella_plan(propias) == sello.huella_plan and len(propias) == len(copia.plan.metas):
        return  # the copy's Plan is as exported
    libro_por_meta = {m.clave: m for m in maestro.plan.metas if m.clave}
    vistas: set[str] = set()
    for meta in copia.plan.metas:
        clave = meta.clave
        vistas.add(clave)
        otra = libro_por_meta.get(clave)
        if otra is None:
            resultado.propuestas.append(
                Propuesta(
                    clave,
                    "META",
                    meta.numero.celda,
                    "",
                    clave,
                    f"Meta nueva {clave or '(sin número)'} en la fila {meta.fila} del Plan "
                    "de la copia.",
                )
            )
            continue
        if fold(otra.programa.texto) != fold(programa):
            resultado.fuera.append(
                Aviso(
                    clave,
                    f"El Plan de la copia incluye la meta {clave}, que es del programa "
                    f"{otra.programa.texto}; no se tomó en cuenta.",
                )
            )
            continue
        for campo, etiqueta in _campos_plan(maestro.plan):
            periodos = maestro.plan.periodos
            a, b = _campo_plan(otra, campo, periodos), _campo_plan(meta, campo, periodos)
            if not iguales(a.raw, b.raw):
                resultado.propuestas.append(
                    Propuesta(
                        clave,
                        etiqueta,
                        b.celda,
                        a.texto,
                        b.texto,
                        f"{etiqueta} de la meta {clave}: «{a.texto}» → «{b.texto}».",
                    )
                )
    for meta in del_libro:
        if meta.clave not in vistas:
            resultado.propuestas.append(
                Propuesta(
                    meta.clave,
                    "META",
                    "",
                    meta.clave,
                    "",
                    f"La copia ya no tiene la meta {meta.clave}.",
                )
            )
