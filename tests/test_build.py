"""The macro workbook: reproducible build, VBA read back exactly, buttons bound (LibreOffice)."""

import re
import sys
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from typer.testing import CliRunner

from xl_metas import build
from xl_metas.cli import app
from xl_metas.vba.project import read_modules

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support importable however pytest was started
    sys.path.insert(0, str(ROOT))


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
    assert len(names) == len(sheets) == 5
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


# --- LibreOffice, an independent office suite ----------------------------------------


def test_libreoffice_lists_modules_and_binds_every_button(fresh: Path) -> None:
    lo = pytest.importorskip("tests.support.lo")
    if lo.libreoffice_missing():
        pytest.skip(lo.libreoffice_missing())
    info = lo.inspect_workbook(fresh)
    modules = set(info["libraries"]["VBAProject"])
    assert {"Metas", "xlwings", "Dictionary", "ThisWorkbook", "HojaInicio"} <= modules
    buttons = {b["label"]: b for b in info["buttons"]["Inicio"]}
    assert list(buttons) == [b.etiqueta for b in build.BOTONES]
    for boton in build.BOTONES:
        got = buttons[boton.etiqueta]
        assert (got["library"], got["module"], got["sub"]) == ("VBAProject", "Metas", boton.sub)


def test_libreoffice_each_button_calls_its_exact_command(stub: Path) -> None:
    """Stub variant: RunPython writes its argument into Inicio!Z1; press every button."""
    lo = pytest.importorskip("tests.support.lo")
    if lo.libreoffice_missing():
        pytest.skip(lo.libreoffice_missing())
    out = lo.press_buttons(stub, [b.etiqueta for b in build.BOTONES], cells={"Inicio": ["Z1"]})
    assert [p["label"] for p in out["presses"]] == [b.etiqueta for b in build.BOTONES]
    for press, boton in zip(out["presses"], build.BOTONES, strict=True):
        assert press["cells"]["Inicio"][build.CELDA_STUB] == boton.comando


def test_headless_recalcular_keeps_vba_and_buttons(tmp_path: Path, fresh: Path) -> None:
    """After `xl-metas recalcular` on a copy: same vbaProject.bin, buttons still bound."""
    libro = tmp_path / "copia.xlsm"
    libro.write_bytes(fresh.read_bytes())
    result = CliRunner().invoke(app, ["recalcular", str(libro)])
    assert result.exit_code == 0, result.output
    assert vba_of(libro) == vba_of(fresh)
    lo = pytest.importorskip("tests.support.lo")
    if lo.libreoffice_missing():
        pytest.skip(lo.libreoffice_missing())
    info = lo.inspect_workbook(libro)
    bound = [(b["module"], b["sub"]) for b in info["buttons"]["Inicio"]]
    assert bound == [("Metas", b.sub) for b in build.BOTONES]
