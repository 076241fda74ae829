"""pytest plugin: under ``CI=true`` a skipped test is a failed test.

CI must prove every check ran; a missing tool (LibreOffice, a library) fails the run with
the reason instead of disappearing into the skip count. Loaded by ``tests/conftest.py``.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


def en_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and en_ci() and not hasattr(report, "wasxfail"):
        motivo = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI=true: ninguna prueba se omite; esta se omitía ({motivo})."
