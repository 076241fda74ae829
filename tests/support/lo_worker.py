#!/usr/bin/python3
"""LibreOffice worker: run with the *system* interpreter (``/usr/bin/python3``), which imports uno.

The project venv cannot import ``uno``; ``tests/support/lo.py`` runs this script as a
subprocess and talks JSON: one request object on stdin, one response object on stdout.

Request: ``{"action": "inspect" | "press" | "build_demo", ...}`` (see the ``do_*`` functions).
Response: ``{"ok": true, "result": ..., "timings": {...}}`` or
``{"ok": false, "error": "...", "traceback": "..."}``.

Each run starts its own ``soffice --headless`` with a fresh temporary profile
(``-env:UserInstallation``) whose configuration allows macros without prompts, connects
over a uniquely named pipe (with retries), does the job and always kills soffice (its whole
process group) and removes the profile, so concurrent runs never share anything.

With ``--servir`` the worker is a session: one request per line on stdin, one response
per line on stdout, the same soffice for all of them (started on the first request, again
if it dies); every document is opened from a private copy and closed after its request,
so requests share nothing but the running office. End of stdin ends the session.

This file must stay importable by Python 3.11 (Debian's ``/usr/bin/python3``) with only the
standard library plus ``uno``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

try:  # only under /usr/bin/python3; lo.py imports this file for parse_script_url alone
    import uno  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - the venv has no uno
    uno = None

SOFFICE = os.environ.get("XLMETAS_SOFFICE", "/usr/bin/soffice")

# Profile configuration written into the fresh profile before soffice starts:
# macro security "low" (0) so document macros run without prompt, no first-start wizard,
# no recovery, and VBA code loaded and executable when importing MS files.
REGISTRY_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>false</value></prop>
</item>
<item oor:path="/org.openoffice.Setup/Office">
 <prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Setup/Office">
 <prop oor:name="FirstStartWizardCompleted" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Recovery/AutoSave">
 <prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">
 <prop oor:name="Load" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">
 <prop oor:name="Executable" oor:op="fuse"><value>true</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">
 <prop oor:name="Save" oor:op="fuse"><value>true</value></prop>
</item>
</oor:items>
"""

# com.sun.star.document.MacroExecMode.ALWAYS_EXECUTE_NO_WARN
ALWAYS_EXECUTE_NO_WARN = 4


def log(msg: str) -> None:
    """Diagnostics go to stderr; stdout is reserved for the JSON response."""
    print(f"[lo_worker {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def prop(name: str, value: Any) -> Any:
    p = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    p.Name = name
    p.Value = value
    return p


def file_url(path: str | Path) -> str:
    return uno.systemPathToFileUrl(str(Path(path).resolve()))


class Office:
    """One private headless soffice: start, connect (with retries), always kill."""

    def __init__(
        self,
        connect_timeout: float = 60.0,
        pgid_file: str | None = None,
        work_dir: str | None = None,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.pgid_file = pgid_file
        # inside the caller's temporary folder when given: removed even if we get killed
        self.tmp = Path(tempfile.mkdtemp(prefix="xlmetas-lo-", dir=work_dir))
        self.pipe = f"xlmetas_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.ctx: Any = None
        self.desktop: Any = None
        self.smgr: Any = None

    def __enter__(self) -> Office:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        profile = self.tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(REGISTRY_XCU, "utf-8")
        cmd = [
            SOFFICE,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
            f"-env:UserInstallation={uno.systemPathToFileUrl(str(profile))}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        env = dict(os.environ)
        env.setdefault("SAL_USE_VCLPLUGIN", "svp")
        self.stderr_path = self.tmp / "soffice.log"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in close()
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._stderr,
            stderr=self._stderr,
            env=env,
            start_new_session=True,  # own process group: we kill oosplash + soffice.bin
        )
        if self.pgid_file:
            # the caller kills this group if we (the worker) hang and get killed
            Path(self.pgid_file).write_text(str(self.proc.pid), "utf-8")
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = t0 + self.connect_timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log_text = self.stderr_path.read_text("utf-8", "replace")[-2000:]
                raise RuntimeError(
                    f"soffice terminó al arrancar (código {self.proc.returncode}): {log_text}"
                )
            try:
                self.ctx = resolver.resolve(url)
                break
            except Exception as e:  # NoConnectException while soffice starts
                last = e
                time.sleep(0.25)
        else:
            raise TimeoutError(
                f"no se pudo conectar con soffice en {self.connect_timeout:.0f} s: {last}"
            )
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.startup_seconds = time.monotonic() - t0

    def load(self, path: str | Path, *, macros: bool = True, hidden: bool = True) -> Any:
        """Open a private copy of ``path`` (same file name, so ``ThisWorkbook.Name`` holds).

        LibreOffice writes a ``.~lock.<name>#`` file beside the document it opens; with a
        shared input, a second soffice then fails with "type detection failed". The copy
        keeps the input untouched and unlocked, even in read-only folders.
        """
        src = Path(path)
        if not src.is_file():
            raise FileNotFoundError(f"no existe el libro {src}")
        copy_dir = self.tmp / f"doc{uuid.uuid4().hex[:8]}"
        copy_dir.mkdir()
        copy = copy_dir / src.name
        shutil.copyfile(src, copy)
        props = [prop("Hidden", hidden), prop("ReadOnly", False)]
        if macros:
            props.append(prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN))
        doc = self.desktop.loadComponentFromURL(file_url(copy), "_blank", 0, tuple(props))
        if doc is None:
            raise RuntimeError(f"LibreOffice no pudo abrir {path}")
        return doc

    def create(self, kind: str = "scalc") -> Any:
        return self.desktop.loadComponentFromURL(
            f"private:factory/{kind}", "_blank", 0, (prop("Hidden", True),)
        )

    def close(self) -> None:
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge dies with soffice: expected
                self.desktop.terminate()
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
            # soffice.bin may outlive oosplash: kill the whole group regardless.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        if getattr(self, "_stderr", None) is not None:
            self._stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------------------- reading


def parse_script_url(url: str) -> dict[str, Any]:
    """``vnd.sun.star.script:VBAProject.Module1.MySub?language=Basic&location=document``."""
    out: dict[str, Any] = {
        "library": None,
        "module": None,
        "sub": None,
        "language": None,
        "location": None,
    }
    prefix = "vnd.sun.star.script:"
    if not url.startswith(prefix):
        return out
    body, _, query = url[len(prefix) :].partition("?")
    params = dict(urllib.parse.parse_qsl(query))
    out["language"] = params.get("language")
    out["location"] = params.get("location")
    parts = body.split(".")
    if len(parts) >= 3:
        out["library"], out["module"], out["sub"] = parts[0], parts[1], ".".join(parts[2:])
    elif len(parts) == 2:
        out["module"], out["sub"] = parts
    else:
        out["sub"] = body
    return out


def read_basic(doc: Any) -> dict[str, dict[str, str]]:
    """``{library: {module: source}}`` of the document's Basic libraries (VBA lands in
    "VBAProject", each module with ``Option VBASupport 1`` prepended)."""
    libs = doc.BasicLibraries
    result: dict[str, dict[str, str]] = {}
    for name in libs.getElementNames():
        try:
            if not libs.isLibraryLoaded(name):
                libs.loadLibrary(name)
        except Exception as e:
            log(f"loadLibrary({name}) falló: {e}")
        lib = libs.getByName(name)
        modules: dict[str, str] = {}
        for mod in lib.getElementNames() if lib is not None else ():
            src = lib.getByName(mod)
            modules[mod] = src if isinstance(src, str) else ""
        result[name] = modules
    return result


def shape_anchor(sheet: Any, shape: Any) -> str | None:
    """Cell under the shape's top-left corner (its anchor cell when it has one)."""
    try:
        addr = shape.Anchor.getCellAddress()
        return cell_name(addr.Column, addr.Row)
    except Exception:
        pass  # anchored to the page (MS-imported buttons): locate by position
    try:
        pos = shape.Position
        col = _bisect(lambda i: sheet.getCellByPosition(i, 0).Position.X, pos.X, 16383)
        row = _bisect(lambda i: sheet.getCellByPosition(0, i).Position.Y, pos.Y, 1048575)
        return cell_name(col, row)
    except Exception:
        return None


def _bisect(start_of: Any, coord: int, hi: int) -> int:
    """Largest index whose start coordinate is <= coord."""
    lo = 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if start_of(mid) <= coord:
            lo = mid
        else:
            hi = mid - 1
    return lo


def cell_name(col: int, row: int) -> str:
    letters = ""
    c = col + 1
    while c:
        c, r = divmod(c - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


def read_buttons(sheet: Any) -> list[dict[str, Any]]:
    """Form controls of one sheet with the script events bound to them."""
    draw_page = sheet.DrawPage
    # (model, shape) pairs, for the anchor cell; pyuno proxies compare with == but do not
    # hash by identity of the UNO object, so no dict here.
    shapes: list[tuple[Any, Any]] = []
    for i in range(draw_page.Count):
        shape = draw_page.getByIndex(i)
        if shape.supportsService("com.sun.star.drawing.ControlShape"):
            model = shape.Control
            if model is not None:
                shapes.append((model, shape))
    out: list[dict[str, Any]] = []
    forms = draw_page.Forms
    for fi in range(forms.Count):
        form = forms.getByIndex(fi)
        for ci in range(form.Count):
            model = form.getByIndex(ci)
            events = []
            for ev in form.getScriptEvents(ci):
                events.append(
                    {
                        "listener": ev.ListenerType,
                        "method": ev.EventMethod,
                        "script_type": ev.ScriptType,
                        "script_code": ev.ScriptCode,
                        "parsed": parse_script_url(ev.ScriptCode),
                    }
                )
            action = next(
                (
                    e
                    for e in events
                    if e["method"] == "actionPerformed" and e["script_code"]
                    # MS import binds "approveAction"/"actionPerformed"; take any action one
                ),
                None,
            ) or next((e for e in events if e["script_code"]), None)
            shape = next((sh for m, sh in shapes if m == model), None)
            info = {
                "form": form.Name,
                "form_index": fi,
                "index": ci,
                "name": model.Name,
                "label": getattr(model, "Label", None)
                if model.getPropertySetInfo().hasPropertyByName("Label")
                else None,
                "service": model.getImplementationName(),
                "class_id": model.ClassId
                if model.getPropertySetInfo().hasPropertyByName("ClassId")
                else None,
                "anchor": shape_anchor(sheet, shape) if shape is not None else None,
                "events": events,
                "macro_url": action["script_code"] if action else None,
                "module": action["parsed"]["module"] if action else None,
                "sub": action["parsed"]["sub"] if action else None,
                "library": action["parsed"]["library"] if action else None,
            }
            out.append(info)
    return out


def cell_value(sheet: Any, ref: str) -> Any:
    from com.sun.star.table.CellContentType import (  # type: ignore[import-not-found]
        EMPTY,
        FORMULA,
        TEXT,
    )

    cell = sheet.getCellRangeByName(ref)
    t = cell.Type
    if t == EMPTY:
        return None
    if t == TEXT:
        return cell.String
    if t == FORMULA:
        # FormulaResultType2: com.sun.star.sheet.FormulaResult VALUE=1 STRING=2 ERROR=4
        rt = cell.FormulaResultType2
        if rt == 2:
            return cell.String
        if rt == 4:
            return {"error": cell.String}
        return cell.Value
    return cell.Value


def read_cells(doc: Any, cells: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    sheets = doc.Sheets
    for sheet_name, refs in cells.items():
        if not sheets.hasByName(sheet_name):
            raise KeyError(f"la hoja {sheet_name!r} no existe (hojas: {list(sheets.ElementNames)})")
        sheet = sheets.getByName(sheet_name)
        out[sheet_name] = {ref: cell_value(sheet, ref) for ref in refs}
    return out


def replace_modules(doc: Any, modules: dict[str, str], library: str | None) -> None:
    """Replace (or add) Basic modules before anything runs: ``{"Module": "source"}``.

    Used to stub out modules LibreOffice cannot compile (``xlwings.bas``): a library with one
    module that fails to compile is silently disabled as a whole.
    """
    libs = doc.BasicLibraries
    names = list(libs.getElementNames())
    lib_name = library or ("VBAProject" if "VBAProject" in names else "Standard")
    if not libs.hasByName(lib_name):
        libs.createLibrary(lib_name)
    libs.loadLibrary(lib_name)
    lib = libs.getByName(lib_name)
    for mod, src in modules.items():
        if lib.hasByName(mod):
            lib.replaceByName(mod, src)
        else:
            lib.insertByName(mod, src)


# ---------------------------------------------------------------------------- actions


def do_inspect(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    t0 = time.monotonic()
    doc = office.load(req["path"], macros=req.get("macros", True))
    load_s = time.monotonic() - t0
    try:
        sheets = doc.Sheets
        names = list(sheets.ElementNames)
        buttons = {n: read_buttons(sheets.getByName(n)) for n in names}
        result = {
            "path": str(Path(req["path"]).resolve()),
            "sheets": names,
            "libraries": read_basic(doc),
            "buttons": buttons,
            "vba_mode": _vba_mode(doc),
            "load_seconds": load_s,
        }
        if req.get("cells"):
            result["cells"] = read_cells(doc, req["cells"])
        return result
    finally:
        doc.close(True)


def _vba_mode(doc: Any) -> bool | None:
    try:
        return bool(doc.BasicLibraries.VBACompatibilityMode)
    except Exception:
        return None


def do_press(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    """Press buttons (by label, or all when ``labels`` is null), reading cells after each."""
    t0 = time.monotonic()
    doc = office.load(req["path"], macros=True)
    load_s = time.monotonic() - t0
    try:
        if req.get("replace_modules"):
            replace_modules(doc, req["replace_modules"], req.get("library"))
        cells = req.get("cells") or {}
        sheets = doc.Sheets
        found: list[tuple[str, dict[str, Any]]] = []
        for n in sheets.ElementNames:
            for b in read_buttons(sheets.getByName(n)):
                found.append((n, b))
        labels = req.get("labels")
        if labels is None:
            selected = [(n, b) for n, b in found if b["macro_url"]]
        else:
            selected = []
            for label in labels:
                match = [(n, b) for n, b in found if b["label"] == label or b["name"] == label]
                if not match:
                    raise KeyError(
                        f"no hay botón con etiqueta {label!r}; botones: "
                        f"{[b['label'] for _, b in found]}"
                    )
                selected.extend(match)
        provider = doc.getScriptProvider()
        via = req.get("via") or "script"
        if via not in ("script", "click"):
            raise ValueError(f"via debe ser 'script' o 'click', no {via!r}")
        presses = []
        for sheet_name, b in selected:
            entry: dict[str, Any] = {
                "sheet": sheet_name,
                "label": b["label"],
                "macro_url": b["macro_url"],
                "via": via,
                "error": None,
                "return": None,
            }
            if via == "click":
                try:
                    click_button(doc, sheet_name, b)
                except Exception as e:
                    entry["error"] = f"{type(e).__name__}: {getattr(e, 'Message', e)}"
            elif not b["macro_url"]:
                entry["error"] = "el botón no tiene macro asignada"
            else:
                try:
                    script = provider.getScript(b["macro_url"])
                    ret = script.invoke((), (), ())
                    entry["return"] = _jsonable(ret[0] if ret else None)
                except Exception as e:  # ScriptFrameworkErrorException, InvocationTargetExc.
                    entry["error"] = f"{type(e).__name__}: {getattr(e, 'Message', e)}"
            entry["cells"] = read_cells(doc, cells) if cells else {}
            presses.append(entry)
        result = {
            "presses": presses,
            "cells": read_cells(doc, cells) if cells else {},
            "load_seconds": load_s,
        }
        if req.get("save_as"):
            doc.storeToURL(file_url(req["save_as"]), ())
        return result
    finally:
        doc.close(True)


def do_invoke(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    """Run macro URLs with arguments, in order, in one document session
    (``getScript(url).invoke(args, (), ())``), then optionally save:
    ``{"calls": [{"url": "vnd.sun.star.script:Lib.Mod.Sub?...", "args": [...]}, ...]}``.
    Each call's ``error`` is what the script framework reported (LibreOffice says nothing
    when the library did not compile or the Sub failed at run time: check the result).
    One session matters: LibreOffice does not write the VBA project back into an .xlsm it
    saves, so a saved copy has no macros left to run."""
    t0 = time.monotonic()
    doc = office.load(req["path"], macros=True)
    load_s = time.monotonic() - t0
    try:
        if req.get("replace_modules"):
            replace_modules(doc, req["replace_modules"], req.get("library"))
        provider = doc.getScriptProvider()
        calls = []
        for call in req["calls"]:
            entry: dict[str, Any] = {"macro_url": call["url"], "error": None, "return": None}
            try:
                ret = provider.getScript(call["url"]).invoke(tuple(call.get("args") or ()), (), ())
                entry["return"] = _jsonable(ret[0] if ret else None)
            except Exception as e:
                entry["error"] = f"{type(e).__name__}: {getattr(e, 'Message', e)}"
            calls.append(entry)
        cells = req.get("cells") or {}
        result = {"calls": calls, "cells": read_cells(doc, cells) if cells else {}}
        result["load_seconds"] = load_s
        if req.get("save_as"):
            out = Path(req["save_as"])
            filt = FILTERS.get(out.suffix.lower())
            doc.storeToURL(file_url(out), (prop("FilterName", filt),) if filt else ())
        return result
    finally:
        doc.close(True)


def click_button(doc: Any, sheet_name: str, button: dict[str, Any]) -> None:
    """Press the button's control as a user would: its accessible "press" action.

    Goes through the control's action listeners, i.e. the form's event attacher and the
    bound ScriptEventDescriptor, not just the macro URL. Works with a hidden document:
    the controller creates the control views of the active sheet.
    """
    sheet = doc.Sheets.getByName(sheet_name)
    controller = doc.getCurrentController()
    controller.setActiveSheet(sheet)
    form = sheet.DrawPage.Forms.getByIndex(button["form_index"])
    model = form.getByIndex(button["index"])
    view = controller.getControl(model)
    if view is None:
        raise RuntimeError(f"LibreOffice no creó la vista del botón {button['label']!r}")
    acc = view.getAccessibleContext()
    names = [acc.getAccessibleActionDescription(i) for i in range(acc.getAccessibleActionCount())]
    if "press" not in names:
        raise RuntimeError(f"el control {button['label']!r} no ofrece la acción 'press': {names}")
    acc.doAccessibleAction(names.index("press"))


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, tuple | list):
        return [_jsonable(x) for x in v]
    return repr(v)


FILTERS = {
    ".ods": "calc8",
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xlsm": "Calc MS Excel 2007 VBA XML",
    ".xls": "MS Excel 97",
}


def do_build(office: Office, req: dict[str, Any]) -> dict[str, Any]:
    """Build a workbook through UNO: Basic modules in the document and buttons bound to Subs.

    ``{"path": out, "library": "Standard", "modules": {"Module1": "Sub X ... End Sub"},
    "vba": false, "buttons": [{"sheet": "Hoja1", "label": "Pulsar", "macro": "Module1.X",
    "cell": "B3"}], "cells": {"Hoja1": {"A1": "texto" | 1.5}}, "sheets": ["Hoja1", ...]}``
    """
    doc = office.create("scalc")
    try:
        sheets = doc.Sheets
        wanted = req.get("sheets") or []
        for i, name in enumerate(wanted):
            if i < sheets.Count:
                sheets.getByIndex(i).Name = name
            else:
                sheets.insertNewByName(name, i)
        for sheet_name, values in (req.get("cells") or {}).items():
            sheet = sheets.getByName(sheet_name)
            for ref, val in values.items():
                cell = sheet.getCellRangeByName(ref)
                if isinstance(val, str) and not val.startswith("="):
                    cell.String = val
                elif isinstance(val, str):
                    cell.Formula = val
                else:
                    cell.Value = val
        lib_name = req.get("library") or "Standard"
        if req.get("vba"):
            doc.BasicLibraries.VBACompatibilityMode = True
        replace_modules(doc, req.get("modules") or {}, lib_name)
        for b in req.get("buttons") or []:
            add_button(doc, b, lib_name)
        out = Path(req["path"])
        filt = FILTERS.get(out.suffix.lower())
        if filt is None:
            raise ValueError(f"extensión no soportada: {out.suffix}")
        doc.storeToURL(file_url(out), (prop("FilterName", filt),))
        return {"path": str(out.resolve())}
    finally:
        doc.close(True)


def add_button(doc: Any, spec: dict[str, Any], lib_name: str) -> None:
    sheet = doc.Sheets.getByName(spec["sheet"])
    cell = sheet.getCellRangeByName(spec.get("cell", "B3"))
    shape = doc.createInstance("com.sun.star.drawing.ControlShape")
    model = doc.createInstance("com.sun.star.form.component.CommandButton")
    model.Label = spec["label"]
    model.Name = spec.get("name") or f"Boton_{spec['label']}"
    pos = cell.Position
    shape.Position = pos
    size = uno.createUnoStruct("com.sun.star.awt.Size")
    size.Width, size.Height = 4000, 1000
    shape.Size = size
    shape.Control = model
    draw_page = sheet.DrawPage
    draw_page.add(shape)
    with contextlib.suppress(Exception):
        shape.Anchor = cell
    form = draw_page.Forms.getByIndex(0)
    index = next(i for i in range(form.Count) if form.getByIndex(i) == model)
    ev = uno.createUnoStruct("com.sun.star.script.ScriptEventDescriptor")
    ev.ListenerType = "XActionListener"
    ev.EventMethod = "actionPerformed"
    ev.AddListenerParam = ""
    ev.ScriptType = "Script"
    ev.ScriptCode = (
        f"vnd.sun.star.script:{lib_name}.{spec['macro']}?language=Basic&location=document"
    )
    form.registerScriptEvent(index, ev)


ACTIONS = {"inspect": do_inspect, "press": do_press, "build": do_build, "invoke": do_invoke}


def _failure(e: BaseException) -> dict[str, Any]:
    return {
        "ok": False,
        "error": f"{type(e).__name__}: {getattr(e, 'Message', None) or e}",
        "traceback": traceback.format_exc(),
    }


def serve() -> int:
    """A session: the same soffice answers every request line until stdin ends."""
    office: Office | None = None
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            t0 = time.monotonic()
            try:
                req = json.loads(line)
                action = ACTIONS[req["action"]]
                startup = 0.0
                if office is None or office.proc is None or office.proc.poll() is not None:
                    if office is not None:
                        office.close()
                    office = Office(
                        connect_timeout=float(req.get("connect_timeout", 60)),
                        pgid_file=req.get("pgid_file"),
                        work_dir=req.get("session_dir"),
                    )
                    office.__enter__()
                    startup = office.startup_seconds
                t1 = time.monotonic()
                try:
                    result = action(office, req)
                finally:
                    for copy_dir in office.tmp.glob("doc*"):  # this request's private copies
                        shutil.rmtree(copy_dir, ignore_errors=True)
                timings = {
                    "startup_seconds": startup,
                    "action_seconds": time.monotonic() - t1,
                    "total_seconds": time.monotonic() - t0,
                }
                resp = {"ok": True, "result": result, "timings": timings}
            except Exception as e:  # reported to the caller, the session goes on
                resp = _failure(e)
            sys.stdout.write(json.dumps(resp, ensure_ascii=False, default=repr) + "\n")
            sys.stdout.flush()
    finally:
        if office is not None:
            office.close()
    return 0


def main() -> int:
    t0 = time.monotonic()
    try:
        req = json.loads(sys.stdin.read())
        action = ACTIONS[req["action"]]
        office_ = Office(
            connect_timeout=float(req.get("connect_timeout", 60)),
            pgid_file=req.get("pgid_file"),
            work_dir=req.get("work_dir"),
        )
        with office_ as office:
            t1 = time.monotonic()
            result = action(office, req)
            timings = {
                "startup_seconds": office.startup_seconds,
                "action_seconds": time.monotonic() - t1,
            }
        timings["total_seconds"] = time.monotonic() - t0
        resp = {"ok": True, "result": result, "timings": timings}
    except BaseException as e:  # report everything as JSON; the caller raises
        resp = _failure(e)
    sys.stdout.write(json.dumps(resp, ensure_ascii=False, default=repr))
    sys.stdout.flush()
    return 0 if resp["ok"] else 1


if __name__ == "__main__":
    sys.exit(serve() if "--servir" in sys.argv[1:] else main())
