# Two commands on a fresh machine: `make run` (demo store in the browser) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := workspaces/demo.duckdb

.PHONY: venv demo run test test-fast bench clean-demo

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

test: venv
	$(PY) -m pytest -q

test-fast: venv
	$(PY) -m pytest -q -m "not slow and not e2e"

bench: venv
	$(PY) -m bench.ingest
	$(PY) -m bench.forecast

clean-demo:
	rm -rf $(DEMO) $(DEMO).wal $(DEMO).staging
