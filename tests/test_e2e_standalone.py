"""`thads airflow-standalone`: Airflow standalone (SQLite, LocalExecutor) on the project's DAGs."""

from __future__ import annotations

import time

import pytest

from scrapers.airflow_local import admin_password, api_get, api_token, live_group_members, start_standalone

pytestmark = pytest.mark.slow

START_TIMEOUT = 240


def test_standalone_starts_answers_and_stops(tmp_path, mirror):
    home = tmp_path / "airflow_home"
    sa = start_standalone(home, mirror_url=mirror.url,
                          # No daily run at start: this test checks the installation, not a crawl.
                          extra={"AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"})
    try:
        sa.wait_ready(timeout=START_TIMEOUT)
        password = admin_password(home)
        assert password
        token = api_token(sa.url, "admin", password)
        health = api_get(sa.url, "/api/v2/monitor/health", token)
        assert health["metadatabase"]["status"] == "healthy"
        deadline = time.monotonic() + 90
        dag_ids: set[str] = set()
        while time.monotonic() < deadline:
            dag_ids = {d["dag_id"] for d in api_get(sa.url, "/api/v2/dags", token)["dags"]}
            if dag_ids >= {"thads_crawl", "thads_warehouse", "thads_replay"}:
                break
            time.sleep(2)
        assert dag_ids == {"thads_crawl", "thads_warehouse", "thads_replay"}
        errors = api_get(sa.url, "/api/v2/importErrors", token)
        assert errors["total_entries"] == 0, errors
        pools = {p["name"]: p["slots"] for p in api_get(sa.url, "/api/v2/pools", token)["pools"]}
        assert pools.get("thads_duckdb") == 1
    finally:
        sa.stop(timeout=20)
    assert sa.proc.poll() is not None
    # Nothing of the process group is left running.
    assert live_group_members(sa.proc.pid) == []
