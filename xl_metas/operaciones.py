"""The commands, as library calls over a ``Libro``: the CLI and the buttons both call these."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import historial
from .avance import CALCULADAS, HOJA_AVANCE, FilaAvance, avance_sheet, read_avance
from .cambio_plan import CambioPlan, emparejar
from .errors import LecturaError
from .escrituras import (
    Bloque,
    Escritura,
    PonerHoja,
    Resaltar,
    grid_de,
    poner_si_cambia,
    valor_plano,
)
from .grid import Table
from .lectura import Lectura, LecturaAvance, leer
from .libro import Libro
from .model import Hallazgo, Plan, Valor, numero_plano
from .plan_sheet import COLUMNAS_PLAN, HOJA_PLAN, columnas_plan, plan_rows, reglas_plan
from .render import Estilo, HojaGenerada, Impresion
from .reportes import ENCABEZADO, HOJA_VALIDACION, validation_sheet
from .resumen_hoja import HOJA_RESUMEN, resumen_sheet
from .seguimiento import Seguimiento, escrituras_avance, evaluar_seguimiento
from .text import column_letter, fold
from .totals import Totales, calendario, compute_totals
from .validation import sort_findings, validate_plan
from .validation_avance import validate_avance

# What only some commands use is imported by them: a press of validar, recalcular or
# Marcar vencidos does not pay for copies, area sheets and the quarterly report.
if TYPE_CHECKING:
    from . import copias as copias_correo
    from . import hojas_area
    from .informe import InformeTrimestral

ENCABEZADO_PLAN = replace(ENCABEZADO, ajustar=True, horizontal="center", vertical="center")
PROYECTO = Path(__file__).resolve().parent.parent
DOCUMENTO_2011 = PROYECTO / "templates" / "programa-metas-2011.txt"


# -- the stages every command is made of ------------------------------------------------------
def calcular_seguimiento(lectura: Lectura, corte: dt.date | None = None) -> Seguimiento | None:
    """Progress at the cut-off (Configuración's, or ``corte``); None without Avance."""
    if lectura.avance is None:
        return None
    return evaluar_seguimiento(lectura.plan, lectura.avance.avance, lectura.config, corte)


def hallazgos(lectura: Lectura, seg: Seguimiento | None) -> list[Hallazgo]:
    """Every finding, errors first: the plan's rules, what reading found, the progress'."""
    return sort_findings(
        [*validate_plan(lectura.plan), *lectura.hallazgos, *(validate_avance(seg) if seg else [])]
    )


# -- the commands -----------------------------------------------------------------------------
def validar(libro: Libro) -> list[Hallazgo]:
    """All findings of the workbook, errors first (a Historial tampered with included)."""
    lectura = leer(libro)
    return sort_findings(
        [*hallazgos(lectura, calcular_seguimiento(lectura)), *historial.verificar(libro, lectura)]
    )


@dataclass(frozen=True)
class Resumen:
    totales: Totales
    seguimiento: Seguimiento | None  # when the workbook has an Avance sheet


def resumen(libro: Libro, corte: dt.date | None = None) -> Resumen:
    """Totals of the plan and, with Avance, the progress at the cut-off (Configuración's,
    or ``corte``)."""
    lectura = leer(libro)
    return Resumen(compute_totals(lectura.plan), calcular_seguimiento(lectura, corte))


@dataclass(frozen=True)
class Recalculo:
    plan: Plan
    hallazgos: list[Hallazgo]
    seguimiento: Seguimiento | None = None  # when the workbook has an Avance sheet

    @cached_property
    def totales(self) -> Totales:
        """The plan's totals, computed when asked for: writing needs only each meta's sum
        and difference, and pandas costs a button press more than the rest of it."""
        return compute_totals(self.plan)


def recalcular(libro: Libro) -> Recalculo:
    """Write the computed columns of Plan and the Validación sheet; with an Avance sheet,
    also its computed columns and colours and the Resumen sheet."""
    lectura = leer(libro, para_escribir=True)
    seg = calcular_seguimiento(lectura)
    encontrados = hallazgos(lectura, seg)
    escrituras: list[Escritura] = poner_si_cambia(
        lectura.actual(HOJA_VALIDACION), validation_sheet(encontrados), despues_de=HOJA_PLAN
    )
    if seg is not None and lectura.avance is not None:
        escrituras += poner_si_cambia(
            lectura.actual(HOJA_RESUMEN), resumen_sheet(seg), despues_de=seg.avance.hoja
        )
        escrituras += escrituras_avance(seg, lectura.avance.tabla)
    escrituras += columnas_calculadas(lectura.plan, lectura.tabla_plan)
    escrituras += [Resaltar(lectura.plan.hoja, r) for r in reglas_plan(lectura.tabla_plan)]
    libro.aplicar(escrituras)
    historial.registrar(libro, lectura, "recalcular")  # hand edits since the last command
    return Recalculo(lectura.plan, encontrados, seg)


@dataclass(frozen=True)
class InformeHecho:
    informe: InformeTrimestral
    hoja: HojaGenerada
    escrita: bool  # False: the workbook already held this report


def informe_trimestral(
    libro: Libro,
    trimestre: int | None = None,
    corte: dt.date | None = None,
    preliminar: bool = False,
) -> InformeHecho:
    """Put the «Informe T<n>» sheet of quarter ``trimestre`` (see ``informe``): progress
    at the quarter's end, or at the cut-off (Configuración's, or ``corte``) for a
    ``preliminar`` report of a quarter still open. Without ``trimestre`` (the button): the
    last quarter closed by the cut-off, or the one in progress as preliminary. Refused,
    with nothing written, for a quarter outside 1–4, a workbook without Avance, a cut-off
    before the quarter starts or a quarter still open (unless ``preliminar``)."""
    from .informe import (
        Periodo,
        calcular_informe,
        evaluar_en,
        revisar_trimestre,
        ultimo_trimestre,
    )
    from .informe_hoja import informe_sheet

    if trimestre is not None:
        revisar_trimestre(trimestre)
    lectura = leer(libro)
    avance = lectura.avance_o_error()
    if avance is None:
        raise LecturaError(
            f"«{libro.nombre}» no tiene la hoja «{HOJA_AVANCE}»: el informe trimestral compara "
            "lo programado con lo realizado. Cree la hoja con «Marcar vencidos» (o "
            "«xl-metas vencidos LIBRO»), capture el avance y vuelva a pedir el informe. "
            "No se escribió nada."
        )
    fecha = corte or lectura.config.corte()
    anio = lectura.config.anio or lectura.plan.anio or fecha.year
    if trimestre is None:
        trimestre, preliminar = ultimo_trimestre(fecha, anio)
    periodo = Periodo(anio, trimestre)
    evaluado = evaluar_en(periodo, fecha, preliminar)
    seg = evaluar_seguimiento(lectura.plan, avance.avance, lectura.config, evaluado)
    informe = calcular_informe(seg, periodo, fecha)
    hoja = informe_sheet(informe)
    nombre = libro.resolver(hoja.nombre)
    despues = lectura.hoja(HOJA_RESUMEN) or avance.avance.hoja
    escrituras = poner_si_cambia(libro.leer(nombre) if nombre else None, hoja, despues)
    libro.aplicar(escrituras)
    return InformeHecho(informe, hoja, bool(escrituras))


def seguimiento(libro: Libro, corte: dt.date | None = None) -> Seguimiento | None:
    """Progress at the cut-off (Configuración's, or ``corte``); None without Avance."""
    return calcular_seguimiento(leer(libro), corte)


def vencidos(libro: Libro, corte: dt.date | None = None) -> Seguimiento:
    """Colour each month of Avance by its state at the cut-off and write the semáforo.

    Without an Avance sheet, one is created from the Plan (realizado blank).
    """
    lectura = leer(libro)
    escrituras: list[Escritura] = []
    avance = lectura.avance_o_error()
    if avance is None:
        hoja = avance_sheet(lectura.plan)
        escrituras.append(PonerHoja(hoja, despues_de=lectura.plan.hoja))
        avance = LecturaAvance(*read_avance(grid_de(hoja, libro.nombre)))
    seg = evaluar_seguimiento(lectura.plan, avance.avance, lectura.config, corte)
    escrituras += escrituras_avance(seg, avance.tabla)
    libro.aplicar(escrituras)
    historial.registrar(libro, lectura, "vencidos")  # hand edits since the last command
    return seg


def columnas_calculadas(plan: Plan, table: Table) -> list[Escritura]:
    """SUMA DEL CALENDARIO and DIFERENCIA beside each meta; headers added when missing."""
    columns = dict(table.columns)
    labels = {c.key: c.label for c in COLUMNAS_PLAN}
    next_free = table.last_header_column + 1
    escrituras: list[Escritura] = []
    for key in ("suma", "diferencia"):
        if key not in columns:
            columns[key] = next_free
            next_free += 1
            escrituras.append(Bloque(plan.hoja, table.header_row, columns[key], [[labels[key]]]))
    if not plan.metas:
        return escrituras
    first, last = plan.metas[0].fila, plan.metas[-1].fila
    by_row = {meta.fila: calendario(meta) for meta in plan.metas}
    for index, key in enumerate(("suma", "diferencia")):
        block: list[list[Any]] = []
        for row in range(first, last + 1):
            value = by_row.get(row, (None, None))[index]
            block.append([None if value is None or value != value else numero_plano(value)])
        escrituras.append(Bloque(plan.hoja, first, columns[key], block))
    return escrituras


ANCHOS_PLAN = (
    {"A": 16.0, "B": 48.0, "C": 7.0, "D": 48.0, "E": 16.0, "F": 11.0}
    | {chr(ord("G") + i): 6.0 for i in range(12)}
    | {"S": 12.0, "T": 11.0}
)
ALTO_LINEA = 15.0  # points per line of Calibri 11


def _alto(fila: list[Any]) -> float:
    """The height a row needs for its wrapped texts (about 1.15 characters per width unit):
    LibreOffice does not grow rows on opening, and Excel only when it edits them."""
    lineas = 1
    for i, valor in enumerate(fila):
        if isinstance(valor, str) and valor:
            ancho = ANCHOS_PLAN.get(column_letter(i + 1), 8.43)
            por_linea = max(1, int(ancho * 1.15))
            palabras = sum(-(-len(parte) // por_linea) for parte in valor.split("\n"))
            lineas = max(lineas, palabras)
    return ALTO_LINEA * lineas


def plan_sheet(plan: Plan) -> HojaGenerada:
    """The Plan sheet as we first write it (importar, construir)."""
    rows = plan_rows(plan)
    width = len(rows[3])
    last = len(rows)
    return HojaGenerada(
        nombre=HOJA_PLAN,
        filas=rows,
        anchos=dict(ANCHOS_PLAN),
        # the header in three lines of its bold, centred labels; each meta as tall as its texts
        altos={4: 3 * ALTO_LINEA}
        | {r: _alto(rows[r - 1]) for r in range(5, last + 1) if _alto(rows[r - 1]) > ALTO_LINEA},
        estilos=[
            ("A1:A2", Estilo(negrita=True, tamano=13)),
            (f"A4:{column_letter(width)}4", ENCABEZADO_PLAN),
            (f"A5:{column_letter(width)}{last}", Estilo(ajustar=True, vertical="top", borde=True)),
        ],
        congelar="C5",
        impresion=Impresion(filas_repetidas="4:4"),
    )


def actualizar_plan(libro: Libro, plan: Plan) -> CambioPlan:
    """Put ``plan`` in a workbook already in use: the Plan's rows rewritten in its own
    columns (a column we do not know moves with its meta), and Avance following them
    (``cambio_plan``): every realizado and justificación captured stays with its meta, and
    the rows of removed metas that hold something stay after the plan's rows.
    Then everything ``recalcular`` writes. Same plan twice: nothing changes the second time.
    """
    lectura = leer(libro, para_escribir=True)
    anio = lectura.config.anio or lectura.plan.anio
    if plan.anio and anio and plan.anio != anio:
        raise LecturaError(
            f"El plan que se importa es de {plan.anio} y «{libro.nombre}» es de {anio}: "
            "para empezar el año nuevo use «xl-metas nuevo-anio»; el libro no se modificó."
        )
    if plan.periodicidad != lectura.plan.periodicidad:
        raise LecturaError(
            f"El plan que se importa es {plan.periodicidad} y el de «{libro.nombre}» es "
            f"{lectura.plan.periodicidad}: su avance no se puede pasar de uno a otro; importe "
            "el plan en un libro nuevo. El libro no se modificó."
        )
    escrituras: list[Escritura] = []
    if _contenido(plan) != _contenido(lectura.plan):
        escrituras += _filas_plan(lectura.tabla_plan, lectura.plan, plan)
    avance = lectura.avance_o_error()
    if avance is None:
        hoja = avance_sheet(plan, anio, lectura.config.institucion)
        escrituras.append(PonerHoja(hoja, despues_de=lectura.plan.hoja))
        cambio = emparejar(plan, ())
    else:
        cambio = emparejar(plan, avance.avance.filas)
        escrituras += _filas_avance(avance.tabla, cambio, avance.avance.filas)
    libro.aplicar(escrituras)
    historial.registrar(libro, lectura, "importar --actualizar", releer=True)
    recalcular(libro)
    return cambio


def _contenido(plan: Plan) -> list[Any]:
    """What a plan says, without where it was read from: equal plans write nothing."""
    return [
        plan.anio,
        plan.institucion,
        plan.periodicidad,
        *(
            [valor_plano(v.raw) for v in (m.programa, m.objetivo, m.numero, m.descripcion)]
            + [valor_plano(v.raw) for v in (m.unidad, m.anual, *m.meses)]
            for m in plan.metas
        ),
    ]


def _filas_avance(tabla: Table, cambio: CambioPlan, filas: Sequence[FilaAvance]) -> list[Escritura]:
    """Avance's rows in the new plan's order, each carrying its row's captured cells, then
    the kept rows of removed metas and any other row that holds something; the empty rows of
    removed metas go."""
    descartadas = (
        {f.fila for f in filas}
        - {f.fila for _, f in cambio.pares if f}
        - {f.fila for f in cambio.conservadas}
    )
    fijos = [
        {"programa": m.programa.raw, "numero": m.numero.raw, "descripcion": m.descripcion.raw}
        for m, _ in cambio.pares
    ]
    origen = [f.fila if f else None for _, f in cambio.pares]
    return _reordenar(tabla, origen, fijos, CALCULADAS, descartadas)


CALCULADAS_PLAN = ("suma", "diferencia")


def _filas_plan(tabla: Table, actual: Plan, plan: Plan) -> list[Escritura]:
    """The Plan's rows in the new plan's order, written in the sheet's own columns: each
    meta's row keeps the cells of columns we do not know (an INDICADOR, a person's notes)
    and its formatting; the rows of removed metas go; any other row that holds something
    stays, after the plan's."""
    como_filas = tuple(
        FilaAvance(m.numero, m.programa, m.descripcion, (), Valor(None), m.fila)
        for m in actual.metas
    )
    cambio = emparejar(plan, como_filas)
    columnas = columnas_plan(plan.periodicidad)
    fijos = [
        {c.key: v for c, v in zip(columnas, fila, strict=True) if c.key not in CALCULADAS_PLAN}
        for fila in plan_rows(plan)[4:]
    ]
    origen = [f.fila if f else None for _, f in cambio.pares]
    retiradas = {m.fila for m in actual.metas} - {o for o in origen if o}
    return _reordenar(tabla, origen, fijos, CALCULADAS_PLAN, retiradas)


def _reordenar(
    tabla: Table,
    origen: Sequence[int | None],
    fijos: Sequence[Mapping[str, Any]],
    calculadas: Iterable[str],
    quitadas: Iterable[int],
) -> list[Escritura]:
    """One block from the table's first data row: row i is the sheet's row ``origen[i]``
    (blank when None) with the values of ``fijos[i]`` in their columns and the computed
    columns cleared (``recalcular`` writes them); then every other row below the header
    that holds something, except ``quitadas``; then blanks down to the last row used before.
    Nothing when the sheet already holds exactly that."""
    grid = tabla.grid
    ancho = max(tabla.last_header_column, *tabla.columns.values())
    vacias = {tabla.columns[k] - 1 for k in calculadas if k in tabla.columns}

    def fila_de(numero: int) -> list[Any]:
        linea = list(grid.rows[numero - 1][:ancho]) if numero <= grid.height else []
        linea += [None] * (ancho - len(linea))
        return [None if i in vacias or v == "" else v for i, v in enumerate(linea)]

    bloque: list[list[Any]] = []
    for numero, valores in zip(origen, fijos, strict=True):
        fila = fila_de(numero) if numero else [None] * ancho
        for clave, valor in valores.items():
            if clave in tabla.columns:
                fila[tabla.columns[clave] - 1] = valor
        bloque.append(fila)
    usadas = {o for o in origen if o} | set(quitadas)
    for numero in range(tabla.first_row, grid.height + 1):
        if numero not in usadas and any(v is not None for v in fila_de(numero)):
            bloque.append(fila_de(numero))
    bloque += [[None] * ancho for _ in range(tabla.first_row + len(bloque), grid.height + 1)]
    actual = [fila_de(n) for n in range(tabla.first_row, tabla.first_row + len(bloque))]
    if [[valor_plano(v) for v in f] for f in bloque] == actual:
        return []
    return [Bloque(grid.hoja, tabla.first_row, 1, bloque)]


def generar_hojas(libro: Libro) -> hojas_area.Generacion:
    """One sheet per programa, laid out like the original document (see ``hojas_area``)."""
    from . import hojas_area

    return hojas_area.generar_hojas(libro)


def exportar_copias(
    libro_path: Path, carpeta: Path | None = None
) -> list[copias_correo.Exportacion]:
    """One stamped workbook per programa, for e-mailing (see ``copias``). Default folder:
    «enviadas» inside Configuración's folder of returned copies."""
    from . import copias_archivo  # the file adapter: a button that reads no file skips it

    return copias_archivo.exportar_copias(Path(libro_path), carpeta)


def preparar_exportacion(libro: Libro) -> str:
    """The master's identifier, created through the port when missing. The Exportar copias
    button calls this, saves the book, then ``exportar_copias`` on the saved file. The
    Historial gets its baseline (or the hand edits so far) here too."""
    from . import copias as copias_correo

    libro_id = copias_correo.asegurar_id(libro)
    historial.registrar(libro, leer(libro), "exportar-copias")
    return libro_id


def consolidar(
    libro: Libro,
    copias: Sequence[Path],
    simular: bool = False,
    preferir_copia: bool = False,
    al_avanzar: Callable[[Path], None] | None = None,
    ahora: Callable[[], dt.datetime] | None = None,
) -> copias_correo.Informe:
    """Merge returned copies into Avance (see ``copias.consolidacion``); a folder stands for the
    workbooks in it, each read by ``copias_archivo.leer_copia``."""
    from . import copias as copias_correo
    from . import copias_archivo

    lectura = leer(libro)
    informe, escrituras = copias_correo.consolidacion(
        libro,
        lectura,
        expandir_copias(copias),
        preferir_copia,
        al_avanzar,
        ahora,
        leer_copia=copias_archivo.leer_copia,
    )
    informe.simulado = simular
    if simular:
        return informe
    assert lectura.avance is not None  # consolidacion refuses a workbook without Avance
    escritos, remitentes = _escritos(informe, lectura.avance.avance.hoja)
    escrituras += historial.anotar(
        libro, lectura, "consolidar", escritos=escritos, atribucion=remitentes, ahora=ahora
    )[1]
    libro.aplicar(escrituras)  # Avance, the Consolidación log and the Historial at once
    return informe


@contextlib.contextmanager
def recoleccion_en_pausa() -> Iterator[None]:
    """CPython's cycle collector paused for one command or button press (the command
    line's and the buttons' entry points, the save included): a command builds a large
    heap of acyclic values (cells, findings, copies, Historial rows), and the collector
    would walk all of it again and again as it grows (a third of a consolidation's time,
    a sixth of recalcular's on 5,000 metas). Nothing here makes reference cycles; any
    there are go when it resumes (an Excel session's UDF server keeps running)."""
    activo = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if activo:
            gc.enable()


def _escritos(
    informe: copias_correo.Informe, hoja: str
) -> tuple[dict[historial.Clave, tuple[Any, str]], dict[historial.Clave, historial.Quien]]:
    """Each cell a copy updated -> the value written and its cell, and -> the copy's
    sender (who saved it last, else its area) and file, for the Historial (a later copy
    wins, as in the merge)."""
    escritos: dict[historial.Clave, tuple[Any, str]] = {}
    remitentes: dict[historial.Clave, historial.Quien] = {}
    for r in informe.copias:
        remitente = f"{r.autor} ({r.programa})" if r.autor else f"área {r.programa}"
        quien = historial.Quien(remitente, r.archivo)
        for celda in r.actualizadas:
            campo = historial.JUSTIFICACION if celda.campo == "justificacion" else celda.campo
            clave = (fold(hoja), celda.meta, campo)
            escritos[clave] = (celda.copia, celda.celda)
            remitentes[clave] = quien
    return escritos, remitentes


def expandir_copias(copias: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the workbooks directly in it."""
    from . import copias as copias_correo

    archivos: list[Path] = []
    for ruta in map(Path, copias):
        archivos += copias_correo.copias_en_carpeta(ruta) if ruta.is_dir() else [ruta]
    return archivos


def consolidar_carpeta(
    libro: Libro, ruta_libro: Path, simular: bool = False, preferir_copia: bool = False
) -> copias_correo.Informe:
    """The Consolidar copias button: every workbook in Configuración's folder."""
    from . import copias as copias_correo

    carpeta = copias_correo.carpeta_copias(libro, Path(ruta_libro))
    return consolidar(libro, [carpeta], simular, preferir_copia)


__all__ = [
    "HOJA_VALIDACION",
    "DOCUMENTO_2011",
    "HOJA_AVANCE",
    "consolidar",
    "consolidar_carpeta",
    "expandir_copias",
    "exportar_copias",
    "generar_hojas",
    "actualizar_plan",
    "informe_trimestral",
    "preparar_exportacion",
    "recalcular",
    "resumen",
    "seguimiento",
    "validar",
    "vencidos",
]
