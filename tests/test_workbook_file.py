"""The file adapter: VBA kept byte for byte, text never becomes a formula, safe saves."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font, PatternFill
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from tests.support import vba_estricto
from tests.support.libros_vba import flujos
from tests.support.planes import DOCUMENTO_2011, XLWINGS_XLSM, meta_row
from xl_metas import guardado, operaciones
from xl_metas.cli import app
from xl_metas.errors import EscrituraError
from xl_metas.escrituras import _planas
from xl_metas.importer import read_document
from xl_metas.workbook_file import LibroArchivo, backup_path, crear_libro


def vba_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/vbaProject.bin")


def test_xlsm_keeps_its_vba_project_and_gains_the_new_sheets_modules(xlwings_xlsm):
    """xlwings' own macro workbook: the sheets we add get their document modules in the
    same save; every other stream of its project stays byte for byte."""
    original = vba_bytes(XLWINGS_XLSM)
    libro = LibroArchivo(xlwings_xlsm)
    libro.poner_hoja(operaciones.plan_sheet(read_document(DOCUMENTO_2011)))
    assert libro.guardar()
    result = CliRunner().invoke(app, ["recalcular", str(xlwings_xlsm)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(xlwings_xlsm) as archive:
        content_types = archive.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types
    wb = openpyxl.load_workbook(xlwings_xlsm, keep_vba=True)
    assert {"Plan", "Validación"} <= set(wb.sheetnames)
    assert wb["Plan"].sheet_properties.codeName == "HojaPlan"
    assert wb["Validación"].sheet_properties.codeName == "HojaValidacion"
    antes, despues = flujos(original)[0], flujos(vba_bytes(xlwings_xlsm))[0]
    assert set(despues) - set(antes) == {"VBA/HojaPlan", "VBA/HojaValidacion"}
    cambiados = {n for n in antes if antes[n] != despues[n]}
    assert cambiados == {"PROJECT", "PROJECTwm", "VBA/dir"}
    vba_estricto.revisar(xlwings_xlsm)


def test_text_that_looks_like_a_formula_stays_text(make_plan):
    formula = '=HYPERLINK("http://x","y")'
    path = make_plan([meta_row(1, descripcion=formula, unidad="=1+2", anual=13)])
    libro = LibroArchivo(path)
    operaciones.recalcular(libro)
    libro.escribir("Plan", 30, 1, [[formula]])
    assert libro.guardar()
    wb = openpyxl.load_workbook(path)
    for cell in (wb["Plan"]["D5"], wb["Plan"]["E5"], wb["Plan"]["A30"]):
        assert cell.data_type == "s", cell.coordinate
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Plan").to_python()
    assert values[29][0] == formula


def test_failed_save_leaves_the_file_and_no_litter(plan_2011, monkeypatch):
    original = plan_2011.read_bytes()
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)

    def broken(self, destino):
        destino.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(EscrituraError, match="No hay espacio en el disco.*no se modificó"):
        libro.guardar()
    assert plan_2011.read_bytes() == original
    lock = guardado.archivo_bloqueo(plan_2011).name  # kept: waiters share its inode
    assert sorted(p.name for p in plan_2011.parent.iterdir()) == [lock, plan_2011.name]


def test_no_change_no_save(plan_2011):
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    assert libro.guardar()
    stamp = plan_2011.stat().st_mtime_ns
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    assert libro.cambios == 0 and not libro.guardar()
    assert plan_2011.stat().st_mtime_ns == stamp


def test_sheet_names_resolve_without_accents_or_case(plan_2011):
    libro = LibroArchivo(plan_2011)
    operaciones.recalcular(libro)
    libro.guardar()
    libro = LibroArchivo(plan_2011)
    assert libro.resolver("validacion") == "Validación"
    assert libro.leer("PLAN").hoja == "Plan"


# -- the fast save path: pending cell writes saved by patching worksheet XML ------------------
ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "workbook" / "Metas2011.xlsm"


def _sin_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any openpyxl load fail: the fast path must not need it."""

    def prohibido(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl.load_workbook called on the fast path")

    monkeypatch.setattr(openpyxl, "load_workbook", prohibido)


@pytest.fixture
def datos(tmp_path: Path) -> Path:
    """A small workbook: styled cells, a formula, a gap row, and a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Datos"
    ws["A1"] = "Título"
    ws["A1"].font = Font(bold=True, color="FF0000")
    ws["B2"] = 3
    ws["B2"].number_format = "0.00"
    ws["C2"] = "texto"
    ws["D2"] = "=B2*2"
    ws["B5"] = 1
    ws["E5"] = "fin"
    ws["C4"].fill = PatternFill("solid", fgColor="FFFF00")  # styled, no value
    wb.create_sheet("Otra")["A1"] = "otra"
    path = tmp_path / "datos.xlsx"
    wb.save(path)
    return path


def _calamine(path: Path, hoja: str = "Datos") -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(hoja).to_python()


def test_fast_path_values_text_and_new_rows(datos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _sin_openpyxl(monkeypatch)
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 2, 2, [[4, "=SUMA(A1)"]])  # B2 number, C2 text that looks a formula
    libro.escribir("Datos", 3, 1, [["nueva fila", None, 2.5]])  # a row that did not exist
    libro.escribir("Datos", 4, 3, [["  con espacios <&> \n"]])  # styled empty cell
    libro.escribir("Datos", 5, 3, [[True]])  # inserted between B5 and E5
    libro.escribir("Datos", 5, 5, [[None]])  # cleared
    libro.escribir("Datos", 9, 7, [["más allá"]])  # beyond the last row and column
    assert libro.leer("Datos").value(2, 3) == "=SUMA(A1)"  # reads see pending writes
    assert libro.cambios == 8
    assert libro.guardar()
    monkeypatch.undo()
    assert backup_path(datos).exists()

    rows = _calamine(datos)
    assert rows[1][1:3] == [4, "=SUMA(A1)"]
    assert rows[2][:3] == ["nueva fila", "", 2.5]
    assert rows[3][2] == "  con espacios <&> \n"
    assert rows[4][1:5] == [1, True, "", ""]
    assert rows[8][6] == "más allá"
    wb = openpyxl.load_workbook(datos)
    ws = wb["Datos"]
    assert ws["C2"].value == "=SUMA(A1)" and ws["C2"].data_type == "s"
    assert ws["C2"].quotePrefix  # stays text when edited in Excel
    assert ws["B2"].number_format == "0.00"  # style kept
    assert ws["A1"].font.bold and ws["C4"].fill.fgColor.rgb.endswith("FFFF00")
    assert ws["D2"].value == "=B2*2"  # the formula untouched
    assert ws["E5"].value is None
    assert ws.max_row == 9 and ws.max_column == 7  # <dimension> widened
    assert wb["Otra"]["A1"].value == "otra"
    with zipfile.ZipFile(datos) as z, zipfile.ZipFile(backup_path(datos)) as antes:
        assert z.testzip() is None  # every member's CRC checks
        cambiadas = {"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml"}
        for name in antes.namelist():
            if name not in cambiadas:  # the other sheet, shared strings, rels, …: as they were
                assert z.read(name) == antes.read(name), name
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml").split(b"D2")[0]


def test_fast_path_no_change_no_save_and_twice(datos: Path) -> None:
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 2, 2, [[3, "texto"]])  # what is there already
    libro.escribir("Datos", 7, 1, [[None, ""]])  # blanks where nothing is
    assert libro.cambios == 0 and not libro.guardar()
    libro.escribir("Datos", 7, 1, [["x", 1]])
    assert libro.guardar()
    stamp = datos.read_bytes()
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 7, 1, [["x", 1.0]])
    assert libro.cambios == 0 and not libro.guardar()
    assert datos.read_bytes() == stamp


def test_fast_path_falls_back_to_openpyxl_on_a_formula(datos: Path) -> None:
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 3, 1, [["antes"]])  # pending...
    assert libro._wb is None
    libro.escribir("Datos", 2, 4, [[6]])  # D2 holds a formula: found when saving
    assert libro.guardar()
    assert libro._wb is not None  # saved through openpyxl, the pending writes replayed
    ws = openpyxl.load_workbook(datos)["Datos"]
    assert ws["D2"].value == 6 and ws["A3"].value == "antes"


def test_fast_path_then_a_sheet_operation_replays_the_writes(datos: Path) -> None:
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 3, 1, [["=1+1"]])
    libro.quitar_hoja("Otra")  # needs openpyxl
    assert libro.guardar()
    wb = openpyxl.load_workbook(datos)
    assert wb.sheetnames == ["Datos"]
    assert wb["Datos"]["A3"].value == "=1+1" and wb["Datos"]["A3"].data_type == "s"


def test_failed_fast_save_leaves_the_file_and_no_litter(datos: Path, monkeypatch) -> None:
    original = datos.read_bytes()
    libro = LibroArchivo(datos)
    libro.escribir("Datos", 2, 2, [[8]])

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(guardado.os, "replace", broken)
    with pytest.raises(EscrituraError, match="No hay espacio en el disco.*no se modificó"):
        libro.guardar()
    assert datos.read_bytes() == original
    lock = guardado.archivo_bloqueo(datos).name
    assert sorted(p.name for p in datos.parent.iterdir()) == [lock, datos.name]


@pytest.mark.libreoffice
def test_fast_path_on_the_macro_workbook_keeps_vba_and_buttons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.lo import inspect_workbook, require_libreoffice

    path = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(SHIPPED, path)
    _sin_openpyxl(monkeypatch)
    libro = LibroArchivo(path)
    libro.escribir("Avance", 5, 4, [[3, 2]])
    libro.escribir("Avance", 6, 22, [["=no es fórmula"]])
    assert libro.guardar()
    monkeypatch.undo()
    with zipfile.ZipFile(SHIPPED) as antes, zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        cambiadas = {"xl/worksheets/sheet3.xml", "xl/styles.xml", "xl/workbook.xml"}
        assert antes.namelist() == z.namelist()
        for name in antes.namelist():
            if name not in cambiadas:
                assert z.read(name) == antes.read(name), name
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb["Avance"]["D5"].value == 3 and wb["Avance"]["V6"].value == "=no es fórmula"
    require_libreoffice()
    info = inspect_workbook(path, cells={"Avance": ["D5", "E5", "V6"]})
    assert info["cells"]["Avance"] == {"D5": 3.0, "E5": 2.0, "V6": "=no es fórmula"}
    assert [b["sub"] for b in info["buttons"]["Inicio"]] == [
        b["sub"] for b in inspect_workbook(SHIPPED)["buttons"]["Inicio"]
    ]
    assert all(b["library"] == "VBAProject" for b in info["buttons"]["Inicio"])


_celdas = st.tuples(st.integers(1, 12), st.integers(1, 8))
_valores = st.one_of(
    st.none(),
    st.just(""),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.text(alphabet="aé =<&>\n\"'x1", max_size=12),
    st.just(float("nan")),  # written as a blank
    st.just("\x01\x0b"),  # control characters only: a line break, the other dropped
    st.just("\x02"),  # nothing left: a blank
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_celdas, _valores), min_size=1, max_size=30))
def test_fast_path_matches_the_openpyxl_path(
    datos: Path, escrituras: list[tuple[tuple[int, int], Any]]
) -> None:
    escrituras = [(rc, v) for rc, v in escrituras if rc != (2, 4)]  # D2 is a formula
    rapido, lento = datos.with_name("rapido.xlsx"), datos.with_name("lento.xlsx")
    shutil.copyfile(datos, rapido)
    shutil.copyfile(datos, lento)
    a, b = LibroArchivo(rapido), LibroArchivo(lento)
    b._book()  # the openpyxl path from the start
    for (r, c), v in escrituras:
        a.escribir("Datos", r, c, [[v]])
        b.escribir("Datos", r, c, [[v]])
    assert a._wb is None
    assert a.cambios == b.cambios
    assert a.guardar() == b.guardar()
    assert _aprox(_calamine(rapido)) == _aprox(_calamine(lento))
    assert _openpyxl_values(rapido) == _openpyxl_values(lento)


def _aprox(rows: list[list[Any]]) -> list[list[Any]]:
    """openpyxl writes floats with fewer digits than repr (the fast path keeps them all), and
    calamine reads a whitespace-only string saved by openpyxl as empty."""
    return [[_aprox_one(v) for v in row] for row in rows]


def _aprox_one(v: Any) -> Any:
    if isinstance(v, float):
        return float(f"{v:.12g}")
    return "" if isinstance(v, str) and not v.strip() else v


def _openpyxl_values(path: Path) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path)["Datos"]
    return _aprox(_planas([[c.value for c in row] for row in ws.iter_rows()]))


def test_reemplazar_partes_copies_the_others_or_rewrites_them() -> None:
    """One part of a package replaced: the other parts' compressed bytes are copied; a zip
    the raw copy does not handle (here a bzip2 member) is written again instead."""
    import io

    from xl_metas.sheet_patch import reemplazar_partes

    for metodo in (zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("a.xml", b"<a/>", compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("b.bin", b"b" * 1000, compress_type=metodo)
        nuevo = reemplazar_partes(buffer.getvalue(), {"a.xml": b"<nuevo/>"})
        with zipfile.ZipFile(io.BytesIO(nuevo)) as z:
            assert z.namelist() == ["a.xml", "b.bin"]
            assert (z.read("a.xml"), z.read("b.bin")) == (b"<nuevo/>", b"b" * 1000)
            assert z.testzip() is None


# -- whole sheets written as XML and grafted, without openpyxl (issue 16) ------------------
def _aspecto(ws: Any) -> list[Any]:
    """Everything a person sees of a generated sheet, as openpyxl reads it back."""
    celdas = [
        (
            c.coordinate,
            c.value,
            c.font.b,
            c.font.sz,
            c.font.color.rgb if c.font.color is not None else None,
            c.fill.fill_type,
            c.fill.fgColor.rgb if c.fill.fill_type else None,
            c.border.left.style,
            c.alignment.horizontal,
            c.alignment.vertical,
            bool(c.alignment.wrap_text),
            c.number_format,
            c.quotePrefix,
            c.hyperlink.location if c.hyperlink else None,
        )
        for row in ws.iter_rows()
        for c in row
        if c.value is not None or c.has_style
    ]
    return [
        celdas,
        sorted(str(r) for r in ws.merged_cells.ranges),
        {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
        {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        ws.freeze_panes,
        ws.print_title_rows,
        ws.page_setup.orientation,
        ws.sheet_state,
        len(ws._charts),
    ]


def _sin_openpyxl(monkeypatch: pytest.MonkeyPatch) -> Any:
    """openpyxl.load_workbook made to fail until ``monkeypatch.undo()`` (the path under
    test must not load the workbook); the real one, to read the results back."""
    cargar = openpyxl.load_workbook

    def prohibido(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl.load_workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", prohibido)
    return cargar


def test_hojas_generadas_sin_openpyxl_se_ven_igual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """recalcular on a workbook as importar makes it, Avance filled: Validación and
    Resumen are written as XML and grafted (openpyxl never loads the workbook), and read
    back as the openpyxl path writes them; the VBA project gets their document modules."""
    from bench.generador import escribir_libro

    origen = escribir_libro(tmp_path / "Metas.xlsm", 40, 3, 0.2, muestra=True, futuros=0.2)
    rapido, lento = tmp_path / "rapido.xlsm", tmp_path / "lento.xlsm"
    shutil.copyfile(origen, rapido)
    shutil.copyfile(origen, lento)
    libro = LibroArchivo(lento)
    libro._book()  # the openpyxl path, as before
    operaciones.recalcular(libro)
    assert libro.guardar(respaldo=False)

    cargar = _sin_openpyxl(monkeypatch)
    libro = LibroArchivo(rapido)
    operaciones.recalcular(libro)
    assert libro.guardar(respaldo=False)
    segundo = LibroArchivo(rapido)
    operaciones.recalcular(segundo)
    assert segundo.guardar(respaldo=False) is False  # a rerun changes nothing
    monkeypatch.undo()

    a, b = cargar(rapido, keep_vba=True), cargar(lento, keep_vba=True)
    assert a.sheetnames == b.sheetnames
    for hoja in ("Validación", "Resumen", "Plan", "Avance"):
        assert _aspecto(a[hoja]) == _aspecto(b[hoja]), hoja
    vba_estricto.revisar(rapido)


def test_filas_con_textos_dificiles_sin_openpyxl_se_ven_igual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows the XML writer builds whole (text, numbers, links, blanks) and rows it writes
    cell by cell (text to escape or clean, booleans, infinities) read back as the openpyxl
    path writes them: quote prefix on text Excel would take for a formula, spaces kept at
    either end, control characters dropped, styled blanks kept, heights and links."""
    from xl_metas.render import Enlace, Estilo, HojaGenerada

    enlace = Enlace("F5", "Plan", "F5")
    filas: list[list[Any]] = [
        ["Título", None, None, None],
        [" con espacio", "al final ", "=no es fórmula", "+1"],
        ["-2", "@a", "normal", 7],
        [1.5, enlace, Enlace("=B2", "Plan", "B2"), Enlace("", "Plan", "C3")],
        ["a & b < c > d", "línea\runo", "tab\x0bvertical", "ok"],
        [True, float("inf"), float("nan"), ""],
        ["", None, "fin", None],
        [None, None, None, None],
        ["solo", None, 3, 4.25],
    ]
    hoja = HojaGenerada(
        "Prueba",
        filas,
        estilos=[
            ("A1", Estilo(negrita=True, tamano=14)),
            ("A2:D4", Estilo(borde=True, ajustar=True)),
            ("B3:D6", Estilo(relleno="FFEB9C")),
            ("D7", Estilo(formato="0%")),
        ],
        altos={2: 30, 8: 20},
        anchos={"A": 20},
    )
    rapido, lento = tmp_path / "rapido.xlsx", tmp_path / "lento.xlsx"
    for ruta in (rapido, lento):
        crear_libro(ruta, [HojaGenerada("Plan", [["x"]])])
    libro = LibroArchivo(lento)
    libro._book()  # the openpyxl path
    libro.poner_hoja(hoja)
    assert libro.guardar(respaldo=False)
    cargar = _sin_openpyxl(monkeypatch)
    libro = LibroArchivo(rapido)
    libro.poner_hoja(hoja)
    assert libro.guardar(respaldo=False)
    monkeypatch.undo()
    a, b = cargar(rapido)["Prueba"], cargar(lento)["Prueba"]
    # Two cells where the XML is the more faithful: a carriage return stays one (openpyxl
    # writes it raw, read back as a line feed) and a link whose text starts with "=" gets
    # the quote prefix as any other such text (openpyxl's path leaves it without).
    distintas = {"B5", "C4"}
    vistas_a, vistas_b = _aspecto(a), _aspecto(b)
    vistas_a[0] = [c for c in vistas_a[0] if c[0] not in distintas]
    vistas_b[0] = [c for c in vistas_b[0] if c[0] not in distintas]
    assert vistas_a == vistas_b
    assert (a["C4"].value, a["C4"].quotePrefix, a["C4"].hyperlink.location) == (
        "=B2",
        True,
        "'Plan'!B2",
    )
    assert a["A2"].value == " con espacio" and a["B2"].value == "al final "
    assert a["C2"].quotePrefix and a["C2"].value == "=no es fórmula"
    assert a["B5"].value == "línea\runo" and a["C5"].value == "tab\nvertical"
    assert a["B4"].hyperlink.location == "'Plan'!F5"
