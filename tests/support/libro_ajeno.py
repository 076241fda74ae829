"""A macro workbook built by another tool (XlsxWriter) carrying everything a user may add
that xl-metas does not own: a logo, a text box, a chart, a comment, data validation, a
table, a defined name, sheet protection, a custom ribbon (customUI14), xlwings Lite's
web-extension parts and printer settings. The plan is the institute's real 2011 plan with
the sample progress and its cut-off (15/06/2011)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from tests.support.paquetes import editar_paquete
from xl_metas import operaciones
from xl_metas.config import Configuracion, config_sheet
from xl_metas.importer import read_document
from xl_metas.muestra import CORTE_MUESTRA, avance_muestra
from xl_metas.render import HojaGenerada

MAESTRO = Path(__file__).resolve().parents[2] / "workbook" / "Metas2011.xlsm"

# Parts the user's content lives in (as XlsxWriter and the injected ones name them).
AJENAS = re.compile(
    r"^(xl/(media|drawings|charts|tables|printerSettings|webextensions)/|xl/comments|"
    r"customUI/)"
)
RIBBON = (
    b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui">'
    b'<ribbon><tabs><tab id="xlmAjena" label="Del usuario"/></tabs></ribbon></customUI>'
)
WEBEXTENSION = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11"'
    b' id="{635BF0CD-42CC-4174-B8D2-6D375C9A759E}">'
    b'<we:reference id="wa200008175" version="1.0.0.0" store="es-MX" storeType="OMEX"/>'
    b"<we:alternateReferences/><we:properties>"
    b'<we:property name="main.py" value="&quot;import xlwings as xw&quot;"/>'
    b'</we:properties><we:bindings/><we:snapshot xmlns:r="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships"/></we:webextension>'
)
TASKPANES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11">'
    b'<wetp:taskpane dockstate="right" visibility="0" width="350" row="4">'
    b'<wetp:webextensionref xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
)
TASKPANES_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2011/relationships/'
    b'webextension" Target="webextension1.xml"/></Relationships>'
)
PRINTER = b"DEVMODE de la impresora del usuario" + bytes(range(256))


def _png() -> bytes:
    raw = b"".join(b"\x00" + b"\xc0\x00\x00" * 16 for _ in range(16))

    def chunk(tipo: bytes, datos: bytes) -> bytes:
        crc = zlib.crc32(tipo + datos) & 0xFFFFFFFF
        return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", crc)

    cabecera = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", cabecera)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _vba() -> bytes:
    with zipfile.ZipFile(MAESTRO) as z:
        return z.read("xl/vbaProject.bin")


def _escribir(ws: xlsxwriter.worksheet.Worksheet, hoja: HojaGenerada) -> None:
    for r, fila in enumerate(hoja.filas):
        for c, valor in enumerate(fila):
            if valor is None:
                continue
            if isinstance(valor, str):
                ws.write_string(r, c, valor)
            else:
                ws.write(r, c, valor)


def libro_ajeno(ruta: Path, *, relleno_en_avance: bool = False) -> Path:
    """Build it at ``ruta`` (.xlsm). ``relleno_en_avance``: a month cell of Avance painted
    by hand (a direct fill, which colouring the months must clear)."""
    plan = read_document(operaciones.DOCUMENTO_2011)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"created": __import__("datetime").datetime(2011, 1, 1)})
    plan_ws = wb.add_worksheet("Plan")
    _escribir(plan_ws, operaciones.plan_sheet(plan))
    plan_ws.insert_image("V2", "logo.png", {"image_data": io.BytesIO(_png())})
    plan_ws.insert_textbox("V8", "Nota del área: revisar con Dirección")
    plan_ws.set_landscape()  # a pageSetup element, to hang the printer settings on
    avance_ws = wb.add_worksheet("Avance")
    _escribir(avance_ws, avance_muestra(plan))
    avance_ws.write_comment("C6", "Comentario de la responsable del área")
    if relleno_en_avance:
        avance_ws.write_blank("E6", None, wb.add_format({"bg_color": "#FFFF00"}))
    avance_ws.data_validation("D5:O24", {"validate": "integer", "criteria": ">=", "value": 0})
    config_ws = wb.add_worksheet("Configuración")
    _escribir(config_ws, config_sheet(Configuracion(fecha_corte=CORTE_MUESTRA)))
    contactos = wb.add_worksheet("Contactos")
    contactos.add_table(
        "A1:B3",
        {
            "name": "TablaContactos",
            "columns": [{"header": "Área"}, {"header": "Correo"}],
            "data": [["Vinculación", "v@example.org"], ["Difusión", "d@example.org"]],
        },
    )
    contactos.protect()
    grafica = wb.add_chart({"type": "pie"})
    grafica.add_series({"values": "=Plan!$F$5:$F$10", "name": "Programa anual"})
    contactos.insert_chart("D2", grafica)
    wb.define_name("ContactosDelArea", "=Contactos!$A$1:$B$3")
    wb.add_vba_project(io.BytesIO(_vba()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    wb.close()
    ruta.write_bytes(_con_partes_inyectadas(buffer.getvalue()))
    return ruta


def _antes_de(cierre: bytes, agregado: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(cierre, agregado + cierre)


def _con_partes_inyectadas(datos: bytes) -> bytes:
    """Add what XlsxWriter cannot write, as Excel and the Lite add-in lay it out."""
    return editar_paquete(
        datos,
        {
            "[Content_Types].xml": _antes_de(
                b"</Types>",
                b'<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType='
                b'"application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>'
                b'<Override PartName="/xl/webextensions/webextension1.xml" ContentType='
                b'"application/vnd.ms-office.webextension+xml"/>'
                b'<Override PartName="/xl/webextensions/taskpanes.xml" ContentType='
                b'"application/vnd.ms-office.webextensiontaskpanes+xml"/>',
            ),
            "_rels/.rels": _antes_de(
                b"</Relationships>",
                b'<Relationship Id="rIdUi14" Type="http://schemas.microsoft.com/office/2007/'
                b'relationships/ui/extensibility" Target="customUI/customUI14.xml"/>'
                b'<Relationship Id="rIdWe" Type="http://schemas.microsoft.com/office/2011/'
                b'relationships/webextensiontaskpanes" Target="xl/webextensions/'
                b'taskpanes.xml"/>',
            ),
            "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                rb"(<pageSetup\b[^>]*?)/>", rb'\1 r:id="rIdPs"/>', xml
            ),
            "xl/worksheets/_rels/sheet1.xml.rels": _antes_de(
                b"</Relationships>",
                b'<Relationship Id="rIdPs" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/printerSettings" Target="../'
                b'printerSettings/printerSettings1.bin"/>',
            ),
        },
        {
            "customUI/customUI14.xml": RIBBON,
            "xl/webextensions/webextension1.xml": WEBEXTENSION,
            "xl/webextensions/taskpanes.xml": TASKPANES,
            "xl/webextensions/_rels/taskpanes.xml.rels": TASKPANES_RELS,
            "xl/printerSettings/printerSettings1.bin": PRINTER,
        },
    )


def partes_ajenas(ruta: Path) -> dict[str, bytes]:
    """Every part holding the user's content, by name."""
    with zipfile.ZipFile(ruta) as z:
        return {n: z.read(n) for n in z.namelist() if AJENAS.match(n)}
