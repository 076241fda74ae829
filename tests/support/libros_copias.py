"""Acting like the users of e-mailed copies: the shipped master, edits typed into a copy,
and reading back what a workbook holds (shared by the copy and button tests)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[2]
MAESTRO = ROOT / "workbook" / "Metas2011.xlsm"
HIPERVINCULO = '=HYPERLINK("http://x","y")'
AHORA = dt.datetime(2011, 7, 1, 9, 30)


def reloj() -> dt.datetime:
    return AHORA


# -- helpers that act like a user editing a workbook ----------------------------------------
def _columnas(ws: Any, fila: int = 4) -> dict[str, int]:
    return {str(c.value).strip(): c.column for c in ws[fila] if c.value is not None}


def _fila_meta(ws: Any, meta: int, columna: int) -> int:
    for row in range(5, ws.max_row + 1):
        if ws.cell(row, columna).value == meta:
            return row
    raise AssertionError(f"meta {meta} not found in {ws.title}")


def editar(ruta: Path, cambios: dict[tuple[str, int, str], Any], guardar_como: Path | None = None):
    """Set (sheet, meta, header) -> value, as a user typing (text with '=' stays text)."""
    wb = openpyxl.load_workbook(ruta, keep_vba=ruta.suffix == ".xlsm")
    for (hoja, meta, encabezado), valor in cambios.items():
        ws = wb[hoja]
        cols = _columnas(ws)
        row = _fila_meta(ws, meta, cols["META"])
        cell = ws.cell(row, cols[encabezado])
        cell.value = valor
        if isinstance(valor, str):
            cell.data_type = "s"  # Excel stores text typed with a leading apostrophe
    destino = guardar_como or ruta
    wb.save(destino)
    return destino


def agregar_fila_avance(ruta: Path, fila: list[Any]) -> None:
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    wb["Avance"].append(fila)
    wb.save(ruta)


def valor(ruta: Path, hoja: str, meta: int, encabezado: str) -> Any:
    ws = openpyxl.load_workbook(ruta)[hoja]
    cols = _columnas(ws)
    return ws.cell(_fila_meta(ws, meta, cols["META"]), cols[encabezado]).value


def celda(ruta: Path, hoja: str, meta: int, encabezado: str) -> Any:
    ws = openpyxl.load_workbook(ruta)[hoja]
    cols = _columnas(ws)
    return ws.cell(_fila_meta(ws, meta, cols["META"]), cols[encabezado])


def vba(ruta: Path) -> bytes:
    with zipfile.ZipFile(ruta) as z:
        return z.read("xl/vbaProject.bin")


def sha(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def hoja_rows(ruta: Path, hoja: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(ruta)).get_sheet_by_name(hoja).to_python()


def metas_en(ruta: Path, hoja: str) -> list[int]:
    rows = hoja_rows(ruta, hoja)
    col = rows[3].index("META")
    return [int(r[col]) for r in rows[4:] if r[col] != ""]
