"""Validation of the plan: a list of small rules, each returning findings.

Adding a rule is adding a function to ``PLAN_RULES``. A rule never raises on bad data:
bad data is what it reports.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .model import (
    NUMERO_MAXIMO,
    EncabezadoRepetido,
    ErrorExcel,
    FormulaSinValor,
    Hallazgo,
    Meta,
    Plan,
    Severidad,
    Valor,
    as_number,
    entero_en_texto,
    redondear,
    sin_valor,
    texto_numero,
)
from .text import CONTROLES, controles, fold, invisibles, visible
from .totals import suma_calendario
from .unidades import acepta_decimales, formas

# Meta numbers run 1, 2, 3…: a larger one is a typing error (and would make the gaps
# between numbers endless).
META_MAXIMA = 99_999

Rule = Callable[[Plan], Iterable[Hallazgo]]

ORDEN_SEVERIDAD = {Severidad.ERROR: 0, Severidad.ADVERTENCIA: 1, Severidad.INFO: 2}


def _finding(
    regla: str, severidad: Severidad, plan: Plan, valor: Valor, meta: Meta | None, mensaje: str
) -> Hallazgo:
    return Hallazgo(regla, severidad, plan.hoja, valor.celda, meta.clave if meta else "", mensaje)


def _label(meta: Meta) -> str:
    return f"la meta {meta.clave}" if meta.clave else f"la fila {meta.fila or '?'}"


def _calendar_empty(meta: Meta) -> bool:
    return all(m.vacio for m in meta.meses)


def anual_vs_calendario(plan: Plan) -> Iterator[Hallazgo]:
    """The annual target must equal the sum of the calendar (12 months or 4 quarters)."""
    for meta in plan.metas:
        anual = meta.anual.numero
        if anual is None or _calendar_empty(meta):
            continue
        suma = suma_calendario(meta)  # what recalcular writes as SUMA DEL CALENDARIO
        if suma != redondear(anual):
            fuera = [p for p, m in zip(plan.periodos, meta.meses, strict=True) if _no_suma(m)]
            que = "que no es una cantidad" if len(fuera) == 1 else "que no son cantidades"
            sin_contar = f", sin contar {', '.join(fuera)}, {que}" if fuera else ""
            yield _finding(
                "anual-vs-calendario",
                Severidad.ERROR,
                plan,
                meta.anual,
                meta,
                f"En {_label(meta)} el programa anual ({texto_numero(anual)}) no coincide con "
                f"la suma del calendario ({texto_numero(suma)}{sin_contar}); diferencia "
                f"{texto_numero(suma - anual)}. Corrija el programa anual o los "
                f"{plan.periodicidad.plural}.",
            )


def _no_suma(valor: Valor) -> bool:
    return not valor.vacio and valor.numero is None


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
        {
            int(n)
            for m in plan.metas
            if (n := m.numero.numero) is not None and n.is_integer() and 0 < n <= META_MAXIMA
        }
    )
    if len(numbers) < 2:
        return
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
    if missing:
        lista = ", ".join(str(n) for n in missing[:20])
        if len(missing) > 20:
            lista += f" y {len(missing) - 20} más"
        yield Hallazgo(
            "numeracion-con-huecos",
            Severidad.INFO,
            plan.hoja,
            "",
            "",
            f"Faltan números en la numeración de metas: {lista}. Si no fue a propósito, "
            "revise si se borró alguna meta.",
        )


def _count_problem(raw: Any, decimales: bool = False) -> str | None:
    """What is wrong with a count as written, or None (a blank, a whole number ≥ 0 — or
    any number ≥ 0 with ``decimales``, for a percentage or a measure; Excel errors and
    formulas never calculated have rules of their own)."""
    tipo = type(raw)
    counted = (tipo is float or tipo is int) and 0 <= raw < NUMERO_MAXIMO
    if counted and (decimales or tipo is int or raw.is_integer()):
        return None  # the common case: a count as it should be
    if raw is None or (isinstance(raw, str) and not raw.strip()) or sin_valor(raw):
        return None
    if isinstance(raw, bool):
        return f"tiene un valor lógico ({'VERDADERO' if raw else 'FALSO'}) donde va una cantidad"
    if isinstance(raw, dt.date):
        return f"tiene una fecha ({raw:%d/%m/%Y}) donde va una cantidad"
    if isinstance(raw, dt.time | dt.timedelta):
        return f"tiene una hora o una duración («{raw}») donde va una cantidad"
    if isinstance(raw, str) or not isinstance(raw, int | float):
        return f"tiene texto («{raw}») donde va una cantidad"
    if isinstance(raw, float) and not math.isfinite(raw):
        return f"tiene un valor que no es un número («{raw}»)"
    number = as_number(raw)
    if number is None:
        return f"tiene una cantidad demasiado grande ({texto_numero(float(raw))})"
    if number < 0:
        return f"tiene una cantidad negativa ({texto_numero(number)})"
    if not number.is_integer() and not decimales:
        return f"tiene una cantidad con decimales ({texto_numero(number)})"
    return None


def instruccion_cantidad(decimales: bool) -> str:
    """What to write instead, for the unit of the meta."""
    if decimales:
        return "Escriba un número mayor o igual a cero."
    return "Escriba un número entero mayor o igual a cero."


def cantidades_invalidas(plan: Plan) -> Iterator[Hallazgo]:
    """Annual and calendar figures are non-negative numbers, whole for a count unit (a
    percentage or a measure may have decimals: see ``unidades``)."""
    for meta in plan.metas:
        fields = [("programa anual", meta.anual)] + [
            (p, valor) for p, valor in zip(plan.periodos, meta.meses, strict=True)
        ]
        decimales = acepta_decimales(meta.unidad.texto)
        for nombre, valor in fields:
            problem = _count_problem(valor.raw, decimales)
            if problem:
                yield _finding(
                    "cantidad-invalida",
                    Severidad.ERROR,
                    plan,
                    valor,
                    meta,
                    f"En {_label(meta)}, {nombre} {problem}"
                    + ("" if valor.numero is not None else " y no se suma")
                    + ". "
                    + instruccion_cantidad(decimales),
                )


def numero_de_meta_invalido(plan: Plan) -> Iterator[Hallazgo]:
    """A meta number is a positive whole number."""
    for meta in plan.metas:
        if meta.numero.vacio or sin_valor(meta.numero.raw):
            continue
        raw = meta.numero.raw
        number = meta.numero.numero
        numerico = isinstance(raw, int | float) and not isinstance(raw, bool)
        if numerico and number is None and math.isfinite(raw) and raw > 0:
            problema = "es demasiado grande"  # beyond what a number holds exactly
        elif number is None or number <= 0 or not number.is_integer():
            problema = "no es un entero positivo"
        elif number > META_MAXIMA:
            problema = "es demasiado grande"
        else:
            continue
        yield _finding(
            "numero-de-meta-invalido",
            Severidad.ERROR,
            plan,
            meta.numero,
            meta,
            f"El número de meta «{meta.numero.texto}» {problema}. Numere las metas 1, 2, 3…",
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


def unidades_escritas_distinto(plan: Plan) -> Iterator[Hallazgo]:
    """One unit, one spelling: units equal but for plural, accents or case."""
    firsts: list[tuple[set[str], Valor, Meta]] = []
    for meta in plan.metas:
        unidad = meta.unidad
        if unidad.vacio:
            continue
        forms = formas(unidad.texto)
        for seen_forms, seen, seen_meta in firsts:
            if not forms & seen_forms:
                continue
            if unidad.texto != seen.texto and visible(unidad.texto) != visible(seen.texto):
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
        if visible(valor.texto) == visible(primero.texto):
            continue  # only characters that do not show: caracter-invisible says it
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
                f"{_ningun(plan)} programado. Reparta el programa anual en el calendario "
                f"{plan.periodos[0]}…{plan.periodos[-1]}.",
            )


def _ningun(plan: Plan) -> str:
    return "ningún trimestre" if plan.periodicidad.periodo == "trimestre" else "ningún mes"


def _celdas(meta: Meta, periodos: tuple[str, ...]) -> Iterator[tuple[str, Valor, bool]]:
    """Every cell of a meta's row: (what it is, its value, whether it is a figure)."""
    yield "el programa", meta.programa, False
    if not meta.objetivo_heredado:
        yield "el objetivo", meta.objetivo, False
    yield "el número de meta", meta.numero, False
    yield "la descripción", meta.descripcion, False
    yield "la unidad de medida", meta.unidad, False
    yield "el programa anual", meta.anual, True
    for periodo, valor in zip(periodos, meta.meses, strict=True):
        yield periodo, valor, True


class CeldasRaras:
    """The cells holding neither a number, a blank nor plain text (Excel errors, formulas
    never calculated, text with control characters), in order: found in one pass that
    three rules share (5,000 metas have 90,000 cells, and hardly any is unusual), kept for
    the last plan or Seguimiento asked about (by identity, through a weak reference)."""

    def __init__(self) -> None:
        self._de: weakref.ref[Any] | None = None
        self._raras: tuple[Any, ...] = ()

    def de(self, dueno: Any, celdas: Iterable[tuple[Any, str, Valor, bool]]) -> tuple[Any, ...]:
        """The unusual ones of ``celdas`` (item, name, value, figure), which are
        ``dueno``'s: iterated only when ``dueno`` is not the one asked about last."""
        if self._de is None or self._de() is not dueno:
            buscar = CONTROLES.search
            raras = []
            for celda in celdas:
                raw = celda[2].raw
                tipo = type(raw)
                if raw is None or tipo is int or tipo is float:
                    continue
                if tipo is str and buscar(raw) is None:
                    continue
                raras.append(celda)
            self._raras, self._de = tuple(raras), weakref.ref(dueno)
        return self._raras


_raras = CeldasRaras()


def _celdas_raras(plan: Plan) -> tuple[tuple[Meta, str, Valor, bool], ...]:
    celdas = ((m, *celda) for m in plan.metas for celda in _celdas(m, plan.periodos))
    return _raras.de(plan, celdas)


def error_de_excel(plan: Plan) -> Iterator[Hallazgo]:
    """A cell holding an Excel error (#DIV/0!, #REF!, #N/A…) has no value: it counts as
    nothing, and the error is reported instead of being read as a blank."""
    for meta, nombre, valor, cifra in _celdas_raras(plan):
        if isinstance(valor.raw, ErrorExcel):
            yield _finding(
                "error-de-excel",
                Severidad.ERROR,
                plan,
                valor,
                meta,
                mensaje_error_excel(_label(meta), nombre, valor, cifra),
            )


def mensaje_error_excel(quien: str, nombre: str, valor: Valor, cifra: bool) -> str:
    efecto = "no se cuenta en ningún total" if cifra else "no tiene un valor que usar"
    return (
        f"En {quien}, {nombre} (celda {valor.celda or '?'}) tiene el error de Excel "
        f"{valor.raw}: {efecto}. Corrija la fórmula o escriba el valor."
    )


def formula_sin_calcular(plan: Plan) -> Iterator[Hallazgo]:
    """A formula whose result was never calculated has no value: reported as such (not as
    a missing value), and it counts as nothing."""
    for meta, nombre, valor, cifra in _celdas_raras(plan):
        if isinstance(valor.raw, FormulaSinValor):
            yield _finding(
                "formula-sin-calcular",
                Severidad.ERROR,
                plan,
                valor,
                meta,
                mensaje_formula(_label(meta), nombre, valor, cifra),
            )


def mensaje_formula(quien: str, nombre: str, valor: Valor, cifra: bool) -> str:
    efecto = " y no se cuenta" if cifra else ""
    return (
        f"En {quien}, {nombre} (celda {valor.celda or '?'}) es una fórmula sin calcular "
        f"(«{valor.raw}»): el libro se guardó con un programa que no calcula fórmulas, así "
        f"que la celda no tiene valor{efecto}. Ábralo en Excel, guárdelo y vuelva a intentarlo."
    )


def encabezados_repetidos(plan: Plan) -> Iterator[Hallazgo]:
    """A column header written twice: which one is read, which one is not."""
    for r in plan.repetidos:
        yield Hallazgo(
            "encabezado-repetido",
            Severidad.ERROR,
            plan.hoja,
            r.ignorada,
            "",
            mensaje_repetido(plan.hoja, r),
        )


def mensaje_repetido(hoja: str, r: EncabezadoRepetido) -> str:
    return (
        f"La columna «{r.texto}» está dos veces en los encabezados de la hoja «{hoja}»: "
        f"{r.usada} y {r.ignorada}. Se leen los datos de la columna de {r.usada}; los de "
        f"{r.ignorada} no se usan. Borre o cambie el nombre de la que sobra."
    )


def caracteres_de_control(plan: Plan) -> Iterator[Hallazgo]:
    """Text with control characters (a line break pasted from another program) is said:
    no workbook can hold them as they are, so what is copied elsewhere goes without them."""
    for meta, nombre, valor, _ in _celdas_raras(plan):
        codigos = controles(valor.raw)
        if codigos:
            yield _finding(
                "caracter-de-control",
                Severidad.ADVERTENCIA,
                plan,
                valor,
                meta,
                mensaje_controles(_label(meta), nombre, valor, codigos),
            )


def mensaje_controles(quien: str, nombre: str, valor: Valor, codigos: list[str]) -> str:
    return (
        f"En {quien}, {nombre} (celda {valor.celda or '?'}) tiene caracteres de control "
        f"invisibles ({', '.join(codigos)}), como los que deja un salto de línea pegado de "
        "otro programa. Donde xl-metas copia el texto van sin ellos (U+000B y U+000C como "
        "salto de línea); vuelva a escribir el texto en la celda."
    )


def caracteres_invisibles(plan: Plan) -> Iterator[Hallazgo]:
    """A programa, unit or meta number with a character that does not show (a zero-width
    or a hard space) looks like another one but is a different text: said, with the cell."""
    for meta in plan.metas:
        for nombre, valor, efecto in (
            ("el programa", meta.programa, "puede contar como otro programa"),
            ("la unidad de medida", meta.unidad, "puede contar como otra unidad"),
            ("el número de meta", meta.numero, "puede no encontrar su meta"),
        ):
            encontrados = invisibles(valor.texto)
            if not encontrados:
                continue
            cuales = "; ".join(
                f"{n} ({codigo})" + (f" después de «{antes}»" if antes else " al principio")
                for codigo, n, antes in encontrados
            )
            yield _finding(
                "caracter-invisible",
                Severidad.ADVERTENCIA,
                plan,
                valor,
                meta,
                f"En {_label(meta)}, {nombre} (celda {valor.celda or '?'}) tiene un carácter "
                f"que no se ve: {cuales}. Se ve como «{visible(valor.texto)}», pero es otro "
                f"texto ({efecto}). Vuelva a escribirlo en la celda.",
            )


def meta_escrita_como_texto(plan: Plan) -> Iterator[Hallazgo]:
    """A meta number typed as text ("07") is taken as the number it means, and said."""
    for meta in plan.metas:
        yield from _meta_como_texto(plan.hoja, meta.numero)


def _meta_como_texto(hoja: str, numero: Valor) -> Iterator[Hallazgo]:
    entero = entero_en_texto(numero.raw)
    if entero is not None:
        yield Hallazgo(
            "meta-escrita-como-texto",
            Severidad.ADVERTENCIA,
            hoja,
            numero.celda,
            str(entero),
            f"El número de meta de la celda {numero.celda or '?'} está escrito como texto "
            f"(«{numero.raw}»); se toma como la meta {entero}. Escríbalo como número.",
        )


PLAN_RULES: list[Rule] = [
    encabezados_repetidos,
    campos_obligatorios,
    numero_de_meta_invalido,
    meta_escrita_como_texto,
    meta_duplicada,
    numeracion_con_huecos,
    cantidades_invalidas,
    error_de_excel,
    formula_sin_calcular,
    anual_vs_calendario,
    calendario_vacio,
    objetivo_inicial,
    caracteres_de_control,
    caracteres_invisibles,
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
