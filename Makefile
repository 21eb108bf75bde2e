# Linli: `make run` serves the demo district; `make test` runs everything CI runs.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# `make run PORT=8044` (or LINLI_PORT=8044 make run) serves on another port; likewise HOST / LINLI_HOST.
HOST ?= $(or $(LINLI_HOST),127.0.0.1)
PORT ?= $(or $(LINLI_PORT),8000)
export LINLI_VAR_DIR ?= $(CURDIR)/var

.PHONY: run serve test test-sqlite test-postgres lint messages clean

$(BIN)/linli: pyproject.toml
	@PYTHON_BIN=$$(scripts/find_python.sh) && { [ -x $(PY) ] || $$PYTHON_BIN -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.test-installed: $(BIN)/linli
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

run: $(BIN)/linli
	$(BIN)/linli migrate --no-input -v 0
	$(BIN)/linli setup
	$(BIN)/linli collectstatic --no-input -v 0
	@# The sensors' broker: a local Mosquitto unless LINLI_MQTT_URL names another (a failure here only means no ingest).
	@[ -n "$$LINLI_MQTT_URL" ] || scripts/mosquitto.sh start || true
	@# The demo's sensors send heartbeats while it is served (nothing without the demo): one round now, before
	@# the worker could find them silent, then every five minutes through the broker (else the ingest).
	@$(BIN)/linli demo_heartbeats --once --direct -v 0 || true
	@# One background worker (deadlines, notifications, rollups), the sensor ingest (when a broker answers) and
	@# the demo's heartbeats run beside the web server and stop with it.
	@$(BIN)/linli worker & worker=$$!; $(BIN)/linli sensors listen --if-reachable & ingest=$$!; \
	  $(BIN)/linli demo_heartbeats & beats=$$!; \
	  trap 'kill $$worker $$ingest $$beats 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/linli serve --host $(HOST) --port $(PORT)

test: $(VENV)/.test-installed
	@scripts/ensure_system_deps.sh
	@scripts/mosquitto.sh install
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

lint: $(VENV)/.test-installed
	$(BIN)/ruff check linli bench scripts conftest.py
	$(BIN)/ruff format --check linli bench scripts conftest.py
	LINLI_TESTING=1 $(BIN)/mypy linli bench
	$(BIN)/lint-imports --no-cache
	LINLI_TESTING=1 $(BIN)/linli makemigrations --check --dry-run
	LINLI_TESTING=1 $(BIN)/linli compile_translations --check

test-sqlite: $(VENV)/.test-installed
	env -u DATABASE_URL LINLI_TESTING=1 $(BIN)/pytest -n 2 --dist loadgroup -q --durations=15

test-postgres: $(VENV)/.test-installed
	LINLI_TESTING=1 $(PY) scripts/with_postgres.py $(BIN)/pytest -n 2 --dist loadgroup -q --durations=15

messages: $(BIN)/linli
	$(BIN)/linli compile_translations

clean:
	rm -rf $(VENV) var
