"""The Configuración sheet: read by labels, bad values are findings and defaults apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from xl_metas import operaciones
from xl_metas.avance import avance_sheet
from xl_metas.config import (
    HOJA_CONFIG,
    Configuracion,
    config_sheet,
    fijar,
    parse_fecha,
    parse_porcentaje,
    read_config,
)
from xl_metas.estados import Umbrales
from xl_metas.grid import Grid
from xl_metas.lectura import leer
from xl_metas.workbook_file import LibroArchivo


def grid(*rows: list[Any]) -> Grid:
    return Grid("libro.xlsx", HOJA_CONFIG, [list(r) for r in rows])


# The layout of the built workbook (xl_metas.build): Parámetro / Valor / Nota.
COMPLETA = grid(
    ["Configuración"],
    [],
    ["Parámetro", "Valor", "Nota"],
    ["Año", 2011, "Año del programa."],
    ["Institución", "Instituto de Transparencia", ""],
    ["Fecha de corte", dt.datetime(2011, 6, 30), "Vacía: la fecha de hoy."],
    ["Verde desde (%)", 85, ""],
    ["Verde hasta (%)", 115, ""],
    ["Amarillo desde (%)", 60, ""],
    ["Amarillo hasta (%)", 140, ""],
    ["Carpeta de copias devueltas", "devueltas", ""],
)


def test_sin_hoja_valores_por_omision() -> None:
    config, hallazgos = read_config(None)
    assert hallazgos == []
    assert config.umbrales == Umbrales(90, 110, 70, 130)
    assert config.fecha_corte is None and config.anio is None
    assert config.carpeta_copias == "copias"
    assert config.corte(dt.date(2011, 3, 3)) == dt.date(2011, 3, 3)  # blank = today


def test_lee_todo_por_etiquetas() -> None:
    config, hallazgos = read_config(COMPLETA)
    assert hallazgos == []
    assert config.anio == 2011
    assert config.institucion == "Instituto de Transparencia"
    assert config.fecha_corte == dt.date(2011, 6, 30)
    assert config.umbrales == Umbrales(85, 115, 60, 140)
    assert config.carpeta_copias == "devueltas"
    assert config.celdas["corte"] == "B6"


def test_etiquetas_sin_encabezado_acentos_y_mayusculas() -> None:
    config, hallazgos = read_config(
        grid([], [None, None, "FECHA DE CORTE:", "15/03/2011"], [None, None, "ano", 2011])
    )
    assert hallazgos == []
    assert config.fecha_corte == dt.date(2011, 3, 15)
    assert config.anio == 2011
    assert config.celdas["corte"] == "D2"


@pytest.mark.parametrize(
    ("raw", "esperado"),
    [(90, 90.0), (0.9, 90.0), (1.1, 110.0), ("90 %", 90.0), ("110%", 110.0), ("0.7", 70.0)],
)
def test_porcentajes(raw: Any, esperado: float) -> None:
    assert parse_porcentaje(raw) == pytest.approx(esperado)


@pytest.mark.parametrize("raw", ["noventa", -5, "-5 %"])
def test_porcentaje_invalido(raw: Any) -> None:
    assert parse_porcentaje(raw) is None


@pytest.mark.parametrize(
    ("raw", "esperado"),
    [
        (dt.date(2011, 6, 30), dt.date(2011, 6, 30)),
        (dt.datetime(2011, 6, 30, 0, 0), dt.date(2011, 6, 30)),
        ("2011-06-30", dt.date(2011, 6, 30)),
        ("30/06/2011", dt.date(2011, 6, 30)),
        (40724, dt.date(2011, 6, 30)),  # an Excel serial left without date format
        ("ayer", None),
        ("31/02/2011", None),
    ],
)
def test_fechas(raw: Any, esperado: dt.date | None) -> None:
    assert parse_fecha(raw) == esperado


def test_valores_malos_son_hallazgos_y_aplica_el_valor_por_omision() -> None:
    config, hallazgos = read_config(
        grid(
            ["Parámetro", "Valor"],
            ["Año", "dos mil once"],
            ["Fecha de corte", "mañana"],
            ["Verde desde (%)", "mucho"],
        )
    )
    assert config.anio is None
    assert config.fecha_corte is None
    assert config.umbrales.verde_desde == 90
    assert [(h.regla, h.severidad.value, h.celda) for h in hallazgos] == [
        ("configuracion-invalida", "advertencia", "B2"),
        ("configuracion-invalida", "advertencia", "B3"),
        ("configuracion-invalida", "advertencia", "B4"),
    ]
    assert "Fecha de corte (B3): «mañana» no es una fecha" in hallazgos[1].mensaje
    assert "se usa la fecha de hoy" in hallazgos[1].mensaje


def test_umbrales_desordenados_usan_todos_los_de_omision() -> None:
    config, hallazgos = read_config(
        grid(["Parámetro", "Valor"], ["Verde desde (%)", 95], ["Amarillo desde (%)", 99])
    )
    assert config.umbrales == Umbrales()
    assert len(hallazgos) == 1 and "no están en orden" in hallazgos[0].mensaje


def test_hoja_por_omision_se_lee_igual() -> None:
    hoja = config_sheet(Configuracion(anio=2011, fecha_corte=dt.date(2011, 6, 30)))
    config, hallazgos = read_config(grid(*hoja.filas))
    assert hallazgos == []
    assert config.anio == 2011 and config.fecha_corte == dt.date(2011, 6, 30)
    assert config.umbrales == Umbrales()
    textos = [f[0] for f in hoja.filas[3:]]
    assert "Fecha de corte" in textos and "Carpeta de copias devueltas" in textos


def test_fijar_corte_en_un_libro(plan_2011: Path) -> None:
    libro = LibroArchivo(plan_2011)
    fijar(libro, "corte", dt.date(2011, 9, 30))  # creates Configuración
    assert libro.guardar()
    libro = LibroArchivo(plan_2011)
    assert HOJA_CONFIG in libro.hojas()
    config, _ = read_config(libro.leer(HOJA_CONFIG))
    assert config.fecha_corte == dt.date(2011, 9, 30)
    fijar(libro, "corte", dt.date(2011, 9, 30))
    assert libro.guardar() is False  # same value: nothing to save


def test_hallazgos_de_configuracion_en_validar(plan_2011: Path) -> None:
    libro = LibroArchivo(plan_2011)
    libro.poner_hoja(config_sheet())
    libro.poner_hoja(avance_sheet(leer(libro).plan))
    fijar(libro, "corte", "el lunes")
    libro.guardar()
    hallazgos = operaciones.validar(LibroArchivo(plan_2011))
    assert any(h.regla == "configuracion-invalida" and h.hoja == HOJA_CONFIG for h in hallazgos)
