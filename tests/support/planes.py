"""Plans for the tests: the institute's real 2011 document and purpose-built plan rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlwings

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTO_2011 = ROOT / "templates" / "programa-metas-2011.txt"
XLWINGS_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


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
