"""Every figure of issue 16, each as a ratio against its baseline measured in the same run.

    .venv/bin/python -m bench [--repeticiones 5] [--sin-excel]      (or: make bench)

Whole processes where the issue says so (CPU time and peak memory of the child, from
``os.wait4``), medians of interleaved runs (ours, baseline, ours, …) so a noisy machine
moves both alike. Python may write its bytecode cache here (``PYTHONDONTWRITEBYTECODE`` is
dropped, and the package compiled first), as it does on a user's machine: the libraries
it is compared with were compiled when pip installed them. The workbooks are generated:
a complete macro workbook as ``importar`` makes it, 25 programas, Avance filled, cut-off
15/06/2011, findings on about 10 % of the metas (and one with about 10,000 findings).
Excel operations are counted on xlwings' remote engine (``XLWINGS_LICENSE_KEY=noncommercial``,
as the tests do).
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .generador import escribir_libro

PY = sys.executable
XL_METAS = str(Path(PY).with_name("xl-metas"))
CARGAR = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
CARGAR_GUARDAR = (
    "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1], keep_vba=True); "
    "wb.save(sys.argv[1])"
)


def proceso(cmd: Sequence[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak memory (MB) of one child process."""
    pid = os.fork()
    if pid == 0:  # the child: the command, its output discarded
        nulo = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nulo, 1)
        os.dup2(nulo, 2)
        os.execv(cmd[0], list(cmd))
    _, estado, uso = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(estado) not in (0, 1):
        raise SystemExit(f"falló: {' '.join(cmd)}")
    return uso.ru_utime + uso.ru_stime, uso.ru_maxrss / 1024


def intercalado(
    n: int, nuestro: Callable[[], tuple[float, float]], base: Callable[[], tuple[float, float]]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Medians (CPU, MB) of ``n`` interleaved runs of each."""
    a, b = [], []
    for _ in range(n):
        a.append(nuestro())
        b.append(base())
    med = statistics.median
    return (med(x for x, _ in a), med(m for _, m in a)), (
        med(x for x, _ in b),
        med(m for _, m in b),
    )


def en_copia(origen: Path, trabajo: Path, cmd: Sequence[str]) -> Callable[[], tuple[float, float]]:
    def correr() -> tuple[float, float]:
        shutil.copyfile(origen, trabajo)
        return proceso([*cmd, str(trabajo)])

    return correr


def fila(figura: str, nuestro: float, base: float, objetivo: float, unidad: str = "s") -> None:
    razon = nuestro / base
    marca = "sí" if razon <= objetivo else "NO"
    print(
        f"{figura:<58} {nuestro:7.2f} {unidad} / {base:7.2f} {unidad} = {razon:5.2f}×"
        f"  (objetivo ≤ {objetivo}×: {marca})"
    )


def demo(carpeta: Path) -> Path:
    """The demo workbook: the real 2011 plan with the sample Avance (make demo's)."""
    from xl_metas import archivos, libro_nuevo, operaciones
    from xl_metas.lectura import leer
    from xl_metas.muestra import aplicar_muestra

    ruta = carpeta / "Metas2011.xlsm"
    libro_nuevo.importar(operaciones.DOCUMENTO_2011, ruta)
    libro = archivos.abrir(ruta)
    aplicar_muestra(libro, leer(libro).plan)
    libro.guardar(respaldo=False)
    return ruta


def operaciones_excel(carpeta: Path) -> None:
    """Excel operations per press, on the remote engine: 20 metas in 3 programas and 5,000
    in 25, both with Avance filled."""
    from tests.support.remote import count_operations, payload_from_file, remote_book
    from xl_metas import botones

    libros = {
        "20 metas, 3 programas": escribir_libro(carpeta / "ops20.xlsm", 20, 3),
        "5000 metas, 25 programas": escribir_libro(carpeta / "ops5000.xlsm", 5000, 25),
    }
    cargas = {n: payload_from_file(r, caller_sheet="Inicio") for n, r in libros.items()}
    print("\nOperaciones de Excel por pulsación (motor remoto de xlwings; objetivo ≤ 25, plano):")
    for boton in (
        botones.validar,
        botones.marcar_vencidos,
        botones.recalcular,
        botones.generar_hojas,
        botones.informe_trimestral,
    ):
        cuentas = []
        for carga in cargas.values():
            # A deep copy: a press changes its payload, the next button must not see that.
            with remote_book(copy.deepcopy(carga)) as book:
                boton(book)
                cuentas.append(count_operations(book.json()["actions"]))
        plano = len(set(cuentas)) == 1
        marca = "sí" if max(cuentas) <= 25 and plano else "NO"
        detalle = " → ".join(str(c) for c in cuentas)
        print(f"  {boton.__name__:<16} {detalle:>12}  (objetivo: {marca})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeticiones", type=int, default=5)
    parser.add_argument("--metas", type=int, default=5000)
    parser.add_argument("--sin-excel", action="store_true", help="sin contar operaciones")
    parser.add_argument("--sin-consolidar", action="store_true")
    args = parser.parse_args()
    n = args.repeticiones
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    paquete = Path(__file__).resolve().parents[1] / "xl_metas"
    proceso([PY, "-m", "compileall", "-q", str(paquete)])
    with tempfile.TemporaryDirectory() as tmp:
        carpeta = Path(tmp)
        print(f"Medianas de {n} corridas intercaladas; procesos completos, CPU y memoria máxima.\n")

        vacio = proceso([PY, "-c", "pass"])[0]
        for modulo in ("xl_metas.botones", "xl_metas.cli"):
            cpu = statistics.median(proceso([PY, "-c", f"import {modulo}"])[0] for _ in range(n))
            print(f"importar {modulo:<20} {cpu:5.2f} s (Python vacío: {vacio:.2f} s)")
        print()

        muestra = demo(carpeta)
        (o, _), (b, _) = intercalado(
            n,
            lambda: proceso([XL_METAS, "validar", str(muestra)]),
            lambda: proceso([PY, "-c", CARGAR, str(muestra)]),
        )
        fila("validar (libro de demostración) / openpyxl.load_workbook", o, b, 1.0)

        trabajo = carpeta / "trabajo.xlsm"
        peque = escribir_libro(carpeta / "p20.xlsm", 20, 3)
        (o, _), (b, _) = intercalado(
            n,
            en_copia(peque, trabajo, [XL_METAS, "recalcular"]),
            en_copia(peque, trabajo, [PY, "-c", CARGAR_GUARDAR]),
        )
        fila("recalcular 20 metas / openpyxl cargar + guardar", o, b, 1.0)

        metas = args.metas
        pocos = escribir_libro(carpeta / "pocos.xlsm", metas, 25, 0.1)
        (o, om), (b, bm) = intercalado(
            n,
            en_copia(pocos, trabajo, [XL_METAS, "recalcular"]),
            en_copia(pocos, trabajo, [PY, "-c", CARGAR_GUARDAR]),
        )
        fila(f"recalcular {metas} metas, ~10 % con hallazgos / openpyxl", o, b, 0.5)
        fila(f"memoria máxima, recalcular {metas} metas / openpyxl", om, bm, 1.5, "MB")

        muchos = escribir_libro(carpeta / "muchos.xlsm", metas, 25, 1.0, muestra=True, futuros=0.35)
        (o, om), (b, bm) = intercalado(
            n,
            en_copia(muchos, trabajo, [XL_METAS, "recalcular"]),
            en_copia(muchos, trabajo, [PY, "-c", CARGAR_GUARDAR]),
        )
        fila(f"recalcular {metas} metas, ~10 000 hallazgos / openpyxl", o, b, 0.5)
        fila("memoria máxima, ~10 000 hallazgos / openpyxl", om, bm, 1.5, "MB")

        if not args.sin_consolidar:
            from . import bench_consolidar as bc

            (carpeta / "copias").mkdir()
            maestro, rutas = bc.preparar(carpeta / "copias", 100, 50)
            base, base_maestro, ours = [], [], []
            for _ in range(n):
                base.append(bc._base(rutas))
                base_maestro.append(bc._base_maestro(maestro, carpeta / "c.xlsx"))
                cargar, fusionar, guardar, _, _ = bc._consolidar(maestro, carpeta / "c.xlsx", rutas)
                ours.append(cargar + fusionar + guardar)
            med = statistics.median
            figura = "consolidar 100 copias × 50 metas / leerlas con calamine"
            fila(figura, med(ours), med(base), 2.0)
            # Reading the copies is not all a consolidation must do: also read the master and
            # save it (here with calamine and zipfile, the least any tool pays).
            print(
                f"  (la misma / leer las copias y el maestro, y reescribirlo: "
                f"{med(ours) / (med(base) + med(base_maestro)):.2f}×)"
            )
        if not args.sin_excel:
            operaciones_excel(carpeta)


if __name__ == "__main__":
    main()
