"""The domain never imports the Excel libraries: only the adapters and tools do."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAQUETE = Path(__file__).resolve().parent.parent / "xl_metas"
# Adapters, the workbook build and the VBA tools talk to files or to Excel; all else is domain.
ADAPTADORES = {
    "botones.py",
    "build.py",
    "copias_archivo.py",
    "sheet_patch.py",
    "vba_tools.py",
    "workbook_file.py",
    "workbook_xlwings.py",
}
PROHIBIDOS = {"openpyxl", "xlwings", "xlsxwriter"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


DOMINIO = sorted(p for p in PAQUETE.glob("*.py") if p.name not in ADAPTADORES)


@pytest.mark.parametrize("modulo", DOMINIO, ids=lambda p: p.name)
def test_domain_module_imports_no_excel_library(modulo: Path) -> None:
    assert not (_imports(modulo) & PROHIBIDOS), modulo.name


def test_the_domain_is_most_of_the_package() -> None:
    assert {p.name for p in DOMINIO} >= {
        "model.py",
        "validation.py",
        "estados.py",
        "hojas_area.py",
        "copias.py",
        "operaciones.py",
    }
