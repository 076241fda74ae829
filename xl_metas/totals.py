"""Totals of the plan with pandas: per meta, per programa × month, per quarter, overall."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import MESES, TRIMESTRES, Plan, numero_plano
from .text import fold


@dataclass(frozen=True)
class Totales:
    metas: pd.DataFrame  # one row per meta: meta, programa, anual, ENE…DIC, suma, diferencia
    programas: pd.DataFrame  # one row per programa: anual, ENE…DIC, T1…T4, suma
    general: pd.Series  # anual, ENE…DIC, T1…T4, suma


def _quarters(frame: pd.DataFrame) -> pd.DataFrame:
    for index, trimestre in enumerate(TRIMESTRES):
        frame[trimestre] = frame[list(MESES[index * 3 : index * 3 + 3])].sum(axis=1)
    return frame


def compute_totals(plan: Plan) -> Totales:
    """Sums count what is a number; text and blanks add nothing (validation reports them)."""
    records = [
        {
            "meta": m.numero.raw if m.numero.numero is None else numero_plano(m.numero.numero),
            "programa": m.programa.texto,
            "clave_programa": fold(m.programa.texto),
            "anual": m.anual.numero,
            **{mes: valor.numero for mes, valor in zip(MESES, m.meses, strict=True)},
        }
        for m in plan.metas
    ]
    columns = ["meta", "programa", "clave_programa", "anual", *MESES]
    metas = pd.DataFrame.from_records(records, columns=columns)
    months = list(MESES)
    metas[months] = metas[months].astype("float64").fillna(0.0)
    metas["anual"] = metas["anual"].astype("float64")
    metas["suma"] = metas[months].sum(axis=1)
    metas["diferencia"] = metas["suma"] - metas["anual"]

    grouped = metas.groupby("clave_programa", sort=False)
    programas = grouped[["anual", *months, "suma"]].sum(min_count=0)
    programas.insert(0, "programa", grouped["programa"].first())
    programas = _quarters(programas.reset_index(drop=True))

    general = metas[["anual", *months, "suma"]].sum()
    for index, trimestre in enumerate(TRIMESTRES):
        general[trimestre] = general[list(MESES[index * 3 : index * 3 + 3])].sum()
    return Totales(metas=metas.drop(columns="clave_programa"), programas=programas, general=general)
