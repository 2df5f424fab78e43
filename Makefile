# Hub Coverage: `make run` starts the dashboard, `make test` runs every test.
# Each target sets up what it needs (virtualenv, pinned requirements, data build, map assets).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.requirements-installed

.PHONY: run test test-fast test-a11y lint data assets bench clean setup browser postgres

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP) data/build/manifest.json static/vendor/leaflet/leaflet.js

data/build/manifest.json: $(STAMP) data/build.py data/artefacts.py data/sources.py geo/coverage.py geo/shapes.py
	$(BIN)/python -m data.build

static/vendor/leaflet/leaflet.js: $(STAMP)
	$(BIN)/python -m data.assets

data: $(STAMP)
	$(BIN)/python -m data.build

assets: $(STAMP)
	$(BIN)/python -m data.assets

run: setup
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

# The browser tests need Debian's chromium; install it when missing (root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || ( \
	  (apt-get update -q && apt-get install -y -q chromium) || \
	  (sudo apt-get update -q && sudo apt-get install -y -q chromium) )

# The concurrency tests start a throwaway PostgreSQL server from Debian's `postgresql` binaries;
# install it when missing (root or sudo). Under CI (CI=true) those tests fail without it.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ( \
	  (apt-get update -q && apt-get install -y -q postgresql) || \
	  (sudo apt-get update -q && sudo apt-get install -y -q postgresql) )

lint: $(STAMP)
	$(BIN)/ruff check .

test: setup browser postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests

# Accessibility only: axe on every page/viewport/mode, keyboard walk, reflow (also in `make test`).
test-a11y: setup browser
	$(BIN)/python -m pytest tests/e2e/test_accessibility_e2e.py tests/e2e/test_keyboard_e2e.py

test-fast: setup
	$(BIN)/python -m pytest tests/unit tests/data tests/pages

bench: setup browser
	$(BIN)/python -m bench.run

# Never touches var/ (the register database with everyone's edits).
clean:
	rm -rf data/build static/vendor
