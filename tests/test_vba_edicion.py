"""Editing an existing vbaProject.bin in place: projects Excel wrote (a performance cache,
p-code before the source, four kinds of reference, password protection, a UserForm) keep
everything but the modules edited; the strict checker and oletools read the result."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from tests.support import vba_estricto
from tests.support.libros_copias import MAESTRO
from tests.support.libros_vba import (
    ADDIN,
    QUICKSTART_EXCEL,
    flujos,
    proyecto_como_excel,
    referencias,
    vba_de,
)
from tests.support.planes import XLWINGS_XLSM
from xl_metas.vba import cfb, edicion, ovba
from xl_metas.vba.project import (
    VBA_PROJECT_SOURCE_ONLY,
    WORKSHEET_BASE,
    document_module,
    standard_module,
)

PROYECTOS = {
    "ours": lambda: vba_de(MAESTRO),
    "excel-compiled": lambda: vba_de(QUICKSTART_EXCEL),
    "protected-addin": lambda: vba_de(ADDIN),
    "xlwings-standalone": lambda: vba_de(XLWINGS_XLSM),
    "userform": lambda: proyecto_como_excel(vba_de(MAESTRO)),
}
INDICE = {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"}


def modulos_oletools(vba: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=vba)
    try:
        return {p.split("/")[-1]: code for _, p, _, code in parser.extract_macros()}
    finally:
        parser.close()


def lineas(vba: bytes) -> list[bytes]:
    return flujos(vba)[0]["PROJECT"].split(b"\r\n")


@pytest.fixture(params=sorted(PROYECTOS))
def proyecto(request: pytest.FixtureRequest) -> bytes:
    return PROYECTOS[request.param]()


def test_reading_and_saving_without_edits_gives_the_same_bytes(proyecto: bytes) -> None:
    assert edicion.leer(proyecto).guardar() == proyecto


def test_adding_a_document_module_touches_nothing_else(proyecto: bytes) -> None:
    p = edicion.leer(proyecto)
    p.agregar(document_module("HojaNueva", WORKSHEET_BASE))
    nuevo = p.guardar()
    assert vba_estricto.problemas_vba(nuevo) == []
    (antes, clsids_antes), (despues, clsids_despues) = flujos(proyecto), flujos(nuevo)
    assert clsids_despues == clsids_antes  # designer storages keep their CLSID
    assert {n for n in antes if n not in INDICE and antes[n] != despues.get(n)} == set()
    assert {n for n in antes if n.startswith("VBA/__SRP_")} <= set(antes) - set(despues)
    assert set(despues) - set(antes) == {"VBA/HojaNueva"}
    assert despues["VBA/_VBA_PROJECT"] == VBA_PROJECT_SOURCE_ONLY  # Office recompiles
    assert referencias(nuevo) == referencias(proyecto)
    viejas, nuevas = lineas(proyecto), lineas(nuevo)
    assert [x for x in nuevas if x not in viejas] == [
        b"Document=HojaNueva/&H00000000",
        b"HojaNueva=0, 0, 0, 0, C",
    ]
    assert [x for x in viejas if x not in nuevas] == []
    leidos = modulos_oletools(nuevo)
    assert leidos["HojaNueva"] == document_module("HojaNueva", WORKSHEET_BASE).source


def test_the_new_line_goes_after_the_module_lines() -> None:
    p = edicion.leer(vba_de(QUICKSTART_EXCEL))
    p.agregar(document_module("Sheet3", WORKSHEET_BASE))
    nuevas = lineas(p.guardar())
    assert nuevas[1:6] == [
        b"Document=ThisWorkbook/&H00000000",
        b"Document=Sheet1/&H00000000",
        b"Module=Module1",
        b"Document=Sheet2/&H00000000",
        b"Document=Sheet3/&H00000000",
    ]
    assert nuevas[-2:] == [b"Sheet3=0, 0, 0, 0, C", b""]


def test_removing_a_module_leaves_no_trace(proyecto: bytes) -> None:
    p = edicion.leer(proyecto)
    quitado = next(m.nombre for m in p.modulos if m.tipo == "document" and m.nombre[0] != "T")
    p.quitar(quitado)
    nuevo = p.guardar()
    assert vba_estricto.problemas_vba(nuevo) == []
    antes, despues = flujos(proyecto)[0], flujos(nuevo)[0]
    assert set(antes) - set(despues) >= {f"VBA/{quitado}"}
    assert {n for n in despues if n not in INDICE and antes[n] != despues[n]} == set()
    assert not [x for x in lineas(nuevo) if quitado.encode() in x]
    assert quitado.encode() not in despues["PROJECTwm"]
    assert quitado not in modulos_oletools(nuevo)
    assert referencias(nuevo) == referencias(proyecto)


def test_replacing_a_source_stored_after_p_code() -> None:
    """xlwings' add-in keeps p-code before each source: the new source goes at offset 0,
    the protection lines stay as they were."""
    vba = vba_de(ADDIN)
    p = edicion.leer(vba)
    assert p.modulo("Main") is not None and p.modulo("Main").desplazamiento == 0  # type: ignore[union-attr]
    assert p.modulo("Utils").desplazamiento > 0  # type: ignore[union-attr]
    nuevo_fuente = standard_module("Utils", "Sub Hola()\r\nEnd Sub\r\n")
    p.reemplazar(nuevo_fuente)
    nuevo = p.guardar()
    assert vba_estricto.problemas_vba(nuevo) == []
    assert edicion.leer(nuevo).modulo("Utils").desplazamiento == 0  # type: ignore[union-attr]
    assert modulos_oletools(nuevo)["Utils"] == nuevo_fuente.source
    assert lineas(nuevo) == lineas(vba)  # ID, CMG, DPB, GC: still protected
    antes, despues = flujos(vba)[0], flujos(nuevo)[0]
    assert {n for n in antes if antes[n] != despues[n]} == {"VBA/Utils", "VBA/dir"}


def test_fuente_reads_after_the_p_code() -> None:
    p = edicion.leer(vba_de(QUICKSTART_EXCEL))
    assert p.fuente("module1").startswith('Attribute VB_Name = "Module1"\r\n')


def test_names_a_new_module_cannot_take() -> None:
    p = edicion.leer(proyecto_como_excel(vba_de(MAESTRO)))
    nombres = {n.casefold() for n in p.nombres()}
    assert {"metas", "xlwings", "dictionary", "thisworkbook", "userform1"} <= nombres
    assert {"vbaproject", "stdole", "office", "msforms", "scripting", "dir"} <= nombres
    for nombre in ("METAS", "dir", "MSForms", "VBAProject"):
        with pytest.raises(ValueError, match="already taken"):
            p.agregar(document_module(nombre, WORKSHEET_BASE))


def test_refusals() -> None:
    p = edicion.leer(proyecto_como_excel(vba_de(MAESTRO)))
    with pytest.raises(ValueError, match="designer"):
        p.quitar("UserForm1")
    with pytest.raises(ValueError, match="class module, not standard"):
        p.reemplazar(standard_module("Dictionary", ""))
    with pytest.raises(KeyError):
        p.quitar("NoExiste")
    assert not p.cambiado


def test_unreadable_projects_say_why() -> None:
    with pytest.raises(edicion.ProyectoIlegible, match="not a compound file"):
        edicion.leer(b"no soy un archivo compuesto")
    streams = flujos(vba_de(MAESTRO))[0]
    dir_stream = ovba.decompress(streams["VBA/dir"])
    cortado = cfb.write_cfb(dict(streams, **{"VBA/dir": ovba.compress(dir_stream[:-3])}))
    with pytest.raises(edicion.ProyectoIlegible, match="dir stream"):
        edicion.leer(cortado)
    sin_project = cfb.write_cfb({k: v for k, v in streams.items() if k != "PROJECT"})
    with pytest.raises(edicion.ProyectoIlegible, match="no PROJECT stream"):
        edicion.leer(sin_project)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), max_size=8))
def test_any_sequence_of_adds_and_removes_stays_strict(pasos: list[tuple[bool, int]]) -> None:
    vba = vba_de(QUICKSTART_EXCEL)
    for agregar, n in pasos:
        p = edicion.leer(vba)
        if agregar and p.modulo(f"Hoja{n}") is None:
            p.agregar(document_module(f"Hoja{n}", WORKSHEET_BASE))
        elif not agregar and p.modulo(f"Hoja{n}") is not None:
            p.quitar(f"Hoja{n}")
        vba = p.guardar()
    assert vba_estricto.problemas_vba(vba) == []
