"""LibreOffice as an independent office suite, for tests and scripts.

The project venv cannot import ``uno``: every UNO job runs in ``lo_worker.py`` under the
system interpreter (``/usr/bin/python3``), JSON in and out. By default one worker serves
the whole process (a *session*: ``soffice --headless`` starts once, with a private
temporary profile that allows macros, and answers every call in turn; it is started again
after a crash or a timeout, and ends with the process). ``XLMETAS_LO_SESION=0`` runs one
worker and one soffice per call instead. Concurrent pytest processes never share a profile.

Rendering (``render_png``) needs no UNO: ``soffice --convert-to pdf`` then
``pdftoppm -png``.

Typical use in a test::

    from tests.support.lo import inspect_workbook, press_buttons, require_libreoffice

    def test_botones(tmp_path):
        require_libreoffice()
        info = inspect_workbook("workbook/Metas2011.xlsm")
        assert "VBAProject" in info["libraries"]
        out = press_buttons(path, ["Totales"], cells={"Resumen": ["B2"]})
        assert out["cells"]["Resumen"]["B2"] == 42

Known LibreOffice behaviour (7.4, Debian): a Basic library with one module that does not
compile (``xlwings.bas``, the ``Dictionary`` class of xlwings) is disabled as a whole and
``invoke`` reports nothing; check side effects (cells), or stub such modules with
``press_buttons(..., replace_modules={...})``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .lo_worker import parse_script_url

__all__ = [
    "LibreOfficeError",
    "LibreOfficeUnavailable",
    "build_workbook",
    "inspect_workbook",
    "invoke_macro",
    "invoke_macros",
    "libreoffice_missing",
    "parse_script_url",
    "press_buttons",
    "render_png",
    "require_libreoffice",
]

WORKER = Path(__file__).with_name("lo_worker.py")
SYSTEM_PYTHON = os.environ.get("XLMETAS_LO_PYTHON", "/usr/bin/python3")
SOFFICE = os.environ.get("XLMETAS_SOFFICE", "/usr/bin/soffice")
PDFTOPPM = os.environ.get("XLMETAS_PDFTOPPM", "/usr/bin/pdftoppm")
INSTALL_HINT = "apt-get install -y libreoffice-calc-nogui python3-uno poppler-utils"

Cells = Mapping[str, Iterable[str]]


class LibreOfficeError(RuntimeError):
    """LibreOffice (or the worker driving it) failed; the message says how."""


class LibreOfficeUnavailable(LibreOfficeError):
    """soffice, uno or pdftoppm is not installed."""


# ---------------------------------------------------------------------------- availability


@functools.cache
def _uno_importable(python: str) -> bool:
    try:
        r = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def libreoffice_missing(*, render: bool = False) -> str | None:
    """Why LibreOffice tooling cannot run here, or ``None`` when everything is installed.

    ``render=True`` also requires ``pdftoppm`` (poppler-utils).
    """
    missing = []
    if not (shutil.which(SOFFICE) or Path(SOFFICE).is_file()):
        missing.append(f"soffice ({SOFFICE})")
    if not Path(SYSTEM_PYTHON).is_file():
        missing.append(f"el intérprete del sistema ({SYSTEM_PYTHON})")
    elif not _uno_importable(SYSTEM_PYTHON):
        missing.append(f"el módulo uno en {SYSTEM_PYTHON} (python3-uno)")
    if render and not (shutil.which(PDFTOPPM) or Path(PDFTOPPM).is_file()):
        missing.append(f"pdftoppm ({PDFTOPPM}, poppler-utils)")
    if not missing:
        return None
    return "Falta LibreOffice: " + ", ".join(missing) + f". Instale con: {INSTALL_HINT}"


def require_libreoffice(*, render: bool = False) -> None:
    """Skip the calling test when LibreOffice is missing; under ``CI=true`` fail instead.

    CI must never silently skip the office-suite checks, so there the missing tool raises
    :class:`LibreOfficeUnavailable` with the install command.
    """
    reason = libreoffice_missing(render=render)
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise LibreOfficeUnavailable(reason + " (CI=true: no se omite la prueba)")
    import pytest

    pytest.skip(reason)


# ---------------------------------------------------------------------------- worker calls


def _kill_group(pgid_file: Path) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        pgid = int(pgid_file.read_text("utf-8").strip())
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


class _Sesion:
    """One ``lo_worker.py --servir`` for this process: requests go one at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.dir: tempfile.TemporaryDirectory[str] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        self.dir = tempfile.TemporaryDirectory(prefix="xlmetas-lo-sesion-")
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(WORKER), "--servir"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        return self.proc

    def close(self) -> None:
        """End the session: stdin closed, the worker shuts soffice down; killed if stuck."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # type: ignore[union-attr]
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._kill(proc)
        if self.dir is not None:
            self._kill_office()
            self.dir.cleanup()
            self.dir = None

    def _kill_office(self) -> None:
        if self.dir is not None:
            _kill_group(Path(self.dir.name) / "soffice.pgid")

    def _kill(self, proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        self._kill_office()
        proc.wait()

    def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        with self.lock:
            proc = self.proc if self.proc and self.proc.poll() is None else self._start()
            assert self.dir is not None and proc.stdin and proc.stdout
            request = {
                **request,
                "pgid_file": str(Path(self.dir.name) / "soffice.pgid"),
                "session_dir": self.dir.name,
            }
            proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            proc.stdin.flush()
            listo, _, _ = select.select([proc.stdout], [], [], timeout)
            line = proc.stdout.readline() if listo else b""
            if not line:
                self._kill(proc)
                self.proc = None
                if not listo:
                    raise LibreOfficeError(
                        f"LibreOffice no respondió en {timeout:.0f} s ({request['action']} "
                        f"{request.get('path')}); se terminó el proceso"
                    )
                raise LibreOfficeError("el trabajador de LibreOffice terminó sin respuesta")
            return json.loads(line.decode("utf-8"))


_SESION = _Sesion()
atexit.register(_SESION.close)


def _run_worker(request: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one request in ``lo_worker.py`` under the system python; return its result.

    On timeout the worker and its soffice process group are killed.
    """
    reason = libreoffice_missing()
    if reason is not None:
        raise LibreOfficeUnavailable(reason)
    if os.environ.get("XLMETAS_LO_SESION", "1") != "0":
        return _result(_SESION.run(request, timeout))
    with tempfile.TemporaryDirectory(prefix="xlmetas-lo-call-", ignore_cleanup_errors=True) as tmp:
        pgid_file = Path(tmp) / "soffice.pgid"
        request = {**request, "pgid_file": str(pgid_file), "work_dir": tmp}
        proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        try:
            out, err = proc.communicate(json.dumps(request).encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            _kill_group(pgid_file)
            proc.communicate()
            raise LibreOfficeError(
                f"LibreOffice no respondió en {timeout:.0f} s ({request['action']} "
                f"{request.get('path')}); se terminó el proceso"
            ) from None
        try:
            resp = json.loads(out.decode("utf-8"))
        except ValueError:
            _kill_group(pgid_file)
            raise LibreOfficeError(
                f"el trabajador de LibreOffice terminó sin respuesta (código "
                f"{proc.returncode}): {err.decode('utf-8', 'replace')[-2000:]}"
            ) from None
        return _result(resp)


def _result(resp: dict[str, Any]) -> dict[str, Any]:
    if not resp.get("ok"):
        raise LibreOfficeError(
            f"{resp.get('error')}\n--- traceback del trabajador ---\n{resp.get('traceback')}"
        )
    result: dict[str, Any] = resp["result"]
    result["timings"] = {**resp.get("timings", {}), **_timing_extra(result)}
    return result


def _timing_extra(result: dict[str, Any]) -> dict[str, float]:
    load = result.pop("load_seconds", None)
    return {"load_seconds": load} if load is not None else {}


def _cells_request(cells: Cells | None) -> dict[str, list[str]]:
    return {sheet: list(refs) for sheet, refs in (cells or {}).items()}


def _existing(path: str | os.PathLike[str]) -> Path:
    p = Path(path).resolve()
    if not p.is_file():
        raise FileNotFoundError(f"no existe el libro {p}")
    return p


# ---------------------------------------------------------------------------- public API


def inspect_workbook(
    path: str | os.PathLike[str],
    *,
    cells: Cells | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Open ``path`` in LibreOffice (macros enabled) and describe it.

    Returns::

        {
          "path": "/abs/Libro.xlsm",
          "sheets": ["Plan", ...],
          "libraries": {"Standard": {}, "VBAProject": {"Module1": "Rem Attribute ...\\n"
                        "Option VBASupport 1\\nSub X()..."}},
          "vba_mode": True,                       # VBA compatibility mode of the document
          "buttons": {"Plan": [{
              "label": "Pulsar", "name": "Button 1", "anchor": "B3",
              "macro_url": "vnd.sun.star.script:VBAProject.Module1.X?language=Basic"
                           "&location=document",
              "library": "VBAProject", "module": "Module1", "sub": "X",
              "events": [{"listener": "XActionListener", "method": "actionPerformed",
                          "script_type": "Script", "script_code": "...", "parsed": {...}}],
              "form": "Standard", "form_index": 0, "index": 0, "service": "...",
              "class_id": 2}]},
          "cells": {"Plan": {"A1": "texto"}},     # only when ``cells`` is given
          "timings": {"startup_seconds": ..., "load_seconds": ..., "total_seconds": ...},
        }

    ``cells`` (``{"Plan": ["A1", "B2"]}``) reads values: numbers as float, text as str,
    empty as None, formula errors as ``{"error": "#DIV/0!"}``.
    """
    req = {"action": "inspect", "path": str(_existing(path)), "cells": _cells_request(cells)}
    return _run_worker(req, timeout)


def press_buttons(
    path: str | os.PathLike[str],
    labels: Iterable[str] | None = None,
    *,
    cells: Cells | None = None,
    replace_modules: Mapping[str, str] | None = None,
    library: str | None = None,
    save_as: str | os.PathLike[str] | None = None,
    via: str = "script",
    timeout: float = 180.0,
) -> dict[str, Any]:
    """Open ``path`` with macros enabled and press buttons, in order; read cells after each.

    ``labels``: button labels (or control names), in the order to press them, repeats
    allowed; ``None`` presses every button that has a macro, sheet by sheet.

    ``via="script"`` (default) runs the button's bound macro through the document's script
    provider (``getScript(macro_url).invoke()``), exactly the URL ``inspect_workbook``
    reports; script-framework errors come back in ``error``. ``via="click"`` presses the
    control itself (its accessible "press" action, on the sheet made active), so the form's
    event binding is exercised as when a user clicks. Observed on LibreOffice 7.4: a Basic
    *runtime* error (e.g. calling a method on Nothing) is reported by neither way: the Sub
    stops, ``error`` stays None and the next press runs normally.

    ``replace_modules`` (``{"xlwings": "Sub RunPython(cmd)..."}``) replaces or adds Basic
    modules in ``library`` (default "VBAProject", else "Standard") before the first press:
    the way to stub modules LibreOffice cannot compile. The input file is never modified;
    ``save_as`` stores the document after the presses (format from the extension).

    Returns ``{"presses": [{"sheet", "label", "macro_url", "via", "error", "return",
    "cells"}],
    "cells": {...after all presses...}, "timings": {...}}``. ``error`` is only what the
    script framework reported (unknown macro URL, no button view): LibreOffice reports
    *nothing* when the library did not compile or the Sub failed, so check cell values.
    """
    req: dict[str, Any] = {
        "action": "press",
        "path": str(_existing(path)),
        "labels": None if labels is None else [str(x) for x in labels],
        "cells": _cells_request(cells),
        "replace_modules": dict(replace_modules or {}),
        "library": library,
        "via": via,
    }
    if save_as is not None:
        req["save_as"] = str(Path(save_as).resolve())
    return _run_worker(req, timeout)


def invoke_macros(
    path: str | os.PathLike[str],
    calls: Iterable[tuple[str, Iterable[Any]]],
    *,
    cells: Cells | None = None,
    replace_modules: Mapping[str, str] | None = None,
    library: str | None = None,
    save_as: str | os.PathLike[str] | None = None,
    timeout: float = 180.0,
) -> dict[str, Any]:
    """Open ``path`` with macros enabled and run macros with arguments, in order, in one
    session (LibreOffice does not write the VBA project back into an .xlsm it saves, so
    chaining saved copies would lose the macros).

    ``calls``: ``[(url, args), ...]``, url like ``vnd.sun.star.script:VBAProject.Metas.
    CombinarRangos?language=Basic&location=document``, args passed positionally (strings,
    numbers). ``save_as`` stores the document afterwards (format from the extension); the
    input file is never modified. Returns ``{"calls": [{"macro_url", "error", "return"}],
    "cells", "timings"}``; as with ``press_buttons``, ``error`` only holds what the script
    framework reported, so check the effect (cells, the saved file).
    """
    req: dict[str, Any] = {
        "action": "invoke",
        "path": str(_existing(path)),
        "calls": [{"url": url, "args": list(args)} for url, args in calls],
        "cells": _cells_request(cells),
        "replace_modules": dict(replace_modules or {}),
        "library": library,
    }
    if save_as is not None:
        req["save_as"] = str(Path(save_as).resolve())
    return _run_worker(req, timeout)


def invoke_macro(
    path: str | os.PathLike[str], url: str, args: Iterable[Any] = (), **kwargs: Any
) -> dict[str, Any]:
    """One macro with arguments: :func:`invoke_macros` with one call; its entry's keys
    (``macro_url``, ``error``, ``return``) are at the top level of the result."""
    out = invoke_macros(path, [(url, args)], **kwargs)
    return {**out.pop("calls")[0], **out}


def build_workbook(
    path: str | os.PathLike[str],
    *,
    sheets: Iterable[str] = ("Hoja1",),
    cells: Mapping[str, Mapping[str, str | float | int]] | None = None,
    modules: Mapping[str, str] | None = None,
    buttons: Iterable[Mapping[str, str]] = (),
    library: str = "Standard",
    vba: bool = False,
    timeout: float = 120.0,
) -> Path:
    """Create a workbook through LibreOffice itself: Basic modules and bound buttons.

    For proving ``press_buttons`` end to end with macros LibreOffice compiles. Save as
    ``.ods`` to keep the Basic code (LibreOffice does not write a new VBA project into
    .xlsm/.xls). ``buttons``: ``[{"sheet": "Hoja1", "label": "Pulsar",
    "macro": "Module1.Escribir", "cell": "B3"}]`` (macro relative to ``library``).
    ``cells`` values starting with "=" are formulas.
    """
    out = Path(path).resolve()
    req = {
        "action": "build",
        "path": str(out),
        "sheets": list(sheets),
        "cells": {s: dict(v) for s, v in (cells or {}).items()},
        "modules": dict(modules or {}),
        "buttons": [dict(b) for b in buttons],
        "library": library,
        "vba": vba,
    }
    _run_worker(req, timeout)
    return out


def _soffice_convert(src: Path, out_dir: Path, fmt: str, timeout: float) -> Path:
    """``soffice --convert-to fmt`` with a private profile; returns the produced file."""
    with tempfile.TemporaryDirectory(prefix="xlmetas-lo-profile-") as prof:
        cmd = [
            SOFFICE,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={Path(prof).as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LibreOfficeError(
                f"LibreOffice no convirtió {src.name} a {fmt} en {timeout:.0f} s"
            ) from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # leftover soffice.bin, if any
    produced = out_dir / f"{src.stem}.{fmt.split(':')[0]}"
    if proc.returncode != 0 or not produced.is_file():
        raise LibreOfficeError(
            f"LibreOffice no pudo convertir {src} a {fmt} (código {proc.returncode}): "
            f"{(out + err).decode('utf-8', 'replace')[-2000:]}"
        )
    return produced


def _copy_with_sheets(src: Path, dst_dir: Path, sheets: list[str]) -> Path:
    """Temporary copy of ``src`` where only ``sheets`` are visible (openpyxl)."""
    from openpyxl import load_workbook

    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValueError(f"elegir hojas solo es posible con libros .xlsx/.xlsm, no {src.name}")
    wb = load_workbook(src)
    missing = [s for s in sheets if s not in wb.sheetnames]
    if missing:
        raise ValueError(
            f"{src.name}: no existen las hojas {', '.join(missing)} "
            f"(hojas del libro: {', '.join(wb.sheetnames)})"
        )
    first = None
    for ws in wb.worksheets + list(getattr(wb, "chartsheets", [])):
        if ws.title in sheets:
            ws.sheet_state = "visible"
            first = first if first is not None else ws
        else:
            ws.sheet_state = "hidden"
    assert first is not None
    wb.active = wb.worksheets.index(first) if first in wb.worksheets else 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is first
    dst = dst_dir / f"{src.stem}.xlsx"
    wb.save(dst)
    return dst


def render_png(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    sheets: Iterable[str] | None = None,
    *,
    dpi: int = 80,
    timeout: float = 180.0,
    buttons: bool = False,
) -> list[Path]:
    """Render a workbook to PNG pages: LibreOffice → PDF → ``pdftoppm -png -r dpi``.

    ``buttons`` draws form buttons too (XlsxWriter marks them not printable, so a
    screenshot-like page needs that flag cleared in the temporary copy).

    ``sheets`` limits the output to those sheets (others hidden in a temporary openpyxl
    copy; the input file is never modified). Pages are written to ``out_dir`` as
    ``<stem>-<n>.png`` (the PDF ``<stem>.pdf`` is kept beside them); returns them in page
    order.
    """
    reason = libreoffice_missing(render=True)
    if reason is not None:
        raise LibreOfficeUnavailable(reason)
    src = _existing(path)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlmetas-render-") as tmp_s:
        tmp = Path(tmp_s)
        work = src
        if sheets is not None:
            work = _copy_with_sheets(src, tmp, list(sheets))
        else:  # a private copy: LibreOffice never touches (or locks) the input
            work = tmp / src.name
            shutil.copy2(src, work)
        if buttons:
            _printable_buttons(work)
        pdf = _soffice_convert(work, tmp, "pdf", timeout)
        final_pdf = out / f"{src.stem}.pdf"
        shutil.move(pdf, final_pdf)
    prefix = out / src.stem
    for old in out.glob(f"{src.stem}-*.png"):
        old.unlink()
    r = subprocess.run(
        [PDFTOPPM, "-png", "-r", str(dpi), str(final_pdf), str(prefix)],
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if r.returncode != 0:
        raise LibreOfficeError(
            f"pdftoppm falló con {final_pdf} (código {r.returncode}): "
            f"{r.stderr.decode('utf-8', 'replace')}"
        )
    pages = sorted(out.glob(f"{src.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pages:
        raise LibreOfficeError(f"pdftoppm no produjo páginas de {final_pdf}")
    return pages


def _printable_buttons(path: Path) -> None:
    """Clear ``<x:PrintObject>False`` in the VML drawings of a workbook, in place."""
    parts: list[tuple[zipfile.ZipInfo, bytes]] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".vml"):
                data = data.replace(b"<x:PrintObject>False</x:PrintObject>", b"")
            parts.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, data)


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``(fn(*args, **kwargs), seconds)``; handy for reporting LibreOffice timings."""
    t0 = time.monotonic()
    return fn(*args, **kwargs), time.monotonic() - t0
