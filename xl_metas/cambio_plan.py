"""A plan that changes in a workbook already in use: which Avance row belongs to which meta.

Metas may be added, removed, renumbered or reworded. Every Avance row that holds something
captured (a realizado or a justificación) either follows its meta or stays in the sheet,
after the plan's rows, for a person to decide: nothing captured is ever dropped. Pure: the
command that writes lives in ``operaciones``.

Matching, in this order (each Avance row is used once):

1. same meta number and same description: the same meta;
2. same description in the same programa, another number: the meta was renumbered;
3. same meta number, another description: the meta was reworded (reported);
4. anything left: a new meta (empty row) or a removed one (kept when it holds something).
"""

from __future__ import annotations

from dataclasses import dataclass

from .avance import FilaAvance
from .model import Meta, Plan
from .text import fold


@dataclass(frozen=True)
class CambioPlan:
    """What changes in Avance, in the new plan's order."""

    pares: tuple[tuple[Meta, FilaAvance | None], ...]  # each meta of the new plan and its row
    renumeradas: tuple[tuple[str, str], ...] = ()  # (number before, number now)
    redactadas: tuple[str, ...] = ()  # metas whose description changed (number now)
    nuevas: tuple[str, ...] = ()  # metas without an Avance row before
    conservadas: tuple[FilaAvance, ...] = ()  # rows of removed metas that hold something
    descartadas: tuple[str, ...] = ()  # removed metas with nothing captured (number)

    @property
    def sin_cambios(self) -> bool:
        return not (self.renumeradas or self.redactadas or self.nuevas or self.conservadas) and (
            not self.descartadas
        )


def capturado(fila: FilaAvance) -> bool:
    """The row holds something a person captured: a realizado or a justificación."""
    return not fila.justificacion.vacio or any(not m.vacio for m in fila.meses)


def _texto(valor: str) -> str:
    return " ".join(fold(valor).split())


def emparejar(plan: Plan, filas: tuple[FilaAvance, ...]) -> CambioPlan:
    """Each meta of ``plan`` with the Avance row that holds its progress (see the module)."""
    libre = [True] * len(filas)
    asignadas: dict[int, int] = {}  # meta index -> row index
    descripciones = [_texto(f.descripcion.texto) for f in filas]
    programas = [_texto(f.programa.texto) for f in filas]
    por_clave: dict[str, list[int]] = {}  # rows by meta number, in sheet order
    por_descripcion: dict[str, list[int]] = {}
    for k, fila in enumerate(filas):
        por_clave.setdefault(fila.clave, []).append(k)
        por_descripcion.setdefault(descripciones[k], []).append(k)

    def tomar(
        i_meta: int,
        clave: str | None,
        descripcion: str | None,
        programa: str | None = None,
        exacta: bool = False,
    ) -> int | None:
        """The first free row with that number (None: any, then the description is
        required), that description (or, unless ``exacta``, none written) and that
        programa (or none written); taken for the meta."""
        aceptadas = (descripcion,) if exacta else (descripcion, "")
        candidatas = (
            por_clave.get(clave, [])
            if clave is not None
            else (por_descripcion.get(descripcion or "", []))
        )
        for j in candidatas:
            if (
                libre[j]
                and (descripcion is None or descripciones[j] in aceptadas)
                and (programa is None or programas[j] in (programa, ""))
            ):
                asignadas[i_meta] = j
                libre[j] = False
                return j
        return None

    metas = plan.metas
    for i, meta in enumerate(metas):  # 1. same number, same description
        if meta.clave:
            tomar(i, meta.clave, _texto(meta.descripcion.texto))
    renumeradas: list[tuple[str, str]] = []
    for i, meta in enumerate(metas):  # 2. same description and programa, another number
        d = _texto(meta.descripcion.texto)
        if i in asignadas or not d:
            continue
        j = tomar(i, None, d, _texto(meta.programa.texto), exacta=True)
        if j is not None and filas[j].clave != meta.clave:
            renumeradas.append((filas[j].clave, meta.clave))
    redactadas: list[str] = []
    for i, meta in enumerate(metas):  # 3. same number, reworded
        if i not in asignadas and meta.clave and tomar(i, meta.clave, None) is not None:
            redactadas.append(meta.clave)
    pares = tuple(
        (meta, filas[asignadas[i]] if i in asignadas else None) for i, meta in enumerate(metas)
    )
    sobrantes = [f for f, queda in zip(filas, libre, strict=True) if queda]
    return CambioPlan(
        pares=pares,
        renumeradas=tuple(renumeradas),
        redactadas=tuple(redactadas),
        nuevas=tuple(m.clave or m.descripcion.texto for m, f in pares if f is None),
        conservadas=tuple(f for f in sobrantes if capturado(f)),
        descartadas=tuple(f.clave for f in sobrantes if not capturado(f)),
    )
