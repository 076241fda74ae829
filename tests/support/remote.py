"""Test harness for xlwings' remote engine (``xw.Book(json=payload)``).

The remote engine runs our Excel-facing code on Linux against a JSON snapshot of a
workbook and records, instead of touching Excel, the list of actions Excel would
perform (``book.json()["actions"]``). This module closes the loop on real files:

* :func:`payload_from_file` builds the snapshot exactly as xlwings' VBA client
  (``RunRemotePython`` / ``RunServerPython`` in ``xlwings/addin/Remote.bas``) sends it;
* :func:`apply_actions` replays the returned actions onto an openpyxl copy of the file,
  with Excel's own coercion of written strings (``"=…"`` becomes a formula, a leading
  apostrophe keeps text as text, ISO dates and numeric text become dates and numbers);
* :func:`count_operations` / :func:`operation_breakdown` measure what a press costs.

See ``docs/xlwings-remote.md`` for the facts this is built on.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl
import python_calamine

# xlwings registers its remote engine at *import* time, and only when a licence key is
# set then: setting XLWINGS_LICENSE_KEY later is too late (see ensure_remote_engine).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw  # noqa: E402
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xl_metas.workbook_xlwings import puntos_de_ancho  # noqa: E402

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "NOOP_FUNCS",
    "VBA_CLIENT_FUNCS",
    "AppliedActions",
    "REPLAYED_MACROS",
    "UnknownActionError",
    "apply_actions",
    "count_operations",
    "ensure_remote_engine",
    "operation_breakdown",
    "payload_from_file",
    "remote_book",
    "unsupported_by_vba_client",
]

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
LICENSE_ENV = "XLWINGS_LICENSE_KEY"

# Every callback that the VBA client (xlwings/addin/Remote.bas, 0.37.8) implements: it
# runs each action with ``Application.Run action("func")``, so any other func name fails
# in Excel with "macro not available". The remote engine emits many more (Office.js).
VBA_CLIENT_FUNCS = frozenset(
    {
        "setValues",
        "rangeClearContents",
        "rangeClearFormats",
        "rangeClear",
        "addSheet",
        "setSheetName",
        "setAutofit",
        "setRangeColor",
        "activateSheet",
        "addHyperlink",
        "setNumberFormat",
        "setPictureName",
        "setPictureHeight",
        "setPictureWidth",
        "deletePicture",
        "addPicture",
        "updatePicture",
        "alert",
        "setRangeName",
        "namesAdd",
        "nameDelete",
        "runMacro",
        "rangeDelete",
        "rangeInsert",
        "rangeSelect",
        "addTable",
        "setTableName",
        "resizeTable",
        "showAutofilterTable",
        "showHeadersTable",
        "showTotalsTable",
        "setTableStyle",
        "copyRange",
        "sheetDelete",
        "sheetClear",
        "sheetClearContents",
        "sheetClearFormats",
    }
)

# Actions with no effect on the saved file (UI state, or layout openpyxl can't compute).
# apply_actions records them in AppliedActions.noops instead of failing.
NOOP_FUNCS = frozenset(
    {
        "setScreenUpdating",
        "setCalculation",
        "calculate",
        "setAutofit",
        "setSheetAutofit",
        "rangeSelect",
        "save",
    }
)

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}
_R_ID = f"{{{_NS['r']}}}id"
_EMU_PER_POINT = 12_700
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


# --------------------------------------------------------------------------- payload


def _a1_to_rowcol(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def _range_bounds(ref: str) -> tuple[int, int, int, int]:
    """``"B2:D9"`` -> (first_row, first_col, last_row, last_col), 1-based."""
    first, _, last = ref.partition(":")
    r1, c1 = _a1_to_rowcol(first)
    r2, c2 = _a1_to_rowcol(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _absolute(ref: str) -> str:
    """``"A1:B2"`` -> ``"$A$1:$B$2"`` (VBA's default ``Range.Address``)."""
    return ":".join(
        re.sub(r"\$?([A-Za-z]+)\$?(\d+)", r"$\1$\2", part.upper()) for part in ref.split(":")
    )


def _relative(ref: str) -> str:
    return ref.replace("$", "")


def _iso(value: dt.datetime) -> str:
    # WebHelpers.ConvertToIso: Format$(date, "yyyy-mm-ddTHH:mm:ss.000Z"), local time, no
    # UTC shift (xlwings removed ConvertToUtc), fractional seconds dropped.
    return value.strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"


def _client_value(value: Any) -> Any:
    """One cell as the VBA client puts it in JSON (``Range.Value`` -> ConvertToJson)."""
    if value is None or value == "":
        return None  # Empty -> null
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        # VBA writes Doubles with CStr: 1 -> "1", so the server reads back an int.
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, dt.date):
        return _iso(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, dt.time):
        return _iso(dt.datetime.combine(_EXCEL_EPOCH.date(), value))
    if isinstance(value, dt.timedelta):
        return _iso(_EXCEL_EPOCH + value)
    if isinstance(value, str):
        return value
    # python-calamine error cells (#N/A, #DIV/0!, …)
    return str(value)


class _Package:
    """Just enough of the OOXML package to describe a workbook as Excel's client does."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def xml(self, part: str) -> ET.Element:
        return ET.fromstring(self.zip.read(part))

    def rels(self, part: str) -> dict[str, str]:
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if rels_part not in self.names:
            return {}
        out = {}
        for rel in self.xml(rels_part).findall("pr:Relationship", _NS):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = resolved
        return out

    def sheet_head(self, part: str) -> ET.Element:
        """The worksheet root without its (possibly huge) sheetData."""
        data = self.zip.read(part)
        start = data.find(b"<sheetData")
        if start == -1:
            return ET.fromstring(data)
        end = data.find(b"</sheetData>", start)
        if end == -1:  # <sheetData/>
            return ET.fromstring(data)
        return ET.fromstring(data[:start] + data[end + len(b"</sheetData>") :])


@dataclass
class _SheetInfo:
    name: str
    part: str
    state: str  # visible | hidden | veryHidden
    position: int  # position among *all* sheets (Excel's Sheet.Index - 1)


def _conf_value(conf: dict[str, str], key: str) -> list[str]:
    raw = conf.get(key, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def payload_from_file(
    path: str | os.PathLike[str],
    *,
    caller_sheet: str | None = None,
    selection: str | None = None,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The JSON payload xlwings' VBA client (``RunRemotePython``) sends for ``path``.

    Mirrors ``RunServerPython`` in ``xlwings/addin/Remote.bas`` (0.37.8):

    * ``client`` ``"VBA"``, ``version`` = the installed xlwings version (the remote
      engine refuses any other version);
    * ``book``: ``name`` (file name), ``active_sheet_index`` (0-based), ``selection``
      (relative address of the active sheet's selection, areas joined by ``","``);
    * ``names``: every defined name that refers to a range (constants and formulas are
      skipped, as ``RefersToRange`` fails for them), with relative ``address``,
      ``sheet_index``, ``book_scope`` and, for sheet scope, ``scope_sheet_name`` /
      ``scope_sheet_index``; a sheet-scoped ``name`` carries Excel's ``Sheet!`` prefix;
    * ``sheets`` (worksheets only, in order): ``name``, ``pictures``
      (name/height/width in points), ``tables`` (absolute addresses) and ``values``:
      the block from A1 to the last cell of the *used range* — the ``<dimension>`` the
      file records, so a cell that is only formatted at A1048576 makes the block
      1,048,576 rows tall (padding rows share one list, so that costs little memory).
      Empty -> ``None``; whole numbers -> ``int``; dates and times -> the client's
      ``"YYYY-MM-DDTHH:MM:SS.000Z"``; an empty sheet -> ``[[]]``.

    ``caller_sheet`` makes that sheet the active one (the sheet whose button was
    pressed); ``selection`` overrides the selection. ``include``/``exclude`` work like
    the client's options (default: the ``INCLUDE``/``EXCLUDE`` keys of the
    ``xlwings.conf`` sheet): an excluded sheet is sent with ``[[]]`` values and no
    pictures or tables.
    """
    path = Path(path)
    pkg = _Package(path)
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return _build_payload(pkg, calamine, path, caller_sheet, selection, include, exclude)
    finally:
        pkg.zip.close()
        with contextlib.suppress(Exception):
            calamine.close()


def _build_payload(
    pkg: _Package,
    calamine: Any,
    path: Path,
    caller_sheet: str | None,
    selection: str | None,
    include: Sequence[str] | None,
    exclude: Sequence[str] | None,
) -> dict[str, Any]:
    workbook_part = "xl/workbook.xml"
    for rel in pkg.xml("_rels/.rels").findall("pr:Relationship", _NS):
        if rel.get("Type", "").endswith("/officeDocument"):
            workbook_part = rel.get("Target", workbook_part).lstrip("/")
    wb_xml = pkg.xml(workbook_part)
    wb_rels = pkg.rels(workbook_part)

    all_sheets: list[_SheetInfo] = []
    for position, el in enumerate(wb_xml.findall("m:sheets/m:sheet", _NS)):
        all_sheets.append(
            _SheetInfo(
                name=el.get("name", ""),
                part=wb_rels.get(el.get(_R_ID, ""), ""),
                state=el.get("state", "visible"),
                position=position,
            )
        )
    worksheets = [s for s in all_sheets if "worksheets/" in s.part]
    ws_index = {s.name: i for i, s in enumerate(worksheets)}

    view = wb_xml.find("m:bookViews/m:workbookView", _NS)
    active_tab = int(view.get("activeTab", "0")) if view is not None else 0
    active_sheet = all_sheets[active_tab] if active_tab < len(all_sheets) else all_sheets[0]
    if caller_sheet is not None:
        matches = [s for s in all_sheets if s.name.casefold() == caller_sheet.casefold()]
        if not matches:
            raise ValueError(f"{path.name}: no sheet named {caller_sheet!r}")
        active_sheet = matches[0]

    heads = {s.name: pkg.sheet_head(s.part) for s in worksheets}

    # Values via python-calamine, anchored at A1 (calamine starts at the first cell with
    # data; the client always starts at A1).
    values_by_sheet: dict[str, list[list[Any]]] = {}
    for sheet in worksheets:
        values_by_sheet[sheet.name] = _sheet_values(calamine, sheet.name, heads[sheet.name])

    # xlwings.conf INCLUDE / EXCLUDE, as the client reads them.
    if include is None and exclude is None and "xlwings.conf" in values_by_sheet:
        conf = {
            str(row[0]): "" if row[1] is None else str(row[1])
            for row in values_by_sheet["xlwings.conf"]
            if len(row) >= 2 and row[0] is not None
        }
        include = _conf_value(conf, "INCLUDE") or None
        exclude = _conf_value(conf, "EXCLUDE") or None
    if include and exclude:
        raise ValueError("Either use 'include' or 'exclude', but not both!")
    excluded = set(exclude or [])
    if include:
        excluded |= {s.name for s in worksheets if s.name not in include}

    if selection is None:
        selection = _selection(heads.get(active_sheet.name))

    names = _names(wb_xml, worksheets, ws_index)

    sheets_payload = []
    for sheet in worksheets:
        is_excluded = sheet.name in excluded
        sheets_payload.append(
            {
                "name": sheet.name,
                "pictures": [] if is_excluded else _pictures(pkg, sheet),
                "tables": [] if is_excluded else _tables(pkg, sheet),
                "values": [[]] if is_excluded else values_by_sheet[sheet.name],
            }
        )

    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {
            "name": path.name,
            "active_sheet_index": active_sheet.position,
            "selection": selection,
        },
        "names": names,
        "sheets": sheets_payload,
    }


def _sheet_values(calamine: Any, name: str, head: ET.Element) -> list[list[Any]]:
    # skip_empty_area=False anchors calamine's block at A1, as the client's block is.
    data = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
    last_row = len(data)
    last_col = max((len(row) for row in data), default=0)
    dim = head.find("m:dimension", _NS)
    if dim is not None and dim.get("ref"):
        with contextlib.suppress(ValueError):
            _, _, dim_row, dim_col = _range_bounds(dim.get("ref", "A1"))
            last_row, last_col = max(last_row, dim_row), max(last_col, dim_col)
    if not data and last_row <= 1 and last_col <= 1:
        return [[]]  # IsEmpty(UsedRange.Value): an empty sheet
    rows: list[list[Any]] = []
    for row in data:
        converted = [_client_value(v) for v in row]
        converted += [None] * (last_col - len(converted))
        rows.append(converted)
    if last_row > len(rows):
        blank = [None] * last_col
        # shared row: a sheet formatted down to row 1,048,576 stays cheap in memory
        rows += [blank] * (last_row - len(rows))
    if last_row == 1 and last_col == 1 and rows[0] == [None]:
        return [[]]
    return rows


def _selection(head: ET.Element | None) -> str | None:
    if head is None:
        return "A1"
    sel = head.find("m:sheetViews/m:sheetView/m:selection", _NS)
    if sel is None:
        return "A1"
    sqref = sel.get("sqref") or sel.get("activeCell") or "A1"
    return ",".join(sqref.split())


_NAME_REF = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)")


def _names(
    wb_xml: ET.Element, worksheets: list[_SheetInfo], ws_index: dict[str, int]
) -> list[dict[str, Any]]:
    out = []
    for el in wb_xml.findall("m:definedNames/m:definedName", _NS):
        text = (el.text or "").strip()
        match = re.fullmatch(
            r"(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", text
        )
        if not match:
            continue  # constant, formula, external or multi-area: not a plain range
        target = (match.group(1) or "").replace("''", "'") or match.group(2) or ""
        if target not in ws_index:
            continue
        local = el.get("localSheetId")
        entry: dict[str, Any] = {"name": el.get("name", "")}
        entry["sheet_index"] = ws_index[target]
        entry["address"] = _relative(match.group(3))
        if local is None:
            entry["book_scope"] = True
            entry["scope_sheet_name"] = None
            entry["scope_sheet_index"] = None
        else:
            scope = worksheets[int(local)].name if int(local) < len(worksheets) else target
            prefix = f"'{scope}'" if re.search(r"[^A-Za-z0-9_.]", scope) else scope
            entry["name"] = f"{prefix}!{entry['name']}"
            entry["book_scope"] = False
            entry["scope_sheet_name"] = scope
            entry["scope_sheet_index"] = ws_index.get(scope, entry["sheet_index"])
        out.append(entry)
    return out


def _tables(pkg: _Package, sheet: _SheetInfo) -> list[dict[str, Any]]:
    head = pkg.sheet_head(sheet.part)
    rels = pkg.rels(sheet.part)
    out = []
    for part_el in head.findall("m:tableParts/m:tablePart", _NS):
        part = rels.get(part_el.get(_R_ID, ""))
        if not part or part not in pkg.names:
            continue
        table = pkg.xml(part)
        ref = table.get("ref", "A1")
        r1, c1, r2, c2 = _range_bounds(ref)
        headers = int(table.get("headerRowCount", "1"))
        totals = int(table.get("totalsRowCount", "0"))
        first_body = r1 + headers
        last_body = r2 - totals

        def addr(a: int, b: int, c1: int = c1, c2: int = c2) -> str:
            return _absolute(f"{get_column_letter(c1)}{a}:{get_column_letter(c2)}{b}")

        style = table.find("m:tableStyleInfo", _NS)
        out.append(
            {
                "name": table.get("displayName") or table.get("name"),
                "range_address": _absolute(ref),
                "header_row_range_address": addr(r1, r1) if headers else None,
                "data_body_range_address": addr(first_body, last_body)
                if last_body >= first_body
                else None,
                "total_row_range_address": addr(r2, r2) if totals else None,
                "show_headers": bool(headers),
                "show_totals": bool(totals),
                "table_style": style.get("name", "") if style is not None else "",
                "show_autofilter": table.find("m:autoFilter", _NS) is not None,
            }
        )
    return out


def _pictures(pkg: _Package, sheet: _SheetInfo) -> list[dict[str, Any]]:
    head = pkg.sheet_head(sheet.part)
    drawing = head.find("m:drawing", _NS)
    if drawing is None:
        return []
    part = pkg.rels(sheet.part).get(drawing.get(_R_ID, ""))
    if not part or part not in pkg.names:
        return []
    out = []
    for pic in pkg.xml(part).iter(f"{{{_NS['xdr']}}}pic"):
        nv = pic.find("xdr:nvPicPr/xdr:cNvPr", _NS)
        ext = pic.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}ext")
        width = int(ext.get("cx", "0")) / _EMU_PER_POINT if ext is not None else 0.0
        height = int(ext.get("cy", "0")) / _EMU_PER_POINT if ext is not None else 0.0
        out.append(
            {
                "name": nv.get("name", "") if nv is not None else "",
                "height": height,
                "width": width,
            }
        )
    return out


# --------------------------------------------------------------------------- running


def ensure_remote_engine() -> None:
    """Register xlwings' remote engine if xlwings was imported before the licence key."""
    os.environ.setdefault(LICENSE_ENV, "noncommercial")
    try:
        xw.engines["remote"]
    except (KeyError, xw.LicenseError):
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


@contextlib.contextmanager
def remote_book(
    payload_or_path: Mapping[str, Any] | str | os.PathLike[str],
    *,
    caller_sheet: str | None = None,
    mock_caller: bool = True,
) -> Iterator[xw.Book]:
    """``xw.Book(json=payload)`` with the licence env set and ``Book.caller()`` mocked.

    ``set_mock_caller`` stores the book on the ``xw.Book`` *class*; this removes it again
    on exit so one test's book never leaks into the next.
    """
    if isinstance(payload_or_path, Mapping):
        payload = dict(payload_or_path)
    else:
        payload = payload_from_file(payload_or_path, caller_sheet=caller_sheet)
    ensure_remote_engine()
    had_mock = hasattr(xw.Book, "_mock_caller")
    previous_mock = getattr(xw.Book, "_mock_caller", None)
    book = xw.Book(json=payload)
    try:
        if mock_caller:
            book.set_mock_caller()
        yield book
    finally:
        if mock_caller:
            if had_mock:
                xw.Book._mock_caller = previous_mock
            elif hasattr(xw.Book, "_mock_caller"):
                del xw.Book._mock_caller


# --------------------------------------------------------------------------- counting


def _actions(actions: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if isinstance(actions, Mapping):
        return list(actions["actions"])
    return list(actions)


def count_operations(actions: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> int:
    """Number of Excel operations: one per action (``book.json()`` or its list)."""
    return len(_actions(actions))


def operation_breakdown(
    actions: Iterable[Mapping[str, Any]] | Mapping[str, Any],
) -> dict[str, int]:
    """Actions per ``func``, most frequent first."""
    return dict(Counter(a["func"] for a in _actions(actions)).most_common())


def unsupported_by_vba_client(
    actions: Iterable[Mapping[str, Any]] | Mapping[str, Any],
) -> list[str]:
    """Func names the VBA client (Remote.bas) has no callback for, sorted."""
    return sorted({a["func"] for a in _actions(actions)} - VBA_CLIENT_FUNCS)


# --------------------------------------------------------------------------- applying


class UnknownActionError(ValueError):
    """An action this harness does not know how to apply: extend apply_actions."""


@dataclass
class AppliedActions:
    workbook: Workbook
    alerts: list[dict[str, str]] = field(default_factory=list)
    noops: list[str] = field(default_factory=list)
    count: int = 0
    breakdown: dict[str, int] = field(default_factory=dict)

    def save(self, path: str | os.PathLike[str]) -> None:
        self.workbook.save(path)


_ISO_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?)?$"
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _excel_store(cell: Any, value: Any, *, coerce: bool) -> None:
    """Store ``value`` the way ``Range.Value = array`` would in Excel.

    The VBA client first tries ``WebHelpers.ParseIso`` on every value, then Excel
    parses strings like typed input: a leading apostrophe makes the rest text (hidden
    prefix, ``quotePrefix`` in the file); ``=`` starts a formula; numbers and dates are
    recognised — unless the cell is formatted as text (``@``).
    """
    if value is None or value == "":
        cell.value = None
        return
    if not isinstance(value, str) or not coerce:
        cell.value = value
        return
    if value.startswith("'"):
        cell.value = value[1:]
        cell.data_type = "s"
        cell.quotePrefix = True
        return
    if cell.number_format == "@":
        cell.value = value
        cell.data_type = "s"
        return
    if value.startswith("="):
        cell.value = value  # openpyxl: a str starting with "=" is a formula
        return
    match = _ISO_DATETIME.match(value)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        with contextlib.suppress(ValueError):
            stamp = dt.datetime(*parts)  # type: ignore[arg-type]
            cell.value = stamp
            cell.number_format = "yyyy-mm-dd" if stamp.time() == dt.time() else "yyyy-mm-dd h:mm"
            return
    if _NUMBER.match(value.strip()):
        number = float(value)
        cell.value = int(number) if number.is_integer() and "." not in value else number
        return
    if value.upper() in ("TRUE", "FALSE"):
        cell.value = value.upper() == "TRUE"
        return
    cell.value = value
    cell.data_type = "s"


def _cells(ws: Worksheet, action: Mapping[str, Any]) -> Iterator[tuple[int, int, Any]]:
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for dr in range(action["row_count"]):
        for dc in range(action["column_count"]):
            yield r0 + dr, c0 + dc, ws.cell(r0 + dr, c0 + dc)


def _bounded(ws: Worksheet, action: Mapping[str, Any]) -> Mapping[str, Any]:
    """Clip whole-row / whole-column ranges to the sheet's extent (openpyxl is cell-based)."""
    action = dict(action)
    if action["row_count"] >= EXCEL_MAX_ROWS:
        action["row_count"] = max(0, max(ws.max_row, 1) - action["start_row"])
    if action["column_count"] >= EXCEL_MAX_COLUMNS:
        action["column_count"] = max(0, max(ws.max_column, 1) - action["start_column"])
    return action


def _hex(color: str) -> str:
    return "FF" + color.lstrip("#").upper()


def _fill(color: str | None) -> PatternFill:
    if color is None:
        return PatternFill(fill_type=None)
    return PatternFill(fill_type="solid", start_color=_hex(color), end_color=_hex(color))


def _autofill(ws: Worksheet, action: Mapping[str, Any], args: list[Any]) -> None:
    """``rangeAutofill`` ``[destination, "FillFormats"]`` from the action's range: Excel's
    fill handle, formats only. A multi-row source block is repeated down the destination
    (which holds the source, same columns), cell formats and merged areas alike; values
    and row heights stay *(Excel's documented AutoFill, not run here)*. Other fill types
    would compute values: not replayed."""
    if args[1] != "FillFormats":
        raise UnknownActionError(f"rangeAutofill {args[1]!r}: only FillFormats is replayed")
    r1, c1 = action["start_row"] + 1, action["start_column"] + 1
    alto, ancho = action["row_count"], action["column_count"]
    d1, e1, d2, e2 = _range_bounds(_relative(str(args[0])))
    if (d1, e1, e2) != (r1, c1, c1 + ancho - 1) or d2 < r1 + alto - 1:
        raise UnknownActionError(f"rangeAutofill {args[0]!r}: only a fill down is replayed")
    for rng in list(ws.merged_cells.ranges):  # the destination's old merges give way
        if rng.min_row >= r1 + alto and rng.max_row <= d2 and rng.min_col >= c1:
            ws.unmerge_cells(str(rng))
    fuente = [
        rng
        for rng in ws.merged_cells.ranges
        if r1 <= rng.min_row and rng.max_row < r1 + alto and c1 <= rng.min_col
    ]
    for r in range(r1 + alto, d2 + 1):
        origen = r1 + (r - r1) % alto
        for c in range(c1, c1 + ancho):
            ws.cell(r, c)._style = copy.copy(ws.cell(origen, c)._style)
    for inicio in range(r1 + alto, d2 + 1, alto):
        for rng in fuente:
            desde, hasta = rng.min_row - r1 + inicio, rng.max_row - r1 + inicio
            if hasta <= d2:
                ws.merge_cells(
                    start_row=desde, start_column=rng.min_col, end_row=hasta, end_column=rng.max_col
                )


def _ordenar(ws: Worksheet, action: Mapping[str, Any], args: list[Any]) -> None:
    """``rangeSort`` ``[keys, ascending, has_headers]``: the rows of the action's range
    reordered by the key columns (1-based within the range), values and cell formats moving
    with their row, as Excel's sort does; merged cells in the range are refused, as Excel
    refuses them. Ascending only: numbers, then text (case-insensitive), blanks last
    *(Excel's documented sort, not run here)*."""
    keys, ascending, has_headers = args[0], args[1], args[2]
    if not all(ascending):
        raise UnknownActionError("rangeSort descending: not replayed")
    r1, c1 = action["start_row"] + 1 + int(bool(has_headers)), action["start_column"] + 1
    r2, c2 = action["start_row"] + action["row_count"], c1 + action["column_count"] - 1
    for rng in ws.merged_cells.ranges:
        if not (rng.max_row < r1 or rng.min_row > r2 or rng.max_col < c1 or rng.min_col > c2):
            raise UnknownActionError(f"rangeSort over merged cells {rng}: Excel refuses it")
    filas = [
        [(ws.cell(r, c).value, copy.copy(ws.cell(r, c)._style)) for c in range(c1, c2 + 1)]
        for r in range(r1, r2 + 1)
    ]

    def clave(fila: list[tuple[Any, Any]]) -> tuple[tuple[int, Any], ...]:
        out = []
        for key in keys:
            valor = fila[key - 1][0]
            if isinstance(valor, int | float) and not isinstance(valor, bool):
                out.append((0, valor))
            else:
                out.append((1, str(valor).casefold()) if valor is not None else (2, 0))
        return tuple(out)

    for r, fila in enumerate(sorted(filas, key=clave), start=r1):  # a stable sort, as Excel's
        for c, (valor, estilo) in enumerate(fila, start=c1):
            ws.cell(r, c).value = valor
            ws.cell(r, c)._style = estilo


# The workbook's own helper Subs (templates/vba/Metas.bas) that apply_actions can replay:
# ``runMacro`` args are ``[macro, hoja, spec]``, the macro as xlwings' Book.macro names it
# (``'Libro.xlsm'!CombinarRangos``). Any other macro raises: its effect is unknown here.
def _copiar_hoja(wb: Workbook, origen: Worksheet, args: list[Any]) -> None:
    """``copySheet`` [position, target index, name]: Excel's copy of a sheet beside
    another, named "<name> (2)" (the engine's local name, in ``args[2]``), with the
    source's values, styles, merges, widths, heights, frozen panes and visibility."""
    posicion, destino, nombre = args[0], args[1], args[2]
    copia = wb.copy_worksheet(origen)
    copia.title = nombre
    copia.freeze_panes = origen.freeze_panes
    copia.sheet_state = origen.sheet_state
    wb._sheets.remove(copia)
    wb._sheets.insert(destino if posicion == "Before" else destino + 1, copia)


def _ancho_guardado(puntos: float) -> float:
    """The width Excel saves for a column ``puntos`` wide (Office.js's
    ``format.columnWidth``, what a ``setColumnWidth`` action carries): its pixels (0.75
    points each) over 7, in 1/256ths: what XlsxWriter writes for the same width, so a sheet
    formatted by a press and one copied from a built template agree."""
    if puntos <= 0:
        return 0.0
    return int(round(puntos / 0.75) / 7 * 256) / 256


REPLAYED_MACROS = frozenset({"CombinarRangos", "AltosDeFila", "AplicarLote"})


def _run_macro(wb: Workbook, args: list[Any]) -> None:
    """Replay ``CombinarRangos(hoja, "A1:B2;C3:C5")`` (merge each range) or
    ``AltosDeFila(hoja, "5:7=30;9=45.75")`` (row heights) as the VBA does."""
    if not args:
        raise UnknownActionError("runMacro without a macro name")
    macro = str(args[0]).rpartition("!")[2].rpartition(".")[2]
    if macro not in REPLAYED_MACROS or len(args) != 3:
        raise UnknownActionError(f"apply_actions does not replay macro {args[0]!r} ({args!r})")
    if macro == "AplicarLote":
        _aplicar_lote(wb, str(args[1]), str(args[2]))
        return
    ws = wb[str(args[1])]
    partes = [p.strip() for p in str(args[2]).split(";") if p.strip()]
    if macro == "CombinarRangos":
        for area in partes:
            ws.merge_cells(area if ":" in area else f"{area}:{area}")
        return
    for parte in partes:
        filas, igual, alto = parte.partition("=")
        if not igual:
            continue  # the VBA skips a pair without "="
        a, _, b = filas.strip().partition(":")
        for row in range(int(a), int(b or a) + 1):
            ws.row_dimensions[row].height = float(alto)


# AplicarLote (templates/vba/Metas.bas): each line replayed as the remote actions that do
# the same (or, for what no action expresses, directly on the openpyxl sheet).
_ALINEACION_H = {"-4131": "left", "-4108": "center", "-4152": "right"}
_ALINEACION_V = {"-4160": "top", "-4108": "center", "-4107": "bottom"}
_BORDE = Side(style="thin", color="FF808080")


def _accion(wb: Workbook, hoja: str, area: str, func: str, args: list[Any]) -> dict[str, Any]:
    """A remote action on ``area`` (``"A1:B2"``, ``"G:R"`` for whole columns)."""
    if re.fullmatch(r"[A-Za-z]{1,3}:[A-Za-z]{1,3}", area):
        a, b = area.split(":")
        r1, c1, _, c2 = _range_bounds(f"{a}1:{b}1")
        r1, r2 = 1, EXCEL_MAX_ROWS
    else:
        r1, c1, r2, c2 = _range_bounds(area)
    return {
        "func": func,
        "args": args,
        "values": None,
        "sheet_position": wb.sheetnames.index(hoja),
        "start_row": r1 - 1,
        "start_column": c1 - 1,
        "row_count": r2 - r1 + 1,
        "column_count": c2 - c1 + 1,
    }


def _leido(cell: Any) -> Any:
    """A staged cell as VBA's ``Range.Value`` gives it and Excel parses it when assigned: a
    date is a Date (the destination gets a date format, as through the remote action)."""
    value = cell.value
    return _iso(value) if isinstance(value, dt.datetime) else value


def _aplicar_lote(wb: Workbook, hoja_lote: str, orden: str) -> None:
    lote = wb[hoja_lote]
    limpiar = None
    for linea in orden.split("\n"):
        if not linea:
            continue
        op, *f = linea.split("\t")
        acciones: list[dict[str, Any]] = []
        if op == "K":
            limpiar = f[0]
        elif op == "N":
            index = wb.sheetnames.index(f[1]) + 1 if f[1] else wb.sheetnames.index(f[2])
            wb.create_sheet(f[0], index)
        elif op == "Q":
            wb.remove(wb[f[0]])
        elif op == "V":
            ws = wb[f[0]]
            r1, c1, r2, c2 = _range_bounds(f[2])
            fila, columna = _a1_to_rowcol(f[1])
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    destino = ws.cell(fila + r - r1, columna + c - c1)
                    _excel_store(destino, _leido(lote.cell(r, c)), coerce=True)
        elif op == "W":
            for parte in f[1].split(";"):
                cols, _, ancho = parte.partition("=")
                # AplicarLote sets ColumnWidth (characters); the action carries points
                puntos = puntos_de_ancho(float(ancho))
                acciones.append(_accion(wb, f[0], cols, "setColumnWidth", [puntos]))
        elif op in ("F", "C"):
            faceta, valor, areas = f[1:4] if op == "F" else ("relleno", None, f[1])
            for area in areas.split(";"):
                if faceta in ("horizontal", "vertical", "borde"):
                    _faceta_directa(wb[f[0]], area, faceta, valor)
                    continue
                func, args = {
                    "negrita": ("setFontProperty", ["bold", True]),
                    "color_fuente": ("setFontProperty", ["color", f"#{valor}"]),
                    "tamano": ("setFontProperty", ["size", _numero(valor)]),
                    "relleno": ("setRangeColor", [f"#{valor}" if valor else None]),
                    "formato": ("setNumberFormat", [valor]),
                    "ajustar": ("setWrapText", [True]),
                }[faceta]
                acciones.append(_accion(wb, f[0], area, func, args))
        elif op == "A":
            pass  # row autofit: layout openpyxl cannot compute (a noop, as setAutofit)
        elif op in ("H", "M"):
            _run_macro(wb, ["AltosDeFila" if op == "H" else "CombinarRangos", f[0], f[1]])
        elif op == "Z":
            acciones.append(_accion(wb, f[0], f[1], "freezePaneAtRange", [f[1]]))
        elif op == "O":
            acciones.append(_accion(wb, f[0], "A1", "setSheetVisibility", ["Hidden"]))
        elif op in ("P", "U"):
            ws = wb[f[0]]
            ws.protection.sheet = op == "P"
            if op == "P":
                ws.protection.password = f[1]
        elif op == "G":
            acciones.extend(_grafica_lote(wb, f))
        elif op == "I":
            _impresion_lote(wb[f[0]], f[1:])
        else:
            raise UnknownActionError(f"AplicarLote: unknown operation {linea!r}")
        if acciones:
            apply_actions(acciones, wb)
    if limpiar:
        r1, c1, r2, c2 = _range_bounds(limpiar)
        for row in lote.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for cell in row:
                cell.value = None
                cell.style = "Normal"


def _numero(texto: str | None) -> float | str | None:
    try:
        return float(texto or "")
    except ValueError:
        return texto  # not a size: only the facet that needs it reads it as one


def _faceta_directa(ws: Worksheet, area: str, faceta: str, valor: str) -> None:
    r1, c1, r2, c2 = _range_bounds(area)
    for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
        for cell in row:
            if faceta == "borde":
                cell.border = Border(left=_BORDE, right=_BORDE, top=_BORDE, bottom=_BORDE)
                continue
            alignment = copy.copy(cell.alignment)
            if faceta == "horizontal":
                alignment.horizontal = _ALINEACION_H[valor]
            else:
                alignment.vertical = _ALINEACION_V[valor]
            cell.alignment = alignment


def _grafica_lote(wb: Workbook, f: list[str]) -> list[dict[str, Any]]:
    """``G`` line -> addChart and its setters, as the direct path emits them."""
    hoja, tipo, origen, por, categorias, ancla, ancho, alto, titulo, eje = f[:10]
    kind = {"51": "ColumnClustered", "4": "Line"}[tipo]
    plot_by = {"1": "Rows", "2": "Columns"}[por]
    index = len(wb[hoja]._charts)
    add = [None, kind, hoja, _absolute(origen), None, None, float(ancho), float(alto)]
    acciones = [
        _accion(wb, hoja, "A1", "addChart", [*add, plot_by, _absolute(ancla), 227]),
        _accion(wb, hoja, "A1", "setChartXAxisValues", [index, hoja, _absolute(categorias)]),
        _accion(wb, hoja, "A1", "setChartTitle", [index, titulo]),
    ]
    if eje:
        acciones.append(_accion(wb, hoja, "A1", "setChartAxis", [index, "value", {"title": eje}]))
    return acciones


def _impresion_lote(ws: Worksheet, f: list[str]) -> None:
    """``I`` line -> the page set-up the file adapter writes with openpyxl."""
    orientacion, carta, ajustar, filas, saltos = f[:5]
    ws.page_setup.orientation = "landscape" if orientacion == "2" else "portrait"
    if carta == "1":
        ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    if ajustar == "1":
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if filas:
        ws.print_title_rows = filas.replace("$", "")
    from openpyxl.worksheet.pagebreak import Break

    for fila in filter(None, saltos.split(";")):
        ws.row_breaks.append(Break(id=int(fila) - 1))


# Charts: the actions xlwings' remote engine emits for ``sheet.charts.add`` (``addChart``
# on the first ``set_source_data``) and the chart setters used by the adapter; replayed
# as openpyxl charts with the same anchor, size and data references.
_CHART_FUNCS = frozenset({"addChart", "setChartXAxisValues", "setChartTitle", "setChartAxis"})
_CM_PER_POINT = 2.54 / 72


def _chart_action(wb: Workbook, ws: Worksheet, func: str, args: list[Any]) -> None:
    if func == "addChart":
        _add_chart(wb, ws, args)
        return
    index = int(args[0])
    if not 0 <= index < len(ws._charts):
        raise UnknownActionError(f"{func}: {ws.title!r} has no chart {index}")
    chart = ws._charts[index]
    if func == "setChartTitle":
        chart.title = args[1]
    elif func == "setChartXAxisValues":
        chart.set_categories(_reference(wb, args[1], args[2]))
    elif func == "setChartAxis":
        axis_type, values = args[1], dict(args[2])
        axis = {"value": chart.y_axis, "category": chart.x_axis}.get(axis_type)
        if axis is None or set(values) - {"title"}:
            raise UnknownActionError(f"setChartAxis {axis_type!r} {values!r}")
        axis.title = values.get("title")


def _reference(wb: Workbook, sheet_name: str, address: str) -> Reference:
    r1, c1, r2, c2 = _range_bounds(address)
    return Reference(wb[sheet_name], min_col=c1, min_row=r1, max_col=c2, max_row=r2)


def _add_chart(wb: Workbook, ws: Worksheet, args: list[Any]) -> None:
    """``addChart`` args: name, Office.js chart type, source sheet and address, left, top,
    width, height (points), plot_by (``"Rows"``/``"Columns"``/None), anchor address, style.

    Series come from the rows (or columns) of the source, as Excel reads it: when the
    first column (rows) / first row (columns) holds only text, it is the series names.
    Replayed: ``ColumnClustered`` and ``Line`` charts placed by an anchor cell; anything
    else raises :class:`UnknownActionError`."""
    _name, kind, sheet_name, address, left, top, width, height, plot_by, anchor = args[:10]
    if kind == "ColumnClustered":
        chart: BarChart | LineChart = BarChart()
        chart.type, chart.grouping = "col", "clustered"
    elif kind == "Line":
        chart = LineChart()
    else:
        raise UnknownActionError(f"addChart of type {kind!r}")
    if anchor is None:
        raise UnknownActionError(f"addChart at left/top {left}, {top}: only anchors replayed")
    source = wb[sheet_name]
    r1, c1, r2, c2 = _range_bounds(address)
    if plot_by is None:  # Excel's default: series along the longer side
        plot_by = "Rows" if c2 - c1 > r2 - r1 else "Columns"
    if plot_by not in ("Rows", "Columns"):
        raise UnknownActionError(f"addChart plot_by {plot_by!r}")
    rows = plot_by == "Rows"
    if rows:
        heads = [source.cell(r, c1).value for r in range(r1, r2 + 1)]
        titled = c2 > c1 and all(isinstance(v, str) and v for v in heads)
    else:
        heads = [source.cell(r1, c).value for c in range(c1, c2 + 1)]
        titled = r2 > r1 and all(isinstance(v, str) and v for v in heads)
    data = Reference(source, min_col=c1, min_row=r1, max_col=c2, max_row=r2)
    chart.add_data(data, from_rows=rows, titles_from_data=titled)
    chart.width, chart.height = width * _CM_PER_POINT, height * _CM_PER_POINT
    ws.add_chart(chart, _relative(str(anchor)).upper())


def apply_actions(
    actions: Iterable[Mapping[str, Any]] | Mapping[str, Any],
    workbook_or_path: Workbook | str | os.PathLike[str],
    *,
    vba_client_only: bool = False,
    excel_coercion: bool = True,
) -> AppliedActions:
    """Replay remote-engine actions onto an openpyxl workbook (loaded if given a path).

    Positions are 0-based as in the actions; sheets are addressed by position in
    ``wb._sheets`` (Excel's sheet order, hidden sheets included). ``alert`` actions are
    collected in ``.alerts``; UI-only actions (screen updating, calculation, autofit,
    select) in ``.noops``. ``runMacro`` is replayed for the workbook's helper Subs in
    ``REPLAYED_MACROS`` only; charts (``addChart`` and the setters in ``_CHART_FUNCS``)
    become openpyxl charts, ``freezePaneAtRange`` sets ``ws.freeze_panes``.
    ``vba_client_only`` raises for actions the VBA client lacks.
    An action this harness doesn't know raises :class:`UnknownActionError`.
    """
    acts = _actions(actions)
    if isinstance(workbook_or_path, Workbook):
        wb = workbook_or_path
    else:
        path = Path(workbook_or_path)
        wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    result = AppliedActions(workbook=wb, count=len(acts), breakdown=operation_breakdown(acts))
    if vba_client_only and (missing := unsupported_by_vba_client(acts)):
        raise UnknownActionError(f"not supported by the VBA client (Remote.bas): {missing}")

    def sheet(action: Mapping[str, Any]) -> Worksheet:
        return wb._sheets[action["sheet_position"]]  # type: ignore[return-value]

    for action in acts:
        func = action["func"]
        args = action.get("args") or []
        if func in NOOP_FUNCS:
            result.noops.append(func)
        elif func == "setValues":
            ws = sheet(action)
            values = action["values"]
            for r, row in enumerate(values):
                for c, value in enumerate(row):
                    cell = ws.cell(action["start_row"] + 1 + r, action["start_column"] + 1 + c)
                    _excel_store(cell, value, coerce=excel_coercion)
        elif func == "setFormula":
            ws = sheet(action)
            values = action["values"]
            for r, row in enumerate(values):
                for c, value in enumerate(row):
                    ws.cell(
                        action["start_row"] + 1 + r, action["start_column"] + 1 + c
                    ).value = value
        elif func in ("rangeClearContents", "rangeClear", "rangeClearFormats"):
            ws = sheet(action)
            for _, _, cell in _cells(ws, _bounded(ws, action)):
                if func != "rangeClearFormats":
                    cell.value = None
                if func != "rangeClearContents":
                    cell.style = "Normal"
        elif func in ("sheetClear", "sheetClearContents", "sheetClearFormats"):
            ws = sheet(action)
            for row in ws.iter_rows():
                for cell in row:
                    if func != "sheetClearFormats":
                        cell.value = None
                    if func != "sheetClearContents":
                        cell.style = "Normal"
        elif func == "addSheet":
            position, name = args[0], args[1]
            wb.create_sheet(title=name, index=position)
            wb.active = position
        elif func == "setSheetName":
            sheet(action).title = args[0]
        elif func == "copySheet":
            _copiar_hoja(wb, sheet(action), args)
        elif func == "sheetDelete":
            wb.remove(sheet(action))
        elif func == "setSheetVisibility":
            state = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
            sheet(action).sheet_state = state[args[0]]
        elif func == "setSheetPosition":
            ws = sheet(action)
            wb._sheets.remove(ws)
            wb._sheets.insert(args[0], ws)
        elif func == "activateSheet":
            wb.active = args[0]
        elif func == "setRangeColor":
            ws = sheet(action)
            fill = _fill(args[0])
            for _, _, cell in _cells(ws, _bounded(ws, action)):
                cell.fill = fill
        elif func == "setRangeColors":
            ws = sheet(action)
            for r, row in enumerate(args[0]):
                for c, color in enumerate(row):
                    if color != "keep":
                        cell = ws.cell(action["start_row"] + 1 + r, action["start_column"] + 1 + c)
                        cell.fill = _fill(color)
        elif func == "setNumberFormat":
            ws = sheet(action)
            for _, _, cell in _cells(ws, _bounded(ws, action)):
                cell.number_format = args[0]
        elif func == "setFontProperty":
            ws = sheet(action)
            prop, value = args[0], args[1]
            key = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}
            if prop not in key:
                raise UnknownActionError(f"setFontProperty {prop!r}")
            for _, _, cell in _cells(ws, _bounded(ws, action)):
                font = copy.copy(cell.font)
                setattr(font, key[prop], _hex(value) if prop == "color" else value)
                cell.font = font
        elif func == "setWrapText":
            ws = sheet(action)
            for _, _, cell in _cells(ws, _bounded(ws, action)):
                alignment = copy.copy(cell.alignment)
                alignment.wrap_text = bool(args[0])
                cell.alignment = alignment
        elif func == "setColumnWidth":
            ws = sheet(action)
            first = action["start_column"] + 1
            for col in range(first, first + action["column_count"]):
                ws.column_dimensions[get_column_letter(col)].width = _ancho_guardado(args[0])
        elif func == "setRowHeight":
            ws = sheet(action)
            first = action["start_row"] + 1
            last = min(first + action["row_count"], max(ws.max_row, first) + 1)
            for row in range(first, last):
                ws.row_dimensions[row].height = args[0]
        elif func in ("setColumnHidden", "setRowHidden"):
            ws = sheet(action)
            if func == "setColumnHidden":
                first = action["start_column"] + 1
                for col in range(first, first + action["column_count"]):
                    ws.column_dimensions[get_column_letter(col)].hidden = bool(args[0])
            else:
                first = action["start_row"] + 1
                for row in range(first, first + action["row_count"]):
                    ws.row_dimensions[row].hidden = bool(args[0])
        elif func in ("rangeMerge", "rangeUnmerge"):
            ws = sheet(action)
            r1, c1 = action["start_row"] + 1, action["start_column"] + 1
            r2, c2 = r1 + action["row_count"] - 1, c1 + action["column_count"] - 1
            rows = [(r, r) for r in range(r1, r2 + 1)] if args and args[0] else [(r1, r2)]
            for a, b in rows:
                kwargs = {"start_row": a, "start_column": c1, "end_row": b, "end_column": c2}
                if func == "rangeMerge":
                    ws.merge_cells(**kwargs)
                else:
                    ws.unmerge_cells(**kwargs)
            if func == "rangeMerge":
                ws.cell(r1, c1).alignment = Alignment()
        elif func == "rangeAutofill":
            _autofill(sheet(action), action, args)
        elif func == "rangeSort":
            _ordenar(sheet(action), action, args)
        elif func == "runMacro":
            _run_macro(wb, args)
        elif func in _CHART_FUNCS:
            _chart_action(wb, sheet(action), func, args)
        elif func == "freezePaneAtRange":
            ws = sheet(action)
            if not re.fullmatch(r"\$?[A-Za-z]{1,3}\$?\d+", str(args[0])):
                raise UnknownActionError(f"freezePaneAtRange {args[0]!r}: only a cell is replayed")
            ws.freeze_panes = _relative(str(args[0])).upper()
        elif func == "freezePaneUnfreeze":
            sheet(action).freeze_panes = None
        elif func == "alert":
            padded = list(args) + [""] * (5 - len(args))
            result.alerts.append(
                dict(zip(("prompt", "title", "buttons", "mode", "callback"), padded, strict=False))
            )
        elif func == "setRangeName":
            ws = sheet(action)
            r1, c1 = action["start_row"] + 1, action["start_column"] + 1
            r2, c2 = r1 + action["row_count"] - 1, c1 + action["column_count"] - 1
            ref = _absolute(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
            quoted = "'" + ws.title.replace("'", "''") + "'"
            wb.defined_names[args[0]] = DefinedName(args[0], attr_text=f"{quoted}!{ref}")
        elif func == "namesAdd":
            name, refers_to = args[0], str(args[1]).lstrip("=")
            if action.get("sheet_position") is None:
                wb.defined_names[name] = DefinedName(name, attr_text=refers_to)
            else:
                sheet(action).defined_names[name] = DefinedName(name, attr_text=refers_to)
        else:
            raise UnknownActionError(
                f"apply_actions does not know {func!r} (action: {dict(action)!r})"
            )
    return result
