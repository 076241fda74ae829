"""A sheet of a foreign workbook as read: its values and its merged cell ranges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..text import cell_address


@dataclass(frozen=True)
class Combinada:
    """A merged cell range, 1-based and inclusive (A3:A5 is ``Combinada(3, 1, 5, 1)``)."""

    fila1: int
    columna1: int
    fila2: int
    columna2: int

    def contiene(self, fila: int, columna: int) -> bool:
        return self.fila1 <= fila <= self.fila2 and self.columna1 <= columna <= self.columna2


@dataclass(frozen=True)
class Hoja:
    """One sheet: ``filas[0][0]`` is A1, a blank cell is None or ''. ``combinadas`` is None
    when the file's format does not say which cells are merged."""

    libro: str  # the file's name, for messages
    nombre: str
    filas: Sequence[Sequence[Any]]
    combinadas: tuple[Combinada, ...] | None = ()
    _origen: dict[tuple[int, int], tuple[int, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for c in self.combinadas or ():
            for fila in range(c.fila1, c.fila2 + 1):
                for columna in range(c.columna1, c.columna2 + 1):
                    self._origen[(fila, columna)] = (c.fila1, c.columna1)

    @property
    def alto(self) -> int:
        return len(self.filas)

    @property
    def ancho(self) -> int:
        return max((len(f) for f in self.filas), default=0)

    def valor(self, fila: int, columna: int) -> Any:
        """The value at 1-based (fila, columna); None when blank or outside the sheet."""
        if fila < 1 or fila > len(self.filas):
            return None
        linea = self.filas[fila - 1]
        if columna < 1 or columna > len(linea):
            return None
        valor = linea[columna - 1]
        return None if valor == "" else valor

    def origen(self, fila: int, columna: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range holding (fila, columna), None if none."""
        return self._origen.get((fila, columna))

    def donde(self, fila: int, columna: int) -> str:
        return f"«{self.libro}», hoja «{self.nombre}», celda {cell_address(fila, columna)}"


def es_numero(valor: Any) -> bool:
    return isinstance(valor, int | float) and not isinstance(valor, bool)
