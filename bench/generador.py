"""Synthetic plans for benchmarks: thousands of metas with realistic text and a few errors."""

from __future__ import annotations

import random
from pathlib import Path

from xl_metas.model import Meta, Plan, Valor
from xl_metas.operaciones import plan_sheet
from xl_metas.workbook_file import crear_libro

_WORDS = (
    "fortalecer promover transparencia acceso información pública sujetos obligados "
    "capacitación difusión cultura rendición cuentas lineamientos municipio sociedad civil "
    "archivo clasificación seguimiento convenios instituciones certeza jurídica ciudadanía "
    "publicidad obligaciones materia estado informe congreso programa eventos talleres"
).split()
_UNITS = ("Visitas", "Reuniones", "Programa", "Convenios", "Documento", "Eventos", "Informe")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words) + ".").capitalize()


def plan_sintetico(metas: int = 5000, programas: int = 15, seed: int = 2011) -> Plan:
    """A plan of ``metas`` metas; about one in 500 has a deliberate error."""
    rng = random.Random(seed)
    out: list[Meta] = []
    per_programa = max(1, metas // programas)
    objetivo = ""
    for index in range(metas):
        programa = f"PROGRAMA SINTÉTICO {index // per_programa + 1:02d}"
        if index % per_programa == 0 or rng.random() < 0.4:
            objetivo = _sentence(rng, 20, 45)
        meses: list[object] = [rng.choice((None, None, 1, 2, 3, 5)) for _ in range(12)]
        anual: object = sum(m for m in meses if isinstance(m, int)) or None
        if anual is None:
            meses[11], anual = 1, 1
        if index % 499 == 7:
            anual = int(anual) + 1  # type: ignore[call-overload]
        if index % 997 == 11:
            meses[3] = "tres"
        numero = index + 1 if index % 1499 != 5 else index
        out.append(
            Meta(
                programa=Valor(programa),
                objetivo=Valor(objetivo),
                numero=Valor(numero),
                descripcion=Valor(_sentence(rng, 8, 30)),
                unidad=Valor(rng.choice(_UNITS)),
                anual=Valor(anual),
                meses=tuple(Valor(m) for m in meses),
            )
        )
    return Plan(tuple(out), anio=2011, institucion="INSTITUTO SINTÉTICO DE PRUEBA")


def escribir_plan(path: Path, metas: int = 5000, seed: int = 2011) -> Path:
    crear_libro(path, [plan_sheet(plan_sintetico(metas, seed=seed))])
    return path
