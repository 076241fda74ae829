"""Import the institute's original plan document (tab-separated text exported from Excel).

The document is a sequence of printed pages: title lines, a "PROGRAMA <NOMBRE>" line
(or a row inside the table), a two-row header (CALENDARIO over ENE…DIC), then one row
per meta. A blank objetivo continues the one above within the same programa. A
programa may continue on a later page. Values are kept exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LecturaError
from .model import Meta, Plan, Valor
from .text import fold

_YEAR = re.compile(r"programa metas y objetivos\s+(\d{4})")
_PROGRAMA = re.compile(r"^programa\s+(.+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# Header labels of the document, folded; the calendar months come from the second row.
_HEADER_FIELDS = {
    "objetivo": "objetivo",
    "meta": "numero",
    "descripcion de la meta": "descripcion",
    "unidad de medida": "unidad",
    "programa anual": "anual",
}


_UTF16 = (b"\xff\xfe", b"\xfe\xff")  # Excel's «Texto Unicode» is UTF-16 with its BOM
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def decode(data: bytes, source: str = "El documento") -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM or, failing those, Windows-1252.

    A workbook, or any file that is not text, is a ``LecturaError`` that says what it is.
    """
    if data.startswith(_ZIP) or data.startswith(_OLE):
        raise LecturaError(
            f"{source} es un libro de Excel (o un archivo comprimido) con nombre de documento "
            "de texto: para importar su plan, dele la extensión que le corresponde (.xlsx, "
            ".xlsm, .xls u .ods)."
        )
    if data.startswith(_UTF16):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise LecturaError(
        f"{source} no es un documento de texto (tiene datos binarios): «importar» lee el "
        "texto separado por tabuladores que Excel guarda con «Guardar como» › «Texto "
        "(delimitado por tabulaciones)»."
    )


def typed(text: str) -> Any:
    """A cell as Excel would have kept it: numbers as numbers, the rest exactly as written."""
    stripped = text.strip()
    if not stripped:
        return None
    if _NUMBER.match(stripped):
        number = float(stripped)
        return int(number) if number.is_integer() else number
    return text


@dataclass
class _Columns:
    fields: dict[str, int]
    months: list[int]


def parse_document(text: str, source: str = "documento") -> Plan:
    """Parse the document's text into a Plan."""
    institucion = ""
    anio: int | None = None
    programa = ""
    objetivo_anterior: tuple[str, str] | None = None  # (programa, objetivo)
    columns: _Columns | None = None
    pending_header: dict[str, int] | None = None
    metas: list[Meta] = []

    for number, line in enumerate(text.splitlines(), start=1):
        cells = line.split("\t")
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        first = cells[0].strip()
        folded = fold(first)

        if pending_header is not None:
            months = [i for i, c in enumerate(cells) if c.strip()]
            if len(months) != 12:
                raise LecturaError(
                    f"{source}, línea {number}: después de los encabezados se esperaban "
                    f"los 12 meses del calendario (ENE…DIC) y hay {len(months)}."
                )
            columns = _Columns(pending_header, months)
            pending_header = None
            continue
        if folded == "objetivo":
            pending_header = _header(cells, source, number)
            continue
        year = _YEAR.match(folded)
        if year and len(filled) == 1:
            anio = int(year.group(1))
            continue
        programa_line = _PROGRAMA.match(first)
        if programa_line and len(filled) == 1:
            programa = programa_line.group(1).strip()
            continue
        if columns is None or len(filled) == 1:
            # Page titles: only the first one names the institution.
            if not institucion and len(filled) == 1:
                institucion = first.strip()
            continue
        metas.append(_meta(cells, columns, programa, objetivo_anterior))
        objetivo_anterior = (programa, metas[-1].objetivo.texto)

    if not metas:
        raise LecturaError(f"{source}: no encontré ninguna meta (¿es el documento del programa?).")
    return Plan(metas=tuple(metas), anio=anio, institucion=institucion)


def _header(cells: list[str], source: str, number: int) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(cells):
        field = _HEADER_FIELDS.get(fold(cell))
        if field:
            found[field] = index
    missing = [label for label, field in _HEADER_FIELDS.items() if field not in found]
    if missing:
        raise LecturaError(
            f"{source}, línea {number}: faltan encabezados: "
            + ", ".join(m.upper() for m in missing)
        )
    return found


def _meta(
    cells: list[str],
    columns: _Columns,
    programa: str,
    objetivo_anterior: tuple[str, str] | None,
) -> Meta:
    def at(index: int) -> Any:
        return typed(cells[index]) if index < len(cells) else None

    objetivo = at(columns.fields["objetivo"])
    heredado = False
    if objetivo is None and objetivo_anterior and objetivo_anterior[0] == programa:
        objetivo, heredado = objetivo_anterior[1], True
    return Meta(
        programa=Valor(programa or None),
        objetivo=Valor(objetivo),
        numero=Valor(at(columns.fields["numero"])),
        descripcion=Valor(at(columns.fields["descripcion"])),
        unidad=Valor(at(columns.fields["unidad"])),
        anual=Valor(at(columns.fields["anual"])),
        meses=tuple(Valor(at(i)) for i in columns.months),
        objetivo_heredado=heredado,
    )


def plan_del_documento(data: bytes, nombre: str) -> Plan:
    """The plan of a document's bytes (``nombre`` names it in messages)."""
    return parse_document(decode(data, source=f"«{nombre}»"), source=f"«{nombre}»")


def read_document(path: Path) -> Plan:
    """The plan of a document file (the command reads the file through ``guardado``)."""
    return plan_del_documento(Path(path).read_bytes(), Path(path).name)
