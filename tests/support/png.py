"""Reading the PNG pages LibreOffice renders (pdftoppm output), to look at colours."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def read_png_rgb(path: Path) -> tuple[int, int, list[bytes]]:
    """Minimal PNG reader (8-bit RGB/RGBA, not interlaced, as pdftoppm writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(b for j in range(0, stride, bpp) for b in line[j : j + 3]))
        prev = line
    return width, height, rows


def bandas(path: Path, color: tuple[int, int, int], tolerancia: int = 6) -> int:
    """How many separate horizontal bands of a page hold pixels of ``color``."""
    _, _, rows = read_png_rgb(path)
    filas = []
    for y, row in enumerate(rows):
        for i in range(0, len(row), 3):
            if all(abs(row[i + k] - color[k]) <= tolerancia for k in range(3)):
                filas.append(y)
                break
    return sum(1 for a, b in zip([-2, *filas], filas, strict=False) if b - a > 1)
