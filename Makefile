# Two commands for a fresh machine (Python 3.11 + make): `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CORES ?= 2

.PHONY: run test test-corpora lint lock bench clean

$(BIN)/snakemake: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

## run: set up .venv if needed, then run the workflow on the built-in demo corpus to the report
run: $(BIN)/snakemake
	$(BIN)/snakemake --cores $(CORES) --workflow-profile workflow/profiles/default
	@echo "Report: results/report/index.html"

## test: set up .venv if needed, then run the test suite (the slow real-corpus checks: make test-corpora)
test: $(BIN)/snakemake
	$(BIN)/python -m pytest -m "not corpora" -n 2 --dist loadgroup

## test-corpora: checks on the real corpora in ../shared/corpora (skipped where absent)
test-corpora: $(BIN)/snakemake
	$(BIN)/python -m pytest -m corpora

lint: $(BIN)/snakemake
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check .

lock: $(BIN)/snakemake
	$(BIN)/pip install --quiet -r requirements.in
	$(BIN)/pip freeze --exclude-editable > requirements.txt

clean:
	rm -rf results logs benchmarks .snakemake
