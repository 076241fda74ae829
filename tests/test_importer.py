"""The importer against the institute's real 2011 document, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.planes import DOCUMENTO_2011
from xl_metas.errors import LecturaError
from xl_metas.importer import decode, parse_document, read_document

# (meta, programa, objetivo starts with, descripción, unidad, anual, ENE…DIC) — copied by hand
# from the document; None is a blank month.
_ = None
EXPECTED = [
    (1, "VINCULACIÓN", "Fortalecer relaciones con Instituciones", "Llevar a cabo visitas a Instituciones de Transparencia Informativa", "Visitas", 4, [_, _, 1, _, _, 1, _, 1, _, _, _, 1]),
    (2, "VINCULACIÓN", "Fortalecer entre sujetos obligados", "Realizar visitas de seguimiento con sujetos obligados y sociedad obligados y sociedad organizada", "Visitas", 36, [_, 3, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3]),
    (3, "VINCULACIÓN", "Crear y promover la cultura de la Transparencia dar", "Reuniones con sociedad organizada", "Reuniones", 20, [_, 2, 2, 2, 2, 2, 1, 2, 1, 2, 2, 2]),
    (4, "VINCULACIÓN", "Conocer el cumplimiento", "Programa de cumplimiento de las obligaciones con sujetos obligados en materia de acceso a la información pública e información reservada", "Programa", 1, [_] * 11 + [1]),
    (5, "VINCULACIÓN", "Crear y promover la cultura de la Transparencia y Rendición", "Celebrar y refrendar convenios con sujetos obligados y sociedad civil que generen aprovechamiento para el objetivo específico, a fin de fortalecer el derecho de acceso a la información pública.", "Convenios", 10, [_, _] + [1] * 10),
    (6, "VINCULACIÓN", "Definir Lineamientos complementarios", "Elaboración, discusión, aprobación y publicación de Lineamientos Generales y actualizar los existentes.", "Documento", 1, [_] * 11 + [1]),
    (7, "CAPACITACIÓN", "Capacitación continua a sujetos obligados", "Reunión de capacitación obligatoria para sujetos obligados de conformidad con los Lineamientos Generales", "Reuniones", 22, [_, _, 5, 3, 2, _, _, _, 5, 5, 1, _]),
    (8, "CAPACITACIÓN", "Capacitación continua a sujetos obligados", "Reunión de capacitación complementaria a solicitud de sujetos obligados", "Reuniones", 18, [1, 2] * 6),
    (9, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Evento de difusión de Transparencia (Conferencia, taller mesa de trabajo, presentación de libros, concursos)", "Eventos", 5, [_, 3, _, _, _, _, _, 1, _, _, _, 1]),
    (10, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Programa de difusión de la Cultura de la Transparencia", "Programa", 10, [_, _] + [1] * 10),
    (11, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Distribución de publicación impresa", "Actividades", 10, [_, _] + [1] * 10),
    (12, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Eventos Regionales de la Semana Estatal de la Transparencia", "Evento", 1, [_] * 8 + [1, _, _, _]),
    (13, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", 'Fortalecer pagina "Transparenciasonora.org" del Instituto de Transparencia Informativa del Estado de Sonora', "Servicios", 12, [1] * 12),
    (14, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Actividades tendientes a fomentar la cultura de la Transparencia", "Actividades", 16, [1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1]),
    (15, "DIFUSIÓN", "Transparentar la información pública", "Certificación de Información pública básica de sujetos obligados", "Certificaciones", 3, [_] * 11 + [3]),
    (16, "DIFUSIÓN", "Fortalecer el principio de máxima publicidad", "Capacitación a prestadores de servicio social en temas de Transparencia y Acceso a la Información Pública", "Capacitaciones", 4, [_, 2, _, _, _, _, _, 2, _, _, _, _]),
    (17, "DIFUSIÓN", "Definir lineamientos complementarios", "Programa de consulta abierta con sujetos obligados y sociedad civil para discusión y actualización de Lineamientos", "Programa", 1, [_] * 10 + [1, _]),
    (18, "DIFUSIÓN", "Dar cumplimiento a la obligación legal", "Informe Trimestral de labores", "Informe", 4, [_, _, 1, _, _, 1, _, _, 1, _, _, 1]),
    (19, "DIFUSIÓN", "Crear y difundir una Cultura de la Transparencia", "Llevar a cabo investigación a fin de analizar el balance y perspectiva de la Transparencia y el Acceso a la Información en Sonora", "Publicación", 1, [_, _, _, 1] + [_] * 8),
    (20, "DIFUSIÓN", "Crear y difundir una cultura de la Transparencia", "Programa de difusión en medios masivos de comunicación", "Programa", 7, [1] * 12),
]  # fmt: skip


@pytest.fixture(scope="module")
def plan():
    return read_document(DOCUMENTO_2011)


def test_seed_has_twenty_metas_in_three_programas(plan):
    assert len(plan.metas) == 20
    assert plan.programas() == ["VINCULACIÓN", "CAPACITACIÓN", "DIFUSIÓN"]
    assert plan.anio == 2011
    assert plan.institucion == "INSTITUTO DE TRANSPARENCIA INFORMATIVA DEL ESTADO DE SONORA"


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"meta{e[0]}")
def test_seed_meta_field_by_field(plan, expected):
    numero, programa, objetivo, descripcion, unidad, anual, meses = expected
    meta = plan.metas[numero - 1]
    assert meta.numero.raw == numero
    assert meta.programa.raw == programa
    assert meta.objetivo.texto.startswith(objetivo)
    assert meta.descripcion.raw == descripcion
    assert meta.unidad.raw == unidad
    assert meta.anual.raw == anual
    assert [m.raw for m in meta.meses] == meses


def test_continuation_rows_inherit_the_objetivo_above(plan):
    by_number = {m.numero.raw: m for m in plan.metas}
    assert by_number[8].objetivo_heredado and by_number[8].objetivo == by_number[7].objetivo
    for numero in range(10, 15):
        assert by_number[numero].objetivo_heredado
        assert by_number[numero].objetivo.raw == by_number[9].objetivo.raw
    assert not by_number[15].objetivo_heredado


def test_full_objetivo_kept_exactly(plan):
    assert plan.metas[0].objetivo.raw == (
        "Fortalecer relaciones con Instituciones de Transparencia Informativa a fin de conocer "
        "sus avances y consolidar en el estado el cumplimiento de sus obligaciones en materia de "
        "acceso, clasificación y archivo así como la creación y promoción de la cultura de la "
        "Transparencia."
    )


def test_windows_1252_and_crlf_give_the_same_plan(plan, tmp_path: Path):
    text = DOCUMENTO_2011.read_text(encoding="utf-8")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    assert read_document(legacy) == plan


def test_decode_accepts_bom():
    assert decode("\ufeffACCIÓN".encode()) == "ACCIÓN"
    assert decode("ACCIÓN".encode("cp1252")) == "ACCIÓN"


def test_objetivo_does_not_leak_across_programas():
    text = (
        "PROGRAMA METAS Y OBJETIVOS 2012\n"
        "PROGRAMA UNO\n"
        "OBJETIVO\tMETA\tDESCRIPCIÓN DE LA META\tUNIDAD DE MEDIDA\tPROGRAMA ANUAL\tCALENDARIO\n"
        "\t\t\t\t\tENE\tFEB\tMAR\tABR\tMAY\tJUN\tJUL\tAGT\tSEP\tOCT\tNOV\tDIC\n"
        "Objetivo A\t1\tD\tU\t1\t1\n"
        "PROGRAMA DOS\n"
        "\t2\tD\tU\t1\t1\n"
    )
    plan = parse_document(text)
    assert plan.metas[1].programa.raw == "DOS"
    assert plan.metas[1].objetivo.vacio and not plan.metas[1].objetivo_heredado


def test_values_that_are_not_numbers_stay_as_written():
    text = (
        "OBJETIVO\tMETA\tDESCRIPCIÓN DE LA META\tUNIDAD DE MEDIDA\tPROGRAMA ANUAL\tCALENDARIO\n"
        "\t\t\t\t\tENE\tFEB\tMAR\tABR\tMAY\tJUN\tJUL\tAGT\tSEP\tOCT\tNOV\tDIC\n"
        "O\t1\tD\tU\tdoce\t1.5\t-2\n"
    )
    meta = parse_document(text).metas[0]
    assert meta.anual.raw == "doce"
    assert [m.raw for m in meta.meses[:3]] == [1.5, -2, None]


def test_a_file_without_metas_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "vacio.txt"
    path.write_text("nada que ver\n", encoding="utf-8")
    with pytest.raises(LecturaError, match="vacio.txt.*ninguna meta"):
        read_document(path)
