"""Sheets and document modules, one to one: every codeName (the workbook's and each
sheet's) has its document module, and every document module a codeName.

Excel adds a missing document module when it opens a workbook, but it repairs one whose
codeName collides with another module by removing the whole VBA project; a module left
behind by a removed sheet is dead weight Excel has to account for. The file adapter calls
``sincronizar`` in the save that adds or removes sheets, and ``actualizar-vba`` calls
``ajustar`` on the project it edits: codeNames that are not valid or free (an earlier
xl-metas named a sheet «Metas» after its programa) are renamed, missing modules added,
orphans removed, and nothing else in the project is touched (``edicion``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import edicion
from .nombres import code_name, libre, valido
from .project import WORKBOOK_BASE, WORKSHEET_BASE, document_module

CHART_BASE = "0{00020821-0000-0000-C000-000000000046}"
LIBRO = "ThisWorkbook"


@dataclass(frozen=True)
class Hoja:
    """A sheet of the workbook, as the package has it."""

    nombre: str
    codigo: str | None  # its codeName; a sheet without one is left to Excel
    grafica: bool = False


@dataclass(frozen=True)
class Ajuste:
    """What ``ajustar`` decided: the codeNames to write, the modules added and removed."""

    libro: str | None
    codigos: tuple[str | None, ...]  # one per sheet, in order
    agregados: tuple[str, ...]
    quitados: tuple[str, ...]


def ajustar(proyecto: edicion.Proyecto, libro: str | None, hojas: Sequence[Hoja]) -> Ajuste:
    """Edit ``proyecto`` so its document modules are exactly the codeNames; returns them.

    The workbook keeps its codeName and each sheet its own, unless the name is not a valid
    module name or is taken (by a module of another kind, the project, a reference, the
    workbook or an earlier sheet, case-insensitively): then it gets a free one.
    """
    documentos = {m.nombre.casefold(): m.nombre for m in proyecto.modulos if m.tipo == "document"}
    propios = {m.flujo.casefold() for m in proyecto.modulos if m.tipo == "document"}
    ajenos = {n.casefold() for n in proyecto.nombres()} - set(documentos) - propios
    todos = {h.codigo.casefold() for h in hojas if h.codigo} | set(documentos) | ajenos
    usados: set[str] = set()

    def libre_para(codigo: str | None) -> bool:
        return codigo is not None and valido(codigo) and codigo.casefold() not in ajenos | usados

    nuevo_libro = libro
    if libro is not None or documentos:
        if not libre_para(libro):
            nuevo_libro = LIBRO if libre_para(LIBRO) else libre(LIBRO, todos | usados)
        usados.add((nuevo_libro or "").casefold())
    codigos: list[str | None] = []
    for hoja in hojas:
        codigo = hoja.codigo
        if codigo is not None and not libre_para(codigo):
            codigo = code_name(hoja.nombre, todos | usados)
        if codigo is not None:
            usados.add(codigo.casefold())
        codigos.append(codigo)

    quitados = tuple(n for clave, n in documentos.items() if clave not in usados)
    for nombre in quitados:
        proyecto.quitar(nombre)
    agregados: list[str] = []
    bases = [WORKBOOK_BASE] + [CHART_BASE if h.grafica else WORKSHEET_BASE for h in hojas]
    for codigo, base in zip([nuevo_libro, *codigos], bases, strict=True):
        if codigo is not None and codigo.casefold() not in documentos:
            proyecto.agregar(document_module(codigo, base))
            agregados.append(codigo)
    return Ajuste(nuevo_libro, tuple(codigos), tuple(agregados), quitados)


def sincronizar(vba: bytes, libro: str | None, hojas: Sequence[Hoja]) -> tuple[Ajuste, bytes]:
    """``ajustar`` on the bytes of a `vbaProject.bin`: the decision and the new bytes (the
    same bytes when nothing changes). Raises ``edicion.ProyectoIlegible``."""
    proyecto = edicion.leer(vba)
    ajuste = ajustar(proyecto, libro, hojas)
    return ajuste, proyecto.guardar()
