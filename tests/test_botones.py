"""The buttons' Python side on xlwings' remote engine, against real workbook files.

Each press runs on a payload built from a real file; its actions are applied to a copy,
and the result is compared with what the headless CLI writes on the same input.

Operations per press (remote engine; see docs/xlwings-remote.md, "Operations per button"),
the same for 20 or 21 metas in 3 programas, 50 in 25, 5,001 in 3 and 5,000 in 25, Avance filled:

    validar           1      (the message box)
    marcar_vencidos   5      per write of the press (the command's, the Historial's): the
    recalcular        5        staged values (one setValues) and ONE AplicarLote call
    generar_hojas     3        (runMacro) that does every sheet, value block, style, width,
    informe           3        height, merge, freeze pane, chart and colour clear in Excel
                             itself; plus the message box
                     A workbook with only the older helper Subs (CombinarRangos, AltosDeFila)
                     gets 4 + 36 × programas for generar_hojas; one without any helper, one
                     operation per merge / run of heights: 4 + 59 × programas + one per
                     objetivo group (+ one per group taller than its metas).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from bench.generador import escribir_libro, plan_sintetico
from tests.support.libros_avance import _shown, libro_muestra
from tests.support.remote import (
    EXCEL_MAX_ROWS,
    UnknownActionError,
    apply_actions,
    count_operations,
    operation_breakdown,
    payload_from_file,
    remote_book,
    unsupported_by_vba_client,
)
from xl_metas import botones, hojas_area, operaciones, plantillas
from xl_metas.build import LIBRO as LIBRO_MACROS
from xl_metas.cli import app
from xl_metas.lectura import leer
from xl_metas.muestra import aplicar_muestra
from xl_metas.render import hoja_espejo
from xl_metas.workbook_file import LibroArchivo
from xl_metas.workbook_xlwings import (
    MACRO_ALTOS,
    MACRO_COMBINAR,
    MACROS_AYUDA,
    NOMBRE_MACROS,
    LibroXlwings,
    excel_quieto,
    texto_alturas,
)

pytestmark = pytest.mark.excel

NOMBRE = "Metas.xlsm"  # the same file name on both sides: messages name the book
LIMITE = 25  # Excel operations per press, any button (issue 16)
# Per press with AplicarLote: (staged values + the macro) per write of the press + message.
OPERACIONES = {"validar": 1, "marcar_vencidos": 5, "recalcular": 5, "generar_hojas": 3}
OPERACIONES["informe_trimestral"] = 3
BASE_HOJAS = 4  # registry sheet (add, values, hide) and the message box
POR_PROGRAMA = 36  # per area sheet and its colour mirror, with only the older helper Subs
POR_PROGRAMA_SIN_MACROS = 59  # the same on a workbook without the helper Subs
_LINK = re.compile(r'^=HYPERLINK\("[^"]*","(.*)"\)$')


@pytest.fixture(scope="session")
def muestra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 2011 plan in the shipped workbook, with the sample Avance."""
    return libro_muestra(tmp_path_factory.mktemp("muestra") / NOMBRE)


@pytest.fixture(scope="session")
def grande(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,001 synthetic metas in 3 programas (as the 2011 plan), with the sample Avance;
    built once per session."""
    path = tmp_path_factory.mktemp("grande") / NOMBRE
    shutil.copyfile(LIBRO_MACROS, path)
    libro = LibroArchivo(path)
    libro.poner_hoja(operaciones.plan_sheet(plan_sintetico(5001, programas=3)))
    plan = leer(libro).plan
    aplicar_muestra(libro, plan)
    libro.guardar(respaldo=False)
    return path


@pytest.fixture(scope="session")
def cargas(muestra: Path, grande: Path) -> dict[str, str]:
    """The remote payload of each workbook as JSON text, built once per session; each press
    gets a fresh copy (``json.loads``), so no press sees another's state."""
    return {
        nombre: json.dumps(payload_from_file(src, caller_sheet="Inicio"))
        for nombre, src in (("muestra", muestra), ("grande", grande))
    }


def _acciones(carga: str, boton: Callable[[Any], None]) -> list[Any]:
    with remote_book(json.loads(carga)) as book:
        boton(book)
        return list(book.json()["actions"])


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


def _combinadas(ws: Any) -> list[str]:
    return sorted(str(r) for r in ws.merged_cells.ranges)


def _lineas_lote(actions: list[Any]) -> list[str]:
    """The lines of every AplicarLote call of a press."""
    llamadas = [a["args"] for a in actions if a["func"] == "runMacro"]
    assert all(str(args[0]).endswith("!AplicarLote") for args in llamadas), llamadas
    return [linea for args in llamadas for linea in str(args[2]).split("\n")]


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
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    assert wb.sheetnames == wb_cli.sheetnames
    for hoja in hojas:
        assert _combinadas(wb[hoja]) == _combinadas(wb_cli[hoja]), hoja
    [alerta] = _alertas(actions)
    assert alerta[1] == botones.TITULO and alerta[3] == "info"


def _series(path: Path, hoja: str) -> list[tuple[Any, ...]]:
    """Each chart of ``hoja`` as (type, anchor, size, title, [(series name, values ref,
    categories ref)]): a series name given as text or as a reference to a cell reads the
    same (the text a user sees in the legend)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[hoja]

    def ref(data: Any) -> str | None:
        if data is None:
            return None
        found = data.numRef or data.strRef
        return found.f.replace("'", "") if found is not None else None

    def texto(tx: Any) -> Any:
        if tx is None:
            return None
        if tx.strRef is not None:
            sheet, _, cell = tx.strRef.f.replace("'", "").rpartition("!")
            return wb[sheet][cell.replace("$", "")].value
        return tx.v

    out = []
    for chart in ws._charts:
        marker = chart.anchor._from
        titulo = "".join(r.t for p in chart.title.tx.rich.p for r in p.r) if chart.title else None
        out.append(
            (
                type(chart).__name__,
                getattr(chart, "type", None),
                (marker.row, marker.col),
                (round(chart.width, 2), round(chart.height, 2)),
                titulo,
                [(texto(s.tx), ref(s.val), ref(s.cat)) for s in chart.series],
            )
        )
    return out


def test_recalcular_pone_la_grafica_y_los_paneles_como_la_cli(
    muestra: Path, tmp_path: Path
) -> None:
    actions, pulsado = _pulsar(muestra, botones.recalcular, tmp_path)
    headless = _cli(muestra, "recalcular", tmp_path)
    [grafica] = _series(pulsado, "Resumen")
    assert [grafica] == _series(headless, "Resumen")
    tipo, barras, _, _, titulo, series = grafica
    assert (tipo, barras) == ("BarChart", "col") and titulo.startswith("Programado vs.")
    assert [s[0] for s in series] == ["Programado", "Realizado"]
    assert series[0][2] == "Resumen!$C$5:$N$5"  # the month headers
    # The chart is one line of the press's AplicarLote call, replayed as addChart & co.
    assert [linea.split("\t")[:3] for linea in _lineas_lote(actions) if linea[0] == "G"] == [
        ["G", "Resumen", "51"]
    ]
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    for hoja in ("Resumen", "Validación"):
        assert wb[hoja].freeze_panes is not None, hoja
        assert wb[hoja].freeze_panes == wb_cli[hoja].freeze_panes, hoja


def test_hojas_por_area_congelan_como_la_cli(muestra: Path, tmp_path: Path) -> None:
    _, pulsado = _pulsar(muestra, botones.generar_hojas, tmp_path)
    headless = _cli(muestra, "generar-hojas", tmp_path)
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    for hoja in ("VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"):
        assert wb[hoja].freeze_panes == wb_cli[hoja].freeze_panes == "A7", hoja


def test_vencidos_colores_iguales_a_la_cli(muestra: Path, tmp_path: Path) -> None:
    _, pulsado = _pulsar(muestra, botones.marcar_vencidos, tmp_path)
    headless = _cli(muestra, "vencidos", tmp_path)
    area = [f"{col}{row}" for row in range(5, 25) for col in "DEFGHIJKLMNOU"]
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    vistos = {c: _shown(wb, "Avance", c) for c in area}  # one load per workbook
    assert vistos == {c: _shown(wb_cli, "Avance", c) for c in area}
    assert len({v for v in vistos.values() if v}) >= 6  # every state colour is there
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


def _variable_hojas(src: Path | LibroXlwings) -> int:
    """What generar_hojas costs beyond its base on the remote engine: one merge per objetivo
    shared by several metas, one height per such group taller than its metas."""
    libro = LibroArchivo(src) if isinstance(src, Path) else src
    plan = leer(libro).plan
    seguimiento = hojas_area.progreso_hojas(operaciones.seguimiento(libro))
    total = 0
    for programa in plan.programas():
        hoja = hojas_area.hoja_area(plan, programa, "x", seguimiento)
        objetivo = [a for a in hoja.combinadas if re.fullmatch(r"A(\d+):A(\d+)", a)]
        objetivo = [a for a in objetivo if int(a.split(":")[0][1:]) >= hojas_area.PRIMERA_FILA]
        total += len(objetivo) + len(hoja.altos_fijos)
    return total


@pytest.fixture(scope="session")
def cargas_tamanos(cargas: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Payloads of complete workbooks (as importar makes them, Avance filled with the
    demo's patterns) of 21 metas in 3 programas, 50 in 25 and 5,000 in 25, besides the 2011
    plan (20 metas, 3 programas) and 5,001 metas in 3."""
    carpeta = tmp_path_factory.mktemp("tamanos")
    out = {"2011": cargas["muestra"], "5001 en 3": cargas["grande"]}
    for metas, programas in ((21, 3), (50, 25), (5000, 25)):
        ruta = escribir_libro(carpeta / f"m{metas}p{programas}.xlsm", metas, programas, 0.1, True)
        carga = payload_from_file(ruta, caller_sheet="Inicio")
        out[f"{metas} en {programas}"] = json.dumps(carga)
    return out


def _programas(carga: str) -> int:
    with remote_book(json.loads(carga)) as book:
        return len(leer(LibroXlwings(book)).plan.programas())


BOTONES = [
    botones.validar,
    botones.marcar_vencidos,
    botones.recalcular,
    botones.generar_hojas,
    botones.informe_trimestral,
]


@pytest.mark.parametrize("boton", BOTONES, ids=lambda b: b.__name__)
def test_operaciones_no_dependen_de_metas_ni_programas(
    cargas_tamanos: dict[str, str], boton: Callable[[Any], None]
) -> None:
    assert {n: _programas(c) for n, c in cargas_tamanos.items() if "en" in n} == {
        "5001 en 3": 3,
        "21 en 3": 3,
        "50 en 25": 25,
        "5000 en 25": 25,
    }
    cuentas = {}
    for nombre, carga in cargas_tamanos.items():
        actions = _acciones(carga, boton)
        assert [a[3] for a in _alertas(actions)] == ["info"], (nombre, _alertas(actions))
        cuentas[nombre] = count_operations(actions)
    esperado = OPERACIONES[boton.__name__]
    assert cuentas == dict.fromkeys(cargas_tamanos, esperado)
    assert esperado <= LIMITE


# xlwings Lite runs no VBA: each action takes one rectangle; each generated sheet's fixed
# top comes from the workbook's template (copySheet, name, show). Per press, any size:
OPERACIONES_LITE = {"validar": 0, "marcar_vencidos": 4, "recalcular": 33}
OPERACIONES_LITE["informe_trimestral"] = 26
# generar_hojas under Lite: base + per programa + one per objetivo group (_variable_hojas).
BASE_HOJAS_LITE, POR_PROGRAMA_LITE = 3, 33  # 3 + 33 × 3 + 2 = 104 (2011)


@pytest.fixture(scope="session")
def cargas_lite(cargas: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Payloads of complete workbooks whose Avance follows the demo's patterns (late,
    partial, over-achieved and unjustified metas: every semáforo colour and finding kind) of
    21 and 5,001 metas in 3 programas and 50 and 5,000 in 25, besides the 2011 sample."""
    carpeta = tmp_path_factory.mktemp("lite")
    out = {"2011": cargas["muestra"]}
    for metas, programas in ((21, 3), (5001, 3), (50, 25), (5000, 25)):
        ruta = carpeta / f"m{metas}p{programas}.xlsm"
        escribir_libro(ruta, metas, programas, 0.1, True, muestra=True)
        out[f"{metas} en {programas}"] = json.dumps(payload_from_file(ruta, caller_sheet="Inicio"))
    return out


def _lite(boton: Callable[..., None]) -> Callable[[Any], None]:
    return lambda book: boton(book, lite=True)


@pytest.mark.parametrize("boton", BOTONES, ids=lambda b: b.__name__)
def test_operaciones_en_lite(cargas_lite: dict[str, str], boton: Callable[..., None]) -> None:
    """Without VBA (xlwings Lite): flat in metas and programas for every button but
    generar_hojas, whose one sheet per programa and one merge per objetivo group each cost
    operations (docs/xlwings-remote.md, "xlwings Lite")."""
    assert {n: _programas(c) for n, c in cargas_lite.items()} == {
        "2011": 3,
        "21 en 3": 3,
        "5001 en 3": 3,
        "50 en 25": 25,
        "5000 en 25": 25,
    }
    cuentas, esperadas = {}, {}
    for nombre, carga in cargas_lite.items():
        actions = _acciones(carga, _lite(boton))
        assert not {a["func"] for a in actions} & {"runMacro", "alert"}, nombre
        cuentas[nombre] = count_operations(actions)
        if boton is botones.generar_hojas:
            with remote_book(json.loads(carga)) as book:
                variable = _variable_hojas(LibroXlwings(book, ayudas_vba=False))
            esperadas[nombre] = BASE_HOJAS_LITE + POR_PROGRAMA_LITE * _programas(carga) + variable
        else:
            esperadas[nombre] = OPERACIONES_LITE[boton.__name__]
    # Flat, but over LIMITE for recalcular (33) and the report (26): below the templates'
    # fixed tops, one operation per style facet and rectangle, per merge, per chart setter.
    assert cuentas == esperadas


def _sin_plantillas(wb: openpyxl.Workbook) -> None:
    """Drop the template sheets xlwings Lite copies: a workbook built before them."""
    for nombre in [n for n in wb.sheetnames if plantillas.es_plantilla(n)]:
        del wb[nombre]


def _con_macros(src: Path, destino: Path, macros: tuple[str, ...]) -> Path:
    """A copy of ``src`` whose marker announces only ``macros`` (a workbook built before
    the others existed, and before the templates)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(src, keep_vba=True)
    wb["xlwings.conf"]["D1"].value = ";".join(macros)
    _sin_plantillas(wb)
    wb.save(destino)
    return destino


def test_generar_hojas_con_las_ayudas_anteriores(
    muestra: Path, grande: Path, tmp_path: Path
) -> None:
    """Before AplicarLote: merges and explicit heights one runMacro each per sheet, the
    rest one operation per property; the count follows programas, not metas."""
    anteriores = (MACRO_COMBINAR, MACRO_ALTOS)
    cuentas = {}
    for nombre, src in (("muestra", muestra), ("grande", grande)):
        viejo = _con_macros(src, tmp_path / nombre / NOMBRE, anteriores)
        with remote_book(viejo, caller_sheet="Inicio") as book:
            botones.generar_hojas(book)
            actions = book.json()["actions"]
        cuentas[nombre] = (count_operations(actions), operation_breakdown(actions))
    assert cuentas["muestra"] == cuentas["grande"]
    assert cuentas["muestra"][0] == BASE_HOJAS + POR_PROGRAMA * 3
    assert cuentas["muestra"][1]["runMacro"] == 2 * 3
    viejo = tmp_path / "muestra" / NOMBRE
    _, pulsado = _pulsar(viejo, botones.generar_hojas, tmp_path)
    headless = _cli(viejo, "generar-hojas", tmp_path)
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    for hoja in ("VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"):
        assert _valores(pulsado, hoja) == _valores(headless, hoja), hoja
        assert _combinadas(wb[hoja]) == _combinadas(wb_cli[hoja]), hoja


def _sin_macros(src: Path, destino: Path) -> Path:
    """A copy of ``src`` as built before the helper Subs: no ``XlMetasMacros`` name (and
    no templates)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(src, keep_vba=True)
    del wb.defined_names[NOMBRE_MACROS]
    _sin_plantillas(wb)
    wb.save(destino)
    return destino


def test_generar_hojas_sin_macros_usa_una_operacion_por_rango(
    muestra: Path, grande: Path, tmp_path: Path
) -> None:
    viejo = _sin_macros(muestra, tmp_path / "viejo" / NOMBRE)
    actions, pulsado = _pulsar(viejo, botones.generar_hojas, tmp_path)
    headless = _cli(viejo, "generar-hojas", tmp_path)
    assert "runMacro" not in operation_breakdown(actions)
    base = BASE_HOJAS + POR_PROGRAMA_SIN_MACROS * 3
    assert count_operations(actions) == base + _variable_hojas(viejo) == 183
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    for hoja in ("VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"):
        assert _combinadas(wb[hoja]) == _combinadas(wb_cli[hoja]), hoja
        alto = {r: d.height for r, d in wb[hoja].row_dimensions.items() if d.height}
        assert alto  # heights still set, one range at a time
    # The size-dependent count this fallback has (and the helper Subs remove).
    grande_viejo = _sin_macros(grande, tmp_path / "grande-viejo" / NOMBRE)
    with remote_book(grande_viejo, caller_sheet="Inicio") as book:
        botones.generar_hojas(book)
        cuenta = count_operations(book.json()["actions"])
    assert cuenta == base + _variable_hojas(grande_viejo) > 1000


def test_run_macro_solo_para_las_macros_del_libro(muestra: Path) -> None:
    wb = openpyxl.load_workbook(muestra, keep_vba=True)
    accion = {"func": "runMacro", "args": ["'Metas.xlsm'!Otra", "Plan", "A1:B2"]}
    with pytest.raises(UnknownActionError):
        apply_actions([accion], wb)
    apply_actions(
        [
            {"func": "runMacro", "args": ["'Metas.xlsm'!CombinarRangos", "Plan", "Z1:Z3;Y5:Y6"]},
            {"func": "runMacro", "args": ["'Metas.xlsm'!AltosDeFila", "Plan", "40:41=30;45=12.5"]},
        ],
        wb,
    )
    assert {"Z1:Z3", "Y5:Y6"} <= {str(r) for r in wb["Plan"].merged_cells.ranges}
    heights = {r: wb["Plan"].row_dimensions[r].height for r in (40, 41, 45)}
    assert heights == {40: 30, 41: 30, 45: 12.5}


def test_vencidos_solo_usa_acciones_del_cliente_vba(muestra: Path) -> None:
    with remote_book(muestra, caller_sheet="Inicio") as book:
        botones.marcar_vencidos(book)
        actions = book.json()["actions"]
    # Hiding a new mirror sheet is the only Office.js-only action (only when the workbook
    # has no mirror yet; the shipped workbook may already have it).
    assert set(unsupported_by_vba_client(actions)) <= {"setSheetVisibility"}


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


def test_boton_consolidar_igual_que_la_cli(
    maestro: Path, devueltas: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The copies wait in Configuración's default folder («copias», next to the workbook).
    (tmp_path / "devueltas").rename(tmp_path / "copias")
    cli = tmp_path / "cli" / maestro.name
    cli.parent.mkdir()
    shutil.copyfile(maestro, cli)
    result = CliRunner().invoke(app, ["consolidar", str(cli), str(tmp_path / "copias")])
    assert result.exit_code in (0, 1), result.output

    # On the remote engine a book has no folder: point the button at the real file.
    monkeypatch.setattr(botones, "_ruta_libro", lambda libro: maestro)
    actions, boton = _pulsar(maestro, botones.consolidar, tmp_path)
    [alerta] = _alertas(actions)
    assert alerta[3] == "info", alerta[0]
    assert "Dañada" in alerta[0] and "rechazada" in alerta[0]
    assert _valores(boton, "Avance") == _valores(cli, "Avance")
    assert len(_valores(boton, "Consolidación")) == len(_valores(cli, "Consolidación"))


def test_texto_alturas_es_lo_que_lee_altos_de_fila() -> None:
    assert texto_alturas([((5, 7), 30.0), ((9, 9), 45.75)]) == "5:7=30;9=45.75"


def test_el_libro_anuncia_sus_macros(muestra: Path) -> None:
    with remote_book(muestra) as book:
        assert LibroXlwings(book).macros == set(MACROS_AYUDA)
        assert LibroXlwings(book, ayudas_vba=False).macros == set()
