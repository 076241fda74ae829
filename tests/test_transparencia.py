"""The fracción IV export (Ley General de Transparencia, art. 70 IV) of the real 2011 plan:
one row per meta, every criterion filled or flagged, files read back cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support import lo
from tests.support.libros_avance import libro_muestra
from xl_metas import config, transparencia
from xl_metas.cli import app
from xl_metas.lectura import leer
from xl_metas.text import cell_address
from xl_metas.transparencia import CLAVES, ENCABEZADOS, PeriodoError, parse_periodo
from xl_metas.transparencia_archivo import FILA_ENCABEZADO
from xl_metas.workbook_file import LibroArchivo

runner = CliRunner()
URL = "https://transparencia.example.gob.mx/programa-metas-2011.pdf"
ACTUALIZACION = dt.date(2011, 7, 5)
VALIDACION = dt.date(2011, 7, 8)


def run(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def muestra(tmp_path: Path) -> Path:
    return libro_muestra(tmp_path / "Metas2011.xlsm")


def indicador_de(meta: Any) -> str:
    return f"Indicador del objetivo de la meta {meta.clave}"


@pytest.fixture
def completo(muestra: Path) -> Path:
    """The 2011 sample with everything fracción IV needs: Configuración's parameters and an
    INDICADOR column (written on each objetivo's first meta only; one starts with «=»)."""
    libro = LibroArchivo(muestra)
    lectura = leer(libro)
    for key, valor in (
        ("hipervinculo", URL),
        ("fecha_actualizacion", ACTUALIZACION),
        ("fecha_validacion", VALIDACION),
        ("nota_transparencia", "Metas del programa anual 2011."),
    ):
        config.fijar(libro, key, valor)
    tabla = lectura.tabla_plan
    columna = tabla.last_header_column + 1
    libro.escribir("Plan", tabla.header_row, columna, [["INDICADOR"]])
    for meta in lectura.plan.metas:
        if not meta.objetivo_heredado:
            texto = "=Porcentaje de avance" if meta.clave == "1" else indicador_de(meta)
            libro.escribir("Plan", meta.fila, columna, [[texto]])
    assert libro.guardar(respaldo=False)
    return muestra


def esperado(libro: Path, periodo: tuple[dt.date, dt.date]) -> list[list[Any]]:
    """The rows fracción IV should hold, from the plan as read (not from the export)."""
    plan = leer(LibroArchivo(libro)).plan
    filas, indicador = [], None
    for meta in plan.metas:
        if not meta.objetivo_heredado:
            indicador = "=Porcentaje de avance" if meta.clave == "1" else indicador_de(meta)
        anual = meta.anual.numero
        assert anual is not None
        filas.append(
            [
                2011,
                *periodo,
                meta.programa.texto,
                meta.objetivo.texto,
                indicador,
                f"Meta {meta.clave}. {meta.descripcion.texto}: {int(anual)}",
                meta.unidad.texto,
                URL,
                meta.programa.texto,
                ACTUALIZACION,
                VALIDACION,
                "Metas del programa anual 2011.",
            ]
        )
    return filas


def texto(valor: Any) -> str:
    if isinstance(valor, dt.date):
        return valor.strftime("%d/%m/%Y")
    return "" if valor is None else str(valor)


def archivos_en(carpeta: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(carpeta.iterdir()) if p.is_file()}


# -- the period -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texto_periodo", "inicio", "fin", "etiqueta"),
    [
        ("T1", (1, 1), (3, 31), "T1"),
        ("t2", (4, 1), (6, 30), "T2"),
        ("T4", (10, 1), (12, 31), "T4"),
        ("S1", (1, 1), (6, 30), "S1"),
        ("S2", (7, 1), (12, 31), "S2"),
        ("2011", (1, 1), (12, 31), "Anual"),
        ("anual", (1, 1), (12, 31), "Anual"),
        ("01/04/2011-15/06/2011", (4, 1), (6, 15), "2011-04-01 a 2011-06-15"),
    ],
)
def test_periodo_syntax(texto_periodo: str, inicio: Any, fin: Any, etiqueta: str) -> None:
    p = parse_periodo(texto_periodo, 2011)
    assert (p.inicio, p.fin, p.etiqueta) == (dt.date(2011, *inicio), dt.date(2011, *fin), etiqueta)


@pytest.mark.parametrize(
    ("texto_periodo", "frase"),
    [
        ("T5", "no se entiende"),
        ("trimestre", "no se entiende"),
        ("2012", "año 2011"),
        ("01/01/2012-31/03/2012", "año 2011"),
        ("15/12/2011-15/01/2012", "año 2011"),
        ("30/06/2011-01/04/2011", "anterior a la de inicio"),
        ("31/02/2011-31/03/2011", "no existe"),
    ],
)
def test_bad_periodo_is_a_spanish_error(texto_periodo: str, frase: str) -> None:
    with pytest.raises(PeriodoError, match=frase):
        parse_periodo(texto_periodo, 2011)


# -- the rows ---------------------------------------------------------------------------------
def test_the_2011_plan_gives_one_row_per_meta_with_what_is_missing_flagged(muestra: Path) -> None:
    lectura = leer(LibroArchivo(muestra))
    e = transparencia.desde_libro(LibroArchivo(muestra), "T2")
    plan = lectura.plan
    assert len(e.filas) == len(plan.metas) == 20
    por_clave = [dict(zip(CLAVES, fila, strict=True)) for fila in e.filas]
    for meta, fila in zip(plan.metas, por_clave, strict=True):
        assert fila["ejercicio"] == 2011
        assert (fila["inicio"], fila["termino"]) == (dt.date(2011, 4, 1), dt.date(2011, 6, 30))
        assert fila["area"] == meta.programa.texto == fila["responsable"]
        assert fila["objetivo"] == meta.objetivo.texto
        assert fila["unidad"] == meta.unidad.texto
        assert fila["meta"].startswith(f"Meta {meta.clave}. {meta.descripcion.texto}: ")
    # what the 2011 workbook does not hold: empty and listed, every row
    faltan = {"indicador", "hipervinculo", "actualizacion", "validacion"}
    assert set(e.faltantes) == {(i, k) for i in range(20) for k in faltan}
    for i, fila in enumerate(por_clave):
        assert all(fila[k] is None for k in faltan), i
    celdas = lectura.config.celdas
    donde = {(h.hoja, h.celda) for h in e.hallazgos}
    assert donde == {
        ("Configuración", celdas["hipervinculo"]),
        ("Configuración", celdas["fecha_actualizacion"]),
        ("Configuración", celdas["fecha_validacion"]),
        (
            "Plan",
            cell_address(lectura.tabla_plan.header_row, lectura.tabla_plan.last_header_column + 1),
        ),
    }
    for h in e.hallazgos:
        assert h.celda in h.mensaje and h.severidad == "error"


def test_a_workbook_without_the_new_parameters_says_where_to_add_them(tmp_path: Path) -> None:
    """An old Configuración (no fracción IV rows), and no Configuración at all."""
    from tests.support.libros_avance import libro_plan_avance

    viejo = libro_plan_avance(
        tmp_path / "viejo.xlsx", [(1, [1] * 12)], [], corte=dt.date(2011, 6, 30)
    )
    e = transparencia.desde_libro(LibroArchivo(viejo), "T1")
    mensajes = " ".join(h.mensaje for h in e.hallazgos)
    assert "agregue a la hoja «Configuración» una fila con «Hipervínculo al programa»" in mensajes
    assert len(e.filas) == 1
    sin_config = libro_plan_avance(tmp_path / "sin.xlsx", [(1, [1] * 12)], [])
    e = transparencia.desde_libro(LibroArchivo(sin_config), "T1")
    assert "no tiene hoja «Configuración»" in e.hallazgos[0].mensaje


def test_a_link_that_is_not_a_link_and_dates_out_of_order_are_findings(muestra: Path) -> None:
    libro = LibroArchivo(muestra)
    config.fijar(libro, "hipervinculo", "programa.pdf")
    config.fijar(libro, "fecha_actualizacion", dt.date(2011, 7, 8))
    config.fijar(libro, "fecha_validacion", dt.date(2011, 7, 1))
    assert libro.guardar(respaldo=False)
    e = transparencia.desde_libro(LibroArchivo(muestra), "T2")
    reglas = {(h.regla, h.severidad) for h in e.hallazgos}
    assert ("transparencia-dato-invalido", "error") in reglas
    assert ("transparencia-dato-invalido", "advertencia") in reglas
    assert all(e.falta(i, "hipervinculo") for i in range(len(e.filas)))


# -- the files ---------------------------------------------------------------------------------
def test_complete_export_files_read_back_cell_by_cell(completo: Path, tmp_path: Path) -> None:
    r = run("transparencia", completo, "--periodo", "T2")
    assert r.exit_code == 0, r.output
    assert "Todos los criterios están completos" in r.output
    xlsx = tmp_path / "Metas2011 - Fracción IV T2.xlsx"
    csv_ruta = tmp_path / "Metas2011 - Fracción IV T2.csv"
    filas = esperado(completo, (dt.date(2011, 4, 1), dt.date(2011, 6, 30)))

    ws = openpyxl.load_workbook(xlsx)["Información"]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["TÍTULO", "NOMBRE CORTO", "DESCRIPCIÓN"]
    assert [ws.cell(2, c).value for c in (1, 2)] == [
        "Metas y objetivos de las áreas",
        "LGT_Art_70_Fr_IV",
    ]
    assert ws.cell(3, 1).value == "Tabla Campos"
    assert [ws.cell(FILA_ENCABEZADO, c + 1).value for c in range(len(ENCABEZADOS))] == list(
        ENCABEZADOS
    )
    assert ws.max_row == FILA_ENCABEZADO + len(filas)
    for i, fila in enumerate(filas):
        for c, valor in enumerate(fila):
            cell = ws.cell(FILA_ENCABEZADO + 1 + i, c + 1)
            if isinstance(valor, dt.date):
                assert cell.value == dt.datetime.combine(valor, dt.time())
                assert cell.number_format == "dd/mm/yyyy"
            else:
                assert cell.value == valor, (i, c)
                if isinstance(valor, str):
                    assert cell.data_type == "s"  # «=Porcentaje…» is text, not a formula

    with open(csv_ruta, encoding="utf-8-sig", newline="") as f:
        leidas = list(csv.reader(f))
    assert csv_ruta.read_bytes().startswith(b"\xef\xbb\xbf")
    assert leidas == [list(ENCABEZADOS), *([texto(v) for v in fila] for fila in filas)]

    antes = archivos_en(tmp_path)
    r = run("transparencia", completo, "--periodo", "T2")
    assert r.exit_code == 0
    assert r.output.count("no se modificó") == 2
    assert archivos_en(tmp_path) == antes  # identical bytes, no backup made


def test_missing_values_are_marked_in_the_xlsx_and_listed_in_json(
    muestra: Path, tmp_path: Path
) -> None:
    destino = tmp_path / "salida" / "fraccion.xlsx"
    destino.parent.mkdir()
    r = run("transparencia", muestra, "--periodo", "S1", "-o", destino, "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["periodo"] == {"etiqueta": "S1", "inicio": "01/01/2011", "termino": "30/06/2011"}
    assert data["encabezados"] == list(ENCABEZADOS)
    assert len(data["filas"]) == 20 and {h["regla"] for h in data["hallazgos"]} == {
        "transparencia-falta-dato"
    }
    assert {f["columna"] for f in data["faltantes"]} == {
        dict(transparencia.COLUMNAS)[k]
        for k in ("indicador", "hipervinculo", "actualizacion", "validacion")
    }
    nombres = sorted(p.name for p in destino.parent.iterdir() if not p.name.startswith(".~"))
    assert nombres == ["fraccion.csv", "fraccion.xlsx"]  # (the .~….lock of each save aside)
    ws = openpyxl.load_workbook(destino)["Información"]
    columna = CLAVES.index("hipervinculo") + 1
    for fila in range(FILA_ENCABEZADO + 1, FILA_ENCABEZADO + 21):
        cell = ws.cell(fila, columna)
        assert cell.value is None
        assert cell.fill.fgColor.rgb.endswith("FFC7CE")
        assert "Hipervínculo al programa" in cell.comment.text
    assert ws.cell(FILA_ENCABEZADO + 1, CLAVES.index("nota") + 1).comment is None


@pytest.mark.parametrize(
    ("args", "frase"),
    [
        (("--periodo", "T5"), "no se entiende"),
        (("--periodo", "2012"), "año 2011"),
        (("--periodo", "T2", "-o", "no-existe/x.xlsx"), "no se creó el archivo"),
        (("--periodo", "T2", "-o", "x.pdf"), "debe terminar en .xlsx"),
    ],
)
def test_bad_input_is_a_spanish_error_with_nothing_written(
    muestra: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    frase: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    antes = archivos_en(tmp_path)
    r = run("transparencia", muestra, *args)
    assert r.exit_code == 2
    assert frase in r.output and "Traceback" not in r.output
    assert archivos_en(tmp_path) == antes


@pytest.mark.libreoffice
def test_libreoffice_opens_the_xlsx_and_its_csv_matches_ours(
    completo: Path, tmp_path: Path
) -> None:
    lo.require_libreoffice()
    r = run("transparencia", completo, "--periodo", "T2")
    assert r.exit_code == 0, r.output
    xlsx = tmp_path / "Metas2011 - Fracción IV T2.xlsx"
    salida = tmp_path / "lo"
    salida.mkdir()
    convertido = lo._soffice_convert(xlsx, salida, "csv:Text - txt - csv (StarCalc):44,34,76", 120)
    de_lo = list(csv.reader(io.StringIO(convertido.read_text(encoding="utf-8"))))
    with open(tmp_path / "Metas2011 - Fracción IV T2.csv", encoding="utf-8-sig", newline="") as f:
        nuestro = list(csv.reader(f))
    assert de_lo[0][:3] == ["TÍTULO", "NOMBRE CORTO", "DESCRIPCIÓN"]
    assert de_lo[FILA_ENCABEZADO - 1 :] == nuestro


def test_the_new_year_keeps_the_link_and_area_but_not_the_dates(completo: Path) -> None:
    from xl_metas import libro_nuevo

    libro = LibroArchivo(completo)
    config.fijar(libro, "area_responsable", "Unidad de Enlace")
    assert libro.guardar(respaldo=False)
    hecho = libro_nuevo.nuevo_anio(completo)
    nuevo = leer(LibroArchivo(hecho.destino)).config
    assert (nuevo.anio, nuevo.hipervinculo_programa, nuevo.area_responsable) == (
        2012,
        URL,
        "Unidad de Enlace",
    )
    assert (nuevo.fecha_actualizacion, nuevo.fecha_validacion) == (None, None)
    e = transparencia.desde_libro(LibroArchivo(completo), "T2")
    assert {fila[CLAVES.index("responsable")] for fila in e.filas} == {"Unidad de Enlace"}
