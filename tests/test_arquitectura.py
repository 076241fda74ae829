"""The domain never touches a file format or Excel: only the adapters and the front ends do.

Imports are resolved the way Python resolves them, relative ones included, so a domain
module cannot reach openpyxl through ``from .workbook_file import …`` either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAQUETE = Path(__file__).resolve().parent.parent / "xl_metas"
# Adapters talk to files or to Excel; the workbook build and the VBA tools write files, and
# every file write goes through guardado.
ADAPTADORES = {
    "xl_metas.archivos",
    "xl_metas.build",
    "xl_metas.copias_archivo",
    "xl_metas.guardado",
    "xl_metas.hoja_xml",
    "xl_metas.informe_pdf",
    "xl_metas.injerto",
    "xl_metas.libro_ajeno_archivo",
    "xl_metas.lite",
    "xl_metas.lite.codigo",
    "xl_metas.lite.partes",
    "xl_metas.sheet_patch",
    "xl_metas.transparencia_archivo",
    "xl_metas.vba_tools",
    "xl_metas.workbook_file",
    "xl_metas.workbook_xlwings",
    "xl_metas.vba",
    "xl_metas.vba.cfb",
    "xl_metas.vba.documentos",
    "xl_metas.vba.edicion",
    "xl_metas.vba.ovba",
    "xl_metas.vba.project",
}
# Front ends pick an adapter and call the library: the CLI, the buttons, the operations.
FRENTES = {
    "xl_metas.botones",
    "xl_metas.cli",
    "xl_metas.cli_es",
    "xl_metas.cli_salida",
    "xl_metas.cli_tipos",
    "xl_metas.libro_nuevo",
    "xl_metas.lite.scripts",
    "xl_metas.operaciones",
}
# Libraries that read or write a file format or drive Excel.
PROHIBIDOS = {
    "openpyxl",
    "xlwings",
    "xlsxwriter",
    "python_calamine",
    "olefile",
    "oletools",
    "zipfile",
    "xlrd",
    "pyxlsb",
    "odf",
    "lxml",
}


def nombre_de(path: Path) -> str:
    parts = path.relative_to(PAQUETE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def importados(source: str, modulo: str, es_paquete: bool = False) -> set[str]:
    """Absolute names of every module ``source`` imports, relative imports resolved
    (``from . import x`` yields ``paquete.x``; ``from .m import f`` yields ``paquete.m``)."""
    paquete = modulo if es_paquete else modulo.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = paquete.split(".")
                base = base[: len(base) - (node.level - 1)]
                raiz = ".".join([*base, node.module] if node.module else base)
            else:
                raiz = node.module or ""
            names.add(raiz)
            names |= {f"{raiz}.{alias.name}" for alias in node.names}
    return names


def violaciones(source: str, modulo: str, es_paquete: bool = False) -> set[str]:
    """What a domain module must not import: a file-format library or an adapter."""
    malos = set()
    for name in importados(source, modulo, es_paquete):
        adaptador = any(name == a or name.startswith(a + ".") for a in ADAPTADORES | FRENTES)
        if name.split(".")[0] in PROHIBIDOS or adaptador:
            malos.add(name)
    return malos


MODULOS = {nombre_de(p): p for p in sorted(PAQUETE.rglob("*.py"))}
DOMINIO = sorted(m for m in MODULOS if m not in ADAPTADORES | FRENTES)


@pytest.mark.parametrize("modulo", DOMINIO)
def test_domain_module_imports_no_file_library_nor_adapter(modulo: str) -> None:
    path = MODULOS[modulo]
    source = path.read_text(encoding="utf-8")
    assert violaciones(source, modulo, path.name == "__init__.py") == set()


def test_every_listed_module_exists() -> None:
    assert set(MODULOS) >= (ADAPTADORES | FRENTES)


def test_the_domain_is_most_of_the_package() -> None:
    assert set(DOMINIO) >= {
        "xl_metas.model",
        "xl_metas.validation",
        "xl_metas.estados",
        "xl_metas.hojas_area",
        "xl_metas.copias",
        "xl_metas.seguimiento",
    }


@pytest.mark.parametrize(
    "plantado",
    [
        "import openpyxl",
        "from openpyxl.styles import Font",
        "from python_calamine import CalamineWorkbook",
        "import zipfile",
        "from .workbook_file import LibroArchivo",
        "from . import workbook_file",
        "from .. import workbook_xlwings",
        "from .vba.project import read_modules",
        "from xl_metas.sheet_patch import patch",
        "from .cli import app",
        "    from . import operaciones",  # inside a function
    ],
)
def test_a_planted_import_is_caught(plantado: str) -> None:
    modulo = "xl_metas.sub.dominio" if plantado.startswith("from ..") else "xl_metas.dominio"
    source = f"def f():\n{plantado}\n" if plantado.startswith(" ") else plantado + "\n"
    assert violaciones(source, modulo), plantado


def test_a_package_resolves_relative_imports_from_itself() -> None:
    assert "xl_metas.workbook_file" in importados(
        "from ..workbook_file import LibroArchivo", "xl_metas.hojas_area", es_paquete=True
    )
    assert violaciones("from ..workbook_file import X", "xl_metas.hojas_area", es_paquete=True)
    assert "xl_metas.hojas_area.diseno" in importados(
        "from .diseno import hoja_area", "xl_metas.hojas_area", es_paquete=True
    )


def test_domain_imports_are_allowed() -> None:
    source = "from .model import Plan\nfrom . import text\nimport pandas\nfrom .grid import Grid\n"
    assert violaciones(source, "xl_metas.totals") == set()


def grafo() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (anywhere in it, functions included)."""
    out: dict[str, set[str]] = {}
    for modulo, path in MODULOS.items():
        names = importados(path.read_text(encoding="utf-8"), modulo, path.name == "__init__.py")
        out[modulo] = {n for n in names if n in MODULOS and n != modulo}
    return out


def ciclo(g: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``g`` (as a path that comes back to its start), or None."""
    estado: dict[str, int] = {}  # 1 on the current path, 2 done
    camino: list[str] = []

    def visitar(m: str) -> list[str] | None:
        estado[m] = 1
        camino.append(m)
        for n in sorted(g.get(m, ())):
            if estado.get(n) == 1:
                return camino[camino.index(n) :] + [n]
            if n not in estado and (encontrado := visitar(n)):
                return encontrado
        camino.pop()
        estado[m] = 2
        return None

    for m in sorted(g):
        if m not in estado and (encontrado := visitar(m)):
            return encontrado
    return None


def test_no_import_cycle_inside_the_package() -> None:
    # A package's __init__ importing its own modules is how a package is made, not a cycle.
    g = {m: {n for n in ns if not n.startswith(m + ".")} for m, ns in grafo().items()}
    assert ciclo(g) is None, " → ".join(ciclo(g) or [])


def test_ciclo_finds_a_planted_cycle() -> None:
    assert ciclo({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert ciclo({"a": {"b"}, "b": set()}) is None


def test_only_the_factory_imports_the_file_adapter() -> None:
    importan = {m for m, ns in grafo().items() if "xl_metas.workbook_file" in ns}
    assert importan == {"xl_metas.archivos"}


def test_no_isinstance_on_an_adapter_outside_it() -> None:
    adaptadores = {"LibroArchivo", "LibroXlwings"}
    for modulo, path in MODULOS.items():
        if modulo in {"xl_metas.workbook_file", "xl_metas.workbook_xlwings"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
                nombres = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                assert not nombres & adaptadores, f"{modulo}:{node.lineno}"
