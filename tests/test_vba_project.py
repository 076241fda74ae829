"""vbaProject.bin writer: olevba and olefile read back exactly what we wrote."""

import io
import pathlib

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, decompress_stream

from xl_metas.vba import ovba
from xl_metas.vba.project import (
    CLASS_BASE,
    VBA_PROJECT_SOURCE_ONLY,
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    build_project,
    class_module,
    document_module,
    read_modules,
    standard_module,
)

XLWINGS_DIR = pathlib.Path(xlwings.__file__).parent
QUICKSTART = XLWINGS_DIR / "quickstart_standalone.xlsm"


def sample_modules() -> list[Module]:
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module("HojaInicio", WORKSHEET_BASE),
        document_module("HojaPlan", WORKSHEET_BASE, "Option Explicit\n"),
        standard_module(
            "Metas",
            'Sub Recalcular()\n    RunPython "import xl_metas.botones as b; b.recalcular()"\n'
            "End Sub\n' Configuración: año\n",
        ),
        standard_module("xlwings", (XLWINGS_DIR / "xlwings.bas").read_text("cp1252")),
        class_module((XLWINGS_DIR / "addin" / "Dictionary.cls").read_text("cp1252")),
    ]


@pytest.fixture(scope="module")
def project_bin() -> bytes:
    return build_project(sample_modules())


def test_olevba_reads_every_module_exactly(project_bin: bytes) -> None:
    expected = {m.name: m.source for m in sample_modules()}
    parser = VBA_Parser("vbaProject.bin", data=project_bin)
    got = {path.split("/")[-1]: code for _, path, _, code in parser.extract_macros()}
    assert got == expected


def test_read_modules_roundtrip(project_bin: bytes) -> None:
    assert read_modules(project_bin) == sample_modules()
    assert build_project(read_modules(project_bin)) == project_bin


def test_deterministic(project_bin: bytes) -> None:
    assert build_project(sample_modules()) == project_bin


def test_source_only_structure(project_bin: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(project_bin), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(p) for p in ole.listdir()}
    names = {m.name for m in sample_modules()}
    expected = {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{n}" for n in names}
    assert streams == expected  # no __SRP_* streams
    assert ole.openstream("VBA/_VBA_PROJECT").read() == VBA_PROJECT_SOURCE_ONLY
    for module in sample_modules():
        raw = ole.openstream(f"VBA/{module.name}").read()
        assert ovba.decompress(raw) == module.source.encode("cp1252")  # text offset 0


def test_project_stream(project_bin: bytes) -> None:
    ole = olefile.OleFileIO(io.BytesIO(project_bin))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    lines = text.split("\r\n")
    assert "Document=ThisWorkbook/&H00000000" in lines
    assert "Document=HojaPlan/&H00000000" in lines
    assert "Module=Metas" in lines and "Module=xlwings" in lines
    assert "Class=Dictionary" in lines
    fields = dict(line.split("=", 1) for line in lines if line[:3] in ("CMG", "DPB", "GC="))
    fields = {k: bytes.fromhex(v.strip('"')) for k, v in fields.items()}
    project_id = lines[0].split('"')[1]
    key = sum(project_id.encode()) & 0xFF
    assert ovba.decrypt(fields["CMG"]) == (key, b"\x00\x00\x00\x00")
    assert ovba.decrypt(fields["DPB"]) == (key, b"\x00")
    assert ovba.decrypt(fields["GC"]) == (key, b"\xff")
    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\x00T\x00h\x00") and wm.endswith(b"\x00\x00")


def test_dir_stream_matches_quickstart_layout(project_bin: bytes) -> None:
    """Same record sequence as xlwings' quickstart_standalone.xlsm (source-only VBA)."""

    def records(raw: bytes) -> list[int]:
        data = bytes(decompress_stream(bytearray(raw)))
        ids, pos = [], 0
        while pos < len(data):
            rec_id = int.from_bytes(data[pos : pos + 2], "little")
            size = 6 if rec_id == 0x09 else int.from_bytes(data[pos + 2 : pos + 6], "little")
            ids.append(rec_id)
            pos += 6 + size
        return ids

    import zipfile

    with zipfile.ZipFile(QUICKSTART) as z:
        theirs = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    ours = olefile.OleFileIO(io.BytesIO(project_bin))
    their_ids = records(theirs.openstream("VBA/dir").read())
    our_ids = records(ours.openstream("VBA/dir").read())
    assert our_ids[:13] == their_ids[:13]  # project information
    assert our_ids[-1] == their_ids[-1] == 0x10
    module_records = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]
    assert our_ids.count(0x2B) == len(sample_modules())
    start = our_ids.index(0x19)
    assert our_ids[start : start + 9] == their_ids[their_ids.index(0x19) :][:9] == module_records
    assert theirs.openstream("VBA/_VBA_PROJECT").read() == VBA_PROJECT_SOURCE_ONLY


def test_class_module_stored_like_the_vbe() -> None:
    """The attribute block of Dictionary equals the one the VBE stored in the quickstart."""
    import zipfile

    with zipfile.ZipFile(QUICKSTART) as z:
        stored = {m.name: m for m in read_modules(z.read("xl/vbaProject.bin"))}
    ours = class_module((XLWINGS_DIR / "addin" / "Dictionary.cls").read_text("cp1252"))
    n = 9
    assert ours.source.split("\r\n")[:n] == stored["Dictionary"].source.split("\r\n")[:n]
    assert f'Attribute VB_Base = "{CLASS_BASE}"' in ours.source
    assert (
        stored["Sheet1"].source.split("\r\n")[:8]
        == (document_module("Sheet1", WORKSHEET_BASE).source.split("\r\n")[:8])
    )
    assert stored["ThisWorkbook"].kind == "document" and stored["Module1"].kind == "standard"


def test_standard_module_keeps_a_single_vb_name() -> None:
    mod = standard_module("Metas", 'Attribute VB_Name = "Viejo"\r\nSub A()\r\nEnd Sub\r\n')
    assert mod.source == 'Attribute VB_Name = "Metas"\r\nSub A()\r\nEnd Sub\r\n'


@pytest.mark.parametrize("name", ["", "1abc", "con espacio", "Año", "x" * 32])
def test_rejects_bad_module_names(name: str) -> None:
    with pytest.raises(ValueError):
        standard_module(name, "")


def test_rejects_duplicate_modules() -> None:
    with pytest.raises(ValueError):
        build_project([standard_module("A", ""), standard_module("a", "")])
