"""Plans imported from other institutions' workbooks (entrada_libro, libro_ajeno_archivo).

Every layout is a real workbook built by ``tests/support/libros_ajenos.py`` and read back
from disk; the figures are checked cell by cell against what the builder wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import libros_ajenos as la
from tests.support.planes import DOCUMENTO_2011
from xl_metas.cli import app
from xl_metas.entrada_libro import Combinada, Hoja, leer_mapeo, plan_de_hojas
from xl_metas.entrada_libro.mapeo import linea_de
from xl_metas.entrada_libro.sinonimos import Campo, Papel, leer_etiqueta
from xl_metas.errors import LecturaError
from xl_metas.importer import plan_del_documento
from xl_metas.libro_ajeno_archivo import LibroAjeno, combinadas_ods, plan_de_libro
from xl_metas.model import Periodicidad, Valor

ROOT = Path(__file__).resolve().parent.parent
LIBRO_2011 = ROOT / "workbook" / "Metas2011.xlsm"


def comprobar(leidas, escritas, columnas_programado, columnas_realizado=None, realizado=None):
    """Each meta read equals what the builder wrote, cell by cell."""
    assert len(leidas) == len(escritas)
    for meta, escrita in zip(leidas, escritas, strict=True):
        assert meta.fila == escrita.fila
        assert meta.descripcion.raw == escrita.descripcion
        assert meta.unidad.raw == escrita.unidad
        for periodo, columna in enumerate(columnas_programado):
            assert meta.meses[periodo] == Valor(
                escrita.programado[periodo], la.celda(escrita.fila, columna)
            )
        if columnas_realizado is not None:
            fila = realizado[meta.clave]
            for periodo, columna in enumerate(columnas_realizado):
                esperado = escrita.realizado[periodo] if periodo < len(escrita.realizado) else None
                assert fila[periodo] == Valor(esperado, la.celda(escrita.fila, columna))


# -- the synonym table ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "campo"),
    [
        ("4. PROYECTOS", Campo.PROGRAMA),
        ("PROGRAMA PRESUPUESTARIO", Campo.PROGRAMA),
        ("Área", Campo.PROGRAMA),
        ("ACTIVIDAD", Campo.DESCRIPCION),
        ("DESCRIPCIÓN DE LAS METAS DE ACTIVIDAD", Campo.DESCRIPCION),
        ("Descripción", Campo.DESCRIPCION),
        ("CANTIDAD PROGRAMADA ANUAL", Campo.ANUAL),
        ("META ANUAL", Campo.ANUAL),
        ("VALOR ESPERADO", Campo.ANUAL),
        ("TOTAL PROGRAMADO", Campo.ANUAL),
        ("PROGRAMA ANUAL", Campo.ANUAL),
        ("CÓDIGO", Campo.NUMERO),
        ("No.", Campo.NUMERO),
        ("N°", Campo.NUMERO),
        ("Nº", Campo.NUMERO),
        ("OBJETIVO", Campo.OBJETIVO),
        ("7. UNIDAD DE MEDIDA", Campo.UNIDAD),
        ("Unidad", Campo.UNIDAD),
    ],
)
def test_synonyms_name_each_column(texto: str, campo: Campo) -> None:
    assert leer_etiqueta(texto).campo is campo


@pytest.mark.parametrize(
    ("texto", "periodo", "periodicidad", "papel"),
    [
        ("ENE", 0, Periodicidad.MENSUAL, None),
        ("AGO", 7, Periodicidad.MENSUAL, None),
        ("AGT", 7, Periodicidad.MENSUAL, None),
        ("septiembre", 8, Periodicidad.MENSUAL, None),
        ("Diciembre 2024", 11, Periodicidad.MENSUAL, None),
        ("Trimestre 3", 2, Periodicidad.TRIMESTRAL, None),
        ("1er trimestre", 0, Periodicidad.TRIMESTRAL, None),
        ("Cuarto Trimestre", 3, Periodicidad.TRIMESTRAL, None),
        ("T1. PLANEADO", 0, Periodicidad.TRIMESTRAL, Papel.PROGRAMADO),
        ("T2. EJECUTADO", 1, Periodicidad.TRIMESTRAL, Papel.REALIZADO),
        ("Abr-Jun", 1, Periodicidad.TRIMESTRAL, None),
    ],
)
def test_periods_and_their_role(texto, periodo, periodicidad, papel) -> None:
    lectura = leer_etiqueta(texto)
    assert (lectura.periodo, lectura.periodicidad, lectura.papel) == (periodo, periodicidad, papel)


@pytest.mark.parametrize(
    ("texto", "papel"),
    [
        ("Programado", Papel.PROGRAMADO),
        ("Abs.", Papel.PROGRAMADO),
        ("Realizado", Papel.REALIZADO),
        ("Ejecutado", Papel.REALIZADO),
        ("Cumplimiento", Papel.OTRO),
        ("%", Papel.OTRO),
        ("Medio de verificación", Papel.OTRO),
        ("Observaciones de enero", Papel.OTRO),
    ],
)
def test_calendar_sub_columns(texto: str, papel: Papel) -> None:
    assert leer_etiqueta(texto).papel is papel


@pytest.mark.parametrize(
    "texto", ["PROGRAMA METAS Y OBJETIVOS 2011", "SUMA DEL CALENDARIO", "Enero a marzo de 2024"]
)
def test_titles_and_other_labels_say_nothing(texto: str) -> None:
    lectura = leer_etiqueta(texto)
    assert lectura.campo is None and lectura.periodo is None


# -- layouts -------------------------------------------------------------------------


def test_monthly_band_of_four_merged_rows_with_realizado(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    escritas = la.banda_mensual(ruta)
    r = plan_de_libro(ruta)
    plan = r.plan
    assert plan.hoja == "POA 2024"  # found between a cover, notes and chart data
    assert (plan.anio, plan.institucion) == (
        2024,
        "Instituto de Acceso a la Información Pública de Ejemplo",
    )
    assert plan.periodicidad is Periodicidad.MENSUAL
    programado = [6 + 4 * m for m in range(12)]  # F, J, N…: Programado under each month
    comprobar(plan.metas, escritas, programado, [c + 1 for c in programado], r.realizado)
    assert [m.clave for m in plan.metas] == ["1", "2", "3"]
    assert [m.numero.celda for m in plan.metas] == ["A8", "A9", "A10"]
    # The programa merged over B8:B9 belongs to both metas; each keeps its own cell.
    assert [m.programa for m in plan.metas] == [
        Valor("Vinculación", "B8"),
        Valor("Vinculación", "B9"),
        Valor("Capacitación", "B10"),
    ]
    assert plan.metas[2].anual == Valor(0.5, "E10")
    assert plan.metas[2].meses[1] == Valor(0.15, "J10")  # decimals kept as written
    assert all(m.objetivo == Valor(None, "") for m in plan.metas)
    avisos = "\n".join(r.avisos)
    assert "hoja «POA 2024»" in avisos and "filas 4–7" in avisos
    assert "«Cumplimiento» (12)" in avisos and "«Medio de verificación» (12)" in avisos
    assert "filas de totales 11" in avisos
    assert "No se leen las filas 14" in avisos  # the signatures
    assert "sin objetivo" in avisos


def test_pbrm_quarterly_with_abs_and_percent(tmp_path: Path) -> None:
    ruta = tmp_path / "pbrm.xlsx"
    escritas = la.pbrm_trimestral(ruta)
    r = plan_de_libro(ruta)
    plan = r.plan
    assert plan.periodicidad is Periodicidad.TRIMESTRAL and plan.periodos == (
        "T1",
        "T2",
        "T3",
        "T4",
    )
    comprobar(plan.metas, escritas, [6, 8, 10, 12])  # F, H, J, L: «Abs.» of each quarter
    assert [m.numero for m in plan.metas] == [
        Valor("A-01", "A6"),
        Valor("A-02", "A7"),
        Valor("A-03", "A8"),
    ]
    assert [m.anual for m in plan.metas] == [
        Valor(120, "D6"),
        Valor(0.35, "D7"),
        Valor(12.5, "D8"),
    ]
    assert {m.programa.raw for m in plan.metas} == {"Transparencia y acceso a la información"}
    assert r.realizado == {}
    assert plan.anio == 2025
    assert any("«%» (4)" in a for a in r.avisos)
    assert any("E «Programación anual › %»" in a for a in r.avisos)


def test_quarterly_planeado_ejecutado_with_mixed_units(tmp_path: Path) -> None:
    ruta = tmp_path / "t.xlsx"
    escritas = la.trimestral_planeado_ejecutado(ruta)
    r = plan_de_libro(ruta)
    comprobar(r.plan.metas, escritas, [7, 9, 11, 13], [8, 10, 12, 14], r.realizado)
    metas = r.plan.metas
    assert [m.unidad.raw for m in metas] == ["Número", "Porcentaje", "Km"]
    assert [m.anual.raw for m in metas] == [40, 0.15, 35.5]
    assert metas[1].objetivo == Valor("Garantizar el acceso", "B3")  # continues the one above
    assert metas[1].objetivo_heredado and not metas[0].objetivo_heredado
    assert metas[2].programa == Valor("E002 Archivos", "A4")
    assert (r.plan.anio, r.plan.institucion) == (None, "")


def test_no_annual_objetivo_nor_number_column(tmp_path: Path) -> None:
    ruta = tmp_path / "m.xlsx"
    escritas = la.sin_anual_ni_objetivo(ruta)
    r = plan_de_libro(ruta)
    comprobar(r.plan.metas, escritas, range(4, 16))
    metas = r.plan.metas
    assert [m.anual for m in metas] == [Valor(6, ""), Valor(2, ""), Valor(1, "")]  # 0.1+0.2+0.7
    assert [m.numero for m in metas] == [Valor(1), Valor(2), Valor(3)]
    avisos = "\n".join(r.avisos)
    assert "se numeran del 1 al 3" in avisos
    assert "se toma la suma del calendario" in avisos
    assert "sin objetivo" in avisos


def test_the_shipped_workbook_matches_the_2011_document() -> None:
    r = plan_de_libro(LIBRO_2011)
    documento = plan_del_documento(DOCUMENTO_2011.read_bytes(), DOCUMENTO_2011.name)
    assert r.plan.hoja == "Plan" and r.plan.anio == 2011
    assert r.plan.institucion == "INSTITUTO DE TRANSPARENCIA INFORMATIVA DEL ESTADO DE SONORA"
    assert len(r.plan.metas) == len(documento.metas) == 20
    for leida, original in zip(r.plan.metas, documento.metas, strict=True):
        assert leida.clave == original.clave
        assert leida.descripcion.texto == original.descripcion.texto
        assert leida.unidad.texto == original.unidad.texto
        assert leida.anual.numero == original.anual.numero
        assert leida.calendario() == original.calendario()
    meta7 = r.plan.metas[6]  # the document's own discrepancy: 22 planned, 21 in the months
    assert meta7.anual == Valor(22, "F11")
    assert meta7.meses[2] == Valor(5, "I11")
    assert sum(meta7.calendario()) == 21


@pytest.mark.parametrize("extension", [".xlsx", ".xlsm"])
def test_a_workbook_made_by_importar_imports(tmp_path: Path, extension: str) -> None:
    destino = tmp_path / f"Metas{extension}"
    resultado = CliRunner().invoke(app, ["importar", str(DOCUMENTO_2011), "-o", str(destino)])
    assert resultado.exit_code == 0, resultado.output
    importado = plan_del_documento(DOCUMENTO_2011.read_bytes(), DOCUMENTO_2011.name)
    r = plan_de_libro(destino)
    assert r.plan.hoja == "Plan"
    assert [m.clave for m in r.plan.metas] == [m.clave for m in importado.metas]
    assert [m.calendario() for m in r.plan.metas] == [m.calendario() for m in importado.metas]
    assert [m.programa.texto for m in r.plan.metas] == [m.programa.texto for m in importado.metas]


def test_the_sheet_is_named(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    assert plan_de_libro(ruta, hoja="poa 2024").plan.hoja == "POA 2024"
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, hoja="Plan")
    assert "«poa.xlsx» no tiene la hoja «Plan»" in e.value.mensaje
    assert "«Portada», «POA 2024», «Notas», «Datos gráfica»" in e.value.mensaje
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, hoja="Notas")  # a sheet without a plan
    assert "hoja «Notas»" in e.value.mensaje


# -- errors and the mapping file -------------------------------------------------------


def test_unrecognised_headers_are_listed_with_their_cells(tmp_path: Path) -> None:
    ruta = tmp_path / "raro.xlsx"
    la.sin_reconocer(ruta)
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta)
    mensaje = e.value.mensaje
    assert "«raro.xlsx»: ninguna hoja tiene una tabla de metas" in mensaje
    assert "«Portada»: nada reconocible" in mensaje
    assert "archivo de mapeo" in mensaje and "[columnas]" in mensaje


def test_a_missing_description_lists_the_headers_found(tmp_path: Path) -> None:
    ruta = tmp_path / "sin_desc.xlsx"
    la.sin_reconocer(ruta)
    mapeo = la.escribir(tmp_path / "m.toml", 'fila_encabezado = 3\nhoja = "Plan de trabajo"\n')
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=mapeo)
    mensaje = e.value.mensaje
    assert "hoja «Plan de trabajo»: no reconozco la columna de la descripción" in mensaje
    assert "y el calendario" in mensaje
    assert "A3 «Clave interna», B3 «Qué se hará», C3 «Medida», D3 «Cuánto», E3 «P1»" in mensaje


def test_a_mapping_file_reads_an_unknown_layout(tmp_path: Path) -> None:
    ruta = tmp_path / "raro.xlsx"
    la.sin_reconocer(ruta)
    mapeo = la.escribir(
        tmp_path / "plan-de-trabajo.toml",
        'hoja = "Plan de trabajo"\n'
        "fila_encabezado = 3\n"
        'programa = "Vinculación"\n'
        "\n[columnas]\n"
        'numero = "Clave interna"\n'
        'descripcion = "Qué se hará"\n'
        'unidad = "C"\n'
        'anual = "cuánto"\n'
        'programado = "E:P"\n',
    )
    r = plan_de_libro(ruta, mapeo=mapeo)
    metas = r.plan.metas
    assert [m.numero for m in metas] == [Valor("X1", "A4"), Valor("X2", "A5")]
    assert metas[0].descripcion == Valor("Talleres con municipios", "B4")
    assert metas[0].unidad == Valor("Talleres", "C4")
    assert metas[0].anual == Valor(6, "D4")
    assert [v.raw for v in metas[0].meses] == [None, 1] * 6
    assert metas[0].meses[1].celda == "F4"
    assert metas[1].meses[11] == Valor(1, "P5")
    assert metas[0].programa == Valor("Vinculación")
    assert any("plan-de-trabajo.toml" in a for a in r.avisos)


def test_a_mapping_overrides_a_series_by_list_and_step(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    escritas = la.banda_mensual(ruta)
    columnas = ", ".join(f'"{la.columna(6 + 4 * m)}"' for m in range(12))
    mapeo = la.escribir(
        tmp_path / "m.toml",
        f'[columnas]\nprogramado = [{columnas}]\nrealizado = {{ desde = "G", paso = 4 }}\n',
    )
    r = plan_de_libro(ruta, mapeo=mapeo)
    programado = [6 + 4 * m for m in range(12)]
    comprobar(r.plan.metas, escritas, programado, [c + 1 for c in programado], r.realizado)
    por_texto = la.escribir(tmp_path / "t.toml", '[columnas]\nrealizado = "Realizado"\n')
    r2 = plan_de_libro(ruta, mapeo=por_texto)
    assert r2.realizado == r.realizado


@pytest.mark.parametrize(
    ("texto", "linea", "fragmento"),
    [
        ('hoja = "POA 2024"\ncolumna = "B"\n', 2, "«columna» no es una clave"),
        ('hoja = "POA 2024"\n[columnas]\n\ndescripcion = "B7"\n', 4, "sin número de fila"),
        ('[columnas]\nunidad = "ZZZ"\n', 2, "no es una columna de Excel"),
        ("[columnas]\nprograma = 3\n", 2, "la letra de una columna"),
        ('[columnas]\ndescipcion = "C"\n', 2, "«descipcion» no es una columna"),
        ('periodicidad = "anual"\n', 1, "«mensual» o «trimestral»"),
        ('fila_encabezado = "4"\n', 1, "número entero"),
        ('hoja = "POA"\nfila_encabezado 4\n', 2, "no es un archivo TOML válido"),
        ("fila_encabezado = 6\nprimera_fila = 3\n", 2, "debajo de fila_encabezado"),
        ('[columnas]\nprogramado = [\n  "F",\n  "AB7",\n]\n', 4, "«AB7»"),
    ],
)
def test_a_bad_mapping_names_its_line(texto: str, linea: int, fragmento: str) -> None:
    with pytest.raises(LecturaError) as e:
        leer_mapeo(texto, "mapa.toml")
    assert e.value.mensaje.startswith(f"«mapa.toml», línea {linea}")
    assert fragmento in e.value.mensaje


def test_a_mapping_that_names_a_missing_header_says_which_line(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    mapeo = la.escribir(
        tmp_path / "m.toml", '# POA\nhoja = "POA 2024"\n\n[columnas]\nobjetivo = "OBJETIVOS"\n'
    )
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=mapeo)
    assert e.value.mensaje.startswith("«m.toml», línea 5: no encuentro el encabezado «OBJETIVOS»")
    assert "A4 «N°», B4 «4. PROYECTOS»" in e.value.mensaje
    ambiguo = la.escribir(tmp_path / "a.toml", '[columnas]\nanual = "Programado"\n')
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=ambiguo)
    assert "«a.toml», línea 2: el encabezado «Programado» está en varias columnas" in (
        e.value.mensaje
    )
    pocas = la.escribir(tmp_path / "p.toml", '[columnas]\nprogramado = ["F", "J", "N"]\n')
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=pocas)
    assert "«p.toml», línea 2: programado da 3 columnas (F, J, N)" in e.value.mensaje


def test_a_mapping_that_names_a_missing_sheet(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    mapeo = la.escribir(tmp_path / "m.toml", '\nhoja = "POA 2023"\n')
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=mapeo)
    assert "no tiene la hoja «POA 2023» («m.toml», línea 2)" in e.value.mensaje


def test_linea_de_finds_keys_in_their_section() -> None:
    texto = 'hoja = "X"\n[columnas]\nhoja_x = 1\n"anual" = "F"\n'
    assert linea_de(texto, "hoja") == 1
    assert linea_de(texto, "anual", "columnas") == 4
    assert linea_de(texto, "anual") == 1  # not at the top level: the first line


@pytest.mark.parametrize(
    "contenido", [b"", b"PROGRAMA;META\n1;2\n", b"PK\x03\x04 not really a zip"]
)
def test_a_file_that_is_not_a_workbook(tmp_path: Path, contenido: bytes) -> None:
    ruta = tmp_path / "plan.xlsx"
    ruta.write_bytes(contenido)
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta)
    assert "«plan.xlsx»" in e.value.mensaje


def test_a_missing_file_or_mapping(tmp_path: Path) -> None:
    with pytest.raises(LecturaError) as e:
        plan_de_libro(tmp_path / "no.xlsx")
    assert "no.xlsx" in e.value.mensaje
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    with pytest.raises(LecturaError) as e:
        plan_de_libro(ruta, mapeo=tmp_path / "no.toml")
    assert "no.toml" in e.value.mensaje


# -- merges: what each format gives ------------------------------------------------------


def test_calamine_gives_the_merges_of_xlsx(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    hoja = LibroAjeno(ruta).hoja("POA 2024")
    assert hoja.combinadas is not None
    assert Combinada(4, 1, 7, 1) in hoja.combinadas  # N° over A4:A7
    assert Combinada(4, 6, 4, 53) in hoja.combinadas  # «Programación» over F4:BA4
    assert hoja.origen(6, 9) == (6, 6)  # I6 is part of «Enero» (F6:I6)


def test_a_band_without_merges_spreads_labels_to_the_right() -> None:
    """«Centrar en la selección» (or a format without merges): the label is written once."""
    filas = [
        ["Actividad", "Programación", None, None, None],
        [None, "ENE", None, "FEB", None],
        [None, "Programado", "Realizado", "Programado", "Realizado"],
        ["Taller", 1, 2, 3, 4],
    ]
    hoja = Hoja("l.xlsx", "H", filas, None)
    r = plan_de_hojas(
        "l.xlsx",
        ["H"],
        lambda n, f: hoja,
        mapeo=leer_mapeo('[columnas]\nprogramado = "B:M"\n', "m.toml"),
    )
    assert r.plan.metas[0].meses[0] == Valor(1, "B4")
    sin_mapeo = Hoja(
        "l.xlsx",
        "H",
        [
            ["Actividad", *[m for mes in la.MESES_ESCRITOS for m in (mes, None)]],
            [None, *["Programado", "Realizado"] * 12],
            ["Taller", *range(1, 25)],
        ],
        None,
    )
    r = plan_de_hojas("l.xlsx", ["H"], lambda n, f: sin_mapeo)
    assert [v.raw for v in r.plan.metas[0].meses] == list(range(1, 25, 2))
    assert [v.raw for v in r.realizado["1"]] == list(range(2, 25, 2))
    assert r.realizado["1"][11].celda == "Y3"


@pytest.fixture(scope="module")
def convertidos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The monthly-band workbook saved by LibreOffice as .ods and .xls (once)."""
    from tests.support import lo

    lo.require_libreoffice()
    carpeta = tmp_path_factory.mktemp("convertidos")
    origen = carpeta / "poa.xlsx"
    la.banda_mensual(origen)
    return {fmt: lo._soffice_convert(origen, carpeta, fmt, 180) for fmt in ("ods", "xls")} | {
        "xlsx": origen
    }


@pytest.mark.libreoffice
@pytest.mark.parametrize("formato", ["ods", "xls"])
def test_ods_and_xls_import_like_the_xlsx(convertidos: dict[str, Path], formato: str) -> None:
    xlsx = plan_de_libro(convertidos["xlsx"])
    otro = plan_de_libro(convertidos[formato])
    assert otro.plan.hoja == "POA 2024"
    assert len(otro.plan.metas) == len(xlsx.plan.metas)
    for a, b in zip(otro.plan.metas, xlsx.plan.metas, strict=True):
        assert (a.programa, a.descripcion, a.unidad) == (b.programa, b.descripcion, b.unidad)
        assert [(v.numero, v.celda) for v in a.meses] == [(v.numero, v.celda) for v in b.meses]
        assert a.anual.numero == b.anual.numero
    assert {k: [v.numero for v in t] for k, t in otro.realizado.items()} == {
        k: [v.numero for v in t] for k, t in xlsx.realizado.items()
    }


@pytest.mark.libreoffice
def test_ods_merges_come_from_content_xml(convertidos: dict[str, Path]) -> None:
    libro = LibroAjeno(convertidos["ods"])
    assert Combinada(4, 1, 7, 1) in combinadas_ods(libro.datos)["POA 2024"]
    assert Combinada(4, 6, 4, 53) in libro.hoja("POA 2024").combinadas


@pytest.mark.libreoffice
def test_xls_merges_come_from_calamine(convertidos: dict[str, Path]) -> None:
    hoja = LibroAjeno(convertidos["xls"]).hoja("POA 2024")
    assert hoja.combinadas is not None and Combinada(4, 6, 4, 53) in hoja.combinadas


def test_nothing_is_written(tmp_path: Path) -> None:
    ruta = tmp_path / "poa.xlsx"
    la.banda_mensual(ruta)
    copia = tmp_path / "antes.xlsx"
    shutil.copy2(ruta, copia)
    antes = sorted(p.name for p in tmp_path.iterdir())
    plan_de_libro(ruta)
    with pytest.raises(LecturaError):
        plan_de_libro(ruta, hoja="Notas")
    assert sorted(p.name for p in tmp_path.iterdir()) == antes
    assert ruta.read_bytes() == copia.read_bytes()


def test_the_documentation_lists_every_synonym() -> None:
    from xl_metas.entrada_libro.sinonimos import BANDAS, PAPELES, SINONIMOS
    from xl_metas.text import fold

    doc = fold((ROOT / "docs" / "importar-libros.md").read_text(encoding="utf-8"))
    celdas = {
        fold(p.strip()) for linea in doc.splitlines() for p in linea.replace("|", "·").split("·")
    }
    etiquetas = [e for ets in (*SINONIMOS.values(), *PAPELES.values()) for e in ets]
    assert [e for e in [*etiquetas, *BANDAS] if fold(e) not in celdas] == []
