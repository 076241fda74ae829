"""Input never crashes and never lies (issue 12, item 3): a corpus of real files run through
the commands as the user runs them.

Each case builds its input (a workbook written with XlsxWriter or openpyxl, or a file that
only pretends to be one), runs one command through the command line, and checks: the exit
code; that the Spanish message names the file, sheet and cell it is about; that no
traceback and no English from the system or a library reaches the user; that a command
that must not write leaves every file byte for byte as it was; and, where the workbook can
be read, the finding ``validar --json`` gives for it (rule, sheet, cell).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import shutil
import sys
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from tests.support.entrada import (
    ENCABEZADO_PLAN,
    Formula,
    copia_devuelta,
    escribir_libro,
    fila_avance,
    ingles,
    libro_cifrado,
    libro_plan,
    libro_xls,
    meta,
    reemplazar_xml,
    una_linea,
)
from tests.support.libros_copias import MAESTRO
from tests.support.planes import DOCUMENTO_2011
from xl_metas import copias_archivo, guardado
from xl_metas.cli import app

runner = CliRunner()
DOCE = (1,) * 12
ONCE = (1,) * 11
DIEZ = (1,) * 10

Argv = list[Any]


@dataclass(frozen=True)
class Caso:
    preparar: Callable[[Path], Argv]  # builds the input in a folder, gives the command line
    salida: int
    frases: tuple[str, ...] = ()  # Spanish that must be in the output
    hallazgos: tuple[tuple[str, str, str, str], ...] = ()  # (regla, hoja, celda, texto)
    ausentes: tuple[tuple[str, str], ...] = ()  # (regla, celda) that must not be found
    escribe: bool = False
    despues: Callable[[Path], None] | None = None
    parche: Callable[[pytest.MonkeyPatch], None] | None = None


def _plan(nombre: str, metas: Sequence[Sequence[Any]], **kw: Any) -> Callable[[Path], Path]:
    return lambda tmp: libro_plan(tmp / nombre, metas, **kw)


def cmd(comando: str, hacer: Callable[[Path], Path], *extra: Any) -> Callable[[Path], Argv]:
    return lambda tmp: [comando, hacer(tmp), *extra]


def validar(hacer: Callable[[Path], Path]) -> Callable[[Path], Argv]:
    return cmd("validar", hacer, "--json")


# -- helpers for the checks after a command -------------------------------------------------
def _valores(ruta: Path, hoja: str) -> list[Any]:
    ws = openpyxl.load_workbook(ruta)[hoja]
    return [c.value for row in ws.iter_rows() for c in row]


def _celdas(ruta: Path, hoja: str, textos: Sequence[str]) -> list[Any]:
    ws = openpyxl.load_workbook(ruta, keep_vba=ruta.suffix == ".xlsm")[hoja]
    return [c for row in ws.iter_rows() for c in row if c.value in textos]


def _otra_vez_sin_cambios(*argv: str) -> Callable[[Path], None]:
    """Running the same command again changes no byte."""

    def revisar(tmp: Path) -> None:
        antes = _bytes(tmp)
        args = [a.format(tmp=tmp) for a in argv]
        resultado = runner.invoke(app, args)
        assert resultado.exit_code in (0, 1), resultado.output
        assert _bytes(tmp) == antes, resultado.output

    return revisar


def _bytes(tmp: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(tmp)): p.read_bytes()
        for p in sorted(tmp.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


# -- control characters -----------------------------------------------------------------------
CONTROL = [
    meta(1, descripcion="Primera línea\x0bsegunda línea"),
    meta(2, descripcion="Texto con\x01control", objetivo="Otro\x1fobjetivo"),
]


def _area_sin_controles(tmp: Path) -> None:
    valores = _valores(tmp / "control.xlsx", "VINCULACIÓN")
    assert "Primera línea\nsegunda línea" in valores
    assert "Texto concontrol" in valores
    _otra_vez_sin_cambios("generar-hojas", "{tmp}/control.xlsx")(tmp)


def _justificacion_limpia(tmp: Path) -> None:
    ws = openpyxl.load_workbook(tmp / "Metas2011.xlsm", keep_vba=True)["Avance"]
    textos = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Línea uno\nlínea dos" in textos and "xy" in textos
    _otra_vez_sin_cambios("consolidar", "{tmp}/Metas2011.xlsm", "{tmp}/devueltas")(tmp)


def _copia_con_controles(tmp: Path) -> Argv:
    maestro, copia = copia_devuelta(
        tmp,
        {(1, "JUSTIFICACIÓN"): "Línea uno_x000B_línea dos", (2, "JUSTIFICACIÓN"): "x_x0001_y"},
    )
    return ["consolidar", maestro, copia.parent]


# -- figures -----------------------------------------------------------------------------------
ENORME = [meta(1, anual=12, meses=(1e308, *ONCE)), meta(2)]
ENORME_AVANCE = [fila_avance(1, (1e308, *ONCE)), fila_avance(2, (1e308,) * 12)]


def _suma_finita(tmp: Path) -> None:
    ws = openpyxl.load_workbook(tmp / "enorme.xlsx")["Plan"]
    assert ws["S5"].value == 11 and ws["T5"].value == -1  # the enormous month counts as nothing


def _formula_de_texto_vacio(tmp: Path) -> Path:
    """A formula whose cached result is the empty text (t="str", empty <v>): it has a
    value, the empty text, and is not a formula never calculated."""
    ruta = libro_plan(tmp / "vacia.xlsx", [meta(1, anual=11, meses=(Formula('=""', "x"), *ONCE))])
    reemplazar_xml(ruta, "xl/worksheets/sheet1.xml", b"<v>x</v>", b"<v></v>")
    return ruta


def _validacion_extendida(tmp: Path) -> Path:
    """A sheet with Excel 2010's data validation extension: openpyxl warns (in English)
    when it loads it."""
    ruta = libro_plan(tmp / "extension.xlsx", [meta(1)])
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
        b'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="0" '
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/></ext></extLst>'
    )
    reemplazar_xml(ruta, "xl/worksheets/sheet1.xml", b"</worksheet>", ext + b"</worksheet>")
    return ruta


def _avisos_a_la_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings shown as a terminal shows them (pytest otherwise collects them)."""

    def mostrar(mensaje: Any, categoria: Any, archivo: str, linea: int, *_: Any) -> None:
        sys.stderr.write(warnings.formatwarning(mensaje, categoria, archivo, linea))

    monkeypatch.setattr(warnings, "showwarning", mostrar)
    warnings.simplefilter("always")  # pytest restores the filters after the test


def _inf_numerico(tmp: Path) -> Path:
    ruta = libro_plan(tmp / "inf.xlsx", [meta(1, anual=12, meses=(7777, *ONCE))])
    reemplazar_xml(ruta, "xl/worksheets/sheet1.xml", b"<v>7777</v>", b"<v>INF</v>")
    return ruta


# -- copies that come back with errors ---------------------------------------------------------
def _copia_con_errores(tmp: Path) -> Argv:
    maestro, copia = copia_devuelta(
        tmp, {(1, "ENE"): "#DIV/0!", (1, "FEB"): Formula("=1+1"), (2, "ENE"): 4}
    )
    return ["consolidar", maestro, copia]


def _maestro_sin_errores(tmp: Path) -> None:
    ws = openpyxl.load_workbook(tmp / "Metas2011.xlsm", keep_vba=True)["Avance"]
    valores = [c.value for row in ws.iter_rows() for c in row]
    assert "#DIV/0!" not in valores and "=1+1" not in valores and 4 in valores


# -- text that looks like a formula ---------------------------------------------------------
SIGNOS = ("+52 662 000 0000", "-pendiente de fecha", "@institucion", "=1+1")


def _citadas(ruta: Path, hoja: str) -> None:
    celdas = _celdas(ruta, hoja, SIGNOS)
    assert {c.value for c in celdas} == set(SIGNOS)
    for c in celdas:
        assert c.data_type == "s" and c.quotePrefix, (c.coordinate, c.value)


def _copia_con_signos(tmp: Path) -> Argv:
    maestro, copia = copia_devuelta(
        tmp,
        {(1, "JUSTIFICACIÓN"): SIGNOS[0], (2, "JUSTIFICACIÓN"): SIGNOS[1]}
        | {(3, "JUSTIFICACIÓN"): SIGNOS[2], (4, "JUSTIFICACIÓN"): SIGNOS[3]},
    )
    return ["consolidar", maestro, copia]


# -- headers -----------------------------------------------------------------------------------
def _encabezado(cambio: dict[int, str], extra: Sequence[str] = ()) -> list[str]:
    fila = list(ENCABEZADO_PLAN)
    for i, texto in cambio.items():
        fila[i] = texto
    return [*fila, *extra]


def _encabezado_combinado(tmp: Path) -> Path:
    """The original's two-row header: CALENDARIO merged over ENE…DIC, the other labels
    merged down over both rows."""
    ruta = tmp / "combinado.xlsx"
    wb = xlsxwriter.Workbook(str(ruta))
    ws = wb.add_worksheet("Plan")
    ws.write(0, 0, "PROGRAMA METAS Y OBJETIVOS 2011")
    for c, texto in enumerate(ENCABEZADO_PLAN[:6]):
        ws.merge_range(3, c, 4, c, texto)
    ws.merge_range(3, 6, 3, 17, "CALENDARIO")
    for c, mes in enumerate(ENCABEZADO_PLAN[6:18], start=6):
        ws.write(4, c, mes)
    for c, valor in enumerate(meta(1)):
        ws.write(5, c, valor)
    wb.close()
    return ruta


ERRATA = _encabezado({5: "PROGRAMA ANUEL"})


# -- files that are not workbooks -------------------------------------------------------------
def _escribir(nombre: str, datos: bytes) -> Callable[[Path], Path]:
    def hacer(tmp: Path) -> Path:
        ruta = tmp / nombre
        ruta.write_bytes(datos)
        return ruta

    return hacer


def _carpeta(nombre: str) -> Callable[[Path], Path]:
    def hacer(tmp: Path) -> Path:
        ruta = tmp / nombre
        ruta.mkdir()
        return ruta

    return hacer


def _zip_sin_libro(tmp: Path) -> Path:
    ruta = tmp / "fotos.xlsx"
    with zipfile.ZipFile(ruta, "w") as z:
        z.writestr("foto.txt", "no soy un libro")
    return ruta


def _zip_danado(tmp: Path) -> Path:
    ruta = libro_plan(tmp / "danado.xlsx", [meta(1)] * 50)
    datos = bytearray(ruta.read_bytes())
    inicio = datos.find(b"xl/worksheets/sheet1.xml") + 40
    datos[inicio : inicio + 200] = bytes(200)  # the sheet's compressed bytes, garbled
    ruta.write_bytes(bytes(datos))
    return ruta


def _con_acentos(tmp: Path) -> Path:
    return libro_plan(tmp / "Año 2011 — Difusión" / "Metas ñandú.xlsx", [meta(1), meta(2)])


def _falla_al_leer(numero: int) -> Callable[[pytest.MonkeyPatch], None]:
    def parche(monkeypatch: pytest.MonkeyPatch) -> None:
        def abrir(ruta: Any, *args: Any, **kwargs: Any) -> Any:
            raise OSError(numero, "system text in English", str(ruta))

        monkeypatch.setattr(guardado, "open", abrir, raising=False)

    return parche


def _disco_lleno(monkeypatch: pytest.MonkeyPatch) -> None:
    def lleno(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(guardado, "_temporal", lleno)


def _carpeta_sin_espacio(monkeypatch: pytest.MonkeyPatch) -> None:
    def lleno(self: Path, *_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "mkdir", lleno)


def _maestro_exportado(tmp: Path) -> Path:
    """The shipped master after a first export (it has its identifier: nothing to save)."""
    maestro = Path(shutil.copyfile(MAESTRO, tmp / "Metas2011.xlsm"))
    copias_archivo.exportar_copias(maestro, tmp / "primeras")
    return maestro


# -- importar ---------------------------------------------------------------------------------
def _importar(hacer: Callable[[Path], Path]) -> Callable[[Path], Argv]:
    return lambda tmp: ["importar", hacer(tmp), "-o", tmp / "nuevo.xlsx"]


def _como_texto(hacer: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """A workbook renamed with a text document's extension."""

    def renombrar(tmp: Path) -> Path:
        return hacer(tmp).rename(tmp / "plan.txt")

    return renombrar


def _documento_utf16(tmp: Path) -> Path:
    ruta = tmp / "programa unicode.txt"
    texto = DOCUMENTO_2011.read_bytes().decode("utf-8-sig")
    ruta.write_bytes(texto.encode("utf-16"))  # Excel's «Texto Unicode»: UTF-16 with its BOM
    return ruta


def _creado(tmp: Path) -> None:
    assert (tmp / "nuevo.xlsx").is_file()


def _no_creado(tmp: Path) -> None:
    assert not (tmp / "nuevo.xlsx").exists()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

CASOS: dict[str, Caso] = {
    # -- control characters: reported, and never a crash when written ------------------------
    "control-en-descripcion-validar": Caso(
        validar(_plan("control.xlsx", CONTROL)),
        0,
        hallazgos=(
            ("caracter-de-control", "Plan", "D5", "U+000B"),
            ("caracter-de-control", "Plan", "D6", "U+0001"),
            ("caracter-de-control", "Plan", "B6", "U+001F"),
        ),
    ),
    "control-en-descripcion-generar-hojas": Caso(
        cmd("generar-hojas", _plan("control.xlsx", CONTROL)),
        0,
        escribe=True,
        despues=_area_sin_controles,
    ),
    "control-en-descripcion-recalcular": Caso(
        cmd("recalcular", _plan("control.xlsx", CONTROL)), 0, escribe=True
    ),
    "control-en-descripcion-vencidos": Caso(
        cmd("vencidos", _plan("control.xlsx", CONTROL), "--corte", "2011-06-30"), 0, escribe=True
    ),
    "control-en-justificacion-validar": Caso(
        validar(_plan("control.xlsx", [meta(1)], avance=[fila_avance(1, DOCE, "a\x0cb")])),
        0,
        hallazgos=(("caracter-de-control", "Avance", "O5", "U+000C"),),
    ),
    "control-en-justificacion-consolidar": Caso(
        _copia_con_controles,
        0,
        frases=("caracteres de control",),
        escribe=True,
        despues=_justificacion_limpia,
    ),
    # -- figures that are not counts: findings, and they count as nothing --------------------
    "mes-enorme-validar": Caso(
        validar(_plan("enorme.xlsx", ENORME)),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "demasiado grande"),),
    ),
    "mes-enorme-recalcular": Caso(
        cmd("recalcular", _plan("enorme.xlsx", ENORME, avance=ENORME_AVANCE)),
        0,
        escribe=True,
        despues=_suma_finita,
    ),
    "mes-enorme-vencidos": Caso(
        cmd("vencidos", _plan("enorme.xlsx", ENORME, avance=ENORME_AVANCE)), 0, escribe=True
    ),
    "mes-enorme-generar-hojas": Caso(
        cmd("generar-hojas", _plan("enorme.xlsx", ENORME, avance=ENORME_AVANCE)), 0, escribe=True
    ),
    "realizado-enorme-validar": Caso(
        validar(_plan("enorme.xlsx", ENORME, avance=ENORME_AVANCE)),
        1,
        hallazgos=(
            ("realizado-invalido", "Avance", "C5", "demasiado grande"),
            ("realizado-invalido", "Avance", "N6", "demasiado grande"),
        ),
    ),
    "mes-texto-nan": Caso(
        validar(_plan("nan.xlsx", [meta(1, anual=11, meses=("nan", *ONCE))])),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "«nan»"),),
        ausentes=(("anual-vs-calendario", "F5"),),
    ),
    "mes-texto-inf": Caso(
        validar(_plan("inf.xlsx", [meta(1, anual=11, meses=("-inf", *ONCE))])),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "«-inf»"),),
        ausentes=(("anual-vs-calendario", "F5"),),
    ),
    "mes-infinito-numerico": Caso(
        validar(_inf_numerico),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "no es un número"),),
    ),
    "mes-error-div0": Caso(
        validar(_plan("div0.xlsx", [meta(1, meses=(Formula("=1/0", "#DIV/0!"), *ONCE))])),
        1,
        hallazgos=(("error-de-excel", "Plan", "G5", "#DIV/0!"),),
        ausentes=(("cantidad-invalida", "G5"),),
    ),
    "anual-formula-sin-calcular": Caso(
        validar(_plan("formula.xlsx", [meta(1, anual=Formula("=SUM(G5:R5)"))])),
        1,
        hallazgos=(("formula-sin-calcular", "Plan", "F5", "=SUM(G5:R5)"),),
        ausentes=(("campo-obligatorio", "F5"),),
    ),
    "mes-formula-calculada": Caso(
        validar(_plan("calculada.xlsx", [meta(1, meses=(Formula("=2-1", 1), *ONCE))])), 0
    ),
    "mes-formula-de-texto-vacio": Caso(
        validar(_formula_de_texto_vacio), 0, ausentes=(("formula-sin-calcular", "G5"),)
    ),
    "anual-error-recalcular": Caso(
        cmd("recalcular", _plan("na.xlsx", [meta(1, anual=Formula("=NA()", "#N/A"))])),
        0,
        escribe=True,
    ),
    "realizado-error-ref": Caso(
        validar(
            _plan(
                "ref.xlsx", [meta(1)], avance=[fila_avance(1, (Formula("=#REF!", "#REF!"), *ONCE))]
            )
        ),
        1,
        hallazgos=(("error-de-excel", "Avance", "C5", "#REF!"),),
    ),
    "realizado-formula-sin-calcular": Caso(
        validar(_plan("f.xlsx", [meta(1)], avance=[fila_avance(1, (1, Formula("=C5*2"), *DIEZ))])),
        1,
        hallazgos=(("formula-sin-calcular", "Avance", "D5", "=C5*2"),),
    ),
    "realizado-error-vencidos": Caso(
        cmd(
            "vencidos",
            _plan("na.xlsx", [meta(1)], avance=[fila_avance(1, (Formula("=NA()", "#N/A"), *ONCE))]),
        ),
        0,
        escribe=True,
    ),
    "mes-booleano": Caso(
        validar(_plan("bool.xlsx", [meta(1, anual=11, meses=(True, *ONCE))])),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "valor lógico"),),
    ),
    "mes-fecha": Caso(
        validar(_plan("fecha.xlsx", [meta(1, anual=11, meses=(dt.date(2011, 3, 1), *ONCE))])),
        1,
        hallazgos=(("cantidad-invalida", "Plan", "G5", "fecha (01/03/2011)"),),
    ),
    "mes-cero-negativo": Caso(
        validar(_plan("cero.xlsx", [meta(1, anual=11, meses=(-0.0, *ONCE))])), 0
    ),
    "numero-de-meta-enorme": Caso(
        validar(_plan("meta.xlsx", [meta(1), meta(1e20)])),
        1,
        hallazgos=(("numero-de-meta-invalido", "Plan", "C6", "demasiado grande"),),
    ),
    "metas-duplicadas-entre-programas": Caso(
        validar(_plan("dup.xlsx", [meta(1), meta(1, programa="DIFUSIÓN")])),
        1,
        hallazgos=(("meta-duplicada", "Plan", "C6", "C5"),),
    ),
    "copia-con-error-y-formula-consolidar": Caso(
        _copia_con_errores,
        0,
        frases=("#DIV/0!", "fórmula sin calcular", "no se aplicó"),
        escribe=True,
        despues=_maestro_sin_errores,
    ),
    # -- meta numbers typed as text, and text that looks like a formula ----------------------
    "avance-meta-como-texto": Caso(
        validar(
            _plan(
                "texto.xlsx",
                [meta(8), meta(9)],
                avance=[fila_avance("8.0"), fila_avance("09")],
            )
        ),
        0,
        hallazgos=(
            ("meta-escrita-como-texto", "Avance", "B5", "«8.0»"),
            ("meta-escrita-como-texto", "Avance", "B6", "«09»"),
        ),
        ausentes=(("avance-meta-no-en-plan", "B5"), ("avance-falta-meta", "")),
    ),
    "plan-meta-como-texto": Caso(
        validar(_plan("texto.xlsx", [meta(1), meta("02")])),
        0,
        hallazgos=(("meta-escrita-como-texto", "Plan", "C6", "«02»"),),
    ),
    "texto-con-signo-generar-hojas": Caso(
        cmd(
            "generar-hojas",
            _plan("signos.xlsx", [meta(i + 1, descripcion=t) for i, t in enumerate(SIGNOS)]),
        ),
        0,
        escribe=True,
        despues=lambda tmp: _citadas(tmp / "signos.xlsx", "VINCULACIÓN"),
    ),
    "texto-con-signo-consolidar": Caso(
        _copia_con_signos,
        0,
        escribe=True,
        despues=lambda tmp: _citadas(tmp / "Metas2011.xlsm", "Avance"),
    ),
    # -- names that look alike, and headers ---------------------------------------------------
    "programa-con-espacio-de-ancho-cero": Caso(
        validar(_plan("zw.xlsx", [meta(1), meta(2, programa="VINCU\u200bLACIÓN")])),
        0,
        hallazgos=(("caracter-invisible", "Plan", "A6", "U+200B"),),
    ),
    "unidad-con-espacio-duro": Caso(
        validar(
            _plan(
                "nbsp.xlsx",
                [meta(1, unidad="Visitas guiadas"), meta(2, unidad="Visitas\u00a0guiadas")],
            )
        ),
        0,
        hallazgos=(("caracter-invisible", "Plan", "E6", "U+00A0"),),
    ),
    "encabezado-repetido": Caso(
        validar(
            _plan("rep.xlsx", [[*meta(1), 99]], encabezado=_encabezado({}, ["PROGRAMA ANUAL"]))
        ),
        1,
        hallazgos=(("encabezado-repetido", "Plan", "S4", "F4"),),
    ),
    "encabezado-con-errata": Caso(
        cmd("validar", _plan("errata.xlsx", [meta(1)], encabezado=ERRATA)),
        2,
        frases=("«errata.xlsx»", "«Plan»", "«PROGRAMA ANUEL»", "F4"),
    ),
    "encabezado-bajo-la-fila-30": Caso(
        cmd("validar", _plan("abajo.xlsx", [meta(1)], titulos=34)),
        2,
        frases=("«abajo.xlsx»", "«Plan»", "fila 35", "C35", "F35"),
    ),
    "encabezado-combinado": Caso(validar(_encabezado_combinado), 0),
    "hoja-plan-con-espacios": Caso(validar(_plan("espacios.xlsx", [meta(1)], hoja="plan  ")), 0),
    # -- files that are not what they seem ----------------------------------------------------
    "libro-sin-hojas-de-datos": Caso(
        cmd("validar", lambda tmp: escribir_libro(tmp / "vacio.xlsx", {"Hoja1": []})),
        2,
        frases=("«vacio.xlsx»", "«Plan»"),
    ),
    "xlsx-que-es-csv": Caso(
        cmd("validar", _escribir("datos.xlsx", "PROGRAMA,META\nVINCULACIÓN,1\n".encode())),
        2,
        frases=("«datos.xlsx»", "texto"),
    ),
    "archivo-de-cero-bytes": Caso(
        cmd("recalcular", _escribir("cero.xlsx", b"")), 2, frases=("«cero.xlsx»", "vacío")
    ),
    "carpeta-como-libro": Caso(
        cmd("vencidos", _carpeta("Metas.xlsx")), 2, frases=("Metas.xlsx", "carpeta")
    ),
    "aviso-de-biblioteca-en-ingles": Caso(
        cmd("recalcular", _validacion_extendida), 0, escribe=True, parche=_avisos_a_la_terminal
    ),
    "ruta-con-acentos": Caso(cmd("recalcular", _con_acentos), 0, escribe=True),
    "descripcion-de-300-caracteres": Caso(
        cmd("generar-hojas", _plan("largo.xlsx", [meta(1, descripcion="Á" * 300)])),
        0,
        escribe=True,
    ),
    "zip-que-no-es-libro": Caso(
        cmd("generar-hojas", _zip_sin_libro), 2, frases=("«fotos.xlsx»", "comprimido")
    ),
    "libro-con-contrasena": Caso(
        cmd("validar", lambda tmp: libro_cifrado(tmp / "secreto.xlsx")),
        2,
        frases=("«secreto.xlsx»", "contraseña"),
    ),
    "libro-xls-renombrado": Caso(
        cmd("validar", lambda tmp: libro_xls(tmp / "antiguo.xlsx")),
        2,
        frases=("«antiguo.xlsx»", "97-2003"),
    ),
    "libro-danado": Caso(
        cmd("validar", _zip_danado), 2, frases=("«danado.xlsx»", "«Plan»", "dañada")
    ),
    "sin-permiso-de-lectura": Caso(
        cmd("validar", _plan("permiso.xlsx", [meta(1)])),
        2,
        frases=("permiso.xlsx", "permiso para leer"),
        parche=_falla_al_leer(errno.EPERM),
    ),
    "error-de-disco-al-leer": Caso(
        cmd("vencidos", _plan("disco.xlsx", [meta(1)])),
        2,
        frases=("disco.xlsx", "No se pudo leer"),
        parche=_falla_al_leer(errno.EIO),
    ),
    "disco-lleno-al-guardar": Caso(
        cmd("recalcular", _plan("lleno.xlsx", [meta(1)])),
        2,
        frases=("lleno.xlsx", "No hay espacio"),
        parche=_disco_lleno,
    ),
    "copia-que-es-csv": Caso(
        lambda tmp: [
            "consolidar",
            libro_plan(tmp / "maestro.xlsx", [meta(1)], avance=[fila_avance(1)]),
            _escribir("copia.xlsx", b"a;b\n1;2\n")(tmp),
        ],
        1,
        frases=("«copia.xlsx»", "texto"),
        escribe=True,  # the rejection goes to the Consolidación log
    ),
    "exportar-sin-espacio-para-la-carpeta": Caso(
        lambda tmp: ["exportar-copias", _maestro_exportado(tmp), "--carpeta", tmp / "enviadas"],
        2,
        frases=("enviadas", "No hay espacio", "no se creó la carpeta"),
        parche=_carpeta_sin_espacio,
    ),
    "actualizar-vba-de-un-csv": Caso(
        cmd("actualizar-vba", _escribir("macros.xlsm", b"a;b\n1;2\n")),
        2,
        frases=("«macros.xlsm»", "no es un libro de Excel"),
    ),
    # -- importar ------------------------------------------------------------------------------
    "importar-un-libro-con-extension-de-texto": Caso(
        _importar(_como_texto(_plan("plan.xlsx", [meta(1)]))),
        2,
        frases=("«plan.txt»", "libro de Excel", ".xlsx"),
        despues=_no_creado,
    ),
    "importar-binario": Caso(
        _importar(_escribir("foto.txt", PNG)), 2, frases=("«foto.txt»", "texto"), despues=_no_creado
    ),
    "importar-carpeta": Caso(
        _importar(_carpeta("documentos")), 2, frases=("documentos", "carpeta"), despues=_no_creado
    ),
    "importar-texto-unicode": Caso(
        _importar(_documento_utf16), 0, frases=("20 metas",), escribe=True, despues=_creado
    ),
    # -- the command line itself ---------------------------------------------------------------
    "comando-desconocido": Caso(lambda tmp: ["nada"], 2, frases=("No existe el comando «nada»",)),
    "comando-parecido": Caso(
        cmd("validr", _plan("p.xlsx", [meta(1)])), 2, frases=("¿Quiso decir «validar»?",)
    ),
    "opcion-sin-valor": Caso(
        cmd("vencidos", _plan("p.xlsx", [meta(1)]), "--corte"),
        2,
        frases=("La opción «--corte» necesita un valor",),
    ),
    "argumento-de-sobra": Caso(
        cmd("validar", _plan("p.xlsx", [meta(1)]), "otro.xlsx"),
        2,
        frases=("Sobra el argumento «otro.xlsx»",),
    ),
    "opcion-desconocida": Caso(
        cmd("validar", _plan("p.xlsx", [meta(1)]), "--jsn"), 2, frases=("No existe la opción",)
    ),
}


@pytest.mark.parametrize("nombre", list(CASOS))
def test_entrada(nombre: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    caso = CASOS[nombre]
    argv = [str(a) for a in caso.preparar(tmp_path)]
    antes = _bytes(tmp_path)
    if caso.parche:
        caso.parche(monkeypatch)
    resultado = runner.invoke(app, argv)
    salida = resultado.output
    assert resultado.exit_code == caso.salida, salida
    assert not ingles(salida), salida
    linea = una_linea(salida)
    for frase in caso.frases:
        assert frase in linea, salida
    if not caso.escribe:
        assert _bytes(tmp_path) == antes, salida
    monkeypatch.undo()
    if caso.despues:
        caso.despues(tmp_path)
    if caso.hallazgos or caso.ausentes:
        _revisar_hallazgos(caso, Path(argv[1]), salida if argv[-1] == "--json" else None)


def _revisar_hallazgos(caso: Caso, libro: Path, salida: str | None) -> None:
    if salida is None:
        resultado = runner.invoke(app, ["validar", str(libro), "--json"])
        assert resultado.exit_code in (0, 1), resultado.output
        salida = resultado.stdout
    hallazgos = json.loads(salida)
    for h in hallazgos:
        assert not ingles(h["mensaje"]), h
    for regla, hoja, celda, texto in caso.hallazgos:
        donde = [
            h for h in hallazgos if (h["regla"], h["hoja"], h["celda"]) == (regla, hoja, celda)
        ]
        assert any(texto in h["mensaje"] for h in donde), (regla, hoja, celda, texto, hallazgos)
    for regla, celda in caso.ausentes:
        assert not [h for h in hallazgos if h["regla"] == regla and celda in h["celda"]], hallazgos


def test_el_corpus_es_suficiente() -> None:
    assert len(CASOS) >= 30


def test_el_plan_2011_sigue_igual(plan_2011: Path) -> None:
    resultado = runner.invoke(app, ["validar", str(plan_2011), "--json"])
    hallazgos = json.loads(resultado.stdout)
    errores = [(h["meta"], h["regla"]) for h in hallazgos if h["severidad"] == "error"]
    assert errores == [("7", "anual-vs-calendario"), ("20", "anual-vs-calendario")]
    assert [h["regla"] for h in hallazgos if h["severidad"] == "advertencia"] == [
        "unidad-escrita-distinto"
    ]


def test_los_hallazgos_no_dependen_de_la_carpeta(tmp_path: Path) -> None:
    """The same case in another folder (with a space in its name) finds the same."""
    salidas = []
    for carpeta in ("a", "b b"):
        destino = tmp_path / carpeta
        destino.mkdir()
        argv = [str(a) for a in CASOS["mes-error-div0"].preparar(destino)]
        salidas.append(json.loads(runner.invoke(app, argv).stdout))
    assert salidas[0] == salidas[1]


@pytest.mark.excel
def test_en_excel_un_error_tampoco_se_lee_como_vacio(tmp_path: Path) -> None:
    """The Excel adapter (xlwings' remote engine here) reads an error cell as the error,
    so the buttons report it as the command line does."""
    from tests.support.remote import payload_from_file, remote_book
    from xl_metas import operaciones
    from xl_metas.workbook_xlwings import LibroXlwings

    payload = payload_from_file(libro_plan(tmp_path / "plan.xlsx", [meta(1)]))
    payload["sheets"][0]["values"][4][6] = "#DIV/0!"  # ENE of meta 1, as Excel sends it
    with remote_book(payload) as book:
        hallazgos = operaciones.validar(LibroXlwings(book))
    assert [(h.regla, h.celda) for h in hallazgos if h.regla == "error-de-excel"] == [
        ("error-de-excel", "G5")
    ]
