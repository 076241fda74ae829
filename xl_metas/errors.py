"""Errors a user reads: Spanish, naming the file, the sheet and the cell."""

from __future__ import annotations


class XlMetasError(Exception):
    """Base for every error shown to a user as a message (never as a traceback)."""

    exit_code = 2

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


class LecturaError(XlMetasError):
    """The input cannot be read: not a workbook, corrupt, a sheet or a column missing."""


class EscrituraError(XlMetasError):
    """The workbook cannot be saved (open in Excel, read-only folder…)."""
