"""Every figure of issue 16, each as a ratio against its baseline measured in the same run.

    .venv/bin/python -m bench [--repeticiones 5] [--sin-excel] [--base REV]   (or: make bench)

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
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from .generador import escribir_libro

PY = sys.executable
XL_METAS = str(Path(PY).with_name("xl-metas"))
CARGAR = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
CARGAR_GUARDAR = (
    "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1], keep_vba=True); "
    "wb.save(sys.argv[1])"
)


# Started by a small launcher process: a child's peak memory (ru_maxrss) starts at the
# resident size of the process it was forked from, so forking from this one, which has
# generated 5,000-meta workbooks, would give every command a floor of that size.
_LANZADOR = """
import json, os, sys
for linea in sys.stdin:
    cmd, env, cwd = json.loads(linea)
    pid = os.fork()
    if pid == 0:
        nulo = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nulo, 0)
        os.dup2(nulo, 1)
        os.dup2(nulo, 2)
        if cwd is not None:
            os.chdir(cwd)
        os.execve(cmd[0], cmd, env)
    _, estado, uso = os.wait4(pid, 0)
    salida = [os.waitstatus_to_exitcode(estado), uso.ru_utime + uso.ru_stime, uso.ru_maxrss]
    print(json.dumps(salida), flush=True)
"""
_lanzador: subprocess.Popen[str] | None = None


def proceso(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """CPU seconds (user + system) and peak memory (MB) of one child process."""
    global _lanzador
    if _lanzador is None:
        _lanzador = subprocess.Popen(
            [PY, "-c", _LANZADOR], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    assert _lanzador.stdin is not None and _lanzador.stdout is not None
    pedido = [list(cmd), dict(os.environ if env is None else env), str(cwd) if cwd else None]
    _lanzador.stdin.write(json.dumps(pedido) + "\n")
    _lanzador.stdin.flush()
    codigo, cpu, maxrss = json.loads(_lanzador.stdout.readline())
    if codigo not in (0, 1):
        raise SystemExit(f"falló: {' '.join(cmd)}")
    return cpu, maxrss / 1024


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
    """Excel operations per press, on the remote engine: 21 metas in 3 programas and 5,000
    in 25, both with Avance filled; with the VBA helper (AplicarLote) and as xlwings Lite
    presses (no VBA: their answer is printed, here swallowed)."""
    from tests.support.remote import count_operations, payload_from_file, remote_book
    from xl_metas import botones

    libros = {
        "21 metas, 3 programas": escribir_libro(carpeta / "ops21.xlsm", 21, 3),
        "5000 metas, 25 programas": escribir_libro(carpeta / "ops5000.xlsm", 5000, 25),
    }
    cargas = {n: payload_from_file(r, caller_sheet="Inicio") for n, r in libros.items()}
    for titulo, lite in (("con VBA (AplicarLote)", False), ("xlwings Lite, sin VBA", True)):
        print(
            f"\nOperaciones de Excel por pulsación, {titulo} (motor remoto de xlwings; "
            "objetivo ≤ 25, plano):"
        )
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
                with remote_book(copy.deepcopy(carga)) as book, redirect_stdout(io.StringIO()):
                    boton(book, lite=lite)
                    cuentas.append(count_operations(book.json()["actions"]))
            plano = len(set(cuentas)) == 1
            marca = "sí" if max(cuentas) <= 25 and plano else "NO"
            detalle = " → ".join(str(c) for c in cuentas)
            print(f"  {boton.__name__:<18} {detalle:>12}  (objetivo: {marca})")


# The command line of whichever xl_metas PYTHONPATH points at (the console script would
# import the installed one); run from a folder without a package of that name.
CLI = "import sys; sys.argv[0] = 'xl-metas'; from xl_metas.cli import app; app()"
RAIZ = Path(__file__).resolve().parents[1]


@contextmanager
def revision(rev: str, carpeta: Path) -> Iterator[Path]:
    """A worktree of ``rev`` (removed afterwards), its package compiled as ours is."""
    destino = carpeta / f"base-{rev}"
    subprocess.run(
        ["git", "-C", str(RAIZ), "worktree", "add", "--detach", "--quiet", str(destino), rev],
        check=True,
    )
    try:
        proceso([PY, "-m", "compileall", "-q", str(destino / "xl_metas")])
        yield destino
    finally:
        subprocess.run(
            ["git", "-C", str(RAIZ), "worktree", "remove", "--force", str(destino)], check=True
        )


def con_paquete(raiz: Path, carpeta: Path) -> Callable[[Sequence[str]], tuple[float, float]]:
    """Run ``xl-metas ARGS`` with the package under ``raiz``; checked once, in a child,
    that it is the one imported."""
    env = {**os.environ, "PYTHONPATH": str(raiz)}
    hecho = subprocess.run(
        [PY, "-c", "import xl_metas; print(xl_metas.__file__)"],
        env=env,
        cwd=carpeta,
        capture_output=True,
        text=True,
        check=True,
    )
    cargado = Path(hecho.stdout.strip()).resolve()
    if cargado != (raiz / "xl_metas" / "__init__.py").resolve():
        raise SystemExit(f"con PYTHONPATH={raiz} se importa {cargado}")
    return lambda args: proceso([PY, "-c", CLI, *args], env=env, cwd=carpeta)


def contra_revision(rev: str, carpeta: Path, n: int) -> None:
    """The 20-meta plan's commands now ÷ at revision ``rev`` (nothing may get slower)."""
    libro = escribir_libro(carpeta / "b20.xlsm", 20, 3)
    trabajo = carpeta / "b20-trabajo.xlsm"
    print(f"\n20 metas: esta versión / {rev} (mismo libro, procesos completos):")
    with revision(rev, carpeta) as raiz_base:
        ahora, antes = con_paquete(RAIZ, carpeta), con_paquete(raiz_base, carpeta)
        print(f"  ({rev}: {raiz_base / 'xl_metas'} importado en su proceso)")
        for comando in ("validar", "vencidos", "recalcular"):

            def correr(
                run: Callable[[Sequence[str]], tuple[float, float]], c: str = comando
            ) -> tuple[float, float]:
                shutil.copyfile(libro, trabajo)
                return run([c, str(trabajo)])

            (o, om), (b, bm) = intercalado(n, lambda: correr(ahora), lambda: correr(antes))
            fila(f"  {comando} 20 metas / {rev}", o, b, 1.0)
            fila(f"  memoria máxima, {comando} 20 metas / {rev}", om, bm, 1.0, "MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeticiones", type=int, default=5)
    parser.add_argument("--metas", type=int, default=5000)
    parser.add_argument("--sin-excel", action="store_true", help="sin contar operaciones")
    parser.add_argument("--sin-consolidar", action="store_true")
    parser.add_argument(
        "--base", metavar="REV", help="también el plan de 20 metas contra esa revisión de git"
    )
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
            b, bm = med(base), med(base_maestro)
            fila("consolidar 100 copias × 50 metas / leerlas con calamine", med(ours), b, 2.0)
            # Reading the copies is not all a consolidation must do: it also reads the
            # 5,000-meta master and saves it, which alone costs about twice reading the copies
            # (here with calamine and zipfile, the least any tool pays), so the figure above
            # cannot reach 2×; the next one counts reading and rewriting the master in the base.
            print(f"  (leer y reescribir el maestro solo: {bm / b:.2f}× leer las copias)")
            fila("  la misma / leer las copias y el maestro, reescribirlo", med(ours), b + bm, 2.0)
        if args.base:
            contra_revision(args.base, carpeta, n)
        if not args.sin_excel:
            operaciones_excel(carpeta)


if __name__ == "__main__":
    main()
