"""`xl-metas vencidos` and the progress part of `resumen`, through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.support.libros_avance import libro_muestra
from xl_metas import operaciones
from xl_metas.cli import app
from xl_metas.estados import Estado, Semaforo
from xl_metas.workbook_file import LibroArchivo

runner = CliRunner()
ESTADOS = {e.value for e in Estado}
SEMAFOROS = {"verde", "amarillo", "rojo", "sin programado"}


def test_vencidos_json(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    result = runner.invoke(app, ["vencidos", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corte"] == "2011-06-15"
    assert len(data["metas"]) == 20
    for meta in data["metas"]:
        assert set(meta) >= {"meta", "estados", "semaforo"}
        assert len(meta["estados"]) == 12 and set(meta["estados"]) <= ESTADOS
        assert meta["semaforo"] in SEMAFOROS
    meta9 = next(m for m in data["metas"] if m["meta"] == 9)
    assert meta9["estados"][:6] == [
        "sin actividad",
        "parcial",
        "sin actividad",
        "sin actividad",
        "sin actividad",
        "en curso",
    ]
    assert meta9["semaforo"] == "rojo"


def test_vencidos_dos_veces_no_cambia_nada(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    first = runner.invoke(app, ["vencidos", str(path)])
    assert first.exit_code == 0, first.output
    assert "Guardado" in first.stdout
    before = path.read_bytes()
    second = runner.invoke(app, ["vencidos", str(path)])
    assert second.exit_code == 0
    assert "no se modificó" in second.stdout
    assert path.read_bytes() == before
    libro = LibroArchivo(path)
    operaciones.vencidos(libro)
    assert libro.guardar() is False


def test_corte_por_opcion(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    result = runner.invoke(app, ["vencidos", str(path), "--corte", "2011-12-31", "--json"])
    data = json.loads(result.stdout)
    assert data["corte"] == "2011-12-31"
    assert all(
        "futuro" not in m["estados"] and "en curso" not in m["estados"] for m in data["metas"]
    )


def test_corte_invalido(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    result = runner.invoke(app, ["vencidos", str(path), "--corte", "30/06/2011"])
    assert result.exit_code == 2
    assert "no es una fecha AAAA-MM-DD" in result.stderr


def test_sin_hoja_avance_la_crea(plan_2011: Path) -> None:
    result = runner.invoke(app, ["vencidos", str(plan_2011), "--corte", "2011-03-31", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Nothing done: meta 2 (Feb 3, Mar 4) is vencido in Feb and March; rojo.
    meta2 = next(m for m in data["metas"] if m["meta"] == 2)
    assert meta2["estados"][:4] == ["sin actividad", "vencido", "vencido", "futuro"]
    assert meta2["semaforo"] == "rojo"
    assert "Avance" in LibroArchivo(plan_2011).hojas()


def test_resumen_json_agrega_avance(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    result = runner.invoke(app, ["resumen", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    meta = data["metas"][0]
    assert set(meta) >= {"meta", "programa", "anual", "suma_calendario", "diferencia", "meses"}
    assert set(meta) >= {"realizado", "semaforo", "porcentaje_al_corte", "estados"}
    programa = data["programas"][0]
    assert set(programa) >= {"programa", "anual", "suma_calendario", "meses", "trimestres"}
    assert len(programa["realizado"]) == 12 and len(programa["realizado_trimestres"]) == 4
    assert data["corte"] == "2011-06-15"
    assert {m["semaforo"] for m in data["metas"]} == {s.value for s in Semaforo}


def test_resumen_sin_avance_no_cambia(plan_2011: Path) -> None:
    data = json.loads(runner.invoke(app, ["resumen", str(plan_2011), "--json"]).stdout)
    assert set(data) == {"periodicidad", "periodos", "metas", "programas", "total", "por_unidad"}
    assert "semaforo" not in data["metas"][0]


def test_resumen_texto_muestra_semaforo(tmp_path: Path) -> None:
    path = libro_muestra(tmp_path / "m.xlsx")
    result = runner.invoke(app, ["resumen", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Avance al 15/06/2011" in result.stdout and "amarillo" in result.stdout
