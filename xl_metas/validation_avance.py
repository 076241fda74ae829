"""Validation of the progress: a list of small rules over the evaluated ``Seguimiento``.

Adding a rule is adding a function to ``AVANCE_RULES``. Like the plan's rules, none raises
on bad data: bad data is what it reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .avance import FilaAvance
from .estados import Semaforo
from .model import (
    MESES,
    TRIMESTRES,
    ErrorExcel,
    FormulaSinValor,
    Hallazgo,
    Severidad,
    Valor,
    as_number,
    sin_valor,
    texto_numero,
)
from .seguimiento import Seguimiento
from .text import controles
from .unidades import acepta_decimales
from .validation import (
    CeldasRaras,
    _count_problem,
    _meta_como_texto,
    instruccion_cantidad,
    mensaje_controles,
    mensaje_error_excel,
    mensaje_formula,
    mensaje_repetido,
)

RuleAvance = Callable[[Seguimiento], Iterable[Hallazgo]]


def realizado_invalido(seg: Seguimiento) -> Iterator[Hallazgo]:
    """Realizado is a non-negative number, whole for a count unit (a percentage or a measure
    may have decimals); text and negatives count as 0, and so does a fraction of a count."""
    unidades = {m.clave: m.unidad.texto for m in reversed(seg.plan.metas)}
    for fila in seg.avance.filas:
        decimales = acepta_decimales(unidades.get(fila.clave, ""))
        for mes, valor in zip(seg.avance.periodos, fila.meses, strict=True):
            problem = _count_problem(valor.raw, decimales)
            if problem:
                instruccion = instruccion_cantidad(decimales)
                yield Hallazgo(
                    "realizado-invalido",
                    Severidad.ERROR,
                    seg.avance.hoja,
                    valor.celda,
                    fila.clave,
                    f"En la meta {fila.clave or '?'}, el realizado de {mes} {problem}. "
                    f"{instruccion[:-1]} (mientras tanto no se cuenta).",
                )


def realizado_en_mes_futuro(seg: Seguimiento) -> Iterator[Hallazgo]:
    """Nothing can have been done after the cut-off date."""
    corte = seg.corte
    for fila in seg.avance.filas:
        for mes, valor in enumerate(fila.meses):
            number = as_number(valor.raw)
            if corte.futuro(mes) and number and number > 0 and not isinstance(valor.raw, str):
                yield Hallazgo(
                    "realizado-en-mes-futuro",
                    Severidad.ADVERTENCIA,
                    seg.avance.hoja,
                    valor.celda,
                    fila.clave,
                    f"La meta {fila.clave} tiene realizado ({texto_numero(number)}) en "
                    f"{seg.corte.periodicidad.nombre(mes)}, posterior a la fecha de corte "
                    f"{corte.fecha:%d/%m/%Y}. Revise el mes o la fecha de corte.",
                )


def realizado_sin_programar(seg: Seguimiento) -> Iterator[Hallazgo]:
    """Work done in a month where nothing was planned (informative: it still counts)."""
    for r in seg.resultados:
        if r.fila is None:
            continue
        for mes, (plan, hecho) in enumerate(zip(r.meta.meses, r.realizado, strict=True)):
            if hecho > 0 and not (plan.numero or 0) > 0 and not seg.corte.futuro(mes):
                yield Hallazgo(
                    "realizado-sin-programar",
                    Severidad.INFO,
                    seg.avance.hoja,
                    r.fila.meses[mes].celda,
                    r.clave,
                    f"La meta {r.clave} tiene realizado ({texto_numero(hecho)}) en "
                    f"{_periodo(seg, mes)} sin nada programado. Cuenta para el avance; si fue "
                    f"un error de captura, muévalo al {seg.corte.periodicidad.periodo} que "
                    "corresponde.",
                )


def _periodo(seg: Seguimiento, indice: int) -> str:
    """«marzo, mes» or «el primer trimestre,», as the messages say it."""
    p = seg.corte.periodicidad
    return f"{p.nombre(indice)}, {p.periodo}" if p.periodo == "mes" else f"{p.nombre(indice)},"


def corte_fuera_del_anio(seg: Seguimiento) -> Iterator[Hallazgo]:
    """The cut-off date falls in the plan year."""
    corte = seg.corte
    if corte.fecha.year != corte.anio:
        cuando = "antes del" if corte.fecha.year < corte.anio else "después del"
        if corte.periodicidad.periodo == "trimestre":
            efecto = (
                "ningún trimestre está cerrado"
                if corte.cerrados == 0
                else "todos los trimestres están cerrados"
            )
        else:
            efecto = (
                "ningún mes está cerrado"
                if corte.cerrados == 0
                else "todos los meses están cerrados"
            )
        yield Hallazgo(
            "corte-fuera-del-anio",
            Severidad.ADVERTENCIA,
            "Configuración",
            seg.config.celdas.get("corte", ""),
            "",
            f"La fecha de corte {corte.fecha:%d/%m/%Y} es {cuando} año del programa "
            f"({corte.anio}): {efecto}. Revise la fecha de corte en la hoja Configuración.",
        )


def rojo_sin_justificacion(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A meta in red explains why in JUSTIFICACIÓN."""
    for r in seg.resultados:
        if r.evaluacion.semaforo != Semaforo.ROJO:
            continue
        if r.fila is not None and not r.fila.justificacion.vacio:
            continue
        celda = r.fila.justificacion.celda if r.fila else ""
        yield Hallazgo(
            "rojo-sin-justificacion",
            Severidad.ADVERTENCIA,
            seg.avance.hoja,
            celda,
            r.clave,
            f"La meta {r.clave} está en rojo "
            f"({texto_numero(r.evaluacion.porcentaje_al_corte or 0.0)} % al corte) y no tiene "
            "justificación. Escriba en JUSTIFICACIÓN por qué.",
        )


def meta_no_esta_en_plan(seg: Seguimiento) -> Iterator[Hallazgo]:
    """Every Avance row belongs to a meta of the Plan."""
    claves = {m.clave for m in seg.plan.metas}
    for fila in seg.avance.filas:
        if sin_valor(fila.numero.raw):
            continue  # an Excel error or a formula never calculated: its own rules say so
        if not fila.clave:
            yield Hallazgo(
                "avance-sin-meta",
                Severidad.ERROR,
                seg.avance.hoja,
                fila.numero.celda,
                "",
                f"La fila {fila.fila} de Avance tiene realizado pero no número de meta. "
                "Escriba el número de la meta del Plan.",
            )
        elif fila.clave not in claves:
            yield Hallazgo(
                "avance-meta-no-en-plan",
                Severidad.ERROR,
                seg.avance.hoja,
                fila.numero.celda,
                fila.clave,
                f"La meta {fila.clave} está en Avance pero no en el Plan; su avance no se "
                "cuenta. Corrija el número o agregue la meta al Plan.",
            )


def meta_falta_en_avance(seg: Seguimiento) -> Iterator[Hallazgo]:
    """Every meta of the Plan has its row in Avance."""
    for r in seg.resultados:
        if r.fila is None:
            yield Hallazgo(
                "avance-falta-meta",
                Severidad.ADVERTENCIA,
                seg.avance.hoja,
                "",
                r.clave,
                f"La meta {r.clave} del Plan no tiene fila en Avance: se cuenta como sin "
                "avance. Agregue una fila con META = "
                f"{r.clave}.",
            )


def meta_repetida_en_avance(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A meta appears once in Avance (only the first row counts)."""
    first: dict[str, str] = {}
    for fila in seg.avance.filas:
        if not fila.clave:
            continue
        if fila.clave in first:
            yield Hallazgo(
                "avance-meta-repetida",
                Severidad.ERROR,
                seg.avance.hoja,
                fila.numero.celda,
                fila.clave,
                f"La meta {fila.clave} está repetida en Avance (ya aparece en la celda "
                f"{first[fila.clave]}); solo cuenta la primera fila. Deje una sola.",
            )
        else:
            first[fila.clave] = fila.numero.celda


def _celdas(fila: FilaAvance) -> Iterator[tuple[str, Valor, bool]]:
    """The cells of an Avance row we read: (what it is, its value, whether it is a figure)."""
    yield "el número de meta", fila.numero, False
    for mes, valor in zip(fila_periodos(fila), fila.meses, strict=True):
        yield f"el realizado de {mes}", valor, True
    yield "la justificación", fila.justificacion, False


def fila_periodos(fila: FilaAvance) -> tuple[str, ...]:
    return TRIMESTRES if len(fila.meses) == len(TRIMESTRES) else MESES


def _quien(fila: FilaAvance) -> str:
    return f"la meta {fila.clave}" if fila.clave else f"la fila {fila.fila}"


_raras = CeldasRaras()


def _celdas_raras(seg: Seguimiento) -> tuple[tuple[FilaAvance, str, Valor, bool], ...]:
    return _raras.de(seg, ((f, *celda) for f in seg.avance.filas for celda in _celdas(f)))


def error_de_excel(seg: Seguimiento) -> Iterator[Hallazgo]:
    """An Excel error where realizado goes counts as nothing, and says so."""
    for fila, nombre, valor, cifra in _celdas_raras(seg):
        if isinstance(valor.raw, ErrorExcel):
            yield Hallazgo(
                "error-de-excel",
                Severidad.ERROR,
                seg.avance.hoja,
                valor.celda,
                fila.clave,
                mensaje_error_excel(_quien(fila), nombre, valor, cifra),
            )


def formula_sin_calcular(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A formula never calculated where realizado goes counts as nothing, and says so."""
    for fila, nombre, valor, cifra in _celdas_raras(seg):
        if isinstance(valor.raw, FormulaSinValor):
            yield Hallazgo(
                "formula-sin-calcular",
                Severidad.ERROR,
                seg.avance.hoja,
                valor.celda,
                fila.clave,
                mensaje_formula(_quien(fila), nombre, valor, cifra),
            )


def encabezados_repetidos(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A column header written twice in Avance: which one is read, which one is not."""
    hoja = seg.avance.hoja
    for r in seg.avance.repetidos:
        yield Hallazgo(
            "encabezado-repetido", Severidad.ERROR, hoja, r.ignorada, "", mensaje_repetido(hoja, r)
        )


def caracteres_de_control(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A justificación with control characters (pasted from another program) is said."""
    for fila, nombre, valor, _ in _celdas_raras(seg):
        codigos = controles(valor.raw)
        if codigos:
            yield Hallazgo(
                "caracter-de-control",
                Severidad.ADVERTENCIA,
                seg.avance.hoja,
                valor.celda,
                fila.clave,
                mensaje_controles(_quien(fila), nombre, valor, codigos),
            )


def meta_escrita_como_texto(seg: Seguimiento) -> Iterator[Hallazgo]:
    """A meta number typed as text in Avance ("8.0") still finds its meta, and says so."""
    for fila in seg.avance.filas:
        yield from _meta_como_texto(seg.avance.hoja, fila.numero)


AVANCE_RULES: list[RuleAvance] = [
    encabezados_repetidos,
    meta_no_esta_en_plan,
    meta_escrita_como_texto,
    meta_repetida_en_avance,
    meta_falta_en_avance,
    realizado_invalido,
    error_de_excel,
    formula_sin_calcular,
    realizado_en_mes_futuro,
    realizado_sin_programar,
    corte_fuera_del_anio,
    rojo_sin_justificacion,
    caracteres_de_control,
]


def validate_avance(seg: Seguimiento, rules: Iterable[RuleAvance] = AVANCE_RULES) -> list[Hallazgo]:
    return [finding for rule in rules for finding in rule(seg)]
