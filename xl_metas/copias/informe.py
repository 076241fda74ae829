"""What a consolidation found, per returned copy: cells updated, conflicts, proposals to
the Plan, rows not applied, rejections."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..avance import Avance
from ..model import Plan, as_number
from .sello import JUSTIFICACION, Sello


def _etiqueta(campo: str) -> str:
    return JUSTIFICACION if campo == "justificacion" else campo


# -- reading a returned copy ---
@dataclass(frozen=True)
class CopiaLeida:
    ruta: Path
    sello: Sello | None
    plan: Plan
    avance: Avance
    autor: str = ""  # who saved the copy last (docProps/core.xml lastModifiedBy)


# -- consolidation: the report ---
class Celda(NamedTuple):
    """One cell of the master's Avance compared with the copy (a NamedTuple: a
    consolidation compares tens of thousands)."""

    meta: str
    campo: str  # "ENE"…"DIC" or "justificacion"
    celda: str  # in the master
    libro: Any  # the master's value before
    copia: Any

    @property
    def etiqueta(self) -> str:
        return _etiqueta(self.campo)


@dataclass(frozen=True)
class Propuesta:
    """A Plan change found in a copy: reported, never applied."""

    meta: str
    campo: str
    celda: str  # in the copy's Plan
    libro: str
    copia: str
    mensaje: str


@dataclass(frozen=True)
class Aviso:
    meta: str
    mensaje: str


@dataclass
class ResultadoCopia:
    """What consolidating one file did (or why it was rejected)."""

    ruta: Path
    programa: str = ""
    exportada: str = ""
    autor: str = ""  # who saved the copy last, as the copy says
    rechazo: str | None = None
    actualizadas: list[Celda] = field(default_factory=list)
    conflictos: list[Celda] = field(default_factory=list)
    propuestas: list[Propuesta] = field(default_factory=list)
    fuera: list[Aviso] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)

    @property
    def archivo(self) -> str:
        return self.ruta.name

    @property
    def metas_actualizadas(self) -> list[str]:
        return _ordenadas({c.meta for c in self.actualizadas})


@dataclass
class Informe:
    copias: list[ResultadoCopia]
    simulado: bool = False
    preferir_copia: bool = False
    escritas: int = 0  # cells written into Avance

    @property
    def rechazadas(self) -> list[ResultadoCopia]:
        return [c for c in self.copias if c.rechazo]

    @property
    def actualizadas(self) -> int:
        return sum(len(c.actualizadas) for c in self.copias)

    @property
    def conflictos(self) -> int:
        return sum(len(c.conflictos) for c in self.copias)


def _ordenadas(claves: Iterable[str]) -> list[str]:
    def key(k: str) -> tuple[float, str]:
        n = as_number(k)
        return (n if n is not None else float("inf"), k)

    return sorted(claves, key=key)
