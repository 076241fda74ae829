"""presentar, for people: every text and JSON document a command shows, shared by the
command line and the buttons (the CLI adds colour and tables, the buttons a message box).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .estados import Estado, Semaforo
from .model import MESES, TRIMESTRES, Hallazgo, Meta, Periodicidad, numero_plano
from .seguimiento import Seguimiento
from .text import enumerar, fold
from .totals import Totales, grupos_de_suma

if TYPE_CHECKING:  # what each command's own path imports: a press pays only for its own
    from .cambio_plan import CambioPlan
    from .copias import Exportacion, Informe
    from .hojas_area import Generacion
    from .informe import Cifras, InformeTrimestral, Total
from .validation import count_text

MAX_HALLAZGOS_AVISO = 8  # findings listed in a message box; the rest are in Validación


def _num(value: Any) -> Any:
    """A figure for JSON: 3 not 3.0, None for a blank (NaN in a pandas frame)."""
    if value is None or value != value:
        return None
    return numero_plano(float(value))


# -- texts ---------------------------------------------------------------------------------
def texto_recalculo(metas: int, hallazgos: Sequence[Hallazgo]) -> str:
    return f"{metas} metas recalculadas; {count_text(hallazgos)}."


def aviso_hallazgos(hallazgos: Sequence[Hallazgo]) -> str:
    """The findings for a message box: the count, then the first few with their cells."""
    if not hallazgos:
        return "Sin hallazgos: el plan está en orden."
    lineas = [
        f"• {h.hoja}!{h.celda}: {h.mensaje}" if h.celda else f"• {h.hoja}: {h.mensaje}"
        for h in hallazgos[:MAX_HALLAZGOS_AVISO]
    ]
    resto = len(hallazgos) - MAX_HALLAZGOS_AVISO
    if resto > 0:
        lineas.append(f"… y {resto} más: pulse «Recalcular» para verlos en la hoja Validación.")
    return f"Hallazgos: {count_text(hallazgos)}.\n" + "\n".join(lineas)


def texto_vencidos(seg: Seguimiento) -> str:
    semaforos = [r.evaluacion.semaforo for r in seg.resultados]
    vencidos = sum(e == Estado.VENCIDO for r in seg.resultados for e in r.evaluacion.estados)
    cuenta = ", ".join(f"{s.value} {semaforos.count(s)}" for s in Semaforo if semaforos.count(s))
    return (
        f"Avance al {seg.corte.fecha:%d/%m/%Y}: {len(seg.resultados)} metas "
        f"({cuenta or 'sin metas'}); {vencidos} {seg.plan.periodicidad.plural} vencidos."
    )


def lineas_generacion(hecho: Generacion) -> list[str]:
    """What generar-hojas did, one line per kind of change."""
    lineas = [
        f"{titulo}: " + ", ".join(f"«{h}»" for h in hojas) + "."
        for titulo, hojas in (
            ("Creadas", hecho.creadas),
            ("Actualizadas", hecho.actualizadas),
            ("Sin cambios", hecho.sin_cambios),
            ("Quitadas (su programa ya no está en el Plan)", hecho.quitadas),
        )
        if hojas
    ]
    if hecho.corte:
        lineas.append(f"Meses coloreados según el avance al {hecho.corte:%d/%m/%Y}.")
    return lineas


def texto_exportacion(hechas: Sequence[Exportacion]) -> str:
    lineas = []
    for e in hechas:
        linea = f"«{e.archivo.name}»: {e.estado} ({e.metas} metas)"
        if e.respaldo:
            linea += f"; la anterior quedó en «{e.respaldo.name}»"
        lineas.append(linea + ".")
        lineas += [f"  {a}" for a in e.avisos]
    return "\n".join(lineas) or "No hay programas en el Plan."


def texto_informe(informe: Informe) -> str:
    """One line per file, then the totals."""
    lineas = []
    for r in informe.copias:
        if r.rechazo:
            lineas.append(f"«{r.archivo}»: rechazada. {r.rechazo}")
            continue
        partes = [f"{len(r.actualizadas)} celdas actualizadas"]
        if r.metas_actualizadas:
            partes[0] += " (metas " + ", ".join(r.metas_actualizadas) + ")"
        partes.append(f"{len(r.conflictos)} conflictos")
        if r.propuestas:
            partes.append(f"{len(r.propuestas)} propuestas de cambio al Plan")
        if r.fuera:
            partes.append(f"{len(r.fuera)} filas no aplicadas")
        lineas.append(f"«{r.archivo}» ({r.programa}): " + ", ".join(partes) + ".")
    verbo = "se actualizarían" if informe.simulado else "se actualizaron"
    lineas.append(
        f"Total: {informe.actualizadas} celdas {verbo}, {informe.conflictos} conflictos, "
        f"{len(informe.rechazadas)} copias rechazadas."
    )
    if informe.conflictos:
        lineas.append(
            "En los conflictos se tomó el valor de la copia."
            if informe.preferir_copia
            else "En los conflictos se conservó el valor del libro."
        )
    if not informe.simulado:
        from .copias import HOJA_CONSOLIDACION

        lineas.append(f"El detalle está en la hoja «{HOJA_CONSOLIDACION}».")
    return "\n".join(lineas)


# -- JSON documents -------------------------------------------------------------------------
_HOJA = re.compile(r"hoja «([^»]+)»")
_CELDA = re.compile(r"celda ([A-Z]{1,3}[0-9]+)")


def error_json(mensaje: str, libro: Path | None, codigo: int) -> dict[str, Any]:
    """The `--json` document of a failure: the Spanish message, the file, and the sheet
    and cell the message names (null when it names none), with the exit code."""
    hoja, celda = _HOJA.search(mensaje), _CELDA.search(mensaje)
    return {
        "error": {
            "mensaje": mensaje,
            "archivo": str(libro) if libro is not None else None,
            "hoja": hoja.group(1) if hoja else None,
            "celda": celda.group(1) if celda else None,
            "codigo": codigo,
        }
    }


def _calendario(row: Any, totales: Totales) -> dict[str, Any]:
    """«meses» (ENE…DIC; null for a plan calendarised by quarter) and «trimestres»."""
    mensual = totales.periodicidad is Periodicidad.MENSUAL
    return {
        "meses": [_num(row[m]) for m in MESES] if mensual else None,
        "trimestres": [_num(row[t]) for t in TRIMESTRES],
    }


def totals_json(totales: Totales) -> dict[str, Any]:
    """The `resumen --json` document. Figures of different units are never added: each
    programa row and ``total`` add the metas counted in whole units (``clase`` «conteo»);
    a programa's metas in a percentage or a measure have a row of their own per unit
    (``unidad``), and ``por_unidad`` totals each unit of the plan."""
    metas = [
        {
            "meta": row["meta"],
            "programa": row["programa"],
            "unidad": row["unidad"],
            "clase": row["clase"],
            "anual": _num(row["anual"]),
            "suma_calendario": _num(row["suma"]),
            "diferencia": _num(row["diferencia"]),
            "meses": [_num(row[m]) for m in MESES]
            if totales.periodicidad is Periodicidad.MENSUAL
            else None,
            "trimestres": totales.periodicidad.trimestres(
                [_num(row[p]) or 0 for p in totales.periodos]
            ),
        }
        for row in totales.metas.to_dict("records")
    ]
    for item in metas:
        item["trimestres"] = [numero_plano(v) for v in item["trimestres"]]
    programas = [
        {
            "programa": row["programa"],
            "unidad": _texto_o_nada(row["unidad"]),
            "clase": row["clase"],
            "metas": int(row["metas"]),
            "anual": _num(row["anual"]),
            "suma_calendario": _num(row["suma"]),
            **_calendario(row, totales),
        }
        for row in totales.programas.to_dict("records")
    ]
    g = totales.general
    general = {
        "clase": "conteo",
        "metas": int(g["metas"]),
        "anual": _num(g["anual"]),
        "suma_calendario": _num(g["suma"]),
        **_calendario(g, totales),
    }
    por_unidad = [
        {
            "unidad": row["unidad"],
            "clase": row["clase"],
            "metas": int(row["metas"]),
            "anual": _num(row["anual"]),
            "suma_calendario": _num(row["suma"]),
            **_calendario(row, totales),
        }
        for row in totales.por_unidad.to_dict("records")
    ]
    return {
        "periodicidad": str(totales.periodicidad),
        "periodos": list(totales.periodos),
        "metas": metas,
        "programas": programas,
        "total": general,
        "por_unidad": por_unidad,
    }


def _texto_o_nada(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def vencidos_json(seg: Seguimiento) -> dict[str, Any]:
    """The `vencidos --json` document."""
    return {
        "anio": seg.corte.anio,
        "corte": seg.corte.fecha.isoformat(),
        "metas": [
            {
                "meta": _meta_json(r.meta),
                "programa": r.meta.programa.texto,
                "estados": [str(e) for e in r.evaluacion.estados],
                "semaforo": str(r.evaluacion.semaforo),
                "programado_al_corte": numero_plano(r.evaluacion.programado_al_corte),
                "realizado_al_corte": numero_plano(r.evaluacion.realizado_al_corte),
                "porcentaje_al_corte": r.evaluacion.porcentaje_al_corte,
            }
            for r in seg.resultados
        ],
    }


def resumen_con_avance(data: dict[str, Any], seg: Seguimiento) -> dict[str, Any]:
    """The `resumen --json` document with realizado and semáforo added (keys only added)."""
    por_meta = seg.por_meta()
    for item, meta in zip(data["metas"], seg.plan.metas, strict=True):
        r = por_meta.get(meta.clave)
        if r is None or r.meta is not meta:
            continue  # no number, or a repeated one: the plan's validation reports it
        e = r.evaluacion
        item |= {
            "realizado": [numero_plano(v) for v in r.realizado],
            "total_realizado": numero_plano(e.total_realizado),
            "programado_al_corte": numero_plano(e.programado_al_corte),
            "realizado_al_corte": numero_plano(e.realizado_al_corte),
            "porcentaje_al_corte": e.porcentaje_al_corte,
            "porcentaje_anual": e.porcentaje_anual,
            "estados": [str(x) for x in e.estados],
            "semaforo": str(e.semaforo),
        }
    periodicidad = seg.plan.periodicidad
    n = len(periodicidad.periodos)
    realizado: dict[tuple[str, str], list[float]] = {}
    grupos = dict(zip((id(m) for m in seg.plan.metas), grupos_de_suma(seg.plan), strict=True))
    for r in seg.resultados:
        periodos = realizado.setdefault(grupos[id(r.meta)], [0.0] * n)
        for mes, valor in enumerate(r.realizado):
            periodos[mes] += valor
    for item in data["programas"]:
        clave = (fold(item["programa"]), fold(item["unidad"]) if item.get("unidad") else "")
        periodos = realizado.get(clave, [0.0] * n)
        item |= {
            "realizado": [numero_plano(v) for v in periodos],
            "realizado_trimestres": [numero_plano(v) for v in periodicidad.trimestres(periodos)],
            "total_realizado": numero_plano(sum(periodos)),
        }
    data |= {"anio": seg.corte.anio, "corte": seg.corte.fecha.isoformat()}
    return data


def _meta_json(meta: Meta) -> Any:
    number = meta.numero.numero
    return int(number) if number is not None and number.is_integer() else meta.numero.texto


def cambio_plan_json(cambio: CambioPlan) -> dict[str, Any]:
    return {
        "nuevas": list(cambio.nuevas),
        "renumeradas": [{"antes": a, "ahora": b} for a, b in cambio.renumeradas],
        "otra_descripcion": list(cambio.redactadas),
        "retiradas_con_avance": [{"meta": f.clave, "fila": f.fila} for f in cambio.conservadas],
        "retiradas_sin_avance": list(cambio.descartadas),
    }


def texto_cambio_plan(cambio: CambioPlan) -> list[str]:
    """What a changed plan did to Avance, one sentence a line."""
    if cambio.sin_cambios:
        return ["Avance: cada meta conserva su fila; no hubo metas nuevas ni retiradas."]
    lineas: list[str] = []
    if cambio.nuevas:
        lineas.append(
            f"Avance: {_cuantas(len(cambio.nuevas), 'meta nueva', 'metas nuevas')} "
            f"({enumerar(list(cambio.nuevas))}), con su fila vacía."
        )
    for antes, ahora in cambio.renumeradas:
        lineas.append(f"La meta {antes} ahora es la {ahora}: su avance pasó con ella.")
    if cambio.redactadas:
        lineas.append(
            f"Con otra descripción, mismo número: {enumerar(list(cambio.redactadas))} "
            "(conservan su avance; revise que sigan siendo las mismas metas)."
        )
    if cambio.conservadas:
        metas = enumerar([f.clave or f"fila {f.fila}" for f in cambio.conservadas])
        lineas.append(
            f"Ya no están en el plan y tienen avance capturado: {metas}. Sus filas quedaron "
            "al final de Avance, después de las del plan; bórrelas cuando ya no las necesite."
        )
    if cambio.descartadas:
        lineas.append(
            f"Se quitaron de Avance las filas vacías de metas retiradas: "
            f"{enumerar([c for c in cambio.descartadas if c] or ['sin número'])}."
        )
    return lineas


def _cuantas(n: int, singular: str, plural: str) -> str:
    return f"1 {singular}" if n == 1 else f"{n} {plural}"


# -- the quarterly report ------------------------------------------------------------------
def texto_informe_trimestral(informe: InformeTrimestral) -> str:
    """What the report holds, in one or two sentences (CLI and button)."""
    p = informe.periodo
    metas = [m for prog in informe.programas for m in prog.metas]
    semaforos = [m.semaforo for m in metas]
    cuenta = ", ".join(f"{s.value} {semaforos.count(s)}" for s in Semaforo if semaforos.count(s))
    sin_justificar = sum(
        m.justificacion == "" and m.semaforo is not Semaforo.SIN_PROGRAMADO for m in metas
    )
    texto = (
        f"Hoja «{informe.hoja}»: {p.nombre}, del {p.inicio:%d/%m/%Y} al {p.fin:%d/%m/%Y}, "
        f"fecha de corte {informe.corte:%d/%m/%Y}; {len(metas)} metas en "
        f"{len(informe.programas)} programas ({cuenta or 'sin metas'})."
    )
    if informe.preliminar:
        texto += (
            f" PRELIMINAR: el trimestre aún no cierra; cifras al {informe.evaluado_al:%d/%m/%Y}."
        )
    if sin_justificar:
        texto += f" {sin_justificar} metas que no están en verde no tienen justificación en Avance."
    return texto


def pdf_a_mano(hoja: str) -> str:
    """How to get the report's PDF where the button cannot export it (xlwings Lite, and
    any engine without Excel's PDF export)."""
    return (
        f"Para el PDF: vaya a la hoja «{hoja}» y use Archivo › Exportar › Crear documento "
        "PDF/XPS (o Archivo › Guardar como, tipo PDF) con «Hojas activas»; ya está preparada "
        "para imprimir (horizontal, una página de ancho, una página por programa). Con Python "
        "en la PC también: «xl-metas informe LIBRO --trimestre N»."
    )


def _cifras_json(c: Cifras) -> dict[str, Any]:
    return {
        "programado": numero_plano(c.programado),
        "realizado": numero_plano(c.realizado),
        "porcentaje": c.porcentaje,
        "programado_acumulado": numero_plano(c.programado_acumulado),
        "realizado_acumulado": numero_plano(c.realizado_acumulado),
        "porcentaje_acumulado": c.porcentaje_acumulado,
    }


def _total_json(t: Total) -> dict[str, Any]:
    return {
        "unidad": t.unidad or None,
        "clase": "conteo" if t.conteo else "unidad",
        "metas": t.metas,
        **_cifras_json(t.cifras),
    }


def informe_json(informe: InformeTrimestral) -> dict[str, Any]:
    """The `informe --json` document: the report's figures, as the sheet shows them."""
    p = informe.periodo
    return {
        "institucion": informe.institucion,
        "anio": p.anio,
        "trimestre": p.trimestre,
        "inicio": p.inicio.isoformat(),
        "fin": p.fin.isoformat(),
        "corte": informe.corte.isoformat(),
        "evaluado_al": informe.evaluado_al.isoformat(),
        "preliminar": informe.preliminar,
        "periodicidad": str(informe.periodicidad),
        "programas": [
            {
                "programa": prog.nombre,
                "metas": [
                    {
                        "meta": m.numero,
                        "descripcion": m.descripcion,
                        "unidad": m.unidad,
                        **_cifras_json(m.cifras),
                        "semaforo": str(m.semaforo),
                        "pendientes": [
                            {"periodo": etiqueta, "estado": str(estado)}
                            for etiqueta, estado in m.pendientes
                        ],
                        "justificacion": m.justificacion,
                    }
                    for m in prog.metas
                ],
                "totales": [_total_json(t) for t in prog.totales],
            }
            for prog in informe.programas
        ],
        "totales": [_total_json(t) for t in informe.totales],
        "grafica": {
            "periodos": list(informe.serie.etiquetas),
            "programado": [numero_plano(v) for v in informe.serie.programado],
            "realizado": [numero_plano(v) for v in informe.serie.realizado],
        },
    }
