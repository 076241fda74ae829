"""The Historial: every change to a figure someone captured, in a hidden, protected sheet
that only grows, each row chained to the previous one by a hash.

Captured figures are Plan's PROGRAMA ANUAL and calendar, and Avance's realizado and
JUSTIFICACIÓN, each keyed by sheet, meta and column (``Clave``). A command that writes
(``registrar``) compares three states of them:

* the **state last recorded** (kept beside the log, columns M onwards of the same sheet:
  one row per sheet and meta) against the workbook **as read** at the start: what differs
  was edited by hand in Excel since the last command, and is recorded as «edición manual»;
* the workbook as read against the workbook **after the command's writes**: what the
  command changed, recorded with its origin (command or button, and for a consolidation
  the copy's file and sender).

Then the new rows go below the last one (one block; old rows are never rewritten) and the
state is written again. The first time (no Historial yet) the state as read becomes the
baseline, with one «estado inicial» row. Nothing changed: nothing is written, so a second
identical run leaves the file as it was.

Tamper evidence: each row's HUELLA is sha256 over its values and the previous row's
HUELLA; the state carries a HUELLA over its values and the last row's. ``verificar`` finds
the first row whose HUELLA does not follow (a row deleted, edited or inserted) and a state
that does not match (the last rows deleted, or the state edited). Without a secret key this
only detects edits made without xl-metas' code (by hand, by accident); it is not security,
and neither is the sheet's protection (its password is in this code): it prevents
accidental edits.

Time: FECHA is ISO 8601 local time with its UTC offset (``2011-07-01 09:30:00-07:00``),
the clock of the computer that ran the command; the offset makes it unambiguous (a
space instead of the «T»: see ``fecha_texto``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import getpass
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .avance import HOJA_AVANCE, Avance, read_avance
from .errors import LecturaError
from .escrituras import Bloque, Escritura, PonerHoja, valor_plano
from .grid import Grid
from .lectura import Lectura
from .libro import Libro
from .model import Hallazgo, Plan, Severidad, Valor, iguales
from .plan_sheet import read_plan
from .render import HojaGenerada
from .text import cell_address, fold, sin_controles

HOJA_HISTORIAL = "Historial"
FILA_ENCABEZADO = 4
ENCABEZADOS = (
    "FECHA",
    "QUIÉN",
    "ORIGEN",
    "COPIA",
    "HOJA",
    "CELDA",
    "META",
    "CAMPO",
    "ANTES",
    "DESPUÉS",
    "HUELLA",
)
_ANCHO_LOG = len(ENCABEZADOS)
COLUMNA_ESTADO = _ANCHO_LOG + 2  # M: one blank column between the log and the state
ANUAL = "PROGRAMA ANUAL"
JUSTIFICACION = "JUSTIFICACIÓN"
ESTADO_INICIAL = "estado inicial"
EDICION_MANUAL = "edición manual"
DESCONOCIDO = "desconocido"
AVISO = (
    "No modifique esta hoja: xl-metas anota aquí cada cambio a las cifras capturadas "
    "(Plan y Avance) y la protege. Cada fila lleva una huella encadenada a la anterior: "
    "«xl-metas validar» reporta una fila borrada, editada o insertada."
)

# (folded sheet name, meta, campo) -> (value, cell)
Clave = tuple[str, str, str]
Capturadas = dict[Clave, tuple[Any, str]]


# -- who and when: set by the front ends -------------------------------------------------
@dataclass(frozen=True)
class Autoria:
    """Who runs a command and how: the CLI leaves the defaults (the OS user, «comando»);
    a button press sets ``boton`` and the user name Excel gives. ``ahora`` is the clock
    (default: now, local time with offset); ``activo=False`` records nothing (xlwings
    Lite, which cannot write into a protected sheet)."""

    usuario: str | None = None
    boton: str | None = None
    ahora: Callable[[], dt.datetime] | None = None
    activo: bool = True


_AUTORIA: ContextVar[Autoria | None] = ContextVar("xl_metas_autoria", default=None)


def _autoria() -> Autoria:
    return _AUTORIA.get() or Autoria()


@contextlib.contextmanager
def autoria(**kwargs: Any) -> Iterator[Autoria]:
    """Run commands with these ``Autoria`` fields (the rest as they were)."""
    actual = replace(_autoria(), **kwargs)
    token = _AUTORIA.set(actual)
    try:
        yield actual
    finally:
        _AUTORIA.reset(token)


def usuario_del_sistema() -> str:
    try:
        return getpass.getuser() or DESCONOCIDO
    except Exception:  # no user name in the environment (a service, Pyodide)
        return DESCONOCIDO


def fecha_texto(momento: dt.datetime) -> str:
    """ISO 8601 with its offset and a space for the «T» (``2011-07-01 09:30:00-07:00``):
    xlwings' remote engine and Lite read any text with the «T» as a date (and cut its
    last character). A naive time is taken as the computer's local time."""
    if momento.tzinfo is None:
        momento = momento.astimezone()
    return momento.replace(microsecond=0).isoformat(sep=" ")


# -- what was captured ---------------------------------------------------------------------
def capturar(plan: Plan | None, avance: Avance | None) -> Capturadas:
    """The captured figures, by sheet, meta and column (the first row of a repeated meta)."""
    out: Capturadas = {}
    poner = out.setdefault
    # A Valor is the pair (raw, celda) itself: kept as it is, not copied into a new tuple.
    if plan is not None:
        hoja = fold(plan.hoja)
        campos = (ANUAL, *plan.periodos)
        for meta in plan.metas:
            clave = meta.clave
            if not clave:
                continue
            for campo, v in zip(campos, (meta.anual, *meta.meses), strict=True):
                poner((hoja, clave, campo), v)
    if avance is not None:
        hoja = fold(avance.hoja)
        campos = (*avance.periodos, JUSTIFICACION)
        for fila in avance.filas:
            clave = fila.clave
            if not clave:
                continue
            for campo, v in zip(campos, (*fila.meses, fila.justificacion), strict=True):
                poner((hoja, clave, campo), v)
    return out


def capturar_lectura(lectura: Lectura) -> Capturadas:
    return capturar(lectura.plan, lectura.avance.avance if lectura.avance else None)


def _nombres(lectura: Lectura) -> dict[str, str]:
    """Folded sheet names -> the workbook's spelling."""
    nombres = {fold(lectura.plan.hoja): lectura.plan.hoja}
    if lectura.avance is not None:
        nombres[fold(lectura.avance.avance.hoja)] = lectura.avance.avance.hoja
    return nombres


def _vacio(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class Cambio(NamedTuple):
    """One captured figure that changed (a NamedTuple: a consolidation makes tens of
    thousands)."""

    clave: Clave
    hoja: str  # as the workbook spells it
    celda: str
    antes: Any
    despues: Any


def cambios(
    antes: Mapping[Clave, tuple[Any, str]], despues: Capturadas, nombres: Mapping[str, str]
) -> list[Cambio]:
    """Cells whose value differs (3, 3.0 and "3" are equal), in the order of ``despues``
    then of ``antes``; ``nombres`` maps folded sheet names to the workbook's spelling."""
    out = []
    for clave in [*despues, *(k for k in antes if k not in despues)]:
        a, celda_a = antes.get(clave, (None, ""))
        d, celda_d = despues.get(clave, (None, ""))
        if a == d or (_vacio(a) and _vacio(d)):  # 3 == 3.0: most cells, without iguales
            continue
        if not iguales(a, d):
            out.append(Cambio(clave, nombres.get(clave[0], clave[0]), celda_d or celda_a, a, d))
    return out


# -- the sheet -------------------------------------------------------------------------------
def canon(valor: Any) -> str:
    """One cell as text, the same however it is read back (3 and 3.0 are "3")."""
    if isinstance(valor, str):  # the common cases, without the general path's cost
        return sin_controles(valor).strip()
    if valor is None:
        return ""
    tipo = type(valor)
    if tipo is int and -(2**53) < valor < 2**53:  # exact as a float, as it is read back
        return str(valor)
    if tipo is float and valor - valor == 0:  # finite
        return str(int(valor)) if valor.is_integer() else str(valor)
    return Valor(valor_plano(valor)).texto


# Joins a row's values for its HUELLA: a control character, which ``canon`` drops from every
# value, so the joined text is unambiguous without the cost of quoting (json) each row.
_SEPARADOR = "\x1f"


def huella(valores: Sequence[Any], anterior: str) -> str:
    texto = _SEPARADOR.join([anterior, *(canon(v) for v in valores)])
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()[:32]


def _filas_canon(filas: Sequence[Sequence[Any]]) -> list[list[str]]:
    out = []
    for fila in filas:
        linea = [canon(v) for v in fila]
        while linea and not linea[-1]:
            linea.pop()
        out.append(linea)
    while out and not out[-1]:
        out.pop()
    return out


def huella_estado(filas: Sequence[Sequence[Any]], ultima: str) -> str:
    texto = json.dumps([ultima, _filas_canon(filas)], ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Registro:
    """One row of the Historial as read."""

    fila: int
    fecha: str
    quien: str
    origen: str
    copia: str
    hoja: str
    celda: str
    meta: str
    campo: str
    antes: Any
    despues: Any
    huella: str

    def valores(self) -> list[Any]:
        return [
            self.fecha,
            self.quien,
            self.origen,
            self.copia,
            self.hoja,
            self.celda,
            self.meta,
            self.campo,
            self.antes,
            self.despues,
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "fila": self.fila,
            "fecha": self.fecha,
            "quien": self.quien,
            "origen": self.origen,
            "copia": self.copia,
            "hoja": self.hoja,
            "celda": self.celda,
            "meta": self.meta,
            "campo": self.campo,
            "antes": _json(self.antes),
            "despues": _json(self.despues),
            "huella": self.huella,
        }


def _json(v: Any) -> Any:
    v = valor_plano(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v if v is None or isinstance(v, int | float | str) else str(v)


@dataclass
class Historial:
    """The Historial sheet as read: its rows, where the next goes, the state recorded."""

    hoja: str
    registros: list[Registro]  # all of them, or only the last (``historial_de``)
    vacias: list[int]  # blank rows between entries (a row cleared by hand)
    siguiente: int  # the row for the next entry
    estado_filas: list[list[Any]]  # the state table as read (header first)
    huella_estado: str

    @property
    def ultima(self) -> str:
        return self.registros[-1].huella if self.registros else ""

    @functools.cached_property
    def estado(self) -> Capturadas:
        """The state recorded, as captured figures."""
        return _estado(self.estado_filas[1:])

    @functools.cached_property
    def textos_estado(self) -> dict[tuple[str, str], str]:
        """The state's rows as written, by folded sheet name and meta: a meta whose text
        is the one we would write now has no figure changed (nothing to parse)."""
        return {
            (fold(canon(hoja)), canon(meta)): canon(valores)
            for hoja, meta, valores in self.estado_filas[1:]
            if not _vacio(hoja) and not _vacio(meta)
        }


def leer_historial(libro: Libro, completo: bool = True) -> Historial | None:
    nombre = libro.resolver(HOJA_HISTORIAL)
    return None if nombre is None else historial_de(libro.leer(nombre), completo)


def historial_de(grid: Grid, completo: bool = True) -> Historial:
    """The sheet as read; without ``completo`` only its last row (what a command needs to
    add rows below it: a log of many thousand rows is not parsed on every command)."""
    registros: list[Registro] = []
    vacias: list[int] = []
    filas = range(FILA_ENCABEZADO + 1, grid.height + 1)
    for fila in filas if completo else reversed(filas):
        valores = _celdas(grid, fila, 1, _ANCHO_LOG)
        if all(_vacio(v) for v in valores):
            vacias.append(fila)
            continue
        t = [canon(v) for v in valores]
        antes, despues = valor_plano(valores[8]), valor_plano(valores[9])
        registros.append(
            Registro(fila, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], antes, despues, t[10])
        )
        if not completo:
            break
    fin = registros[-1].fila if registros else FILA_ENCABEZADO
    estado_filas: list[list[Any]] = [
        _celdas(grid, fila, COLUMNA_ESTADO, 3) for fila in range(1, grid.height + 1)
    ]
    while estado_filas and all(_vacio(v) for v in estado_filas[-1]):
        estado_filas.pop()
    return Historial(
        hoja=grid.hoja,
        registros=registros,
        vacias=[f for f in vacias if f < fin],
        siguiente=fin + 1,
        estado_filas=estado_filas[FILA_ENCABEZADO - 1 :],
        huella_estado=canon(grid.value(2, COLUMNA_ESTADO + 1)),
    )


def _celdas(grid: Grid, fila: int, primera: int, ancho: int) -> list[Any]:
    """``grid.value`` of ``ancho`` cells of a row from column ``primera``, by one slice."""
    celdas = [
        None if v == "" else v for v in grid.rows[fila - 1][primera - 1 : primera - 1 + ancho]
    ]
    celdas += [None] * (ancho - len(celdas))
    return celdas


def _estado(filas: Sequence[Sequence[Any]]) -> Capturadas:
    """The state rows (HOJA, META, VALORES as a JSON object) as captured figures."""
    out: Capturadas = {}
    for hoja, meta, valores in filas:
        if _vacio(hoja) or _vacio(meta) or _vacio(valores):
            continue
        try:
            datos = json.loads(str(valores))
        except ValueError:
            continue  # edited by hand: validar reports it (the state's HUELLA)
        if isinstance(datos, dict):
            for campo, valor in datos.items():
                out[(fold(canon(hoja)), canon(meta), str(campo))] = (valor, "")
    return out


# One encoder for every row of the state (``json.dumps`` with options builds one per call).
_A_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _por_meta(capturadas: Capturadas) -> dict[tuple[str, str], dict[str, Any]]:
    """The non-blank figures of each sheet and meta, as the state keeps them."""
    return {clave: _datos(campos) for clave, campos in _agrupadas(capturadas).items()}


def _agrupadas(capturadas: Capturadas) -> dict[tuple[str, str], dict[str, Any]]:
    """Every figure of each sheet and meta (blank or not, as captured), in their order."""
    filas: dict[tuple[str, str], dict[str, Any]] = {}
    previa_hoja = previa_meta = ""
    datos: dict[str, Any] = {}
    for (hoja, meta, campo), (valor, _) in capturadas.items():
        if meta != previa_meta or hoja != previa_hoja:  # a meta's figures come together
            previa_hoja, previa_meta = hoja, meta
            datos = filas.setdefault((hoja, meta), {})
        datos[campo] = valor
    return filas


def _datos(campos: Mapping[str, Any]) -> dict[str, Any]:
    """A meta's non-blank figures as the state keeps them (whole numbers as int)."""
    datos: dict[str, Any] = {}
    for campo, valor in campos.items():
        tipo = type(valor)
        if tipo is float and valor.is_integer():  # the common cells first
            datos[campo] = int(valor)
        elif tipo is int and -(2**53) < valor < 2**53:
            datos[campo] = valor
        elif valor is not None and not _vacio(valor):
            datos[campo] = _escribible(valor)
    return datos


def _textos(por_meta: Mapping[tuple[str, str], Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    return {clave: _A_JSON(datos) for clave, datos in por_meta.items()}


def _tabla(textos: Mapping[tuple[str, str], str], nombres: Mapping[str, str]) -> list[list[Any]]:
    tabla: list[list[Any]] = [["HOJA", "META", "VALORES"]]
    tabla += ([nombres.get(h, h), meta, texto] for (h, meta), texto in textos.items())
    return tabla


def tabla_estado(capturadas: Capturadas, nombres: Mapping[str, str]) -> list[list[Any]]:
    """The state to keep: a header, then one row per sheet and meta, its non-blank
    figures as one JSON object (three cells a row: a 5,000-meta plan stays one block)."""
    return _tabla(_textos(_por_meta(capturadas)), nombres)


def _ediciones(
    hist: Historial,
    actual: Capturadas,
    textos: Mapping[tuple[str, str], str],
    nombres: Mapping[str, str],
) -> list[Cambio]:
    """What changed between the state recorded and the workbook (``actual``, its state
    rows ``textos``): only the metas whose row differs are compared figure by figure."""
    previos = hist.textos_estado
    distintas = {k for k, t in textos.items() if previos.get(k) != t}
    distintas.update(k for k in previos if k not in textos)
    if not distintas:
        return []
    return cambios(
        {k: v for k, v in hist.estado.items() if (k[0], k[1]) in distintas},
        {k: v for k, v in actual.items() if (k[0], k[1]) in distintas},
        nombres,
    )


def bloque_estado(
    estado: Sequence[Sequence[Any]], ultima: str, alto_previo: int = 0
) -> list[list[Any]]:
    """The state's block from row 1 of column M: title, HUELLA, the table; blank rows down
    to the previous table's end."""
    filas: list[list[Any]] = [
        ["ESTADO REGISTRADO (no lo modifique)", None, None],
        ["HUELLA", huella_estado(estado, ultima), None],
        [None, None, None],
        *(list(f) for f in estado),
    ]
    filas += [[None, None, None] for _ in range(len(estado), alto_previo)]
    return filas


def _escribible(v: Any) -> Any:
    if v is None:
        return None
    if type(v) is float and v.is_integer():  # the common cell, without the general path
        return int(v)
    v = valor_plano(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# -- what a command writes -------------------------------------------------------------------
@dataclass(frozen=True)
class Quien:
    """Who made the changes of one origin: the copy's sender, or the user."""

    quien: str
    copia: str = ""


@dataclass
class Anotacion:
    """What ``registrar`` wrote."""

    nuevas: list[list[Any]] = field(default_factory=list)  # the rows added (without HUELLA)
    inicial: bool = False  # the Historial was created now


def _filas(
    lista: Sequence[Cambio],
    fecha: str,
    origen: str,
    quien: Quien,
    atribucion: Mapping[Clave, Quien] | None = None,
) -> list[list[Any]]:
    out = []
    quienes = atribucion or {}
    escribible = _escribible
    for clave, hoja, celda, antes, despues in lista:
        q = quienes.get(clave, quien)
        out.append(
            [fecha, q.quien, origen, q.copia, hoja, celda, clave[1], clave[2]]
            + [escribible(antes), escribible(despues)]
        )
    return out


def _encadenar(filas: Sequence[Sequence[Any]], anterior: str) -> list[list[Any]]:
    """The rows with their HUELLA, each chained to the previous one (``huella``, in one
    pass: the texts a block repeats on every row — date, who, origin — made canonical
    once)."""
    out = []
    # Texts, whole numbers and decimals each made canonical once: 3 and 3.0 are "3" alike,
    # and a text never equals a number (True, which equals 1, is not kept here).
    textos: dict[Any, str] = {}
    sha256 = hashlib.sha256
    separador = _SEPARADOR
    for fila in filas:
        partes = [anterior]
        for v in fila:
            tipo = type(v)
            if tipo is str or tipo is int or tipo is float:
                t = textos.get(v)
                if t is None:
                    t = textos[v] = canon(v)
            elif v is None:
                t = ""
            else:
                t = canon(v)
            partes.append(t)
        anterior = sha256(separador.join(partes).encode("utf-8")).hexdigest()[:32]
        out.append([*fila, anterior])
    return out


def hoja_historial(filas: Sequence[Sequence[Any]]) -> HojaGenerada:
    """The sheet the first time, with the log (already chained); the state goes beside it
    as a block (``bloque_estado``)."""
    # No widths or styles: a hidden sheet, and xlwings' VBA client has no action for them
    # (a press stays within what RunRemotePython can replay).
    return HojaGenerada(
        nombre=HOJA_HISTORIAL,
        filas=[["HISTORIAL DE CAMBIOS"], [AVISO], [], list(ENCABEZADOS), *map(list, filas)],
        oculta=True,
        protegida=True,
    )


def origen(comando: str) -> str:
    boton = _autoria().boton
    return f"botón «{boton}»" if boton else f"comando {comando}"


def registrar(
    libro: Libro,
    lectura: Lectura,
    comando: str,
    *,
    releer: bool = False,
    atribucion: Mapping[Clave, Quien] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
) -> Anotacion:
    """Record in the Historial what was edited by hand since the last record and what the
    command ``comando`` changed (after its writes were applied: ``releer`` re-reads Plan
    and Avance through the port; without it the command changed no captured figure).
    A workbook without Avance and without Historial gets none. Writes: the new rows (one
    block below the last) and the state (one block), or the sheet the first time."""
    despues: Capturadas | None = None
    nombres: dict[str, str] = {}
    if releer and _autoria().activo:
        plan, avance = _releer(libro, lectura)
        despues = capturar(plan, avance)
        if avance is not None:
            nombres[fold(avance.hoja)] = avance.hoja
    anotacion, escrituras = anotar(
        libro,
        lectura,
        comando,
        despues=despues,
        nombres=nombres,
        atribucion=atribucion,
        ahora=ahora,
    )
    if escrituras:
        libro.aplicar(escrituras)
    return anotacion


def anotar(
    libro: Libro,
    lectura: Lectura,
    comando: str,
    *,
    escritos: Mapping[Clave, tuple[Any, str]] | None = None,
    despues: Capturadas | None = None,
    nombres: Mapping[str, str] | None = None,
    atribucion: Mapping[Clave, Quien] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
) -> tuple[Anotacion, list[Escritura]]:
    """What ``registrar`` writes, without writing it, so a command can apply it together
    with its own writes. The command's changes are either ``escritos`` — the captured
    figures it writes, (value, cell) by key, as a merge knows them: nothing is re-read and
    only those cells are compared — or ``despues``, the figures re-read after its writes
    (``nombres`` then adds the spelling of sheets read there); neither: it changed none."""
    ctx = _autoria()
    anotacion = Anotacion()
    if not ctx.activo:
        return anotacion, []
    antes = capturar_lectura(lectura)
    nombres_hojas = {**_nombres(lectura), **(nombres or {})}
    sin_cambios_del_comando = escritos is None and despues is None
    grupos = _agrupadas(antes)
    textos = {clave: _A_JSON(_datos(campos)) for clave, campos in grupos.items()}  # state rows
    if escritos is not None:
        nuevos = {k: (valor_plano(v), celda) for k, (v, celda) in escritos.items()}
        cambiados = _cambios_escritos(antes, nuevos, nombres_hojas)
        textos_despues = {**textos, **_textos(_con_escritos(grupos, nuevos))}
    elif despues is not None:
        cambiados = cambios(antes, despues, nombres_hojas)
        textos_despues = _textos(_por_meta(despues))
    else:
        cambiados, textos_despues = [], textos
    hist = leer_historial(libro, completo=False)
    if hist is None and lectura.avance is None and sin_cambios_del_comando:
        return anotacion, []
    reloj = ahora or ctx.ahora or (lambda: dt.datetime.now().astimezone())
    fecha = fecha_texto(reloj())
    usuario = Quien(ctx.usuario or usuario_del_sistema())
    del_comando = _filas(cambiados, fecha, origen(comando), usuario, atribucion)
    estado = _tabla(textos_despues, nombres_hojas)
    escrituras: list[Escritura] = []
    if hist is None:
        inicial: list[Any] = [fecha, usuario.quien, ESTADO_INICIAL, "", "", "", "", "", None]
        inicial.append(f"{sum(1 for v, _ in antes.values() if not _vacio(v))} celdas con datos")
        anotacion.nuevas = [inicial, *del_comando]
        anotacion.inicial = True
        filas = _encadenar(anotacion.nuevas, "")
        escrituras.append(PonerHoja(hoja_historial(filas)))
        nombre, ultima, alto_previo = HOJA_HISTORIAL, filas[-1][-1], 0
    else:
        autor = libro.ultimo_autor()
        a_mano = Quien(f"{autor} (último en guardar el libro)" if autor else DESCONOCIDO)
        anotacion.nuevas = _filas(
            _ediciones(hist, antes, textos, nombres_hojas), fecha, EDICION_MANUAL, a_mano
        )
        anotacion.nuevas += del_comando
        if not anotacion.nuevas and _filas_canon(estado) == _filas_canon(hist.estado_filas):
            return anotacion, []
        filas = _encadenar(anotacion.nuevas, hist.ultima)
        if filas:
            escrituras.append(Bloque(hist.hoja, hist.siguiente, 1, filas, protegida=True))
        nombre, ultima = hist.hoja, filas[-1][-1] if filas else hist.ultima
        alto_previo = len(hist.estado_filas)
    bloque = bloque_estado(estado, ultima, alto_previo)
    escrituras.append(Bloque(nombre, 1, COLUMNA_ESTADO, bloque, protegida=True))
    return anotacion, escrituras


def _con_escritos(
    grupos: Mapping[tuple[str, str], Mapping[str, Any]], escritos: Capturadas
) -> dict[tuple[str, str], dict[str, Any]]:
    """The figures of the metas written, after the writes: each meta's in the order of the
    workbook's (``grupos``, from ``_agrupadas``), then any it did not have (the state a
    re-read would give: a rerun then finds the same text)."""
    despues: dict[tuple[str, str], dict[str, Any]] = {}
    for (hoja, meta, campo), (valor, _) in escritos.items():
        campos = despues.get((hoja, meta))
        if campos is None:
            campos = despues[(hoja, meta)] = dict(grupos.get((hoja, meta), {}))
        campos[campo] = valor
    return {clave: _datos(campos) for clave, campos in despues.items()}


def _cambios_escritos(
    antes: Capturadas, escritos: Capturadas, nombres: Mapping[str, str]
) -> list[Cambio]:
    """What ``cambios`` gives after a re-read, from the cells written only (in the order of
    the workbook's figures, then any it did not have): a value written over a blank cell
    is a change without comparing, as most of a consolidation's are."""
    out = []
    orden = [k for k in antes if k in escritos]
    if len(orden) < len(escritos):
        orden += [k for k in escritos if k not in antes]
    sin_valor = (None, "")
    for clave in orden:
        a, celda_a = antes.get(clave, sin_valor)
        d, celda_d = escritos[clave]
        vacio_a = a is None or _vacio(a)
        vacio_d = d is None or _vacio(d)
        if vacio_a and vacio_d:
            continue
        if vacio_a != vacio_d or not iguales(a, d):
            hoja = clave[0]
            out.append(Cambio(clave, nombres.get(hoja, hoja), celda_d or celda_a, a, d))
    return out


def _releer(libro: Libro, lectura: Lectura) -> tuple[Plan, Avance | None]:
    plan, _ = read_plan(libro.leer(lectura.plan.hoja))
    nombre = libro.resolver(HOJA_AVANCE)
    if nombre is None:
        return plan, None
    try:
        return plan, read_avance(libro.leer(nombre))[0]
    except LecturaError:
        return plan, None


# -- checking and reading ---------------------------------------------------------------------
def verificar(libro: Libro, lectura: Lectura) -> list[Hallazgo]:
    """Findings on the Historial: the first row whose HUELLA does not follow, a state that
    does not match the last row, and (info) hand edits not yet recorded."""
    hist = leer_historial(libro)
    if hist is None:
        return []
    out: list[Hallazgo] = []
    anterior = ""
    malas = {f: "está vacía (se borró su contenido)" for f in hist.vacias}
    for r in hist.registros:
        if r.huella != huella(r.valores(), anterior):
            malas.setdefault(r.fila, "no corresponde a su huella")
        anterior = r.huella
    if malas:
        fila = min(malas)
        meta = next((r.meta for r in hist.registros if r.fila == fila), "")
        out.append(
            Hallazgo(
                "historial-alterado",
                Severidad.ERROR,
                hist.hoja,
                cell_address(fila, _ANCHO_LOG),
                meta,
                f"El historial fue alterado: la fila {fila} {malas[fila]}; se borró, editó o "
                "insertó una fila en ese punto. Las filas anteriores están íntegras. Recupere "
                "el historial de un respaldo (.bak) o avise al responsable del libro.",
            )
        )
    elif hist.huella_estado != huella_estado(hist.estado_filas, hist.ultima):
        out.append(
            Hallazgo(
                "historial-alterado",
                Severidad.ERROR,
                hist.hoja,
                cell_address(2, COLUMNA_ESTADO + 1),
                "",
                f"El historial fue alterado: se borraron sus últimas filas (la última es la "
                f"{hist.siguiente - 1}) o se modificó el estado registrado. Recupere el "
                "historial de un respaldo (.bak) o avise al responsable del libro.",
            )
        )
    actual = capturar_lectura(lectura)
    pendientes = _ediciones(hist, actual, _textos(_por_meta(actual)), _nombres(lectura))
    if pendientes:
        ejemplo = pendientes[0]
        out.append(
            Hallazgo(
                "historial-pendiente",
                Severidad.INFO,
                hist.hoja,
                "",
                "",
                f"{len(pendientes)} cifra(s) cambiaron a mano desde el último registro (por "
                f"ejemplo la celda {ejemplo.celda} de {ejemplo.hoja}, meta {ejemplo.clave[1]}): "
                "se anotarán en el Historial como «edición manual» con el próximo comando "
                "que escriba en el libro.",
            )
        )
    return out


def consultar(
    libro: Libro, meta: str | None = None, desde: dt.date | None = None
) -> list[Registro]:
    """The rows of the Historial, optionally of one meta and from a date on (FECHA's own
    date, local time where it was recorded)."""
    hist = leer_historial(libro)
    if hist is None:
        return []
    out = hist.registros
    if meta is not None:
        clave = Valor(meta).clave
        out = [r for r in out if r.meta == clave]
    if desde is not None:
        out = [r for r in out if r.fecha[:10] >= desde.isoformat()]
    return out
