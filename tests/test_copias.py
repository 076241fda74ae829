"""E-mailed copies, end to end on real files: export from the shipped macro workbook, edit
the copies as users would (openpyxl), consolidate twice, and check nothing was overwritten
silently and nothing was injected."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.packaging.custom import StringProperty
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from tests.support import vba_estricto
from tests.support.libros_copias import (
    HIPERVINCULO,
    MAESTRO,
    celda,
    editar,
    hoja_rows,
    metas_en,
    reloj,
    sha,
    valor,
    vba,
)
from tests.support.libros_vba import flujos
from xl_metas import copias, copias_archivo, operaciones
from xl_metas.avance import Avance, FilaAvance, avance_table, read_avance
from xl_metas.cli import app
from xl_metas.copias import (
    HOJA_CONSOLIDACION,
    PROP_ANIO,
    PROP_LIBRO,
    PROP_PROGRAMA,
    iguales,
    nombre_copia,
)
from xl_metas.copias_archivo import leer_propiedades
from xl_metas.grid import Grid
from xl_metas.model import MESES, Valor
from xl_metas.rangos import rectangulos as bloques
from xl_metas.workbook_file import LibroArchivo


# -- export ------------------------------------------------------------------------------------
def test_nombre_de_la_copia() -> None:
    assert nombre_copia("Metas2011.xlsm", "VINCULACIÓN") == "Metas2011 - Vinculación.xlsm"
    assert nombre_copia("M.xlsm", "Difusión / Prensa") == "M - Difusión - Prensa.xlsm"


def test_una_copia_completa_por_programa(maestro: Path, exportadas: dict[str, Path]) -> None:
    assert {p.name for p in exportadas.values()} == {
        "Metas2011 - Vinculación.xlsm",
        "Metas2011 - Capacitación.xlsm",
        "Metas2011 - Difusión.xlsm",
    }
    vinc = exportadas["VINCULACIÓN"]
    assert metas_en(vinc, "Plan") == [1, 2, 3, 4, 5, 6]
    assert metas_en(vinc, "Avance") == [1, 2, 3, 4, 5, 6]
    assert metas_en(exportadas["CAPACITACIÓN"], "Avance") == [7, 8]
    assert valor(vinc, "Avance", 2, "ENE") == 5  # progress already recorded travels along
    hojas = CalamineWorkbook.from_path(str(vinc)).sheet_names
    for hoja in ("Inicio", "Plan", "Avance", "Configuración", "xlwings.conf", "VINCULACIÓN"):
        assert hoja in hojas
    assert "DIFUSIÓN" not in hojas and "CAPACITACIÓN" not in hojas
    # The VBA project: a document module per sheet of the copy, the master's modules byte
    # for byte; buttons still drawn on Inicio.
    vba_estricto.revisar(vinc)
    del_maestro, de_la_copia = flujos(vba(MAESTRO))[0], flujos(vba(vinc))[0]
    for modulo in ("Metas", "xlwings", "Dictionary", "ThisWorkbook", "HojaInicio", "HojaPlan"):
        assert de_la_copia[f"VBA/{modulo}"] == del_maestro[f"VBA/{modulo}"], modulo
    with zipfile.ZipFile(vinc) as z:
        assert any(n.startswith("xl/drawings/vmlDrawing") for n in z.namelist())
    # The copy still works: our own commands run on it.
    copia = LibroArchivo(vinc)
    assert len(operaciones.recalcular(copia).plan.metas) == 6


def test_el_sello_de_origen(maestro: Path, exportadas: dict[str, Path]) -> None:
    props = leer_propiedades(exportadas["DIFUSIÓN"])
    assert props[PROP_PROGRAMA] == "DIFUSIÓN"
    assert props[PROP_ANIO] == "2011"
    assert props[PROP_LIBRO] == copias.id_del_libro(LibroArchivo(maestro))
    assert props["xlmetas_exportada"] == "2011-07-01T09:30:00"
    assert props["xlmetas_huella_plan"]


def test_el_sello_sobrevive_a_guardar(exportadas: dict[str, Path], tmp_path: Path) -> None:
    """openpyxl (our own buttons' headless save) and a save as .xlsx keep the stamp."""
    ruta = exportadas["VINCULACIÓN"]
    antes = leer_propiedades(ruta)
    libro = LibroArchivo(ruta)
    libro.escribir("Avance", 5, 4, [[1]])
    assert libro.guardar()
    assert leer_propiedades(ruta) == antes
    como_xlsx = tmp_path / "sin macros.xlsx"
    openpyxl.load_workbook(ruta).save(como_xlsx)
    assert leer_propiedades(como_xlsx) == antes


@pytest.mark.libreoffice
def test_el_sello_sobrevive_a_libreoffice(exportadas: dict[str, Path], tmp_path: Path) -> None:
    from tests.support import lo

    lo.require_libreoffice()
    ruta = exportadas["CAPACITACIÓN"]
    convertida = lo._soffice_convert(ruta, tmp_path, "xlsx", timeout=120)
    assert leer_propiedades(convertida) == leer_propiedades(ruta)


def test_exportar_dos_veces_no_cambia_nada(maestro: Path, exportadas: dict[str, Path]) -> None:
    antes = {p: sha(r) for p, r in exportadas.items()}
    maestro_antes = sha(maestro)
    hechas = copias_archivo.exportar_copias(maestro, next(iter(exportadas.values())).parent)
    assert [e.estado for e in hechas] == ["sin cambios"] * 3
    assert {e.programa: sha(e.archivo) for e in hechas} == antes
    assert sha(maestro) == maestro_antes


def test_reexportar_tras_un_cambio_deja_respaldo(
    maestro: Path, exportadas: dict[str, Path]
) -> None:
    editar(maestro, {("Avance", 7, "FEB"): 2})
    hechas = {
        e.programa: e
        for e in copias_archivo.exportar_copias(maestro, exportadas["DIFUSIÓN"].parent)
    }
    assert hechas["CAPACITACIÓN"].estado == "actualizada"
    assert hechas["CAPACITACIÓN"].respaldo is not None
    assert hechas["CAPACITACIÓN"].respaldo.exists()
    assert hechas["VINCULACIÓN"].estado == "sin cambios"


def test_carpeta_por_omision_desde_configuracion(maestro: Path) -> None:
    hechas = operaciones.exportar_copias(maestro)
    assert {e.archivo.parent for e in hechas} == {maestro.parent / "copias" / "enviadas"}
    libro = LibroArchivo(maestro)
    assert copias.carpeta_copias(libro, maestro) == maestro.parent / "copias"


# -- the round trip ---------------------------------------------------------------------------
def test_ida_y_vuelta_completa(maestro: Path, devueltas: dict[str, Path]) -> None:
    vba_antes = vba(maestro)
    libro = LibroArchivo(maestro)
    archivos = operaciones.expandir_copias([devueltas["DIFUSIÓN"].parent])
    assert len(archivos) == 5
    informe = operaciones.consolidar(libro, archivos, ahora=reloj)
    assert libro.guardar()

    por_archivo = {r.archivo: r for r in informe.copias}
    vinc = por_archivo["Metas2011 - Vinculación.xlsm"]
    assert vinc.rechazo is None
    assert sorted((c.meta, c.campo) for c in vinc.actualizadas) == [
        ("1", "ENE"),
        ("1", "FEB"),
        ("1", "justificacion"),
        ("2", "FEB"),
    ]
    assert [(c.meta, c.campo, c.libro, c.copia) for c in vinc.conflictos] == [("2", "ENE", 5, 7)]
    assert [(p.meta, p.campo, p.libro, p.copia) for p in vinc.propuestas] == [
        ("1", "PROGRAMA ANUAL", "4", "99")
    ]
    assert [a.meta for a in vinc.fuera] == ["8"]
    assert por_archivo["Metas2011 - Capacitación.xlsx"].actualizadas[0].campo == "MAR"
    assert "dañado" in (por_archivo["Metas2011 - Dañada.xlsm"].rechazo or "")
    assert "otro libro" in (por_archivo["Ajena - Vinculación.xlsm"].rechazo or "")
    assert len(por_archivo["Metas2011 - Difusión.xlsm"].actualizadas) == 2

    # The master: agreements in, conflict kept, plan untouched, foreign row ignored.
    assert valor(maestro, "Avance", 1, "ENE") == 1
    assert valor(maestro, "Avance", 2, "ENE") == 5
    assert valor(maestro, "Avance", 2, "FEB") == 3
    assert valor(maestro, "Avance", 7, "MAR") == 3
    assert valor(maestro, "Avance", 8, "ENE") is None
    assert valor(maestro, "Avance", 4, "ENE") is None  # from the other master's copy
    assert valor(maestro, "Plan", 1, "PROGRAMA ANUAL") == 4
    # Text stays text: no formula in the XML, openpyxl sees a string.
    just = celda(maestro, "Avance", 1, "JUSTIFICACIÓN")
    assert just.value == HIPERVINCULO and just.data_type == "s"
    with zipfile.ZipFile(maestro) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode("utf-8"), name
    assert vba(maestro) == vba_antes

    # The Consolidación sheet lists it all.
    rows = hoja_rows(maestro, HOJA_CONSOLIDACION)
    resultados = [(r[1], r[3], r[5]) for r in rows[4:]]
    assert ("Metas2011 - Vinculación.xlsm", "1", "actualizada") in resultados
    assert ("Metas2011 - Vinculación.xlsm", "2", "conflicto: se conservó el libro") in resultados
    assert ("Metas2011 - Dañada.xlsm", "", "copia rechazada") in resultados
    assert any(r[5].startswith("propuesta") and r[3] == "1" for r in rows[4:])

    # Twice: nothing changes, the file is not even rewritten.
    antes = sha(maestro)
    libro = LibroArchivo(maestro)
    segundo = operaciones.consolidar(libro, archivos)
    assert segundo.actualizadas == 0
    assert segundo.conflictos == 1  # still reported, still not applied
    assert libro.guardar() is False
    assert sha(maestro) == antes


def test_preferir_copia_toma_el_valor_y_lo_reporta(
    maestro: Path, devueltas: dict[str, Path]
) -> None:
    libro = LibroArchivo(maestro)
    informe = operaciones.consolidar(libro, [devueltas["VINCULACIÓN"]], preferir_copia=True)
    assert libro.guardar()
    assert valor(maestro, "Avance", 2, "ENE") == 7
    assert informe.conflictos == 1
    rows = hoja_rows(maestro, HOJA_CONSOLIDACION)
    assert any(r[5] == "conflicto: se tomó la copia" and r[6] == "5" for r in rows[4:])
    libro = LibroArchivo(maestro)
    assert (
        operaciones.consolidar(libro, [devueltas["VINCULACIÓN"]], preferir_copia=True).conflictos
        == 0
    )
    assert libro.guardar() is False


def test_simular_no_escribe(maestro: Path, devueltas: dict[str, Path]) -> None:
    antes = sha(maestro)
    libro = LibroArchivo(maestro)
    informe = operaciones.consolidar(libro, [devueltas["VINCULACIÓN"]], simular=True)
    assert informe.actualizadas == 4
    assert libro.guardar() is False
    assert sha(maestro) == antes


def test_copia_de_otro_anio(maestro: Path, devueltas: dict[str, Path]) -> None:
    ruta = devueltas["DIFUSIÓN"]
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    props = wb.custom_doc_props
    props.props = [p for p in props.props if p.name != PROP_ANIO]
    props.append(StringProperty(name=PROP_ANIO, value="2012"))
    wb.save(ruta)
    informe = operaciones.consolidar(LibroArchivo(maestro), [ruta], simular=True)
    assert "2012" in (informe.copias[0].rechazo or "")


def test_un_libro_sin_sello_se_rechaza(maestro: Path, tmp_path: Path) -> None:
    otro = tmp_path / "cualquiera.xlsm"
    shutil.copyfile(MAESTRO, otro)
    informe = operaciones.consolidar(LibroArchivo(maestro), [otro], simular=True)
    assert "sello" in (informe.copias[0].rechazo or "")


def test_dos_copias_del_mismo_programa_no_se_pisan(
    maestro: Path, exportadas: dict[str, Path], tmp_path: Path
) -> None:
    a = Path(shutil.copy(exportadas["VINCULACIÓN"], tmp_path / "a.xlsm"))
    b = Path(shutil.copy(exportadas["VINCULACIÓN"], tmp_path / "b.xlsm"))
    editar(a, {("Avance", 5, "ENE"): 1})
    editar(b, {("Avance", 5, "ENE"): 2})
    libro = LibroArchivo(maestro)
    informe = operaciones.consolidar(libro, [a, b])
    libro.guardar()
    assert len(informe.copias[0].actualizadas) == 1
    assert [(c.libro, c.copia) for c in informe.copias[1].conflictos] == [(1, 2)]
    assert valor(maestro, "Avance", 5, "ENE") == 1


# -- CLI ---------------------------------------------------------------------------------------
def test_cli_exportar_y_consolidar(maestro: Path, devueltas: dict[str, Path]) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["exportar-copias", str(maestro)])
    assert result.exit_code == 0, result.output
    assert "Vinculación" in result.output
    carpeta = str(devueltas["DIFUSIÓN"].parent)
    result = runner.invoke(app, ["consolidar", str(maestro), carpeta, "--simular"])
    assert result.exit_code == 1, result.output  # two files rejected
    assert "Simulación" in result.output
    assert "rechazada" in result.output
    result = runner.invoke(app, ["consolidar", str(maestro), carpeta])
    out = re.sub(r"\s+", " ", result.output)
    assert "Conflictos" in out and "Meta 1:" in out
    assert "Guardado" in out
    result = runner.invoke(app, ["consolidar", str(maestro), carpeta])
    assert "no se modificó" in re.sub(r"\s+", " ", result.output)


def test_cli_sin_hoja_avance_es_un_error_claro(plan_2011: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["consolidar", str(plan_2011), str(tmp_path)])
    assert result.exit_code == 2
    assert "Avance" in result.output


# -- small pieces ---------------------------------------------------------------------------
def test_iguales() -> None:
    assert iguales(3, "3") and iguales(3.0, 3) and iguales(None, "  ")
    assert not iguales("a", "A") and not iguales(0, None)


def test_bloques_solo_celdas_cambiadas() -> None:
    celdas = {(5, 4), (5, 5), (6, 4), (6, 5), (7, 9), (9, 4)}
    assert bloques(celdas) == [(5, 4, 6, 5), (7, 9, 7, 9), (9, 4, 9, 4)]
    cubiertas = {
        (r, c)
        for r1, c1, r2, c2 in bloques(celdas)
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
    }
    assert cubiertas == celdas


def test_consolidar_solo_escribe_celdas_sin_openpyxl(
    maestro: Path, devueltas: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the log created at export, a consolidation is plain cell writes: the file is
    saved by patching its worksheets, never loaded with openpyxl."""

    def prohibido(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl.load_workbook")

    assert HOJA_CONSOLIDACION in CalamineWorkbook.from_path(str(maestro)).sheet_names
    vba_antes = vba(maestro)
    monkeypatch.setattr(openpyxl, "load_workbook", prohibido)
    libro = LibroArchivo(maestro)
    informe = operaciones.consolidar(libro, [devueltas["VINCULACIÓN"]], ahora=reloj)
    assert libro.guardar()
    segundo = LibroArchivo(maestro)
    operaciones.consolidar(segundo, [devueltas["VINCULACIÓN"]], ahora=reloj)
    assert segundo.guardar() is False
    monkeypatch.undo()
    assert informe.actualizadas == 4 and vba(maestro) == vba_antes
    assert valor(maestro, "Avance", 1, "FEB") == 2
    assert celda(maestro, "Avance", 1, "JUSTIFICACIÓN").value == HIPERVINCULO
    rows = hoja_rows(maestro, HOJA_CONSOLIDACION)
    assert rows[3][0] == "FECHA" and rows[4][0] == "01/07/2011 09:30"
    assert sum(r[5] == "actualizada" for r in rows[4:]) == 2  # metas 1 and 2


def _avance_celda_por_celda(grid: Grid) -> Avance:
    """The obvious reading, one cell lookup at a time: what the fast reader must equal."""
    table = avance_table(grid)
    filas = []
    for row in table.rows():
        if all(table.get(row, k) is None for k in ("numero", *MESES, "justificacion")):
            continue

        def cell(key: str, row: int = row) -> Valor:
            return Valor(table.get(row, key), table.address(row, key))

        meses = tuple(cell(mes) for mes in MESES)
        filas.append(
            FilaAvance(
                cell("numero"),
                cell("programa"),
                cell("descripcion"),
                meses,
                cell("justificacion"),
                row,
            )
        )
    return Avance(tuple(filas), hoja=grid.hoja)


def test_read_avance_igual_que_celda_por_celda(maestro: Path, devueltas: dict[str, Path]) -> None:
    for ruta in (maestro, devueltas["VINCULACIÓN"], devueltas["CAPACITACIÓN"]):
        grid = LibroArchivo(ruta).leer("Avance")
        assert read_avance(grid)[0] == _avance_celda_por_celda(grid), ruta.name
