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
        test-browser test-clock bench chromium clean

# mysqlclient (the MariaDB driver, in C) builds against Debian's libmariadb-dev.
$(BIN)/.installed: pyproject.toml
	@bash scripts/ensure-debian-package.sh mariadb_config libmariadb-dev pkg-config gcc
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

# WeasyPrint (SKP PDFs) needs Debian's Pango/HarfBuzz; the tests read PDFs with pdftotext.
install: $(BIN)/.installed
	@bash scripts/ensure-weasyprint.sh $(BIN)/python

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/htmx static/vendor/bootstrap static/vendor/axe
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	@touch $@

# Precompressed twins (.gz) of the static files; the portal serves a twin only while it is
# not older than its file.
assets: static/vendor/.installed
	@find static -type f \( -name '*.css' -o -name '*.js' -o -name '*.svg' \) \
	  -exec sh -c 'for f; do [ -f "$$f.gz" ] && [ ! "$$f" -nt "$$f.gz" ] || gzip -kf9 "$$f"; done' _ {} +

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
	@# The job consumer (exports, imports, reminders, e-mails, backup) runs beside gunicorn;
	@# Ctrl+C (or gunicorn ending) stops both.
	@$(FLASK) jobs --workers 2 & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null; wait $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - 'portal:create_app()'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's Chromium for the browser tests (never `playwright install`: it cannot download here).
chromium:
	@bash scripts/ensure-debian-package.sh chromium chromium fonts-dejavu-core

test-sqlite: install assets translations
	$(BIN)/pytest -q -m "not browser" -n 2 --cov --cov-report=term:skip-covered

test-mariadb: install assets translations
	@source scripts/ensure-mariadb.sh && \
	  TEST_DATABASE_URL="$$MARIADB_TEST_URL" $(BIN)/pytest -q -m "not browser and not slow" -n 2; \
	  status=$$?; scripts/drop-mariadb-test-dbs.sh "$${MARIADB_TEST_URL##*/}"; exit $$status

test-browser: install assets translations chromium
	$(BIN)/pytest -q -m browser tests/browser

# The suite with the wall clock at 23.30 WIB, at 00.30 WIB (as 01.30 WITA) and at 00.30 WIB on
# New Year's day (as 02.30 WIT), in the matching machine time zones: the hours around the local
# date change, the last run sequential, all in random order; then 00.30 WIB on MariaDB and
# 23.30 WIB in Chromium (the journeys; the every-page crawl runs once, in test-browser). tests/wall_clock/sitecustomize.py sets each process's clock before
# anything is imported (so time_machine is imported before pytest: hence the -W). libfaketime
# is not used: it also fakes sleeping, which breaks SQLite's busy wait and Python's threads.
# No test may read the wall clock: tests freeze it; ruff's TID251 bans reading it elsewhere
# than portal/clock.py; tests/conftest.py checks that the shifted clock is really in effect.
CLOCK_RUNS := 2026-11-29T23:30:00+07:00,Asia/Jakarta,-n2 \
              2026-11-30T01:30:00+08:00,Asia/Makassar,-n2 \
              2027-01-01T02:30:00+09:00,Asia/Jayapura,-pno:xdist
test-clock: install assets translations chromium
	@for run in $(CLOCK_RUNS); do \
	  IFS=, read -r moment zone workers <<< "$$run"; \
	  echo "test-clock: wall clock $$moment $$zone ($$workers)"; \
	  PYTHONPATH=tests/wall_clock PORTAL_WALL_CLOCK=$$moment TZ=$$zone \
	    $(BIN)/pytest -q -m "not browser and not slow" $$workers \
	      -W ignore::pytest.PytestAssertRewriteWarning || exit 1; \
	done
	@echo "test-clock: wall clock 2026-11-30T00:30:00+07:00 Asia/Jakarta, MariaDB"
	@source scripts/ensure-mariadb.sh && \
	  PYTHONPATH=tests/wall_clock PORTAL_WALL_CLOCK=2026-11-30T00:30:00+07:00 TZ=Asia/Jakarta \
	  TEST_DATABASE_URL="$$MARIADB_TEST_URL" $(BIN)/pytest -q -m "not browser and not slow" -n 2 \
	    -W ignore::pytest.PytestAssertRewriteWarning; \
	  status=$$?; scripts/drop-mariadb-test-dbs.sh "$${MARIADB_TEST_URL##*/}"; exit $$status
	@echo "test-clock: wall clock 2026-11-29T23:30:00+07:00 Asia/Jakarta, Chromium"
	PYTHONPATH=tests/wall_clock PORTAL_WALL_CLOCK=2026-11-29T23:30:00+07:00 TZ=Asia/Jakarta \
	  $(BIN)/pytest -q -m browser tests/browser --ignore=tests/browser/test_every_page.py \
	    -W ignore::pytest.PytestAssertRewriteWarning

test: lint
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory test-sqlite && \
	$(MAKE) --no-print-directory test-mariadb && \
	$(MAKE) --no-print-directory test-browser && \
	$(MAKE) --no-print-directory test-clock; \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s, exit $$status"; exit $$status

# Both engines in one run, then the period-end surge; BENCH_ARGS adds or overrides options
# (e.g. BENCH_ARGS="--pegawai 20000"). The MariaDB database bench_portal_PID is dropped after.
bench: install assets translations
	@bash scripts/ensure-debian-package.sh wrk wrk || echo "bench: no wrk, the pages are skipped"
	@if source scripts/ensure-mariadb.sh >/dev/null; then \
	  mariadb="--database mysql://root@$${MARIADB_HOST:-127.0.0.1}:$${MARIADB_PORT:-3306}/bench_portal_$$$$"; \
	else echo "bench: no MariaDB, SQLite only"; mariadb=""; fi; \
	$(BIN)/python bench/run.py --database sqlite $$mariadb $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor
