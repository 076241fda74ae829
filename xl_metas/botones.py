"""What the buttons of the Inicio sheet run: one function per button.

Each VBA Sub of the workbook is ``RunPython "import xl_metas.botones as b; b.<función>()"``.
A function takes the book (tests and developers pass one; Excel's call gets it with
``xw.Book.caller()``), runs the same ``operaciones`` call as its CLI twin through the
xlwings adapter, and answers with a short Spanish message box. Any failure is a message
box too, never a Python traceback window.

Developers on Windows/macOS (needs Excel):

    import xlwings as xw, xl_metas.botones as b
    xw.Book(r"workbook\\Metas2011.xlsm").set_mock_caller()
    b.recalcular()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import copias, operaciones
from .errors import XlMetasError
from .estados import Estado, Semaforo
from .libro import Libro
from .validation import count_text
from .workbook_xlwings import LibroXlwings, excel_quieto

if TYPE_CHECKING:
    import xlwings as xw

TITULO = "Programa Metas y Objetivos"
MAX_HALLAZGOS_AVISO = 8  # findings listed in the message box; the rest are in Validación


def recalcular(book: xw.Book | None = None) -> None:
    """Suma del calendario, diferencias, hoja Validación (y Avance y Resumen si hay avance)."""
    _pulsar(book, _recalcular)


def validar(book: xw.Book | None = None) -> None:
    """Revisa el plan y muestra los hallazgos (no escribe nada en el libro)."""
    _pulsar(book, _validar)


def marcar_vencidos(book: xw.Book | None = None) -> None:
    """Colorea cada mes de Avance según su estado a la fecha de corte y pone el semáforo."""
    _pulsar(book, _vencidos)


def generar_hojas(book: xw.Book | None = None) -> None:
    """Una hoja por programa, lista para imprimir, como el documento original."""
    _pulsar(book, _generar_hojas)


def exportar_copias(book: xw.Book | None = None) -> None:
    """Un libro por área para enviar por correo."""
    _pulsar(book, _exportar)


def consolidar(book: xw.Book | None = None) -> None:
    """Reúne en este libro las copias devueltas por las áreas y reporta los conflictos."""
    _pulsar(book, _consolidar)


# -- the press ---------------------------------------------------------------------------
def _pulsar(book: xw.Book | None, accion: Callable[[Libro], str]) -> None:
    if book is None:
        import xlwings as xw  # only here: importing this module must not need Excel

        book = xw.Book.caller()
    try:
        with excel_quieto(book):
            mensaje = accion(LibroXlwings(book))
    except XlMetasError as exc:
        _avisar(book, exc.mensaje, "critical")
    except Exception as exc:  # the last net: a message box, never a traceback window
        _avisar(
            book,
            f"Error inesperado ({type(exc).__name__}: {exc}). Avise al responsable del libro.",
            "critical",
        )
    else:
        _avisar(book, mensaje, "info")


def _avisar(book: xw.Book, mensaje: str, modo: str) -> None:
    book.app.alert(mensaje, title=TITULO, mode=modo)


# -- one summary per command, as the CLI prints it ---------------------------------------
def _recalcular(libro: Libro) -> str:
    r = operaciones.recalcular(libro)
    texto = f"{len(r.plan.metas)} metas recalculadas; {count_text(r.hallazgos)}."
    if r.hallazgos:
        texto += " Los detalles están en la hoja Validación."
    return texto


def _validar(libro: Libro) -> str:
    hallazgos = operaciones.validar(libro)
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


def _vencidos(libro: Libro) -> str:
    seg = operaciones.vencidos(libro)
    semaforos = [r.evaluacion.semaforo for r in seg.resultados]
    vencidos = sum(e == Estado.VENCIDO for r in seg.resultados for e in r.evaluacion.estados)
    cuenta = ", ".join(f"{s.value} {semaforos.count(s)}" for s in Semaforo if semaforos.count(s))
    return (
        f"Avance al {seg.corte.fecha:%d/%m/%Y}: {len(seg.resultados)} metas "
        f"({cuenta or 'sin metas'}); {vencidos} meses vencidos. "
        "Los colores están en la hoja Avance."
    )


def _generar_hojas(libro: Libro) -> str:
    hecho = operaciones.generar_hojas(libro)
    partes = [
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
        partes.append(f"Meses coloreados según el avance al {hecho.corte:%d/%m/%Y}.")
    return "\n".join(partes) or "No hay programas en el Plan."


def _exportar(libro: Libro) -> str:
    ruta = _ruta_libro(libro)
    operaciones.preparar_exportacion(libro)
    libro.guardar()  # the copies are made from the saved file
    hechas = operaciones.exportar_copias(ruta)
    carpetas = sorted({str(e.archivo.parent) for e in hechas})
    return (
        f"Se exportaron {len(hechas)} copias en "
        + ", ".join(f"«{c}»" for c in carpetas)
        + ".\n"
        + copias.texto_exportacion(hechas)
    )


def _consolidar(libro: Libro) -> str:
    informe = operaciones.consolidar_carpeta(libro, _ruta_libro(libro))
    return copias.texto_informe(informe) + "\nEl detalle está en la hoja Consolidación."


def _ruta_libro(libro: Libro) -> Path:
    """The workbook's file: copies go next to it. A book never saved has no folder."""
    if libro.ruta is None:
        raise XlMetasError(
            f"Guarde primero «{libro.nombre}» en una carpeta: las copias se crean junto al libro."
        )
    return libro.ruta
