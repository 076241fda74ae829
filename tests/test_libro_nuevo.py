"""importar makes a complete workbook for its own plan and year; a changed plan keeps every
captured realizado; nuevo-anio starts year N+1 and leaves year N untouched."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support import libros_ajenos
from tests.support.libros_avance import libro_muestra
from tests.support.planes import DOCUMENTO_2011
from xl_metas import archivos, guardado, libro_nuevo
from xl_metas.build import BOTONES, LIBRO
from xl_metas.cli import app
from xl_metas.errors import EscrituraError, LecturaError
from xl_metas.lectura import leer

runner = CliRunner()


def run(*args: object) -> Any:
    return runner.invoke(app, [str(a) for a in args])


# -- documents of another year and of a changed plan ------------------------------------------
def _lineas() -> list[str]:
    return DOCUMENTO_2011.read_text(encoding="utf-8").splitlines()


def _es_meta(linea: str) -> bool:
    celdas = linea.split("\t")
    return len(celdas) > 5 and celdas[1].strip().isdigit()


def documento(tmp: Path, nombre: str, lineas: list[str]) -> Path:
    ruta = tmp / nombre
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    return ruta


def documento_2012(tmp: Path) -> Path:
    """The 2011 document as the 2012 plan: same metas, the year changed in the titles."""
    return documento(tmp, "programa-metas-2012.txt", [x.replace("2011", "2012") for x in _lineas()])


def plan_cambiado(tmp: Path, anio: int = 2011) -> Path:
    """The 2011 plan changed during the year: meta 3 removed and the later ones renumbered
    (4 becomes 3 … 20 becomes 19), meta 2 reworded, and a new meta 20 at the end."""
    salida: list[str] = []
    ultima = ""
    for linea in _lineas():
        if not _es_meta(linea):
            salida.append(linea)
            continue
        celdas = linea.split("\t")
        numero = int(celdas[1])
        if numero == 3:
            continue
        if numero == 2:
            celdas[2] = "Realizar eventos de promoción con sujetos obligados (redacción nueva)"
        if numero > 3:
            celdas[1] = str(numero - 1)
        ultima = "\t".join(celdas)
        salida.append(ultima)
    nueva = ultima.split("\t")
    nueva[1], nueva[2] = "20", "Meta agregada a media año"
    salida.append("\t".join(nueva))
    salida = [x.replace("2011", str(anio)) for x in salida]
    return documento(tmp, f"programa-metas-{anio}-cambiado.txt", salida)


def valores(ruta: Path, hoja: str) -> list[list[Any]]:
    book = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    try:
        return [list(f) for f in book[hoja].iter_rows(values_only=True)]
    finally:
        book.close()


def filas_avance(ruta: Path) -> dict[str, tuple[list[Any], str | None]]:
    """Meta number -> (realizado ENE…DIC, justificación) of each Avance row."""
    lectura = leer(archivos.abrir(ruta))
    assert lectura.avance is not None
    return {
        f.clave: ([m.raw for m in f.meses], f.justificacion.raw)
        for f in lectura.avance.avance.filas
    }


# -- 1. importar: a complete workbook for the plan it imports ---------------------------------
@pytest.mark.parametrize("extension", [".xlsm", ".xlsx"])
def test_importing_2012_gives_a_complete_2012_workbook(tmp_path: Path, extension: str) -> None:
    destino = tmp_path / f"Metas2012{extension}"
    result = run("importar", documento_2012(tmp_path), "-o", destino)
    assert result.exit_code == 0, result.output
    assert "20 metas en 3 programas del año 2012" in result.output

    book = openpyxl.load_workbook(destino)
    assert book.sheetnames[:4] == ["Inicio", "Plan", "Avance", "Configuración"]
    avance = [r for r in valores(destino, "Avance")[4:] if r[1] is not None]
    plan = leer(archivos.abrir(destino)).plan
    assert [(r[0], r[1], r[2]) for r in avance] == [
        (m.programa.raw, m.numero.raw, m.descripcion.raw) for m in plan.metas
    ]
    assert valores(destino, "Avance")[1][0] == "AVANCE DEL PROGRAMA METAS Y OBJETIVOS 2012"
    assert valores(destino, "Inicio")[1][0] == "PROGRAMA METAS Y OBJETIVOS 2012"
    config = {r[0]: r[1] for r in valores(destino, "Configuración") if r and r[0]}
    assert config["Año"] == 2012 and config["Institución"].startswith("INSTITUTO")
    assert config["Fecha de corte"] is None
    for hoja in ("Inicio", "Plan", "Avance", "Configuración"):
        texto = json.dumps(valores(destino, hoja), default=str, ensure_ascii=False)
        assert "2011" not in texto, hoja
    assert book.properties.title == "Programa Metas y Objetivos 2012"
    with zipfile.ZipFile(destino) as paquete:
        nombres = set(paquete.namelist())
    if extension == ".xlsm":
        assert "xl/vbaProject.bin" in nombres and any("vmlDrawing" in n for n in nombres)
    else:
        assert "xl/vbaProject.bin" not in nombres and not any("vmlDrawing" in n for n in nombres)
        inicio = json.dumps(valores(destino, "Inicio"), ensure_ascii=False)
        assert all(b.cli in inicio for b in BOTONES)
    # Avance belongs to this plan: no meta of another plan, nothing «en rojo» for it.
    hallazgos = json.loads(run("validar", destino, "--json").stdout)
    assert not [h for h in hallazgos if h["hoja"] == "Avance" and "Plan" in h["mensaje"]]


def test_import_writes_nothing_on_a_bad_document(tmp_path: Path) -> None:
    malo = tmp_path / "malo.txt"
    malo.write_text("nada que ver\n", encoding="utf-8")
    result = run("importar", malo, "-o", tmp_path / "x.xlsm", "--json")
    assert result.exit_code == 2 and not (tmp_path / "x.xlsm").exists()
    assert json.loads(result.stdout)["error"]["mensaje"].startswith("«malo.txt»")


def test_importing_the_shipped_plan_gives_the_shipped_workbook(tmp_path: Path) -> None:
    """importar and construir are one build: same plan, same bytes."""
    destino = tmp_path / "Metas2011.xlsm"
    libro_nuevo.importar(DOCUMENTO_2011, destino)
    assert destino.read_bytes() == LIBRO.read_bytes()


# -- 1b. a plan that changes in a workbook in use ---------------------------------------------
def test_a_changed_plan_keeps_every_captured_realizado(tmp_path: Path) -> None:
    ruta = libro_muestra(tmp_path / "Metas2011.xlsx")
    antes = filas_avance(ruta)
    lectura = leer(archivos.abrir(ruta))
    descripcion = {m.clave: m.descripcion.texto for m in lectura.plan.metas}
    # columns of the user's own, beside the plan and beside the progress: they follow the meta
    book = openpyxl.load_workbook(ruta)
    plan_ws, avance_ws = book["Plan"], book["Avance"]
    plan_ws.cell(4, plan_ws.max_column + 1, "RESPONSABLE")
    avance_ws.cell(4, avance_ws.max_column + 1, "OBSERVACIONES")
    col_plan, col_avance = plan_ws.max_column, avance_ws.max_column
    for fila in range(5, plan_ws.max_row + 1):
        plan_ws.cell(fila, col_plan, f"resp. de la meta {plan_ws.cell(fila, 3).value}")
    for fila in range(5, avance_ws.max_row + 1):
        avance_ws.cell(fila, col_avance, f"obs. de la meta {avance_ws.cell(fila, 2).value}")
    book.save(ruta)
    assert any(any(v is not None for v in meses) for meses, _ in antes.values())

    result = run("importar", plan_cambiado(tmp_path), "-o", ruta, "--actualizar")
    assert result.exit_code == 0, result.output
    salida = " ".join(result.output.split())
    assert "La meta 4 ahora es la 3" in salida and "La meta 20 ahora es la 19" in salida
    assert "1 meta nueva (20)" in salida
    assert "Con otra descripción, mismo número: 2" in salida
    assert "Ya no están en el plan y tienen avance capturado: 3" in salida
    assert guardado.respaldo_de(ruta).exists()

    despues = leer(archivos.abrir(ruta))
    plan = despues.plan
    assert len(plan.metas) == 20 and plan.metas[-1].descripcion.texto == "Meta agregada a media año"
    assert despues.avance is not None
    filas = despues.avance.avance.filas
    # the plan's rows, in its order, then the removed meta's row with its realizado
    assert [f.clave for f in filas] == [m.clave for m in plan.metas] + ["3"]
    por_descripcion = {m.descripcion.texto: m.clave for m in plan.metas}
    for viejo, (meses, justificacion) in antes.items():
        if viejo == "3":
            nuevo = viejo  # kept after the plan's rows
            fila = filas[-1]
        else:
            nuevo = viejo if viejo in ("1", "2") else str(int(viejo) - 1)
            fila = next(f for f in filas[:-1] if f.clave == nuevo)
        assert [m.raw for m in fila.meses] == meses, viejo
        assert fila.justificacion.raw == justificacion, viejo
        if viejo not in ("2", "3"):
            assert por_descripcion[descripcion[viejo]] == nuevo
    book = openpyxl.load_workbook(ruta)
    for meta in plan.metas:
        nota_plan = book["Plan"].cell(meta.fila, col_plan).value
        if meta.clave == "20":
            assert nota_plan is None  # a new meta: nothing of the user's to carry
            continue
        viejo = (
            next(k for k, d in descripcion.items() if d == meta.descripcion.texto)
            if (meta.clave != "2")
            else "2"
        )
        assert nota_plan == f"resp. de la meta {viejo}", meta.clave
    avance_ws = book["Avance"]
    for fila in filas:
        if fila.clave == "20":
            continue
        viejo = (
            "3"
            if fila is filas[-1]
            else (fila.clave if fila.clave in ("1", "2") else str(int(fila.clave) + 1))
        )
        assert avance_ws.cell(fila.fila, col_avance).value == f"obs. de la meta {viejo}"
    nueva = next(f for f in filas if f.clave == "20")
    assert all(m.vacio for m in nueva.meses) and nueva.descripcion.texto.startswith("Meta agregada")
    # the kept row is a finding until a person decides: nothing is dropped in silence
    hallazgos = json.loads(run("validar", ruta, "--json").stdout)
    assert any(h["hoja"] == "Avance" and h["meta"] == "3" for h in hallazgos)

    # the same plan again: nothing changes
    bytes_antes = ruta.read_bytes()
    again = run("importar", plan_cambiado(tmp_path), "-o", ruta, "--actualizar")
    assert again.exit_code == 0, again.output
    assert "ya estaba al día" in again.output
    assert ruta.read_bytes() == bytes_antes


def test_a_plan_of_another_year_is_not_put_in_a_workbook_in_use(tmp_path: Path) -> None:
    ruta = libro_muestra(tmp_path / "Metas2011.xlsx")
    antes = ruta.read_bytes()
    with pytest.raises(LecturaError, match="nuevo-anio"):
        libro_nuevo.importar(documento_2012(tmp_path), ruta, actualizar=True)
    assert ruta.read_bytes() == antes


def test_importar_over_a_workbook_still_refuses_and_names_both_ways(tmp_path: Path) -> None:
    ruta = libro_muestra(tmp_path / "Metas2011.xlsx")
    with pytest.raises(EscrituraError, match="--actualizar"):
        libro_nuevo.importar(DOCUMENTO_2011, ruta)


# -- 2. a new year ----------------------------------------------------------------------------
@pytest.mark.parametrize("extension", [".xlsx", ".xlsm"])
def test_nuevo_anio_end_to_end(tmp_path: Path, extension: str) -> None:
    origen = tmp_path / f"Metas2011{extension}"
    if extension == ".xlsm":
        libro_nuevo.importar(DOCUMENTO_2011, origen)
        libro = archivos.abrir(origen)
        from xl_metas.muestra import aplicar_muestra

        aplicar_muestra(libro, leer(libro).plan)
        libro.guardar(respaldo=False)
    else:
        libro_muestra(origen)
    libro = archivos.abrir(origen)
    from xl_metas.config import fijar

    fijar(libro, "verde_desde", 85)
    libro.guardar(respaldo=False)
    antes = origen.read_bytes()

    result = run("nuevo-anio", origen)
    assert result.exit_code == 0, result.output
    destino = tmp_path / f"Metas2012{extension}"
    assert f"Se creó «{destino}» para 2012" in " ".join(result.output.split())
    assert origen.read_bytes() == antes  # year N untouched

    lectura = leer(archivos.abrir(destino))
    viejo = leer(archivos.abrir(origen))
    assert lectura.plan.anio == 2012 and lectura.config.anio == 2012
    assert lectura.config.fecha_corte is None
    assert lectura.config.umbrales.verde_desde == 85  # carried over
    assert [
        (m.clave, m.descripcion.raw, m.anual.raw, [v.raw for v in m.meses])
        for m in lectura.plan.metas
    ] == [
        (m.clave, m.descripcion.raw, m.anual.raw, [v.raw for v in m.meses])
        for m in viejo.plan.metas
    ]
    assert lectura.avance is not None
    assert all(
        all(m.vacio for m in f.meses) and f.justificacion.vacio for f in lectura.avance.avance.filas
    )
    assert valores(destino, "Avance")[1][0] == "AVANCE DEL PROGRAMA METAS Y OBJETIVOS 2012"
    with zipfile.ZipFile(destino) as paquete:
        assert ("xl/vbaProject.bin" in paquete.namelist()) == (extension == ".xlsm")
    # twice: the year-2012 workbook is not replaced
    again = run("nuevo-anio", origen)
    assert again.exit_code == 2 and "Ya existe" in again.output


def test_nuevo_anio_with_the_new_years_plan(tmp_path: Path) -> None:
    origen = libro_muestra(tmp_path / "Metas2011.xlsx")
    for comando in ("recalcular", "vencidos", "generar-hojas"):
        assert run(comando, origen).exit_code == 0
    book = openpyxl.load_workbook(origen)
    book.create_sheet("Notas del área")["A1"] = "propia"
    book.save(origen)
    destino = tmp_path / "plan nuevo.xlsm"
    result = run(
        "nuevo-anio", origen, "--plan", plan_cambiado(tmp_path, 2012), "-o", destino, "--json"
    )
    assert result.exit_code == 0, result.output
    # only the user's own sheets are named: the buttons' sheets are written again by them
    assert json.loads(result.stdout)["hojas_no_copiadas"] == ["Notas del área"]
    plan = leer(archivos.abrir(destino)).plan
    assert plan.anio == 2012 and len(plan.metas) == 20
    assert plan.metas[-1].descripcion.texto == "Meta agregada a media año"


def test_nuevo_anio_refusals_write_nothing(tmp_path: Path) -> None:
    origen = libro_muestra(tmp_path / "Metas2011.xlsx")
    otro = documento(tmp_path, "plan2015.txt", [x.replace("2011", "2015") for x in _lineas()])
    antes = sorted(p.name for p in tmp_path.iterdir())
    for args, texto in (
        (["--anio", "2010"], "debe ser posterior"),
        (["--plan", otro], "es el plan de 2015"),
        (["-o", origen], "no puede ser"),
        (["-o", tmp_path / "x.ods"], ".xlsx o .xlsm"),
    ):
        result = run("nuevo-anio", origen, *args)
        assert result.exit_code == 2, (args, result.output)
        assert texto in " ".join(result.output.split()), (args, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == antes


def test_new_year_file_names() -> None:
    ruta = libro_nuevo.ruta_anio_nuevo
    assert ruta(Path("d/Metas2011.xlsm"), 2011, 2012) == Path("d/Metas2012.xlsm")
    assert ruta(Path("POA 2019 final.xlsx"), 2020, 2021) == Path("POA 2021 final.xlsx")
    assert ruta(Path("Plan.xlsx"), 2011, 2012) == Path("Plan 2012.xlsx")


# -- 3. from another institution's workbook, into a complete workbook -------------------------
@pytest.mark.parametrize(
    "construir",
    [
        libros_ajenos.banda_mensual,
        libros_ajenos.pbrm_trimestral,
        libros_ajenos.trimestral_planeado_ejecutado,
        libros_ajenos.sin_anual_ni_objetivo,
    ],
    ids=lambda f: f.__name__,
)
def test_a_foreign_layout_becomes_a_complete_workbook(tmp_path: Path, construir: Any) -> None:
    origen = tmp_path / "origen.xlsx"
    escritas = construir(origen)
    destino = tmp_path / "Metas.xlsm"
    result = run("importar", origen, "-o", destino, "--json")
    assert result.exit_code == 0, result.output
    resumen = json.loads(result.stdout)
    assert resumen["metas"] == len(escritas) and resumen["avisos"]

    lectura = leer(archivos.abrir(destino))
    plan = lectura.plan
    periodos = len(plan.periodos)
    assert periodos == len(escritas[0].programado)
    assert [m.descripcion.texto for m in plan.metas] == [e.descripcion for e in escritas]
    for meta, escrita in zip(plan.metas, escritas, strict=True):
        assert [v.raw for v in meta.meses] == escrita.programado, escrita.descripcion
        assert meta.unidad.texto == escrita.unidad
    assert lectura.avance is not None
    filas = lectura.avance.avance.filas
    assert [f.descripcion.texto for f in filas] == [e.descripcion for e in escritas]
    for fila, escrita in zip(filas, escritas, strict=True):
        esperado = [*escrita.realizado, *[None] * (periodos - len(escrita.realizado))]
        assert [m.raw for m in fila.meses] == esperado, escrita.descripcion
    # the commands behind the buttons work on it
    assert run("validar", destino).exit_code in (0, 1)
    assert run("recalcular", destino).exit_code == 0
    assert run("vencidos", destino, "--corte", "2024-07-15").exit_code == 0


def test_an_unrecognised_workbook_lists_its_headers_and_writes_nothing(tmp_path: Path) -> None:
    origen = tmp_path / "raro.xlsx"
    libros_ajenos.sin_reconocer(origen)
    result = run("importar", origen, "-o", tmp_path / "x.xlsx", "--json")
    assert result.exit_code == 2 and not (tmp_path / "x.xlsx").exists()
    error = json.loads(result.stdout)["error"]
    assert "raro.xlsx" in error["mensaje"] and "mapeo" in error["mensaje"]


def test_options_of_a_workbook_are_refused_for_a_text_document(tmp_path: Path) -> None:
    result = run("importar", DOCUMENTO_2011, "-o", tmp_path / "x.xlsx", "--hoja", "Plan")
    assert result.exit_code == 2 and "--hoja" in result.output
