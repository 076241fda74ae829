"""Run a workbook's xlwings Lite ``main.py`` as Pyodide would (see tests/support/lite.py).

Usage: python lite_pyodide.py MAIN_PY ENTRADA_JSON SALIDA_JSON

Before anything else: python-calamine (and other native-only packages we use locally)
cannot be imported, and starting a thread or a process raises, as in Pyodide (the
modules import, as Pyodide's do). Then each call builds its book from its payload with
xlwings' remote engine, as Lite does from Office.js, runs the script, and records the
actions the book would send back to Excel.
"""

from __future__ import annotations

import _thread
import contextlib
import importlib.abc
import io
import json
import os
import subprocess
import sys
import threading
from typing import Any

SIN_PYODIDE = {"python_calamine", "xlsxwriter", "oletools", "lxml", "PIL", "typer"}


class _SinModulo(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in SIN_PYODIDE:
            raise ModuleNotFoundError(f"No module named {name!r} (Pyodide)", name=name)
        return None


def _sin_hilos(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("can't start new thread (Pyodide)")


def _sin_procesos(*args: Any, **kwargs: Any) -> Any:
    raise OSError("no processes in Pyodide")


sys.meta_path.insert(0, _SinModulo())
_thread.start_new_thread = _sin_hilos
threading.Thread.start = _sin_hilos  # type: ignore[method-assign]
subprocess.Popen.__init__ = _sin_procesos  # type: ignore[method-assign]
for _nombre in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"):
    if hasattr(os, _nombre):
        delattr(os, _nombre)


def main() -> None:
    main_py, entrada, salida = sys.argv[1:4]
    import xlwings as xw
    from xlwings.pro import _xlremote

    with contextlib.suppress(Exception):
        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    antes = set(sys.modules)  # what Lite has loaded already: xlwings and its engine
    modulo: dict[str, Any] = {"__name__": "main"}
    with open(main_py, encoding="utf-8") as f:
        exec(compile(f.read(), "main.py", "exec"), modulo)
    with open(entrada, encoding="utf-8") as f:
        llamadas = json.load(f)["llamadas"]
    resultados = []
    for nombre, payload in llamadas:
        book = xw.Book(json=payload)
        impreso = io.StringIO()
        with contextlib.redirect_stdout(impreso):
            modulo[nombre](book)
        xl_metas = sys.modules.get("xl_metas")
        resultados.append(
            {
                "actions": book.json()["actions"],
                "impreso": impreso.getvalue(),
                "modulos": sorted(
                    {m.partition(".")[0] for m in set(sys.modules) - antes}
                    - set(sys.stdlib_module_names)
                    - {"xl_metas"}
                    - {m for m in sys.modules if m.startswith("_")}  # compiled helpers
                ),
                "origen": getattr(xl_metas, "__file__", None),
            }
        )
    with open(salida, "w", encoding="utf-8") as f:
        json.dump(resultados, f, default=str)


if __name__ == "__main__":
    main()
