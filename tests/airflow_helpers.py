"""In-process Airflow for the tests: one temporary AIRFLOW_HOME (SQLite) per test session.

Airflow reads its configuration once, when it is first imported, so the environment is
set when a test module imports this helper (at collection, before any test runs).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from scrapers.airflow_local import DAGS_DIR, airflow_env, ensure_pool, migrate

_HOME: Path | None = None


def inprocess_home() -> Path:
    global _HOME
    if _HOME is None:
        if "airflow.settings" in sys.modules:
            raise RuntimeError("airflow was imported before tests/airflow_helpers.py configured AIRFLOW_HOME")
        _HOME = Path(tempfile.mkdtemp(prefix="thads-airflow-test-"))
        atexit.register(shutil.rmtree, _HOME, True)
        env = airflow_env(_HOME, extra={"AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING"})
        os.environ.update({k: v for k, v in env.items() if k.startswith("AIRFLOW") or k == "PATH"})
    return _HOME


inprocess_home()
# The DAG files import their shared module the way the DAG processor lets them: from the dags folder.
if str(DAGS_DIR) not in sys.path:
    sys.path.append(str(DAGS_DIR))


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The session's AIRFLOW_HOME with a migrated metadata DB and the project's pool."""
    home = inprocess_home()
    if not (home / ".migrated").exists():
        env = dict(os.environ)
        migrate(env)
        ensure_pool(env)
        (home / ".migrated").touch()
    return home


@pytest.fixture(scope="session")
def dags(airflow_db) -> dict:
    from scrapers.demo import load_dags

    return load_dags()
