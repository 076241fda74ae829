"""Shared fixtures: the real 2011 plan as a workbook, purpose-built plan workbooks, the
shipped master with its e-mailed copies; the guard that keeps the test markers honest; and
the strict VBA check of every macro workbook a test writes.

A test that opens LibreOffice must be marked ``libreoffice``, one that runs xlwings' remote
engine ``excel``: unmarked, it fails here, so ``make test-rapido`` (which leaves both out)
never runs them by accident and never misses them silently.

Every write of a file goes through ``guardado.escribir``; in the tests, each ``.xlsm`` it
writes (recalcular, vencidos, generar-hojas, exportar-copias and each copy, consolidar,
actualizar-vba, construir, importar…) must pass ``tests/support/vba_estricto.py``: a
command that leaves a VBA project Excel would repair fails the test that ran it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.support import lo, remote, vba_estricto
from tests.support.libros_copias import (
    HIPERVINCULO,
    MAESTRO,
    agregar_fila_avance,
    editar,
    reloj,
)
from tests.support.planes import DOCUMENTO_2011, XLWINGS_XLSM, PlanRow
from xl_metas import archivos, copias_archivo, guardado, informe_pdf, libro_nuevo, operaciones
from xl_metas.plan_sheet import ENCABEZADOS_PLAN

pytest_plugins = ["pytester", "tests.support.ci"]


def _sin_marca(herramienta: str, marca: str) -> Callable[..., None]:
    def falla(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"esta prueba usa {herramienta}: márquela con @pytest.mark.{marca}")

    return falla


@pytest.fixture(autouse=True)
def _marcas_honestas(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("libreoffice") is None:
        monkeypatch.setattr(lo, "_run_worker", _sin_marca("LibreOffice", "libreoffice"))
        monkeypatch.setattr(lo, "_soffice_convert", _sin_marca("LibreOffice", "libreoffice"))
        monkeypatch.setattr(informe_pdf, "pdf_de_hoja", _sin_marca("LibreOffice", "libreoffice"))
    if request.node.get_closest_marker("excel") is None:
        monkeypatch.setattr(
            remote, "ensure_remote_engine", _sin_marca("el motor remoto de xlwings", "excel")
        )


@pytest.fixture(autouse=True)
def _vba_estricto(monkeypatch: pytest.MonkeyPatch) -> None:
    real = guardado.escribir

    def escribir(ruta: Path, contenido: guardado.Contenido, **kwargs: Any) -> guardado.Guardado:
        hecho = real(ruta, contenido, **kwargs)
        if hecho.archivo.suffix.lower() == ".xlsm" and vba_estricto.tiene_vba(hecho.archivo):
            vba_estricto.revisar(hecho.archivo)
        return hecho

    monkeypatch.setattr(guardado, "escribir", escribir)


@pytest.fixture
def plan_2011(tmp_path: Path) -> Path:
    """The institute's 2011 plan in a fresh .xlsx holding the Plan sheet alone (as another
    program would write it: no Avance, no Configuración)."""
    path = tmp_path / "Metas2011.xlsx"
    archivos.crear(path, [operaciones.plan_sheet(libro_nuevo.leer_plan(DOCUMENTO_2011).plan)])
    return path


@pytest.fixture
def libro_2011(tmp_path: Path) -> Path:
    """The institute's 2011 plan imported into a fresh .xlsx: the complete workbook."""
    path = tmp_path / "Metas2011.xlsx"
    libro_nuevo.importar(DOCUMENTO_2011, path)
    return path


@pytest.fixture
def xlwings_xlsm(tmp_path: Path) -> Path:
    """A real macro workbook shipped by xlwings (its VBA stored as source only)."""
    path = tmp_path / "con_macros.xlsm"
    shutil.copyfile(XLWINGS_XLSM, path)
    return path


@pytest.fixture
def make_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write a Plan sheet with title rows, the standard header (or ``header``) and ``rows``."""

    def make(
        rows: Sequence[PlanRow],
        *,
        header: Sequence[str] = ENCABEZADOS_PLAN[:18],
        name: str = "plan.xlsx",
        sheet: str = "Plan",
    ) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        ws.append(["INSTITUTO DE PRUEBA"])
        ws.append(["PROGRAMA METAS Y OBJETIVOS 2011"])
        ws.append([])
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        for line in ws.iter_rows():
            for cell in line:  # as Excel stores text typed with a leading apostrophe
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        path = tmp_path / name
        wb.save(path)
        return path

    return make


# -- e-mailed copies ----------------------------------------------------------------------------
# Built once per run in a folder of their own (exporting and editing copies costs seconds);
# each test gets a fresh copy of the files in its tmp_path.
@pytest.fixture(scope="session")
def _plantilla_maestro(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped macro workbook with some progress already recorded: meta 2 did 5 in
    January, meta 3 has a justificación."""
    carpeta = tmp_path_factory.mktemp("maestro")
    path = carpeta / "Metas2011.xlsm"
    shutil.copyfile(MAESTRO, path)
    editar(path, {("Avance", 2, "ENE"): 5, ("Avance", 3, "JUSTIFICACIÓN"): "Ya explicada"})
    return carpeta


@pytest.fixture(scope="session")
def _plantilla_exportadas(
    _plantilla_maestro: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The master after exporting its copies (it gains its identifier) and the copies."""
    carpeta = tmp_path_factory.mktemp("exportadas")
    shutil.copytree(_plantilla_maestro, carpeta, dirs_exist_ok=True)
    copias_archivo.exportar_copias(carpeta / "Metas2011.xlsm", carpeta / "enviadas", ahora=reloj)
    return carpeta


@pytest.fixture(scope="session")
def _plantilla_devueltas(
    _plantilla_exportadas: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Copies as they come back by e-mail, each edited like a user would."""
    base = tmp_path_factory.mktemp("devueltas")
    shutil.copytree(_plantilla_exportadas, base, dirs_exist_ok=True)
    carpeta = base / "devueltas"
    carpeta.mkdir()
    out: dict[str, Path] = {}
    for ruta in sorted((base / "enviadas").glob("*.xlsm")):
        out[ruta.name] = Path(shutil.copy(ruta, carpeta / ruta.name))
    vinculacion = carpeta / "Metas2011 - Vinculación.xlsm"
    editar(
        vinculacion,
        {
            ("Avance", 1, "ENE"): 1,  # master empty: taken
            ("Avance", 1, "FEB"): 2,
            ("Avance", 1, "JUSTIFICACIÓN"): HIPERVINCULO,  # formula-like text
            ("Avance", 2, "ENE"): 7,  # master says 5: conflict
            ("Avance", 2, "FEB"): 3,
            ("Avance", 3, "JUSTIFICACIÓN"): "Ya explicada",  # equal: nothing
            ("Plan", 1, "PROGRAMA ANUAL"): 99,  # a plan change: proposal only
        },
    )
    agregar_fila_avance(vinculacion, ["CAPACITACIÓN", 8, "Intrusa", 4])
    # Capacitación comes back as .xlsx: the mail system stripped the macros.
    capacitacion = carpeta / "Metas2011 - Capacitación.xlsm"
    editar(
        capacitacion,
        {("Avance", 7, "MAR"): 3},
        guardar_como=carpeta / "Metas2011 - Capacitación.xlsx",
    )
    capacitacion.unlink()
    # Difusión: only agreements.
    editar(
        carpeta / "Metas2011 - Difusión.xlsm",
        {("Avance", 9, "ENE"): 1, ("Avance", 9, "JUSTIFICACIÓN"): "Evento"},
    )
    # A damaged attachment, and a copy of another master (same plan, other identifier).
    (carpeta / "Metas2011 - Dañada.xlsm").write_bytes(b"PK\x03\x04 not really a zip")
    otro = base / "otro" / "Metas2011.xlsm"
    otro.parent.mkdir()
    shutil.copyfile(MAESTRO, otro)
    ajena = copias_archivo.exportar_copias(otro, base / "otro" / "enviadas")[0].archivo
    editar(ajena, {("Avance", 4, "ENE"): 9})
    shutil.copy(ajena, carpeta / "Ajena - Vinculación.xlsm")
    return base


@pytest.fixture
def maestro(_plantilla_maestro: Path, tmp_path: Path) -> Path:
    """The shipped macro workbook with some progress already recorded (a fresh copy)."""
    shutil.copytree(_plantilla_maestro, tmp_path, dirs_exist_ok=True)
    return tmp_path / "Metas2011.xlsm"


@pytest.fixture
def exportadas(maestro: Path, _plantilla_exportadas: Path, tmp_path: Path) -> dict[str, Path]:
    """``maestro`` after exporting a copy per programa to «enviadas», by programa."""
    shutil.copytree(_plantilla_exportadas, tmp_path, dirs_exist_ok=True)
    return {
        programa: tmp_path / "enviadas" / f"Metas2011 - {nombre}.xlsm"
        for programa, nombre in (
            ("VINCULACIÓN", "Vinculación"),
            ("CAPACITACIÓN", "Capacitación"),
            ("DIFUSIÓN", "Difusión"),
        )
    }


@pytest.fixture
def devueltas(
    maestro: Path, exportadas: dict[str, Path], _plantilla_devueltas: Path, tmp_path: Path
) -> dict[str, Path]:
    """The copies as they came back by e-mail (see ``_plantilla_devueltas``), by programa."""
    shutil.copytree(_plantilla_devueltas, tmp_path, dirs_exist_ok=True)
    carpeta = tmp_path / "devueltas"
    return {
        "VINCULACIÓN": carpeta / "Metas2011 - Vinculación.xlsm",
        "CAPACITACIÓN": carpeta / "Metas2011 - Capacitación.xlsx",
        "DIFUSIÓN": carpeta / "Metas2011 - Difusión.xlsm",
        "ajena": carpeta / "Ajena - Vinculación.xlsm",
    }
