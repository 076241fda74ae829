"""Names in a workbook's VBA project: the codeName of a sheet we add."""

from __future__ import annotations

import re

from ..text import fold


def code_name(sheet: str, taken: set[str]) -> str:
    """A VBA-valid codeName for a sheet we add (ASCII letters, digits, underscore)."""
    base = re.sub(r"\W", "", fold(sheet).title().replace(" ", ""), flags=re.ASCII)
    base = "Hoja" + base if not base or not base[0].isalpha() else base
    name, counter = base[:28], 2
    while name.casefold() in {t.casefold() for t in taken}:
        name, counter = f"{base[:26]}{counter}", counter + 1
    return name
