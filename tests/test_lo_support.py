"""LibreOffice tooling (tests/support/lo.py) proven on real files.

- xlwings' own quickstart_standalone.xlsm: LibreOffice lists its VBA modules.
- an .xlsm built with XlsxWriter (vbaProject.bin taken from the quickstart) with a form
  button: the button and its bound macro are listed, and pressing it runs the real
  ``Module1.SampleCall`` once the modules LibreOffice cannot compile are stubbed.
- an .ods built through UNO with a Basic Sub and a bound button: pressing it writes a cell.
- rendering to PNG: pages, sheet choice, colours visible, input untouched.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support importable however pytest was started
    sys.path.insert(0, str(ROOT))

from tests.support import lo  # noqa: E402
from tests.support.png import read_png_rgb  # noqa: E402

pytestmark = pytest.mark.libreoffice


def quickstart_path() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


QUICKSTART_URL = (
    "vnd.sun.star.script:VBAProject.Module1.SampleCall?language=Basic&location=document"
)

# Stubs for the modules LibreOffice 7.4 cannot compile (xlwings.bas and its Dictionary
# class): with them in place the library compiles and Module1.SampleCall really runs.
RUNPYTHON_STUB = """Option VBASupport 1
Sub RunPython(cmd As String)
    ThisWorkbook.Worksheets("Plan").Range("A2").Value = cmd
End Sub
"""
EMPTY_CLASS = "Option VBASupport 1\nOption ClassModule\n"


@pytest.fixture(scope="module")
def lo_ready() -> None:
    lo.require_libreoffice()


@pytest.fixture(scope="module")
def xlsm_with_button(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An .xlsm from XlsxWriter: xlwings' VBA project and two buttons on sheet Plan."""
    import xlsxwriter

    d = tmp_path_factory.mktemp("xlsm")
    vba = d / "vbaProject.bin"
    with zipfile.ZipFile(quickstart_path()) as z:
        vba.write_bytes(z.read("xl/vbaProject.bin"))
    path = d / "libro.xlsm"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Plan")
    wb.set_vba_name("ThisWorkbook")
    ws.set_vba_name("Sheet1")
    wb.add_vba_project(str(vba))
    ws.write("A1", "Metas 2011")
    ws.insert_button("B3", {"macro": "SampleCall", "caption": "Pulsar"})
    ws.insert_button("B6", {"macro": "Module1.SampleCall", "caption": "Otra vez"})
    wb.close()
    return path


# ---------------------------------------------------------------------------- no soffice


def test_parse_script_url() -> None:
    assert lo.parse_script_url(QUICKSTART_URL) == {
        "library": "VBAProject",
        "module": "Module1",
        "sub": "SampleCall",
        "language": "Basic",
        "location": "document",
    }
    assert lo.parse_script_url("macro:///x")["sub"] is None


def test_require_libreoffice_fails_under_ci_and_skips_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lo, "SOFFICE", "/nonexistent/soffice")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(lo.LibreOfficeUnavailable, match="soffice"):
        lo.require_libreoffice()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="Falta LibreOffice"):
        lo.require_libreoffice()


# ---------------------------------------------------------------------------- inspect


def test_quickstart_lists_vba_modules(lo_ready: None) -> None:
    info = lo.inspect_workbook(quickstart_path())
    assert info["sheets"] == ["Sheet1", "_xlwings.conf"]
    vba = info["libraries"]["VBAProject"]
    assert {"xlwings", "Module1", "Dictionary", "ThisWorkbook"} <= set(vba)
    assert "XLWINGS_VERSION" in vba["xlwings"]
    assert "Option VBASupport 1" in vba["xlwings"]
    assert "Sub SampleCall()" in vba["Module1"]
    assert info["vba_mode"] is True
    assert info["buttons"] == {"Sheet1": [], "_xlwings.conf": []}
    t = info["timings"]
    assert t["total_seconds"] < 60, t


def test_xlsxwriter_button_is_bound_to_its_sub(lo_ready: None, xlsm_with_button: Path) -> None:
    info = lo.inspect_workbook(xlsm_with_button, cells={"Plan": ["A1", "A2"]})
    assert info["sheets"] == ["Plan"]
    assert info["cells"] == {"Plan": {"A1": "Metas 2011", "A2": None}}
    buttons = info["buttons"]["Plan"]
    assert [(b["label"], b["anchor"]) for b in buttons] == [("Pulsar", "B3"), ("Otra vez", "B6")]
    for b in buttons:
        # XlsxWriter writes "[0]!SampleCall"; LibreOffice resolves it to the module.
        assert b["macro_url"] == QUICKSTART_URL
        assert (b["library"], b["module"], b["sub"]) == ("VBAProject", "Module1", "SampleCall")
        (ev,) = b["events"]
        assert (ev["listener"], ev["method"], ev["script_type"]) == (
            "XActionListener",
            "actionPerformed",
            "Script",
        )


# ---------------------------------------------------------------------------- press


def test_press_without_stubs_does_nothing_silently(lo_ready: None, xlsm_with_button: Path) -> None:
    """LibreOffice cannot compile xlwings.bas: the whole VBAProject library is disabled and
    the invoke reports no error. This test pins that behaviour (check cells, not errors)."""
    out = lo.press_buttons(xlsm_with_button, ["Pulsar"], cells={"Plan": ["A2"]})
    (press,) = out["presses"]
    assert press["error"] is None
    assert out["cells"]["Plan"]["A2"] is None


@pytest.mark.parametrize("via", ["script", "click"])
def test_press_runs_the_real_sub_with_stubbed_runpython(
    lo_ready: None, xlsm_with_button: Path, via: str
) -> None:
    before = hashlib.sha256(xlsm_with_button.read_bytes()).hexdigest()
    out = lo.press_buttons(
        xlsm_with_button,
        ["Pulsar"],
        cells={"Plan": ["A1", "A2"]},
        replace_modules={"xlwings": RUNPYTHON_STUB, "Dictionary": EMPTY_CLASS},
        via=via,
    )
    (press,) = out["presses"]
    assert press["macro_url"] == QUICKSTART_URL
    assert press["error"] is None
    # Module1.SampleCall builds the command from ThisWorkbook.Name and calls RunPython
    assert press["cells"]["Plan"] == {"A1": "Metas 2011", "A2": "import libro;libro.main()"}
    assert hashlib.sha256(xlsm_with_button.read_bytes()).hexdigest() == before


def test_press_unknown_label_is_a_clear_error(lo_ready: None, xlsm_with_button: Path) -> None:
    with pytest.raises(lo.LibreOfficeError, match="no hay botón con etiqueta 'Nada'"):
        lo.press_buttons(xlsm_with_button, ["Nada"])


COUNTER_SUB = """Sub Contar()
    Dim c As Object
    c = ThisComponent.Sheets.getByName("Hoja1").getCellRangeByName("C1")
    c.Value = c.Value + 1
    ThisComponent.Sheets.getByName("Hoja1").getCellRangeByName("C2").String = "pulsado"
End Sub
Sub Reiniciar()
    ThisComponent.Sheets.getByName("Hoja1").getCellRangeByName("C1").Value = 0
End Sub
"""


def test_press_buttons_end_to_end_on_uno_built_ods(lo_ready: None, tmp_path: Path) -> None:
    path = lo.build_workbook(
        tmp_path / "contador.ods",
        sheets=["Hoja1", "Otra"],
        cells={"Hoja1": {"A1": "Contador", "C1": 5}},
        modules={"Module1": COUNTER_SUB},
        buttons=[
            {"sheet": "Hoja1", "label": "Contar", "macro": "Module1.Contar", "cell": "B3"},
            {"sheet": "Otra", "label": "Reiniciar", "macro": "Module1.Reiniciar", "cell": "A1"},
        ],
    )
    info = lo.inspect_workbook(path)
    assert info["libraries"]["Standard"]["Module1"] == COUNTER_SUB
    (contar,) = info["buttons"]["Hoja1"]
    assert (contar["label"], contar["anchor"], contar["module"], contar["sub"]) == (
        "Contar",
        "B3",
        "Module1",
        "Contar",
    )
    for via in ("script", "click"):
        out = lo.press_buttons(
            path,
            ["Contar", "Contar", "Reiniciar", "Contar"],
            cells={"Hoja1": ["C1", "C2"]},
            via=via,
        )
        assert [p["cells"]["Hoja1"]["C1"] for p in out["presses"]] == [6.0, 7.0, 0.0, 1.0]
        assert out["cells"]["Hoja1"] == {"C1": 1.0, "C2": "pulsado"}
        assert all(p["error"] is None for p in out["presses"])
    # all buttons, sheet by sheet
    out = lo.press_buttons(path, None, cells={"Hoja1": ["C1"]})
    assert [p["label"] for p in out["presses"]] == ["Contar", "Reiniciar"]
    assert out["cells"]["Hoja1"]["C1"] == 0.0


@pytest.mark.parametrize("sesion", ["1", "0"], ids=["sesion", "un-soffice-por-llamada"])
def test_concurrent_calls(lo_ready: None, sesion: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads share the session one request at a time; without it each call has its own
    soffice and profile."""
    monkeypatch.setenv("XLMETAS_LO_SESION", sesion)
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(lo.inspect_workbook(quickstart_path())["sheets"])
        except Exception as e:  # collected, asserted below
            results.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [["Sheet1", "_xlwings.conf"]] * 2


def test_the_session_starts_soffice_once(lo_ready: None) -> None:
    lo.inspect_workbook(quickstart_path())
    segunda = lo.inspect_workbook(quickstart_path())
    assert segunda["timings"]["startup_seconds"] == 0


# ---------------------------------------------------------------------------- render


def colour_counts(path: Path) -> dict[tuple[int, int, int], int]:
    _, _, rows = read_png_rgb(path)
    counts: dict[tuple[int, int, int], int] = {}
    for row in rows:
        for i in range(0, len(row), 3):
            px = (row[i], row[i + 1], row[i + 2])
            counts[px] = counts.get(px, 0) + 1
    return counts


def dark(counts: dict[tuple[int, int, int], int]) -> int:
    """Pixels of text: antialiased glyphs are dark grey more than pure black."""
    return sum(n for c, n in counts.items() if max(c) < 128)


def near(counts: dict[tuple[int, int, int], int], rgb: tuple[int, int, int]) -> int:
    return sum(n for c, n in counts.items() if all(abs(c[k] - rgb[k]) <= 12 for k in range(3)))


@pytest.fixture(scope="module")
def small_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Plan"
    ws["A1"] = "PROGRAMA METAS Y OBJETIVOS 2011"
    ws["A1"].font = Font(bold=True, size=16)
    for row, (meta, colour) in enumerate(
        [("Cumplido", "00B050"), ("Vencido", "FF0000"), ("Parcial", "FFC000")], start=3
    ):
        ws.cell(row, 1, meta)
        cell = ws.cell(row, 2, "estado")
        cell.fill = PatternFill("solid", fgColor=colour)
    ws.column_dimensions["B"].width = 30
    av = wb.create_sheet("Avance")
    av["A1"] = "AVANCE"
    av["B2"] = 42
    path = tmp_path_factory.mktemp("render") / "pequeño.xlsx"
    wb.save(path)
    return path


def test_render_png_pages_and_colours(lo_ready: None, small_xlsx: Path, tmp_path: Path) -> None:
    lo.require_libreoffice(render=True)
    before = hashlib.sha256(small_xlsx.read_bytes()).hexdigest()
    pages = lo.render_png(small_xlsx, tmp_path / "todas")
    assert [p.name for p in pages] == ["pequeño-1.png", "pequeño-2.png"]
    width, height, _ = read_png_rgb(pages[0])
    assert (width, height) == (662, 936)  # A4 portrait at 80 dpi (LibreOffice's default)
    counts = colour_counts(pages[0])
    for rgb in [(0x00, 0xB0, 0x50), (0xFF, 0x00, 0x00), (0xFF, 0xC0, 0x00)]:
        assert near(counts, rgb) > 500, f"color {rgb} no visible"
    assert dark(counts) > 100  # text is there
    assert hashlib.sha256(small_xlsx.read_bytes()).hexdigest() == before

    pages = lo.render_png(small_xlsx, tmp_path / "avance", sheets=["Avance"])
    assert len(pages) == 1
    counts = colour_counts(pages[0])
    assert near(counts, (0xFF, 0x00, 0x00)) == 0  # the Plan sheet is not there
    assert dark(counts) > 20
    assert hashlib.sha256(small_xlsx.read_bytes()).hexdigest() == before


def test_render_png_cli(lo_ready: None, small_xlsx: Path, tmp_path: Path) -> None:
    lo.require_libreoffice(render=True)
    script = ROOT / "scripts" / "render_png.py"
    r = subprocess.run(
        [
            sys.executable,
            str(script),
            str(small_xlsx),
            "--salida",
            str(tmp_path),
            "--hojas",
            "Plan",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "1 página(s)" in r.stdout
    assert (tmp_path / "pequeño-1.png").is_file()

    r = subprocess.run(
        [sys.executable, str(script), str(small_xlsx), "--salida", str(tmp_path), "--hojas", "X"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 1
    assert "no existen las hojas X" in r.stderr and "Plan, Avance" in r.stderr
    assert "Traceback" not in r.stderr

    r = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
    )
    assert "carpeta donde se escriben" in r.stdout


def test_timeout_kills_libreoffice_and_says_so(lo_ready: None) -> None:
    with pytest.raises(lo.LibreOfficeError, match="no respondió en"):
        lo.inspect_workbook(quickstart_path(), timeout=0.01)
    # the killed session is replaced by a new one on the next call
    assert lo.inspect_workbook(quickstart_path())["sheets"] == ["Sheet1", "_xlwings.conf"]


FAILING_SUBS = """Sub Falla()
    Dim x As Object
    x.foo()
End Sub
Sub Bien()
    ThisComponent.Sheets.getByIndex(0).getCellRangeByName("A1").String = "ok"
End Sub
"""


def test_basic_runtime_errors_are_not_reported(lo_ready: None, tmp_path: Path) -> None:
    """Pins LibreOffice 7.4's behaviour: a failing Sub reports nothing either way."""
    path = lo.build_workbook(
        tmp_path / "falla.ods",
        modules={"Module1": FAILING_SUBS},
        buttons=[
            {"sheet": "Hoja1", "label": "Falla", "macro": "Module1.Falla", "cell": "B3"},
            {"sheet": "Hoja1", "label": "Bien", "macro": "Module1.Bien", "cell": "B6"},
        ],
    )
    for via in ("script", "click"):
        out = lo.press_buttons(path, ["Falla", "Bien"], cells={"Hoja1": ["A1"]}, via=via)
        assert [(p["error"], p["cells"]["Hoja1"]["A1"]) for p in out["presses"]] == [
            (None, None),
            (None, "ok"),
        ]
