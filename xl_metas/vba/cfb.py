"""A minimal, deterministic compound-file (MS-CFB) writer, version 3 (512-byte sectors).

Hand-written: olefile only reads (and overwrites same-size streams); ms_cfb puts a
stream of exactly 4096 bytes in the mini stream, which MS-CFB §2.5 forbids.

Layout, always in this order: directory, mini FAT, mini stream, normal streams, FAT,
DIFAT. Timestamps are zero and CLSIDs zero unless given, so equal input gives equal bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
DIFSECT = 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF
_IDS_PER_SECTOR = SECTOR // 4
_DIR_ENTRY = 128
_HEADER_DIFAT = 109
_MAX_NAME = 31

_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    start: int = ENDOFCHAIN
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    clsid: bytes = b"\x00" * 16


def _sort_key(name: str) -> tuple[int, str]:
    """MS-CFB §2.6.4 order: shorter names first, then by uppercase code points."""
    return len(name), name.upper()


def _check_name(name: str) -> None:
    if not name or len(name) > _MAX_NAME or any(c in name for c in "/\\:!"):
        raise ValueError(f"invalid compound-file entry name: {name!r}")


def _storage(root: _Node, path: str) -> _Node:
    """The storage at ``path`` ("" is the root), created with its parents when missing."""
    node = root
    for part in path.split("/") if path else []:
        _check_name(part)
        node = node.children.setdefault(part.upper(), _Node(part, _STORAGE))
        if node.kind != _STORAGE:
            raise ValueError(f"{path!r}: {part!r} is a stream, not a storage")
    return node


def _build_tree(streams: Mapping[str, bytes], clsids: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", _ROOT)
    for path, data in streams.items():
        folder, _, name = path.rpartition("/")
        node = _storage(root, folder)
        _check_name(name)
        if name.upper() in node.children:
            raise ValueError(f"duplicate compound-file entry: {path!r}")
        node.children[name.upper()] = _Node(name, _STREAM, bytes(data))
    for path, clsid in clsids.items():
        if len(clsid) != 16:
            raise ValueError(f"{path!r}: a CLSID has 16 bytes")
        _storage(root, path).clsid = bytes(clsid)
    return root


def _number(root: _Node) -> list[_Node]:
    """Give every entry a stream id (pre-order, siblings sorted) and link the trees."""
    order: list[_Node] = []

    def visit(node: _Node) -> None:
        node.sid = len(order)
        order.append(node)
        kids = sorted(node.children.values(), key=lambda n: _sort_key(n.name))
        for kid in kids:
            visit(kid)
        node.child = _link_balanced(kids)

    visit(root)
    return order


def _link_balanced(kids: list[_Node]) -> int:
    """Link sorted siblings as a balanced binary search tree; return the root's id.

    All nodes are black: readers only need the ordering (MS-CFB §2.6.4 allows it).
    """
    if not kids:
        return NOSTREAM
    mid = len(kids) // 2
    node = kids[mid]
    node.left = _link_balanced(kids[:mid])
    node.right = _link_balanced(kids[mid + 1 :])
    return node.sid


def _sectors(n_bytes: int, size: int) -> int:
    return -(-n_bytes // size)


def _dir_entry(node: _Node, start: int, size: int) -> bytes:
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name),
        node.kind,
        _BLACK,
        node.left,
        node.right,
        node.child,
        node.clsid,
        0,
        0,
        0,
        start,
        size,
    )


_EMPTY_ENTRY = struct.pack(
    "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0
)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def write_cfb(streams: Mapping[str, bytes], clsids: Mapping[str, bytes] | None = None) -> bytes:
    """Return a compound file holding `streams`, keyed by "/"-separated paths.

    Storages are created from the paths ("VBA/dir" makes storage "VBA"). Streams under
    4096 bytes go to the mini stream; 4096 bytes and larger go to the normal FAT.
    `clsids` gives storages ("" is the root) their CLSID (16 bytes, as stored); a storage
    named there and by no stream is written empty. A designer's storage needs its CLSID.
    """
    root = _build_tree(streams, clsids or {})
    nodes = _number(root)
    small = [n for n in nodes if n.kind == _STREAM and 0 < len(n.data) < MINI_CUTOFF]
    big = [n for n in nodes if n.kind == _STREAM and len(n.data) >= MINI_CUTOFF]

    # Mini stream and its FAT.
    mini = bytearray()
    minifat: list[int] = []
    for node in small:
        count = _sectors(len(node.data), MINI_SECTOR)
        node.start = len(minifat)
        minifat.extend([0] * count)
        _chain(minifat, node.start, count)
        mini += node.data.ljust(count * MINI_SECTOR, b"\x00")

    n_dir = _sectors(len(nodes) * _DIR_ENTRY, SECTOR)
    n_minifat = _sectors(len(minifat) * 4, SECTOR)
    n_mini = _sectors(len(mini), SECTOR)
    n_data = n_dir + n_minifat + n_mini + sum(_sectors(len(n.data), SECTOR) for n in big)

    # The FAT must also map its own sectors and the DIFAT's: grow until stable.
    n_fat = n_difat = 0
    while True:
        need_fat = _sectors(n_data + n_fat + n_difat, _IDS_PER_SECTOR)
        need_difat = _sectors(max(need_fat - _HEADER_DIFAT, 0), _IDS_PER_SECTOR - 1)
        if (need_fat, need_difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = need_fat, need_difat

    fat = [FREESECT] * (n_fat * _IDS_PER_SECTOR)
    body = bytearray()
    next_sector = 0

    def place(payload: bytes, count: int) -> int:
        nonlocal next_sector
        if count == 0:
            return ENDOFCHAIN
        first = next_sector
        _chain(fat, first, count)
        body.extend(payload.ljust(count * SECTOR, b"\x00"))
        next_sector += count
        return first

    # Directory bytes are written last (they need the start sectors); reserve them.
    dir_first = next_sector
    _chain(fat, dir_first, n_dir)
    body.extend(b"\x00" * (n_dir * SECTOR))
    next_sector += n_dir

    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_bytes = minifat_bytes.ljust(n_minifat * SECTOR, b"\xff")
    minifat_first = place(minifat_bytes, n_minifat)
    mini_first = place(bytes(mini), n_mini)
    for node in big:
        node.start = place(node.data, _sectors(len(node.data), SECTOR))

    fat_first = next_sector
    for i in range(n_fat):
        fat[fat_first + i] = FATSECT
    difat_first = fat_first + n_fat
    for i in range(n_difat):
        fat[difat_first + i] = DIFSECT
    fat_ids = list(range(fat_first, fat_first + n_fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    body.extend(fat_bytes)

    # DIFAT: 109 FAT sector ids in the header, the rest in chained DIFAT sectors.
    extra = fat_ids[_HEADER_DIFAT:]
    for i in range(n_difat):
        ids = extra[i * (_IDS_PER_SECTOR - 1) : (i + 1) * (_IDS_PER_SECTOR - 1)]
        ids += [FREESECT] * (_IDS_PER_SECTOR - 1 - len(ids))
        nxt = difat_first + i + 1 if i < n_difat - 1 else ENDOFCHAIN
        body.extend(struct.pack(f"<{_IDS_PER_SECTOR}I", *ids, nxt))

    # Directory.
    entries = bytearray()
    for node in nodes:
        if node.kind == _ROOT:
            entries += _dir_entry(node, mini_first if mini else ENDOFCHAIN, len(mini))
        elif node.kind == _STORAGE:
            entries += _dir_entry(node, 0, 0)
        else:
            start = node.start if node.data else ENDOFCHAIN
            entries += _dir_entry(node, start, len(node.data))
    while len(entries) < n_dir * SECTOR:
        entries += _EMPTY_ENTRY
    body[dir_first * SECTOR : (dir_first + n_dir) * SECTOR] = entries

    header_difat = fat_ids[:_HEADER_DIFAT] + [FREESECT] * (_HEADER_DIFAT - len(fat_ids[:109]))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,  # number of directory sectors: must be 0 in version 3
        n_fat,
        dir_first,
        0,
        MINI_CUTOFF,
        minifat_first,
        n_minifat,
        difat_first if n_difat else ENDOFCHAIN,
        n_difat,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *header_difat)
    return header + bytes(body)
