# The two commands a newcomer needs: `make run` and `make test`.
# Django 6 needs Python >= 3.12; .python-version asks pyenv for 3.13.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY_CANDIDATES := python3.13 python3.14 python3.12 python3 python
FIND_PYTHON := for p in $(PY_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; \
	  then echo $$p; break; fi; done
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format setup migrate catalog usda bench load clean

# The web server and one task worker (Procfile), stopped together with Ctrl-C.
run: setup migrate catalog
	HOST=$(HOST) $(BIN)/honcho start --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then \
	  echo "error: Python 3.12 or newer is required (Django 6 needs it) and none was found." >&2; \
	  echo "       Install Python 3.13 (e.g. 'pyenv install 3.13', or your OS package) and run make again." >&2; \
	  exit 1; \
	fi; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$($$py --version)"; rm -rf $(VENV); $$py -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: setup
	$(BIN)/python manage.py migrate --noinput

catalog: setup
	$(BIN)/python manage.py load_catalog

usda: setup
	$(BIN)/python manage.py import_usda

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/planner.py
	$(BIN)/python bench/catalog.py
	$(BIN)/python bench/recipes.py

load: setup
	$(BIN)/python -m pip install --quiet -r requirements-load.txt
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
