"""What identifies a copy: the stamp in its document properties, the plan's fingerprint,
the copy's file name."""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import MESES, Meta, Plan
from ..text import fold

HOJA_CONSOLIDACION = "Consolidación"
HOJA_IDENTIDAD = "Identidad del libro"
SUBCARPETA_ENVIO = "enviadas"
EXTENSIONES_COPIA = (".xlsx", ".xlsm")

# Custom document properties of a copy (names are ASCII: every application keeps them).
PROP_LIBRO = "xlmetas_libro"
PROP_ANIO = "xlmetas_anio"
PROP_PROGRAMA = "xlmetas_programa"
PROP_HUELLA_PLAN = "xlmetas_huella_plan"
PROP_HUELLA_CONTENIDO = "xlmetas_huella_contenido"
PROP_EXPORTADA = "xlmetas_exportada"
PROP_VERSION = "xlmetas_version"

AVISO_IDENTIDAD = (
    "No modifique esta hoja: xl-metas reconoce con este identificador las copias por área "
    "exportadas desde este libro."
)
ETIQUETA_ID = "IDENTIFICADOR"
JUSTIFICACION = "JUSTIFICACIÓN"
_CAMPOS = (*MESES, "justificacion")


# -- the stamp ---
@dataclass(frozen=True)
class Sello:
    """Where a copy comes from: master id, year, programa, plan and content fingerprints."""

    libro: str
    anio: int | None
    programa: str
    huella_plan: str
    huella_contenido: str
    exportada: str  # ISO time of the export
    version: str = __version__

    def propiedades(self) -> dict[str, str]:
        return {
            PROP_LIBRO: self.libro,
            PROP_ANIO: "" if self.anio is None else str(self.anio),
            PROP_PROGRAMA: self.programa,
            PROP_HUELLA_PLAN: self.huella_plan,
            PROP_HUELLA_CONTENIDO: self.huella_contenido,
            PROP_EXPORTADA: self.exportada,
            PROP_VERSION: self.version,
        }

    @classmethod
    def desde(cls, props: dict[str, str]) -> Sello | None:
        if not props.get(PROP_LIBRO) or PROP_PROGRAMA not in props:
            return None
        anio = props.get(PROP_ANIO, "").strip()
        return cls(
            libro=props[PROP_LIBRO],
            anio=int(anio) if anio.isdigit() else None,
            programa=props[PROP_PROGRAMA],
            huella_plan=props.get(PROP_HUELLA_PLAN, ""),
            huella_contenido=props.get(PROP_HUELLA_CONTENIDO, ""),
            exportada=props.get(PROP_EXPORTADA, ""),
            version=props.get(PROP_VERSION, ""),
        )


def _hash(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=4096)
def _fold(texto: str) -> str:
    """``fold`` remembered: the same few programa names are folded thousands of times."""
    return fold(texto)


_TEXTO = operator.attrgetter("texto")  # mapped over a meta's cells: no generator per meta


def _meta_plana(meta: Meta) -> list[str]:
    return [
        _fold(meta.programa.texto),
        meta.objetivo.texto,
        meta.clave,
        *map(_TEXTO, (meta.descripcion, meta.unidad, meta.anual, *meta.meses)),
    ]


def huella_plan(metas: Iterable[Meta]) -> str:
    """Fingerprint of a programa's metas as written (order, texts and figures)."""
    return _hash([_meta_plana(m) for m in metas])


def metas_de(plan: Plan, programa: str) -> list[Meta]:
    clave = _fold(programa)
    return [m for m in plan.metas if _fold(m.programa.texto) == clave]


_PROHIBIDOS_ARCHIVO = re.compile(r'[\\/:*?"<>|]')


def nombre_copia(libro: str, programa: str) -> str:
    """ "Metas2011 - Vinculación.xlsm" for programa "VINCULACIÓN" of Metas2011.xlsm."""
    texto = " ".join(programa.split()) or "Sin programa"
    if texto.isupper():
        texto = texto.capitalize()
    texto = _PROHIBIDOS_ARCHIVO.sub("-", texto).strip(" .")
    return f"{Path(libro).stem} - {texto}{Path(libro).suffix.lower()}"
