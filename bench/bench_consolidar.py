"""Benchmark: `consolidar` of 100 returned copies (50 metas each) into a 5,000-meta master,
against reading the same 100 files (Plan and Avance) with python-calamine (the issue's
baseline), and against that plus reading the master's Plan and Avance with calamine and
writing its package back once with zipfile (the least any tool pays to read the master and
save it: a second, honest baseline).

All are measured in the same run, interleaved, in CPU time of this process (as ``make bench``
measures its child processes), so the ratio holds on a busy machine.
The master starts with an empty Avance, so every copy brings realizado for six months and
a justificación for each meta: 35,000 cells written (and as many Historial rows), the worst
case. The master has no Historial, so consolidating creates it; a second master carries
the baseline ``exportar-copias`` takes, as a real one does, and the rows are appended.
Usage: python -m bench.bench_consolidar [--copias 100] [--metas 50] [--repeticiones 3]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.packaging.custom import StringProperty
from python_calamine import CalamineWorkbook

from xl_metas import copias, copias_archivo, historial, operaciones
from xl_metas.avance import ENCABEZADOS_AVANCE, avance_sheet
from xl_metas.config import config_sheet
from xl_metas.lectura import leer
from xl_metas.model import Plan
from xl_metas.operaciones import plan_sheet
from xl_metas.plan_sheet import read_plan
from xl_metas.render import HojaGenerada
from xl_metas.workbook_file import LibroArchivo, crear_libro

from .generador import plan_sintetico


def preparar(folder: Path, n_copias: int, metas: int) -> tuple[Path, list[Path]]:
    """A master with Plan, empty Avance and Configuración, and one filled copy per programa."""
    plan = plan_sintetico(n_copias * metas, programas=n_copias)
    master = folder / "maestro.xlsx"
    crear_libro(master, [plan_sheet(plan), avance_sheet(plan), config_sheet()])
    libro = LibroArchivo(master)
    libro_id = copias.asegurar_id(libro)
    libro.guardar(respaldo=False)
    plan, _ = read_plan(LibroArchivo(master).leer("Plan"))
    rutas = []
    for i, programa in enumerate(plan.programas()):
        propias = copias.metas_de(plan, programa)
        sub = Plan(tuple(propias), anio=plan.anio, institucion=plan.institucion)
        ruta = folder / f"copia {i:03d}.xlsx"
        crear_libro(ruta, [plan_sheet(sub), _avance_lleno(sub)])
        sello = copias.Sello(libro_id, plan.anio, programa, copias.huella_plan(propias), "", "x")
        wb = openpyxl.load_workbook(ruta)
        for name, value in sello.propiedades().items():
            wb.custom_doc_props.append(StringProperty(name=name, value=value))
        wb.save(ruta)
        rutas.append(ruta)
    return master, rutas


def _avance_lleno(plan: Plan) -> HojaGenerada:
    hoja = avance_sheet(plan)
    for fila in hoja.filas[4:]:
        fila += [None] * (len(ENCABEZADOS_AVANCE) - len(fila))
        fila[3:9] = [1, 2, 0, 3, 1, 2]  # ENE…JUN
        fila[-1] = "=texto que parece fórmula, " + str(fila[1])
    return hoja


def _base(rutas: list[Path]) -> float:
    gc.collect()
    start = time.process_time()
    for ruta in rutas:
        wb = CalamineWorkbook.from_path(str(ruta))
        for hoja in ("Plan", "Avance"):
            wb.get_sheet_by_name(hoja).to_python(skip_empty_area=False)
    return time.process_time() - start


def con_historial(master: Path, destino: Path) -> Path:
    """The master as ``exportar-copias`` leaves it: with the Historial's baseline."""
    shutil.copyfile(master, destino)
    libro = LibroArchivo(destino)
    historial.registrar(libro, leer(libro), "exportar-copias")
    libro.guardar(respaldo=False)
    return destino


def _base_maestro(master: Path, work: Path) -> float:
    """Seconds to read the master's Plan and Avance with python-calamine and write its
    package back once with zipfile (every part compressed again)."""
    shutil.copyfile(master, work)
    gc.collect()
    start = time.process_time()
    wb = CalamineWorkbook.from_path(str(work))
    for hoja in ("Plan", "Avance"):
        wb.get_sheet_by_name(hoja).to_python(skip_empty_area=False)
    with zipfile.ZipFile(work) as origen:
        partes = [(info, origen.read(info)) for info in origen.infolist()]
    with zipfile.ZipFile(work, "w") as destino:
        for info, datos in partes:
            destino.writestr(info, datos, compress_type=zipfile.ZIP_DEFLATED)
    return time.process_time() - start


def _consolidar(
    master: Path, work: Path, rutas: list[Path]
) -> tuple[float, float, float, int, bool]:
    """Seconds to open the master (and read its Plan and Avance), to merge the copies
    (read, compare, write cells and the log), and to save; the cells written, and whether
    the save needed openpyxl. With the cycle collector paused, as the command line and the
    buttons run every command (``operaciones.recoleccion_en_pausa``)."""
    shutil.copyfile(master, work)
    gc.collect()
    with operaciones.recoleccion_en_pausa():
        start = time.process_time()
        libro = LibroArchivo(work)
        libro.leer("Plan")
        libro.leer("Avance")
        loaded = time.process_time()
        informe = operaciones.consolidar(libro, rutas)
        merged = time.process_time()
        con_openpyxl = libro._wb is not None
        assert libro.guardar(respaldo=False)
        end = time.process_time()
    assert not informe.rechazadas, informe.rechazadas[0].rechazo
    return loaded - start, merged - loaded, end - merged, informe.escritas, con_openpyxl


def _solo_lectura(rutas: list[Path]) -> float:
    gc.collect()
    start = time.process_time()
    for ruta in rutas:
        copias_archivo.leer_copia(ruta)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copias", type=int, default=100)
    parser.add_argument("--metas", type=int, default=50)
    parser.add_argument("--repeticiones", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master, rutas = preparar(folder, args.copias, args.metas)
        master_h = con_historial(master, folder / "maestro con historial.xlsx")
        work = folder / "trabajo.xlsx"
        base, base_m, loads, merges, saves, reads, totales_h = [], [], [], [], [], [], []
        escritas, con_openpyxl = 0, False
        for _ in range(args.repeticiones):  # interleaved, so drift hits both alike
            base.append(_base(rutas))
            base_m.append(_base_maestro(master, work))
            reads.append(_solo_lectura(rutas))
            load, merge, save, escritas, con_openpyxl = _consolidar(master, work, rutas)
            loads.append(load)
            merges.append(merge)
            saves.append(save)
            totales_h.append(sum(_consolidar(master_h, work, rutas)[:3]))
    med = statistics.median
    b, bm, r = med(base), med(base_m), med(reads)
    lo, m, s = med(loads), med(merges), med(saves)
    total, total_h = lo + m + s, med(totales_h)
    n = args.repeticiones
    print(f"copias: {args.copias} de {args.metas} metas; maestro de {args.copias * args.metas}")
    print(f"celdas escritas en Avance: {escritas}")
    print(f"base: calamine lee Plan y Avance de las copias: {b:.3f} s (mediana de {n})")
    print(f"base del maestro: calamine lee Plan y Avance, zipfile lo reescribe: {bm:.3f} s")
    print(f"leer_copia (calamine + sello + lectura por etiquetas): {r:.3f} s")
    guardado = "openpyxl" if con_openpyxl else "parche del XML de las hojas"
    print(f"consolidar: abrir el maestro, leer Plan y Avance:   {lo:.3f} s")
    print(f"            leer, comparar y escribir las copias:   {m:.3f} s")
    print(f"            guardar el maestro ({guardado}): {s:.3f} s")
    print(f"            total {total:.3f} s")
    print(f"            total, maestro con el Historial de exportar-copias: {total_h:.3f} s")
    print(f"razón base del maestro / base:                {bm / b:.2f}×  (el maestro solo)")
    print(f"razón consolidar completo / base:             {total / b:.2f}×  (issue: ≤ 2×)")
    print(f"razón consolidar / (base + base del maestro): {total / (b + bm):.2f}×  (≤ 2×)")
    print(f"lo mismo, maestro con Historial:              {total_h / (b + bm):.2f}×")
    print(f"razón consolidar sin abrir ni guardar / base: {m / b:.2f}×")
    print(f"razón leer_copia / base:                      {r / b:.2f}×")


if __name__ == "__main__":
    main()
