# The README's two commands are `make demo` and `make test`; both build the
# environment themselves on a fresh clone.
SHELL := /bin/bash
PY_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

export PYTHONPATH := $(CURDIR)

.PHONY: venv demo test bench airflow lint lock clean

venv: $(STAMP)

# Re-install when the lock changes; uv makes a fresh install take seconds to minutes.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PY_BOOT) -m venv $(VENV)
	@$(PY) -m pip install -q "uv==$(UV_VERSION)"
	@$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	@$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $(STAMP)

demo: venv
	$(VENV)/bin/thads demo

test: venv
	$(PY) -m pytest -q -rs $(PYTEST_ARGS)

bench: venv
	@set -e; for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b; done

airflow: venv
	$(VENV)/bin/thads airflow-standalone

lint: venv
	$(VENV)/bin/ruff check scrapers dags tests bench
	$(VENV)/bin/sqlfluff lint dbt_project/models --dialect duckdb --templater jinja

lock:
	@test -x $(VENV)/bin/uv || { $(PY_BOOT) -m venv $(VENV) && $(PY) -m pip install -q "uv==$(UV_VERSION)"; }
	$(VENV)/bin/uv pip compile requirements.in --python 3.11 -q --no-header -o requirements.lock

clean:
	rm -rf $(VENV) data dbt_project/target dbt_project/logs
