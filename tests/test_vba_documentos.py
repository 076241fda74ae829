"""Sheets and document modules, one to one, after every command (issue 12, item 4).

Excel repairs a workbook whose sheet codeName collides with a module (removing the whole
VBA project), and a project whose sheets and document modules disagree is one Excel has
to fix on open. Each command that adds or removes sheets keeps them 1:1 in the same save,
in the master and in every exported copy, and never touches another module's stream.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from typer.testing import CliRunner

from tests.support import vba_estricto
from tests.support.libros_copias import MAESTRO
from tests.support.libros_vba import con_programas, flujos, vba_de
from tests.support.planes import DOCUMENTO_2011
from xl_metas import build, plantillas
from xl_metas.cli import app
from xl_metas.vba import documentos, edicion

runner = CliRunner()
# Streams that change when modules come and go; every other one stays byte for byte.
INDICE = {"PROJECT", "PROJECTwm", "VBA/dir"}


def run(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def code_names(ruta: Path) -> dict[str, str | None]:
    import zipfile

    with zipfile.ZipFile(ruta) as z:
        libro, hojas = vba_estricto.code_names(z)
    return {"": libro, **hojas}


def modulos_oletools(ruta: Path) -> list[str]:
    parser = VBA_Parser(str(ruta))
    try:
        return [p.split("/")[-1] for _, p, _, _ in parser.extract_macros()]
    finally:
        parser.close()


def solo_documentos_cambian(antes: bytes, despues: bytes) -> tuple[set[str], set[str]]:
    """(modules added, modules removed); fails if any other stream changed."""
    viejo, nuevo = flujos(antes)[0], flujos(despues)[0]
    for nombre, datos in viejo.items():
        if nombre in INDICE or nombre not in nuevo:
            continue
        assert nuevo[nombre] == datos, f"{nombre} changed"
    modulos = {n for n in viejo if n.startswith("VBA/")}, {n for n in nuevo if n.startswith("VBA/")}
    return modulos[1] - modulos[0], modulos[0] - modulos[1]


def uno_a_uno(ruta: Path) -> None:
    """The strict checker, and oletools on its own: codeNames and modules unique and 1:1."""
    vba_estricto.revisar(ruta)
    codigos = [c for c in code_names(ruta).values() if c]
    assert len({c.casefold() for c in codigos}) == len(codigos), codigos
    modulos = modulos_oletools(ruta)
    assert len({m.casefold() for m in modulos}) == len(modulos), modulos
    assert {c.casefold() for c in codigos} <= {m.casefold() for m in modulos}


@pytest.fixture
def copia(tmp_path: Path) -> Path:
    ruta = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, ruta)
    return ruta


@pytest.fixture
def que_choca(copia: Path) -> Path:
    """The shipped workbook whose programas are called Metas, xlwings and ThisWorkbook."""
    return con_programas(copia)


def test_area_sheets_named_like_modules_get_other_code_names(que_choca: Path) -> None:
    run("generar-hojas", que_choca)
    nombres = code_names(que_choca)
    modulos = {"metas", "xlwings", "dictionary", "thisworkbook"}
    for hoja in ("Metas", "xlwings", "ThisWorkbook"):
        assert (nombres[hoja] or "").casefold() not in modulos, nombres
    vba_estricto.revisar(que_choca)


@pytest.mark.parametrize(
    ("comando", "hojas"),
    [
        ("recalcular", {"Validación", "Resumen"}),
        ("generar-hojas", {"VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN", "Hojas generadas"}),
    ],
)
def test_a_command_that_adds_sheets_adds_their_modules(
    copia: Path, comando: str, hojas: set[str]
) -> None:
    antes = vba_de(copia)
    run(comando, copia)
    nombres = code_names(copia)
    assert hojas <= set(nombres)
    agregados, quitados = solo_documentos_cambian(antes, vba_de(copia))
    assert quitados == set()
    nuevos = {nombres[h] for h in set(nombres) - set(code_names(MAESTRO))}
    assert agregados == {f"VBA/{c}" for c in nuevos}  # includes the new colour mirrors
    vba_estricto.revisar(copia)


def test_a_sheet_generar_hojas_removes_takes_its_module(copia: Path) -> None:
    run("generar-hojas", copia)
    antes, codigos = vba_de(copia), code_names(copia)
    con_programas(copia, {"DIFUSIÓN": "VINCULACIÓN"})  # Difusión's metas move to Vinculación
    assert "Quitadas (su programa ya no está en el Plan): «DIFUSIÓN»" in run("generar-hojas", copia)
    agregados, quitados = solo_documentos_cambian(antes, vba_de(copia))
    idos = {"DIFUSIÓN", "_colores_DIFUSIÓN"}  # the area sheet and its colour mirror
    assert set(codigos) - set(code_names(copia)) == idos
    assert (agregados, quitados) == (set(), {f"VBA/{codigos[h]}" for h in idos})
    vba_estricto.revisar(copia)


def test_exported_copies_keep_one_module_per_sheet(copia: Path, tmp_path: Path) -> None:
    run("generar-hojas", copia)
    run("actualizar-vba", copia)  # every area sheet has its module in the master
    run("exportar-copias", copia, "--carpeta", tmp_path / "enviadas")
    exportadas = sorted((tmp_path / "enviadas").glob("*.xlsm"))
    assert len(exportadas) == 3
    for ruta in exportadas:
        vba_estricto.revisar(ruta)


def test_programas_named_like_modules_through_every_command(
    que_choca: Path, tmp_path: Path
) -> None:
    """Item 5: areas called Metas, xlwings and ThisWorkbook go through generar-hojas,
    actualizar-vba and exportar-copias with codeNames and modules unique and 1:1."""
    run("generar-hojas", que_choca)
    uno_a_uno(que_choca)
    assert "no se modificó" in run("actualizar-vba", que_choca)
    uno_a_uno(que_choca)
    run("exportar-copias", que_choca, "--carpeta", tmp_path / "enviadas")
    exportadas = sorted((tmp_path / "enviadas").glob("*.xlsm"))
    assert [p.name for p in exportadas] == [
        "Metas2011 - Metas.xlsm",
        "Metas2011 - ThisWorkbook.xlsm",
        "Metas2011 - xlwings.xlsm",
    ]
    for ruta in exportadas:
        uno_a_uno(ruta)


# -- every writing command, on the workbook whose programas are named like modules --------------
def _exportar(libro: Path, carpeta: Path) -> list[Path]:
    run("exportar-copias", libro, "--carpeta", carpeta)
    return sorted(carpeta.glob("*.xlsm"))


def _consolidar(libro: Path, carpeta: Path) -> list[Path]:
    copias = _exportar(libro, carpeta)
    run("consolidar", libro, *copias)
    return [libro]


def _actualizar(libro: Path, carpeta: Path) -> list[Path]:
    run("generar-hojas", libro)
    run("actualizar-vba", libro)
    return [libro]


def _construir(libro: Path, carpeta: Path) -> list[Path]:
    destino = carpeta / "construido.xlsm"
    run("construir", "-o", destino)
    return [destino]


def _importar(libro: Path, carpeta: Path) -> list[Path]:
    destino = carpeta / "importado.xlsm"
    run("importar", DOCUMENTO_2011, "-o", destino)
    return [destino]


def _comando(nombre: str) -> Callable[[Path, Path], list[Path]]:
    def hacer(libro: Path, carpeta: Path) -> list[Path]:
        run(nombre, libro)
        return [libro]

    return hacer


COMANDOS: dict[str, Callable[[Path, Path], list[Path]]] = {
    "recalcular": _comando("recalcular"),
    "vencidos": _comando("vencidos"),
    "generar-hojas": _comando("generar-hojas"),
    "exportar-copias": _exportar,
    "consolidar": _consolidar,
    "actualizar-vba": _actualizar,
    "construir": _construir,
    "importar": _importar,
}


@pytest.mark.parametrize("comando", COMANDOS)
def test_every_writing_command_leaves_a_strict_project(
    que_choca: Path, tmp_path: Path, comando: str
) -> None:
    """Each output (each exported copy too) passes the strict checker and oletools agrees
    (conftest checks every write as well; this names each command)."""
    carpeta = tmp_path / "salida"
    carpeta.mkdir()
    escritos = COMANDOS[comando](que_choca, carpeta)
    assert escritos
    for ruta in escritos:
        uno_a_uno(ruta)


# -- documentos.ajustar on its own ------------------------------------------------------------
def proyecto_enviado() -> edicion.Proyecto:
    return edicion.leer(vba_de(MAESTRO))


HOJAS_ENVIADAS = [
    documentos.Hoja("Inicio", "HojaInicio"),
    documentos.Hoja("Plan", "HojaPlan"),
    documentos.Hoja("Avance", "HojaAvance"),
    documentos.Hoja("Configuración", "HojaConfiguracion"),
    documentos.Hoja("xlwings.conf", "HojaXlwingsConf"),
    documentos.Hoja("_colores_Avance", "Hoja_Colores_Avance"),
    # then the very hidden templates xlwings Lite copies, each with its own module
    *(
        documentos.Hoja(h.contenido.nombre, h.codigo)
        for h in build.workbook_sheets(build.read_document(DOCUMENTO_2011))
        if plantillas.es_plantilla(h.contenido.nombre)
    ),
]


def test_ajustar_a_consistent_project_changes_nothing() -> None:
    p = proyecto_enviado()
    ajuste = documentos.ajustar(p, "ThisWorkbook", HOJAS_ENVIADAS)
    assert (ajuste.agregados, ajuste.quitados, p.cambiado) == ((), (), False)
    assert ajuste.codigos == tuple(h.codigo for h in HOJAS_ENVIADAS)
    assert p.guardar() == vba_de(MAESTRO)


def test_ajustar_renames_what_collides_and_keeps_what_is_its_own() -> None:
    hojas = [
        *HOJAS_ENVIADAS,
        documentos.Hoja("Metas", "Metas"),  # a standard module's name
        documentos.Hoja("xlwings", "XLWINGS"),  # the same, in other case
        documentos.Hoja("ThisWorkbook", "Thisworkbook"),  # the workbook's
        documentos.Hoja("Copia de Plan", "HojaPlan"),  # another sheet's
        documentos.Hoja("Print", "Print"),  # a keyword
        documentos.Hoja("Sin código", None),  # left to Excel
        documentos.Hoja("Gráfica", "HojaGrafica", grafica=True),
    ]
    p = proyecto_enviado()
    ajuste = documentos.ajustar(p, "ThisWorkbook", hojas)
    assert ajuste.codigos[len(HOJAS_ENVIADAS) :] == (
        "HojaMetas",
        "HojaXlwings",
        "HojaThisworkbook",
        "HojaCopiaDePlan",
        "HojaPrint",
        None,
        "HojaGrafica",
    )
    assert ajuste.quitados == ()
    assert ajuste.agregados == ajuste.codigos[len(HOJAS_ENVIADAS) : -2] + ("HojaGrafica",)
    assert "00020821" in p.fuente("HojaGrafica")  # a chart sheet's VB_Base
    vba = p.guardar()
    codigos = dict(zip([h.nombre for h in hojas], ajuste.codigos, strict=True))
    assert vba_estricto.problemas_vba(vba, "ThisWorkbook", codigos) == []


def test_ajustar_removes_the_modules_of_sheets_that_are_gone() -> None:
    p = proyecto_enviado()
    ajuste = documentos.ajustar(p, "ThisWorkbook", HOJAS_ENVIADAS[:2])
    assert ajuste.quitados == tuple(h.codigo for h in HOJAS_ENVIADAS[2:])
    assert ajuste.quitados[:4] == (
        "HojaAvance",
        "HojaConfiguracion",
        "HojaXlwingsConf",
        "Hoja_Colores_Avance",
    )
    assert {m.nombre for m in p.modulos} == {
        "ThisWorkbook",
        "HojaInicio",
        "HojaPlan",
        "Metas",
        "xlwings",
        "Dictionary",
    }


def test_ajustar_gives_the_workbook_a_code_name_when_it_has_none() -> None:
    p = proyecto_enviado()
    assert documentos.ajustar(p, None, HOJAS_ENVIADAS).libro == "ThisWorkbook"
    p = proyecto_enviado()
    ajuste = documentos.ajustar(p, "Metas", HOJAS_ENVIADAS)  # a standard module's name
    assert (ajuste.libro, ajuste.agregados, ajuste.quitados) == ("ThisWorkbook", (), ())
