"""Build a source-only `vbaProject.bin` (MS-OVBA §2.3) from module texts, and read one back.

The project holds source only: `_VBA_PROJECT` is `CC 61 FF FF 00 01 00` (version
0xFFFF, no performance cache), every module's text offset is 0 and there are no
`__SRP_*` streams, so Excel recompiles the project from source when it opens it
(MS-OVBA §2.3.4.1). xlwings' own `quickstart_standalone.xlsm` is stored the same way.
Hand-written: no maintained library writes VBA projects.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from xl_metas.vba import cfb, ovba
from xl_metas.vba.nombres import RESERVADAS

ModuleKind = Literal["standard", "document", "class"]

CODEPAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409
PROJECT_NAME = "VBAProject"
# A fixed project ID keeps the build reproducible; any GUID is valid here.
PROJECT_ID = "{6D9B1A54-2011-4C6E-9A3B-4D45544153E7}"
VBA_PROJECT_SOURCE_ONLY = bytes.fromhex("CC61FFFF000100")

# VB_Base of document modules: Excel's Workbook and Worksheet coclasses.
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

_REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        r"C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)
# Decrypted values of the PROJECT stream's CMG, DPB and GC fields (MS-OVBA §2.3.1.15-17).
_NO_PROTECTION = b"\x00\x00\x00\x00"
_NO_PASSWORD = b"\x00"
_VISIBLE = b"\xff"
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")
_ATTRIBUTE = re.compile(r"^Attribute\s+(\w+)\s*=\s*(.*)$")


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind and source text exactly as stored (CRLF lines)."""

    name: str
    kind: ModuleKind
    source: str


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _check_identifier(name: str) -> None:
    if not _IDENTIFIER.match(name) or name.casefold() in RESERVADAS:
        raise ValueError(f"invalid VBA module name: {name!r}")


def standard_module(name: str, bas_text: str) -> Module:
    """A standard module from .bas text; adds `Attribute VB_Name` when it is missing."""
    _check_identifier(name)
    text = crlf(bas_text).lstrip("\ufeff")
    first = text.split("\r\n", 1)[0]
    match = _ATTRIBUTE.match(first)
    if match and match.group(1) == "VB_Name":
        text = text.split("\r\n", 1)[1] if "\r\n" in text else ""
    return Module(name, "standard", f'Attribute VB_Name = "{name}"\r\n{text}')


def document_module(name: str, base: str, code: str = "") -> Module:
    """A document module (ThisWorkbook or a sheet's codeName) with optional code."""
    _check_identifier(name)
    header = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "\r\n".join(header) + "\r\n" + crlf(code))


def class_module(cls_text: str) -> Module:
    """A class module from an exported .cls file, stored the way the VBE stores it.

    The export's `VERSION 1.0 CLASS` / `BEGIN … END` header is not part of the stored
    source; the VBE adds `VB_Base`, `VB_TemplateDerived` and `VB_Customizable`.
    """
    lines = crlf(cls_text).lstrip("\ufeff").split("\r\n")
    if lines and lines[0].startswith("VERSION "):
        end = next((i for i, line in enumerate(lines) if line.strip() == "END"), None)
        if end is None:
            raise ValueError("class module header has no END line")
        lines = lines[end + 1 :]
    n_attr = 0
    while n_attr < len(lines) and _ATTRIBUTE.match(lines[n_attr]):
        n_attr += 1
    attrs = lines[:n_attr]
    keys = [_ATTRIBUTE.match(a).group(1) for a in attrs]  # type: ignore[union-attr]
    if not keys or keys[0] != "VB_Name":
        raise ValueError("class module has no Attribute VB_Name line")
    name = _ATTRIBUTE.match(attrs[0]).group(2).strip('"')  # type: ignore[union-attr]
    _check_identifier(name)
    if "VB_Base" not in keys:
        attrs.insert(1, f'Attribute VB_Base = "{CLASS_BASE}"')
    if "VB_TemplateDerived" not in keys and "VB_Exposed" in keys:
        at = next(i for i, a in enumerate(attrs) if _ATTRIBUTE.match(a).group(1) == "VB_Exposed")  # type: ignore[union-attr]
        attrs[at + 1 : at + 1] = [
            "Attribute VB_TemplateDerived = False",
            "Attribute VB_Customizable = False",
        ]
    return Module(name, "class", "\r\n".join(attrs + lines[n_attr:]))


# --- dir stream (MS-OVBA §2.3.4.2) -------------------------------------------------


def _rec(rec_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rec_id, len(payload)) + payload


def _text_rec(rec_id: int, unicode_id: int, text: str, encoding: str = ENCODING) -> bytes:
    return _rec(rec_id, text.encode(encoding)) + _rec(unicode_id, text.encode("utf-16-le"))


def module_records(name: str, kind: ModuleKind, encoding: str = ENCODING) -> bytes:
    """The dir records of one module (MS-OVBA §2.3.4.2.3.2), its source at offset 0."""
    out = _text_rec(0x19, 0x47, name, encoding)
    out += _text_rec(0x1A, 0x32, name, encoding)  # stream name = module name
    out += _text_rec(0x1C, 0x48, "", encoding)  # docstring
    out += _rec(0x31, struct.pack("<I", 0))  # text offset: source only
    out += _rec(0x1E, struct.pack("<I", 0))  # help context
    out += _rec(0x2C, struct.pack("<H", 0xFFFF))  # cookie
    out += _rec(0x21 if kind == "standard" else 0x22, b"")
    return out + _rec(0x2B, b"")


def project_line(module: Module) -> str:
    """The PROJECT stream line that declares ``module`` (MS-OVBA §2.3.1.3)."""
    if module.kind == "document":
        return f"Document={module.name}/&H00000000"
    return f"Module={module.name}" if module.kind == "standard" else f"Class={module.name}"


def _dir_stream(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    out += _rec(0x01, struct.pack("<I", 3))  # SysKind: 64-bit Windows, as Excel 365 writes
    out += _rec(0x02, struct.pack("<I", LCID))
    out += _rec(0x14, struct.pack("<I", LCID))
    out += _rec(0x03, struct.pack("<H", CODEPAGE))
    out += _rec(0x04, PROJECT_NAME.encode(ENCODING))
    out += _text_rec(0x05, 0x40, "")  # docstring
    out += _text_rec(0x06, 0x3D, "")  # help file
    out += _rec(0x07, struct.pack("<I", 0))  # help context
    out += _rec(0x08, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x09, 4, 1, 0)  # version 1.0 (Reserved=4, not a size)
    out += _text_rec(0x0C, 0x3C, "")  # constants
    for ref_name, libid in _REFERENCES:
        out += _text_rec(0x16, 0x3E, ref_name)
        raw = libid.encode(ENCODING)
        out += _rec(0x0D, struct.pack("<I", len(raw)) + raw + struct.pack("<IH", 0, 0))
    out += _rec(0x0F, struct.pack("<H", len(modules)))
    out += _rec(0x13, struct.pack("<H", 0xFFFF))
    for module in modules:
        out += module_records(module.name, module.kind)
    out += _rec(0x10, b"")
    return bytes(out)


# --- PROJECT and PROJECTwm streams (MS-OVBA §2.3.1, §2.3.3) --------------------------


def _project_stream(modules: Sequence[Module], project_id: str) -> bytes:
    key = sum(project_id.encode(ENCODING)) & 0xFF

    def enc(data: bytes, seed: int) -> str:
        return ovba.encrypt(data, key, seed).hex().upper()

    lines = [f'ID="{project_id}"']
    lines += [project_line(module) for module in modules]
    lines += [
        f'Name="{PROJECT_NAME}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{enc(_NO_PROTECTION, 0x8D)}"',
        f'DPB="{enc(_NO_PASSWORD, 0x8F)}"',
        f'GC="{enc(_VISIBLE, 0x91)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def _projectwm_stream(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(ENCODING) + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def build_project(modules: Iterable[Module], project_id: str = PROJECT_ID) -> bytes:
    """Return the bytes of a source-only `vbaProject.bin` holding `modules` in order.

    Same input, same bytes: every field that Office would randomise is fixed here.
    """
    mods = list(modules)
    seen: set[str] = set()
    for module in mods:
        _check_identifier(module.name)
        if module.name.upper() in seen:
            raise ValueError(f"duplicate VBA module name: {module.name!r}")
        seen.add(module.name.upper())
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(mods, project_id),
        "PROJECTwm": _projectwm_stream(mods),
        "VBA/_VBA_PROJECT": VBA_PROJECT_SOURCE_ONLY,
        "VBA/dir": ovba.compress(_dir_stream(mods)),
    }
    for module in mods:
        streams[f"VBA/{module.name}"] = ovba.compress(crlf(module.source).encode(ENCODING))
    return cfb.write_cfb(streams)


# --- reading ------------------------------------------------------------------------


def read_modules(bin_bytes: bytes) -> list[Module]:
    """Read the modules of any `vbaProject.bin` (ours or Office's) with oletools.

    The kind comes from the PROJECT stream (`Document=`, `Module=`, `Class=` lines).
    """
    import olefile
    from oletools.olevba import VBA_Parser

    ole = olefile.OleFileIO(bin_bytes)
    try:
        project_text = ole.openstream("PROJECT").read().decode(ENCODING, "replace")
    finally:
        ole.close()
    kinds: dict[str, ModuleKind] = {}
    for line in project_text.splitlines():
        key, _, value = line.partition("=")
        name = value.split("/")[0].strip()
        if key == "Document":
            kinds[name.upper()] = "document"
        elif key == "Module":
            kinds[name.upper()] = "standard"
        elif key == "Class":
            kinds[name.upper()] = "class"
    parser = VBA_Parser("vbaProject.bin", data=bin_bytes)
    try:
        modules = []
        for _, stream_path, _, code in parser.extract_macros():
            name = stream_path.split("/")[-1]
            if name.upper() in kinds:
                modules.append(Module(name, kinds[name.upper()], code))
        return modules
    finally:
        parser.close()
