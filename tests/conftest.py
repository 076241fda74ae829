"""Shared fixtures: the real 2011 plan as a workbook, and purpose-built plan workbooks."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings

from xl_metas import operaciones
from xl_metas.plan_sheet import ENCABEZADOS_PLAN

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTO_2011 = ROOT / "templates" / "programa-metas-2011.txt"
XLWINGS_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


@pytest.fixture
def plan_2011(tmp_path: Path) -> Path:
    """The institute's 2011 plan imported into a fresh .xlsx."""
    path = tmp_path / "Metas2011.xlsx"
    operaciones.importar(DOCUMENTO_2011, path)
    return path


@pytest.fixture
def xlwings_xlsm(tmp_path: Path) -> Path:
    """A real macro workbook shipped by xlwings (its VBA stored as source only)."""
    path = tmp_path / "con_macros.xlsm"
    shutil.copyfile(XLWINGS_XLSM, path)
    return path


PlanRow = Sequence[Any]


def meta_row(
    numero: Any = 1,
    *,
    programa: Any = "VINCULACIÓN",
    objetivo: Any = "Objetivo",
    descripcion: Any = "Descripción",
    unidad: Any = "Visitas",
    anual: Any = 12,
    meses: Sequence[Any] = (1,) * 12,
) -> list[Any]:
    return [programa, objetivo, numero, descripcion, unidad, anual, *meses]


@pytest.fixture
def make_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write a Plan sheet with title rows, the standard header (or ``header``) and ``rows``."""

    def make(
        rows: Sequence[PlanRow],
        *,
        header: Sequence[str] = ENCABEZADOS_PLAN[:18],
        name: str = "plan.xlsx",
        sheet: str = "Plan",
    ) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        ws.append(["INSTITUTO DE PRUEBA"])
        ws.append(["PROGRAMA METAS Y OBJETIVOS 2011"])
        ws.append([])
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        for line in ws.iter_rows():
            for cell in line:  # as Excel stores text typed with a leading apostrophe
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        path = tmp_path / name
        wb.save(path)
        return path

    return make
