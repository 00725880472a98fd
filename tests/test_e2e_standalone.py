"""`thads airflow-standalone`: Airflow standalone (SQLite, LocalExecutor) on the project's DAGs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scrapers.airflow_local import api_get, api_token, free_port, live_group_members

pytestmark = pytest.mark.slow

START_TIMEOUT = 240


def test_airflow_standalone_command_starts_answers_and_stops(tmp_path):
    home, port = tmp_path / "airflow_home", free_port()
    thads = str(Path(sys.executable).with_name("thads"))
    env = {**os.environ, "THADS_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([thads, "airflow-standalone", "--home", str(home), "--port", str(port), "--paused",
                             "--timeout", str(START_TIMEOUT)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT + 30
        login = None
        while time.monotonic() < deadline and proc.poll() is None and not login:
            login = next((m for m in map(re.compile(r"^login: admin / (\S+)").match, list(lines)) if m), None)
            time.sleep(1)
        out = "".join(lines)
        assert login, f"no login line printed:\n{out[-3000:]}"
        url = f"http://127.0.0.1:{port}"
        assert f"Airflow UI: {url}" in out and "site mirror: http://127.0.0.1:" in out

        token = api_token(url, "admin", login.group(1))
        assert api_get(url, "/api/v2/monitor/health", token)["metadatabase"]["status"] == "healthy"
        dag_ids: set[str] = set()
        while time.monotonic() < deadline:
            dag_ids = {d["dag_id"] for d in api_get(url, "/api/v2/dags", token)["dags"]}
            if dag_ids >= {"thads_crawl", "thads_warehouse", "thads_replay"}:
                break
            time.sleep(2)
        assert dag_ids == {"thads_crawl", "thads_warehouse", "thads_replay"}
        assert api_get(url, "/api/v2/importErrors", token)["total_entries"] == 0
        pools = {p["name"]: p["slots"] for p in api_get(url, "/api/v2/pools", token)["pools"]}
        assert pools.get("thads_duckdb") == 1
    finally:
        # Ctrl-C, as a user would; the command stops Airflow and the mirror.
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, "".join(lines)[-3000:]
    assert live_group_members(proc.pid) == []
