"""Validation of the plan: a list of small rules, each returning findings.

Adding a rule is adding a function to ``PLAN_RULES``. A rule never raises on bad data:
bad data is what it reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .model import MESES, Hallazgo, Meta, Plan, Severidad, Valor, as_number, texto_numero
from .text import fold

Rule = Callable[[Plan], Iterable[Hallazgo]]

ORDEN_SEVERIDAD = {Severidad.ERROR: 0, Severidad.ADVERTENCIA: 1, Severidad.INFO: 2}


def _finding(
    regla: str, severidad: Severidad, plan: Plan, valor: Valor, meta: Meta | None, mensaje: str
) -> Hallazgo:
    return Hallazgo(regla, severidad, plan.hoja, valor.celda, meta.clave if meta else "", mensaje)


def _label(meta: Meta) -> str:
    return f"la meta {meta.clave}" if meta.clave else f"la fila {meta.fila or '?'}"


def _calendar_sum(meta: Meta) -> float:
    return sum(m.numero or 0.0 for m in meta.meses if m.numero is not None)


def _calendar_empty(meta: Meta) -> bool:
    return all(m.vacio for m in meta.meses)


def anual_vs_calendario(plan: Plan) -> Iterator[Hallazgo]:
    """The annual target must equal the sum of the monthly calendar."""
    for meta in plan.metas:
        anual = meta.anual.numero
        if anual is None or _calendar_empty(meta):
            continue
        suma = _calendar_sum(meta)
        if suma != anual:
            yield _finding(
                "anual-vs-calendario",
                Severidad.ERROR,
                plan,
                meta.anual,
                meta,
                f"En {_label(meta)} el programa anual ({texto_numero(anual)}) no coincide con "
                f"la suma del calendario ({texto_numero(suma)}); diferencia "
                f"{texto_numero(suma - anual)}. Corrija el programa anual o los meses.",
            )


def meta_duplicada(plan: Plan) -> Iterator[Hallazgo]:
    """Each meta number appears once."""
    first: dict[str, Meta] = {}
    for meta in plan.metas:
        if not meta.clave:
            continue
        if meta.clave in first:
            yield _finding(
                "meta-duplicada",
                Severidad.ERROR,
                plan,
                meta.numero,
                meta,
                f"La meta {meta.clave} está repetida (ya aparece en la celda "
                f"{first[meta.clave].numero.celda or '?'}). Dé a cada meta un número distinto.",
            )
        else:
            first[meta.clave] = meta


def numeracion_con_huecos(plan: Plan) -> Iterator[Hallazgo]:
    """Meta numbers run without gaps (informative: a meta may have been dropped on purpose)."""
    numbers = sorted(
        {int(n) for m in plan.metas if (n := m.numero.numero) is not None and n.is_integer()}
    )
    if len(numbers) < 2:
        return
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
    if missing:
        lista = ", ".join(str(n) for n in missing)
        yield Hallazgo(
            "numeracion-con-huecos",
            Severidad.INFO,
            plan.hoja,
            "",
            "",
            f"Faltan números en la numeración de metas: {lista}. Si no fue a propósito, "
            "revise si se borró alguna meta.",
        )


def _count_problem(raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    number = as_number(raw)
    if number is None or isinstance(raw, str):
        return f"tiene texto («{raw}») donde va una cantidad"
    if number < 0:
        return f"tiene una cantidad negativa ({texto_numero(number)})"
    if not number.is_integer():
        return f"tiene una cantidad con decimales ({texto_numero(number)})"
    return None


def cantidades_invalidas(plan: Plan) -> Iterator[Hallazgo]:
    """Annual and monthly counts are whole, non-negative numbers."""
    for meta in plan.metas:
        fields = [("programa anual", meta.anual)] + [
            (mes, valor) for mes, valor in zip(MESES, meta.meses, strict=True)
        ]
        for nombre, valor in fields:
            problem = _count_problem(valor.raw)
            if problem:
                yield _finding(
                    "cantidad-invalida",
                    Severidad.ERROR,
                    plan,
                    valor,
                    meta,
                    f"En {_label(meta)}, {nombre} {problem}. Escriba un número entero "
                    "mayor o igual a cero.",
                )


def numero_de_meta_invalido(plan: Plan) -> Iterator[Hallazgo]:
    """A meta number is a positive whole number."""
    for meta in plan.metas:
        if meta.numero.vacio:
            continue
        number = meta.numero.numero
        if number is None or number <= 0 or not number.is_integer():
            yield _finding(
                "numero-de-meta-invalido",
                Severidad.ERROR,
                plan,
                meta.numero,
                meta,
                f"El número de meta «{meta.numero.texto}» no es un entero positivo. "
                "Numere las metas 1, 2, 3…",
            )


_REQUIRED = (
    ("numero", "el número de meta"),
    ("programa", "el programa"),
    ("descripcion", "la descripción de la meta"),
    ("unidad", "la unidad de medida"),
    ("anual", "el programa anual"),
)


def campos_obligatorios(plan: Plan) -> Iterator[Hallazgo]:
    """Programa, meta, description, unit and annual target are filled in."""
    for meta in plan.metas:
        for field, nombre in _REQUIRED:
            valor: Valor = getattr(meta, field)
            if valor.vacio:
                yield _finding(
                    "campo-obligatorio",
                    Severidad.ERROR,
                    plan,
                    valor,
                    meta,
                    f"Falta {nombre} en {_label(meta)}. Escríbalo en la celda "
                    f"{valor.celda or 'correspondiente'}.",
                )


def objetivo_inicial(plan: Plan) -> Iterator[Hallazgo]:
    """The first meta of a programa states its objetivo (later rows may continue it)."""
    for meta in plan.metas:
        if meta.objetivo.vacio and not meta.objetivo_heredado:
            yield _finding(
                "objetivo-vacio",
                Severidad.ERROR,
                plan,
                meta.objetivo,
                meta,
                f"{_label(meta).capitalize()} es la primera de su programa y no tiene objetivo. "
                "Escriba el objetivo (las filas siguientes pueden dejarlo en blanco para "
                "continuarlo).",
            )


def programas_escritos_distinto(plan: Plan) -> Iterator[Hallazgo]:
    """One programa, one spelling: names equal but for accents, case or spaces."""
    yield from _variants(
        plan,
        "programa-escrito-distinto",
        lambda m: m.programa,
        fold,
        "El programa «{otro}» está escrito distinto que «{primero}» ({celda}). "
        "Use una sola forma para que los totales no se separen.",
    )


def _singulars(text: str) -> set[str]:
    word = fold(text)
    forms = {word}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    return forms


def unidades_escritas_distinto(plan: Plan) -> Iterator[Hallazgo]:
    """One unit, one spelling: units equal but for plural, accents or case."""
    firsts: list[tuple[set[str], Valor, Meta]] = []
    for meta in plan.metas:
        unidad = meta.unidad
        if unidad.vacio:
            continue
        forms = _singulars(unidad.texto)
        for seen_forms, seen, seen_meta in firsts:
            if not forms & seen_forms:
                continue
            if unidad.texto != seen.texto:
                yield _finding(
                    "unidad-escrita-distinto",
                    Severidad.ADVERTENCIA,
                    plan,
                    unidad,
                    meta,
                    f"La unidad «{unidad.texto}» de {_label(meta)} es la misma que "
                    f"«{seen.texto}» de la meta {seen_meta.clave} ({seen.celda or '?'}) "
                    "escrita de otra forma. Use una sola forma.",
                )
            break
        else:
            firsts.append((forms, unidad, meta))


def _variants(
    plan: Plan,
    regla: str,
    pick: Callable[[Meta], Valor],
    key: Callable[[str], str],
    template: str,
) -> Iterator[Hallazgo]:
    first: dict[str, Valor] = {}
    reported: set[tuple[str, str]] = set()
    for meta in plan.metas:
        valor = pick(meta)
        if valor.vacio:
            continue
        k = key(valor.texto)
        if k not in first:
            first[k] = valor
            continue
        primero = first[k]
        if valor.texto != primero.texto and (k, valor.texto) not in reported:
            reported.add((k, valor.texto))
            yield _finding(
                regla,
                Severidad.ADVERTENCIA,
                plan,
                valor,
                meta,
                template.format(
                    otro=valor.texto, primero=primero.texto, celda=primero.celda or "?"
                ),
            )


def calendario_vacio(plan: Plan) -> Iterator[Hallazgo]:
    """A meta with an annual target has its months planned."""
    for meta in plan.metas:
        anual = meta.anual.numero
        if anual and anual > 0 and _calendar_empty(meta):
            yield _finding(
                "calendario-vacio",
                Severidad.ERROR,
                plan,
                meta.anual,
                meta,
                f"{_label(meta).capitalize()} tiene programa anual {texto_numero(anual)} pero "
                "ningún mes programado. Reparta el programa anual en el calendario ENE…DIC.",
            )


PLAN_RULES: list[Rule] = [
    campos_obligatorios,
    numero_de_meta_invalido,
    meta_duplicada,
    numeracion_con_huecos,
    cantidades_invalidas,
    anual_vs_calendario,
    calendario_vacio,
    objetivo_inicial,
    programas_escritos_distinto,
    unidades_escritas_distinto,
]


def validate_plan(plan: Plan, rules: Iterable[Rule] = PLAN_RULES) -> list[Hallazgo]:
    findings = [finding for rule in rules for finding in rule(plan)]
    return sort_findings(findings)


def sort_findings(findings: Iterable[Hallazgo]) -> list[Hallazgo]:
    return sorted(findings, key=lambda f: ORDEN_SEVERIDAD[f.severidad])


def count_by_severity(findings: Iterable[Hallazgo]) -> dict[Severidad, int]:
    counts: dict[Severidad, int] = defaultdict(int)
    for finding in findings:
        counts[finding.severidad] += 1
    return {s: counts[s] for s in ORDEN_SEVERIDAD}


_PLURAL = {
    Severidad.ERROR: "errores",
    Severidad.ADVERTENCIA: "advertencias",
    Severidad.INFO: "info",
}


def count_text(findings: Iterable[Hallazgo]) -> str:
    """'2 errores, 1 advertencia, 0 info' for messages."""
    return ", ".join(
        f"{n} {severidad if n == 1 else _PLURAL[severidad]}"
        for severidad, n in count_by_severity(findings).items()
    )
