"""Plans calendarised by quarter, end to end: stored, validated, coloured, totalled, printed
and consolidated as T1…T4 (no months invented)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.entrada import escribir_libro
from tests.support.libros_avance import relleno
from tests.support.libros_copias import MAESTRO, editar, reloj
from tests.support.planes import libro_de_plan, meta_plan, plan_trimestral
from xl_metas import copias_archivo, operaciones
from xl_metas.cli import app
from xl_metas.estados import COLORES_ESTADO, Corte, Estado
from xl_metas.grid import Grid
from xl_metas.lectura import leer
from xl_metas.model import Periodicidad
from xl_metas.plan_sheet import read_plan
from xl_metas.validation_avance import validate_avance
from xl_metas.workbook_file import LibroArchivo

runner = CliRunner()
T = ("T1", "T2", "T3", "T4")


def _plan():  # type: ignore[no-untyped-def]
    return plan_trimestral(
        [
            meta_plan(1, (3, 3, 3, 3), unidad="Visitas"),
            meta_plan(2, (2, 0, 2, 0), unidad="Visitas", anual=5),  # the quarters add to 4
            meta_plan(3, (1, 1, 1, 1), programa="DIFUSIÓN", unidad="Eventos"),
        ]
    )


REALIZADO = {1: (3, 1, None, None), 2: (0, None, None, None), 3: (1, None, None, None)}


def _libro(tmp_path: Path, corte: dt.date = dt.date(2024, 3, 31)) -> Path:
    return libro_de_plan(tmp_path / "trimestral.xlsx", _plan(), REALIZADO, corte)


def _hoja(path: Path, nombre: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[nombre]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _run(*args: str) -> object:
    return runner.invoke(app, list(args))


# -- stored ---------------------------------------------------------------------------------
def test_el_plan_trimestral_se_guarda_y_se_lee_por_trimestres(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    plan = _hoja(path, "Plan")
    assert plan[3][:12] == [
        "PROGRAMA", "OBJETIVO", "META", "DESCRIPCIÓN DE LA META", "UNIDAD DE MEDIDA",
        "PROGRAMA ANUAL", *T, "SUMA DEL CALENDARIO", "DIFERENCIA",
    ]  # fmt: skip
    assert "ENE" not in plan[3]
    assert plan[4][5:10] == [12, 3, 3, 3, 3]
    avance = _hoja(path, "Avance")
    assert avance[3][3:7] == list(T) and "ENE" not in avance[3]
    assert avance[4][3:5] == [3, 1]
    lectura = leer(LibroArchivo(path))
    assert lectura.plan.periodicidad is Periodicidad.TRIMESTRAL
    assert [v.raw for v in lectura.plan.metas[1].meses] == [2, 0, 2, 0]
    assert lectura.avance is not None
    assert lectura.avance.avance.periodicidad is Periodicidad.TRIMESTRAL


@pytest.mark.parametrize(
    "etiquetas",
    [
        ("1er trimestre", "2do trimestre", "3er trimestre", "4to trimestre"),
        ("TRIMESTRE 1", "TRIMESTRE 2", "TRIMESTRE 3", "TRIMESTRE 4"),
        ("Primer Trimestre", "Segundo trimestre", "Tercer trimestre", "Cuarto trimestre"),
        T,
    ],
)
def test_encabezados_de_trimestre_aceptados(etiquetas: tuple[str, ...]) -> None:
    encabezado = ["PROGRAMA", "OBJETIVO", "META", "DESCRIPCIÓN", "UNIDAD", "ANUAL", *etiquetas]
    fila = ["VINCULACIÓN", "Obj", 1, "Desc", "Visitas", 4, 1, 1, 1, 1]
    plan, _ = read_plan(Grid("x.xlsx", "Plan", [encabezado, fila]))
    assert plan.periodicidad is Periodicidad.TRIMESTRAL
    assert [v.raw for v in plan.metas[0].meses] == [1, 1, 1, 1]
    assert [v.celda for v in plan.metas[0].meses] == ["G2", "H2", "I2", "J2"]


def test_meses_y_trimestres_a_la_vez_es_un_error_que_nombra_las_celdas(tmp_path: Path) -> None:
    meses = ["ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGT", "SEP", "OCT", "NOV", "DIC"]
    encabezado = ["PROGRAMA", "OBJETIVO", "META", "DESCRIPCIÓN", "UNIDAD", "ANUAL", *meses, "T1"]
    path = escribir_libro(tmp_path / "mixto.xlsx", {"Plan": [encabezado, ["V", "O", 1]]})
    antes = path.read_bytes()
    result = _run("validar", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    salida = " ".join(result.output.split())  # type: ignore[attr-defined]
    assert "meses y trimestres a la vez" in salida
    assert "ENE en G1" in salida and "DIC en R1" in salida and "T1 en S1" in salida
    assert path.read_bytes() == antes


def test_un_avance_con_otro_calendario_se_reporta(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    # An Avance by month beside the Plan by quarter.
    wb = openpyxl.load_workbook(path)
    ws = wb["Avance"]
    meses = ("ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGT", "SEP", "OCT", "NOV", "DIC")
    for columna, mes in enumerate(meses, start=4):
        ws.cell(4, columna).value = mes
    wb.save(path)
    result = _run("validar", str(path), "--json")
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    distinto = [h for h in data if h["regla"] == "avance-calendario-distinto"]
    assert len(distinto) == 1 and distinto[0]["hoja"] == "Avance" and distinto[0]["celda"] == "D4"
    assert "meses (ENE…DIC)" in distinto[0]["mensaje"]
    assert "trimestres (T1…T4)" in distinto[0]["mensaje"]
    antes = path.read_bytes()
    result = _run("vencidos", str(path), "--corte", "2024-03-31")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "no se pueden comparar" in " ".join(result.output.split())  # type: ignore[attr-defined]
    assert path.read_bytes() == antes


# -- validated ------------------------------------------------------------------------------
def test_validar_suma_los_cuatro_trimestres(tmp_path: Path) -> None:
    hallazgos = operaciones.validar(LibroArchivo(_libro(tmp_path)))
    anual = [h for h in hallazgos if h.regla == "anual-vs-calendario"]
    assert [(h.meta, h.celda) for h in anual] == [("2", "F6")]
    assert "programa anual (5)" in anual[0].mensaje
    assert "suma del calendario (4)" in anual[0].mensaje
    assert "los trimestres" in anual[0].mensaje
    assert not [h for h in hallazgos if h.regla == "cantidad-invalida"]


def test_calendario_vacio_dice_trimestres(tmp_path: Path) -> None:
    plan = plan_trimestral([meta_plan(1, (None, None, None, None), anual=4)])
    hallazgos = operaciones.validar(LibroArchivo(libro_de_plan(tmp_path / "v.xlsx", plan)))
    vacio = next(h for h in hallazgos if h.regla == "calendario-vacio")
    assert "ningún trimestre programado" in vacio.mensaje and "T1…T4" in vacio.mensaje


# -- coloured: a quarter is overdue after it closes --------------------------------------------
def test_corte_por_trimestre() -> None:
    trimestral = Periodicidad.TRIMESTRAL
    c = Corte.en(2024, dt.date(2024, 3, 30), trimestral)
    assert (c.cerrados, c.en_curso) == (0, 0)
    c = Corte.en(2024, dt.date(2024, 3, 31), trimestral)
    assert (c.cerrados, c.en_curso) == (1, None)
    c = Corte.en(2024, dt.date(2024, 4, 1), trimestral)
    assert (c.cerrados, c.en_curso) == (1, 1)
    c = Corte.en(2024, dt.date(2024, 12, 31), trimestral)
    assert (c.cerrados, c.en_curso) == (4, None)
    assert Corte.en(2024, dt.date(2025, 1, 1), trimestral).cerrados == 4
    assert Corte.en(2024, dt.date(2023, 12, 31), trimestral).cerrados == 0


@pytest.mark.parametrize(
    ("corte", "estados_2", "t2_de_1"),
    [
        # 30 March: T1 still open, nothing is overdue
        ("2024-03-30", ["en curso", "futuro", "futuro", "futuro"], None),
        # 31 March: T1 closed (meta 2 did nothing: vencido), T2 not begun
        ("2024-03-31", ["vencido", "futuro", "futuro", "futuro"], None),
        # 1 April: T2 is the quarter in progress
        ("2024-04-01", ["vencido", "en curso", "futuro", "futuro"], "E7E6E6"),
    ],
)
def test_un_trimestre_vence_al_cerrar(
    tmp_path: Path, corte: str, estados_2: list[str], t2_de_1: str | None
) -> None:
    path = _libro(tmp_path)
    result = _run("vencidos", str(path), "--corte", corte, "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    por_meta = {m["meta"]: m for m in data["metas"]}
    assert por_meta[2]["estados"] == estados_2
    # Avance: meta 1 in row 5, meta 2 in row 6; T1…T4 in D…G.
    cerrado = corte != "2024-03-30"
    assert relleno(path, "Avance", "D6") == (
        COLORES_ESTADO[Estado.VENCIDO] if cerrado else "E7E6E6"
    )
    assert relleno(path, "Avance", "D5") == (
        COLORES_ESTADO[Estado.CUMPLIDO] if cerrado else "E7E6E6"
    )
    assert relleno(path, "Avance", "E5") == t2_de_1
    avance = _hoja(path, "Avance")
    cabecera = avance[3]
    fila_1 = dict(zip(cabecera, avance[4], strict=False))
    assert fila_1["TOTAL REALIZADO"] == 4
    assert fila_1["PROGRAMADO AL CORTE"] == (3 if cerrado else 0)
    assert fila_1["REALIZADO AL CORTE"] == (3 if cerrado else 0)
    assert fila_1["SEMÁFORO"] == ("verde" if cerrado else "sin programado")


def test_realizado_en_trimestre_futuro(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    seg = operaciones.seguimiento(LibroArchivo(path), dt.date(2024, 3, 31))
    assert seg is not None
    futuros = [h for h in validate_avance(seg) if h.regla == "realizado-en-mes-futuro"]
    assert [(h.meta, h.celda) for h in futuros] == [("1", "E5")]
    assert "el segundo trimestre" in futuros[0].mensaje
    seg = operaciones.seguimiento(LibroArchivo(path), dt.date(2024, 4, 1))
    assert seg is not None
    assert not [h for h in validate_avance(seg) if h.regla == "realizado-en-mes-futuro"]


# -- totalled and printed -------------------------------------------------------------------
def test_recalcular_escribe_sumas_y_resumen_por_trimestre(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    result = _run("recalcular", str(path))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    plan = _hoja(path, "Plan")
    assert [fila[10:12] for fila in plan[4:7]] == [[12, 0], [4, -1], [4, 0]]
    resumen = _hoja(path, "Resumen")
    assert resumen[4][:7] == ["PROGRAMA", "CONCEPTO", *T, "TOTAL"]
    assert resumen[5][:7] == ["VINCULACIÓN", "Programado", 5, 3, 5, 3, 16]
    assert resumen[6][:7] == [None, "Realizado", 3, 1, None, None, 4]
    assert resumen[11][:7] == ["TOTAL", "Programado", 6, 4, 6, 4, 20]


def test_resumen_json_trimestral(tmp_path: Path) -> None:
    result = _run("resumen", str(_libro(tmp_path)), "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["periodicidad"] == "trimestral" and data["periodos"] == list(T)
    meta_2 = data["metas"][1]
    assert meta_2["trimestres"] == [2, 0, 2, 0] and meta_2["meses"] is None
    assert meta_2["suma_calendario"] == 4 and meta_2["diferencia"] == -1
    vinc = data["programas"][0]
    assert vinc["programa"] == "VINCULACIÓN" and vinc["trimestres"] == [5, 3, 5, 3]
    assert vinc["realizado"] == [3, 1, 0, 0] and vinc["realizado_trimestres"] == [3, 1, 0, 0]
    assert data["total"]["trimestres"] == [6, 4, 6, 4] and data["total"]["anual"] == 21
    assert data["total"]["meses"] is None


def test_resumen_en_la_terminal_muestra_trimestres(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resumen", str(_libro(tmp_path))], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "T1" in result.output and "ENE" not in result.output


def test_hojas_por_area_trimestrales(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    result = _run("generar-hojas", str(path))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    hoja = _hoja(path, "VINCULACIÓN")
    assert hoja[4][:8] == [
        "OBJETIVO", "META", "DESCRIPCIÓN DE LA META", "UNIDAD DE MEDIDA", "PROGRAMA ANUAL",
        None, "CALENDARIO", None,
    ]  # fmt: skip
    assert hoja[5][6:10] == list(T)
    assert hoja[6][1] == 1 and hoja[6][5:10] == ["Prog.", 3, 3, 3, 3]
    assert hoja[7][5:8] == ["Real.", 3, 1]
    total = next(f for f in hoja if f[0] == "TOTAL")
    assert total[4:10] == [17, "Prog.", 5, 3, 5, 3]
    assert len([c for c in hoja[5] if c is not None]) == 4  # no month invented


# -- consolidated -----------------------------------------------------------------------------
def test_exportar_y_consolidar_un_libro_trimestral(tmp_path: Path) -> None:
    path = libro_de_plan(
        tmp_path / "Trimestral.xlsm",
        _plan(),
        REALIZADO,
        dt.date(2024, 3, 31),
        plantilla=MAESTRO,
    )
    hechas = copias_archivo.exportar_copias(path, tmp_path / "enviadas", ahora=reloj)
    assert len(hechas) == 2
    copia = next(e.archivo for e in hechas if "Vinculaci" in e.archivo.name)
    # T2 and T3 are blank in the master: taken; T1 holds 0 there and 2 in the copy: conflict
    editar(copia, {("Avance", 2, "T1"): 2, ("Avance", 2, "T2"): 1, ("Avance", 2, "T3"): 2})
    libro = LibroArchivo(path)
    informe = operaciones.consolidar(libro, [copia], ahora=reloj)
    assert libro.guardar(respaldo=False)
    assert not informe.rechazadas
    assert informe.actualizadas == 2 and informe.conflictos == 1
    assert [c.celda for c in informe.copias[0].conflictos] == ["D6"]
    avance = _hoja(path, "Avance")
    assert avance[5][1] == 2 and avance[5][3:7] == [0, 1, 2, None]
