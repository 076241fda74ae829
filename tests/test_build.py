"""The macro workbook: reproducible build, VBA read back exactly, buttons bound (LibreOffice)."""

import re
import sys
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from typer.testing import CliRunner

from xl_metas import build, plantillas
from xl_metas.cli import app
from xl_metas.grid import recortar
from xl_metas.lectura import leer
from xl_metas.vba.project import read_modules
from xl_metas.workbook_file import LibroArchivo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support importable however pytest was started
    sys.path.insert(0, str(ROOT))

from tests.support import vba_estricto  # noqa: E402
from tests.support.lo import (  # noqa: E402
    inspect_workbook,
    invoke_macros,
    press_buttons,
    require_libreoffice,
)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.construir(tmp_path_factory.mktemp("build") / "Metas2011.xlsm")


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stub") / "Metas2011-stub.xlsm"
    return build.construir(path, stub_runpython=True)


def vba_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def test_fresh_build_equals_committed_workbook(fresh: Path) -> None:
    assert fresh.read_bytes() == build.LIBRO.read_bytes(), (
        "workbook/Metas2011.xlsm está desactualizado: ejecute `make workbook`"
    )


def test_cli_construir(tmp_path: Path, fresh: Path) -> None:
    out = tmp_path / "libro.xlsm"
    result = CliRunner().invoke(app, ["construir", "--salida", str(out)])
    assert result.exit_code == 0, result.output
    assert "Se construyó" in result.output
    assert out.read_bytes() == fresh.read_bytes()


def test_olevba_reads_every_module_exactly(fresh: Path) -> None:
    hojas = build.workbook_sheets(build.read_document(build.DOCUMENTO_2011))
    expected = {m.name: m.source for m in build.vba_modules(hojas)}
    parser = VBA_Parser(str(fresh))
    got = {path.split("/")[-1]: code for _, path, _, code in parser.extract_macros()}
    parser.close()
    assert got == expected
    assert {"Metas", "xlwings", "Dictionary", "ThisWorkbook"} <= set(got)


def test_xlwings_module_is_the_installed_one(fresh: Path) -> None:
    import xlwings

    mods = {m.name: m for m in read_modules(vba_of(fresh))}
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in mods["xlwings"].source


def test_each_button_sub_is_one_runpython_call(fresh: Path) -> None:
    metas = {m.name: m for m in read_modules(vba_of(fresh))}["Metas"].source
    for boton in build.BOTONES:
        body = re.search(rf"Public Sub {boton.sub}\(\)\r\n(.*?)End Sub", metas, re.S)
        assert body, boton.sub
        assert body.group(1).strip() == f'RunPython "{boton.comando}"'


def test_every_sheet_has_a_code_name_and_document_module(fresh: Path) -> None:
    with zipfile.ZipFile(fresh) as z:
        workbook = z.read("xl/workbook.xml").decode()
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        code_names = [
            re.search(r'<sheetPr[^>]*codeName="([^"]+)"', z.read(n).decode()) for n in sheets
        ]
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode()
    assert all(code_names)
    names = {m.group(1) for m in code_names if m}
    # five sheets, Avance's hidden colour mirror and the five templates Lite copies
    assert len(names) == len(sheets) == 6 + 5
    assert 'codeName="ThisWorkbook"' in workbook
    kinds = {m.name: m.kind for m in read_modules(vba_of(fresh))}
    assert all(kinds[n] == "document" for n in names | {"ThisWorkbook"})
    macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert macros == [b.sub for b in build.BOTONES]


def test_xlwings_conf_sheet_is_hidden_with_keys_from_a1(fresh: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(fresh, keep_vba=True)
    conf = book["xlwings.conf"]
    assert conf.sheet_state == "hidden"
    keys = [conf.cell(i + 1, 1).value for i in range(len(build.XLWINGS_CONF))]
    assert keys == [k for k, _ in build.XLWINGS_CONF]
    assert conf.cell(len(keys) + 1, 1).value is None  # xlwings reads A1 down to the first gap
    assert book.sheetnames[0] == "Inicio"


def test_the_templates_lite_copies_are_very_hidden_at_the_end(fresh: Path) -> None:
    """One template per fixed top the buttons write for this plan (Validación, Resumen, the
    area sheets, the quarterly report closed and preliminary), with no values, very hidden,
    after the user's sheets; readers list none of them."""
    from openpyxl import load_workbook

    book = load_workbook(fresh, keep_vba=True)
    nombres = [n for n in book.sheetnames if plantillas.es_plantilla(n)]
    assert len(nombres) == 5 and book.sheetnames[-5:] == nombres
    plan = build.read_document(build.DOCUMENTO_2011)
    hojas = build.workbook_sheets(plan)
    esperadas = [h.contenido for h in hojas if plantillas.es_plantilla(h.contenido.nombre)]
    assert [h.nombre for h in esperadas] == nombres
    for hoja in esperadas:
        ws = book[hoja.nombre]
        assert ws.sheet_state == "veryHidden"
        assert ws.freeze_panes == hoja.congelar
        assert all(c.value is None for fila in ws.iter_rows() for c in fila)
        assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(hoja.combinadas)
    assert not any(plantillas.es_plantilla(h) for h in leer(LibroArchivo(fresh)).hojas)


# --- LibreOffice, an independent office suite ----------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_lists_modules_and_binds_every_button(fresh: Path) -> None:
    require_libreoffice()
    info = inspect_workbook(fresh)
    modules = set(info["libraries"]["VBAProject"])
    assert {"Metas", "xlwings", "Dictionary", "ThisWorkbook", "HojaInicio"} <= modules
    buttons = {b["label"]: b for b in info["buttons"]["Inicio"]}
    assert list(buttons) == [b.etiqueta for b in build.BOTONES]
    for boton in build.BOTONES:
        got = buttons[boton.etiqueta]
        assert (got["library"], got["module"], got["sub"]) == ("VBAProject", "Metas", boton.sub)


@pytest.mark.libreoffice
def test_libreoffice_each_button_calls_its_exact_command(stub: Path) -> None:
    """Stub variant: RunPython writes its argument into Inicio!Z1; press every button."""
    require_libreoffice()
    out = press_buttons(stub, [b.etiqueta for b in build.BOTONES], cells={"Inicio": ["Z1"]})
    assert [p["label"] for p in out["presses"]] == [b.etiqueta for b in build.BOTONES]
    for press, boton in zip(out["presses"], build.BOTONES, strict=True):
        assert press["cells"]["Inicio"][build.CELDA_STUB] == boton.comando


def _macro_url(sub: str) -> str:
    return f"vnd.sun.star.script:VBAProject.Metas.{sub}?language=Basic&location=document"


def test_helper_subs_are_announced_by_a_defined_name(fresh: Path) -> None:
    from openpyxl import load_workbook

    from xl_metas.workbook_xlwings import MACROS_AYUDA, NOMBRE_MACROS

    metas = {m.name: m for m in read_modules(vba_of(fresh))}["Metas"].source
    for sub in MACROS_AYUDA:  # helpers, not buttons: no button is bound to them
        assert f"Public Sub {sub}(ByVal hoja As String, ByVal " in metas
        assert sub not in {b.sub for b in build.BOTONES}
    book = load_workbook(fresh, keep_vba=True)
    assert book.defined_names[NOMBRE_MACROS].attr_text == "'xlwings.conf'!$D$1"
    assert book["xlwings.conf"]["D1"].value == ";".join(MACROS_AYUDA)


@pytest.mark.libreoffice
def test_libreoffice_runs_the_helper_subs(stub: Path, tmp_path: Path) -> None:
    """The VBA of CombinarRangos/AltosDeFila compiles and works (LibreOffice's VBA mode):
    the remote engine only records the runMacro call, this runs the Subs themselves."""
    require_libreoffice()
    from openpyxl import load_workbook

    guardado = tmp_path / "ayudas.xlsx"
    out = invoke_macros(
        stub,
        [
            (_macro_url("CombinarRangos"), ["Inicio", "D3:D5;F3:G3; B8:C8"]),
            (_macro_url("AltosDeFila"), ["Inicio", "20:21=40;23=55.5"]),
        ],
        save_as=guardado,
    )
    assert [c["error"] for c in out["calls"]] == [None, None], out
    ws = load_workbook(guardado)["Inicio"]
    assert {"D3:D5", "F3:G3", "B8:C8"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["B8"].value  # the merge keeps the top-left text (the objetivo)
    heights = {r: ws.row_dimensions[r].height for r in (20, 21, 23)}
    assert heights == {20: 40, 21: 40, 23: 55.5}


@pytest.mark.libreoffice
def test_libreoffice_runs_aplicar_lote(stub: Path, tmp_path: Path) -> None:
    """AplicarLote compiles and does what tests/support/remote.py replays (LibreOffice's VBA
    mode; the lines as LibroXlwings writes them): a sheet added after its anchor, a staged
    block copied, styles, widths, heights, merges, a hidden sheet, a deleted one, the
    staging area cleared."""
    require_libreoffice()
    from openpyxl import load_workbook

    from xl_metas.workbook_xlwings import Lote

    lote = Lote("xlwings.conf")
    lote.linea("N", "Nueva", "Inicio", "")
    lote.valores("Nueva", 2, 2, [["Meta", "Total"], [7, 21.5]])
    lote.linea("F", "Nueva", "negrita", "1", "B2:C2")
    lote.linea("F", "Nueva", "relleno", "C6EFCE", "B3;C3")
    lote.linea("F", "Nueva", "formato", "0.0", "C3")
    lote.linea("W", "Nueva", "B:C=30;E:E=5.5")
    lote.linea("H", "Nueva", "2=33")
    lote.linea("M", "Nueva", "E2:F3")
    # Freeze panes run (the lines after it must still happen) but LibreOffice's VBA keeps
    # no frozen window in the saved copy; charts (ChartObjects.Add) stop its VBA: neither is
    # checked here, both are the standard Excel object model (Excel, not run).
    lote.linea("Z", "Nueva", "A3")
    lote.linea("N", "Oculta", "Nueva", "")
    lote.linea("O", "Oculta")
    lote.linea("N", "Borrada", "Oculta", "")
    lote.linea("Q", "Borrada")
    origen = load_workbook(stub, keep_vba=True)
    conf = origen["xlwings.conf"]
    for r, fila in enumerate(lote.filas, start=1):
        for c, valor in enumerate(fila, start=27):
            conf.cell(r, c).value = valor[1:] if isinstance(valor, str) else valor
    preparado = tmp_path / "lote.xlsm"
    origen.save(preparado)
    orden = "\n".join(["K\tAA1:AB2", *lote.lineas])
    guardado = tmp_path / "lote.xlsx"
    out = invoke_macros(
        preparado, [(_macro_url("AplicarLote"), ["xlwings.conf", orden])], save_as=guardado
    )
    assert [c["error"] for c in out["calls"]] == [None], out
    wb = load_workbook(guardado)
    nombres = wb.sheetnames
    assert nombres[nombres.index("Inicio") + 1 : nombres.index("Inicio") + 3] == [
        "Nueva",
        "Oculta",
    ]
    assert "Borrada" not in nombres and wb["Oculta"].sheet_state == "hidden"
    ws = wb["Nueva"]
    assert [[c.value for c in fila] for fila in ws["B2:C3"]] == [["Meta", "Total"], [7, 21.5]]
    assert ws["B2"].font.b and ws["C2"].font.b and not ws["B3"].font.b
    assert ws["B3"].fill.fgColor.rgb[-6:] == ws["C3"].fill.fgColor.rgb[-6:] == "C6EFCE"
    assert ws["C3"].number_format == "0.0"
    assert ws.column_dimensions["B"].width == pytest.approx(30, abs=1.5)  # LO rounds to its units
    assert ws.row_dimensions[2].height == pytest.approx(33)
    assert "E2:F3" in {str(r) for r in ws.merged_cells.ranges}
    conf = wb["xlwings.conf"]
    assert all(conf.cell(r, c).value is None for r in (1, 2) for c in (27, 28))


@pytest.mark.libreoffice
def test_headless_recalcular_keeps_vba_and_buttons(tmp_path: Path, fresh: Path) -> None:
    """After `xl-metas recalcular` on a copy: our modules as built, one more document
    module per sheet added (Validación, Resumen and the hidden Historial), buttons still
    bound."""
    libro = tmp_path / "copia.xlsm"
    libro.write_bytes(fresh.read_bytes())
    result = CliRunner().invoke(app, ["recalcular", str(libro)])
    assert result.exit_code == 0, result.output
    built = {m.name: m for m in read_modules(vba_of(fresh))}
    now = {m.name: m for m in read_modules(vba_of(libro))}
    assert set(now) - set(built) == {"HojaValidacion", "HojaResumen", "HojaHistorial"}
    assert all(now[n] == m for n, m in built.items())
    vba_estricto.revisar(libro)
    require_libreoffice()
    info = inspect_workbook(libro)
    bound = [(b["module"], b["sub"]) for b in info["buttons"]["Inicio"]]
    assert bound == [("Metas", b.sub) for b in build.BOTONES]


# --- the shipped Avance, Configuración, legend and colour rules ----------------------


def _values(path: Path, sheet: str) -> list[list[object]]:
    from openpyxl import load_workbook

    rows = load_workbook(path, keep_vba=True)[sheet].iter_rows(values_only=True)
    return _plain([list(r) for r in rows])


def _plain(rows: list[list[object]]) -> list[list[object]]:
    return recortar([[None if v == "" else v for v in row] for row in rows])


def test_avance_and_configuracion_are_the_core_renderers(fresh: Path) -> None:
    from xl_metas.avance import avance_sheet
    from xl_metas.config import config_sheet, read_config
    from xl_metas.grid import Grid

    plan = build.read_document(build.DOCUMENTO_2011)
    assert _values(fresh, "Avance") == _plain(avance_sheet(plan).filas)
    config = build.configuracion(plan)
    assert _values(fresh, "Configuración") == _plain(config_sheet(config).filas)
    leida, hallazgos = read_config(Grid("x", "Configuración", _values(fresh, "Configuración")))
    assert hallazgos == [] and leida.anio == 2011 and leida.fecha_corte is None


def test_inicio_legend_is_estados_leyenda(fresh: Path) -> None:
    from openpyxl import load_workbook

    from xl_metas.estados import leyenda_filas

    ws = load_workbook(fresh, keep_vba=True)["Inicio"]
    rows = [(c.value, c.fill) for c in ws["A"]]
    start = next(i for i, (v, _) in enumerate(rows) if v == "Leyenda de colores") + 1
    legend = leyenda_filas()
    assert {"En curso", "Sin programado"} <= {n for n, _, _ in legend}
    for i, (name, color, description) in enumerate(legend):
        value, fill = rows[start + i]
        assert value == name
        assert ws.cell(start + i + 1, 2).value == description
        got = fill.fgColor.rgb[-6:] if fill.fill_type == "solid" else None
        assert got == color, name


def _colour_rules(path: Path) -> list[tuple[str, str, str]]:
    from openpyxl import load_workbook

    ws = load_workbook(path, keep_vba=True)["Avance"]
    return [
        (str(cf.sqref), rule.formula[0], rule.dxf.fill.bgColor.rgb[-6:])
        for cf in ws.conditional_formatting
        for rule in cf.rules
    ]


def test_avance_ships_its_mirror_sheet_and_colour_rules(fresh: Path) -> None:
    from openpyxl import load_workbook

    from xl_metas.render import PALETA, hoja_espejo

    book = load_workbook(fresh, keep_vba=True)
    mirror = book[hoja_espejo("Avance")]
    assert mirror.sheet_state == "hidden"
    assert mirror.sheet_properties.codeName == "Hoja_Colores_Avance"
    kinds = {m.name: m.kind for m in read_modules(vba_of(fresh))}
    assert kinds["Hoja_Colores_Avance"] == "document"
    from xl_metas.avance import avance_sheet

    reglas = build.reglas_avance(avance_sheet(build.read_document(build.DOCUMENTO_2011)))
    assert reglas.rangos == ("D5:O1048576", "U5:U1048576")  # ENE…DIC and SEMÁFORO
    sqref = " ".join(reglas.rangos)
    assert _colour_rules(fresh) == [(sqref, f, c) for f, c in reglas.reglas]
    assert [c for _, _, c in _colour_rules(fresh)] == list(PALETA)


def test_colorear_on_the_shipped_workbook_adds_nothing(tmp_path: Path, fresh: Path) -> None:
    """The file adapter finds its own mirror and rules already there: no change at all."""
    from xl_metas.avance import avance_table
    from xl_metas.seguimiento import area_colores

    libro = tmp_path / "copia.xlsm"
    libro.write_bytes(fresh.read_bytes())
    archivo = LibroArchivo(libro)
    area = area_colores(avance_table(archivo.leer("Avance")))
    archivo.colorear("Avance", area, {})
    assert archivo.cambios == 0
    assert archivo.guardar() is False


def test_headless_vencidos_adds_no_columns_nor_rules(tmp_path: Path, fresh: Path) -> None:
    libro = tmp_path / "copia.xlsm"
    libro.write_bytes(fresh.read_bytes())
    header = _values(fresh, "Avance")[3]
    rules = _colour_rules(fresh)
    sheets = LibroArchivo(fresh).hojas()
    result = CliRunner().invoke(app, ["vencidos", str(libro)])
    assert result.exit_code == 0, result.output
    assert _values(libro, "Avance")[3] == header  # no column appended
    assert _colour_rules(libro) == rules  # same rules, none duplicated
    # The mirror was already there; the first command adds only the Historial (its
    # baseline) and, with it, its sheet's document module in the VBA project.
    assert LibroArchivo(libro).hojas() == [*sheets, "Historial"]
    assert vba_of(libro) != vba_of(fresh)
    data = libro.read_bytes()
    result = CliRunner().invoke(app, ["vencidos", str(libro)])
    assert result.exit_code == 0, result.output
    assert "no se modificó" in result.output
    assert libro.read_bytes() == data


def test_buttons_are_wide_enough_for_their_captions(fresh: Path) -> None:
    with zipfile.ZipFile(fresh) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode()
    widths = [float(w) for w in re.findall(r"width:([\d.]+)pt", vml)]
    assert len(widths) == len(build.BOTONES)
    assert all(170 <= w <= 190 for w in widths)
    # the column holding them is wider than the buttons (Excel: 7 px per character + 5)
    assert build.ANCHO_COLUMNA_BOTONES * 7 + 5 > build.ANCHO_BOTON_PX + 2


def test_the_modules_besides_the_sheets_are_the_ones_listed() -> None:
    """code_name avoids NOMBRES_MODULOS: it must name every module that is not a sheet's."""
    hojas = build.workbook_sheets(build.read_document(build.DOCUMENTO_2011))
    codigos = {h.codigo for h in hojas}
    for stub in (False, True):
        otros = {m.name for m in build.vba_modules(hojas, stub)} - codigos
        assert otros <= set(build.NOMBRES_MODULOS)
