# City Migration Profile: the two commands (`make report`, `make test`) and a few helpers.
# Everything installs into .venv from the pinned, hash-checked requirements.lock; nothing outside the project changes.

SHELL := /bin/bash
# the newest supported Python on PATH that runs (3.13, 3.12, 3.11; a pyenv shim of a version not enabled does not),
# or PYTHON=/path/to/python
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
# the install's stamp: the pinned requirements and the project's folder (a copied or moved project installs again:
# its .venv's scripts and its editable install would still point to the original checkout)
STAMP := $(VENV)/.installed-$(shell { cat requirements.lock pyproject.toml; pwd; } | cksum | cut -d' ' -f1)

# The project's own Dagster instance: runs, schedules and sensors persist here (git-ignored except dagster.yaml).
export DAGSTER_HOME := $(CURDIR)/.dagster

# The Dagster UI listens on this machine only; `make ui UI_HOST=0.0.0.0` opens it to the network (at your own risk:
# it has no login).
UI_HOST ?= 127.0.0.1
UI_PORT ?= 3000

# What a user gives on the command line reaches the commands as environment variables, expanded by the shell inside
# double quotes, never as text of the command: `make report CITY='x";touch y;"'` looks for a district of that name.
export CITY CITIES EDITION JOBS FULL UI_HOST UI_PORT SCALE REPEAT PROFILES ONLY

.PHONY: setup report fetch test lint bench mutate references chromium postgres ui manifest-check lock clean help

help:
	@echo "make report          set up .venv, build the warehouse and render every edition of Dortmund to report/_output/"
	@echo "make report CITY=Essen     another district: a name, a 5-digit district key or an 8-digit municipal key"
	@echo "make report CITIES=nrw     several: nrw (or another Land: by, sn, ...), all, or a list (05913000,05113000)"
	@echo "make report EDITION=2024   one edition (combines with CITY= and CITIES=); JOBS=n worker processes"
	@echo "make report FULL=1   rebuild everything, not only what changed since the last build"
	@echo "make fetch           fetch every listed table's next year from the publishers' web services (credentials: README)"
	@echo "make test            set up .venv, lint the code (ruff) and run the test suite"
	@echo "make lint            ruff check of the code and the layers' import contracts (pyproject.toml)"
	@echo "make bench           time cold, warm, text-only and one-file builds against the floor, then 1-100 synthetic cities"
	@echo "make bench SCALE=1,10    the scale part for these sizes only (SCALE=0 skips it)"
	@echo "make mutate          plant each bug of mutate/mutations.yaml alone and check that the tests catch it (ONLY=id,id)"
	@echo "make ui              open the Dagster UI on http://127.0.0.1:3000 (UI_HOST=, UI_PORT= to change)"
	@echo "make manifest-check  compare raw/ with raw/sources.yaml"
	@echo "make fonts           rewrite the HTML's subset web fonts (report/webfonts/) from report/fonts/"
	@echo "make lock            re-pin requirements.lock after changing pyproject.toml"
	@echo "make references      regenerate the definitions snapshot and the golden texts (then review git diff tests/)"

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Python 3.11, 3.12 or 3.13 is required (set PYTHON=/path/to/python3.x); found " + sys.version.split()[0])'
	@rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	@# --compile-bytecode: byte-compiled once here, imports stay fast even where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

setup: $(STAMP)

report: setup
	$(BIN)/python -m pipeline build $${EDITION:+--edition "$$EDITION"} $${CITY:+--city "$$CITY"} \
		$${CITIES:+--cities "$$CITIES"} $${JOBS:+--jobs "$$JOBS"} $${FULL:+--full}

fetch: setup
	$(BIN)/python -m pipeline fetch --due

# Two worker processes (pytest-xdist): the suite's runs are CPU-bound, and CI has two cores. TEST_JOBS=1 for one.
TEST_JOBS ?= 2
export TEST_JOBS
test: setup chromium postgres lint
	$(BIN)/python -m pytest -n "$$TEST_JOBS" --dist worksteal

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# Planted bugs, one at a time, in a scratch copy: do the tests catch them? (mutate/mutations.yaml; README, "Tests that
# judge"). Not part of `make test`. ONLY=id,id runs some.
mutate: setup
	$(BIN)/python -m mutate.run $${ONLY:+--only "$$ONLY"}

# Measured, never asserted: scenarios in a scratch copy of the project, figures printed (README, "Benchmark").
bench: setup
	$(BIN)/python -m bench.run $${REPEAT:+--repeat "$$REPEAT"} $${SCALE:+--cities "$$SCALE"} $${PROFILES:+--profiles "$$PROFILES"}

# The browser test drives Debian's Chromium (no browser download). Install it where apt-get can; elsewhere that one
# test is skipped with a message saying so.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }; } || \
		echo "Chromium could not be installed (needs apt-get as root); the browser test will be skipped."

# The UI and its daemon behind a guard (pipeline/cli/ui.py): GraphQL mutations only by POST with a JSON body, only
# for this host (CMP_UI_ALLOWED_HOSTS= adds names a proxy or the network uses).
ui: setup
	$(BIN)/python -m pipeline ui --host "$$UI_HOST" --port "$$UI_PORT"

manifest-check: setup
	$(BIN)/python -m pipeline manifest check

# The test references that are generated, never edited by hand: the Dagster definitions' snapshot and the golden
# texts of the profiles. A change to either is a reviewed diff in the commit that causes it.
references: setup
	UPDATE_SNAPSHOT=1 $(BIN)/python -m pytest -q -rs tests/defs/test_snapshot.py
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -rs tests/report/test_golden.py

# The HTML's subset fonts (report/webfonts/, committed): run after changing report/fonts/ or the character ranges
fonts: setup
	$(BIN)/python -m pipeline.report.webfonts

# The deployment test (tests/deploy/) starts a PostgreSQL server of its own from Debian's package: the programs are
# installed where apt-get runs as root, without the package's own cluster (tests/deploy/install_postgres.sh).
postgres:
	@sh tests/deploy/install_postgres.sh

lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/*.lock warehouse/.*.runs
