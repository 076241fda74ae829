"""Imports on demand (issue 16): a button or a command loads only what its path needs.

Every press of a button starts a new Python (RunPython) and under xlwings Lite every
import is also a download, so the heavy libraries must load only where they earn their
place. Counted in a fresh interpreter: which modules are loaded, not how long they took,
so the check holds on any machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.libros_avance import libro_muestra
from xl_metas import operaciones
from xl_metas.workbook_file import LibroArchivo

# What no button module import and no validation pays for.
PESADOS = {
    "pandas",
    "numpy",
    "openpyxl",
    "xlsxwriter",
    "oletools",
    "olefile",
    "pydantic",
    "xlwings",
    "filelock",
    "urllib.request",
    "xl_metas.build",
    "xl_metas.vba_tools",
    "xl_metas.libro_nuevo",
    "xl_metas.lite",
    "xl_metas.vba.edicion",
    "xl_metas.informe_pdf",
    "xl_metas.transparencia_archivo",
    "typer.rich_utils",  # help and error panels only (it imports rich.markdown, markdown_it)
    "markdown_it",
}
# What the command line's import and validar do not load: other commands' own modules.
AJENOS = {"xl_metas.copias", "xl_metas.hojas_area", "xl_metas.informe", "xl_metas.informe_hoja"}

_VER = """
import json, sys
{codigo}
print(json.dumps(sorted(sys.modules)))
"""


def _modulos(codigo: str, *args: str) -> set[str]:
    hecho = subprocess.run(
        [sys.executable, "-c", _VER.format(codigo=codigo), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return set(json.loads(hecho.stdout.splitlines()[-1]))


def _cargados(modulos: set[str]) -> set[str]:
    return {p for p in PESADOS if p in modulos}


def test_importing_the_buttons_loads_no_heavy_library() -> None:
    modulos = _modulos("import xl_metas.botones")
    assert "xl_metas.botones" in modulos
    assert _cargados(modulos) == set()


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    modulos = _modulos("import xl_metas.cli")
    assert "typer" in modulos
    assert _cargados(modulos) == set()
    assert AJENOS & modulos == set()


def test_validar_loads_no_heavy_library(tmp_path: Path) -> None:
    """The whole command, on the demo workbook: reading, validating, printing."""
    libro = libro_muestra(tmp_path / "Metas2011.xlsm")
    codigo = (
        "from xl_metas.cli import app\n"
        "try:\n"
        "    app(['validar', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 1, exc.code  # the demo has findings\n"
    )
    modulos = _modulos(codigo, str(libro))
    assert {"xl_metas.validation", "python_calamine"} <= modulos  # it did read and validate
    assert _cargados(modulos) == set()
    assert AJENOS & modulos == set()


def _comando(libro: Path, comando: str) -> set[str]:
    """The modules one command on a workbook loads, from the CLI's start."""
    codigo = (
        "from xl_metas.cli import app\n"
        "try:\n"
        f"    app([{comando!r}, sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, 1), exc.code\n"
    )
    return _modulos(codigo, str(libro))


def test_pandas_loads_for_the_totals(tmp_path: Path) -> None:
    """resumen adds up with pandas, and loads neither the workbook builder, the VBA tools
    nor XlsxWriter."""
    modulos = _comando(libro_muestra(tmp_path / "Metas2011.xlsm"), "resumen")
    assert "pandas" in modulos
    assert {"xlsxwriter", "oletools", "pydantic", "xl_metas.build"} & modulos == set()


def test_recalcular_loads_neither_pandas_nor_openpyxl(tmp_path: Path) -> None:
    """recalcular writes each meta's sum and difference and the Resumen sheet, its chart
    included, from plain Python: a press pays neither pandas' import nor openpyxl's (nor
    numpy's, which openpyxl imports). The colours' rules are already in Avance («Marcar
    vencidos» put them: the first colouring adds them with openpyxl)."""
    libro = libro_muestra(tmp_path / "Metas2011.xlsm")
    archivo = LibroArchivo(libro)
    operaciones.vencidos(archivo)
    assert archivo.guardar(respaldo=False)
    modulos = _comando(libro, "recalcular")
    assert "xl_metas.resumen_hoja" in modulos  # it did write the Resumen sheet
    assert {"pandas", "numpy", "openpyxl", "xlsxwriter", "pydantic", "xl_metas.build"} & (
        modulos
    ) == set()


def test_help_and_errors_are_in_spanish_when_typer_loads_its_panels_late() -> None:
    """The panels' titles go into typer.rich_utils when Typer first imports it (for help
    or an error), in a fresh interpreter as a user runs the command."""
    ayuda = subprocess.run(
        [sys.executable, "-c", "from xl_metas.cli import app; app()", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert ayuda.returncode == 0
    assert "─ Opciones ─" in ayuda.stdout and "─ Comandos ─" in ayuda.stdout
    error = subprocess.run(
        [sys.executable, "-c", "from xl_metas.cli import app; app()", "validar", "--nada"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert error.returncode == 2
    assert "─ Error ─" in error.stderr and "No existe la opción: --nada" in error.stderr
    assert "para ver la ayuda" in error.stderr
