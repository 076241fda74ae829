"""The Avance sheet: read by labels, computed columns and colours written back, findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.libros_avance import (
    libro_muestra,
    libro_plan_avance,
    relleno,
    rellenos_area,
    valores,
)
from xl_metas import operaciones
from xl_metas.avance import (
    ENCABEZADOS_AVANCE,
    avance_sheet,
    read_avance,
)
from xl_metas.errors import LecturaError
from xl_metas.estados import COLORES_ESTADO, COLORES_SEMAFORO, Estado, Semaforo
from xl_metas.grid import Grid
from xl_metas.lectura import leer
from xl_metas.muestra import AVISO_MUESTRA
from xl_metas.rangos import agrupar_rangos, columnas_enteras, en_a1
from xl_metas.workbook_file import LibroArchivo

VERDE = COLORES_ESTADO[Estado.CUMPLIDO]
ATRASO = COLORES_ESTADO[Estado.CUMPLIDO_CON_ATRASO]
PARCIAL = COLORES_ESTADO[Estado.PARCIAL]
VENCIDO = COLORES_ESTADO[Estado.VENCIDO]
NO_PROG = COLORES_ESTADO[Estado.NO_PROGRAMADO]
EN_CURSO = COLORES_ESTADO[Estado.EN_CURSO]
AMARILLO = COLORES_SEMAFORO[Semaforo.AMARILLO]
ROJO = COLORES_SEMAFORO[Semaforo.ROJO]

UNO_CADA_MES = [1.0] * 12
MARZO_3 = [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def _pequeno(tmp_path: Path, **kw: object) -> Path:
    """Plan: meta 1 planned 3 in March, meta 2 planned 1 every month. Avance rows in the
    order 2, 1 (rows 4 and 5): meta 2 did 1 in Jan..Mar; meta 1 did 3 in May.
    Avance columns: A PROGRAMA, B META, C..N ENE..DIC, O JUSTIFICACIÓN."""
    avance = [
        ["VINCULACIÓN", 2, 1, 1, 1],
        ["VINCULACIÓN", 1, None, None, None, None, 3],
    ]
    return libro_plan_avance(
        tmp_path / "p.xlsx",
        [(1, MARZO_3), (2, UNO_CADA_MES)],
        avance,
        corte=kw.get("corte", dt.date(2011, 6, 30)),  # type: ignore[arg-type]
    )


def test_lee_por_etiquetas_en_cualquier_orden() -> None:
    rows = [
        ["Avance 2011"],
        [],
        ["Justificacion", "Enero", "Febrero", "No. meta", *("MAR ABR MAY JUN JUL AGO".split())]
        + ["SEP", "OCT", "NOV", "DIC"],
        ["porque sí", 1, None, 7],
        [None, None, 2, "3"],
    ]
    avance, table = read_avance(Grid("x.xlsx", "Avance", rows))
    assert [f.clave for f in avance.filas] == ["7", "3"]
    assert avance.filas[0].justificacion.texto == "porque sí"
    assert avance.filas[1].meses[1].raw == 2
    assert avance.filas[1].meses[1].celda == "C5"
    assert table.header_row == 3
    assert set(avance.por_meta()) == {"7", "3"}


def test_sin_columna_meta_es_un_error_claro() -> None:
    rows = [["PROGRAMA", "NUMERO", *ENCABEZADOS_AVANCE[3:15]]]
    with pytest.raises(LecturaError, match="hoja «Avance»"):
        read_avance(Grid("x.xlsx", "Avance", rows))


def test_hoja_avance_nueva_desde_el_plan(plan_2011: Path) -> None:
    plan = leer(LibroArchivo(plan_2011)).plan
    hoja = avance_sheet(plan)
    assert hoja.filas[3] == list(ENCABEZADOS_AVANCE)
    assert [f[1] for f in hoja.filas[4:]] == [m.numero.raw for m in plan.metas]
    avance, _ = read_avance(Grid("x", "Avance", hoja.filas))
    assert [f.clave for f in avance.filas] == [m.clave for m in plan.metas]


def test_vencidos_escribe_columnas_y_colores(tmp_path: Path) -> None:
    path = _pequeno(tmp_path)
    libro = LibroArchivo(path)
    seg = operaciones.vencidos(libro)
    assert libro.guardar()
    assert seg.corte.fecha == dt.date(2011, 6, 30)
    rows = valores(path, "Avance")
    # New headers after JUSTIFICACIÓN (column O): P..U.
    assert rows[2][15:21] == [
        "TOTAL REALIZADO",
        "PROGRAMADO AL CORTE",
        "REALIZADO AL CORTE",
        "% AL CORTE",
        "% ANUAL",
        "SEMÁFORO",
    ]
    # Meta 2 (row 4): C = 3 of cumP(June) 6 → 50 %, rojo; 3 of the annual 12 → 25 %.
    assert rows[3][15:21] == [3, 6, 3, 50, 25, "rojo"]
    # Meta 1 (row 5): March's 3 done in May → 3 of 3, 100 %, verde.
    assert rows[4][15:21] == [3, 3, 3, 100, 100, "verde"]
    # Meta 2: Jan..Mar cumplido, Apr..Jun vencido, Jul..Dec futuro (no fill).
    assert [relleno(path, "Avance", f"{c}4") for c in "CDEFGHIJ"] == [
        VERDE,
        VERDE,
        VERDE,
        VENCIDO,
        VENCIDO,
        VENCIDO,
        None,
        None,
    ]
    # Meta 1: March cumplido con atraso; May no programado; others no fill.
    assert relleno(path, "Avance", "E5") == ATRASO
    assert relleno(path, "Avance", "G5") == NO_PROG
    assert relleno(path, "Avance", "C5") is None
    assert relleno(path, "Avance", "U4") == ROJO
    assert relleno(path, "Avance", "U5") == COLORES_SEMAFORO[Semaforo.VERDE]
    # Rerun: nothing changes, nothing is saved.
    libro = LibroArchivo(path)
    operaciones.vencidos(libro)
    assert libro.guardar() is False


def test_recolorea_desde_cero_sin_tocar_otro_formato(tmp_path: Path) -> None:
    path = _pequeno(tmp_path)
    libro = LibroArchivo(path)
    operaciones.vencidos(libro)
    libro.guardar()
    wb = openpyxl.load_workbook(path)
    ws = wb["Avance"]
    ws["A1"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    ws["E5"].font = openpyxl.styles.Font(bold=True)
    ws["G5"] = None  # meta 1: the work moves from May to March
    ws["E5"] = 3
    wb.save(path)
    libro = LibroArchivo(path)
    operaciones.vencidos(libro)
    assert libro.guardar()
    assert relleno(path, "Avance", "E5") == VERDE  # now on time
    assert relleno(path, "Avance", "G5") is None  # stale "no programado" gone
    assert relleno(path, "Avance", "A1") == "FFFF00"  # outside: untouched
    assert openpyxl.load_workbook(path)["Avance"]["E5"].font.bold


def test_corte_a_mitad_de_mes_marca_en_curso(tmp_path: Path) -> None:
    path = _pequeno(tmp_path)
    libro = LibroArchivo(path)
    seg = operaciones.vencidos(libro, dt.date(2011, 6, 15))
    libro.guardar()
    assert seg.corte.en_curso == 5
    assert relleno(path, "Avance", "H4") == EN_CURSO
    # Meta 2 at 15 June: C = 3 of cumP(May) 5 → 60 %, rojo.
    assert valores(path, "Avance")[3][18] == 60


def test_metas_que_no_cuadran_son_hallazgos(tmp_path: Path) -> None:
    path = libro_plan_avance(
        tmp_path / "m.xlsx",
        [(1, UNO_CADA_MES), (2, UNO_CADA_MES)],
        [
            ["VINCULACIÓN", 1, 1],
            ["VINCULACIÓN", 9, 1],
            ["VINCULACIÓN", 1, 5],
            ["VINCULACIÓN", None, 4],
        ],
        corte=dt.date(2011, 1, 31),
    )
    hallazgos = operaciones.validar(LibroArchivo(path))
    por_regla = {(h.regla, h.meta, h.celda) for h in hallazgos}
    assert ("avance-meta-no-en-plan", "9", "B5") in por_regla
    assert ("avance-falta-meta", "2", "") in por_regla
    assert ("avance-meta-repetida", "1", "B6") in por_regla
    assert ("avance-sin-meta", "", "B7") in por_regla
    libro = LibroArchivo(path)
    seg = operaciones.vencidos(libro)  # no crash; the first row of meta 1 counts
    assert seg.por_meta()["1"].evaluacion.realizado_al_corte == 1
    assert seg.por_meta()["2"].fila is None


def test_validaciones_del_realizado(tmp_path: Path) -> None:
    plan = [(1, [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1])]
    path = libro_plan_avance(
        tmp_path / "v.xlsx",
        plan,
        [["VINCULACIÓN", 1, "tres", -1, 1.5, 2, None, None, None, None, 4]],
        corte=dt.date(2011, 5, 31),
    )
    hallazgos = operaciones.validar(LibroArchivo(path))
    found = {(h.regla, h.severidad.value, h.celda) for h in hallazgos}
    assert ("realizado-invalido", "error", "C4") in found  # text
    assert ("realizado-invalido", "error", "D4") in found  # negative
    assert ("realizado-invalido", "error", "E4") in found  # fractional
    assert ("realizado-sin-programar", "info", "F4") in found  # April planned 0
    assert ("realizado-en-mes-futuro", "advertencia", "K4") in found  # September
    mensajes = " ".join(h.mensaje for h in hallazgos)
    assert "septiembre" in mensajes and "31/05/2011" in mensajes


@pytest.mark.parametrize(
    ("corte", "hay"), [(dt.date(2012, 1, 15), True), (dt.date(2010, 12, 31), True), (None, False)]
)
def test_corte_fuera_del_anio(tmp_path: Path, corte: dt.date | None, hay: bool) -> None:
    path = libro_plan_avance(
        tmp_path / "c.xlsx",
        [(1, UNO_CADA_MES)],
        [["VINCULACIÓN", 1, 1]],
        corte=corte or dt.date(2011, 7, 1),
    )
    hallazgos = operaciones.validar(LibroArchivo(path))
    fuera = [h for h in hallazgos if h.regla == "corte-fuera-del-anio"]
    assert bool(fuera) == hay
    if hay:
        assert fuera[0].severidad.value == "advertencia" and fuera[0].celda == "B2"


def test_rojo_con_justificacion_no_es_hallazgo(tmp_path: Path) -> None:
    def rojos(justificacion: str | None) -> list[str]:
        path = libro_plan_avance(
            tmp_path / f"j{bool(justificacion)}.xlsx",
            [(1, UNO_CADA_MES)],
            [["VINCULACIÓN", 1, *([None] * 12), justificacion]],
            corte=dt.date(2011, 3, 31),
        )
        return [
            h.celda
            for h in operaciones.validar(LibroArchivo(path))
            if h.regla == "rojo-sin-justificacion"
        ]

    assert rojos(None) == ["O4"]
    assert rojos("Se reprogramó por falta de presupuesto") == []


def test_agrupar_rangos() -> None:
    cells = [(5, 4), (5, 5), (6, 4), (6, 5), (8, 4), (5, 10), (7, 10), (6, 10)]
    assert agrupar_rangos(cells) == ["D5:E6", "J5:J7", "D8"]
    assert agrupar_rangos([]) == []


@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=15),
    st.integers(1, 60),
    st.integers(0, 200),
)
def test_columnas_enteras_son_los_rectangulos_de_sus_celdas(
    columnas: list[int], primera: int, filas: int
) -> None:
    ultima = primera + filas
    celdas = [(r, c) for c in columnas for r in range(primera, ultima + 1)]
    assert en_a1(columnas_enteras(primera, ultima, columnas)) == agrupar_rangos(celdas)


# -- the real 2011 plan with the sample Avance -------------------------------------------


def test_plan_2011_con_avance_de_muestra(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "Metas2011.xlsx")
    libro = LibroArchivo(path)
    resultado = operaciones.recalcular(libro)
    assert libro.guardar()
    seg = resultado.seguimiento
    assert seg is not None
    assert seg.corte.fecha == dt.date(2011, 6, 15)
    rows = valores(path, "Avance")
    assert rows[0][0] == AVISO_MUESTRA
    por_meta = seg.por_meta()
    # Meta 7 (CAPACITACIÓN: Mar 5, Apr 3, May 2), sample "al día": all on time, 10 of 10.
    e7 = por_meta["7"].evaluacion
    assert e7.estados[:6] == (
        Estado.SIN_ACTIVIDAD,
        Estado.SIN_ACTIVIDAD,
        Estado.CUMPLIDO,
        Estado.CUMPLIDO,
        Estado.CUMPLIDO,
        Estado.EN_CURSO,
    )
    assert e7.semaforo == Semaforo.VERDE
    # Meta 9 (DIFUSIÓN: Feb 3, Aug 1, Dec 1), sample "parcial": 2 done in Feb.
    # C = 2; Feb coverage clamp(2 − 0, 0, 3) = 2 < 3 → parcial; 2/3 = 66.7 % → rojo.
    e9 = por_meta["9"].evaluacion
    assert e9.estados[1] == Estado.PARCIAL
    assert e9.porcentaje_al_corte == 66.7 and e9.semaforo == Semaforo.ROJO
    # Meta 4 (only December planned): nothing planned up to the cut-off.
    assert por_meta["4"].evaluacion.semaforo == Semaforo.SIN_PROGRAMADO
    # Every state and every semáforo appears in the sample.
    assert {e for r in seg.resultados for e in r.evaluacion.estados} == set(Estado)
    assert {r.evaluacion.semaforo for r in seg.resultados} == set(Semaforo)
    # … and every colour is on the sheet (months D..O, semáforo column X).
    fills = rellenos_area(path, "Avance", "D5:X24")
    assert {VERDE, ATRASO, PARCIAL, VENCIDO, NO_PROG, EN_CURSO, AMARILLO, ROJO} <= fills
    # The rojo metas without justificación are findings; the sample justifies meta 5.
    sin_just = {h.meta for h in resultado.hallazgos if h.regla == "rojo-sin-justificacion"}
    assert "5" not in sin_just and "10" in sin_just
    # A second recalcular changes nothing.
    libro = LibroArchivo(path)
    operaciones.recalcular(libro)
    assert libro.guardar() is False
