"""Línea de comandos ``xl-metas``: cada comando es una llamada a ``operaciones``."""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.markup import escape as esc

from . import archivos, cli_es, cli_tipos, guardado, operaciones, presentacion
from .cli_salida import (
    err,
    out,
    print_findings,
    print_historial,
    print_informe,
    print_semaforos,
    print_totals,
)
from .errors import XlMetasError
from .model import Severidad
from .presentacion import resumen_con_avance, totals_json, vencidos_json

cli_es.install()
cli_tipos.install()

app = typer.Typer(
    help="Programa Metas y Objetivos en Excel: importar, validar, recalcular y resumir el plan.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

LibroArg = Annotated[
    Path, typer.Argument(help="Libro de Excel (.xlsx o .xlsm).", show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Salida en JSON.")]


def fail(
    mensaje: str, code: int = 2, como_json: bool = False, libro: Path | None = None
) -> NoReturn:
    """The Spanish sentence on stderr; with ``--json`` also a JSON error object on stdout,
    so a script can tell why (same exit code)."""
    err.print(f"[bold red]Error:[/] {esc(mensaje)}")
    if como_json:
        print_json(presentacion.error_json(mensaje, libro, code))
    raise typer.Exit(code)


@contextmanager
def user_errors(como_json: bool = False, libro: Path | None = None) -> Iterator[None]:
    """Every failure reaches the user as a Spanish message and a non-zero exit (and, with
    ``--json``, as a JSON error object); a library's warnings (English, for developers) do
    not reach the user at all."""
    try:
        with warnings.catch_warnings(), operaciones.recoleccion_en_pausa():
            warnings.simplefilter("ignore")
            yield
    except XlMetasError as exc:
        fail(exc.mensaje, exc.exit_code, como_json, libro)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        fail("Interrumpido por el usuario.", 130, como_json, libro)
    except OSError as exc:  # a file read without its own sentence: still Spanish
        fail(guardado.mensaje_sistema(exc), 2, como_json, libro)
    except Exception as exc:  # the last net: never a traceback for the user
        fail(
            f"Error inesperado ({type(exc).__name__}: {exc}). Avise al responsable del libro.",
            3,
            como_json,
            libro,
        )


def print_saved(libro: Path, guardado: bool) -> None:
    if guardado:
        respaldo = archivos.ruta_respaldo(libro).name
        out.print(f"Guardado «{esc(str(libro))}» (respaldo en «{esc(respaldo)}»).")
    else:
        out.print(f"«{esc(str(libro))}» ya estaba al día: no se modificó.")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def importar(
    documento: Annotated[
        Path,
        typer.Argument(
            help="Documento del programa (texto separado por tabuladores) o un libro con el "
            "plan (.xlsx, .xlsm, .xls u .ods), con el formato de cualquier institución."
        ),
    ],
    salida: Annotated[Path, typer.Option("-o", "--salida", help="Libro a crear (.xlsx o .xlsm).")],
    hoja: Annotated[
        str | None,
        typer.Option("--hoja", help="Hoja del libro que tiene el plan (por omisión, se busca)."),
    ] = None,
    mapeo: Annotated[
        Path | None,
        typer.Option(
            "--mapeo",
            help="Archivo de mapeo (.toml) que dice qué columna es qué, para un formato que "
            "no se reconoce solo (vea docs/importar-libros.md).",
        ),
    ] = None,
    forzar: Annotated[
        bool,
        typer.Option(
            "--forzar",
            help="Reemplaza el libro si ya existe; el anterior queda como respaldo (.bak).",
        ),
    ] = False,
    actualizar: Annotated[
        bool,
        typer.Option(
            "--actualizar",
            help="Si el libro ya existe, cambia su plan y lleva el avance capturado de cada "
            "meta a su nueva fila (nada capturado se pierde).",
        ),
    ] = False,
    como_json: JsonOpt = False,
) -> None:
    """Crea un libro completo (Plan, Avance, Configuración e Inicio) con el plan del documento.

    Un .xlsm lleva las macros y los botones; un .xlsx, la lista de comandos. De un libro
    de otra institución se reconocen las columnas por sus encabezados (bandas combinadas,
    etiquetas numeradas, sinónimos, calendario mensual o trimestral) y el realizado que
    traiga pasa a Avance. Nunca reemplaza un libro que ya existe, salvo con --forzar; con
    --actualizar cambia el plan del libro y conserva el avance.
    Ejemplo: xl-metas importar programa-metas-2012.txt -o Metas2012.xlsm
    Ejemplo: xl-metas importar POA2024.xlsx --hoja "POA 2024" -o Metas2024.xlsm
    """
    from . import libro_nuevo  # the build and XlsxWriter: only commands that make a workbook

    with user_errors(como_json, documento):
        existia = salida.exists()
        hecho = libro_nuevo.importar(documento, salida, forzar, actualizar, hoja, mapeo)
    plan = hecho.plan
    if como_json:
        print_json(
            {
                "libro": str(salida),
                "anio": plan.anio,
                "metas": len(plan.metas),
                "programas": len(plan.programas()),
                "guardado": hecho.guardado,
                "periodicidad": str(plan.periodicidad),
                "avisos": list(hecho.avisos),
                "cambios": presentacion.cambio_plan_json(hecho.cambio) if hecho.cambio else None,
            }
        )
        return
    metas = f"{len(plan.metas)} metas en {len(plan.programas())} programas"
    for aviso in hecho.avisos:
        out.print(f"Nota: {esc(aviso)}")
    if hecho.cambio is not None:
        out.print(f"Plan de «{esc(str(salida))}»: {metas}.")
        for linea in presentacion.texto_cambio_plan(hecho.cambio):
            out.print(esc(linea))
        print_saved(salida, hecho.guardado)
        return
    out.print(f"Se creó «{esc(str(salida))}» con {metas} del año {plan.anio or 'sin año'}.")
    if existia:
        out.print(f"El libro anterior quedó en «{esc(archivos.ruta_respaldo(salida).name)}».")


@app.command("nuevo-anio")
def nuevo_anio(
    libro: LibroArg,
    salida: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--salida",
            help="Libro del año nuevo (por omisión, el mismo nombre con el año nuevo).",
        ),
    ] = None,
    anio: Annotated[
        int | None, typer.Option("--anio", help="Año nuevo (por omisión, el siguiente).")
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan", help="Documento con el plan del año nuevo (por omisión, el mismo plan)."
        ),
    ] = None,
    forzar: Annotated[
        bool,
        typer.Option(
            "--forzar",
            help="Reemplaza el libro del año nuevo si ya existe (el anterior queda como .bak).",
        ),
    ] = False,
    como_json: JsonOpt = False,
) -> None:
    """Empieza el año siguiente a partir del libro de este año, que no se modifica.

    El libro nuevo lleva el mismo plan (o el del documento de --plan), la institución,
    los umbrales del semáforo y la carpeta de copias; el avance queda vacío y la
    Configuración con el año nuevo y sin fecha de corte.
    Ejemplo: xl-metas nuevo-anio Metas2011.xlsm   (crea Metas2012.xlsm)
    """
    from . import libro_nuevo

    with user_errors(como_json, libro):
        hecho = libro_nuevo.nuevo_anio(libro, salida, anio, plan, forzar)
    if como_json:
        print_json(
            {
                "libro": str(hecho.destino),
                "anio": hecho.anio,
                "metas": len(hecho.plan.metas),
                "programas": len(hecho.plan.programas()),
                "hojas_no_copiadas": list(hecho.no_copiadas),
            }
        )
        return
    out.print(
        f"Se creó «{esc(str(hecho.destino))}» para {hecho.anio}: {len(hecho.plan.metas)} metas "
        f"en {len(hecho.plan.programas())} programas, avance vacío. «{esc(str(libro))}» no "
        "se modificó."
    )
    if hecho.no_copiadas:
        out.print(
            "Estas hojas propias del libro anterior no pasan al nuevo (las de los botones se "
            "vuelven a generar con ellos): "
            + ", ".join(f"«{esc(h)}»" for h in hecho.no_copiadas)
            + "."
        )


@app.command()
def validar(libro: LibroArg, como_json: JsonOpt = False) -> None:
    """Revisa el plan y lista los hallazgos (sale con 1 si hay errores).

    Ejemplo: xl-metas validar Metas2011.xlsm --json
    """
    with user_errors(como_json, libro):
        hallazgos = operaciones.validar(archivos.abrir(libro))
    if como_json:
        print_json([h.as_json() for h in hallazgos])
    else:
        print_findings(hallazgos)
    if any(h.severidad == Severidad.ERROR for h in hallazgos):
        raise typer.Exit(1)


@app.command()
def historial(
    libro: LibroArg,
    meta: Annotated[
        str | None, typer.Option("--meta", help="Solo los cambios de esta meta (su número).")
    ] = None,
    desde: Annotated[
        str | None,
        typer.Option("--desde", help="Solo los cambios desde esta fecha (AAAA-MM-DD)."),
    ] = None,
    como_json: JsonOpt = False,
) -> None:
    """Lista el historial de cambios a las cifras capturadas (Plan y Avance).

    Cada cambio hecho por un comando, un botón o una consolidación, y los hechos a mano
    entre dos comandos, con fecha, quién, origen, celda, antes y después. No modifica el
    libro. Ejemplo: xl-metas historial Metas2011.xlsm --meta 3 --desde 2011-07-01
    """
    from . import historial as registro

    with user_errors(como_json, libro):
        fecha = _fecha(desde, "--desde")
        archivo = archivos.abrir(libro)
        registros = registro.consultar(archivo, meta, fecha)
        existe = archivo.resolver(registro.HOJA_HISTORIAL) is not None
    if como_json:
        print_json([r.as_json() for r in registros])
        return
    if not existe:
        out.print(
            f"«{esc(str(libro))}» todavía no tiene historial: se crea con el primer comando "
            "que escribe en un libro con hoja Avance."
        )
        return
    print_historial(registros)


def _fecha(texto: str | None, opcion: str) -> dt.date | None:
    if texto is None:
        return None
    try:
        return dt.date.fromisoformat(texto.strip())
    except ValueError:
        raise XlMetasError(
            f"{opcion} «{texto}» no es una fecha AAAA-MM-DD (por ejemplo 2011-06-30)."
        ) from None


@app.command()
def recalcular(libro: LibroArg) -> None:
    """Escribe la suma del calendario, la diferencia y la hoja Validación en el libro.

    Guarda de forma segura y deja el archivo anterior como respaldo (.bak).
    Ejemplo: xl-metas recalcular Metas2011.xlsm
    """
    with user_errors():
        archivo = archivos.abrir(libro)
        resultado = operaciones.recalcular(archivo)
        guardado = archivo.guardar()
    out.print(presentacion.texto_recalculo(len(resultado.plan.metas), resultado.hallazgos))
    print_saved(libro, guardado)


CorteOpt = Annotated[
    str | None,
    typer.Option(
        "--corte", help="Fecha de corte AAAA-MM-DD (por omisión la de Configuración u hoy)."
    ),
]


@app.command()
def resumen(libro: LibroArg, corte: CorteOpt = None, como_json: JsonOpt = False) -> None:
    """Totales por meta, por programa y mes, por trimestre y generales.

    Ejemplo: xl-metas resumen Metas2011.xlsm --corte 2011-06-30 --json
    """
    with user_errors(como_json, libro):
        r = operaciones.resumen(archivos.abrir(libro), _fecha_corte(corte))
    seg = r.seguimiento  # None without an Avance sheet
    if como_json:
        data = totals_json(r.totales)
        print_json(resumen_con_avance(data, seg) if seg else data)
    else:
        print_totals(r.totales)
        if seg:
            print_semaforos(seg)


@app.command()
def vencidos(
    libro: LibroArg,
    corte: Annotated[
        str | None,
        typer.Option(
            "--corte", help="Fecha de corte AAAA-MM-DD (por omisión la de Configuración u hoy)."
        ),
    ] = None,
    como_json: JsonOpt = False,
) -> None:
    """Colorea cada mes de Avance según su estado a la fecha de corte y pone el semáforo.

    Crea la hoja Avance desde el Plan si no existe. Guarda solo si algo cambió.
    Ejemplo: xl-metas vencidos Metas2011.xlsm --corte 2011-06-30 --json
    """
    with user_errors(como_json, libro):
        fecha = _fecha_corte(corte)
        archivo = archivos.abrir(libro)
        seg = operaciones.vencidos(archivo, fecha)
        guardado = archivo.guardar()
    if como_json:
        print_json(vencidos_json(seg))
        return
    print_semaforos(seg)
    print_saved(libro, guardado)


@app.command()
def informe(
    libro: LibroArg,
    trimestre: Annotated[
        int,
        typer.Option(
            "--trimestre", "-t", help="Trimestre que se informa: 1, 2, 3 o 4.", show_default=False
        ),
    ],
    salida: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--salida",
            help="PDF a crear (por omisión «LIBRO - Informe TN.pdf» junto al libro).",
        ),
    ] = None,
    corte: CorteOpt = None,
    preliminar: Annotated[
        bool,
        typer.Option(
            "--preliminar",
            help="Informe de un trimestre que aún no cierra a la fecha de corte, marcado "
            "«PRELIMINAR» en su título.",
        ),
    ] = False,
    sin_pdf: Annotated[
        bool,
        typer.Option("--sin-pdf", help="Solo la hoja «Informe TN» en el libro, sin el PDF."),
    ] = False,
    como_json: JsonOpt = False,
) -> None:
    """Informe trimestral al Congreso: la hoja «Informe TN» en el libro y su PDF.

    Por programa y meta: programado y realizado en el trimestre y acumulados a su cierre,
    sus porcentajes, el semáforo, los meses pendientes y la justificación de cada meta que
    no está en verde; totales por programa y de la institución (por unidad de medida), la
    gráfica y una portada con la institución, el periodo y la fecha de corte. Un trimestre
    que no ha cerrado a la fecha de corte se rechaza, salvo con --preliminar. El PDF se
    crea con LibreOffice. Si algo falla no se escribe nada.
    Ejemplo: xl-metas informe Metas2011.xlsm --trimestre 2 --corte 2011-06-30
    """
    from . import informe_pdf
    from .informe import nombre_hoja, revisar_trimestre

    with user_errors(como_json, libro):
        fecha = _fecha_corte(corte)
        revisar_trimestre(trimestre)
        destino = None
        soffice = None
        if not sin_pdf:
            destino = informe_pdf.ruta_pdf(libro, nombre_hoja(trimestre), salida)
            informe_pdf.revisar_destino(destino)
            soffice = informe_pdf.buscar_soffice()
            if soffice is None:
                raise XlMetasError(informe_pdf.mensaje_sin_libreoffice(nombre_hoja(trimestre)))
        archivo = archivos.abrir(libro)
        hecho = operaciones.informe_trimestral(archivo, trimestre, fecha, preliminar)
        datos = informe_pdf.pdf_de_hoja(hecho.hoja, soffice) if soffice else None
        guardado = archivo.guardar()
        pdf_escrito = informe_pdf.guardar_pdf(destino, datos) if destino and datos else False
    if como_json:
        data = presentacion.informe_json(hecho.informe)
        data |= {
            "libro": str(libro),
            "hoja": hecho.hoja.nombre,
            "guardado": guardado,
            "pdf": str(destino) if destino else None,
            "pdf_escrito": pdf_escrito,
        }
        print_json(data)
        return
    out.print(esc(presentacion.texto_informe_trimestral(hecho.informe)))
    print_saved(libro, guardado)
    if destino is not None:
        if pdf_escrito:
            out.print(f"PDF: «{esc(str(destino))}».")
        else:
            out.print(f"«{esc(str(destino))}» ya tenía este informe: no se modificó.")


def _fecha_corte(texto: str | None) -> dt.date | None:
    return _fecha(texto, "--corte")


@app.command("generar-hojas")
def generar_hojas(libro: LibroArg) -> None:
    """Genera una hoja por programa, lista para imprimir, como el documento original.

    Vuelve a generarlas si cambió el Plan o el Avance; quita las de programas que ya no
    están; no toca otras hojas; si alguien escribió en una hoja generada, no hace nada y
    dice qué filas cambiaron. Ejemplo: xl-metas generar-hojas Metas2011.xlsm
    """
    with user_errors():
        archivo = archivos.abrir(libro)
        hecho = operaciones.generar_hojas(archivo)
        guardado = archivo.guardar()
    for linea in presentacion.lineas_generacion(hecho):
        out.print(esc(linea))
    print_saved(libro, guardado)


@app.command("exportar-copias")
def exportar_copias(
    libro: LibroArg,
    carpeta: Annotated[
        Path | None,
        typer.Option(
            "--carpeta",
            help="Carpeta de salida (por omisión «enviadas» dentro de la carpeta de copias "
            "de Configuración).",
        ),
    ] = None,
) -> None:
    """Crea un libro con macros por programa para enviarlo por correo a cada área.

    Cada copia lleva su parte del Plan y del Avance, su hoja por área, la configuración,
    las instrucciones y los botones, y un sello de origen. Una copia que ya existe con el
    mismo contenido no se toca; si cambió, la anterior queda como respaldo (.bak).
    Ejemplo: xl-metas exportar-copias Metas2011.xlsm --carpeta copias/enviadas
    """
    with user_errors():
        hechas = operaciones.exportar_copias(libro, carpeta)
    for e in hechas:
        out.print(
            f"[bold]{esc(e.programa)}[/]: «{esc(str(e.archivo))}» — {e.estado} ({e.metas} metas)."
        )
        if e.respaldo:
            out.print(f"  La copia anterior quedó en «{esc(e.respaldo.name)}».")
        for aviso in e.avisos:
            out.print(f"  [yellow]{esc(aviso)}[/]")


@app.command()
def consolidar(
    libro: LibroArg,
    copias: Annotated[
        list[Path],
        typer.Argument(
            help="Copias devueltas (.xlsm o .xlsx), o carpetas que las contienen.",
            show_default=False,
        ),
    ],
    simular: Annotated[
        bool, typer.Option("--simular", help="Solo informa: no modifica el libro.")
    ] = False,
    preferir_copia: Annotated[
        bool,
        typer.Option(
            "--preferir-copia", help="En un conflicto toma el valor de la copia (se reporta)."
        ),
    ] = False,
) -> None:
    """Reúne en el Avance del libro lo realizado y las justificaciones de las copias devueltas.

    Una celda vacía del libro toma el valor de la copia; valores iguales no cambian nada;
    valores distintos son un conflicto y se conserva el del libro. Los cambios al Plan se
    reportan como propuestas y nunca se aplican. El detalle queda en la hoja Consolidación.
    Ejemplo: xl-metas consolidar Metas2011.xlsm copias/*.xlsm --simular
    """
    with user_errors():
        archivo = archivos.abrir(libro)
        copias = operaciones.expandir_copias(copias)
        from rich.progress import Progress  # only for the copies' progress bar

        with Progress(console=err, transient=True) as progress:
            tarea = progress.add_task("Consolidando copias", total=len(copias))

            def avanzar(ruta: Path) -> None:
                progress.update(tarea, advance=1, description=f"«{esc(ruta.name)}»")

            informe = operaciones.consolidar(
                archivo, copias, simular, preferir_copia, al_avanzar=avanzar
            )
        guardado = False if simular else archivo.guardar()
    print_informe(informe)
    if simular:
        out.print("[bold]Simulación:[/] el libro no se modificó.")
    else:
        print_saved(libro, guardado)
    if informe.rechazadas:
        raise typer.Exit(1)


@app.command()
def transparencia(
    libro: LibroArg,
    periodo: Annotated[
        str,
        typer.Option(
            "--periodo",
            help="Periodo que se informa: T1…T4, S1 o S2, el año (2011 o ANUAL), o "
            "día/mes/año-día/mes/año (01/04/2011-30/06/2011); dentro del año del plan.",
            show_default=False,
        ),
    ],
    salida: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--salida",
            help="Archivo .xlsx (el .csv va a su lado con el mismo nombre) o carpeta; por "
            "omisión «LIBRO - Fracción IV PERIODO.xlsx» y «.csv» junto al libro.",
        ),
    ] = None,
    como_json: JsonOpt = False,
) -> None:
    """Filas de la fracción IV (metas y objetivos de las áreas) para la Plataforma Nacional.

    Ley General de Transparencia, artículo 70, fracción IV: una fila por meta con los
    criterios del formato LGT_Art_70_Fr_IV, en un .xlsx para el SIPOT y un CSV UTF-8. Lo
    que el plan no tiene (indicador, hipervínculo, fechas) se toma de la columna INDICADOR
    del Plan y de Configuración; lo que falta se lista (sale con 1) y su celda queda vacía
    y marcada en rojo en el .xlsx. El libro no se modifica.
    Ejemplo: xl-metas transparencia Metas2011.xlsm --periodo T2
    """
    from . import transparencia as fraccion_iv
    from . import transparencia_archivo

    with user_errors(como_json, libro):
        exportacion = fraccion_iv.desde_libro(archivos.abrir(libro), periodo)
        xlsx, csv_ruta = transparencia_archivo.rutas(libro, exportacion.periodo.etiqueta, salida)
        escritos = transparencia_archivo.escribir(exportacion, xlsx, csv_ruta)
    errores = [h for h in exportacion.hallazgos if h.severidad == Severidad.ERROR]
    if como_json:
        data = fraccion_iv.como_json(exportacion)
        data["archivos"] = [{"ruta": str(e.ruta), "cambiado": e.cambiado} for e in escritos]
        print_json(data)
    else:
        out.print(
            f"Fracción IV, ejercicio {exportacion.anio}, del {exportacion.periodo.texto()}: "
            f"{len(exportacion.filas)} filas (una por meta)."
        )
        for e in escritos:
            estado = "escrito" if e.cambiado else "ya estaba al día: no se modificó"
            out.print(f"«{esc(str(e.ruta))}» {estado}.")
        if exportacion.hallazgos:
            print_findings(list(exportacion.hallazgos))
        else:
            out.print("[green]Todos los criterios están completos.[/]")
    if errores:
        raise typer.Exit(1)


@app.command()
def construir(
    salida: Annotated[
        Path | None, typer.Option("-o", "--salida", help="Libro a crear (.xlsm).")
    ] = None,
) -> None:
    """Construye el libro con macros desde templates/ (por omisión workbook/Metas2011.xlsm).

    Ejemplo: xl-metas construir
    """
    from . import build

    with user_errors():
        destino = build.construir(salida or build.LIBRO)
    out.print(f"Se construyó «{esc(str(destino))}».")


@app.command("actualizar-vba")
def actualizar_vba(libro: LibroArg) -> None:
    """Pone en el libro el módulo VBA del xlwings instalado, sin tocar los demás módulos.

    Conserva las referencias, los formularios y la protección del proyecto VBA, y deja un
    módulo de hoja por cada hoja (ni de más ni de menos).

    Ejemplo: xl-metas actualizar-vba Metas2011.xlsm
    """
    from . import vba_tools

    with user_errors():
        r = vba_tools.actualizar_vba(libro)
    if not r.cambiado:
        out.print(f"«{esc(str(libro))}» ya tiene xlwings {r.version_nueva}: no se modificó.")
        return
    if r.version_anterior != r.version_nueva:
        out.print(
            f"«{esc(str(libro))}»: módulo xlwings {r.version_anterior or '(ninguno)'} "
            f"→ {r.version_nueva}."
        )
    else:
        out.print(
            f"«{esc(str(libro))}» ya tenía xlwings {r.version_nueva}; se ajustaron los "
            "módulos de sus hojas."
        )
    if r.modulos_agregados:
        out.print("Módulos agregados: " + ", ".join(r.modulos_agregados) + ".")
    if r.modulos_quitados:
        out.print(
            "Módulos quitados (sus hojas ya no están): " + ", ".join(r.modulos_quitados) + "."
        )
    for hoja, antes, despues in r.codigos_cambiados:
        de = f"de la hoja «{esc(hoja)}»" if hoja else "del libro"
        out.print(f"Nombre de código {de}: {antes or '(ninguno)'} → {despues}.")
    if r.respaldo:
        out.print(f"Respaldo en «{esc(r.respaldo.name)}».")


@app.command("actualizar-lite")
def actualizar_lite(libro: LibroArg) -> None:
    """Pone en el libro el código de xlwings Lite de esta versión, sin tocar sus datos.

    Solo cambian main.py y requirements.txt del complemento (lo agrega si el libro no lo
    tiene); los ajustes que guardó xlwings Lite y todo lo demás del libro se conservan.

    Ejemplo: xl-metas actualizar-lite Metas2011.xlsm
    """
    from . import lite

    with user_errors():
        cambiado = lite.actualizar_lite(libro)
    if cambiado:
        out.print(f"«{esc(str(libro))}» lleva ahora el código de xlwings Lite de esta versión.")
    else:
        out.print(f"«{esc(str(libro))}» ya tenía el código de xlwings Lite de esta versión.")


@app.command()
def diagnostico(
    libro: Annotated[Path | None, typer.Argument(help="Libro a revisar (opcional).")] = None,
) -> None:
    """Versiones instaladas, versión VBA del libro y lo que aún necesita una PC del personal.

    Ejemplo: xl-metas diagnostico Metas2011.xlsm
    """
    from . import vba_tools

    with user_errors():
        d = vba_tools.diagnostico(libro)
    out.print(f"xl-metas {d.version_paquete}; xlwings instalado {d.version_xlwings}")
    out.print(f"Intérprete: {esc(str(d.interprete))} (Python {d.python}, {d.sistema})")
    if d.libro is not None:
        estado = "coincide" if d.versiones_coinciden else "[bold red]NO coincide[/]"
        out.print(
            f"Libro «{esc(d.libro.name)}»: xlwings VBA {d.version_vba or '(ninguno)'} ({estado})"
        )
        out.print("Módulos VBA: " + ", ".join(d.modulos))
    out.print("Lo que necesita una PC del personal:")
    for pendiente in d.pendientes:
        out.print(f"  • {pendiente}")
    if d.versiones_coinciden is False:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console script entry
    app()
