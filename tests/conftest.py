"""Fixtures shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("THADS_SHARED_DIR", REPO_ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED_DIR / "dev-set").is_dir():
        pytest.skip(f"shared dev set not found at {SHARED_DIR} (set THADS_SHARED_DIR)")
    return SHARED_DIR


@pytest.fixture()
def tmp_lake(tmp_path, monkeypatch) -> Path:
    """An empty lake and data dir for one test; env vars point every layer at it."""
    data = tmp_path / "data"
    lake = data / "lake"
    lake.mkdir(parents=True)
    monkeypatch.setenv("THADS_DATA_DIR", str(data))
    monkeypatch.setenv("THADS_LAKE_DIR", str(lake))
    monkeypatch.setenv("THADS_WAREHOUSE", str(data / "warehouse.duckdb"))
    monkeypatch.setenv("THADS_REPORT_DIR", str(data / "report"))
    return lake


@pytest.fixture(scope="session")
def mirror():
    """The bundled site mirror on a free loopback port, for the whole session."""
    from scrapers.mirror.server import start_mirror

    handle = start_mirror(port=0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture()
def fresh_mirror(mirror):
    """The session mirror with faults, the simulated date and the request log cleared, before and after."""

    def reset():
        mirror.set_faults(None)
        mirror.set_as_of(None)
        mirror.reset_log()

    reset()
    yield mirror
    reset()


@pytest.fixture()
def mirror_env(fresh_mirror, monkeypatch):
    """Point the crawler at the session mirror, cleared."""
    monkeypatch.setenv("THADS_MIRROR_URL", fresh_mirror.url)
    return fresh_mirror
