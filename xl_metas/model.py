"""The plan as the institute writes it: metas grouped by programa, with a monthly calendar.

Every value keeps what was written (``raw``) next to what it means (``value``), and the
cell it came from, so a finding can point at the cell and nothing is corrected silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

# The institute's own month labels (its document writes AGT for August).
MESES: tuple[str, ...] = (
    "ENE",
    "FEB",
    "MAR",
    "ABR",
    "MAY",
    "JUN",
    "JUL",
    "AGT",
    "SEP",
    "OCT",
    "NOV",
    "DIC",
)
NOMBRES_MESES: tuple[str, ...] = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
TRIMESTRES: tuple[str, ...] = ("T1", "T2", "T3", "T4")


class Valor(NamedTuple):
    """One cell as read: what was written, and where (``celda`` is '' when not from a sheet).

    A NamedTuple rather than a dataclass: plans hold one per cell, and this is built fast."""

    raw: Any
    celda: str = ""

    @property
    def vacio(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())

    @property
    def texto(self) -> str:
        if self.vacio:
            return ""
        if isinstance(self.raw, float) and self.raw.is_integer():
            return str(int(self.raw))
        return str(self.raw).strip()

    @property
    def numero(self) -> float | None:
        """The value as a number, or None when blank or not a number."""
        return as_number(self.raw)


def numero_plano(value: float | None) -> int | float | None:
    """A number as a person writes it: 3, not 3.0 (None stays None)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def texto_numero(value: float | None) -> str:
    """A number inside a message or a table: «3», «1.5»; empty for none or NaN."""
    if value is None or value != value:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def as_number(raw: Any) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(",", "")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Meta:
    programa: Valor
    objetivo: Valor
    numero: Valor
    descripcion: Valor
    unidad: Valor
    anual: Valor
    meses: tuple[Valor, ...]
    fila: int = 0  # sheet row, 0 when not read from a sheet
    # True when the objetivo cell was blank and inherited from the row above.
    objetivo_heredado: bool = False

    @property
    def clave(self) -> str:
        """The meta number as the users say it ("7")."""
        return self.numero.texto

    def calendario(self) -> list[float]:
        return [m.numero or 0.0 for m in self.meses]


@dataclass(frozen=True)
class Plan:
    metas: tuple[Meta, ...]
    anio: int | None = None
    institucion: str = ""
    hoja: str = "Plan"

    def programas(self) -> list[str]:
        """Programa names in plan order (first spelling seen)."""
        seen: dict[str, None] = {}
        for meta in self.metas:
            seen.setdefault(meta.programa.texto, None)
        return list(seen)


class Severidad(StrEnum):
    ERROR = "error"
    ADVERTENCIA = "advertencia"
    INFO = "info"


@dataclass(frozen=True)
class Hallazgo:
    """A validation finding: where, what, and what to fix, in Spanish."""

    regla: str
    severidad: Severidad
    hoja: str
    celda: str
    meta: str
    mensaje: str

    def as_json(self) -> dict[str, str]:
        return {
            "regla": self.regla,
            "severidad": str(self.severidad),
            "hoja": self.hoja,
            "celda": self.celda,
            "meta": self.meta,
            "mensaje": self.mensaje,
        }
