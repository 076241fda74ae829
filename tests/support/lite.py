"""xlwings Lite in tests: the structure of its parts, and its scripts run as Pyodide would.

``estructura_lite`` checks a workbook's web-extension parts against the format (package
relationship, task pane and its relationship ids, the add-in's store reference, content
types, the code properties) and returns them, to compare byte for byte after a command.

``correr_scripts`` runs the workbook's own ``main.py`` (decoded from its web-extension
part) in a fresh interpreter where what Pyodide lacks is missing: python-calamine cannot
be imported, starting a thread or a process fails. Each script gets its own remote-engine
book (``xw.Book(json=payload)``, as Lite builds it) and gives back the actions, what it
printed, the third-party modules loaded and where ``xl_metas`` was imported from.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from xl_metas.lite import leer_lite
from xl_metas.lite.partes import (
    CT_TASKPANES,
    CT_WEBEXTENSION,
    ID_TIENDA,
    NS_CT,
    NS_PKG,
    NS_R,
    NS_WE,
    NS_WETP,
    REL_TASKPANES,
    REL_WEBEXTENSION,
)

_CORRER = Path(__file__).with_name("lite_pyodide.py")


def _rels(z: zipfile.ZipFile, ruta: str) -> list[ET.Element]:
    raiz = ET.fromstring(z.read(ruta))
    rels = raiz.findall(f"{{{NS_PKG}}}Relationship")
    ids = [r.get("Id") for r in rels]
    assert len(ids) == len(set(ids)), f"{ruta}: Id repetido {ids}"
    return rels


def _destino(base: str, target: str) -> str:
    import posixpath

    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def estructura_lite(datos: bytes) -> dict[str, bytes]:
    """Assert the web-extension parts follow the format and hold our Lite code; return
    every web-extension part (name -> bytes) with the package's relationship to them."""
    with zipfile.ZipFile(io.BytesIO(datos)) as z:
        nombres = set(z.namelist())
        paneles = [r for r in _rels(z, "_rels/.rels") if r.get("Type") == REL_TASKPANES]
        assert len(paneles) == 1, "una relación del paquete al panel de tareas"
        panel = _destino("", paneles[0].get("Target", ""))
        assert panel in nombres, panel
        tipos = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {
            o.get("PartName", "").lstrip("/"): o.get("ContentType")
            for o in tipos.findall(f"{{{NS_CT}}}Override")
        }
        assert overrides.get(panel) == CT_TASKPANES
        raiz = ET.fromstring(z.read(panel))
        assert raiz.tag == f"{{{NS_WETP}}}taskpanes"
        rels_panel = {
            r.get("Id"): r
            for r in _rels(z, f"{panel.rpartition('/')[0]}/_rels/{panel.rpartition('/')[2]}.rels")
        }
        lite = []
        for pane in raiz.findall(f"{{{NS_WETP}}}taskpane"):
            ref = pane.find(f"{{{NS_WETP}}}webextensionref")
            assert ref is not None
            rel = rels_panel[ref.get(f"{{{NS_R}}}id")]
            assert rel.get("Type") == REL_WEBEXTENSION
            parte = _destino(panel, rel.get("Target", ""))
            assert parte in nombres and overrides.get(parte) == CT_WEBEXTENSION, parte
            extension = ET.fromstring(z.read(parte))
            assert extension.tag == f"{{{NS_WE}}}webextension" and extension.get("id")
            referencia = extension.find(f"{{{NS_WE}}}reference")
            assert referencia is not None
            if (referencia.get("id") or "").upper() == ID_TIENDA:
                assert referencia.get("storeType") == "OMEX"
                assert pane.get("visibility") in ("1", "true")
                lite.append(parte)
        assert len(lite) == 1, "una sola extensión de xlwings Lite"
        encontrada = leer_lite(datos)
        assert encontrada is not None and encontrada.parte == lite[0]
        main_py, requisitos = encontrada.texto("main.py"), encontrada.texto("requirements.txt")
        assert main_py and "@script" in main_py and "xl_metas" in main_py
        assert requisitos and "xlwings==" in requisitos
        partes = {n: z.read(n) for n in sorted(nombres) if n.startswith("xl/webextensions/")}
        # the package relationship: its Id is the package's business, not the add-in's
        partes["_rels/.rels#panel"] = f"{REL_TASKPANES} -> {paneles[0].get('Target')}".encode()
        return partes


def correr_scripts(
    main_py: str,
    llamadas: Sequence[tuple[str, Mapping[str, Any]]],
    carpeta: Path,
) -> list[dict[str, Any]]:
    """Run ``main.py``'s scripts (name, payload), each on its own book, in a subprocess
    with Pyodide's limits; one result per call: ``actions``, ``impreso``, ``modulos``
    (third-party top-level modules loaded), ``origen`` (``xl_metas.__file__``)."""
    entrada = carpeta / "lite_entrada.json"
    salida = carpeta / "lite_salida.json"
    (carpeta / "main.py").write_text(main_py, encoding="utf-8")
    entrada.write_text(json.dumps({"llamadas": [list(ll) for ll in llamadas]}), encoding="utf-8")
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", TMPDIR=str(carpeta))
    env.pop("PYTHONPATH", None)
    proceso = subprocess.run(
        [sys.executable, str(_CORRER), str(carpeta / "main.py"), str(entrada), str(salida)],
        capture_output=True,
        text=True,
        env=env,
        cwd=carpeta,
        timeout=300,
    )
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    resultado: list[dict[str, Any]] = json.loads(salida.read_text(encoding="utf-8"))
    return resultado
