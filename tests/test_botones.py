"""The buttons' Python side on xlwings' remote engine, against real workbook files.

Each press runs on a payload built from a real file; its actions are applied to a copy,
and the result is compared with what the headless CLI writes on the same input.

Operations per press (remote engine, measured here; the count does not depend on the
number of metas):

    validar          1   (the message box)
    marcar_vencidos 12   (7 value blocks, 2 fill clears, mirror sheet added+hidden the
                          first time, 1 message box)            bound ≤ 25
    recalcular      63 (2011) vs 68 (5,000 metas, 3 programas): the Validación and
                          Resumen sheets are rebuilt with their styles, so the count
                          follows their layout (programas, severities present), not the
                          number of metas; bound asserted ≤ LIMITE_RECALCULAR
    generar_hojas   grows with the metas (merges, row heights and month fills of the
                    area sheets): 324 for the 2011 plan; not size-independent yet.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from bench.generador import plan_sintetico
from tests.support.libros_avance import libro_muestra, relleno
from tests.support.remote import (
    EXCEL_MAX_ROWS,
    apply_actions,
    count_operations,
    operation_breakdown,
    remote_book,
    unsupported_by_vba_client,
)
from xl_metas import botones, operaciones
from xl_metas.cli import app
from xl_metas.muestra import aplicar_muestra
from xl_metas.render import hoja_espejo
from xl_metas.workbook_file import LibroArchivo
from xl_metas.workbook_xlwings import LibroXlwings, excel_quieto

NOMBRE = "Metas.xlsm"  # the same file name on both sides: messages name the book
LIMITE_VENCIDOS = 25
LIMITE_RECALCULAR = 80
_LINK = re.compile(r'^=HYPERLINK\("[^"]*","(.*)"\)$')


@pytest.fixture(scope="module")
def muestra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 2011 plan in the shipped workbook, with the sample Avance."""
    return libro_muestra(tmp_path_factory.mktemp("muestra") / NOMBRE)


@pytest.fixture(scope="module")
def grande(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 synthetic metas (3 programas, as the 2011 plan) with the sample Avance."""
    path = tmp_path_factory.mktemp("grande") / NOMBRE
    shutil.copyfile(operaciones.PLANTILLA_XLSM, path)
    libro = LibroArchivo(path)
    libro.poner_hoja(operaciones.plan_sheet(plan_sintetico(5000, programas=3)))
    libro.guardar(respaldo=False)
    libro = LibroArchivo(path)
    plan, _ = operaciones.leer_plan(libro)
    aplicar_muestra(libro, plan)
    libro.guardar(respaldo=False)
    return path


def _pulsar(src: Path, boton: Callable[[Any], None], tmp: Path) -> tuple[list[Any], Path]:
    """Press on the remote engine; the actions applied to a copy of ``src``."""
    with remote_book(src, caller_sheet="Inicio") as book:
        boton(book)
        actions = book.json()["actions"]
    copia = tmp / "boton" / NOMBRE
    copia.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, copia)
    apply_actions(actions, copia).save(copia)
    return actions, copia


def _cli(src: Path, comando: str, tmp: Path) -> Path:
    copia = tmp / "cli" / NOMBRE
    copia.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, copia)
    result = CliRunner().invoke(app, [comando, str(copia)])
    assert result.exit_code in (0, 1), result.output
    return copia


def _valores(path: Path, hoja: str) -> list[list[Any]]:
    """Values as a user reads them (a HYPERLINK formula reads as its text)."""
    ws = openpyxl.load_workbook(path)[hoja]
    rows = []
    for row in ws.iter_rows(values_only=True):
        line = [_LINK.sub(r"\1", v) if isinstance(v, str) else v for v in row]
        line = [None if v == "" else v for v in line]
        while line and line[-1] is None:
            line.pop()
        rows.append(line)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _alertas(actions: list[Any]) -> list[list[Any]]:
    return [a["args"] for a in actions if a["func"] == "alert"]


# ------------------------------------------------------------- same result as the CLI


@pytest.mark.parametrize(
    ("boton", "comando", "hojas"),
    [
        (botones.recalcular, "recalcular", ["Plan", "Validación", "Avance", "Resumen"]),
        (botones.marcar_vencidos, "vencidos", ["Avance", hoja_espejo("Avance")]),
        (
            botones.generar_hojas,
            "generar-hojas",
            ["VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN", "Hojas generadas"],
        ),
    ],
)
def test_boton_escribe_lo_mismo_que_la_cli(
    muestra: Path, tmp_path: Path, boton: Callable[[Any], None], comando: str, hojas: list[str]
) -> None:
    actions, pulsado = _pulsar(muestra, boton, tmp_path)
    headless = _cli(muestra, comando, tmp_path)
    for hoja in hojas:
        assert _valores(pulsado, hoja) == _valores(headless, hoja), hoja
    assert openpyxl.load_workbook(pulsado).sheetnames == openpyxl.load_workbook(headless).sheetnames
    [alerta] = _alertas(actions)
    assert alerta[1] == botones.TITULO and alerta[3] == "info"


def test_vencidos_colores_iguales_a_la_cli(muestra: Path, tmp_path: Path) -> None:
    _, pulsado = _pulsar(muestra, botones.marcar_vencidos, tmp_path)
    headless = _cli(muestra, "vencidos", tmp_path)
    area = [f"{col}{row}" for row in range(5, 25) for col in "DEFGHIJKLMNOU"]
    vistos = {c: relleno(pulsado, "Avance", c) for c in area}
    assert vistos == {c: relleno(headless, "Avance", c) for c in area}
    assert len({v for v in vistos.values() if v}) >= 6  # every state colour is there
    wb = openpyxl.load_workbook(pulsado)
    assert wb[hoja_espejo("Avance")].sheet_state == "hidden"


def test_texto_con_igual_sigue_siendo_texto(muestra: Path, tmp_path: Path) -> None:
    src = tmp_path / "igual" / NOMBRE
    src.parent.mkdir()
    shutil.copyfile(muestra, src)
    wb = openpyxl.load_workbook(src, keep_vba=True)
    cell = wb["Plan"]["D5"]
    cell.value, cell.data_type, cell.quotePrefix = "=Firmar convenios", "s", True
    wb.save(src)
    _, pulsado = _pulsar(src, botones.generar_hojas, tmp_path)
    ws = openpyxl.load_workbook(pulsado)["VINCULACIÓN"]
    [found] = [c for row in ws.iter_rows() for c in row if c.value == "=Firmar convenios"]
    assert found.data_type == "s" and found.quotePrefix


# ----------------------------------------------------------------- operation counts


@pytest.mark.parametrize("boton", [botones.validar, botones.marcar_vencidos, botones.recalcular])
def test_operaciones_no_dependen_del_numero_de_metas(
    muestra: Path, grande: Path, tmp_path: Path, boton: Callable[[Any], None]
) -> None:
    cuentas = []
    for src in (muestra, grande):
        with remote_book(src, caller_sheet="Inicio") as book:
            boton(book)
            actions = book.json()["actions"]
        assert [a[3] for a in _alertas(actions)] == ["info"], _alertas(actions)
        cuentas.append((count_operations(actions), operation_breakdown(actions)))
    if boton is botones.recalcular:  # layout of Validación/Resumen, see the module doc
        assert max(c for c, _ in cuentas) <= LIMITE_RECALCULAR
        return
    assert cuentas[0] == cuentas[1]
    assert cuentas[0][0] <= LIMITE_VENCIDOS


def test_vencidos_solo_usa_acciones_del_cliente_vba(muestra: Path) -> None:
    with remote_book(muestra, caller_sheet="Inicio") as book:
        botones.marcar_vencidos(book)
        actions = book.json()["actions"]
    # Hiding the new mirror sheet is the only Office.js-only action (first press only).
    assert unsupported_by_vba_client(actions) == ["setSheetVisibility"]


# ------------------------------------------------------------------------- errors


def test_libro_sin_plan_es_un_aviso_en_espanol(tmp_path: Path) -> None:
    src = tmp_path / "vacio.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Otra"
    wb.save(src)
    with remote_book(src) as book:
        botones.recalcular(book)
        actions = book.json()["actions"]
    [alerta] = _alertas(actions)
    assert alerta[3] == "critical"
    assert "no tiene la hoja «Plan»" in alerta[0] and "vacio.xlsx" in alerta[0]
    assert count_operations(actions) == 1  # nothing written


def test_error_inesperado_es_un_aviso(muestra: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def falla(libro: Any) -> None:
        raise RuntimeError("se cayó")

    monkeypatch.setattr(operaciones, "vencidos", falla)
    with remote_book(muestra) as book:
        botones.marcar_vencidos(book)
        [alerta] = _alertas(book.json()["actions"])
    assert alerta[3] == "critical"
    assert alerta[0].startswith("Error inesperado (RuntimeError: se cayó)")


@pytest.mark.parametrize("boton", [botones.exportar_copias, botones.consolidar])
def test_copias_sin_carpeta_o_pendientes_dicen_por_que(
    muestra: Path, boton: Callable[[Any], None]
) -> None:
    # On the remote engine the book has no folder (fullname is only the name).
    with remote_book(muestra) as book:
        boton(book)
        actions = book.json()["actions"]
    [alerta] = _alertas(actions)
    assert alerta[3] == "critical"
    assert "todavía no está disponible" in alerta[0] or "Guarde primero" in alerta[0]
    assert count_operations(actions) == 1


def test_sin_libro_usa_el_caller(muestra: Path) -> None:
    with remote_book(muestra) as book:  # sets the mock caller, as Excel's RunPython would
        botones.validar()
        [alerta] = _alertas(book.json()["actions"])
    assert alerta[0].startswith("Hallazgos: 2 errores")


# ----------------------------------------------------------------- adapter details


def test_hoja_hasta_la_ultima_fila_se_lee_en_bloques(tmp_path: Path) -> None:
    src = tmp_path / "largo.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["META", "PROGRAMA ANUAL"])
    ws.append([1, 22])
    ws.cell(EXCEL_MAX_ROWS, 1).number_format = "0"
    wb.save(src)
    with remote_book(src) as book:
        assert LibroXlwings(book).leer("plan").rows == [["META", "PROGRAMA ANUAL"], [1, 22]]


class _App:
    class engine:  # noqa: N801 - mimics xw.App.engine
        name = "excel"

    def __init__(self) -> None:
        self.screen_updating, self.calculation = True, "automatic"


class _Book:
    def __init__(self) -> None:
        self.app = _App()


def test_bajo_com_se_suspende_y_se_restaura_aun_con_error() -> None:
    book: Any = _Book()
    with pytest.raises(RuntimeError), excel_quieto(book):
        assert (book.app.screen_updating, book.app.calculation) == (False, "manual")
        raise RuntimeError
    assert (book.app.screen_updating, book.app.calculation) == (True, "automatic")
