"""Units decide precision: counts stay whole, percentages and measures take decimals,
totals go per unit (never adding events to kilometres), and no floating-point noise shows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.planes import libro_de_plan, meta_plan
from xl_metas.cli import app
from xl_metas.lectura import leer
from xl_metas.model import Plan, numero_plano, redondear, texto_numero
from xl_metas.plan_sheet import reglas_plan
from xl_metas.unidades import ClaseUnidad, acepta_decimales, agrupar, clase_unidad
from xl_metas.workbook_file import LibroArchivo

runner = CliRunner()


def _mes(*primeros: float) -> tuple[float, ...]:
    return (*primeros, *(0,) * (12 - len(primeros)))


PLAN = Plan(
    (
        meta_plan(1, _mes(1, 1, 1, 1), unidad="Eventos"),
        meta_plan(2, _mes(0.15, 0.35), unidad="Porcentaje", anual=0.5),
        meta_plan(3, _mes(0.1, 0.2), programa="DIFUSIÓN", unidad="Km", anual=0.3),
        meta_plan(4, _mes(1.5, 0.5), programa="DIFUSIÓN", unidad="Eventos"),  # decimals: error
        meta_plan(5, _mes(1.2, 0.5), programa="DIFUSIÓN", unidad="Km", anual=1.7),
    ),
    anio=2024,
    institucion="INSTITUTO DE PRUEBA",
)
REALIZADO = {1: _mes(1, 1), 2: _mes(0.15), 3: _mes(0.1, 0.2), 4: _mes(1.5), 5: _mes(1.2)}


def _libro(tmp_path: Path) -> Path:
    return libro_de_plan(tmp_path / "unidades.xlsx", PLAN, REALIZADO, dt.date(2024, 2, 29))


def _hoja(path: Path, nombre: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[nombre]
    return [list(r) for r in ws.iter_rows(values_only=True)]


# -- the unit table -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("unidad", "clase"),
    [
        ("Eventos", ClaseUnidad.CONTEO),
        ("Número de visitas", ClaseUnidad.CONTEO),
        ("Porcentaje", ClaseUnidad.PORCENTAJE),
        ("% de avance", ClaseUnidad.PORCENTAJE),
        ("Por ciento", ClaseUnidad.PORCENTAJE),
        ("Km", ClaseUnidad.MEDIDA),
        ("Km.", ClaseUnidad.MEDIDA),
        ("kilómetros de camino", ClaseUnidad.MEDIDA),
        ("Horas de capacitación", ClaseUnidad.MEDIDA),
        ("Metros cuadrados", ClaseUnidad.MEDIDA),
        ("Litros", ClaseUnidad.MEDIDA),
        ("Miles de pesos", ClaseUnidad.MEDIDA),
        ("", ClaseUnidad.CONTEO),
    ],
)
def test_clase_de_unidad(unidad: str, clase: ClaseUnidad) -> None:
    assert clase_unidad(unidad) is clase
    assert acepta_decimales(unidad) is (clase is not ClaseUnidad.CONTEO)


def test_una_unidad_escrita_de_dos_formas_es_una() -> None:
    assert agrupar(["Eventos", "Km", "Evento", "Reuniones", "Reunión"]) == {
        "Eventos": "Eventos",
        "Km": "Km",
        "Evento": "Eventos",
        "Reuniones": "Reuniones",
        "Reunión": "Reuniones",
    }


def test_sin_ruido_de_punto_flotante() -> None:
    assert numero_plano(0.1 + 0.2) == 0.3
    assert numero_plano(1.2 + 0.5) == 1.7 and texto_numero(1.7000000000000002) == "1.7"
    assert numero_plano(2.9999999999999996) == 3 and isinstance(numero_plano(3.0), int)
    assert texto_numero(12345.67) == "12345.67"
    assert redondear(123456789012.0) == 123456789012.0  # whole numbers untouched


# -- validation -----------------------------------------------------------------------------
def test_decimales_segun_la_unidad(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validar", str(_libro(tmp_path)), "--json"])
    hallazgos = json.loads(result.stdout)
    cantidades = sorted(
        (h["hoja"], h["celda"], h["meta"])
        for h in hallazgos
        if h["regla"] in ("cantidad-invalida", "realizado-invalido")
    )
    # Only the count meta (Eventos) with decimals, in the Plan and in Avance.
    assert cantidades == [("Avance", "D8", "4"), ("Plan", "G8", "4"), ("Plan", "H8", "4")]
    plan_g8 = next(h for h in hallazgos if h["celda"] == "G8")
    assert "con decimales (1.5)" in plan_g8["mensaje"] and "entero" in plan_g8["mensaje"]
    # 0.1 + 0.2 is 0.3: no discrepancy for meta 3
    assert not [h for h in hallazgos if h["regla"] == "anual-vs-calendario"]


def test_la_marca_roja_del_plan_deja_decimales_a_las_medidas(tmp_path: Path) -> None:
    lectura = leer(LibroArchivo(_libro(tmp_path)))
    formula = reglas_plan(lectura.tabla_plan)[1].reglas[0][0]
    assert 'INDEX($E:$E,ROW())="Porcentaje"' in formula
    assert 'INDEX($E:$E,ROW())="Km"' in formula
    assert "Eventos" not in formula


# -- totals ---------------------------------------------------------------------------------
def test_recalcular_escribe_sumas_sin_ruido(tmp_path: Path) -> None:
    path = _libro(tmp_path)
    assert runner.invoke(app, ["recalcular", str(path)]).exit_code == 0
    plan = _hoja(path, "Plan")
    # SUMA DEL CALENDARIO (S) and DIFERENCIA (T), rows 5…9
    assert [fila[18:20] for fila in plan[4:9]] == [[4, 0], [0.5, 0], [0.3, 0], [2, 0], [1.7, 0]]
    avance = dict(zip(_hoja(path, "Avance")[3], _hoja(path, "Avance")[6], strict=False))
    assert avance["TOTAL REALIZADO"] == 0.3 and avance["REALIZADO AL CORTE"] == 0.3
    resumen = _hoja(path, "Resumen")
    etiquetas = [(f[0], f[1]) for f in resumen[5:] if f and f[1] == "Programado"]
    assert [e[0] for e in etiquetas] == [
        "VINCULACIÓN",
        "VINCULACIÓN (Porcentaje)",
        "DIFUSIÓN",
        "DIFUSIÓN (Km)",
        "TOTAL",
        "TOTAL (Porcentaje)",
        "TOTAL (Km)",
    ]
    por_etiqueta = {f[0]: f for f in resumen[5:] if f and f[1] == "Programado"}
    assert por_etiqueta["TOTAL"][2:4] == [2.5, 1.5]  # events only: 1 + 1.5, 1 + 0.5
    assert por_etiqueta["TOTAL (Km)"][2:4] == [1.3, 0.7]
    assert por_etiqueta["DIFUSIÓN (Km)"][-1] == 2


def test_resumen_json_por_unidad(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resumen", str(_libro(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["periodicidad"] == "mensual" and len(data["periodos"]) == 12
    unidades = {u["unidad"]: u for u in data["por_unidad"]}
    assert list(unidades) == ["Eventos", "Porcentaje", "Km"]
    assert unidades["Eventos"]["clase"] == "conteo" and unidades["Eventos"]["metas"] == 2
    assert unidades["Eventos"]["anual"] == 6
    assert (
        unidades["Porcentaje"]["anual"] == 0.5 and unidades["Porcentaje"]["clase"] == "porcentaje"
    )
    assert unidades["Km"]["anual"] == 2 and unidades["Km"]["meses"][:2] == [1.3, 0.7]
    assert unidades["Km"]["trimestres"] == [2, 0, 0, 0]
    # The overall total adds the count metas only.
    assert data["total"]["clase"] == "conteo" and data["total"]["metas"] == 2
    assert data["total"]["anual"] == 6 and data["total"]["suma_calendario"] == 6
    programas = [(p["programa"], p["unidad"], p["anual"]) for p in data["programas"]]
    assert programas == [
        ("VINCULACIÓN", None, 4),
        ("VINCULACIÓN", "Porcentaje", 0.5),
        ("DIFUSIÓN", None, 2),
        ("DIFUSIÓN", "Km", 2),
    ]
    km = data["programas"][3]
    assert km["realizado"][:2] == [1.3, 0.2] and km["total_realizado"] == 1.5
    assert data["metas"][2]["suma_calendario"] == 0.3 and data["metas"][2]["diferencia"] == 0


def test_resumen_en_la_terminal_por_unidad(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resumen", str(_libro(tmp_path))], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Totales por unidad de medida" in result.output
    assert "DIFUSIÓN (Km)" in result.output
    assert "0000000" not in result.output


def test_el_plan_2011_da_los_mismos_totales(plan_2011: Path) -> None:
    result = runner.invoke(app, ["resumen", str(plan_2011), "--json"])
    data = json.loads(result.stdout)
    assert data["total"]["anual"] == 186 and data["total"]["suma_calendario"] == 190
    assert data["total"]["metas"] == 20
    assert all(p["unidad"] is None and p["clase"] == "conteo" for p in data["programas"])
    assert sum(u["metas"] for u in data["por_unidad"]) == 20
    assert sum(u["anual"] for u in data["por_unidad"]) == 186
