"""The Historial: what commands, consolidations, buttons and hand edits change in the
captured figures, recorded in a hidden, protected, hash-chained sheet that only grows."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.libros_avance import libro_muestra
from tests.support.libros_copias import _columnas, _fila_meta, sha
from xl_metas import archivos, historial, operaciones
from xl_metas.cli import app
from xl_metas.escrituras import Bloque
from xl_metas.historial import HOJA_HISTORIAL, Registro
from xl_metas.lectura import leer
from xl_metas.model import Valor
from xl_metas.muestra import PATRONES
from xl_metas.text import column_letter

SOBRECUMPLIDO = PATRONES[4][2]  # the sample's justificación of meta 5

SONORA = dt.timezone(dt.timedelta(hours=-7))  # no daylight saving time in Sonora


def reloj(dia: int, hora: int = 9) -> Callable[[], dt.datetime]:
    return lambda: dt.datetime(2011, 7, dia, hora, 30, tzinfo=SONORA)


def correr(ruta: Path, comando: str, dia: int = 1, **kwargs: Any) -> bool:
    """A command on the file as the CLI runs it (OS user replaced by «ana»); True if saved."""
    with historial.autoria(ahora=reloj(dia), usuario="ana"):
        libro = archivos.abrir(ruta)
        getattr(operaciones, comando)(libro, **kwargs)
        return libro.guardar(respaldo=False)


def a_mano(ruta: Path, cambios: dict[tuple[str, int, str], Any], autor: str = "Beto") -> None:
    """Edit cells as a user in Excel would, and save as ``autor`` (lastModifiedBy)."""
    wb = openpyxl.load_workbook(ruta, keep_vba=ruta.suffix == ".xlsm")
    for (hoja, meta, encabezado), valor in cambios.items():
        ws = wb[hoja]
        cols = _columnas(ws)
        ws.cell(_fila_meta(ws, meta, cols["META"]), cols[encabezado]).value = valor
    wb.properties.lastModifiedBy = autor
    wb.save(ruta)


def registros(ruta: Path) -> list[Registro]:
    return historial.consultar(archivos.abrir(ruta))


def cambios(ruta: Path) -> list[tuple[str, str, str, str, str, Any, Any]]:
    """(origen, quién, hoja, meta, campo, antes, después) of each row after the first."""
    return [
        (r.origen, r.quien, r.hoja, r.meta, r.campo, r.antes, r.despues)
        for r in registros(ruta)[1:]
    ]


@pytest.fixture
def muestra(tmp_path: Path) -> Path:
    """The real 2011 plan with the sample Avance (no Historial yet)."""
    return libro_muestra(tmp_path / "Metas2011.xlsm")


# ------------------------------------------------------------------- baseline, hand edits


def test_el_primer_comando_toma_el_estado_inicial(muestra: Path) -> None:
    assert correr(muestra, "recalcular")
    [inicial] = registros(muestra)
    assert (inicial.origen, inicial.quien, inicial.fecha) == (
        "estado inicial",
        "ana",
        "2011-07-01 09:30:00-07:00",
    )
    lectura = leer(archivos.abrir(muestra))
    celdas = [v for m in lectura.plan.metas for v in (m.anual, *m.meses) if not v.vacio]
    assert lectura.avance is not None
    celdas += [
        v for f in lectura.avance.avance.filas for v in (*f.meses, f.justificacion) if not v.vacio
    ]
    assert inicial.despues == f"{len(celdas)} celdas con datos"
    ws = openpyxl.load_workbook(muestra)[HOJA_HISTORIAL]
    assert ws.sheet_state == "hidden"
    assert ws.protection.sheet and ws.protection.password  # openpyxl keeps its hash
    # A second identical run writes nothing: not even a timestamp.
    antes = sha(muestra)
    assert not correr(muestra, "recalcular", dia=2)
    assert not correr(muestra, "vencidos", dia=3)
    assert sha(muestra) == antes


def test_un_libro_sin_avance_no_tiene_historial(plan_2011: Path) -> None:
    correr(plan_2011, "recalcular")
    assert HOJA_HISTORIAL not in openpyxl.load_workbook(plan_2011).sheetnames


def test_edicion_a_mano_entre_dos_comandos(muestra: Path) -> None:
    correr(muestra, "recalcular")
    anterior = Valor(
        openpyxl.load_workbook(muestra)["Avance"]["E7"].value  # meta 3, FEB
    ).raw
    a_mano(
        muestra,
        {
            ("Avance", 3, "FEB"): 42,
            ("Avance", 5, "JUSTIFICACIÓN"): '=HYPERLINK("x")',
            ("Plan", 7, "PROGRAMA ANUAL"): 21,
        },
    )
    assert correr(muestra, "vencidos", dia=2)
    quien = "Beto (último en guardar el libro)"
    assert cambios(muestra) == [
        ("edición manual", quien, "Plan", "7", "PROGRAMA ANUAL", 22, 21),
        ("edición manual", quien, "Avance", "3", "FEB", anterior, 42),
        ("edición manual", quien, "Avance", "5", "JUSTIFICACIÓN", SOBRECUMPLIDO, '=HYPERLINK("x")'),
    ]
    fila = registros(muestra)[2]
    assert (fila.celda, fila.fecha) == ("E7", "2011-07-02 09:30:00-07:00")
    ws = openpyxl.load_workbook(muestra)[HOJA_HISTORIAL]
    assert ws.cell(fila.fila, 10).data_type == "n"
    assert ws.cell(fila.fila + 1, 10).data_type == "s"  # text, never a formula
    # Recorded once: later commands find nothing new (recalcular still rewrites its own
    # sheets once, the Plan having changed), and a rerun leaves the file as it was.
    correr(muestra, "recalcular", dia=3)
    assert len(registros(muestra)) == 4
    antes = sha(muestra)
    assert not correr(muestra, "recalcular", dia=4)
    assert sha(muestra) == antes
    assert not [h for h in operaciones.validar(archivos.abrir(muestra)) if "historial" in h.regla]


def test_la_huella_distingue_verdadero_de_uno(muestra: Path) -> None:
    """The chain makes each text and number canonical once per block: TRUE (which Python
    takes as equal to 1), 1, 1.0 and the text "1" keep their own texts, so every row's
    HUELLA is the one ``validar`` recomputes from the sheet."""
    correr(muestra, "recalcular")
    a_mano(
        muestra,
        {
            ("Avance", 3, "DIC"): 1,  # December: blank in the sample (cut-off in June)
            ("Avance", 4, "DIC"): True,
            ("Avance", 5, "DIC"): 1.5,
            ("Avance", 6, "DIC"): "1",
            ("Avance", 7, "DIC"): True,
        },
    )
    assert correr(muestra, "vencidos", dia=2)
    despues = [(r.meta, r.despues) for r in registros(muestra)[1:]]
    assert [(m, d, type(d)) for m, d in despues] == [
        ("3", 1.0, float),  # numbers are read back as floats
        ("4", True, bool),
        ("5", 1.5, float),
        ("6", "1", str),
        ("7", True, bool),
    ]
    assert not [h for h in operaciones.validar(archivos.abrir(muestra)) if "historial" in h.regla]


def test_validar_anuncia_lo_editado_a_mano_sin_escribir(muestra: Path) -> None:
    correr(muestra, "recalcular")
    a_mano(muestra, {("Avance", 3, "FEB"): 42})
    antes = sha(muestra)
    [aviso] = [h for h in operaciones.validar(archivos.abrir(muestra)) if "historial" in h.regla]
    assert aviso.regla == "historial-pendiente" and "E7" in aviso.mensaje
    assert sha(muestra) == antes


# --------------------------------------------------------------------------- commands


def test_consolidar_anota_remitente_y_copia(maestro: Path, devueltas: dict[str, Path]) -> None:
    vinculacion = devueltas["VINCULACIÓN"]
    wb = openpyxl.load_workbook(vinculacion, keep_vba=True)
    wb.properties.lastModifiedBy = "Lucía Pérez"
    wb.save(vinculacion)
    copias = [devueltas["VINCULACIÓN"], devueltas["CAPACITACIÓN"], devueltas["DIFUSIÓN"]]

    def consolidar() -> bool:
        with historial.autoria(usuario="ana"):
            libro = archivos.abrir(maestro)
            operaciones.consolidar(libro, copias, ahora=reloj(4))
            return libro.guardar(respaldo=False)

    assert consolidar()
    filas = registros(maestro)
    assert filas[0].origen == "estado inicial"  # taken when the copies were exported
    por_celda = {(r.meta, r.campo): r for r in filas[1:]}
    assert {k: (r.antes, r.despues) for k, r in por_celda.items()} == {
        ("1", "ENE"): (None, 1),
        ("1", "FEB"): (None, 2),
        ("1", "JUSTIFICACIÓN"): (None, '=HYPERLINK("http://x","y")'),
        ("2", "FEB"): (None, 3),  # ENE is a conflict: the master's 5 stays, nothing changed
        ("7", "MAR"): (None, 3),
        ("9", "ENE"): (None, 1),
        ("9", "JUSTIFICACIÓN"): (None, "Evento"),
    }
    uno = por_celda[("1", "ENE")]
    assert (uno.quien, uno.copia, uno.origen, uno.hoja) == (
        "Lucía Pérez (VINCULACIÓN)",
        "Metas2011 - Vinculación.xlsm",
        "comando consolidar",
        "Avance",
    )
    assert por_celda[("7", "MAR")].copia == "Metas2011 - Capacitación.xlsx"
    assert por_celda[("7", "MAR")].quien.endswith("(CAPACITACIÓN)")
    assert por_celda[("9", "ENE")].copia == "Metas2011 - Difusión.xlsm"
    assert {r.fecha for r in filas[1:]} == {"2011-07-04 09:30:00-07:00"}
    # The same copies again: nothing new, the file untouched.
    antes = sha(maestro)
    assert not consolidar()
    assert sha(maestro) == antes
    # The state recorded from the merge's writes is the one a later command reads (it was
    # not re-read): recalcular finds nothing to add and leaves the state as it was.
    estado = _estado_registrado(maestro)
    correr(maestro, "recalcular", dia=5)
    assert len(registros(maestro)) == len(filas)
    assert _estado_registrado(maestro) == estado
    assert not [h for h in operaciones.validar(archivos.abrir(maestro)) if "historial" in h.regla]


def _estado_registrado(ruta: Path) -> list[list[Any]]:
    hist = historial.leer_historial(archivos.abrir(ruta))
    assert hist is not None
    return hist.estado_filas


def test_lo_escrito_se_anota_igual_que_releyendo(muestra: Path, tmp_path: Path) -> None:
    """A merge hands the Historial the cells it writes instead of re-reading the workbook:
    the rows and the state recorded are the same as after a re-read."""
    correr(muestra, "recalcular")
    releido = tmp_path / "releido.xlsm"
    shutil.copyfile(muestra, releido)
    # Meta 5: JUL was blank and JUSTIFICACIÓN, after it, is not; meta 3: ENE overwritten.
    cambios_avance = {("5", "JUL"): 1, ("3", "ENE"): 42}

    def escribir(ruta: Path, releer: bool) -> None:
        with historial.autoria(ahora=reloj(8), usuario="ana"):
            libro = archivos.abrir(ruta)
            lectura = leer(libro)
            assert lectura.avance is not None
            tabla, filas = lectura.avance.tabla, lectura.avance.avance.por_meta()
            bloques, escritos = [], {}
            for (meta, mes), valor in cambios_avance.items():
                fila, columna = filas[meta].fila, tabla.columns[mes]
                bloques.append(Bloque("Avance", fila, columna, [[valor]]))
                escritos[("avance", meta, mes)] = (valor, f"{column_letter(columna)}{fila}")
            if releer:
                libro.aplicar(bloques)
                historial.registrar(libro, lectura, "consolidar", releer=True)
            else:
                _, notas = historial.anotar(libro, lectura, "consolidar", escritos=escritos)
                libro.aplicar([*bloques, *notas])
            assert libro.guardar(respaldo=False)

    escribir(releido, releer=True)
    escribir(muestra, releer=False)
    assert registros(muestra) == registros(releido)
    assert [(r.meta, r.campo, r.despues) for r in registros(muestra)[1:]] == [
        ("3", "ENE", 42),
        ("5", "JUL", 1),
    ]
    assert _estado_registrado(muestra) == _estado_registrado(releido)


def test_importar_actualizar_anota_el_plan(muestra: Path) -> None:
    correr(muestra, "recalcular")
    libro = archivos.abrir(muestra)
    plan = leer(libro).plan
    metas = tuple(replace(m, anual=Valor(21)) if m.clave == "7" else m for m in plan.metas)
    with historial.autoria(ahora=reloj(5), usuario="ana"):
        operaciones.actualizar_plan(libro, replace(plan, metas=metas))
    libro.guardar(respaldo=False)
    assert cambios(muestra) == [
        ("comando importar --actualizar", "ana", "Plan", "7", "PROGRAMA ANUAL", 22, 21)
    ]


# ------------------------------------------------------------------------- tampering


def _historial_con_filas(muestra: Path) -> Path:
    correr(muestra, "recalcular")
    a_mano(muestra, {("Avance", 3, "FEB"): 42, ("Avance", 4, "FEB"): 7})
    correr(muestra, "vencidos", dia=2)
    a_mano(muestra, {("Avance", 3, "MAR"): 1})
    correr(muestra, "recalcular", dia=3)
    assert [r.fila for r in registros(muestra)] == [5, 6, 7, 8]
    return muestra


def _alterado(ruta: Path) -> list[Any]:
    return [h for h in operaciones.validar(archivos.abrir(ruta)) if h.regla == "historial-alterado"]


def _editar_historial(ruta: Path, accion: Callable[[Any], None]) -> None:
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    accion(wb[HOJA_HISTORIAL])
    wb.save(ruta)


def test_validar_reporta_una_fila_borrada(muestra: Path) -> None:
    ruta = _historial_con_filas(muestra)
    assert _alterado(ruta) == []
    _editar_historial(ruta, lambda ws: ws.delete_rows(6))
    [hallazgo] = _alterado(ruta)
    assert (hallazgo.hoja, hallazgo.celda, hallazgo.severidad) == ("Historial", "K6", "error")
    assert "la fila 6" in hallazgo.mensaje


def test_validar_reporta_una_fila_editada(muestra: Path) -> None:
    ruta = _historial_con_filas(muestra)

    def editar(ws: Any) -> None:
        ws["J7"] = 8  # «después» of the row for meta 4

    _editar_historial(ruta, editar)
    [hallazgo] = _alterado(ruta)
    assert hallazgo.celda == "K7" and hallazgo.meta == "4"
    assert "la fila 7" in hallazgo.mensaje


def test_validar_reporta_una_fila_insertada(muestra: Path) -> None:
    ruta = _historial_con_filas(muestra)

    def insertar(ws: Any) -> None:
        ws.insert_rows(6)
        for c, v in enumerate(["2011-07-02 09:30:00-07:00", "x", "edición manual"], 1):
            ws.cell(6, c).value = v

    _editar_historial(ruta, insertar)
    [hallazgo] = _alterado(ruta)
    assert hallazgo.celda == "K6"


def test_validar_reporta_las_ultimas_filas_borradas(muestra: Path) -> None:
    ruta = _historial_con_filas(muestra)

    def vaciar_ultima(ws: Any) -> None:
        for c in range(1, 12):
            ws.cell(8, c).value = None

    _editar_historial(ruta, vaciar_ultima)
    [hallazgo] = _alterado(ruta)
    assert hallazgo.celda == "N2" and "últimas filas" in hallazgo.mensaje


# ------------------------------------------------------------------------------ CLI


def test_historial_cli_filtra_por_meta_y_fecha(muestra: Path) -> None:
    ruta = _historial_con_filas(muestra)
    runner = CliRunner()
    result = runner.invoke(
        app, ["historial", str(ruta), "--meta", "03", "--desde", "2011-07-02", "--json"]
    )
    assert result.exit_code == 0, result.output
    filas = json.loads(result.stdout)
    assert [(f["meta"], f["campo"], f["antes"], f["despues"], f["fecha"][:10]) for f in filas] == [
        ("3", "FEB", filas[0]["antes"], 42, "2011-07-02"),
        ("3", "MAR", filas[1]["antes"], 1, "2011-07-03"),
    ]
    assert {f["origen"] for f in filas} == {"edición manual"}
    result = runner.invoke(app, ["historial", str(ruta), "--desde", "2011-07-03"])
    assert result.exit_code == 0, result.output
    assert "edición manual" in result.stdout and "1 registro(s)." in result.stdout
    antes = sha(ruta)
    assert runner.invoke(app, ["historial", str(ruta), "--desde", "julio"]).exit_code == 2
    assert sha(ruta) == antes


def test_historial_cli_sin_historial(muestra: Path) -> None:
    result = CliRunner().invoke(app, ["historial", str(muestra)])
    assert result.exit_code == 0
    assert "todavía no tiene historial" in result.stdout
    result = CliRunner().invoke(app, ["historial", str(muestra), "--json"])
    assert json.loads(result.stdout) == []


def test_la_cli_anota_al_usuario_del_sistema(
    muestra: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(historial.getpass, "getuser", lambda: "usuario-del-sistema")
    result = CliRunner().invoke(app, ["recalcular", str(muestra)])
    assert result.exit_code in (0, 1), result.output
    [inicial] = registros(muestra)
    assert inicial.quien == "usuario-del-sistema" and inicial.origen == "estado inicial"
    assert dt.datetime.fromisoformat(inicial.fecha).tzinfo is not None


def test_las_filas_viejas_no_se_reescriben(muestra: Path) -> None:
    correr(muestra, "recalcular")
    a_mano(muestra, {("Avance", 3, "FEB"): 42})
    correr(muestra, "vencidos", dia=2)
    primeras = registros(muestra)
    a_mano(muestra, {("Avance", 3, "MAR"): 1})
    correr(muestra, "recalcular", dia=3)
    assert registros(muestra)[: len(primeras)] == primeras
    ws = openpyxl.load_workbook(muestra)[HOJA_HISTORIAL]
    assert ws.protection.sheet and ws.sheet_state == "hidden"


# ----------------------------------------------------------- buttons (xlwings' remote engine)


def _pulsar(src: Path, boton: Callable[..., None], destino: Path, **kwargs: Any) -> list[Any]:
    """Press on xlwings' remote engine; the actions applied to ``destino`` (a copy of src)."""
    from tests.support.remote import apply_actions, remote_book

    with historial.autoria(ahora=reloj(6)), remote_book(src, caller_sheet="Inicio") as book:
        boton(book, **kwargs)
        actions = list(book.json()["actions"])
    if destino != src:
        shutil.copyfile(src, destino)
    apply_actions(actions, destino).save(destino)
    return actions


@pytest.mark.excel
def test_boton_consolidar_y_edicion_a_mano_por_boton(
    maestro: Path, devueltas: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xl_metas import botones

    (tmp_path / "devueltas").rename(tmp_path / "copias")  # Configuración's default folder
    monkeypatch.setattr(botones, "_ruta_libro", lambda libro: maestro)  # no folder remotely
    pulsado = tmp_path / "pulsado.xlsm"
    _pulsar(maestro, botones.consolidar, pulsado)
    filas = registros(pulsado)
    assert filas[0].origen == "estado inicial"  # taken when the copies were exported
    por_celda = {(r.meta, r.campo): r for r in filas[1:]}
    uno = por_celda[("1", "FEB")]
    assert (uno.origen, uno.copia, uno.despues) == (
        "botón «Consolidar copias»",
        "Metas2011 - Vinculación.xlsm",
        2,
    )
    assert uno.quien.endswith("(VINCULACIÓN)")
    assert {r.fecha for r in filas[1:]} == {"2011-07-06 09:30:00-07:00"}

    # A hand edit, then the Recalcular button: recorded as such, once.
    a_mano(pulsado, {("Avance", 4, "ABR"): 6})
    acciones = _pulsar(pulsado, botones.recalcular, pulsado)
    [alerta] = [a["args"] for a in acciones if a["func"] == "alert"]
    assert alerta[3] == "info", alerta[0]
    [manual] = [r for r in registros(pulsado) if r.origen == "edición manual"]
    assert (manual.meta, manual.campo, manual.despues, manual.quien) == (
        "4",
        "ABR",
        6,
        "desconocido",
    )
    acciones = _pulsar(pulsado, botones.recalcular, pulsado)
    assert HOJA_HISTORIAL not in json.dumps([a for a in acciones if a["func"] == "setValues"])
    assert _alterado(pulsado) == []


@pytest.mark.excel
def test_boton_anota_al_usuario_y_en_lite_nada(
    muestra: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xl_metas import botones

    # The remote engine's payload has no user name: the OS user stands in.
    monkeypatch.setattr(historial.getpass, "getuser", lambda: "usuario-del-sistema")
    destino = tmp_path / "escritorio.xlsm"
    _pulsar(muestra, botones.marcar_vencidos, destino)
    [inicial] = registros(destino)
    assert (inicial.origen, inicial.quien) == ("estado inicial", "usuario-del-sistema")
    assert openpyxl.load_workbook(destino)[HOJA_HISTORIAL].sheet_state == "hidden"
    destino = tmp_path / "lite.xlsm"
    _pulsar(muestra, botones.recalcular, destino, lite=True)
    assert HOJA_HISTORIAL not in openpyxl.load_workbook(destino).sheetnames


def test_las_copias_por_correo_no_llevan_el_historial(
    maestro: Path, exportadas: dict[str, Path]
) -> None:
    """The master gets its baseline when its copies leave; the copies carry no Historial."""
    assert HOJA_HISTORIAL in openpyxl.load_workbook(maestro).sheetnames
    for copia in exportadas.values():
        assert HOJA_HISTORIAL not in openpyxl.load_workbook(copia).sheetnames, copia.name
