"""The quarterly report (issue 15, item 1): «Informe TN» sheet, its PDF, its button.

The figures are checked cell by cell against ``resumen --json`` run with the same cut-off
on the real 2011 plan with the demo's sample progress; bad input leaves every file as it
was; the PDF is rasterised and read back; the button runs on xlwings' remote engine.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.support.libros_avance import libro_muestra
from tests.support.planes import libro_de_plan, meta_plan, plan_trimestral
from tests.support.png import read_png_rgb
from xl_metas import informe_pdf
from xl_metas.cli import app
from xl_metas.informe import Periodo, evaluar_en, ultimo_trimestre
from xl_metas.informe_hoja import FILA_ENCABEZADO, PRELIMINAR
from xl_metas.model import MESES

runner = CliRunner()
NOMBRE = "Metas2011.xlsm"


@pytest.fixture(scope="module")
def muestra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libro_muestra(tmp_path_factory.mktemp("informe") / NOMBRE)


def _copia(src: Path, carpeta: Path) -> Path:
    carpeta.mkdir(parents=True, exist_ok=True)
    destino = carpeta / src.name
    shutil.copyfile(src, destino)
    return destino


def _run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _hoja(path: Path, nombre: str) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path)[nombre]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _secciones(filas: list[list[Any]]) -> dict[str, list[list[Any]]]:
    """Rows under each section title (column A text, the rest blank) after the header."""
    out: dict[str, list[list[Any]]] = {}
    actual: list[list[Any]] = []
    for fila in filas[FILA_ENCABEZADO:]:
        a = fila[0] if fila else None
        if isinstance(a, str) and all(v is None for v in fila[1:]):
            actual = out.setdefault(a, [])
        elif any(v is not None for v in fila):
            actual.append(fila)
    return out


def _suma(valores: list[Any]) -> float:
    return round(sum(v or 0 for v in valores), 6)


def _pct(real: float, prog: float) -> float | None:
    return round(real * 100 / prog, 1) if prog > 0 else None


# ------------------------------------------------ the figures, cell by cell against resumen


def test_t2_coincide_celda_por_celda_con_resumen(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path)
    r = _run("informe", str(libro), "--trimestre", "2", "--corte", "2011-06-30", "--sin-pdf")
    assert r.exit_code == 0, r.output
    assert "Informe T2" in r.output
    r = _run("resumen", str(libro), "--corte", "2011-06-30", "--json")
    assert r.exit_code == 0, r.output
    resumen = json.loads(r.stdout)
    assert resumen["corte"] == "2011-06-30"

    filas = _hoja(libro, "Informe T2")
    assert filas[0][0] == "INSTITUTO DE TRANSPARENCIA INFORMATIVA DEL ESTADO DE SONORA"
    assert "PRELIMINAR" not in filas[1][0]
    assert "del 01/04/2011 al 30/06/2011" in filas[2][0]
    assert "30/06/2011" in filas[3][0]
    secciones = _secciones(filas)

    metas = [m for m in resumen["metas"]]
    assert {m["programa"] for m in metas} == {"VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"}
    comparadas = 0
    for programa in ("VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"):
        del_programa = [m for m in metas if m["programa"] == programa]
        filas_metas = [f for f in secciones[f"PROGRAMA {programa}"] if f[0] is not None]
        assert [str(f[0]) for f in filas_metas] == [str(m["meta"]) for m in del_programa]
        for fila, m in zip(filas_metas, del_programa, strict=True):
            prog_t, real_t = m["meses"][3:6], m["realizado"][3:6]
            prog_a, real_a = m["meses"][:6], m["realizado"][:6]
            esperado = [
                _suma(prog_t),
                _suma(real_t),
                _pct(_suma(real_t), _suma(prog_t)),
                _suma(prog_a),
                _suma(real_a),
                _pct(_suma(real_a), _suma(prog_a)),
            ]
            assert fila[3:9] == esperado, (programa, m["meta"])
            assert m["trimestres"][1] == fila[3]
            assert fila[6] == m["programado_al_corte"] and fila[7] == m["realizado_al_corte"]
            assert fila[8] == m["porcentaje_al_corte"]
            assert fila[9] == m["semaforo"]
            pendientes = [
                mes + (" (parcial)" if estado == "parcial" else "")
                for mes, estado in zip(MESES[:6], m["estados"][:6], strict=True)
                if estado in ("vencido", "parcial")
            ]
            assert fila[10] == (", ".join(pendientes) or None)
            if m["semaforo"] in ("amarillo", "rojo"):
                assert fila[11], m["meta"]  # the justificación, or that none was captured
            elif m["semaforo"] == "verde":
                assert fila[11] is None
            comparadas += 1
        # the programa's totals: the programa rows of resumen (per unit group)
        totales = [f for f in secciones[f"PROGRAMA {programa}"] if f[0] is None]
        del_resumen = [p for p in resumen["programas"] if p["programa"] == programa]
        assert len(totales) == len(del_resumen)
        for fila, p in zip(totales, del_resumen, strict=True):
            assert fila[1] == f"TOTAL {programa}"
            assert fila[3] == p["trimestres"][1]
            assert fila[4] == p["realizado_trimestres"][1]
            assert fila[6] == _suma(p["trimestres"][:2])
            assert fila[7] == _suma(p["realizado_trimestres"][:2])
            assert fila[5] == _pct(fila[4], fila[3]) and fila[8] == _pct(fila[7], fila[6])
    assert comparadas == len(metas) == 20

    # page 1: programa totals, then the institution's (metas counted in whole units)
    primera = secciones["RESUMEN DEL SEGUNDO TRIMESTRE (T2) DE 2011"]
    institucion = [f for f in primera if f[1] == "TOTAL DE LA INSTITUCIÓN"]
    assert len(institucion) == 1
    total = resumen["total"]
    conteo = [p for p in resumen["programas"] if p["clase"] == "conteo"]
    assert institucion[0][3] == total["trimestres"][1]
    assert institucion[0][6] == _suma(total["trimestres"][:2])
    assert institucion[0][4] == _suma([p["realizado_trimestres"][1] for p in conteo])
    assert institucion[0][7] == _suma([_suma(p["realizado_trimestres"][:2]) for p in conteo])
    # the chart's table: programado and realizado per month, January to June
    meses = [f for f in primera if f[1] in ("Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio")]
    assert [f[3] for f in meses] == total["meses"][:6]
    assert [f[4] for f in meses] == [_suma([p["realizado"][i] for p in conteo]) for i in range(6)]


def test_el_informe_json_da_las_mismas_cifras_que_la_hoja(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path)
    r = _run("informe", str(libro), "-t", "1", "--sin-pdf", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["trimestre"], data["inicio"], data["fin"]) == (1, "2011-01-01", "2011-03-31")
    assert data["corte"] == "2011-06-15" and data["preliminar"] is False
    assert data["hoja"] == "Informe T1" and data["pdf"] is None
    secciones = _secciones(_hoja(libro, "Informe T1"))
    for prog in data["programas"]:
        filas = [f for f in secciones[f"PROGRAMA {prog['programa']}"] if f[0] is not None]
        for fila, m in zip(filas, prog["metas"], strict=True):
            assert fila[3:9] == [
                m["programado"],
                m["realizado"],
                m["porcentaje"],
                m["programado_acumulado"],
                m["realizado_acumulado"],
                m["porcentaje_acumulado"],
            ]
            assert fila[9] == m["semaforo"]


def test_volver_a_pedirlo_no_escribe_nada(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path)
    args = ("informe", str(libro), "--trimestre", "1", "--sin-pdf")
    assert _run(*args).exit_code == 0
    antes = libro.read_bytes()
    r = _run(*args)
    assert r.exit_code == 0 and "ya estaba al día" in r.output
    assert libro.read_bytes() == antes
    wb = openpyxl.load_workbook(libro)
    ws = wb["Informe T1"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${FILA_ENCABEZADO}:${FILA_ENCABEZADO}"
    cortes = [b.id + 1 for b in ws.row_breaks.brk]
    titulos = [
        i for i, f in enumerate(_hoja(libro, "Informe T1"), 1) if str(f[0]).startswith("PROGRAMA ")
    ]
    assert cortes == titulos and len(cortes) == 3  # one page per programa
    assert len(ws._charts) == 1
    assert wb.sheetnames.index("Informe T1") == wb.sheetnames.index("Avance") + 1 or (
        "Resumen" in wb.sheetnames
    )


# ------------------------------------------------------------- open quarters, bad input


def test_un_trimestre_abierto_se_rechaza_o_es_preliminar(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path)
    antes = libro.read_bytes()
    r = _run("informe", str(libro), "--trimestre", "2", "--sin-pdf")
    assert r.exit_code == 2
    assert "aún no cierra" in r.output and "--preliminar" in r.output
    assert libro.read_bytes() == antes
    r = _run("informe", str(libro), "--trimestre", "2", "--preliminar", "--sin-pdf")
    assert r.exit_code == 0, r.output
    assert PRELIMINAR in r.output
    filas = _hoja(libro, "Informe T2")
    assert filas[1][0].endswith(f"— {PRELIMINAR}")
    assert filas[4][0].startswith(f"{PRELIMINAR}:") and "15/06/2011" in filas[4][0]


@pytest.mark.parametrize(
    ("args", "mensaje"),
    [
        (["--trimestre", "5"], "debe ser 1, 2, 3 o 4"),
        (["--trimestre", "0"], "debe ser 1, 2, 3 o 4"),
        (["--trimestre", "3", "--corte", "2011-06-30"], "anterior al inicio del tercer"),
        (["--trimestre", "1", "--corte", "2010-12-31"], "anterior al inicio del primer"),
        (["--trimestre", "1", "--corte", "2011-13-01"], "no es una fecha"),
        (["--trimestre", "1", "-o", "{tmp}/no/existe/informe.pdf"], "No existe la carpeta"),
        (["--trimestre", "1", "-o", "{tmp}/informe.docx"], "extensión .pdf"),
        (["--trimestre", "1", "-o", "{tmp}"], "es una carpeta"),
    ],
)
def test_entrada_mala_no_escribe_nada(
    muestra: Path, tmp_path: Path, args: list[str], mensaje: str
) -> None:
    libro = _copia(muestra, tmp_path / "libro")
    antes = libro.read_bytes()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = _run("informe", str(libro), *args, "--json")
    assert r.exit_code == 2, r.output
    assert mensaje in r.output and "Traceback" not in r.output
    assert json.loads(r.stdout)["error"]["mensaje"]
    assert libro.read_bytes() == antes
    assert sorted(p.name for p in libro.parent.iterdir() if not p.name.startswith(".~")) == [
        libro.name
    ]
    assert not list(tmp_path.rglob("*.pdf"))


def test_carpeta_de_solo_lectura(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path / "libro")
    antes = libro.read_bytes()
    carpeta = tmp_path / "sololectura"
    carpeta.mkdir()
    carpeta.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        r = _run("informe", str(libro), "-t", "1", "-o", str(carpeta / "i.pdf"))
    finally:
        carpeta.chmod(0o755)
    assert r.exit_code == 2 and "No hay permiso" in r.output
    assert libro.read_bytes() == antes


def test_pdf_de_solo_lectura(muestra: Path, tmp_path: Path) -> None:
    libro = _copia(muestra, tmp_path / "libro")
    antes = libro.read_bytes()
    pdf = tmp_path / "informe.pdf"
    pdf.write_bytes(b"%PDF-1.4 anterior")
    pdf.chmod(stat.S_IRUSR)  # root ignores it: read-only comes from the mode bits
    r = _run("informe", str(libro), "-t", "1", "-o", str(pdf))
    assert r.exit_code == 2 and "solo lectura" in r.output
    assert libro.read_bytes() == antes and pdf.read_bytes() == b"%PDF-1.4 anterior"


def test_sin_avance(tmp_path: Path) -> None:
    libro = tmp_path / "SoloPlan.xlsx"
    from tests.support.planes import DOCUMENTO_2011

    assert _run("importar", str(DOCUMENTO_2011), "-o", str(libro)).exit_code == 0
    wb = openpyxl.load_workbook(libro)
    del wb["Avance"]
    wb.save(libro)
    antes = libro.read_bytes()
    r = _run("informe", str(libro), "-t", "1", "--sin-pdf")
    assert r.exit_code == 2 and "no tiene la hoja «Avance»" in r.output
    assert libro.read_bytes() == antes


def test_sin_libreoffice_lo_dice_y_no_escribe_nada(
    muestra: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    libro = _copia(muestra, tmp_path)
    antes = libro.read_bytes()
    monkeypatch.setattr(informe_pdf, "buscar_soffice", lambda: None)
    r = _run("informe", str(libro), "-t", "1")
    assert r.exit_code == 2
    assert "LibreOffice no está instalado" in r.output
    assert "--sin-pdf" in r.output and "Guardar como" in r.output
    assert libro.read_bytes() == antes and not list(tmp_path.glob("*.pdf"))


def test_fechas_del_trimestre_y_el_boton() -> None:
    p = Periodo(2024, 1)
    assert (p.inicio, p.fin) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert evaluar_en(p, dt.date(2024, 3, 31), False) == dt.date(2024, 3, 31)
    assert evaluar_en(p, dt.date(2024, 8, 1), False) == dt.date(2024, 3, 31)
    assert evaluar_en(p, dt.date(2024, 2, 10), True) == dt.date(2024, 2, 10)
    assert ultimo_trimestre(dt.date(2011, 6, 15), 2011) == (1, False)
    assert ultimo_trimestre(dt.date(2011, 6, 30), 2011) == (2, False)
    assert ultimo_trimestre(dt.date(2011, 2, 1), 2011) == (1, True)
    assert ultimo_trimestre(dt.date(2012, 1, 5), 2011) == (4, False)


# --------------------------------------------------------------------- a quarterly plan


def test_plan_trimestral(tmp_path: Path) -> None:
    plan = plan_trimestral(
        [
            meta_plan(1, (3, 3, 3, 3), unidad="Visitas"),
            meta_plan(2, (2, 2, 0, 0), unidad="Visitas"),
            meta_plan(3, (50, 50, 50, 50), programa="DIFUSIÓN", unidad="Porcentaje"),
            meta_plan(4, (1, 1, 1, 1), programa="DIFUSIÓN", unidad="Eventos"),
        ]
    )
    realizado = {1: (3, 2), 2: (0, 1), 3: (40, 60), 4: (1, 1)}
    libro = libro_de_plan(tmp_path / "t.xlsx", plan, realizado, dt.date(2024, 6, 30))
    r = _run("informe", str(libro), "-t", "2", "--sin-pdf", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["periodicidad"] == "trimestral" and data["grafica"]["periodos"] == ["T1", "T2"]
    vinc, dif = data["programas"]
    m1, m2 = vinc["metas"]
    assert (m1["programado"], m1["realizado"], m1["programado_acumulado"]) == (3, 2, 6)
    assert (m1["realizado_acumulado"], m1["porcentaje_acumulado"]) == (5, 83.3)
    # 1 done against 2 + 2 planned: the oldest quarter partly covered, the next not at all
    assert m2["pendientes"] == [
        {"periodo": "T1", "estado": "parcial"},
        {"periodo": "T2", "estado": "vencido"},
    ]
    # a percentage is never added to counts: DIFUSIÓN has a total per unit group
    assert [(t["clase"], t["unidad"]) for t in dif["totales"]] == [
        ("conteo", "Eventos"),
        ("unidad", "Porcentaje"),
    ]
    assert dif["totales"][1]["programado"] == 50 and dif["totales"][1]["realizado"] == 60
    conteo = data["totales"][0]
    assert conteo["clase"] == "conteo" and conteo["programado"] == 3 + 2 + 1
    assert conteo["realizado"] == 2 + 1 + 1
    assert data["grafica"]["programado"] == [6, 6] and data["grafica"]["realizado"] == [4, 4]
    filas = _hoja(libro, "Informe T2")
    assert filas[FILA_ENCABEZADO - 1][10] == "TRIMESTRES PENDIENTES"
    assert filas[FILA_ENCABEZADO - 1][6] == "PROGRAMADO ACUMULADO T1–T2"


# ------------------------------------------------------------------ the PDF, as images


@pytest.mark.libreoffice
def test_el_pdf_se_ve(muestra: Path, tmp_path: Path) -> None:
    from tests.support.lo import PDFTOPPM, require_libreoffice

    require_libreoffice(render=True)
    libro = _copia(muestra, tmp_path)
    r = _run("informe", str(libro), "--trimestre", "2", "--corte", "2011-06-30")
    assert r.exit_code == 0, r.output
    pdf = tmp_path / "Metas2011 - Informe T2.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    texto = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    paginas = texto.split("\f")
    paginas = [p for p in paginas if p.strip()]
    assert len(paginas) == 4  # page 1 and one page per programa
    assert "INFORME TRIMESTRAL DE AVANCE DEL PROGRAMA METAS Y OBJETIVOS 2011" in paginas[0]
    assert "segundo trimestre (T2) de 2011, del 01/04/2011 al 30/06/2011" in paginas[0]
    assert "Fecha de corte: 30/06/2011" in paginas[0]
    for pagina, programa in zip(
        paginas[1:], ("VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"), strict=True
    ):
        assert f"PROGRAMA {programa}" in pagina
        assert "JUSTIFICACIÓN" in pagina  # the header row, repeated on every page
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "40", str(pdf), str(tmp_path / "pag")], check=True, timeout=120
    )
    imagenes = sorted(tmp_path.glob("pag-*.png"))
    assert len(imagenes) == 4
    for imagen in imagenes:
        ancho, alto, filas = read_png_rgb(imagen)
        assert ancho > alto  # landscape
        oscuros = sum(1 for fila in filas for i in range(0, len(fila), 3) if fila[i] < 128)
        assert oscuros > 500, imagen.name  # not a blank page
    # the semáforo fills and the chart's bars are there on page 1…2
    _, _, filas = read_png_rgb(imagenes[1])
    verdes = sum(
        1
        for fila in filas
        for i in range(0, len(fila), 3)
        if abs(fila[i] - 0x63) < 12
        and abs(fila[i + 1] - 0xBE) < 12
        and abs(fila[i + 2] - 0x7B) < 12
    )
    assert verdes > 20
    # a second run: same workbook, same PDF (its dates and id aside): nothing rewritten
    antes = (libro.read_bytes(), pdf.read_bytes())
    r = _run("informe", str(libro), "--trimestre", "2", "--corte", "2011-06-30")
    assert r.exit_code == 0 and "no se modificó" in r.output
    assert (libro.read_bytes(), pdf.read_bytes()) == antes
    assert not (tmp_path / "Metas2011 - Informe T2.pdf.bak").exists()


# ------------------------------------------------------- the button, on the remote engine


@pytest.mark.excel
def test_el_boton_escribe_la_misma_hoja_que_la_cli(muestra: Path, tmp_path: Path) -> None:
    from tests.support.remote import apply_actions, remote_book
    from xl_metas import botones

    with remote_book(muestra, caller_sheet="Inicio") as book:
        botones.informe_trimestral(book)
        actions = book.json()["actions"]
    pulsado = _copia(muestra, tmp_path / "boton")
    apply_actions(actions, pulsado).save(pulsado)
    # the sample's cut-off is 15/06/2011: the last quarter closed is T1
    headless = _copia(muestra, tmp_path / "cli")
    r = _run("informe", str(headless), "--trimestre", "1", "--sin-pdf")
    assert r.exit_code == 0, r.output
    assert _hoja(pulsado, "Informe T1") == _hoja(headless, "Informe T1")
    wb, wb_cli = openpyxl.load_workbook(pulsado), openpyxl.load_workbook(headless)
    assert wb.sheetnames == wb_cli.sheetnames
    assert len(wb["Informe T1"]._charts) == len(wb_cli["Informe T1"]._charts) == 1
    [alerta] = [a["args"] for a in actions if a["func"] == "alert"]
    assert alerta[1] == botones.TITULO and alerta[3] == "info"
    assert "«Informe T1»" in alerta[0]
    assert "Archivo › Exportar" in alerta[0]  # the remote engine has no PDF export
    assert not list(tmp_path.rglob("*.pdf"))
