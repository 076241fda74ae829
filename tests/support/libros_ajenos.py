"""Planning workbooks of other institutions, built for the tests with XlsxWriter.

Each builder writes one layout met in Mexican public bodies' planning workbooks and
returns the figures it wrote, so a test can check what was read cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from xl_metas.model import NOMBRES_MESES

MESES_ESCRITOS = (
    "Enero",
    "FEB",
    "marzo",
    "ABR",
    "Mayo",
    "JUN",
    "julio",
    "AGO",
    "Septiembre",
    "OCT",
    "noviembre",
    "DIC",
)


@dataclass
class MetaEscrita:
    """A meta as written in a test workbook, and where (row 1-based, column letters)."""

    fila: int
    numero: Any
    programa: Any
    descripcion: str
    unidad: str
    anual: Any
    programado: list[Any]
    realizado: list[Any] = field(default_factory=list)
    objetivo: Any = None


def celda(fila: int, columna: int) -> str:
    """1-based row and column -> «F7»."""
    return xl_rowcol_to_cell(fila - 1, columna - 1)


def banda_mensual(ruta: Path) -> list[MetaEscrita]:
    """Four-row merged header band: «Programación» › quarters › months › Programado /
    Realizado / Cumplimiento / Medio de verificación; numbered labels; the plan on «POA
    2024» between a cover, notes and chart data; a totals row and signatures below."""
    wb = xlsxwriter.Workbook(ruta)
    portada = wb.add_worksheet("Portada")
    portada.write("A1", "Programa Operativo Anual 2024")
    portada.write("A3", "Documento de trabajo: no modificar")
    ws = wb.add_worksheet("POA 2024")
    notas = wb.add_worksheet("Notas")
    notas.write_column("A1", ["Notas", "Las metas se revisan cada trimestre.", "Mes", "ENE"])
    grafica = wb.add_worksheet("Datos gráfica")
    grafica.write_row("A1", ["Mes", "Programado", "Realizado"])
    for i, mes in enumerate(("ENE", "FEB", "MAR")):
        grafica.write_row(i + 1, 0, [mes, 3 * i, 2 * i])

    ws.write("A1", "Instituto de Acceso a la Información Pública de Ejemplo")
    ws.write("A2", "Programa Operativo Anual 2024")
    for col, texto in enumerate(("N°", "4. PROYECTOS", "5. METAS", "7. UNIDAD DE MEDIDA")):
        ws.merge_range(3, col, 6, col, texto)
    ws.merge_range(3, 4, 6, 4, "CANTIDAD PROGRAMADA ANUAL")
    primera = 5  # column F (0-based)
    ws.merge_range(3, primera, 3, primera + 47, "Programación")
    trimestres = ("Primer trimestre", "Segundo trimestre", "Tercer trimestre", "Cuarto trimestre")
    for t, texto in enumerate(trimestres):
        ws.merge_range(4, primera + 12 * t, 4, primera + 12 * t + 11, texto)
    subcolumnas = ("Programado", "Realizado", "Cumplimiento", "Medio de verificación")
    for m, mes in enumerate(MESES_ESCRITOS):
        ws.merge_range(5, primera + 4 * m, 5, primera + 4 * m + 3, mes)
        ws.write_row(6, primera + 4 * m, subcolumnas)
    metas = [
        MetaEscrita(
            8,
            1,
            "Vinculación",
            "Visitas a sujetos obligados",
            "Visitas",
            12,
            [1] * 12,
            [1, 1, 0, 2] + [None] * 8,
        ),
        MetaEscrita(
            9,
            2,
            None,
            "Convenios de colaboración firmados",
            "Convenios",
            4,
            [None, None, 1, None, None, 1, None, None, 1, None, None, 1],
            [None, None, 1],
        ),
        MetaEscrita(
            10,
            3,
            "Capacitación",
            "Porcentaje de servidores públicos capacitados",
            "Porcentaje",
            0.5,
            [None, 0.15, None, None, 0.35] + [None] * 7,
            [None, 0.1],
        ),
    ]
    ws.merge_range("B8:B9", "Vinculación")  # a programa merged over its metas
    for meta in metas:
        fila = meta.fila - 1
        ws.write(fila, 0, meta.numero)
        if meta.programa and meta.fila != 8:
            ws.write(fila, 1, meta.programa)
        ws.write(fila, 2, meta.descripcion)
        ws.write(fila, 3, meta.unidad)
        ws.write(fila, 4, meta.anual)
        for m in range(12):
            col = primera + 4 * m
            if meta.programado[m] is not None:
                ws.write(fila, col, meta.programado[m])
            real = meta.realizado[m] if m < len(meta.realizado) else None
            if real is not None:
                ws.write(fila, col + 1, real)
                ws.write(fila, col + 2, "100%")
                ws.write(fila, col + 3, "Oficio")
    ws.write_row(10, 0, [None, None, "TOTAL", None, 16.5, 1])
    ws.write("C14", "Elaboró: Lic. Ana Pérez")
    ws.write("F14", "Autorizó: Mtro. Luis Gómez")
    wb.close()
    return metas


def pbrm_trimestral(ruta: Path) -> list[MetaEscrita]:
    """Estado de México's PbRM-style calendarization: «Código», «Descripción de las metas
    de actividad», «Programación anual» over Abs. / %, four quarters each over Abs. / %;
    no programa nor objetivo column."""
    wb = xlsxwriter.Workbook(ruta)
    ws = wb.add_worksheet("PbRM-02a")
    ws.merge_range("A1:L1", "Calendarización de Metas de Actividad por Proyecto 2025")
    ws.merge_range("A2:L2", "Proyecto: Transparencia y acceso a la información")
    ws.merge_range("A4:A5", "Código")
    ws.merge_range("B4:B5", "Descripción de las metas de actividad")
    ws.merge_range("C4:C5", "Unidad de Medida")
    ws.merge_range("D4:E4", "Programación anual")
    trimestres = ("1er Trimestre", "2do Trimestre", "3er Trimestre", "4to Trimestre")
    for t, texto in enumerate(trimestres):
        ws.merge_range(3, 5 + 2 * t, 3, 6 + 2 * t, texto)
    ws.write_row(4, 3, ["Abs.", "%"] * 5)
    metas = [
        MetaEscrita(
            6, "A-01", None, "Solicitudes de información atendidas", "Número", 120, [30, 30, 30, 30]
        ),
        MetaEscrita(
            7,
            "A-02",
            None,
            "Cobertura de portales actualizados",
            "Porcentaje",
            0.35,
            [0.05, 0.1, 0.1, 0.1],
        ),
        MetaEscrita(8, "A-03", None, "Recorridos de verificación", "Km", 12.5, [2.5, 5, 2.5, 2.5]),
    ]
    for meta in metas:
        fila = meta.fila - 1
        ws.write_row(fila, 0, [meta.numero, meta.descripcion, meta.unidad, meta.anual, 1])
        for t, valor in enumerate(meta.programado):
            ws.write(fila, 5 + 2 * t, valor)
            ws.write(fila, 6 + 2 * t, valor / meta.anual)
    wb.close()
    return metas


def trimestral_planeado_ejecutado(ruta: Path) -> list[MetaEscrita]:
    """One header row with «T1. PLANEADO» / «T1. EJECUTADO», PROGRAMA PRESUPUESTARIO,
    OBJETIVO, ACTIVIDAD, UNIDAD, VALOR ESPERADO; units Número, Porcentaje and Km mixed."""
    wb = xlsxwriter.Workbook(ruta)
    ws = wb.add_worksheet("Hoja1")
    ws.write_row(
        "A1",
        ["PROGRAMA PRESUPUESTARIO", "OBJETIVO", "No.", "ACTIVIDAD", "UNIDAD", "VALOR ESPERADO"]
        + [f"T{t}. {p}" for t in range(1, 5) for p in ("PLANEADO", "EJECUTADO")],
    )
    metas = [
        MetaEscrita(
            2,
            1,
            "E001 Acceso a la información",
            "Recursos de revisión resueltos",
            "Número",
            40,
            [10, 10, 10, 10],
            [8, 12, None, None],
            "Garantizar el acceso",
        ),
        MetaEscrita(
            3,
            2,
            "E001 Acceso a la información",
            "Resoluciones cumplidas",
            "Porcentaje",
            0.15,
            [0.15, None, None, None],
            [0.1, None, None, None],
            None,
        ),
        MetaEscrita(
            4,
            3,
            "E002 Archivos",
            "Rutas de verificación recorridas",
            "Km",
            35.5,
            [10.5, 10, 10, 5],
            [11, None, None, None],
            "Verificar archivos",
        ),
    ]
    for meta in metas:
        fila = meta.fila - 1
        ws.write_row(
            fila,
            0,
            [meta.programa, meta.objetivo, meta.numero, meta.descripcion, meta.unidad, meta.anual],
        )
        for t in range(4):
            if meta.programado[t] is not None:
                ws.write(fila, 6 + 2 * t, meta.programado[t])
            if meta.realizado[t] is not None:
                ws.write(fila, 7 + 2 * t, meta.realizado[t])
    wb.close()
    return metas


def sin_anual_ni_objetivo(ruta: Path) -> list[MetaEscrita]:
    """Monthly with full month names in lower case, «Área», «Descripción», «Unidad de
    medida»; no annual, objetivo nor meta number column."""
    wb = xlsxwriter.Workbook(ruta)
    ws = wb.add_worksheet("Metas")
    ws.write_row("A3", ["Área", "Descripción", "Unidad de medida", *NOMBRES_MESES])
    metas = [
        MetaEscrita(
            4,
            None,
            "Difusión",
            "Campañas en radio",
            "Campañas",
            None,
            [1, None, 1, None, 1, None, 1, None, 1, None, 1, None],
        ),
        MetaEscrita(
            5, None, "Difusión", "Ferias de transparencia", "Eventos", None, [None] * 11 + [2]
        ),
        MetaEscrita(
            6,
            None,
            "Jurídico",
            "Avance del reglamento",
            "Porcentaje",
            None,
            [0.1, 0.2, None, None, None, None, None, None, None, None, None, 0.7],
        ),
    ]
    for meta in metas:
        ws.write_row(meta.fila - 1, 0, [meta.programa, meta.descripcion, meta.unidad])
        for m, valor in enumerate(meta.programado):
            if valor is not None:
                ws.write(meta.fila - 1, 3 + m, valor)
    wb.close()
    return metas


def sin_reconocer(ruta: Path) -> None:
    """A plan whose headers nothing recognises: «Qué se hará», «Cuánto», «Mes 1»…"""
    wb = xlsxwriter.Workbook(ruta)
    ws = wb.add_worksheet("Portada")
    ws.write("A1", "Plan institucional")
    ws = wb.add_worksheet("Plan de trabajo")
    ws.write("A1", "Plan de trabajo 2026")
    ws.write_row(
        "A3", ["Clave interna", "Qué se hará", "Medida", "Cuánto"] + [f"P{m}" for m in range(1, 13)]
    )
    ws.write_row("A4", ["X1", "Talleres con municipios", "Talleres", 6] + [None, 1] * 6)
    ws.write_row("A5", ["X2", "Guía de datos abiertos", "Documento", 1] + [None] * 11 + [1])
    wb.close()


def escribir(ruta: Path, texto: str) -> Path:
    ruta.write_text(texto, encoding="utf-8")
    return ruta


def columna(indice: int) -> str:
    return celda(1, indice).rstrip("1")
