"""Under CI=true nothing is skipped: a skip of any kind fails the run, with its reason."""

from __future__ import annotations

import pytest

PRUEBAS = """
import pytest

def test_directo():
    pytest.skip("falta una herramienta")

@pytest.mark.skipif(True, reason="no hay LibreOffice")
def test_marcado():
    pass

def test_importorskip():
    pytest.importorskip("un_modulo_que_no_existe")

def test_bien():
    pass
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_skip_fails_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(PRUEBAS)
    result = pytester.runpytest("-p", "tests.support.ci")
    if ci:
        result.assert_outcomes(passed=1, failed=2, errors=1)  # a skipif fails in setup
        result.stdout.fnmatch_lines(["*CI=true: ninguna prueba se omite*falta una herramienta*"])
    else:
        result.assert_outcomes(passed=1, skipped=3)
