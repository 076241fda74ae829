"""The texts and JSON documents people see, shared by the command line and the buttons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xl_metas import presentacion
from xl_metas.copias import Informe, ResultadoCopia
from xl_metas.hojas_area import Generacion
from xl_metas.model import Hallazgo, Severidad


def test_informe_names_the_log_sheet_once() -> None:
    informe = Informe([ResultadoCopia(Path("Metas - Difusión.xlsm"))], False, False)
    texto = presentacion.texto_informe(informe)
    assert texto.count("Consolidación") == 1
    assert texto.splitlines()[-1] == "El detalle está en la hoja «Consolidación»."
    simulado = presentacion.texto_informe(Informe([], True, False))
    assert "Consolidación" not in simulado and "se actualizarían" in simulado


def test_lineas_generacion() -> None:
    hecho = Generacion(
        creadas=["VINCULACIÓN"], sin_cambios=["DIFUSIÓN"], corte=dt.date(2011, 6, 15)
    )
    assert presentacion.lineas_generacion(hecho) == [
        "Creadas: «VINCULACIÓN».",
        "Sin cambios: «DIFUSIÓN».",
        "Meses coloreados según el avance al 15/06/2011.",
    ]


def test_aviso_lists_the_first_findings_and_counts_the_rest() -> None:
    hallazgos = [
        Hallazgo("r", Severidad.ERROR, "Plan", f"F{i}", str(i), f"mensaje {i}") for i in range(10)
    ]
    lineas = presentacion.aviso_hallazgos(hallazgos).splitlines()
    assert lineas[0] == "Hallazgos: 10 errores, 0 advertencias, 0 info."
    assert lineas[1] == "• Plan!F0: mensaje 0"
    assert len(lineas) == 1 + presentacion.MAX_HALLAZGOS_AVISO + 1
    assert lineas[-1].startswith("… y 2 más")
    assert presentacion.aviso_hallazgos([]) == "Sin hallazgos: el plan está en orden."


def test_texto_recalculo() -> None:
    aviso = Hallazgo("r", Severidad.ADVERTENCIA, "Plan", "E16", "12", "x")
    assert presentacion.texto_recalculo(20, [aviso]) == (
        "20 metas recalculadas; 0 errores, 1 advertencia, 0 info."
    )
