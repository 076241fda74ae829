"""actualizar-vba and diagnostico: version care for the workbook's xlwings VBA."""

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support import vba_estricto
from tests.support.libros_copias import MAESTRO
from tests.support.libros_vba import (
    QUICKSTART_EXCEL,
    con_hojas_viejas,
    con_pagina_de_codigos,
    con_vba,
    flujos,
    proyecto_como_excel,
    referencias,
    sin_referencia,
    vba_de,
)
from xl_metas import build, vba_tools
from xl_metas.cli import app
from xl_metas.errors import LecturaError
from xl_metas.vba.project import build_project, read_modules, standard_module

XLWINGS = ["xlwings", "Dictionary"]

runner = CliRunner()


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture
def old_xlwings(tmp_path: Path) -> Path:
    """A copy of the workbook whose xlwings module says it is version 0.30.0."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(build.LIBRO, libro)
    modules = read_modules(vba_tools.read_vba(libro))
    modules = [
        replace(m, source=m.source.replace('"0.37.8"', '"0.30.0"')) if m.name == "xlwings" else m
        for m in modules
    ]
    vba_tools._replace_part(libro, vba_tools.VBA_PART, build_project(modules))
    return libro


def _old_xlwings(vba: bytes) -> bytes:
    modules = read_modules(vba)
    return build_project(
        replace(m, source=m.source.replace('"0.37.8"', '"0.30.0"')) if m.name == "xlwings" else m
        for m in modules
    )


@pytest.fixture
def como_excel(tmp_path: Path) -> Path:
    """The workbook with an old xlwings module, as Excel saves a project someone worked on:
    a UserForm, the MSForms and Scripting references, password protection."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    return con_vba(libro, proyecto_como_excel(_old_xlwings(vba_de(libro))))


def _project_lines(vba: bytes) -> list[bytes]:
    return flujos(vba)[0]["PROJECT"].split(b"\r\n")


def test_actualizar_keeps_references_designers_and_protection(como_excel: Path) -> None:
    antes = vba_de(como_excel)
    r = vba_tools.actualizar_vba(como_excel)
    assert (r.version_anterior, r.version_nueva, r.cambiado) == ("0.30.0", "0.37.8", True)
    despues = vba_de(como_excel)
    assert referencias(despues) == referencias(antes)  # MSForms, Scripting, stdole, Office
    (viejos, clsids_antes), (nuevos, clsids_despues) = flujos(antes), flujos(despues)
    assert clsids_despues == clsids_antes  # the UserForm's storage keeps the Forms CLSID
    assert {n for n in viejos if viejos[n] != nuevos.get(n)} == {"VBA/xlwings"}
    assert set(nuevos) == set(viejos)
    assert _project_lines(despues) == _project_lines(antes)  # ID, CMG, DPB, GC, BaseClass
    vba_estricto.revisar(como_excel)


def test_actualizar_repairs_code_names_that_collide(tmp_path: Path) -> None:
    """A workbook an earlier xl-metas saved: sheets for programas Metas and ThisWorkbook whose
    codeNames are a module's name, and one without its module."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    con_hojas_viejas(libro, {"Metas": "Metas", "ThisWorkbook": "Thisworkbook", "Otra": "Otra"})
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 0, result.output
    vba_estricto.revisar(libro)


def test_actualizar_refuses_a_workbook_that_uses_the_xlwings_addin(tmp_path: Path) -> None:
    """xlwings' quickstart.xlsm calls the add-in through a reference named «xlwings»: a module
    of that name beside it would clash, and dropping the reference would break the workbook."""
    libro = tmp_path / "quickstart.xlsm"
    shutil.copyfile(QUICKSTART_EXCEL, libro)
    before = libro.read_bytes()
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 2, result.output
    assert "complemento de xlwings" in result.output and "no se modificó" in result.output
    assert libro.read_bytes() == before


def test_actualizar_replaces_only_xlwings(old_xlwings: Path) -> None:
    before = parts(old_xlwings)
    r = vba_tools.actualizar_vba(old_xlwings)
    assert (r.version_anterior, r.version_nueva, r.cambiado) == ("0.30.0", "0.37.8", True)
    assert r.respaldo is not None and r.respaldo.read_bytes() != old_xlwings.read_bytes()
    after = parts(old_xlwings)
    assert list(after) == list(before)
    assert {n for n in after if after[n] != before[n]} == {vba_tools.VBA_PART}
    # same modules as a fresh build, hence the same bytes
    assert after[vba_tools.VBA_PART] == parts(build.LIBRO)[vba_tools.VBA_PART]


def test_actualizar_twice_changes_nothing(old_xlwings: Path) -> None:
    vba_tools.actualizar_vba(old_xlwings)
    data = old_xlwings.read_bytes()
    r = vba_tools.actualizar_vba(old_xlwings)
    assert not r.cambiado and old_xlwings.read_bytes() == data


def test_actualizar_adds_the_document_modules_an_earlier_version_left_out(
    tmp_path: Path,
) -> None:
    """An earlier xl-metas saved Validación and Resumen with a codeName and no module."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(build.LIBRO, libro)
    con_hojas_viejas(libro, {"Validación": "Validacion", "Resumen": "Resumen"})
    r = vba_tools.actualizar_vba(libro)
    assert r.modulos_agregados == ["Validacion", "Resumen"]
    kinds = {m.name: m.kind for m in read_modules(vba_tools.read_vba(libro))}
    assert kinds["Validacion"] == "document"
    assert kinds["Metas"] == "standard" and kinds["Dictionary"] == "class"
    vba_estricto.revisar(libro)


def test_recalcular_leaves_actualizar_nothing_to_add(tmp_path: Path) -> None:
    """recalcular adds Validación and Resumen with their modules, in the same save."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(build.LIBRO, libro)
    assert runner.invoke(app, ["recalcular", str(libro)]).exit_code == 0
    kinds = {m.name: m.kind for m in read_modules(vba_tools.read_vba(libro))}
    assert kinds["HojaValidacion"] == kinds["HojaResumen"] == "document"
    r = vba_tools.actualizar_vba(libro)
    assert (r.cambiado, r.modulos_agregados) == (False, [])


def test_cli_actualizar_vba(old_xlwings: Path) -> None:
    result = runner.invoke(app, ["actualizar-vba", str(old_xlwings)])
    assert result.exit_code == 0, result.output
    assert "0.30.0 → 0.37.8" in result.output
    result = runner.invoke(app, ["actualizar-vba", str(old_xlwings)])
    assert "no se modificó" in result.output


def test_diagnostico_of_the_built_workbook() -> None:
    d = vba_tools.diagnostico(build.LIBRO)
    assert d.version_vba == d.version_xlwings == "0.37.8"
    assert d.versiones_coinciden is True
    assert "Metas" in d.modulos
    assert d.interprete_libro and d.interprete_libro.endswith("pythonw.exe")
    result = runner.invoke(app, ["diagnostico", str(build.LIBRO)])
    assert result.exit_code == 0, result.output
    assert "coincide" in result.output


def test_diagnostico_flags_a_mismatch(old_xlwings: Path) -> None:
    d = vba_tools.diagnostico(old_xlwings)
    assert d.versiones_coinciden is False
    assert any("actualizar-vba" in p for p in d.pendientes)
    result = runner.invoke(app, ["diagnostico", str(old_xlwings)])
    assert result.exit_code == 1
    assert "NO coincide" in result.output


def test_diagnostico_without_workbook() -> None:
    result = runner.invoke(app, ["diagnostico"])
    assert result.exit_code == 0, result.output
    assert "xlwings instalado 0.37.8" in result.output


@pytest.mark.parametrize("content", [b"no soy un zip", None])
def test_bad_workbooks_get_a_spanish_message(tmp_path: Path, content: bytes | None) -> None:
    libro = tmp_path / "malo.xlsm"
    if content is not None:
        libro.write_bytes(content)
    with pytest.raises(LecturaError):
        vba_tools.actualizar_vba(libro)
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_xlsx_without_macros(tmp_path: Path) -> None:
    libro = tmp_path / "sin_macros.xlsx"
    with zipfile.ZipFile(libro, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(LecturaError, match="no tiene macros"):
        vba_tools.read_vba(libro)


def test_actualizar_on_a_project_excel_compiled(tmp_path: Path) -> None:
    """xlwings' quickstart.xlsm, compiled by Excel (p-code before each source, a
    performance cache), once its add-in reference is gone: xlwings' modules go in, every
    other module keeps its stream, the references stay, and the stale cache gives way to
    the source-only header so that Excel recompiles."""
    libro = tmp_path / "quickstart.xlsm"
    shutil.copyfile(QUICKSTART_EXCEL, libro)
    con_vba(libro, sin_referencia(vba_de(libro), "xlwings"))
    antes = vba_de(libro)
    r = vba_tools.actualizar_vba(libro)
    assert (r.version_anterior, r.cambiado, r.modulos_agregados) == (None, True, XLWINGS)
    despues = vba_de(libro)
    viejos, nuevos = flujos(antes)[0], flujos(despues)[0]
    assert len(viejos["VBA/_VBA_PROJECT"]) > 7 and nuevos["VBA/_VBA_PROJECT"] == bytes.fromhex(
        "CC61FFFF000100"
    )
    for modulo in ("ThisWorkbook", "Sheet1", "Sheet2", "Module1"):
        assert nuevos[f"VBA/{modulo}"] == viejos[f"VBA/{modulo}"], modulo
    assert referencias(despues) == referencias(antes)  # MSForms and Office
    vba_estricto.revisar(libro)
    assert not vba_tools.actualizar_vba(libro).cambiado


def test_actualizar_refuses_a_module_called_like_xlwings_own(tmp_path: Path) -> None:
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    modules = [
        m if m.name != "Dictionary" else standard_module("Dictionary", "Sub Mio()\nEnd Sub\n")
        for m in read_modules(vba_de(libro))
    ]
    con_vba(libro, build_project(modules))
    before = libro.read_bytes()
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 2, result.output
    assert "módulo estándar «Dictionary» que no es el de xlwings" in result.output
    assert "no se modificó" in result.output and libro.read_bytes() == before


def test_actualizar_refuses_a_project_it_cannot_read(tmp_path: Path) -> None:
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    con_vba(libro, b"\xd0\xcf\x11\xe0 not a compound file")
    before = libro.read_bytes()
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 2 and "no pude leer su proyecto VBA" in result.output
    assert "Traceback" not in result.output and libro.read_bytes() == before


def test_cli_reports_renamed_code_names_and_removed_modules(tmp_path: Path) -> None:
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    con_hojas_viejas(libro, {"Metas": "Metas"})
    wb = openpyxl.load_workbook(libro, keep_vba=True)
    wb.remove(wb["Configuración"])  # its module HojaConfiguracion stays behind
    wb.save(libro)
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 0, result.output
    salida = " ".join(result.output.split())
    assert "ya tenía xlwings 0.37.8; se ajustaron los módulos de sus hojas" in salida
    assert "Módulos agregados: HojaMetas." in salida
    assert "Módulos quitados (sus hojas ya no están): HojaConfiguracion." in salida
    assert "Nombre de código de la hoja «Metas»: Metas → HojaMetas." in salida
    vba_estricto.revisar(libro)
    wb = openpyxl.load_workbook(libro, keep_vba=True)
    assert wb["Metas"].sheet_properties.codeName == "HojaMetas"


@pytest.mark.parametrize(
    ("quitar", "queda"),
    [
        (b' codeName="ThisWorkbook"', b'<workbookPr codeName="ThisWorkbook" '),
        (b'<workbookPr codeName="ThisWorkbook" defaultThemeVersion="124226"/>', b"/><workbookPr"),
    ],
    ids=["sin-atributo", "sin-workbookPr"],
)
def test_actualizar_gives_the_workbook_back_its_code_name(
    tmp_path: Path, quitar: bytes, queda: bytes
) -> None:
    """A workbook.xml that lost its codeName (its module ThisWorkbook is still there)."""
    libro = tmp_path / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, libro)
    partes = parts(libro)
    xml = partes["xl/workbook.xml"]
    assert quitar in xml
    with zipfile.ZipFile(libro, "w") as z:
        for nombre, datos in partes.items():
            z.writestr(nombre, xml.replace(quitar, b"") if nombre == "xl/workbook.xml" else datos)
    result = runner.invoke(app, ["actualizar-vba", str(libro)])
    assert result.exit_code == 0, result.output
    assert "Nombre de código del libro: (ninguno) → ThisWorkbook." in result.output
    nuevo = parts(libro)["xl/workbook.xml"]
    assert queda in nuevo and nuevo.count(b'codeName="ThisWorkbook"') == 1
    vba_estricto.revisar(libro)


def test_actualizar_refuses_a_signed_project(old_xlwings: Path) -> None:
    """A new vbaProject.bin would no longer match its digital signature."""
    partes = parts(old_xlwings)
    with zipfile.ZipFile(old_xlwings, "w") as z:
        for nombre, datos in partes.items():
            z.writestr(nombre, datos)
        z.writestr("xl/vbaProjectSignature.bin", b"firma")
    before = old_xlwings.read_bytes()
    result = runner.invoke(app, ["actualizar-vba", str(old_xlwings)])
    assert result.exit_code == 2, result.output
    assert "firmado digitalmente" in result.output and "no se modificó" in result.output
    assert old_xlwings.read_bytes() == before


def test_actualizar_refuses_a_code_page_xlwings_does_not_fit(
    old_xlwings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """xlwings' source is ASCII today; one with an «ñ» cannot go into a Japanese project."""
    con_vba(old_xlwings, con_pagina_de_codigos(vba_de(old_xlwings), 932))
    modules = [replace(m, source=m.source + "' año\r\n") for m in build.xlwings_modules()]
    monkeypatch.setattr(build, "xlwings_modules", lambda: modules)
    before = old_xlwings.read_bytes()
    result = runner.invoke(app, ["actualizar-vba", str(old_xlwings)])
    assert result.exit_code == 2, result.output
    assert "página de códigos cp932" in result.output and "no se modificó" in result.output
    assert old_xlwings.read_bytes() == before
