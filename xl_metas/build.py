"""Build a complete workbook for a plan: the shipped `workbook/Metas2011.xlsm` from the text
sources in `templates/`, and the workbook `importar` and `nuevo-anio` create for any plan
and year (with macros and buttons, or as a plain .xlsx).

The build is deterministic: XlsxWriter with fixed document properties, our own
source-only VBA project (`xl_metas.vba`), and xlwings' VBA taken from the installed,
pinned package (standalone mode: `xlwings.bas` + `Dictionary.cls`, no add-in).
This module is a front end like the CLI: it may import XlsxWriter; domain modules do not.
Long on purpose: it is the whole shipped workbook (sheets, buttons, VBA, colour rules) in
XlsxWriter's terms, one build that must stay byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol
from xlsxwriter.worksheet import Worksheet

from . import guardado, lite, plantillas
from .avance import HOJA_AVANCE, Avance, avance_sheet, avance_table, read_avance
from .config import Configuracion, config_sheet
from .estados import Umbrales, leyenda_filas
from .grid import Grid
from .hojas_area import hoja_area, progreso_hojas
from .importer import read_document
from .informe import Periodo, calcular_informe
from .informe_hoja import informe_sheet
from .model import Plan, Valor
from .operaciones import plan_sheet
from .plan_sheet import HOJA_PLAN, plan_table, reglas_plan
from .render import (
    Enlace,
    Estilo,
    HojaGenerada,
    Impresion,
    ReglasColor,
    hoja_espejo,
    reglas_color,
)
from .reportes import validation_sheet
from .resumen_hoja import resumen_sheet
from .seguimiento import area_colores, evaluar_seguimiento
from .vba.nombres import code_name
from .vba.project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    build_project,
    class_module,
    document_module,
    standard_module,
)
from .workbook_xlwings import MACROS_AYUDA, NOMBRE_MACROS

PROYECTO = Path(__file__).resolve().parent.parent
TEMPLATES = PROYECTO / "templates"
VBA_TEMPLATES = TEMPLATES / "vba"
DOCUMENTO_2011 = TEMPLATES / "programa-metas-2011.txt"
LIBRO = PROYECTO / "workbook" / "Metas2011.xlsm"

HOJA_INICIO = "Inicio"
HOJA_XLWINGS = "xlwings.conf"
# Buttons: 240 px = 180 pt, room for «Generar hojas por área» in Calibri 11 (Carlito in
# LibreOffice); column A (35 characters = 250 px) and the rows (30 pt = 40 px) hold them.
ANCHO_BOTON_PX = 240
ALTO_BOTON_PX = 36
ANCHO_COLUMNA_BOTONES = 35
ALTO_FILA_BOTON = 30.0
# Cell where the test-only RunPython stub writes the command it receives.
CELDA_STUB = "Z1"
# Helper Subs of module Metas that Python calls (not buttons), and the marker that announces
# them: a book-scoped defined name referring to a cell of the hidden xlwings.conf sheet (off
# xlwings' A:B key block) that lists them. Range names reach the remote engine's payload and
# cost no Excel operation to read; a workbook built before the helpers has no such name.
# (MACROS_AYUDA and NOMBRE_MACROS live in the adapter that reads them.)
CELDA_MACROS = "D1"


def propiedades(plan: Plan, institucion: str = "") -> dict[str, Any]:
    """Document properties from the plan alone: fixed values make the output
    byte-reproducible (XlsxWriter otherwise stamps "now"); the title, author and creation
    date follow the plan's year and institution."""
    anio = plan.anio
    nombre = institucion or plan.institucion or ""
    return {
        "title": f"Programa Metas y Objetivos {anio or ''}".strip(),
        "author": nombre,
        "company": nombre,
        "comments": "Generado por xl-metas.",
        "created": dt.datetime(anio or 2000, 1, 1, 0, 0, 0),
    }


@dataclass(frozen=True)
class Boton:
    """A form-control button of the entry sheet, bound to one Sub of module Metas."""

    etiqueta: str
    sub: str
    funcion: str  # function of xl_metas.botones the Sub calls
    ayuda: str
    cli: str  # the same task from a command line, for a workbook without macros

    @property
    def comando(self) -> str:
        return f"import xl_metas.botones as b; b.{self.funcion}()"


BOTONES: tuple[Boton, ...] = (
    Boton(
        "Recalcular",
        "Recalcular",
        "recalcular",
        "Suma del calendario, diferencias, totales y hoja Validación.",
        "xl-metas recalcular LIBRO",
    ),
    Boton(
        "Validar",
        "Validar",
        "validar",
        "Revisa el plan y lista los hallazgos.",
        "xl-metas validar LIBRO",
    ),
    Boton(
        "Marcar vencidos",
        "MarcarVencidos",
        "marcar_vencidos",
        "Colorea cada mes según su estado a la fecha de corte y pone el semáforo.",
        "xl-metas vencidos LIBRO",
    ),
    Boton(
        "Generar hojas por área",
        "GenerarHojas",
        "generar_hojas",
        "Una hoja por programa, lista para imprimir.",
        "xl-metas generar-hojas LIBRO",
    ),
    Boton(
        "Exportar copias",
        "ExportarCopias",
        "exportar_copias",
        "Un libro por área para enviar por correo.",
        "xl-metas exportar-copias LIBRO",
    ),
    Boton(
        "Consolidar copias",
        "ConsolidarCopias",
        "consolidar",
        "Reúne las copias devueltas en este libro y reporta los conflictos.",
        "xl-metas consolidar LIBRO COPIA…",
    ),
    Boton(
        "Informe trimestral",
        "InformeTrimestral",
        "informe_trimestral",
        "Informe al Congreso del último trimestre cerrado: hoja «Informe TN» y su PDF.",
        "xl-metas informe LIBRO --trimestre N",
    ),
)

INSTRUCCIONES = (
    "1. Habilite las macros al abrir el libro (barra amarilla: «Habilitar contenido»).",
    "2. Capture el plan en la hoja Plan y el avance (realizado) en la hoja Avance.",
    "3. Ajuste la fecha de corte y los umbrales en la hoja Configuración.",
    "4. Pulse el botón de la tarea que necesite; cada uno explica lo que hace.",
    "5. Los hallazgos aparecen en la hoja Validación, cada uno con su celda.",
)
# A workbook without macros (.xlsx): the same tasks, from a command line.
INSTRUCCIONES_SIN_MACROS = (
    "1. Este libro no tiene macros ni botones: cada tarea es un comando de xl-metas.",
    "2. Capture el plan en la hoja Plan y el avance (realizado) en la hoja Avance.",
    "3. Ajuste la fecha de corte y los umbrales en la hoja Configuración.",
    "4. Guarde y cierre el libro; en una terminal, ejecute el comando de la tarea.",
    "5. Los hallazgos aparecen en la hoja Validación, cada uno con su celda.",
)

# xlwings reads this sheet's A:B as key/value pairs (keys are case-insensitive; the
# block must start in A1 and have no gaps). %VARIABLES% are expanded by xlwings.
XLWINGS_CONF: tuple[tuple[str, str], ...] = (
    ("Interpreter_Win", r"%LOCALAPPDATA%\Programs\Python\Python311\pythonw.exe"),
    ("PYTHONPATH", ""),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "True"),
    ("UDF Modules", ""),
    ("Use UDF Server", "False"),
    ("Show Console", "False"),
)


# Every module the built project holds besides the sheets' (see ``vba_modules``).
NOMBRES_MODULOS = ("ThisWorkbook", "Metas", "PruebaRunPython", "xlwings", "Dictionary")


@dataclass(frozen=True)
class Hoja:
    """A sheet of the built workbook: its content and its VBA codeName."""

    contenido: HojaGenerada
    codigo: str  # codeName: the sheet's document module


# --- sources ------------------------------------------------------------------------


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent


def xlwings_modules() -> list[Module]:
    """xlwings' standalone VBA from the installed package: `xlwings.bas` and `Dictionary.cls`."""
    base = xlwings_dir()
    return [
        standard_module("xlwings", (base / "xlwings.bas").read_text("cp1252")),
        class_module((base / "addin" / "Dictionary.cls").read_text("cp1252")),
    ]


def our_modules(stub_runpython: bool = False) -> list[Module]:
    """Our standard modules from `templates/vba/`; the stub variant adds the RunPython stub."""
    mods = [standard_module("Metas", (VBA_TEMPLATES / "Metas.bas").read_text("cp1252"))]
    if stub_runpython:
        stub = (VBA_TEMPLATES / "PruebaRunPython.bas").read_text("cp1252")
        mods.append(standard_module("PruebaRunPython", stub))
    return mods


# --- sheets -------------------------------------------------------------------------

_TITULO = Estilo(negrita=True, tamano=14)
_SUBTITULO = Estilo(negrita=True, tamano=12)
_ENCABEZADO = Estilo(negrita=True, relleno="1F4E78", color_fuente="FFFFFF", borde=True)


def inicio_sheet(plan: Plan, umbrales: Umbrales | None = None, macros: bool = True) -> HojaGenerada:
    """Entry sheet: titles, instructions, one row per button (the button sits in column A)
    or, without macros, per command, and the colour legend of the month states and the
    semáforo (``estados.leyenda_filas``)."""
    filas: list[list[Any]] = [
        [plan.institucion or None],
        [f"PROGRAMA METAS Y OBJETIVOS {plan.anio or ''}".strip()],
        [],
        ["Instrucciones"],
        *([None, texto] for texto in (INSTRUCCIONES if macros else INSTRUCCIONES_SIN_MACROS)),
        [],
        ["Botones" if macros else "Comandos"],
    ]
    primera_fila_boton = len(filas) + 1
    for boton in BOTONES:
        filas.append([None if macros else boton.cli, boton.ayuda])
    filas += [[], ["Leyenda de colores"]]
    primera_leyenda = len(filas) + 1
    estilos: list[tuple[str, Estilo]] = [
        ("A1", _TITULO),
        ("A2", _SUBTITULO),
        ("A4", _SUBTITULO),
        (f"A{primera_fila_boton - 1}", _SUBTITULO),
        (f"A{primera_leyenda - 1}", _SUBTITULO),
    ]
    for i, (nombre, color, descripcion) in enumerate(leyenda_filas(umbrales)):
        fila = primera_leyenda + i
        filas.append([nombre, descripcion])
        estilos.append((f"A{fila}", Estilo(relleno=color, borde=True)))
    ultima_fila_boton = primera_fila_boton + len(BOTONES) - 1
    # Help text centred beside its button (the button fills the row's height).
    estilos.append((f"B{primera_fila_boton}:B{ultima_fila_boton}", Estilo(vertical="center")))
    altos = (
        {fila: ALTO_FILA_BOTON for fila in range(primera_fila_boton, ultima_fila_boton + 1)}
        if macros
        else {}
    )
    return HojaGenerada(
        nombre=HOJA_INICIO,
        filas=filas,
        anchos={"A": ANCHO_COLUMNA_BOTONES, "B": 90},
        estilos=estilos,
        altos=altos,
        impresion=Impresion(horizontal=False),
    )


def button_rows(hoja: HojaGenerada) -> list[int]:
    """1-based rows of the entry sheet that hold a button (row of each button's help)."""
    ayudas = {b.ayuda for b in BOTONES}
    return [i for i, fila in enumerate(hoja.filas, 1) if len(fila) > 1 and fila[1] in ayudas]


def xlwings_conf_sheet() -> HojaGenerada:
    filas: list[list[Any]] = [[clave, valor or None] for clave, valor in XLWINGS_CONF]
    filas[0] += [None, ";".join(MACROS_AYUDA)]  # CELDA_MACROS, named NOMBRE_MACROS
    return HojaGenerada(
        nombre=HOJA_XLWINGS,
        filas=filas,
        anchos={"A": 28, "B": 60},
        oculta=True,
    )


def configuracion(plan: Plan) -> Configuracion:
    """A new workbook's configuration: the plan's year and institution, the default
    thresholds, no fecha de corte (today)."""
    return Configuracion(anio=plan.anio, institucion=plan.institucion or "")


def espejo_sheet(hoja: str, codigos_tomados: Iterable[str]) -> Hoja:
    """The hidden mirror sheet of ``hoja``, empty, with the codeName that
    ``LibroArchivo.colorear`` would give it (it creates the sheet at the end, hidden)."""
    nombre = hoja_espejo(hoja)
    tomados = [*codigos_tomados, *NOMBRES_MODULOS]
    return Hoja(HojaGenerada(nombre=nombre, filas=[], oculta=True), code_name(nombre, tomados))


def reglas_avance(hoja: HojaGenerada) -> ReglasColor:
    """The conditional formats ``vencidos``/``recalcular`` put on a new Avance: same area
    (month and semáforo columns from the first meta row), same rules."""
    table = avance_table(Grid(LIBRO.name, hoja.nombre, hoja.filas))
    return reglas_color(hoja.nombre, area_colores(table))


def workbook_sheets(
    plan: Plan,
    config: Configuracion | None = None,
    macros: bool = True,
    realizado: Mapping[str, Sequence[Valor]] | None = None,
) -> list[Hoja]:
    """The sheets of a new workbook for ``plan``: Inicio, Plan, Avance (one row per meta of
    this plan, its year and institution in the titles), Configuración, and with macros the
    hidden xlwings.conf; then Avance's hidden mirror, and the template sheets xlwings Lite
    copies for the sheets the buttons write (``plantillas``; very hidden)."""
    config = config or configuracion(plan)
    institucion = config.institucion or plan.institucion
    avance = avance_sheet(plan, config.anio, institucion, realizado)
    hojas = [
        Hoja(
            inicio_sheet(replace(plan, institucion=institucion), config.umbrales, macros),
            "HojaInicio",
        ),
        Hoja(plan_sheet(plan), "HojaPlan"),
        Hoja(avance, "HojaAvance"),
        Hoja(config_sheet(config), "HojaConfiguracion"),
    ]
    if macros:
        hojas.append(Hoja(xlwings_conf_sheet(), "HojaXlwingsConf"))
    hojas.append(espejo_sheet(HOJA_AVANCE, (h.codigo for h in hojas)))
    leido, _ = read_avance(Grid(LIBRO.name, avance.nombre, avance.filas))
    for plantilla in plantillas_del_plan(plan, leido, config):
        tomados = [h.codigo for h in hojas] + list(NOMBRES_MODULOS)
        hojas.append(Hoja(plantilla, code_name(plantilla.nombre, tomados)))
    return hojas


def hojas_de_los_botones(plan: Plan, avance: Avance, config: Configuracion) -> list[HojaGenerada]:
    """The sheets the writing buttons put in a workbook holding ``plan`` and ``avance``, as
    the pipeline writes them: Validación, Resumen, one area sheet (all share one layout),
    and the quarterly report, closed and preliminary (the button gives the preliminary one
    while no quarter has closed). Their fixed tops follow the plan's calendar and whether
    there is an Avance, not its size, dates or findings: the plan's first meta, any cut-off
    and no findings will do (a 5,000-meta build would otherwise lay out every sheet)."""
    anio = config.anio or plan.anio or 2000
    clave = plan.metas[0].clave if plan.metas else None
    plan = replace(plan, metas=plan.metas[:1])
    avance = replace(avance, filas=tuple(f for f in avance.filas if f.clave == clave)[:1])
    cierre, en_curso = dt.date(anio, 12, 31), dt.date(anio, 1, 1)
    seg = evaluar_seguimiento(plan, avance, config, cierre)
    hojas = [validation_sheet([]), resumen_sheet(seg)]
    programas = plan.programas()
    if programas:
        hojas.append(hoja_area(plan, programas[0], programas[0], progreso_hojas(seg)))
    hojas.append(informe_sheet(calcular_informe(seg, Periodo(anio, 4), cierre)))
    seg_t1 = evaluar_seguimiento(plan, avance, config, en_curso)
    hojas.append(informe_sheet(calcular_informe(seg_t1, Periodo(anio, 1), en_curso)))
    return hojas


def plantillas_del_plan(plan: Plan, avance: Avance, config: Configuracion) -> list[HojaGenerada]:
    """The template sheets a new workbook for ``plan`` carries for xlwings Lite."""
    return plantillas.plantillas(hojas_de_los_botones(plan, avance, config))


def vba_modules(hojas: Sequence[Hoja], stub_runpython: bool = False) -> list[Module]:
    """Document modules (ThisWorkbook, one per sheet codeName), ours, then xlwings'."""
    mods = [document_module("ThisWorkbook", WORKBOOK_BASE)]
    mods += [document_module(h.codigo, WORKSHEET_BASE) for h in hojas]
    mods += our_modules(stub_runpython)
    if not stub_runpython:
        mods += xlwings_modules()
    return mods


# --- XlsxWriter adapter -------------------------------------------------------------


def _cells(area: str) -> Iterable[tuple[int, int]]:
    first, _, last = area.partition(":")
    r1, c1 = xl_cell_to_rowcol(first)
    r2, c2 = xl_cell_to_rowcol(last or first)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield r, c


def _merge(base: Estilo | None, extra: Estilo) -> Estilo:
    if base is None:
        return extra
    default = Estilo()
    changes = {
        f.name: getattr(extra, f.name)
        for f in fields(Estilo)
        if getattr(extra, f.name) != getattr(default, f.name)
    }
    return replace(base, **changes)


def _format_props(estilo: Estilo) -> dict[str, Any]:
    props: dict[str, Any] = {"font_name": "Calibri", "font_size": estilo.tamano or 11}
    if estilo.negrita:
        props["bold"] = True
    if estilo.relleno:
        props |= {"bg_color": f"#{estilo.relleno}", "pattern": 1}
    if estilo.color_fuente:
        props["font_color"] = f"#{estilo.color_fuente}"
    if estilo.horizontal:
        props["align"] = estilo.horizontal
    if estilo.vertical:
        props["valign"] = {"center": "vcenter"}.get(estilo.vertical, estilo.vertical)
    if estilo.ajustar:
        props["text_wrap"] = True
    if estilo.borde:
        props["border"] = 1
    if estilo.formato:
        props["num_format"] = estilo.formato
    return props


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[Estilo, Any] = {}

    def get(self, estilo: Estilo | None) -> Any:
        if estilo is None:
            return None
        if estilo not in self.cache:
            self.cache[estilo] = self.book.add_format(_format_props(estilo))
        return self.cache[estilo]


def _write_sheet(ws: Worksheet, hoja: HojaGenerada, formats: _Formats) -> None:
    styles: dict[tuple[int, int], Estilo] = {}
    for area, estilo in hoja.estilos:
        for cell in _cells(area):
            styles[cell] = _merge(styles.get(cell), estilo)
    written: set[tuple[int, int]] = set()
    for r, fila in enumerate(hoja.filas):
        for c, valor in enumerate(fila):
            fmt = formats.get(styles.get((r, c)))
            if isinstance(valor, Enlace):
                ws.write_url(r, c, f"internal:'{valor.hoja}'!{valor.celda}", fmt, valor.texto)
            elif isinstance(valor, bool):
                ws.write_boolean(r, c, valor, fmt)
            elif isinstance(valor, int | float):
                ws.write_number(r, c, valor, fmt)
            elif isinstance(valor, dt.date):
                ws.write_datetime(r, c, valor, fmt)
            elif valor is None or valor == "":
                if fmt is None:
                    continue
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write_string(r, c, str(valor), fmt)  # text is data, never a formula
            written.add((r, c))
    for (r, c), estilo in sorted(styles.items()):
        if (r, c) not in written:
            ws.write_blank(r, c, None, formats.get(estilo))
    for letra, ancho in hoja.anchos.items():
        col = xl_cell_to_rowcol(f"{letra}1")[1]
        ws.set_column(col, col, ancho)
    for fila_n, alto in hoja.altos.items():
        ws.set_row(fila_n - 1, alto)
    for area in hoja.combinadas:
        first, _, last = area.partition(":")
        (r1, c1), (r2, c2) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last)
        ws.merge_range(r1, c1, r2, c2, None, formats.get(styles.get((r1, c1))))
    if hoja.congelar:
        r, c = xl_cell_to_rowcol(hoja.congelar)
        ws.freeze_panes(r, c)
    if hoja.impresion:
        imp = hoja.impresion
        if imp.horizontal:
            ws.set_landscape()
        if imp.ajustar_ancho:
            ws.fit_to_pages(1, 0)
        if imp.papel_carta:
            ws.set_paper(1)
        if imp.filas_repetidas:
            a, _, b = imp.filas_repetidas.partition(":")
            ws.repeat_rows(int(a) - 1, int(b or a) - 1)
        if imp.saltos:
            ws.set_h_pagebreaks([fila - 1 for fila in imp.saltos])
    if hoja.oculta:
        ws.hide()


def _add_buttons(ws: Worksheet, filas: Sequence[int]) -> None:
    for boton, fila in zip(BOTONES, filas, strict=True):
        ws.insert_button(
            f"A{fila}",
            {
                "macro": boton.sub,
                "caption": boton.etiqueta,
                "width": ANCHO_BOTON_PX,
                "height": ALTO_BOTON_PX,
                "x_offset": 2,
                "y_offset": 2,
            },
        )


def _add_colour_rules(ws: Worksheet, reglas: ReglasColor, book: xlsxwriter.Workbook) -> None:
    """One formula rule per palette colour over the coloured area, reading the mirror
    sheet: what ``LibroArchivo.colorear`` (openpyxl) and the Excel adapter put there."""
    first = reglas.rangos[0]
    for formula, color in reglas.reglas:
        ws.conditional_format(
            first,
            {
                "type": "formula",
                "criteria": f"={formula}",
                "format": book.add_format({"bg_color": f"#{color}"}),
                "multi_range": " ".join(reglas.rangos),
            },
        )


def workbook_bytes(
    plan: Plan,
    stub_runpython: bool = False,
    *,
    macros: bool = True,
    config: Configuracion | None = None,
    realizado: Mapping[str, Sequence[Valor]] | None = None,
) -> bytes:
    """The whole workbook as bytes: same plan, configuration and sources, same bytes. With
    ``macros`` an .xlsm (VBA project and buttons), without it an .xlsx."""
    config = config or configuracion(plan)
    hojas = workbook_sheets(plan, config, macros, realizado)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(propiedades(plan, config.institucion))
    if macros:
        vba = build_project(vba_modules(hojas, stub_runpython))
        book.set_vba_name("ThisWorkbook")
        book.add_vba_project(io.BytesIO(vba), is_stream=True)  # type: ignore[arg-type]
    formats = _Formats(book)
    for hoja in hojas:
        ws = book.add_worksheet(hoja.contenido.nombre)
        if macros:
            ws.set_vba_name(hoja.codigo)
        _write_sheet(ws, hoja.contenido, formats)
        if plantillas.es_plantilla(hoja.contenido.nombre):
            ws.very_hidden()  # no user's sheet: not even in Excel's «Mostrar» list
        if hoja.contenido.nombre == HOJA_INICIO and macros:
            _add_buttons(ws, button_rows(hoja.contenido))
        elif hoja.contenido.nombre == HOJA_AVANCE:
            _add_colour_rules(ws, reglas_avance(hoja.contenido), book)
        elif hoja.contenido.nombre == HOJA_PLAN:
            contenido = hoja.contenido
            for reglas in reglas_plan(
                plan_table(Grid(LIBRO.name, contenido.nombre, contenido.filas))
            ):
                _add_colour_rules(ws, reglas, book)
    if macros:
        book.define_name(NOMBRE_MACROS, f"='{HOJA_XLWINGS}'!${CELDA_MACROS[0]}${CELDA_MACROS[1:]}")
    book.get_worksheet_by_name(HOJA_INICIO).activate()  # type: ignore[union-attr]
    book.close()
    return lite.con_lite(buffer.getvalue())  # the same buttons in xlwings Lite


def construir(
    destino: Path = LIBRO,
    documento: Path = DOCUMENTO_2011,
    *,
    stub_runpython: bool = False,
) -> Path:
    """Build the macro workbook at `destino` from `documento` and `templates/vba/`.

    `stub_runpython=True` builds the LibreOffice test variant: xlwings' modules are left
    out and a stub `RunPython` writes its argument into Inicio!Z1.
    """
    plan = read_document(Path(documento))
    destino = Path(destino)
    datos = workbook_bytes(plan, stub_runpython)
    if destino.is_file() and destino.read_bytes() == datos:
        return destino  # built twice: nothing to change
    destino.parent.mkdir(parents=True, exist_ok=True)
    guardado.escribir(destino, datos, respaldo=True)  # a workbook it replaces stays as .bak
    return destino


__all__ = [
    "BOTONES",
    "CELDA_STUB",
    "LIBRO",
    "MACROS_AYUDA",
    "NOMBRE_MACROS",
    "XLWINGS_CONF",
    "construir",
    "workbook_bytes",
]
