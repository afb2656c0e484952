# Two commands do everything on a fresh machine:
#   make demo   builds .venv, generates a realistic five-year SQLite ledger (demo.db) and
#               prints its latest full year's annual report
#   make tour   walks six hand-written cases through the procedure in its own ledger (tour.db)
#   make test   builds .venv, runs ruff, mypy and the whole test suite (SQLite + PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo tour test lint bench bench-full clean cli-reference mutate bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# Our packages' bytecode, written once as a wheel's install would (ADR 0036): with
# PYTHONDONTWRITEBYTECODE set, every command would otherwise compile them from source
# (about 70 ms). A source changed later is recompiled in memory until this runs again.
PACKAGES := cli domain ledger projections reports transfer demo
bytecode:
	$(BIN)/python -m compileall -q $(PACKAGES)

demo: $(STAMP)
	$(BIN)/complaints demo --db demo.db

tour: $(STAMP)
	TOUR_DB=tour.db bash examples/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

# docs/cli.md: every command and option, written from the program (a test checks it)
cli-reference: $(STAMP)
	$(BIN)/python -m cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) build *.egg-info demo.db demo.db-wal demo.db-shm tour.db tour.db-wal tour.db-shm

# make bench: ledgers of about 10k and 100k events; make bench-full adds 1M (about 30 min)
bench: $(STAMP) bytecode
	$(BIN)/python bench/run.py

bench-full: $(STAMP) bytecode
	BENCH_SIZES=10k,100k,1M $(BIN)/python bench/run.py

# make mutate: mutation testing of the rules and the chain's hash (bounded at 15 min); the
# scope and the tests are in pyproject.toml's [tool.mutmut]; writes docs/mutation.md
MUTANTS := 'domain.*' 'ledger.store.integrity.x_event_hash__mutmut_*'
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	-timeout 900 $(BIN)/mutmut run --max-children 2 $(MUTANTS) > mutants-run.log 2>&1
	$(BIN)/python bench/mutation_report.py > docs/mutation.md
