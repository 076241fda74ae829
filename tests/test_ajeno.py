"""Nothing of the user's is lost: a workbook built by another tool, carrying a logo, a text
box, a chart, a comment, data validation, a table, a defined name, sheet protection, a
custom ribbon, xlwings Lite's parts and printer settings, comes out of every command with
all of it byte for byte."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.libro_ajeno import libro_ajeno, partes_ajenas
from xl_metas import copias_archivo
from xl_metas.cli import app
from xl_metas.vba.project import read_modules

runner = CliRunner()


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libro_ajeno(tmp_path_factory.mktemp("ajeno") / "Metas del área.xlsm")


@pytest.fixture
def libro(original: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(original, tmp_path / original.name))


def run(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def parte(ruta: Path, nombre: str) -> bytes:
    with zipfile.ZipFile(ruta) as z:
        return z.read(nombre)


def hoja_xml(ruta: Path, hoja: str) -> bytes:
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    indice = wb.sheetnames.index(hoja) + 1
    with zipfile.ZipFile(ruta) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        libro = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet name="{re.escape(hoja)}"[^>]*r:id="([^"]+)"', libro)
        assert rid, indice
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
            rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        assert target
        return z.read("xl/" + target.group(1).lstrip("/").removeprefix("xl/"))


def assert_intacto(antes: Path, despues: Path) -> None:
    # sheets' document modules follow the sheets (1:1); every other module is as it was
    modulos = {m.name: m.source for m in read_modules(parte(despues, "xl/vbaProject.bin"))}
    for m in read_modules(parte(antes, "xl/vbaProject.bin")):
        if m.kind != "document":
            assert modulos.get(m.name) == m.source, m.name
    ahora = partes_ajenas(despues)
    perdidas = {n for n, datos in partes_ajenas(antes).items() if ahora.get(n) != datos}
    assert perdidas == set()  # our own parts (the Resumen chart) may be added
    assert hoja_xml(despues, "Contactos") == hoja_xml(antes, "Contactos")  # protected, table
    assert b"<dataValidations" in hoja_xml(despues, "Avance")
    assert b"ContactosDelArea" in parte(despues, "xl/workbook.xml")
    rels = parte(despues, "_rels/.rels")
    assert b"customUI/customUI14.xml" in rels and b"webextensions/taskpanes.xml" in rels
    tipos = parte(despues, "[Content_Types].xml")
    assert b"webextension+xml" in tipos and b"printerSettings1.bin" in tipos
    openpyxl.load_workbook(despues, keep_vba=True)  # still a workbook others can open


@pytest.mark.parametrize(
    "comando",
    [["recalcular"], ["vencidos"], ["generar-hojas"], ["vencidos", "--corte", "2011-09-30"]],
)
def test_every_command_keeps_the_users_content(
    original: Path, libro: Path, comando: list[str]
) -> None:
    salida = run(comando[0], libro, *comando[1:])
    assert "Guardado" in salida
    assert_intacto(original, libro)


def test_actualizar_vba_keeps_the_users_content(original: Path, libro: Path) -> None:
    run("recalcular", libro)  # sheets added: their modules come with them
    run("actualizar-vba", libro)
    assert_intacto(original, libro)


def test_all_commands_in_a_row_then_again(original: Path, libro: Path, tmp_path: Path) -> None:
    for comando in ("recalcular", "vencidos", "generar-hojas"):
        run(comando, libro)
    assert_intacto(original, libro)
    antes = libro.read_bytes()
    for comando in ("recalcular", "vencidos", "generar-hojas"):
        assert "no se modificó" in run(comando, libro)
    assert libro.read_bytes() == antes


def test_copies_out_and_back_keep_the_masters_content(
    original: Path, libro: Path, tmp_path: Path
) -> None:
    carpeta = tmp_path / "enviadas"
    run("exportar-copias", libro, "--carpeta", carpeta)
    assert_intacto(original, libro)
    copia = next(carpeta.glob("*Vinculación*.xlsm"))
    wb = openpyxl.load_workbook(copia, keep_vba=True)
    ws = wb["Avance"]
    encabezados = {c.value: c.column for c in ws[4] if c.value}
    fila = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, encabezados["META"]).value == 1)
    ws.cell(fila, encabezados["JUL"]).value = 3
    wb.save(copia)
    salida = run("consolidar", libro, copia)
    assert "1 celdas actualizadas" in salida
    assert_intacto(original, libro)


@pytest.mark.libreoffice
def test_libreoffice_opens_what_the_commands_left(libro: Path) -> None:
    from tests.support import lo

    lo.require_libreoffice()
    for comando in ("recalcular", "vencidos", "generar-hojas"):
        run(comando, libro)
    info = lo.inspect_workbook(
        libro, cells={"Validación": ["A1", "A5"], "Plan": ["S11", "T11"], "Contactos": ["A2"]}
    )
    assert info["sheets"][:4] == ["Plan", "Validación", "Avance", "Resumen"]
    assert {"Contactos", "VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"} <= set(info["sheets"])
    assert info["cells"]["Validación"]["A1"] == "Validación del plan"
    assert info["cells"]["Plan"]["S11"] == 21.0 and info["cells"]["Plan"]["T11"] == -1.0
    assert info["cells"]["Contactos"]["A2"] == "Vinculación"
    assert "VBAProject" in info["libraries"]


def test_copies_say_what_they_cannot_carry(libro: Path, tmp_path: Path) -> None:
    hechas = copias_archivo.exportar_copias(libro, tmp_path / "enviadas")
    for e in hechas:
        assert any("no lleva" in a and "imágenes" in a for a in e.avisos), e.avisos


def test_a_save_that_would_lose_the_users_content_is_refused(tmp_path: Path) -> None:
    """Clearing a fill the user painted in Avance is something only openpyxl's rewrite
    does here: the command refuses rather than drop the logo, the chart and the rest."""
    libro = libro_ajeno(tmp_path / "pintado.xlsm", relleno_en_avance=True)
    antes = libro.read_bytes()
    result = runner.invoke(app, ["vencidos", str(libro)])
    assert result.exit_code == 2, result.output
    assert "imágenes" in result.output and "no se modificó" in result.output
    assert "Traceback" not in result.output
    assert libro.read_bytes() == antes
