"""Every validation rule on purpose-built bad plans, read from real workbooks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.planes import meta_row
from xl_metas import operaciones
from xl_metas.lectura import leer
from xl_metas.model import ErrorExcel, FormulaSinValor, Plan, Severidad, Valor
from xl_metas.validation import validate_plan
from xl_metas.workbook_file import LibroArchivo


def findings(path, regla=None):
    found = operaciones.validar(LibroArchivo(path))
    return [f for f in found if regla is None or f.regla == regla]


def test_2011_plan_has_exactly_the_two_known_annual_errors(plan_2011):
    errors = [f for f in findings(plan_2011) if f.severidad == Severidad.ERROR]
    assert [(f.regla, f.meta, f.celda) for f in errors] == [
        ("anual-vs-calendario", "7", "F11"),
        ("anual-vs-calendario", "20", "F24"),
    ]
    assert "(22)" in errors[0].mensaje and "(21)" in errors[0].mensaje
    assert "(7)" in errors[1].mensaje and "(12)" in errors[1].mensaje


def test_2011_plan_units_evento_eventos_is_a_warning(plan_2011):
    (unit,) = findings(plan_2011, "unidad-escrita-distinto")
    assert unit.severidad == Severidad.ADVERTENCIA
    assert (unit.meta, unit.celda) == ("12", "E16")
    assert "«Evento»" in unit.mensaje and "«Eventos»" in unit.mensaje


def test_a_clean_plan_has_no_findings(make_plan):
    path = make_plan([meta_row(1), meta_row(2, objetivo=None)])
    assert findings(path) == []


def test_annual_different_from_calendar(make_plan):
    path = make_plan([meta_row(1, anual=13)])
    (f,) = findings(path)
    assert (f.regla, f.severidad, f.hoja, f.celda, f.meta) == (
        "anual-vs-calendario",
        Severidad.ERROR,
        "Plan",
        "F5",
        "1",
    )
    assert "programa anual (13)" in f.mensaje and "(12)" in f.mensaje


def test_duplicated_meta_number_points_at_both_cells(make_plan):
    path = make_plan([meta_row(1), meta_row(2), meta_row(2)])
    (f,) = findings(path, "meta-duplicada")
    assert (f.celda, f.meta) == ("C7", "2")
    assert "C6" in f.mensaje


def test_gap_in_numbering_is_info(make_plan):
    path = make_plan([meta_row(1), meta_row(2), meta_row(5)])
    (f,) = findings(path, "numeracion-con-huecos")
    assert f.severidad == Severidad.INFO
    assert "3, 4" in f.mensaje


@pytest.mark.parametrize(
    ("value", "words"),
    [("tres", "texto («tres»)"), (-1, "negativa (-1)"), (1.5, "decimales (1.5)")],
)
def test_invalid_counts_in_months(make_plan, value, words):
    meses = [value] + [1] * 11
    path = make_plan([meta_row(1, meses=meses)])
    (f,) = findings(path, "cantidad-invalida")
    assert (f.celda, f.meta, f.severidad) == ("G5", "1", Severidad.ERROR)
    assert words in f.mensaje and "ENE" in f.mensaje


def test_numbers_typed_as_text_are_reported(make_plan):
    path = make_plan([meta_row(1, anual="12")])
    (f,) = findings(path, "cantidad-invalida")
    assert f.celda == "F5" and "texto" in f.mensaje


def test_meta_number_must_be_a_positive_integer(make_plan):
    path = make_plan([meta_row("1a"), meta_row(2.5)])
    found = findings(path, "numero-de-meta-invalido")
    assert [f.celda for f in found] == ["C5", "C6"]


@pytest.mark.parametrize(
    ("field", "column", "words"),
    [
        ("programa", "A", "el programa"),
        ("descripcion", "D", "la descripción"),
        ("unidad", "E", "la unidad de medida"),
        ("anual", "F", "el programa anual"),
    ],
)
def test_missing_required_fields(make_plan, field, column, words):
    path = make_plan([meta_row(1, **{field: None})])
    found = findings(path, "campo-obligatorio")
    assert [(f.celda, f.meta) for f in found] == [(f"{column}5", "1")]
    assert words in found[0].mensaje


def test_missing_meta_number(make_plan):
    path = make_plan([meta_row(None)])
    (f,) = findings(path, "campo-obligatorio")
    assert f.celda == "C5" and "la fila 5" in f.mensaje


def test_blank_objetivo_on_first_row_of_a_programa(make_plan):
    rows = [meta_row(1), meta_row(2, objetivo=None), meta_row(3, programa="OTRO", objetivo=None)]
    (f,) = findings(make_plan(rows), "objetivo-vacio")
    assert (f.celda, f.meta) == ("B7", "3")


def test_programa_spelled_two_ways(make_plan):
    rows = [
        meta_row(1, programa="DIFUSIÓN"),
        meta_row(2, programa="Difusion "),
        meta_row(3, programa="difusión"),
    ]
    found = findings(make_plan(rows), "programa-escrito-distinto")
    assert [(f.celda, f.severidad) for f in found] == [
        ("A6", Severidad.ADVERTENCIA),
        ("A7", Severidad.ADVERTENCIA),
    ]
    assert "«Difusion»" in found[0].mensaje and "«DIFUSIÓN»" in found[0].mensaje


@pytest.mark.parametrize(
    ("first", "second"),
    [("Evento", "Eventos"), ("Reunión", "reuniones"), ("Informe", "INFORMES")],
)
def test_unit_spelled_two_ways(make_plan, first, second):
    path = make_plan([meta_row(1, unidad=first), meta_row(2, unidad=second)])
    (f,) = findings(path, "unidad-escrita-distinto")
    assert f.celda == "E6"


def test_different_units_are_not_confused(make_plan):
    path = make_plan([meta_row(1, unidad="Visitas"), meta_row(2, unidad="Eventos")])
    assert findings(path, "unidad-escrita-distinto") == []


def test_annual_with_empty_calendar(make_plan):
    path = make_plan([meta_row(1, anual=5, meses=[None] * 12)])
    found = findings(path)
    assert [(f.regla, f.celda) for f in found] == [("calendario-vacio", "F5")]


def test_findings_are_sorted_errors_first(make_plan):
    rows = [meta_row(1, unidad="Evento"), meta_row(2, unidad="Eventos"), meta_row(4, anual=1)]
    severities = [f.severidad for f in findings(make_plan(rows))]
    assert severities == sorted(
        severities, key=[Severidad.ERROR, Severidad.ADVERTENCIA, Severidad.INFO].index
    )
    assert set(severities) == {Severidad.ERROR, Severidad.ADVERTENCIA, Severidad.INFO}


def test_unusual_cells_are_found_again_for_each_plan(plan_2011):
    """Three rules share one pass over the cells, kept for the last plan: a plan read
    again, or changed, is looked at anew."""
    plan = leer(LibroArchivo(plan_2011)).plan
    meta = plan.metas[3]
    roto = replace(
        meta,
        descripcion=Valor("Primera línea\x0bsegunda", meta.descripcion.celda),
        meses=(Valor(ErrorExcel("#REF!"), "G8"), Valor(FormulaSinValor("=1/0"), "H8"))
        + meta.meses[2:],
    )
    otro = replace(plan, metas=(*plan.metas[:3], roto, *plan.metas[4:]))
    reglas = {"error-de-excel", "formula-sin-calcular", "caracter-de-control"}

    def raras(p: Plan) -> list[tuple[str, str, str]]:
        return [(f.regla, f.celda, f.meta) for f in validate_plan(p) if f.regla in reglas]

    assert raras(plan) == []
    assert raras(otro) == [
        ("error-de-excel", "G8", "4"),
        ("formula-sin-calcular", "H8", "4"),
        ("caracter-de-control", "D8", "4"),
    ]
    assert raras(plan) == []
    assert raras(leer(LibroArchivo(plan_2011)).plan) == []
