"""MS-OVBA codecs: §2.4.1 compression/decompression and §2.4.3 data encryption.

Hand-written: the PyPI packages for this get the copy-token length wrong
(DESIGN.md); oletools only decompresses, and nothing on PyPI encrypts.
"""

from __future__ import annotations

import struct

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_MIN_MATCH = 3


def _copy_token_help(chunk_offset: int) -> tuple[int, int, int]:
    """Return (bit_count, length_mask, maximum_length) for a copy token (§2.4.1.3.19.1).

    `chunk_offset` is the distance of the current position from the start of its
    decompressed chunk; it decides how many of the token's 16 bits hold the offset.
    """
    bit_count = max((chunk_offset - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    # The length formula ms_ovba_compression 1.0.1 gets wrong: (0xFFFF >> bit_count) + 3.
    return bit_count, length_mask, length_mask + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Compress data[start:end] (one decompressed chunk, at most 4096 bytes).

    Greedy longest match, nearest candidate on ties, as §2.4.1.3.19.4 describes;
    candidates come from a 3-byte hash chain instead of a linear scan.
    """
    out = bytearray()
    chains: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len = 0
            best_cand = 0
            if pos + _MIN_MATCH <= end:
                _, _, max_len = _copy_token_help(pos - start)
                limit = min(end - pos, max_len)
                for cand in reversed(chains.get(data[pos : pos + _MIN_MATCH], ())):
                    n = _MIN_MATCH
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_cand = n, cand
                        if n == limit:
                            break
            if best_len >= _MIN_MATCH:
                bit_count, _, _ = _copy_token_help(pos - start)
                token = ((pos - best_cand - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + _MIN_MATCH <= end:
                    chains.setdefault(data[p : p + _MIN_MATCH], []).append(p)
            pos += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress `data` into an MS-OVBA CompressedContainer (§2.4.1.3.6).

    A chunk whose compressed form would exceed 4096 bytes is stored raw. The spec pads
    a short final raw chunk with zeros, which would change the decompressed bytes; we
    store it unpadded, as oletools and LibreOffice read it (it only happens for
    near-random data, never for VBA source text).
    """
    data = bytes(data)
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        end = min(start + CHUNK_SIZE, len(data))
        body = _compress_chunk(data, start, end)
        if len(body) <= CHUNK_SIZE:
            header = 0xB000 | (len(body) + 2 - 3)
        else:
            body = data[start:end]
            header = 0x3000 | (CHUNK_SIZE + 2 - 3)
        out += struct.pack("<H", header) + body
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (§2.4.1.3.1)."""
    if not container or container[0] != _SIGNATURE:
        raise ValueError("invalid MS-OVBA signature byte")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise ValueError("truncated MS-OVBA chunk header")
        (header,) = struct.unpack_from("<H", container, pos)
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError("invalid MS-OVBA chunk signature")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + CHUNK_SIZE]
            pos = min(pos + CHUNK_SIZE, len(container))
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bit_count, length_mask, _ = _copy_token_help(len(out) - chunk_start)
                offset = (token >> (16 - bit_count)) + 1
                length = (token & length_mask) + 3
                src = len(out) - offset
                if src < chunk_start:
                    raise ValueError("MS-OVBA copy token points before its chunk")
                for i in range(length):
                    out.append(out[src + i])
    return bytes(out)


def encrypt(data: bytes, project_key: int, seed: int, ignored_fill: int = 0x07) -> bytes:
    """Encrypt `data` per MS-OVBA §2.4.3.2 (the CMG/DPB/GC fields of the PROJECT stream).

    `project_key` is the byte sum of the project's ID string; `seed` is normally
    random, and we pass a fixed one so the output is reproducible.
    """
    version = 2
    seed &= 0xFF
    out = bytearray([seed, seed ^ version, seed ^ (project_key & 0xFF)])
    unencrypted_1 = project_key & 0xFF
    encrypted_1 = out[2]
    encrypted_2 = out[1]

    def push(byte: int) -> None:
        nonlocal unencrypted_1, encrypted_1, encrypted_2
        enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, enc, byte

    for _ in range((seed & 6) // 2):
        push(ignored_fill)
    for byte in struct.pack("<I", len(data)) + bytes(data):
        push(byte)
    return bytes(out)


def decrypt(blob: bytes) -> tuple[int, bytes]:
    """Decrypt MS-OVBA §2.4.3.3 data; return (project_key, data)."""
    if len(blob) < 3:
        raise ValueError("encrypted MS-OVBA data too short")
    seed = blob[0]
    if blob[1] ^ seed != 2:
        raise ValueError("unsupported MS-OVBA encryption version")
    project_key = blob[2] ^ seed
    unencrypted_1 = project_key
    encrypted_1 = blob[2]
    encrypted_2 = blob[1]
    plain = bytearray()
    for enc in blob[3:]:
        byte = enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, enc, byte
    ignored = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", plain, ignored)
    data = bytes(plain[ignored + 4 :])
    if len(data) != length:
        raise ValueError("encrypted MS-OVBA data has the wrong length")
    return project_key, data
