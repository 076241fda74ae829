"""codeNames of the sheets we add: valid VBA module names, never a module's, a keyword's or
another sheet's, whatever the sheet is called."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_metas.vba.nombres import RESERVADAS, code_name, libre, valido

# Every module of the shipped project, its name and references, and a user's own module.
TOMADOS = {
    "ThisWorkbook",
    "Metas",
    "xlwings",
    "Dictionary",
    "PruebaRunPython",
    "VBAProject",
    "stdole",
    "Office",
    "HojaPlan",
    "HojaInicio",
    "HojaMetas",
}
# The sheets xl-metas adds: area sheets (programas named anything), Validación, Resumen,
# the colour mirrors, the registry of generated sheets, Consolidación, the identity sheet.
HOJAS = [
    "Metas",
    "xlwings",
    "ThisWorkbook",
    "THISWORKBOOK",
    "Dictionary",
    "Print",
    "Range",
    "dir",
    "VINCULACIÓN",
    "Difusión y Comunicación Social",
    "2011",
    "¡¿?!",
    "",
    "Ñandú " * 12,
    "Validación",
    "Resumen",
    "_colores_Avance",
    "_colores_VINCULACIÓN",
    "Hojas generadas",
    "Consolidación",
    "Identidad del libro",
]
_ASCII_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


def assert_code_name(nombre: str, tomados: set[str]) -> None:
    assert _ASCII_IDENTIFIER.match(nombre), nombre
    assert nombre.casefold() not in RESERVADAS
    assert nombre.casefold() not in {t.casefold() for t in tomados}
    assert nombre.startswith("Hoja")  # shadows no VBA function nor Excel global


@pytest.mark.parametrize("hoja", HOJAS)
def test_every_sheet_we_add_gets_a_valid_free_code_name(hoja: str) -> None:
    assert_code_name(code_name(hoja, TOMADOS), TOMADOS)


def test_the_names_read_like_the_sheet() -> None:
    assert code_name("Validación", set()) == "HojaValidacion"
    assert code_name("_colores_Avance", set()) == "Hoja_Colores_Avance"  # as shipped
    assert code_name("Hojas generadas", set()) == "HojasGeneradas"
    assert code_name("Metas", TOMADOS) == "HojaMetas2"  # a user's module is called HojaMetas
    assert code_name("ThisWorkbook", TOMADOS) == "HojaThisworkbook"
    assert code_name("Ñandú " * 12, set()) == "Hoja" + ("Nandu" * 6)[:27]


def test_sheets_added_one_after_another_never_share_a_name() -> None:
    tomados = set(TOMADOS)
    for hoja in [*HOJAS, *HOJAS]:
        nuevo = code_name(hoja, tomados)
        assert_code_name(nuevo, tomados)
        tomados.add(nuevo)


def test_libre_counts_within_31_characters() -> None:
    base = "H" * 31
    assert libre(base, {base}) == "H" * 30 + "2"
    assert libre("Print", set()) == "Print2"  # a keyword is never returned
    assert not valido("Print") and valido("Print2") and not valido("2a") and not valido("a" * 32)


@given(st.text(max_size=40), st.sets(st.text(max_size=12), max_size=10))
def test_any_sheet_name_any_project(hoja: str, tomados: set[str]) -> None:
    assert_code_name(code_name(hoja, tomados), tomados)
