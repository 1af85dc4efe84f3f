# Two commands on a fresh machine: `make run` (demo store in the browser) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := workspaces/demo.duckdb

.PHONY: venv demo run serve test test-fast bench clean-demo

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DEMO): | $(STAMP)
	$(PY) -m sample_data.build_demo --workspace $(DEMO)

demo: $(DEMO)

run: venv demo
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port 8501

# Serving clients through an authenticating proxy on this machine (docs/ARCHITECTURE.md,
# 'Running it for others'): the shared-server profile, checked by the app at start-up.
# make serve HOST=<the name clients use> [PORT=8501] [WORKSPACES=<this client's folder>]
PORT ?= 8501
serve: venv
	$(PY) -m ui.serve --host "$(HOST)" --port "$(PORT)" $(if $(WORKSPACES),--workspaces "$(WORKSPACES)")

# Two workers (pytest-xdist; one per core here), a test file per worker at a time so a
# module's fixtures are built once; then, alone, the tests that time the machine against
# itself (marker `serial`), which a neighbouring worker would skew.
XDIST := -n auto --dist loadfile

test: venv
	$(PY) -m pytest -q $(XDIST) -m "not serial"
	$(PY) -m pytest -q -m serial

test-fast: venv
	$(PY) -m pytest -q $(XDIST) -m "not slow and not e2e and not serial"

bench: venv
	$(PY) -m bench.ingest
	$(PY) -m bench.forecast
	$(PY) -m bench.sessions

clean-demo:
	rm -rf $(DEMO) $(DEMO).wal $(DEMO).staging
