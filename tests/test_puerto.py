"""The port's conformance suite: the same scenarios on both adapters, the same workbook after.

Each scenario runs once on a workbook file (``LibroArchivo``, saved) and once on xlwings'
remote engine (``LibroXlwings``; its actions replayed onto a copy of the same file), then
both files are read back the same way and compared: values, sheet order, shown colours.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.support.libros_avance import relleno
from tests.support.libros_copias import MAESTRO
from tests.support.remote import apply_actions, remote_book
from xl_metas.escrituras import Bloque, Colorear, PonerHoja, QuitarHoja, valor_plano
from xl_metas.libro import Libro
from xl_metas.render import Estilo, HojaGenerada
from xl_metas.workbook_file import LibroArchivo
from xl_metas.workbook_xlwings import LibroXlwings

pytestmark = pytest.mark.excel

Escenario = Callable[[Libro], Any]
NOMBRE = "Metas.xlsm"


def en_archivo(escenario: Escenario, carpeta: Path) -> tuple[Any, Path]:
    ruta = carpeta / "archivo" / NOMBRE
    ruta.parent.mkdir(parents=True)
    shutil.copyfile(MAESTRO, ruta)
    libro = LibroArchivo(ruta)
    resultado = escenario(libro)
    libro.guardar()
    return resultado, ruta


def en_excel(escenario: Escenario, carpeta: Path) -> tuple[Any, Path]:
    ruta = carpeta / "excel" / NOMBRE
    ruta.parent.mkdir(parents=True)
    shutil.copyfile(MAESTRO, ruta)
    with remote_book(ruta, caller_sheet="Inicio") as book:
        resultado = escenario(LibroXlwings(book))
        actions = book.json()["actions"]
    apply_actions(actions, ruta).save(ruta)
    return resultado, ruta


def valores(ruta: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values, in workbook order, as a user reads them."""
    wb = openpyxl.load_workbook(ruta)
    out = {}
    for ws in wb.worksheets:
        rows = [[None if v == "" else v for v in row] for row in ws.iter_rows(values_only=True)]
        for row in rows:
            while row and row[-1] is None:
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        out[ws.title] = rows
    return out


def ambos(escenario: Escenario, tmp_path: Path) -> tuple[Any, Path, Path]:
    """Run on both adapters; the two workbooks must hold the same values and sheets."""
    r_archivo, archivo = en_archivo(escenario, tmp_path)
    r_excel, excel = en_excel(escenario, tmp_path)
    assert r_archivo == r_excel
    assert valores(archivo) == valores(excel)
    return r_archivo, archivo, excel


HOJA = HojaGenerada(
    nombre="Notas del área",
    filas=[["TÍTULO"], [], ["META", "TEXTO"], [1, "=no es fórmula"], [2.5, "+tampoco"]],
    anchos={"A": 10, "B": 30},
    estilos=[("A3:B3", Estilo(negrita=True))],
)


def test_lectura_igual(tmp_path: Path) -> None:
    def leer(libro: Libro) -> Any:
        return (
            libro.hojas(),
            libro.resolver("configuracion"),
            libro.resolver("no existe"),
            [[valor_plano(v) for v in r] for r in libro.leer("Plan").rows[:8]],
        )

    resultado, _, _ = ambos(leer, tmp_path)
    assert resultado[1] == "Configuración" and resultado[2] is None


def test_bloque_de_valores_y_texto_que_parece_formula(tmp_path: Path) -> None:
    def escribir(libro: Libro) -> None:
        libro.aplicar([Bloque("Avance", 5, 4, [[3, 1.5, "=SUMA(A1)"], [None, 0, "texto"]])])

    _, archivo, excel = ambos(escribir, tmp_path)
    for ruta in (archivo, excel):
        ws = openpyxl.load_workbook(ruta)["Avance"]
        assert ws["F5"].value == "=SUMA(A1)" and ws["F5"].data_type == "s"


def test_poner_quitar_y_reemplazar_hojas(tmp_path: Path) -> None:
    def hojas(libro: Libro) -> list[str]:
        libro.aplicar([PonerHoja(HOJA, despues_de="Plan")])
        libro.aplicar([PonerHoja(HojaGenerada(nombre="Notas del área", filas=[["otra"]]))])
        libro.aplicar([QuitarHoja("Configuracion"), QuitarHoja("no existe")])
        return libro.hojas()

    nombres, archivo, _ = ambos(hojas, tmp_path)
    assert nombres[nombres.index("Plan") + 1] == "Notas del área"  # replaced where it was
    assert "Configuración" not in nombres
    assert valores(archivo)["Notas del área"] == [["otra"]]


def test_colorear_muestra_los_mismos_colores(tmp_path: Path) -> None:
    def colorear(libro: Libro) -> None:
        libro.aplicar(
            [Colorear("Avance", "D5:O6", {"63BE7B": ["D5:E5"], "FF7C80": ["F6"], None: ["G5"]})]
        )

    _, archivo, excel = ambos(colorear, tmp_path)
    for celda, color in {"D5": "63BE7B", "E5": "63BE7B", "F6": "FF7C80", "G5": None}.items():
        assert relleno(archivo, "Avance", celda) == relleno(excel, "Avance", celda) == color


def test_aplicar_mezcla_en_el_orden_que_da_lo_mismo(tmp_path: Path) -> None:
    def mezcla(libro: Libro) -> None:
        libro.aplicar(
            [
                Bloque("Avance", 5, 4, [[7]]),
                PonerHoja(HOJA, despues_de="Avance"),
                Bloque("Notas del área", 5, 1, [[3]]),
            ]
        )

    _, archivo, _ = ambos(mezcla, tmp_path)
    assert valores(archivo)["Notas del área"][4] == [3, "+tampoco"]


def test_ruta() -> None:
    assert LibroArchivo(MAESTRO).ruta == MAESTRO
    with remote_book(MAESTRO, caller_sheet="Inicio") as book:
        assert LibroXlwings(book).ruta is None  # the remote engine has no file
