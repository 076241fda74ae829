"""MS-OVBA codecs: oletools' decompressor must invert our compressor."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from xl_metas.vba import ovba

EDGES = [0, 1, 2, 3, 4, 4094, 4095, 4096, 4097, 4098, 8191, 8192, 8193, 12288]


def roundtrip(data: bytes) -> bytes:
    packed = ovba.compress(data)
    assert ovba.decompress(packed) == data
    return bytes(decompress_stream(bytearray(packed)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=10_000))
def test_oletools_inverts_compress_random(data: bytes) -> None:
    assert roundtrip(data) == data


@settings(max_examples=150, deadline=None)
@given(
    st.binary(min_size=1, max_size=12),
    st.integers(min_value=0, max_value=3000),
    st.sampled_from(EDGES),
    st.integers(min_value=-3, max_value=3),
)
def test_oletools_inverts_compress_repetitive(
    unit: bytes, repeats: int, edge: int, delta: int
) -> None:
    """Highly repetitive data cut at lengths around the 4096-byte chunk edges."""
    length = max(edge + delta, 0)
    data = (unit * (length // len(unit) + 1))[:length] if repeats % 2 else (unit * repeats)
    assert roundtrip(data) == data


@pytest.mark.parametrize("length", EDGES)
@pytest.mark.parametrize("kind", ["zeros", "text", "random"])
def test_chunk_edges(length: int, kind: str) -> None:
    if kind == "zeros":
        data = bytes(length)
    elif kind == "text":
        data = (b'    RunPython "import xl_metas.botones as b; b.recalcular()"\r\n' * 300)[:length]
    else:
        data = os.urandom(length)
    assert roundtrip(data) == data


def test_incompressible_chunks_are_stored_raw() -> None:
    data = os.urandom(4096 * 2 + 10)
    packed = ovba.compress(data)
    # a raw chunk: header 0x3FFF (flag 0, size 4098) then 4096 literal bytes
    assert packed[1:3] == b"\xff\x3f"
    assert packed[3 : 3 + 4096] == data[:4096]
    assert roundtrip(data) == data


def test_copy_token_length_for_long_runs() -> None:
    """The bug of ms_ovba_compression 1.0.1: maximum length must be (0xFFFF >> bits) + 3."""
    data = b"a" * 4096
    packed = ovba.compress(data)
    assert len(packed) < 40
    assert roundtrip(data) == data


def test_compresses_vba_source() -> None:
    import xlwings

    path = os.path.join(os.path.dirname(xlwings.__file__), "xlwings.bas")
    with open(path, "rb") as f:
        data = f.read()
    packed = ovba.compress(data)
    assert len(packed) < len(data) // 2
    assert roundtrip(data) == data


def test_decompress_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        ovba.decompress(b"\x02")
    with pytest.raises(ValueError):
        ovba.decompress(b"\x01\x00\x00")


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("8D8FA61394EA98EA98EA98EA98", b"\x00\x00\x00\x00"),
        ("8D8FA61394EF95EF95EF", b"\x00"),
        ("8D8FA61394EF95EF9510", b"\xff"),
    ],
)
def test_decrypt_quickstart_fields(field: str, data: bytes) -> None:
    """CMG/DPB/GC of xlwings' quickstart_standalone.xlsm (project key 0x2B)."""
    assert ovba.decrypt(bytes.fromhex(field)) == (0x2B, data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=64), st.integers(0, 255), st.integers(0, 255))
def test_encrypt_decrypt_roundtrip(data: bytes, key: int, seed: int) -> None:
    assert ovba.decrypt(ovba.encrypt(data, key, seed)) == (key, data)
