# Two commands do all set-up on a machine with Python 3.11+ and make:
#   make demo   - environment, dependencies, database, frameworks, demo organisation, server
#   make test   - the complete test suite on SQLite
# make demo PORT=8010 (HOST=0.0.0.0) serves elsewhere; make demo-reset forgets the demo data.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/stuurwiel
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

.PHONY: demo demo-reset test test-postgres lint typecheck messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	STUURWIEL_DEMO=1 $(BIN)/stuurwiel demo --host $(HOST) --port $(PORT)

# The demo keeps everything in var/ (the SQLite database, collected static files).
demo-reset:
	rm -rf var
	@echo "Demo data removed; 'make demo' builds it afresh."

test: $(STAMP)
	$(PYTEST)

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Services, selectors, loaders and the access layer (which files: [tool.mypy] in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

messages: $(STAMP)
	cd stuurwiel && STUURWIEL_DEMO=1 ../$(BIN)/django-admin makemessages -l nl -l en --no-obsolete --add-location=file
	cd stuurwiel && STUURWIEL_DEMO=1 ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var
