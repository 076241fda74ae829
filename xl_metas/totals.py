"""Totals of the plan with pandas: per meta, per programa × month, per quarter, overall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .model import MESES, TRIMESTRES, Plan
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
            "meta": m.numero.raw if m.numero.numero is None else _plain(m.numero.numero),
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


def _plain(number: Any) -> Any:
    """1.0 -> 1 for display and JSON; keeps real fractions and blanks (None)."""
    if number is None or pd.isna(number):
        return None
    number = float(number)
    return int(number) if number.is_integer() else number


def totals_json(totales: Totales) -> dict[str, Any]:
    """The `resumen --json` document."""
    metas = [
        {
            "meta": row["meta"],
            "programa": row["programa"],
            "anual": _plain(row["anual"]),
            "suma_calendario": _plain(row["suma"]),
            "diferencia": _plain(row["diferencia"]),
            "meses": [_plain(row[m]) for m in MESES],
        }
        for row in totales.metas.to_dict("records")
    ]
    programas = [
        {
            "programa": row["programa"],
            "anual": _plain(row["anual"]),
            "suma_calendario": _plain(row["suma"]),
            "meses": [_plain(row[m]) for m in MESES],
            "trimestres": [_plain(row[t]) for t in TRIMESTRES],
        }
        for row in totales.programas.to_dict("records")
    ]
    g = totales.general
    general = {
        "anual": _plain(g["anual"]),
        "suma_calendario": _plain(g["suma"]),
        "meses": [_plain(g[m]) for m in MESES],
        "trimestres": [_plain(g[t]) for t in TRIMESTRES],
    }
    return {"metas": metas, "programas": programas, "total": general}
