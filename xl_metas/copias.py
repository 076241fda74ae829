"""E-mailed copies: one workbook per programa goes out, the returned copies come back into
the master's Avance without overwriting anything silently.

Export starts from a byte copy of the master (VBA, buttons, instructions and configuration
come along untouched) and removes what is not the programa's. Each copy carries a stamp
in its custom document properties (``docProps/custom.xml``): Excel and LibreOffice keep
them on every save, also when the copy is saved as .xlsx, and users do not see or edit
them by accident as they could a hidden sheet. The master keeps its own identifier in a
small hidden sheet, because the master is read through the ``Libro`` port (a file or a
live Excel book) and that port sees sheets only.

The file side (copying, the stamp, reading a returned copy) is ``copias_archivo``; this
module decides. Consolidation gets each returned copy already read and merges realizado
and justificación into the master's Avance: an empty master cell takes the copy's value,
equal values change nothing, two different values are a conflict (master kept unless
``preferir_copia``). Plan changes are proposals only. Every outcome is logged in the
``Consolidación`` sheet, a log that only grows with new entries, so consolidating the same
copy twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from . import __version__, hojas_area
from .avance import HOJA_AVANCE, Avance, read_avance
from .errors import LecturaError, XlMetasError
from .escrituras import Bloque, Escritura, PonerHoja
from .grid import Grid
from .lectura import Lectura, leer, leer_config
from .libro import Libro
from .model import MESES, Meta, Plan, Valor, as_number
from .plan_sheet import HOJA_PLAN, read_plan
from .rangos import rectangulos
from .render import Estilo, HojaGenerada, Impresion, hoja_espejo
from .reportes import HOJA_VALIDACION
from .resumen_hoja import HOJA_RESUMEN
from .text import cell_address, fold

HOJA_CONSOLIDACION = "Consolidación"
HOJA_IDENTIDAD = "Identidad del libro"
SUBCARPETA_ENVIO = "enviadas"
EXTENSIONES_COPIA = (".xlsx", ".xlsm")

# Custom document properties of a copy (names are ASCII: every application keeps them).
PROP_LIBRO = "xlmetas_libro"
PROP_ANIO = "xlmetas_anio"
PROP_PROGRAMA = "xlmetas_programa"
PROP_HUELLA_PLAN = "xlmetas_huella_plan"
PROP_HUELLA_CONTENIDO = "xlmetas_huella_contenido"
PROP_EXPORTADA = "xlmetas_exportada"
PROP_VERSION = "xlmetas_version"

AVISO_IDENTIDAD = (
    "No modifique esta hoja: xl-metas reconoce con este identificador las copias por área "
    "exportadas desde este libro."
)
ETIQUETA_ID = "IDENTIFICADOR"
JUSTIFICACION = "JUSTIFICACIÓN"
_CAMPOS = (*MESES, "justificacion")


def _etiqueta(campo: str) -> str:
    return JUSTIFICACION if campo == "justificacion" else campo


# -- the stamp ---
@dataclass(frozen=True)
class Sello:
    """Where a copy comes from: master id, year, programa, plan and content fingerprints."""

    libro: str
    anio: int | None
    programa: str
    huella_plan: str
    huella_contenido: str
    exportada: str  # ISO time of the export
    version: str = __version__

    def propiedades(self) -> dict[str, str]:
        return {
            PROP_LIBRO: self.libro,
            PROP_ANIO: "" if self.anio is None else str(self.anio),
            PROP_PROGRAMA: self.programa,
            PROP_HUELLA_PLAN: self.huella_plan,
            PROP_HUELLA_CONTENIDO: self.huella_contenido,
            PROP_EXPORTADA: self.exportada,
            PROP_VERSION: self.version,
        }

    @classmethod
    def desde(cls, props: dict[str, str]) -> Sello | None:
        if not props.get(PROP_LIBRO) or PROP_PROGRAMA not in props:
            return None
        anio = props.get(PROP_ANIO, "").strip()
        return cls(
            libro=props[PROP_LIBRO],
            anio=int(anio) if anio.isdigit() else None,
            programa=props[PROP_PROGRAMA],
            huella_plan=props.get(PROP_HUELLA_PLAN, ""),
            huella_contenido=props.get(PROP_HUELLA_CONTENIDO, ""),
            exportada=props.get(PROP_EXPORTADA, ""),
            version=props.get(PROP_VERSION, ""),
        )


def _hash(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=4096)
def _fold(texto: str) -> str:
    """``fold`` remembered: the same few programa names are folded thousands of times."""
    return fold(texto)


def _meta_plana(meta: Meta) -> list[str]:
    return [
        _fold(meta.programa.texto),
        meta.objetivo.texto,
        meta.clave,
        meta.descripcion.texto,
        meta.unidad.texto,
        meta.anual.texto,
        *(m.texto for m in meta.meses),
    ]


def huella_plan(metas: Iterable[Meta]) -> str:
    """Fingerprint of a programa's metas as written (order, texts and figures)."""
    return _hash([_meta_plana(m) for m in metas])


def metas_de(plan: Plan, programa: str) -> list[Meta]:
    clave = _fold(programa)
    return [m for m in plan.metas if _fold(m.programa.texto) == clave]


# -- the master's identifier ---
def id_del_libro(libro: Libro) -> str | None:
    """The master's identifier, None when no copy was ever exported from it."""
    nombre = libro.resolver(HOJA_IDENTIDAD)
    if nombre is None:
        return None
    grid = libro.leer(nombre)
    for row in range(1, grid.height + 1):
        if fold(grid.value(row, 1) or "") == fold(ETIQUETA_ID):
            valor = grid.value(row, 2)
            return str(valor).strip() if valor else None
    return None


def asegurar_id(libro: Libro) -> str:
    """The master's identifier, created (in a hidden sheet) the first time.

    The Exportar copias button calls this through xlwings and saves the book before
    ``exportar_copias`` reads the file.
    """
    asegurar_registro(libro)
    actual = id_del_libro(libro)
    if actual:
        return actual
    nuevo = uuid.uuid4().hex
    libro.poner_hoja(
        HojaGenerada(
            nombre=HOJA_IDENTIDAD,
            filas=[[AVISO_IDENTIDAD], [], [ETIQUETA_ID, nuevo]],
            oculta=True,
        )
    )
    return nuevo


def asegurar_registro(libro: Libro) -> None:
    """The (empty) Consolidación log, created once when copies are first exported, so that
    consolidating only appends rows to it: plain cell writes (the file adapter saves those
    without rewriting the workbook, and Excel gets one block)."""
    if libro.resolver(HOJA_CONSOLIDACION) is None:
        avance = libro.resolver(HOJA_AVANCE)
        libro.poner_hoja(hoja_consolidacion([]), despues_de=avance)


def anio_del_libro(libro: Libro, plan: Plan) -> int | None:
    config, _ = leer_config(libro)
    return config.anio or plan.anio


def carpeta_copias(libro: Libro, ruta_libro: Path) -> Path:
    """The folder of returned copies from Configuración, relative to the master's folder."""
    config, _ = leer_config(libro)
    carpeta = Path(config.carpeta_copias)
    return carpeta if carpeta.is_absolute() else Path(ruta_libro).parent / carpeta


def carpeta_envio(libro: Libro, ruta_libro: Path) -> Path:
    """Where exported copies go: a subfolder of the returned copies' folder, so that a
    copy coming back with the same name never replaces the one sent, or vice versa."""
    return carpeta_copias(libro, ruta_libro) / SUBCARPETA_ENVIO


def copias_en_carpeta(carpeta: Path) -> list[Path]:
    """Workbooks in a folder (not its subfolders), without Excel's lock files or backups."""
    carpeta = Path(carpeta)
    if not carpeta.is_dir():
        raise LecturaError(f"No existe la carpeta de copias «{carpeta}».")
    return sorted(
        p
        for p in carpeta.iterdir()
        if p.is_file()
        and p.suffix.lower() in EXTENSIONES_COPIA
        and not p.name.startswith(("~$", ".~"))
    )


# -- export ---
_PROHIBIDOS_ARCHIVO = re.compile(r'[\\/:*?"<>|]')


def nombre_copia(libro: str, programa: str) -> str:
    """ "Metas2011 - Vinculación.xlsm" for programa "VINCULACIÓN" of Metas2011.xlsm."""
    texto = " ".join(programa.split()) or "Sin programa"
    if texto.isupper():
        texto = texto.capitalize()
    texto = _PROHIBIDOS_ARCHIVO.sub("-", texto).strip(" .")
    return f"{Path(libro).stem} - {texto}{Path(libro).suffix.lower()}"


@dataclass(frozen=True)
class Exportacion:
    """One exported copy: its file, what happened to it, and anything to know."""

    programa: str
    archivo: Path
    estado: str  # "creada", "actualizada" (the previous one kept as .bak), "sin cambios"
    metas: int
    respaldo: Path | None = None
    avisos: tuple[str, ...] = ()


@dataclass(frozen=True)
class CopiaPlaneada:
    """What one programa's copy holds: its stamp and the master rows it leaves out."""

    programa: str
    metas: int
    sello: Sello
    fuera_plan: list[int]
    hoja_avance: str | None
    fuera_avance: list[int]


@dataclass(frozen=True)
class Envio:
    """Every copy of one export, decided from the master as read through the port."""

    copias: list[CopiaPlaneada]
    registro: list[hojas_area.Registro]


def planear_envio(maestro: Libro, libro_id: str, exportada: str) -> Envio:
    """One ``CopiaPlaneada`` per programa of the master's Plan (pure over what is read)."""
    plan, _ = read_plan(maestro.leer(HOJA_PLAN))
    if not plan.metas:
        raise LecturaError(f"«{maestro.nombre}»: la hoja Plan no tiene metas que exportar.")
    anio = anio_del_libro(maestro, plan)
    avance = _avance_o_none(maestro)
    config_rows = _filas(maestro, "Configuración")
    copias = []
    for programa in plan.programas():
        metas = metas_de(plan, programa)
        filas_avance = [
            f for f in (avance.filas if avance else ()) if _programa_fila(f, plan) == fold(programa)
        ]
        sello = Sello(
            libro=libro_id,
            anio=anio,
            programa=programa,
            huella_plan=huella_plan(metas),
            huella_contenido=_hash(
                [
                    [_meta_plana(m) for m in metas],
                    [
                        [v.texto for v in (f.numero, *f.meses, f.justificacion)]
                        for f in filas_avance
                    ],
                    config_rows,
                    __version__,
                ]
            ),
            exportada=exportada,
        )
        mias = {f.fila for f in filas_avance}
        copias.append(
            CopiaPlaneada(
                programa=programa,
                metas=len(metas),
                sello=sello,
                fuera_plan=[m.fila for m in plan.metas if fold(m.programa.texto) != fold(programa)],
                hoja_avance=avance.hoja if avance else None,
                fuera_avance=[f.fila for f in avance.filas if f.fila not in mias] if avance else [],
            )
        )
    return Envio(copias, hojas_area.leer_registro(maestro))


class LibroRecortable(Libro, Protocol):
    """A fresh copy of the master that can lose whole rows and carry a stamp."""

    def resolver(self, nombre: str) -> str | None: ...

    def quitar_filas(self, hoja: str, filas: Iterable[int]) -> None: ...

    def sellar(self, propiedades: dict[str, str]) -> None: ...


def recortar_copia(copia: LibroRecortable, planeada: CopiaPlaneada, envio: Envio) -> list[str]:
    """Cut a byte copy of the master down to one programa; returns warnings for the user."""
    _quitar_filas(copia, HOJA_PLAN, planeada.fuera_plan)
    if planeada.hoja_avance is not None:
        _quitar_filas(copia, planeada.hoja_avance, planeada.fuera_avance)
    for hoja in (HOJA_VALIDACION, HOJA_RESUMEN, HOJA_CONSOLIDACION):
        copia.quitar_hoja(hoja)
    avisos = _hojas_area_de(copia, envio.registro, planeada.programa)
    copia.sellar(planeada.sello.propiedades())
    return avisos


def _quitar_filas(copia: LibroRecortable, hoja: str, filas: list[int]) -> None:
    """Remove rows from a sheet and from its hidden colour mirror, which is cell-aligned."""
    copia.quitar_filas(hoja, filas)
    espejo = copia.resolver(hoja_espejo(hoja))
    if espejo is not None:
        copia.quitar_filas(espejo, filas)


def _avance_o_none(libro: Libro) -> Avance | None:
    nombre = libro.resolver(HOJA_AVANCE)
    return read_avance(libro.leer(nombre))[0] if nombre else None


def _filas(libro: Libro, hoja: str) -> list[list[str]]:
    nombre = libro.resolver(hoja)
    if nombre is None:
        return []
    return [[Valor(v).texto for v in row] for row in libro.leer(nombre).rows]


def _programa_fila(fila: Any, plan: Plan) -> str:
    """An Avance row's programa: its meta's in the Plan, else its own PROGRAMA cell."""
    for meta in plan.metas:
        if meta.clave == fila.clave:
            return fold(meta.programa.texto)
    return fold(fila.programa.texto)


def _hojas_area_de(copia: Libro, registro: list[hojas_area.Registro], programa: str) -> list[str]:
    """Keep only the programa's area sheet (created when the master has none)."""
    existentes = {fold(h): h for h in copia.hojas()}
    propias = []
    for r in registro:
        if fold(r.hoja) not in existentes:
            continue
        if fold(r.programa) == fold(programa):
            propias.append(r)
        else:
            copia.quitar_hoja(existentes[fold(r.hoja)])
    if registro:
        copia.poner_hoja(hojas_area.hoja_registro(propias))
    try:
        hojas_area.generar_hojas(copia)
    except hojas_area.HojaEditadaError:
        return [
            "La hoja del programa tiene cambios hechos a mano en el libro maestro; "
            "se copió tal como está (no se regeneró)."
        ]
    return []


# -- reading a returned copy ---
@dataclass(frozen=True)
class CopiaLeida:
    ruta: Path
    sello: Sello | None
    plan: Plan
    avance: Avance


# -- consolidation: the report ---
@dataclass(frozen=True)
class Celda:
    """One cell of the master's Avance compared with the copy."""

    meta: str
    campo: str  # "ENE"…"DIC" or "justificacion"
    celda: str  # in the master
    libro: Any  # the master's value before
    copia: Any

    @property
    def etiqueta(self) -> str:
        return _etiqueta(self.campo)


@dataclass(frozen=True)
class Propuesta:
    """A Plan change found in a copy: reported, never applied."""

    meta: str
    campo: str
    celda: str  # in the copy's Plan
    libro: str
    copia: str
    mensaje: str


@dataclass(frozen=True)
class Aviso:
    meta: str
    mensaje: str


@dataclass
class ResultadoCopia:
    """What consolidating one file did (or why it was rejected)."""

    ruta: Path
    programa: str = ""
    exportada: str = ""
    rechazo: str | None = None
    actualizadas: list[Celda] = field(default_factory=list)
    conflictos: list[Celda] = field(default_factory=list)
    propuestas: list[Propuesta] = field(default_factory=list)
    fuera: list[Aviso] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)

    @property
    def archivo(self) -> str:
        return self.ruta.name

    @property
    def metas_actualizadas(self) -> list[str]:
        return _ordenadas({c.meta for c in self.actualizadas})


@dataclass
class Informe:
    copias: list[ResultadoCopia]
    simulado: bool = False
    preferir_copia: bool = False
    escritas: int = 0  # cells written into Avance

    @property
    def rechazadas(self) -> list[ResultadoCopia]:
        return [c for c in self.copias if c.rechazo]

    @property
    def actualizadas(self) -> int:
        return sum(len(c.actualizadas) for c in self.copias)

    @property
    def conflictos(self) -> int:
        return sum(len(c.conflictos) for c in self.copias)


def _ordenadas(claves: Iterable[str]) -> list[str]:
    def key(k: str) -> tuple[float, str]:
        n = as_number(k)
        return (n if n is not None else float("inf"), k)

    return sorted(claves, key=key)


# -- consolidation: the merge ---
def _vacio(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def iguales(a: Any, b: Any) -> bool:
    """Same value as a user means it: 3, 3.0 and "3" are equal; texts compare trimmed."""
    if _vacio(a) or _vacio(b):
        return _vacio(a) and _vacio(b)
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return abs(na - nb) < 1e-9
    return Valor(a).texto == Valor(b).texto


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


def consolidar(
    libro: Libro,
    copias: Sequence[Path],
    simular: bool = False,
    preferir_copia: bool = False,
    al_avanzar: Callable[[Path], None] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
    *,
    leer_copia: Callable[[Path], CopiaLeida],
) -> Informe:
    """Merge realizado and justificación of returned copies into the master's Avance:
    the master read once, each copy read by ``leer_copia`` (``copias_archivo.leer_copia``
    for files), the merge decided, its writes applied once.

    Every file is reported on its own; a rejected file does not stop the others. With
    ``simular`` nothing is written. Otherwise changed cells are written (one block per
    rectangle of changed cells) and the ``Consolidación`` log gets the new entries.
    The caller saves (``Libro.guardar``; the button lets Excel keep the book).
    """
    lectura = leer(libro)
    if lectura.avance is None:
        raise LecturaError(
            f"«{libro.nombre}» no tiene la hoja «{HOJA_AVANCE}»: no hay dónde consolidar."
        )
    nombre_log = lectura.hoja(HOJA_CONSOLIDACION)
    log = libro.leer(nombre_log) if nombre_log else None
    informe, escrituras = fusionar(
        lectura,
        id_del_libro(libro),
        log,
        copias,
        preferir_copia,
        leer_copia,
        al_avanzar,
        ahora,
    )
    informe.simulado = simular
    if not simular:
        libro.aplicar(escrituras)
    return informe


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
    columnas = {mes: table.columns[mes] for mes in MESES}
    nueva_justificacion = "justificacion" not in table.columns
    columnas["justificacion"] = table.columns.get("justificacion", table.last_header_column + 1)
    valores: dict[tuple[int, int], Any] = {}
    for fila in avance.filas:
        for campo in _CAMPOS:
            valores[(fila.fila, columnas[campo])] = table.grid.value(fila.fila, columnas[campo])
    maestro = _Maestro(
        plan=plan,
        programas={m.clave: fold(m.programa.texto) for m in plan.metas if m.clave},
        por_programa=_por_programa(plan),
        filas={k: f.fila for k, f in avance.por_meta().items()},
        columnas=columnas,
        valores=valores,
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
                f"«{Path(ruta).name}» no se pudo leer ({type(exc).__name__}: {exc})."
            )
        if preferir_copia:
            resultado.actualizadas.extend(resultado.conflictos)
        for celda in resultado.actualizadas:
            maestro.escribir[_rc(maestro, celda)] = _para_escribir(celda.copia)
            maestro.valores[_rc(maestro, celda)] = celda.copia
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
    _proponer_plan(maestro, copia, sello, resultado)
    for fila in copia.avance.filas:
        datos = [
            (campo, v)
            for campo, v in zip(_CAMPOS, (*fila.meses, fila.justificacion), strict=True)
            if not _vacio(v.raw)
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
        for campo, valor in datos:
            column = maestro.columnas[campo]
            actual = maestro.valores.get((row, column))
            if iguales(actual, valor.raw):
                continue
            celda = Celda(meta, campo, cell_address(row, column), actual, valor.raw)
            if _vacio(actual):
                resultado.actualizadas.append(celda)
            else:
                resultado.conflictos.append(celda)


_CAMPOS_PLAN = (
    ("objetivo", "OBJETIVO"),
    ("descripcion", "DESCRIPCIÓN DE LA META"),
    ("unidad", "UNIDAD DE MEDIDA"),
    ("anual", "PROGRAMA ANUAL"),
    *((mes, mes) for mes in MESES),
)


def _campo_plan(meta: Meta, campo: str) -> Valor:
    if campo in MESES:
        return meta.meses[MESES.index(campo)]
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
        for campo, etiqueta in _CAMPOS_PLAN:
            a, b = _campo_plan(otra, campo), _campo_plan(meta, campo)
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


# -- the Consolidación log ---
ENCABEZADOS_LOG = (
    "FECHA",
    "ARCHIVO",
    "PROGRAMA",
    "META",
    "CELDAS",
    "RESULTADO",
    "EN EL LIBRO",
    "EN LA COPIA",
    "DETALLE",
)
FILA_ENCABEZADO_LOG = 4
ACTUALIZADA = "actualizada"
CONFLICTO_LIBRO = "conflicto: se conservó el libro"
CONFLICTO_COPIA = "conflicto: se tomó la copia"
PROPUESTA = "propuesta de cambio al Plan (no aplicada)"
FUERA = "no aplicada"
RECHAZADA = "copia rechazada"
AVISO = "aviso"


def entradas(informe: Informe) -> list[list[str]]:
    """The log entries of a consolidation (without the date): one per updated meta, one per
    conflict, proposal and rejection."""
    filas: list[list[str]] = []
    for r in informe.copias:
        base = [r.archivo, r.programa]
        if r.rechazo:
            filas.append([*base, "", "", RECHAZADA, "", "", r.rechazo])
            continue
        for aviso in r.avisos:
            filas.append([*base, "", "", AVISO, "", "", aviso])
        conflictos = {(c.meta, c.campo) for c in r.conflictos}
        por_meta: dict[str, list[Celda]] = {}
        for c in r.actualizadas:
            if (c.meta, c.campo) not in conflictos:
                por_meta.setdefault(c.meta, []).append(c)
        for meta in _ordenadas(por_meta):
            celdas = por_meta[meta]
            filas.append(
                [
                    *base,
                    meta,
                    ", ".join(c.celda for c in celdas),
                    ACTUALIZADA,
                    "",
                    "",
                    ", ".join(c.etiqueta for c in celdas),
                ]
            )
        resultado = CONFLICTO_COPIA if informe.preferir_copia else CONFLICTO_LIBRO
        for c in r.conflictos:
            filas.append(
                [
                    *base,
                    c.meta,
                    c.celda,
                    resultado,
                    Valor(c.libro).texto,
                    Valor(c.copia).texto,
                    c.etiqueta,
                ]
            )
        for p in r.propuestas:
            filas.append([*base, p.meta, p.celda, PROPUESTA, p.libro, p.copia, p.mensaje])
        for a in r.fuera:
            filas.append([*base, a.meta, "", FUERA, "", "", a.mensaje])
    return filas


def escrituras_registro(
    grid: Grid | None, informe: Informe, despues_de: str, ahora: Callable[[], dt.datetime] | None
) -> list[Escritura]:
    """The new entries of the Consolidación log (``grid``, None when missing); entries
    already there are not repeated, so a second identical run leaves the sheet (and the
    file) as it was.

    The entries go below the last row as one block of values when the sheet has our header
    row; the sheet is (re)built only when it is missing or its header was changed."""
    previas: list[list[Any]] = []
    nombre = grid.hoja if grid is not None else None
    anexar = False
    fin = FILA_ENCABEZADO_LOG
    if grid is not None:
        columnas = range(1, len(ENCABEZADOS_LOG) + 1)
        anexar = [fold(Valor(grid.value(FILA_ENCABEZADO_LOG, c)).texto) for c in columnas] == [
            fold(e) for e in ENCABEZADOS_LOG
        ]
        fin = max(grid.height, FILA_ENCABEZADO_LOG)
        for row in range(FILA_ENCABEZADO_LOG + 1, grid.height + 1):
            valores = [Valor(grid.value(row, c)).texto for c in columnas]
            if any(valores):
                previas.append(valores)
    vistas = {tuple(p[1:]) for p in previas}
    fecha = (ahora or dt.datetime.now)().strftime("%d/%m/%Y %H:%M")
    nuevas = []
    for entrada in entradas(informe):
        if tuple(entrada) not in vistas:
            vistas.add(tuple(entrada))
            nuevas.append([fecha, *entrada])
    if nombre is not None and not nuevas:
        return []
    if nombre is not None and anexar:
        return [Bloque(nombre, fin + 1, 1, nuevas)]
    return [PonerHoja(hoja_consolidacion(previas + nuevas), despues_de=despues_de)]


def hoja_consolidacion(filas: list[list[Any]]) -> HojaGenerada:
    # No per-cell style on the entries: with thousands of them it would cost seconds.
    return HojaGenerada(
        nombre=HOJA_CONSOLIDACION,
        filas=[
            ["CONSOLIDACIÓN DE COPIAS POR ÁREA"],
            [
                "Cada vez que se consolidan copias se agregan aquí las celdas actualizadas, los "
                "conflictos (valor distinto en el libro y en la copia), las propuestas de cambio "
                "al Plan y las copias rechazadas. Los cambios al Plan nunca se aplican solos."
            ],
            [],
            list(ENCABEZADOS_LOG),
            *filas,
        ],
        anchos={"A": 16, "B": 34, "C": 18, "D": 7, "E": 16, "F": 30, "G": 18, "H": 18, "I": 60},
        estilos=[
            ("A1", Estilo(negrita=True, tamano=13)),
            ("A2", Estilo(color_fuente="595959")),
            (
                f"A{FILA_ENCABEZADO_LOG}:I{FILA_ENCABEZADO_LOG}",
                Estilo(negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True),
            ),
        ],
        congelar=f"A{FILA_ENCABEZADO_LOG + 1}",
        impresion=Impresion(filas_repetidas=f"{FILA_ENCABEZADO_LOG}:{FILA_ENCABEZADO_LOG}"),
    )


# -- short summaries (CLI footer and the buttons' message boxes) -------------------------------
