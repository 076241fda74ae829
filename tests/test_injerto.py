"""The graft of a save into the original package, on the workbook-level details it edits:
sheet order, local defined names, the active tab, the calculation chain, styles."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from tests.support.paquetes import editar_paquete
from xl_metas.render import Estilo, HojaGenerada, Impresion
from xl_metas.workbook_file import LibroArchivo


def partes(ruta: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(ruta) as z:
        return {n: z.read(n) for n in z.namelist()}


def con_cadena_de_calculo(datos: bytes) -> bytes:
    """Add a calcChain part (XlsxWriter does not write one; Excel does)."""
    return editar_paquete(
        datos,
        {
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                b"</Relationships>",
            ),
            "[Content_Types].xml": lambda xml: xml.replace(
                b"</Types>",
                b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
            ),
        },
        {
            "xl/calcChain.xml": b'<calcChain xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><c r="B1" i="3"/></calcChain>'
        },
    )


def libro_de_usuario(ruta: Path) -> Path:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    uno = wb.add_worksheet("Uno")
    uno.write("A1", "uno")
    wb.add_worksheet("Dos").write("A1", "dos")
    tres = wb.add_worksheet("Tres")
    tres.write("A1", 2)
    tres.write_formula("B1", "=A1*2", None, 4)
    tres.repeat_rows(0)  # a name local to «Tres»: _xlnm.Print_Titles
    tres.activate()
    wb.define_name("Tres!Local", "=Tres!$A$1")
    wb.close()
    ruta.write_bytes(con_cadena_de_calculo(buffer.getvalue()))
    return ruta


HOJA = HojaGenerada(
    nombre="Nuestra",
    filas=[["TÍTULO"], [], ["A", "B"], [1, 0.25]],
    estilos=[("A1", Estilo(negrita=True, tamano=14)), ("B4", Estilo(formato="0.0%"))],
    impresion=Impresion(filas_repetidas="3:3"),
)


def test_a_sheet_put_between_the_users_renumbers_their_local_names(tmp_path: Path) -> None:
    ruta = libro_de_usuario(tmp_path / "usuario.xlsx")
    antes = partes(ruta)
    libro = LibroArchivo(ruta)
    libro.poner_hoja(HOJA, despues_de="Uno")
    assert libro.guardar()
    despues = partes(ruta)
    wb = openpyxl.load_workbook(ruta)
    assert wb.sheetnames == ["Uno", "Nuestra", "Dos", "Tres"]
    libro_xml = despues["xl/workbook.xml"].decode()
    locales = dict(re.findall(r'<definedName name="([^"]+)" localSheetId="([0-9]+)"', libro_xml))
    nombres = re.findall(
        r'<definedName name="([^"]+)" localSheetId="([0-9]+)"[^>]*>([^<]*)<', libro_xml
    )
    por_hoja = {(n, i): v for n, i, v in nombres}
    assert por_hoja[("_xlnm.Print_Titles", "3")] == "Tres!$1:$1"  # theirs, moved by one
    assert por_hoja[("_xlnm.Print_Titles", "1")] == "'Nuestra'!$3:$3"  # ours, at its place
    assert locales["Local"] == "3"
    # the active tab is still «Tres»; the calculation chain (sheet positions) is gone
    assert 'activeTab="3"' in libro_xml
    assert "xl/calcChain.xml" not in despues
    assert b"calcChain" not in despues["[Content_Types].xml"]
    assert b"calcChain" not in despues["xl/_rels/workbook.xml.rels"]
    # the user's sheets are byte for byte the same
    for n in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
        assert despues[n] == antes[n]
    # our styles were added to theirs
    ws = wb["Nuestra"]
    assert ws["A1"].font.b and ws["A1"].font.sz == 14 and ws["B4"].number_format == "0.0%"
    assert wb["Tres"]["B1"].value == "=A1*2"


def test_removing_our_sheet_keeps_the_users_and_their_names(tmp_path: Path) -> None:
    ruta = libro_de_usuario(tmp_path / "usuario.xlsx")
    libro = LibroArchivo(ruta)
    libro.poner_hoja(HOJA, despues_de="Uno")
    libro.guardar()
    libro = LibroArchivo(ruta)
    libro.quitar_hoja("Nuestra")
    libro.poner_hoja(HojaGenerada(nombre="Otra", filas=[["x"]]))
    assert libro.guardar()
    wb = openpyxl.load_workbook(ruta)
    assert wb.sheetnames == ["Uno", "Dos", "Tres", "Otra"]
    libro_xml = partes(ruta)["xl/workbook.xml"].decode()
    assert 'name="_xlnm.Print_Titles" localSheetId="2"' in libro_xml
    assert "Nuestra" not in libro_xml
    assert 'activeTab="2"' in libro_xml
    restos = [n for n in partes(ruta) if n.startswith("xl/worksheets/sheet")]
    assert len(restos) == 4  # the removed sheet's part went with it
