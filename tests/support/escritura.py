"""Acting like what happens around a save: Excel holding a workbook open (its owner file),
and the temporaries a save leaves behind when it is killed."""

from __future__ import annotations

from pathlib import Path

OWNER_FILE_SIZE = 165  # Excel's (and PowerPoint's) owner files are always this long


def archivo_dueno(libro: Path, persona: str) -> Path:
    """Excel's owner file ``~$<name>`` beside ``libro``, laid out as Excel writes it.

    Byte 0: the name's length (at most 52); then the name in the Windows code page, padded
    with spaces up to byte 55; there the length again (2 bytes, little-endian) and the
    name in UTF-16-LE; then space/NUL pairs up to 165 bytes (the layout LibreOffice also
    reads and writes for MS Office interoperability).
    """
    persona = persona[:52]
    datos = bytes([len(persona)]) + persona.encode("cp1252", "replace")
    datos = datos.ljust(55, b" ")
    datos += len(persona).to_bytes(2, "little") + persona.encode("utf-16-le")
    while len(datos) < OWNER_FILE_SIZE:
        datos += b" \x00"
    ruta = libro.with_name("~$" + libro.name)
    ruta.write_bytes(datos[:OWNER_FILE_SIZE])
    return ruta


def ocultos(carpeta: Path) -> list[str]:
    """Hidden files a save may leave beside a workbook (temporaries, lock files)."""
    return sorted(p.name for p in carpeta.iterdir() if p.name.startswith("."))
