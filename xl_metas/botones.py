"""What the buttons of the Inicio sheet run: one function per button.

Each VBA Sub of the workbook is ``RunPython "import xl_metas.botones as b; b.<función>()"``.
A function takes the book (tests and developers pass one; Excel's call gets it with
``xw.Book.caller()``), runs the same ``operaciones`` call as its CLI twin through the
xlwings adapter, and answers with a short Spanish message box. Any failure is a message
box too, never a Python traceback window.

The xlwings Lite scripts (``xl_metas.lite.scripts``) call these same functions with
``lite=True``: no VBA helper Subs (Lite cannot run VBA), the answer printed to Lite's
output pane instead of a message box, and the two buttons that need the workbook's file
on disk (exporting and consolidating copies) explain what to do instead.

Developers on Windows/macOS (needs Excel):

    import xlwings as xw, xl_metas.botones as b
    xw.Book(r"workbook\\Metas2011.xlsm").set_mock_caller()
    b.recalcular()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import guardado, historial, operaciones, presentacion
from .errors import XlMetasError
from .libro import Libro
from .workbook_xlwings import LibroXlwings, excel_quieto, usuario_excel

if TYPE_CHECKING:
    import xlwings as xw

TITULO = "Programa Metas y Objetivos"

# What xlwings Lite cannot reach: the workbook's own file and its folder (Lite sees only
# the open workbook, and files through its import/export folder).
_CON_PYTHON = (
    " Los demás botones (Recalcular, Validar, Marcar vencidos, Generar hojas por área) sí"
    " funcionan aquí."
)
EXPORTAR_EN_LITE = (
    "Exportar copias no está disponible en xlwings Lite: cada copia es un archivo que se crea"
    " junto al libro, y Lite trabaja dentro de Excel, sin acceso a la carpeta del libro."
    " Hágalo en una PC con Python: abra este libro y pulse «Exportar copias» en la hoja"
    " Inicio, o ejecute «xl-metas exportar-copias LIBRO»." + _CON_PYTHON
)
CONSOLIDAR_EN_LITE = (
    "Consolidar copias no está disponible en xlwings Lite: las copias devueltas son archivos"
    " en una carpeta de la PC, y Lite no puede leerlos. Hágalo en una PC con Python: abra"
    " este libro y pulse «Consolidar copias» en la hoja Inicio (lee la carpeta indicada en"
    " la hoja Configuración), o ejecute «xl-metas consolidar LIBRO COPIA...»." + _CON_PYTHON
)


def recalcular(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Suma del calendario, diferencias, hoja Validación (y Avance y Resumen si hay avance)."""
    _pulsar(book, _recalcular, lite)


def validar(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Revisa el plan y muestra los hallazgos (no escribe nada en el libro)."""
    _pulsar(book, _validar, lite)


def marcar_vencidos(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Colorea cada mes de Avance según su estado a la fecha de corte y pone el semáforo."""
    _pulsar(book, _vencidos, lite)


def generar_hojas(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Una hoja por programa, lista para imprimir, como el documento original."""
    _pulsar(book, _generar_hojas, lite)


def exportar_copias(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Un libro por área para enviar por correo."""
    _pulsar(book, _solo_con_python(EXPORTAR_EN_LITE) if lite else _exportar, lite)


def consolidar(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """Reúne en este libro las copias devueltas por las áreas y reporta los conflictos."""
    _pulsar(book, _solo_con_python(CONSOLIDAR_EN_LITE) if lite else _consolidar, lite)


def informe_trimestral(book: xw.Book | None = None, *, lite: bool = False) -> None:
    """La hoja «Informe TN» del último trimestre cerrado a la fecha de corte, y su PDF."""
    _pulsar(book, _informe, lite)


# -- the press ---------------------------------------------------------------------------
def _pulsar(book: xw.Book | None, accion: Callable[[LibroXlwings], str], lite: bool) -> None:
    if book is None:
        import xlwings as xw  # only here: importing this module must not need Excel

        book = xw.Book.caller()
    # The Historial's origin and user: the button's label, Excel's user name (else the
    # OS user); Lite cannot write into the protected Historial, so it records nothing.
    quien = historial.autoria(
        boton=_ROTULOS.get(getattr(accion, "__name__", ""), "botón"),
        usuario=usuario_excel(book),
        activo=not lite,
    )
    try:
        with excel_quieto(book), quien, operaciones.recoleccion_en_pausa():
            mensaje = accion(LibroXlwings(book, ayudas_vba=not lite))
    except XlMetasError as exc:
        _avisar(book, exc.mensaje, "critical", lite)
    except OSError as exc:
        _avisar(book, guardado.mensaje_sistema(exc), "critical", lite)
    except Exception as exc:  # the last net: a message box, never a traceback window
        _avisar(
            book,
            f"Error inesperado ({type(exc).__name__}: {exc}). Avise al responsable del libro.",
            "critical",
            lite,
        )
    else:
        _avisar(book, mensaje, "info", lite)


def _avisar(book: xw.Book, mensaje: str, modo: str, lite: bool) -> None:
    if lite:  # Lite shows what a script prints in its task pane, under the button
        print(("Error: " if modo == "critical" else "") + mensaje)
    else:
        book.app.alert(mensaje, title=TITULO, mode=modo)


# -- one summary per command, the same texts the CLI prints ------------------------------
def _recalcular(libro: Libro) -> str:
    r = operaciones.recalcular(libro)
    texto = presentacion.texto_recalculo(len(r.plan.metas), r.hallazgos)
    if r.hallazgos:
        texto += " Los detalles están en la hoja Validación."
    return texto


def _validar(libro: Libro) -> str:
    return presentacion.aviso_hallazgos(operaciones.validar(libro))


def _vencidos(libro: Libro) -> str:
    seg = operaciones.vencidos(libro)
    return presentacion.texto_vencidos(seg) + " Los colores están en la hoja Avance."


def _generar_hojas(libro: Libro) -> str:
    hecho = operaciones.generar_hojas(libro)
    return "\n".join(presentacion.lineas_generacion(hecho)) or "No hay programas en el Plan."


def _informe(libro: LibroXlwings) -> str:
    hecho = operaciones.informe_trimestral(libro)
    texto = presentacion.texto_informe_trimestral(hecho.informe)
    hoja = hecho.hoja.nombre
    datos = libro.exportar_pdf(hoja)  # Excel's own PDF export; None where there is none
    if datos is None or libro.ruta is None:
        return texto + "\n" + presentacion.pdf_a_mano(hoja)
    from . import informe_pdf  # only here: files on disk, never under xlwings Lite

    destino = informe_pdf.ruta_pdf(libro.ruta, hoja)
    if informe_pdf.guardar_pdf(destino, datos):
        return texto + f"\nPDF: «{destino}»."
    return texto + f"\n«{destino}» ya tenía este informe: no se modificó."


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
        + presentacion.texto_exportacion(hechas)
    )


def _consolidar(libro: Libro) -> str:
    informe = operaciones.consolidar_carpeta(libro, _ruta_libro(libro))
    return presentacion.texto_informe(informe)


_ROTULOS = {  # the labels of the Inicio sheet's buttons, by the function they run
    "_recalcular": "Recalcular",
    "_validar": "Validar",
    "_vencidos": "Marcar vencidos",
    "_generar_hojas": "Generar hojas por área",
    "_exportar": "Exportar copias",
    "_consolidar": "Consolidar copias",
}


def _solo_con_python(texto: str) -> Callable[[Libro], str]:
    def explicar(libro: Libro) -> str:
        return texto

    return explicar


def _ruta_libro(libro: Libro) -> Path:
    """The workbook's file: copies go next to it. A book never saved has no folder."""
    if libro.ruta is None:
        raise XlMetasError(
            f"Guarde primero «{libro.nombre}» en una carpeta: las copias se crean junto al libro."
        )
    return libro.ruta
