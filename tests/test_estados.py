"""Month states and semáforo (xl_metas.estados), against expectations computed by hand.

Notation in the comments: P = planned per month, R = realizado per month, C = realizado
of the closed months, cumP(m) = planned through month m; coverage of a closed month m is
clamp(C − cumP(m−1), 0, P(m)).
"""

from __future__ import annotations

import datetime as dt

import pytest

from xl_metas.estados import (
    COLORES_ESTADO,
    COLORES_SEMAFORO,
    Corte,
    Estado,
    Semaforo,
    Umbrales,
    cantidad,
    estados_meses,
    evaluar,
    leyenda_filas,
    semaforo,
)

CU = Estado.CUMPLIDO
CA = Estado.CUMPLIDO_CON_ATRASO
PA = Estado.PARCIAL
VE = Estado.VENCIDO
NP = Estado.NO_PROGRAMADO
SA = Estado.SIN_ACTIVIDAD
EC = Estado.EN_CURSO
FU = Estado.FUTURO


def meses(**valores: float) -> list[float]:
    """12 months from keyword arguments ene=…, feb=…, … (the rest 0)."""
    nombres = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
    return [float(valores.get(n, 0)) for n in nombres]


def corte(fecha: str, anio: int = 2011) -> Corte:
    return Corte.en(anio, dt.date.fromisoformat(fecha))


# -- where the cut-off falls ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fecha", "anio", "cerrados", "en_curso"),
    [
        ("2011-03-15", 2011, 2, 2),  # mid-March: Jan, Feb closed; March in progress
        ("2011-03-31", 2011, 3, None),  # March's last day: March closed, nothing in progress
        ("2011-03-01", 2011, 2, 2),  # first day of March: March still in progress
        ("2011-02-28", 2011, 2, None),  # 2011 is not a leap year: Feb 28 closes February
        ("2012-02-28", 2012, 1, 1),  # 2012 is: February is still in progress
        ("2011-12-31", 2011, 12, None),  # year's last day: everything closed
        ("2011-01-01", 2011, 0, 0),
        ("2012-01-10", 2011, 12, None),  # plan year before the cut-off: all closed
        ("2010-06-30", 2011, 0, None),  # plan year after the cut-off: all future
    ],
)
def test_corte_en_el_anio(fecha: str, anio: int, cerrados: int, en_curso: int | None) -> None:
    c = corte(fecha, anio)
    assert (c.cerrados, c.en_curso) == (cerrados, en_curso)


# -- month states -----------------------------------------------------------------------


def test_recuperacion_marzo_hecho_en_mayo_corte_junio() -> None:
    # P: March 3. R: May 3. Cut-off 30 June: Jan..Jun closed, C = 3.
    # March: coverage clamp(3 − 0, 0, 3) = 3 (full) but R through March = 0 < 3 → late.
    # May: nothing planned, 3 done → no programado. Others closed: sin actividad.
    estados = estados_meses(meses(mar=3), meses(may=3), corte("2011-06-30"))
    assert estados == (SA, SA, CA, SA, NP, SA, FU, FU, FU, FU, FU, FU)


def test_recuperacion_con_corte_a_mitad_de_junio() -> None:
    # Same plan, cut-off 15 June: June is en curso; C = 3 (Jan..May) still covers March.
    estados = estados_meses(meses(mar=3), meses(may=3), corte("2011-06-15"))
    assert estados == (SA, SA, CA, SA, NP, EC, FU, FU, FU, FU, FU, FU)


def test_todos_los_estados_en_una_meta() -> None:
    # P = 2,2,2,2,2 (Jan..May), R = 2,0,3,0,1,1 (Jan..Jun). Cut-off 15 Aug: Jan..Jul closed.
    # C = 2+0+3+0+1+1+0 = 7; cumP = 2, 4, 6, 8, 10.
    # Jan: cov clamp(7−0)=2 full, R≤Jan 2 ≥ 2          → cumplido
    # Feb: cov clamp(7−2)=2 full, R≤Feb 2 < 4          → cumplido con atraso
    # Mar: cov clamp(7−4)=2 full, R≤Mar 5 < 6          → cumplido con atraso
    # Apr: cov clamp(7−6)=1 of 2                       → parcial
    # May: cov clamp(7−8)=0                            → vencido
    # Jun: P 0, R 1 → no programado; Jul: P 0, R 0 → sin actividad
    # Aug: en curso; Sep..Dec: futuro
    p = meses(ene=2, feb=2, mar=2, abr=2, may=2)
    r = meses(ene=2, mar=3, may=1, jun=1)
    estados = estados_meses(p, r, corte("2011-08-15"))
    assert estados == (CU, CA, CA, PA, VE, NP, SA, EC, FU, FU, FU, FU)
    e = evaluar(p, r, corte("2011-08-15"))
    # Programado al corte 10, realizado al corte 7: exactly 70 % → amarillo (its lower edge).
    assert (e.programado_al_corte, e.realizado_al_corte, e.total_realizado) == (10, 7, 7)
    assert e.porcentaje_al_corte == 70.0
    assert e.semaforo == Semaforo.AMARILLO
    assert e.porcentaje_anual == 70.0  # 7 of the annual 10


def test_mes_a_tiempo_despues_de_uno_atrasado() -> None:
    # P = 1,1; R = 0,2. Cut-off 28 Feb 2011: C = 2.
    # Jan: full, but R≤Jan 0 < 1 → late. Feb: cov clamp(2−1)=1 full, R≤Feb 2 ≥ 2 → on time.
    estados = estados_meses(meses(ene=1, feb=1), meses(feb=2), corte("2011-02-28"))
    assert estados[:3] == (CA, CU, FU)


def test_nada_hecho_todo_vencido() -> None:
    # P = 1 every month, R = 0; cut-off 31 March → Jan..Mar vencido, Apr..Dec futuro.
    e = evaluar([1.0] * 12, [0.0] * 12, corte("2011-03-31"))
    assert e.estados == (VE, VE, VE) + (FU,) * 9
    assert e.porcentaje_al_corte == 0.0
    assert e.semaforo == Semaforo.ROJO


def test_lo_hecho_en_el_mes_en_curso_no_cuenta_al_corte() -> None:
    # P = 1 each month; R = 1, 1, 5. Cut-off 15 March: C = 2 (Jan, Feb), March en curso.
    e = evaluar([1.0] * 12, meses(ene=1, feb=1, mar=5), corte("2011-03-15"))
    assert e.estados[:4] == (CU, CU, EC, FU)
    assert (e.programado_al_corte, e.realizado_al_corte, e.total_realizado) == (2, 2, 7)
    assert e.porcentaje_al_corte == 100.0
    assert e.semaforo == Semaforo.VERDE
    assert e.porcentaje_anual == pytest.approx(58.3)  # 7 of 12, one decimal


def test_sobrecumplimiento_es_rojo() -> None:
    # P = 1,1; R = 3,0; cut-off 28 Feb 2011: C = 3 of cumP 2 = 150 % → rojo (over 130 %).
    # Jan: full, R≤Jan 3 ≥ 1 → cumplido. Feb: cov clamp(3−1)=1 full, R≤Feb 3 ≥ 2 → cumplido.
    e = evaluar(meses(ene=1, feb=1), meses(ene=3), corte("2011-02-28"))
    assert e.estados[:2] == (CU, CU)
    assert e.porcentaje_al_corte == 150.0
    assert e.semaforo == Semaforo.ROJO


def test_anio_del_plan_anterior_al_corte() -> None:
    # Plan 2011, cut-off 10 Jan 2012: all twelve months closed; P = 1 each, R = 1 Jan..Jun.
    # C = 6, cumP: Jan..Jun 1..6 covered on time; Jul: clamp(6−6)=0 → vencido … Dec.
    e = evaluar([1.0] * 12, meses(ene=1, feb=1, mar=1, abr=1, may=1, jun=1), corte("2012-01-10"))
    assert e.estados == (CU,) * 6 + (VE,) * 6
    assert (e.programado_al_corte, e.realizado_al_corte) == (12, 6)
    assert e.semaforo == Semaforo.ROJO  # 50 %


def test_anio_del_plan_posterior_al_corte() -> None:
    # Plan 2012, cut-off 1 June 2011: nothing closed, nothing in progress.
    e = evaluar([1.0] * 12, [0.0] * 12, corte("2011-06-01", anio=2012))
    assert e.estados == (FU,) * 12
    assert e.programado_al_corte == 0
    assert e.porcentaje_al_corte is None
    assert e.semaforo == Semaforo.SIN_PROGRAMADO


def test_nada_programado_hasta_el_corte() -> None:
    # P: July 5. R: Feb 2. Cut-off 30 June: cumP(June) = 0 → sin programado, no percentage.
    e = evaluar(meses(jul=5), meses(feb=2), corte("2011-06-30"))
    assert e.estados[:7] == (SA, NP, SA, SA, SA, SA, FU)
    assert e.programado_al_corte == 0
    assert e.realizado_al_corte == 2
    assert e.porcentaje_al_corte is None
    assert e.semaforo == Semaforo.SIN_PROGRAMADO
    assert e.porcentaje_anual == 40.0  # 2 of the annual 5


def test_anual_explicito_para_porcentaje_anual() -> None:
    e = evaluar([1.0] * 12, meses(ene=3), corte("2011-01-31"), anual=20)
    assert e.porcentaje_anual == 15.0


def test_requiere_doce_meses() -> None:
    with pytest.raises(ValueError):
        evaluar([1.0] * 11, [0.0] * 12, corte("2011-01-31"))


# -- semáforo: the thresholds' edges ---------------------------------------------------


@pytest.mark.parametrize(
    ("realizado", "programado", "esperado"),
    [
        (69, 100, Semaforo.ROJO),
        (7, 10, Semaforo.AMARILLO),  # exactly 70 %
        (89, 100, Semaforo.AMARILLO),
        (9, 10, Semaforo.VERDE),  # exactly 90 %
        (10, 10, Semaforo.VERDE),
        (11, 10, Semaforo.VERDE),  # exactly 110 % (11/10*100 is 110.00000000000001 in floats)
        (33, 30, Semaforo.VERDE),  # 110 % again
        (111, 100, Semaforo.AMARILLO),
        (13, 10, Semaforo.AMARILLO),  # exactly 130 %
        (131, 100, Semaforo.ROJO),
        (0, 10, Semaforo.ROJO),
        (3, 0, Semaforo.SIN_PROGRAMADO),
        (0, 0, Semaforo.SIN_PROGRAMADO),
    ],
)
def test_bordes_del_semaforo(realizado: float, programado: float, esperado: Semaforo) -> None:
    assert semaforo(realizado, programado, Umbrales()) == esperado


def test_umbrales_configurados() -> None:
    u = Umbrales(verde_desde=80, verde_hasta=120, amarillo_desde=50, amarillo_hasta=150)
    assert semaforo(8, 10, u) == Semaforo.VERDE  # 80 %
    assert semaforo(5, 10, u) == Semaforo.AMARILLO  # 50 %
    assert semaforo(49, 100, u) == Semaforo.ROJO
    assert semaforo(15, 10, u) == Semaforo.AMARILLO  # 150 %
    assert semaforo(151, 100, u) == Semaforo.ROJO


def test_umbrales_ordenados() -> None:
    assert Umbrales().ordenados()
    assert not Umbrales(verde_desde=95, amarillo_desde=96).ordenados()


# -- counts, colours, legend ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "esperado"), [(None, 0), ("", 0), ("tres", 0), ("3", 0), (-2, 0), (2, 2), (1.5, 1.5)]
)
def test_cantidad(raw: object, esperado: float) -> None:
    assert cantidad(raw) == esperado


def test_colores_y_leyenda() -> None:
    assert set(COLORES_ESTADO) == set(Estado)
    assert set(COLORES_SEMAFORO) == set(Semaforo)
    assert COLORES_ESTADO[Estado.VENCIDO] == COLORES_SEMAFORO[Semaforo.ROJO]
    filas = leyenda_filas()
    nombres = [n for n, _, _ in filas]
    assert "Cumplido con atraso" in nombres and "Semáforo amarillo" in nombres
    assert len(filas) == len(Estado) + len(Semaforo)
    verde = next(d for n, _, d in filas if n == "Semáforo verde")
    assert "90 %" in verde and "110 %" in verde
