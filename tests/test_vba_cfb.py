"""Compound-file writer: olefile reads back every stream byte for byte."""

import io
import os
import struct
import uuid

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_metas.vba import cfb

SIZES = [0, 1, 63, 64, 65, 4095, 4096, 4097, 200_000]


def open_strict(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def test_every_size_reads_back() -> None:
    streams = {f"VBA/s{n}": os.urandom(n) for n in SIZES}
    streams["PROJECT"] = b"ID=x\r\n"
    ole = open_strict(cfb.write_cfb(streams))
    for path, data in streams.items():
        assert ole.get_size(path) == len(data)
        assert ole.openstream(path).read() == data


def test_stream_of_4096_bytes_uses_the_normal_fat() -> None:
    """MS-CFB: the mini stream holds streams *smaller* than the 4096-byte cutoff only."""
    raw = cfb.write_cfb({"a": b"x" * 4095, "b": b"y" * 4096})
    ole = open_strict(raw)
    entries = {e.name: e for e in ole.direntries if e is not None}
    root_mini_size = entries["Root Entry"].size
    assert root_mini_size == 4096  # 4095 bytes rounded to 64-byte mini sectors
    start = entries["b"].isectStart
    offset = (start + 1) * cfb.SECTOR
    assert raw[offset : offset + 4096] == b"y" * 4096


def test_sizes_and_header() -> None:
    raw = cfb.write_cfb({"a": b"1"})
    assert raw[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert len(raw) % cfb.SECTOR == 0
    (major, sector_shift, mini_shift) = struct.unpack_from("<H2xHH", raw, 0x1A)
    assert (major, sector_shift, mini_shift) == (3, 9, 6)


def test_deterministic() -> None:
    streams = {"VBA/dir": b"abc", "VBA/x": os.urandom(5000), "PROJECT": b"p"}
    assert cfb.write_cfb(streams) == cfb.write_cfb(dict(reversed(streams.items())))


def test_directory_tree_is_ordered_and_black() -> None:
    names = ["PROJECT", "PROJECTwm", "_VBA_PROJECT", "dir", "ThisWorkbook", "Hoja1", "Metas"]
    streams = {f"VBA/{n}": n.encode() for n in names}
    ole = open_strict(cfb.write_cfb(streams))
    vba = next(e for e in ole.direntries if e is not None and e.name == "VBA")
    assert sorted(k.name for k in vba.kids) == sorted(names)
    for entry in ole.direntries:
        if entry is None:
            continue
        assert entry.color == 1
        for side, cmp in ((entry.sid_left, -1), (entry.sid_right, 1)):
            if side != cfb.NOSTREAM:
                other = ole.direntries[side]
                a = (len(other.name), other.name.upper())
                b = (len(entry.name), entry.name.upper())
                assert (a > b) - (a < b) == cmp


def test_large_file_needs_difat_sectors() -> None:
    """More than 109 FAT sectors (about 7 MB) spill into DIFAT sectors."""
    streams = {"big": os.urandom(7_500_000), "small": b"abc"}
    raw = cfb.write_cfb(streams)
    (n_difat,) = struct.unpack_from("<I", raw, 0x48)
    assert n_difat >= 1
    ole = open_strict(raw)
    for path, data in streams.items():
        assert ole.openstream(path).read() == data


@pytest.mark.parametrize("name", ["", "a/", "x" * 32, "a:b"])
def test_rejects_bad_names(name: str) -> None:
    with pytest.raises(ValueError):
        cfb.write_cfb({name: b""})


def test_rejects_duplicates_and_stream_as_storage() -> None:
    with pytest.raises(ValueError):
        cfb.write_cfb({"a": b"1", "A": b"2"})
    with pytest.raises(ValueError):
        cfb.write_cfb({"a": b"1", "a/b": b"2"})


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abcdefghXYZ_", min_size=1, max_size=8),
        st.one_of(st.binary(max_size=300), st.integers(0, 9000).map(lambda n: b"z" * n)),
        min_size=1,
        max_size=12,
    )
)
def test_random_trees_read_back(streams: dict[str, bytes]) -> None:
    unique = {}
    for name, data in streams.items():
        unique.setdefault(name.upper(), (f"S/{name}", data))
    paths = dict(unique.values())
    ole = open_strict(cfb.write_cfb(paths))
    for path, data in paths.items():
        assert ole.openstream(path).read() == data


def test_storages_keep_their_clsid_and_may_be_empty() -> None:
    """A UserForm's storage carries the Forms CLSID; an empty storage survives too."""
    form = uuid.UUID("C62A69F0-16DC-11CE-9E98-00AA00574A4F").bytes_le
    root = uuid.UUID("00020820-0000-0000-C000-000000000046").bytes_le
    streams = {"UserForm1/\x01CompObj": b"c", "UserForm1/f": b"f", "VBA/dir": b"d"}
    raw = cfb.write_cfb(streams, {"UserForm1": form, "": root, "Vacio": b"\x01" * 16})
    ole = open_strict(raw)
    assert ole.getclsid("UserForm1") == "C62A69F0-16DC-11CE-9E98-00AA00574A4F"
    assert ole.root.clsid == "00020820-0000-0000-C000-000000000046"
    assert ole.get_type("Vacio") == olefile.STGTY_STORAGE and ole.getclsid("VBA") == ""
    assert ole.openstream("UserForm1/\x01CompObj").read() == b"c"
    assert cfb.write_cfb(streams) == cfb.write_cfb(streams, {})


def test_a_clsid_has_sixteen_bytes() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        cfb.write_cfb({"a": b"x"}, {"": b"short"})
