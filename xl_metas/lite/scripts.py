"""What the xlwings Lite buttons run: the VBA buttons' functions (``botones``), in Lite.

``main.py`` in the workbook (``templates/lite/main.py``) has one ``@script`` per button
and calls these. Same ``operaciones`` call, same xlwings adapter, same texts as the VBA
buttons; with ``lite=True`` no VBA helper Sub is called, the answer is printed (Lite shows
it in its task pane) and exporting or consolidating copies explains what to do instead.

Nothing imported on this path starts a thread or a process, or needs python-calamine:
Pyodide has neither (``tests/test_lite.py`` runs it with them blocked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import botones

if TYPE_CHECKING:
    import xlwings as xw


def recalcular(book: xw.Book) -> None:
    botones.recalcular(book, lite=True)


def validar(book: xw.Book) -> None:
    botones.validar(book, lite=True)


def marcar_vencidos(book: xw.Book) -> None:
    botones.marcar_vencidos(book, lite=True)


def generar_hojas(book: xw.Book) -> None:
    botones.generar_hojas(book, lite=True)


def exportar_copias(book: xw.Book) -> None:
    botones.exportar_copias(book, lite=True)


def consolidar(book: xw.Book) -> None:
    botones.consolidar(book, lite=True)


def informe_trimestral(book: xw.Book) -> None:
    botones.informe_trimestral(book, lite=True)
