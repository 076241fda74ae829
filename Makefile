# make demo: entorno, instalación y el trabajo principal sobre el plan 2011.
# make test: entorno, instalación, ruff, mypy y todas las pruebas.
# make test-rapido: solo las pruebas sin LibreOffice ni el motor remoto de xlwings.
# make bench: las mediciones (bench/), cada cifra contra su base medida en la misma corrida;
# BASE=REV compara también el plan de 20 metas con esa revisión, ARGS=--sin-excel etc.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := salida

.PHONY: demo test test-rapido lint typecheck workbook clean venv bench

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py --salida $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check xl_metas tests bench scripts
	$(BIN)/ruff format --check xl_metas tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy xl_metas

test: lint typecheck
	$(BIN)/pytest --durations=10

test-rapido: $(STAMP)
	$(BIN)/pytest -n 2 -m "not libreoffice and not excel"

bench: $(STAMP)
	$(BIN)/python -m bench $(if $(BASE),--base $(BASE)) $(ARGS)

workbook: $(STAMP)
	$(BIN)/xl-metas construir

clean:
	rm -rf $(VENV) $(OUT)
