"""Macro workbooks that test the VBA project: programas named like modules, sheets left by
an earlier version (a codeName and no module), and a project shaped like one Excel saved
(a UserForm, more references, password protection).

The project surgery here reads and writes records by hand, apart from ``xl_metas.vba``,
so a fixture never depends on the code it tests.
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path

import olefile
import openpyxl
from oletools.olevba import decompress_stream

from xl_metas.vba import cfb, ovba

VBA_PART = "xl/vbaProject.bin"
XLWINGS_DIR = Path(__import__("xlwings").__file__).parent
QUICKSTART_EXCEL = XLWINGS_DIR / "quickstart.xlsm"  # compiled by Excel, four kinds of reference
ADDIN = XLWINGS_DIR / "addin" / "xlwings.xlam"  # a password-protected project
# Programas whose sheet names are the names of the workbook's own modules.
PROGRAMAS_QUE_CHOCAN = {
    "VINCULACIÓN": "Metas",
    "CAPACITACIÓN": "xlwings",
    "DIFUSIÓN": "ThisWorkbook",
}
FORMS_CLSID = "C62A69F0-16DC-11CE-9E98-00AA00574A4F"
SCRIPTING = (
    r"*\G{420B2830-E718-11CF-893D-00A0C9054228}#1.0#0#C:\Windows\System32\scrrun.dll"
    r"#Microsoft Scripting Runtime"
)


# -- workbooks ----------------------------------------------------------------------------------
def con_programas(ruta: Path, nombres: Mapping[str, str] = PROGRAMAS_QUE_CHOCAN) -> Path:
    """Rename programas in Plan and Avance, as a user typing them (openpyxl keeps the VBA)."""
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    for hoja in ("Plan", "Avance"):
        for fila in wb[hoja].iter_rows():
            for celda in fila:
                if isinstance(celda.value, str) and celda.value in nombres:
                    celda.value = nombres[celda.value]
    wb.save(ruta)
    return ruta


def con_hojas_viejas(ruta: Path, hojas: Mapping[str, str]) -> Path:
    """Sheets with these codeNames and no document module: what an earlier xl-metas saved
    (openpyxl writes the codeName, not the module)."""
    wb = openpyxl.load_workbook(ruta, keep_vba=True)
    for nombre, codigo in hojas.items():
        ws = wb.create_sheet(nombre)
        ws["A1"] = nombre
        ws.sheet_properties.codeName = codigo
    wb.save(ruta)
    return ruta


def vba_de(ruta: Path) -> bytes:
    with zipfile.ZipFile(ruta) as z:
        return z.read(VBA_PART)


def con_vba(ruta: Path, vba: bytes) -> Path:
    """The workbook with another ``vbaProject.bin``, every other part as it was."""
    with zipfile.ZipFile(ruta) as z:
        partes = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(ruta, "w") as z:
        for info, datos in partes:
            z.writestr(info, vba if info.filename == VBA_PART else datos, info.compress_type)
    return ruta


# -- compound file and dir stream, by hand ---------------------------------------------------
def flujos(vba: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(every stream, every storage's CLSID as stored) of a compound file."""
    ole = olefile.OleFileIO(io.BytesIO(vba))
    try:
        streams = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
        clsids = {
            "/".join(p): uuid.UUID(ole.getclsid(p)).bytes_le
            for p in ole.listdir(streams=False, storages=True)
            if ole.getclsid(p)
        }
        return streams, clsids
    finally:
        ole.close()


def registros(dir_stream: bytes) -> list[tuple[int, bytes]]:
    """(id, whole record bytes) of a decompressed dir stream."""
    out, pos = [], 0
    while pos < len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        size = 6 if rid == 0x0009 else size
        out.append((rid, dir_stream[pos : pos + 6 + size]))
        pos += 6 + size
    return out


def _rec(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _texto(rid: int, uid: int, texto: str) -> bytes:
    return _rec(rid, texto.encode("cp1252")) + _rec(uid, texto.encode("utf-16-le"))


def dir_de(vba: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(flujos(vba)[0]["VBA/dir"])))


def referencias(vba: bytes) -> list[bytes]:
    """The reference records of a project's dir stream, as stored, in order."""
    recs = registros(dir_de(vba))
    inicio = next(i for i, (rid, _) in enumerate(recs) if rid == 0x003C) + 1
    fin = next(i for i, (rid, _) in enumerate(recs) if rid == 0x000F)
    return [r for _, r in recs[inicio:fin]]


def proyecto_como_excel(vba: bytes) -> bytes:
    """``vba`` (one of ours) as if Excel had saved it after someone worked on it: a UserForm
    (designer module and its storage with the Forms CLSID), the MSForms reference Excel adds
    with it and Microsoft Scripting Runtime, and password protection (the ID, CMG, DPB and
    GC of xlwings' protected add-in)."""
    streams, clsids = flujos(vba)
    recs = registros(bytes(decompress_stream(bytearray(streams["VBA/dir"]))))
    # MSForms as Excel stored it: REFERENCENAME, REFERENCEORIGINAL, REFERENCECONTROL (with
    # its extended name and 0x0030 part): the first seven records.
    msforms = referencias(vba_de(QUICKSTART_EXCEL))[:7]
    extra = b"".join(msforms) + _texto(0x16, 0x3E, "Scripting")
    libid = SCRIPTING.encode("cp1252")
    extra += _rec(0x0D, struct.pack("<I", len(libid)) + libid + b"\x00" * 6)
    modulo = (
        _texto(0x19, 0x47, "UserForm1")
        + _texto(0x1A, 0x32, "UserForm1")
        + _texto(0x1C, 0x48, "")
        + _rec(0x31, struct.pack("<I", 0))
        + _rec(0x1E, struct.pack("<I", 0))
        + _rec(0x2C, struct.pack("<H", 0xFFFF))
        + _rec(0x22, b"")
        + _rec(0x2B, b"")
    )
    salida = b""
    for rid, crudo in recs:
        if rid == 0x000F:
            salida += extra
            (n,) = struct.unpack_from("<H", crudo, 6)
            crudo = _rec(0x0F, struct.pack("<H", n + 1))
        if rid == 0x0010:
            salida += modulo
        salida += crudo
    streams["VBA/dir"] = ovba.compress(salida)
    fuente = "\r\n".join(
        [
            'Attribute VB_Name = "UserForm1"',
            f'Attribute VB_Base = "0{{{FORMS_CLSID}}}{{6A1F1F4E-2011-4E5B-9C3A-5A4D45544153}}"',
            "Attribute VB_GlobalNameSpace = False",
            "Attribute VB_Creatable = False",
            "Attribute VB_PredeclaredId = True",
            "Attribute VB_Exposed = False",
            "Attribute VB_TemplateDerived = False",
            "Attribute VB_Customizable = False",
            "Private Sub UserForm_Click()",
            '    Me.Caption = "Año"',
            "End Sub",
            "",
        ]
    )
    streams["VBA/UserForm1"] = ovba.compress(fuente.encode("cp1252"))
    streams["UserForm1/\x01CompObj"] = b"\x01\x00\xfe\xff\x03\x0a\x00\x00" + b"\xff" * 4
    streams["UserForm1/\x03VBFrame"] = (
        f"VERSION 5.00\r\nBegin {{{FORMS_CLSID}}} UserForm1 \r\n"
        '   Caption         =   "UserForm1"\r\nEnd\r\n'
    ).encode("cp1252")
    streams["UserForm1/f"] = bytes(range(64))
    streams["UserForm1/o"] = b""
    clsids["UserForm1"] = uuid.UUID(FORMS_CLSID).bytes_le
    protegido = {
        linea.split(b"=", 1)[0]: linea
        for linea in flujos(vba_de(ADDIN))[0]["PROJECT"].split(b"\r\n")
        if linea[:3] in (b"ID=", b"CMG", b"DPB", b"GC=")
    }
    lineas = []
    for linea in streams["PROJECT"].split(b"\r\n"):
        clave = linea.split(b"=", 1)[0]
        if clave in protegido:
            linea = protegido[clave]
        if linea.startswith(b"Name="):
            lineas += [b"Package={AC9F2F90-E877-11CE-9F68-00AA00574A4F}", b"BaseClass=UserForm1"]
        lineas.append(linea)
        if linea == b"[Workspace]":
            lineas.append(b"UserForm1=0, 0, 0, 0, C, 44, 44, 871, 1229, C")
    streams["PROJECT"] = b"\r\n".join(lineas)
    wm = streams["PROJECTwm"]
    streams["PROJECTwm"] = (
        wm[:-2] + b"UserForm1\x00" + "UserForm1".encode("utf-16-le") + b"\x00" * 4
    )
    return cfb.write_cfb(streams, clsids)


def sin_referencia(vba: bytes, nombre: str) -> bytes:
    """``vba`` without the reference called ``nombre`` (its REFERENCENAME and the record
    after it, as the editor's Herramientas → Referencias would leave it)."""
    streams, clsids = flujos(vba)
    recs = registros(bytes(decompress_stream(bytearray(streams["VBA/dir"]))))
    salida, saltar = b"", 0
    for rid, crudo in recs:
        if rid == 0x16 and crudo[6:] == nombre.encode("cp1252"):
            saltar = 3  # REFERENCENAME, its Unicode twin, the reference record
        if saltar:
            saltar -= 1
            continue
        salida += crudo
    streams["VBA/dir"] = ovba.compress(salida)
    return cfb.write_cfb(streams, clsids)


def con_pagina_de_codigos(vba: bytes, pagina: int) -> bytes:
    """``vba`` declaring another code page in PROJECTCODEPAGE (its names are ASCII)."""
    streams, clsids = flujos(vba)
    recs = registros(bytes(decompress_stream(bytearray(streams["VBA/dir"]))))
    salida = b"".join(
        _rec(0x03, struct.pack("<H", pagina)) if rid == 0x03 else crudo for rid, crudo in recs
    )
    streams["VBA/dir"] = ovba.compress(salida)
    return cfb.write_cfb(streams, clsids)
