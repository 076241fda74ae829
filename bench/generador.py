"""Synthetic plans for benchmarks: thousands of metas with realistic text and a few errors."""

from __future__ import annotations

import random
from pathlib import Path

from xl_metas import build
from xl_metas.config import Configuracion
from xl_metas.estados import cantidad
from xl_metas.model import Meta, Plan, Valor
from xl_metas.muestra import CORTE_MUESTRA as CORTE
from xl_metas.muestra import realizado_muestra
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


def plan_sintetico(
    metas: int = 5000, programas: int = 15, seed: int = 2011, errores: float | None = None
) -> Plan:
    """A plan of ``metas`` metas; about one in 500 has a deliberate error, or the fraction
    ``errores`` of them (an annual target off by one: one finding each; 0: none)."""
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
        if errores is not None:
            if rng.random() < errores:
                anual = int(anual) + 1  # type: ignore[call-overload]
            numero = index + 1
        else:
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


def escribir_libro(
    path: Path,
    metas: int = 5000,
    programas: int = 25,
    errores: float = 0.1,
    macros: bool = True,
    muestra: bool = False,
    futuros: float = 0.0,
) -> Path:
    """A complete workbook as ``importar`` makes it (Inicio, Plan, Avance, Configuración;
    with macros the VBA project, buttons and Lite code) for a synthetic plan, its Avance
    filled with the demo's sample realizado and its cut-off (15/06/2011). ``errores``: the
    fraction of metas whose annual target disagrees with its calendar. The realizado is
    what was planned for the closed months (no finding), or with ``muestra`` the demo's
    patterns (late, partial, over-achieved metas: red ones without justificación); with
    ``futuros`` that fraction of metas also has realizado in December (a warning each)."""
    plan = plan_sintetico(metas, programas=programas, errores=errores)
    rng = random.Random(16)
    realizado = {}
    for meta, (hecho, _) in zip(plan.metas, realizado_muestra(plan), strict=True):
        if not muestra:
            hecho = [
                cantidad(v.raw) if m < CORTE.month - 1 else 0.0 for m, v in enumerate(meta.meses)
            ]
        if rng.random() < futuros:
            hecho = [*hecho[:11], 1.0]
        realizado[meta.clave] = tuple(Valor(int(v) if v else None) for v in hecho)
    config = Configuracion(anio=plan.anio, institucion=plan.institucion or "", fecha_corte=CORTE)
    datos = build.workbook_bytes(plan, macros=macros, config=config, realizado=realizado)
    path.write_bytes(datos)
    return path
