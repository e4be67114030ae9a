# Portal Kinerja ASN — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
HOST ?= 127.0.0.1
PORT ?= 5000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install assets translations migrate seed lint format test-sqlite test-mariadb \
        test-browser bench chromium clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/htmx static/vendor/bootstrap static/vendor/axe
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	@touch $@

assets: static/vendor/.installed

translations: install
	$(FLASK) translate compile

migrate: install translations
	$(FLASK) migrate

seed: migrate
	$(FLASK) seed-demo --if-empty

run: install assets translations migrate seed
	@echo ""
	@echo "Portal Kinerja ASN berjalan di http://$(HOST):$(PORT)/  (Ctrl+C untuk berhenti)"
	@$(FLASK) demo-logins || true
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - 'portal:create_app()'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

chromium:
	@bash scripts/ensure-chromium.sh

test-sqlite: install assets translations
	$(BIN)/pytest -q -m "not browser" -n 2 --cov --cov-report=term:skip-covered

test-mariadb: install assets translations
	@source scripts/ensure-mariadb.sh && \
	  TEST_DATABASE_URL="$$MARIADB_TEST_URL" $(BIN)/pytest -q -m "not browser and not slow" -n 2; \
	  status=$$?; scripts/drop-mariadb-test-dbs.sh "$${MARIADB_TEST_URL##*/}"; exit $$status

test-browser: install assets translations chromium
	$(BIN)/pytest -q -m browser tests/browser

test: lint
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory test-sqlite && \
	$(MAKE) --no-print-directory test-mariadb && \
	$(MAKE) --no-print-directory test-browser; \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s, exit $$status"; exit $$status

bench: install assets translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/vendor
