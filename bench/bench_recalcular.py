"""Benchmark: `recalcular` on a 5,000-meta workbook against a bare openpyxl load + save.

Both are measured in the same run on the same file, so the ratio holds on a noisy machine.
Usage: python -m bench.bench_recalcular [--metas 5000] [--repeticiones 3]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from xl_metas import operaciones
from xl_metas.workbook_file import LibroArchivo

from .generador import escribir_plan


def _baseline(source: Path, work: Path) -> float:
    shutil.copyfile(source, work)
    gc.collect()  # start each measurement without the previous one's garbage
    start = time.perf_counter()
    wb = openpyxl.load_workbook(work)
    wb.save(work)
    return time.perf_counter() - start


def _recalcular(source: Path, work: Path) -> float:
    shutil.copyfile(source, work)
    gc.collect()
    start = time.perf_counter()
    libro = LibroArchivo(work)
    operaciones.recalcular(libro)
    libro.guardar()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metas", type=int, default=5000)
    parser.add_argument("--repeticiones", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = escribir_plan(Path(folder) / "plan.xlsx", metas=args.metas)
        work = Path(folder) / "copia.xlsx"
        base, ours = [], []
        for _ in range(args.repeticiones):  # interleaved, so drift hits both alike
            base.append(_baseline(source, work))
            ours.append(_recalcular(source, work))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"metas: {args.metas}")
    print(f"openpyxl cargar + guardar (base): {b:.3f} s (mediana de {args.repeticiones})")
    print(f"recalcular:                       {o:.3f} s")
    print(f"razón recalcular / base:          {o / b:.2f}×  (objetivo ≤ 1.30×)")


if __name__ == "__main__":
    main()
