"""xlwings Lite: the workbook's own main.py runs the buttons as Pyodide would, and its
parts follow the format and survive every command that writes the workbook."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from tests.support.libros_avance import libro_muestra
from tests.support.lite import correr_scripts, estructura_lite
from tests.support.paquetes import editar_paquete
from tests.support.remote import apply_actions, payload_from_file, remote_book
from xl_metas import botones, build, lite, plantillas
from xl_metas.cli import app
from xl_metas.lite.codigo import main_py, paquete_zip, requirements_txt
from xl_metas.lite.partes import ID_TIENDA, con_lite
from xl_metas.render import Estilo, HojaGenerada, hoja_espejo
from xl_metas.workbook_file import LibroArchivo
from xl_metas.workbook_xlwings import LibroXlwings

NOMBRE = "Metas.xlsm"
ALTO_POR_OMISION = 15.0


@pytest.fixture(scope="module")
def muestra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libro_muestra(tmp_path_factory.mktemp("lite") / NOMBRE)


def _copia(src: Path, carpeta: Path, nombre: str = NOMBRE) -> Path:
    carpeta.mkdir(parents=True, exist_ok=True)
    destino = carpeta / nombre
    shutil.copyfile(src, destino)
    return destino


# ------------------------------------------------------------------ the parts themselves


def test_el_libro_entregado_lleva_los_dos_motores() -> None:
    datos = build.LIBRO.read_bytes()
    estructura_lite(datos)
    with zipfile.ZipFile(build.LIBRO) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    encontrada = lite.leer_lite(datos)
    assert encontrada is not None
    assert encontrada.texto("requirements.txt") == requirements_txt()
    assert json.loads(encontrada.propiedades["Office.AutoShowTaskpaneWithDocument"]) is True


def test_las_partes_son_deterministas_y_no_tocan_lo_demas(muestra: Path) -> None:
    datos = lite.con_lite(muestra.read_bytes())
    assert lite.con_lite(datos) == datos  # once they are there: nothing to change
    with zipfile.ZipFile(muestra) as z:
        sin = {n: z.read(n) for n in z.namelist() if "webextension" not in n}
    assert paquete_zip() == paquete_zip()
    otra = con_lite(datos, "print('otra versión')\n", "xlwings==0.37.8\n")
    with zipfile.ZipFile(__import__("io").BytesIO(otra)) as z:
        assert {n: z.read(n) for n in z.namelist() if n in sin} == sin
    encontrada = lite.leer_lite(otra)
    assert encontrada is not None and encontrada.texto("main.py") == "print('otra versión')\n"


def test_actualizar_conserva_los_ajustes_del_complemento(tmp_path: Path, muestra: Path) -> None:
    """Settings Lite wrote itself (app mode, its ids) stay; only the code changes."""
    libro = _copia(muestra, tmp_path)
    parte = lite.leer_lite(libro.read_bytes()).parte  # type: ignore[union-attr]

    def ajustes(xml: bytes) -> bytes:
        return xml.replace(
            b"</we:properties>",
            b'<we:property name="xlwingsWorkbookId" value="&quot;abc&quot;"/></we:properties>',
        ).replace(b'name="main.py" value="', b'name="main.py" value="&quot;viejo&quot;" x="')

    libro.write_bytes(editar_paquete(libro.read_bytes(), {parte: ajustes}))
    assert lite.actualizar_lite(libro) is True
    datos = libro.read_bytes()
    estructura_lite(datos)
    encontrada = lite.leer_lite(datos)
    assert encontrada is not None
    assert encontrada.propiedades["xlwingsWorkbookId"] == '"abc"'
    assert encontrada.texto("main.py") == main_py()
    assert lite.actualizar_lite(libro) is False


def test_junto_a_otro_complemento(tmp_path: Path) -> None:
    """A workbook with another add-in's task pane keeps it and gets ours beside it."""
    libro = tmp_path / "otro.xlsm"
    otro = build.workbook_bytes(build.read_document(build.DOCUMENTO_2011))
    libro.write_bytes(
        editar_paquete(
            otro,
            {
                "xl/webextensions/webextension1.xml": lambda xml: xml.replace(
                    ID_TIENDA.lower().encode(), b"wa104381504"
                ).replace(ID_TIENDA.encode(), b"WA104381504")
            },
        )
    )
    assert lite.actualizar_lite(libro) is True
    estructura_lite(libro.read_bytes())
    with zipfile.ZipFile(libro) as z:
        assert b"wa104381504" in z.read("xl/webextensions/webextension1.xml")
        assert ID_TIENDA.lower().encode() in z.read("xl/webextensions/webextension2.xml")


def test_cli_actualizar_lite(tmp_path: Path) -> None:
    libro = tmp_path / "Metas.xlsx"
    libro.write_bytes(build.workbook_bytes(build.read_document(build.DOCUMENTO_2011), macros=False))
    parte = lite.leer_lite(libro.read_bytes()).parte  # type: ignore[union-attr]
    libro.write_bytes(
        editar_paquete(libro.read_bytes(), {parte: lambda xml: xml.replace(b"@script", b"@viejo")})
    )
    r = CliRunner().invoke(app, ["actualizar-lite", str(libro)])
    assert r.exit_code == 0, r.output
    assert "xlwings Lite" in r.output
    estructura_lite(libro.read_bytes())
    r = CliRunner().invoke(app, ["actualizar-lite", str(libro)])
    assert r.exit_code == 0 and "ya tenía" in r.output
    r = CliRunner().invoke(app, ["actualizar-lite", str(tmp_path / "no.xlsx")])
    assert r.exit_code != 0 and "Traceback" not in r.output


# ------------------------------------------------------ every writing command keeps them


def _comando(nombre: str, libro: Path, carpeta: Path) -> list[str]:
    return {
        "recalcular": ["recalcular", str(libro)],
        "vencidos": ["vencidos", str(libro)],
        "generar-hojas": ["generar-hojas", str(libro)],
        "actualizar-vba": ["actualizar-vba", str(libro)],
        "importar-actualizar": [
            "importar",
            str(build.DOCUMENTO_2011),
            "-o",
            str(libro),
            "--actualizar",
        ],
    }[nombre]


@pytest.mark.parametrize(
    "comando", ["recalcular", "vencidos", "generar-hojas", "actualizar-vba", "importar-actualizar"]
)
def test_cada_comando_conserva_las_partes(muestra: Path, tmp_path: Path, comando: str) -> None:
    libro = _copia(muestra, tmp_path)
    antes = estructura_lite(libro.read_bytes())
    r = CliRunner().invoke(app, _comando(comando, libro, tmp_path))
    assert r.exit_code in (0, 1), r.output
    assert estructura_lite(libro.read_bytes()) == antes


def test_copias_y_consolidar_conservan_las_partes(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path)
    antes = estructura_lite(libro.read_bytes())
    carpeta = tmp_path / "copias"
    r = CliRunner().invoke(app, ["exportar-copias", str(libro), "--carpeta", str(carpeta)])
    assert r.exit_code == 0, r.output
    copias = sorted(c for c in carpeta.iterdir() if c.suffix == ".xlsm")
    assert len(copias) == 3
    for copia in copias:
        assert estructura_lite(copia.read_bytes()) == antes, copia.name
    assert estructura_lite(libro.read_bytes()) == antes  # the master got its identifier
    r = CliRunner().invoke(app, ["consolidar", str(libro), *map(str, copias)])
    assert r.exit_code == 0, r.output
    assert estructura_lite(libro.read_bytes()) == antes


# ------------------------------------------------ the scripts, as Pyodide would run them

_SCRIPTS: list[tuple[str, Callable[..., None]]] = [
    ("recalcular", botones.recalcular),
    ("validar", botones.validar),
    ("marcar_vencidos", botones.marcar_vencidos),
    ("generar_hojas", botones.generar_hojas),
    ("exportar_copias", botones.exportar_copias),
    ("consolidar", botones.consolidar),
    ("informe_trimestral", botones.informe_trimestral),
]


def _alturas(ws: Any) -> dict[int, float]:
    """Row heights set, but Excel's default (15 points for Calibri 11): a row of 15 set on
    purpose (the harness) and one left at the default (XlsxWriter's template, which writes
    no height equal to the default) look the same in Excel."""
    return {
        r: d.height
        for r, d in sorted(ws.row_dimensions.items())
        if d.height is not None and d.height != ALTO_POR_OMISION
    }


def _valores(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        filas = [[None if v == "" else v for v in fila] for fila in ws.iter_rows(values_only=True)]
        for fila in filas:
            while fila and fila[-1] is None:
                fila.pop()
        while filas and not filas[-1]:
            filas.pop()
        out[ws.title] = (filas, sorted(map(str, ws.merged_cells.ranges)), _alturas(ws))
    return out


@pytest.fixture(scope="module")
def corridas(muestra: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The six scripts of the workbook's own main.py, run once in a Pyodide-like process."""
    payload = payload_from_file(muestra, caller_sheet="Inicio")
    main_py = lite.leer_lite(muestra.read_bytes()).texto("main.py")  # type: ignore[union-attr]
    assert main_py is not None
    carpeta = tmp_path_factory.mktemp("pyodide")
    return correr_scripts(main_py, [(nombre, payload) for nombre, _ in _SCRIPTS], carpeta)


@pytest.mark.excel
def test_los_scripts_corren_sin_calamine_hilos_ni_procesos(
    corridas: list[dict[str, Any]], tmp_path: Path
) -> None:
    requisitos = {
        linea.split("==")[0].strip().replace("-", "_").lower()
        for linea in requirements_txt().splitlines()
        if linea.strip() and not linea.startswith("#")
    }
    de_pandas = {"numpy", "dateutil", "pytz", "tzdata", "six"}  # Pyodide builds these
    for corrida in corridas:
        assert ".zip" in (corrida["origen"] or ""), corrida["origen"]  # main.py's own copy
        cargados = set(corrida["modulos"])
        assert "python_calamine" not in cargados
        assert cargados <= requisitos | de_pandas, cargados - requisitos - de_pandas
        funcs = {a["func"] for a in corrida["actions"]}
        assert not funcs & {"runMacro", "alert"}, funcs  # no VBA; the answer is printed
        assert corrida["impreso"].strip()


@pytest.mark.excel
@pytest.mark.parametrize("indice", range(len(_SCRIPTS)))
def test_cada_script_escribe_lo_mismo_que_su_boton_vba(
    muestra: Path, corridas: list[dict[str, Any]], tmp_path: Path, indice: int
) -> None:
    nombre, boton = _SCRIPTS[indice]
    with remote_book(muestra, caller_sheet="Inicio") as book:
        boton(book)
        vba = book.json()["actions"]
    con_vba = _copia(muestra, tmp_path / "vba")
    apply_actions(vba, con_vba).save(con_vba)
    con_lite_ = _copia(muestra, tmp_path / "lite")
    apply_actions(corridas[indice]["actions"], con_lite_).save(con_lite_)
    hojas_vba = _valores(con_vba)
    hojas_vba.pop("Historial", None)  # Lite cannot write the protected Historial (README)
    assert _valores(con_lite_) == hojas_vba, nombre
    [alerta] = [a["args"] for a in vba if a["func"] == "alert"]
    impreso = corridas[indice]["impreso"].strip()
    if nombre in ("exportar_copias", "consolidar"):
        assert "xlwings Lite" in impreso and "PC con Python" in impreso
    else:
        assert impreso.removeprefix("Error: ") == alerta[0].strip()
    if nombre == "generar_hojas":  # merges and heights without the VBA helper Subs
        assert any(a["func"] == "runMacro" for a in vba)
        assert any(a["func"] == "rangeMerge" for a in corridas[indice]["actions"])
        assert hoja_espejo("Avance") in _valores(con_lite_)


# ------------------------------------------- the package as it is now: same sheets, styles

_BOTONES_QUE_ESCRIBEN = [
    botones.recalcular,
    botones.marcar_vencidos,
    botones.generar_hojas,
    botones.informe_trimestral,
]


@pytest.fixture(scope="module")
def veinticinco(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 metas in 25 programas, Avance with the demo's patterns (every semáforo colour)."""
    from bench.generador import escribir_libro

    return escribir_libro(tmp_path_factory.mktemp("lite25") / NOMBRE, 50, 25, 0.1, True, True)


def _rgb(color: Any) -> str | None:
    """A colour as Excel shows it: its RGB (the alpha byte is ignored: "00" from a file
    writer, "FF" from the harness); a theme colour is the default text colour here (we
    write RGB only)."""
    return str(color.rgb)[-6:] if color is not None and color.type == "rgb" else None


def _estilos(path: Path) -> dict[str, Any]:
    """Per sheet: each non-blank cell's value, bold, font colour and size, fill, number
    format and wrapping (not on a merge's first cell: the harness's merge resets its
    alignment), the merged areas and the row heights."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        if ws.title in ("Historial", "xlwings.conf"):  # Lite keeps no Historial; staging
            continue
        primeras = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
        celdas = {}
        for fila in ws.iter_rows():
            for c in fila:
                rasgos = (
                    None if c.value == "" else c.value,
                    bool(c.font.b),
                    _rgb(c.font.color),
                    c.font.sz,
                    _rgb(c.fill.fgColor) if c.fill.fill_type else None,
                    c.number_format,
                    bool(c.alignment.wrap_text) and (c.row, c.column) not in primeras,
                )
                if rasgos != (None, False, None, 11, None, "General", False):
                    celdas[c.coordinate] = rasgos
        out[ws.title] = (celdas, sorted(map(str, ws.merged_cells.ranges)), _alturas(ws))
    return out


@pytest.mark.excel
@pytest.mark.parametrize("boton", _BOTONES_QUE_ESCRIBEN, ids=lambda b: b.__name__)
@pytest.mark.parametrize("libro", ["muestra", "veinticinco"])
def test_lite_escribe_lo_mismo_que_el_boton_vba_con_estilos(
    request: pytest.FixtureRequest, tmp_path: Path, boton: Callable[..., None], libro: str
) -> None:
    """The package as it is now (the workbook's main.py may predate it): the press without
    VBA — a repeated block filled down, rows sorted into place, blocks joined — gives the
    same values, styles, merges and heights as AplicarLote's."""
    src: Path = request.getfixturevalue(libro)
    resultados = []
    for lite_ in (False, True):
        with remote_book(src, caller_sheet="Inicio") as book:
            boton(book, lite=lite_)
            acciones = book.json()["actions"]
        assert any(a["func"] == "runMacro" for a in acciones) is not lite_
        copia = _copia(src, tmp_path / str(lite_))
        apply_actions(acciones, copia).save(copia)
        resultados.append(_estilos(copia))
    vba, con_lite_ = resultados
    assert con_lite_.keys() == vba.keys()
    for hoja in vba:
        assert con_lite_[hoja] == vba[hoja], hoja


# ------------------------------------- template sheets: the fixed tops copied, not formatted


def _puestas(src: Path) -> list[Any]:
    """The sheets the writing buttons put, one Lite press of each on the remote engine."""
    puestas: list[Any] = []
    original = LibroXlwings.poner_hoja

    def grabar(self: LibroXlwings, hoja: Any, despues_de: str | None = None) -> None:
        puestas.append(hoja)
        original(self, hoja, despues_de)

    LibroXlwings.poner_hoja = grabar  # type: ignore[method-assign]
    try:
        for boton in _BOTONES_QUE_ESCRIBEN:
            with remote_book(src, caller_sheet="Inicio") as book:
                boton(book, lite=True)
    finally:
        LibroXlwings.poner_hoja = original  # type: ignore[method-assign]
    return puestas


def _sin_plantillas(src: Path, destino: Path) -> Path:
    """A copy of ``src`` without its template sheets (a workbook built before them)."""
    copia = _copia(src, destino.parent, destino.name)
    libro = LibroArchivo(copia)
    for nombre in libro.hojas():
        if plantillas.es_plantilla(nombre):
            libro.quitar_hoja(nombre)
    assert libro.guardar(respaldo=False)
    return copia


@pytest.mark.excel
@pytest.mark.parametrize("libro", ["muestra", "veinticinco"])
def test_el_libro_trae_la_plantilla_de_cada_hoja_que_escriben_los_botones(
    request: pytest.FixtureRequest, libro: str
) -> None:
    """The build derives the templates from the sheets the pipeline writes for the plan: a
    press finds the one its sheet's fixed top names (every area sheet shares one)."""
    src: Path = request.getfixturevalue(libro)
    puestas = _puestas(src)
    buscadas = {p.nombre for p in plantillas.plantillas(puestas)}
    en_el_libro = {h for h in LibroArchivo(src).hojas() if plantillas.es_plantilla(h)}
    assert len(buscadas) == 4 and buscadas <= en_el_libro  # + the preliminary report's
    assert len(en_el_libro) == 5
    assert {h.nombre for h in puestas if plantillas.cabecera(h) is None} == {"Hojas generadas"}


def test_la_plantilla_es_la_cabecera_fija() -> None:
    def hoja(nombre: str, titulo: str, congelar: str | None = "A3") -> HojaGenerada:
        return HojaGenerada(
            nombre,
            [[titulo], ["META", "TOTAL"], [1, 2], [3, 4]],
            anchos={"A": 20, "B": 9},
            estilos=[("A1:B4", Estilo(ajustar=True)), ("A2:B2", Estilo(negrita=True))],
            combinadas=["A1:B1", "A3:A4"],
            altos={1: 30.0, 3: 15.0},
            congelar=congelar,
        )

    una, otra = (
        plantillas.cabecera(hoja("VINCULACIÓN", "uno")),
        plantillas.cabecera(hoja("DIFUSIÓN", "otro")),
    )
    assert una is not None and una == otra  # texts are values: one template for both
    assert plantillas.es_plantilla(una.nombre) and len(una.nombre) <= 31
    assert (una.filas, una.oculta, una.congelar, una.altos) == ([], True, "A3", {1: 30.0})
    assert una.estilos == [("A1:B2", Estilo(ajustar=True)), ("A2:B2", Estilo(negrita=True))]
    assert una.combinadas == ["A1:B1"]
    assert plantillas.filas_cubiertas(una) == 2
    assert plantillas.cabecera(hoja("X", "uno", congelar=None)) is None
    assert plantillas.cabecera(hoja("X", "uno", congelar="C1")) is None  # no frozen rows
    mas_ancha = replace(hoja("X", "uno"), anchos={"A": 21, "B": 9})
    assert plantillas.cabecera(mas_ancha).nombre != una.nombre  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def muestra_sin_plantillas(muestra: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sin_plantillas(muestra, tmp_path_factory.mktemp("sin_plantillas") / NOMBRE)


def _vista(path: Path) -> dict[str, Any]:
    """What a user sees besides ``_estilos``: each column's width (a file may give several
    columns one width), frozen panes, visibility."""
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: (
            {
                get_column_letter(c): d.width
                for d in ws.column_dimensions.values()
                if d.width
                for c in range(d.min, d.max + 1)
            },
            ws.freeze_panes,
            ws.sheet_state,
        )
        for ws in wb.worksheets
        if not plantillas.es_plantilla(ws.title) and ws.title != "Historial"  # see _estilos
    }


# Lite's operations per press on the 2011 sample, with the built workbook's templates and
# without them (a workbook built before them: each fixed top formatted action by action).
OPERACIONES_CON_PLANTILLAS = {"recalcular": 33, "informe_trimestral": 26, "generar_hojas": 104}
OPERACIONES_SIN_PLANTILLAS = {"recalcular": 52, "informe_trimestral": 44, "generar_hojas": 182}


@pytest.mark.excel
@pytest.mark.parametrize("boton", _BOTONES_QUE_ESCRIBEN, ids=lambda b: b.__name__)
@pytest.mark.parametrize("con", [True, False], ids=["con_plantillas", "sin_plantillas"])
def test_con_plantillas_lite_escribe_lo_mismo_con_menos_operaciones(
    request: pytest.FixtureRequest, tmp_path: Path, boton: Callable[..., None], con: bool
) -> None:
    """With the templates the press copies each fixed top (copySheet, its name, shown) and
    formats only the rest; without them it formats the whole sheet: either way the same
    values, styles, merges, heights, widths and panes as AplicarLote's press on the same
    workbook."""
    src: Path = request.getfixturevalue("muestra" if con else "muestra_sin_plantillas")
    resultados, cuentas = [], []
    for lite_ in (False, True):
        with remote_book(src, caller_sheet="Inicio") as book:
            boton(book, lite=lite_)
            acciones = book.json()["actions"]
        cuentas.append(acciones)
        copia = _copia(src, tmp_path / str(lite_))
        apply_actions(acciones, copia).save(copia)
        resultados.append((_estilos(copia), _vista(copia)))
    (vba, vista_vba), (con_lite_, vista_lite) = resultados
    for hoja in vba:
        if not plantillas.es_plantilla(hoja):
            assert con_lite_[hoja] == vba[hoja], hoja
    assert vista_lite == vista_vba
    funcs = [a["func"] for a in cuentas[1]]
    if boton is botones.marcar_vencidos:  # no generated sheet of its own: unchanged
        assert len(funcs) == 4 and "copySheet" not in funcs
        return
    if con:
        assert "copySheet" in funcs and "setColumnWidth" not in funcs
    else:
        assert "copySheet" not in funcs and "setColumnWidth" in funcs
    cuentas_ = OPERACIONES_CON_PLANTILLAS if con else OPERACIONES_SIN_PLANTILLAS
    assert len(funcs) == cuentas_[boton.__name__]
