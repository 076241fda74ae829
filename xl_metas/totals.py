"""Totals of the plan with pandas: per meta, per programa × period, per quarter, per unit.

A plan calendarised by month totals ENE…DIC and its quarters T1…T4; one calendarised by
quarter totals T1…T4 as they are (no months are invented). Figures in different units
are never added: the programa rows and the overall total add the metas counted in whole
units (``unidades.ClaseUnidad.CONTEO``, what the institute always added up), and each
programa's metas in a percentage or a measure get a row of their own per unit;
``por_unidad`` gives every unit of the plan its own total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import TRIMESTRES, Meta, Periodicidad, Plan, numero_plano, redondear
from .text import fold
from .unidades import ClaseUnidad, agrupar, clase_unidad

if TYPE_CHECKING:  # imported by compute_totals: a command that adds nothing up never pays it
    import pandas as pd


@dataclass(frozen=True)
class Totales:
    # one row per meta: meta, programa, unidad, clase, anual, periods, suma, diferencia
    metas: pd.DataFrame
    # one row per programa (its count metas) and per programa × unit for its metas in a
    # percentage or a measure: programa, unidad (None for counts), clase, metas, anual,
    # periods, T1…T4, suma
    programas: pd.DataFrame
    # the metas counted in whole units: anual, periods, T1…T4, suma, metas
    general: pd.Series
    # one row per unit of measure («Evento» and «Eventos» are one): unidad, clase, metas,
    # anual, periods, T1…T4, suma
    por_unidad: pd.DataFrame
    periodicidad: Periodicidad = Periodicidad.MENSUAL

    @property
    def periodos(self) -> tuple[str, ...]:
        """The calendar's columns: ENE…DIC, or T1…T4."""
        return self.periodicidad.periodos

    @property
    def columnas(self) -> tuple[str, ...]:
        """Period columns then quarter columns, each once: ENE…DIC, T1…T4 — or T1…T4."""
        return tuple(dict.fromkeys((*self.periodos, *TRIMESTRES)))


def suma_calendario(meta: Meta) -> float:
    """SUMA DEL CALENDARIO of a meta: what is a number added up exactly (text and blanks
    add nothing, validation reports them), without floating-point noise."""
    numeros = [n for n in (v.numero for v in meta.meses) if n is not None]
    return redondear(math.fsum(numeros))


def calendario(meta: Meta) -> tuple[float, float | None]:
    """A meta's (SUMA DEL CALENDARIO, DIFERENCIA against its annual target); the
    difference is None without a number for the annual target. Plain Python: recalcular
    writes these for every meta and need not import pandas for them."""
    suma = suma_calendario(meta)
    anual = meta.anual.numero
    return suma, None if anual is None else redondear(suma - anual)


def _quarters(frame: pd.DataFrame, periodicidad: Periodicidad) -> pd.DataFrame:
    if periodicidad is Periodicidad.TRIMESTRAL:
        return frame  # the calendar already is the quarters
    meses = periodicidad.periodos
    for index, trimestre in enumerate(TRIMESTRES):
        frame[trimestre] = frame[list(meses[index * 3 : index * 3 + 3])].sum(axis=1)
    return frame


def _sumas(frame: pd.DataFrame, by: list[str], periodos: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=False, dropna=False)
    out = grouped[["anual", *periodos, "suma"]].sum(min_count=0)
    out.insert(0, "metas", grouped["meta"].size())
    return out


def compute_totals(plan: Plan) -> Totales:
    """Sums count what is a number; text and blanks add nothing (validation reports them)."""
    import pandas as pd

    periodos = list(plan.periodos)
    unidades = agrupar(m.unidad.texto for m in plan.metas)
    records = [
        {
            "meta": m.numero.raw if m.numero.numero is None else numero_plano(m.numero.numero),
            "programa": m.programa.texto,
            "clave_programa": fold(m.programa.texto),
            "unidad": unidades[m.unidad.texto],
            "clave_unidad": fold(unidades[m.unidad.texto]),
            "clase": str(clase_unidad(m.unidad.texto)),
            "anual": m.anual.numero,
            **{p: valor.numero for p, valor in zip(periodos, m.meses, strict=True)},
        }
        for m in plan.metas
    ]
    columns = [
        "meta",
        "programa",
        "clave_programa",
        "unidad",
        "clave_unidad",
        "clase",
        "anual",
        *periodos,
    ]
    metas = pd.DataFrame.from_records(records, columns=columns)
    metas[periodos] = metas[periodos].astype("float64").fillna(0.0)
    metas["anual"] = metas["anual"].astype("float64")
    # Rounded before subtracting: 0.1 + 0.2 against 0.3 is a difference of 0, not 5.6e-17.
    metas["suma"] = pd.Series([suma_calendario(m) for m in plan.metas], dtype="float64")
    metas["diferencia"] = (metas["suma"] - metas["anual"]).map(redondear)

    conteo = metas["clase"] == str(ClaseUnidad.CONTEO)
    # The group a meta adds into: its programa, and its unit unless it is a count.
    metas["clave_grupo"] = metas["clave_unidad"].where(~conteo, "")
    claves = ["clave_programa", "clave_grupo"]
    programas = _sumas(metas, claves, periodos).reset_index()
    primeros = metas.groupby(claves, sort=False)[["programa", "unidad"]].first()
    aparte = programas["clave_grupo"] != ""
    programas.insert(0, "clase", metas.groupby(claves, sort=False)["clase"].first().to_numpy())
    programas.insert(0, "unidad", primeros["unidad"].to_numpy())
    programas.loc[~aparte, "unidad"] = None
    programas.insert(0, "programa", primeros["programa"].to_numpy())
    # Plan order of the programas; in each, its count row first, then its units.
    orden = {k: i for i, k in enumerate(dict.fromkeys(metas["clave_programa"]))}
    programas["_orden"] = programas["clave_programa"].map(orden)
    programas["_aparte"] = aparte
    programas = programas.sort_values(["_orden", "_aparte"], kind="stable")
    programas = programas.drop(columns=[*claves, "_orden", "_aparte"]).reset_index(drop=True)
    programas = _quarters(programas, plan.periodicidad)

    contadas = metas[conteo]
    general = contadas[["anual", *periodos, "suma"]].sum()
    if plan.periodicidad is Periodicidad.MENSUAL:
        for index, trimestre in enumerate(TRIMESTRES):
            general[trimestre] = general[periodos[index * 3 : index * 3 + 3]].sum()
    general["metas"] = len(contadas)

    por_unidad = _sumas(metas, ["clave_unidad"], periodos)
    primeras = metas.groupby("clave_unidad", sort=False).first()
    por_unidad.insert(0, "clase", primeras["clase"])
    por_unidad.insert(0, "unidad", primeras["unidad"])
    por_unidad = _quarters(por_unidad.reset_index(drop=True), plan.periodicidad)
    return Totales(
        metas=metas.drop(columns=["clave_programa", "clave_unidad", "clave_grupo"]),
        programas=programas,
        general=general,
        por_unidad=por_unidad,
        periodicidad=plan.periodicidad,
    )


def grupos_de_suma(plan: Plan) -> list[tuple[str, str]]:
    """Per meta, the row of ``Totales.programas`` it adds into: (folded programa, "" for a
    count or the folded unit of a percentage or a measure)."""
    unidades = agrupar(m.unidad.texto for m in plan.metas)
    return [
        (
            fold(m.programa.texto),
            ""
            if clase_unidad(m.unidad.texto) is ClaseUnidad.CONTEO
            else fold(unidades[m.unidad.texto]),
        )
        for m in plan.metas
    ]
