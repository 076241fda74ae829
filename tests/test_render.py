"""Names of the hidden colour mirrors."""

from __future__ import annotations

from xl_metas.render import hoja_espejo


def test_short_names_keep_their_mirror_name():
    assert hoja_espejo("Avance") == "_colores_Avance"


def test_long_names_that_share_a_prefix_get_different_mirrors():
    a = hoja_espejo("PROGRAMA DE CAPACITACIÓN A MUNICIPIOS")
    b = hoja_espejo("PROGRAMA DE CAPACITACIÓN A SUJETOS")
    assert a != b
    assert len(a) == len(b) == 31
    assert a == hoja_espejo("PROGRAMA DE CAPACITACIÓN A MUNICIPIOS")  # deterministic
