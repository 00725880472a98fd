"""Paths and settings, each overridable by an environment variable.

Defaults put everything under the repository's ``data/`` folder so that the
demo and the tests need no configuration; deployments point THADS_DATA_DIR
(or the finer variables) elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    return Path(os.environ.get("THADS_DATA_DIR", REPO_ROOT / "data"))


def lake_dir() -> Path:
    return Path(os.environ.get("THADS_LAKE_DIR", data_dir() / "lake"))


def warehouse_path() -> Path:
    return Path(os.environ.get("THADS_WAREHOUSE", data_dir() / "warehouse.duckdb"))


def report_dir() -> Path:
    return Path(os.environ.get("THADS_REPORT_DIR", data_dir() / "report"))


def dbt_project_dir() -> Path:
    return Path(os.environ.get("THADS_DBT_PROJECT_DIR", REPO_ROOT / "dbt_project"))


def mirror_url() -> str | None:
    """Base URL of the local site mirror; when set, every source is fetched from it."""
    url = os.environ.get("THADS_MIRROR_URL", "").strip()
    return url.rstrip("/") or None
