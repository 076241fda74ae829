"""Adapter for exporting copies: a workbook file where whole rows can be removed and the
origin stamp written as custom document properties (``docProps/custom.xml``).

Only the export needs these two operations, so they live here rather than on the shared
``Libro`` port; ``copias`` decides which rows and what stamp, this module only applies them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from openpyxl.packaging.custom import StringProperty

from .workbook_file import LibroArchivo


class CopiaArchivo(LibroArchivo):
    """A freshly copied workbook file being cut down to one programa."""

    def quitar_filas(self, hoja: str, filas: Iterable[int]) -> None:
        """Delete whole rows (1-based); the rows below move up with their styles."""
        ws = self._sheet(hoja)
        rows = sorted(set(filas), reverse=True)
        # Delete runs of consecutive rows at once, bottom first, so numbers stay valid.
        while rows:
            last = first = rows.pop(0)
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            ws.delete_rows(first, last - first + 1)
            self.cambios += 1
        self._grids.pop(ws.title, None)

    def sellar(self, propiedades: Mapping[str, str]) -> None:
        """Set custom document properties (text), replacing those with the same names."""
        props = self._book().custom_doc_props
        props.props = [p for p in props.props if p.name not in propiedades]
        for name, value in propiedades.items():
            props.append(StringProperty(name=name, value=value))
        self.cambios += 1
