"""Shared pieces of the reliability tests: a fast crawl environment, lake snapshots compared by
content, and the figures file (test-artifacts/reliability.json) that docs/reliability.md quotes."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("THADS_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts"))
FIGURES = ARTIFACTS / "reliability.json"

# Test-speed politeness: no per-host delay, millisecond backoff, small caps on Retry-After and read time.
FAST_ENV = {
    "THADS_CRAWL_DELAY": "0",
    "THADS_HTTP_BACKOFF_BASE": "0.005",
    "THADS_HTTP_RETRY_AFTER_MAX": "0.05",
    "THADS_HTTP_TIMEOUT": "1",
    "THADS_HTTP_MAX_SECONDS": "2",
}

# Raw-meta fields that legitimately differ between two runs fetching the same bytes:
#   fetched_at  wall clock of the fetch;
#   attempts    how many tries the fetch took (differs under faults by design);
#   fetch_url   the mirror's address, whose port changes from one mirror process to the next.
RUN_SPECIFIC_META = ("fetched_at", "attempts", "fetch_url")
# Article records carry fetched_at (copied from the raw meta) for the same reason.
RUN_SPECIFIC_ARTICLE = ("fetched_at",)
# A version manifest records when the run that first completed the version started.
RUN_SPECIFIC_MANIFEST = ("created_at",)


@pytest.fixture()
def rel_env(mirror_env, tmp_lake, monkeypatch):
    """The session mirror with everything visible and no faults, an empty lake, fast politeness."""
    for k, v in FAST_ENV.items():
        monkeypatch.setenv(k, v)
    mirror_env.set_as_of(None)
    mirror_env.set_faults(None)
    mirror_env.reset_log()
    yield mirror_env
    mirror_env.set_as_of(None)
    mirror_env.set_faults(None)


def record(scenario: str, figures: dict) -> None:
    """Merge one scenario's measured figures into test-artifacts/reliability.json (atomic)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(FIGURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[scenario] = {**figures, "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tmp = FIGURES.with_name(f".{FIGURES.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, FIGURES)
    print(f"\n[reliability] {scenario}: {json.dumps(figures, sort_keys=True, ensure_ascii=False)}")


def _strip(record: dict, fields) -> dict:
    return {k: v for k, v in record.items() if k not in fields}


def lake_content(lake: Path) -> dict[str, object]:
    """Every final file of the lake by relative path, parsed, with run-specific fields removed.

    runs/ is left out (each run writes its own summary, with its own id and timings). Temp files
    (``.<name>.*.tmp``) are listed under their own names, so a leftover one makes two lakes differ
    unless the caller filters it on purpose.
    """
    out: dict[str, object] = {}
    for path in sorted(p for p in lake.rglob("*") if p.is_file()):
        rel = path.relative_to(lake).as_posix()
        if rel.startswith("runs/"):
            continue
        if rel.endswith(".tmp"):
            out[rel] = path.read_bytes()
        elif rel.endswith(".html.gz"):
            out[rel] = gzip.decompress(path.read_bytes())
        elif rel.endswith(".meta.json"):
            out[rel] = _strip(json.loads(path.read_text(encoding="utf-8")), RUN_SPECIFIC_META)
        elif rel.startswith("articles/"):
            out[rel] = [_strip(json.loads(ln), RUN_SPECIFIC_ARTICLE)
                        for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        elif rel.endswith(".jsonl"):
            out[rel] = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        elif rel.startswith("versions/"):
            out[rel] = _strip(json.loads(path.read_text(encoding="utf-8")), RUN_SPECIFIC_MANIFEST)
        elif rel.endswith(".json"):
            out[rel] = json.loads(path.read_text(encoding="utf-8"))
        else:
            out[rel] = path.read_bytes()
    return out


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


def article_keys(lake: Path) -> list[str]:
    keys = []
    for path in sorted((lake / "articles").rglob("*.jsonl")):
        keys += [json.loads(ln)["doc_id"] for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return keys


def facts(lake: Path) -> list[dict]:
    rows = []
    for path in sorted((lake / "facts").rglob("*.jsonl")):
        rows += [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return sorted(rows, key=lambda r: (r["doc_id"], r["fact_idx"]))


def quarantine_records(lake: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((lake / "quarantine").rglob("*.json"))]


def diff_summary(a: dict, b: dict, limit: int = 10) -> str:
    only_a = sorted(set(a) - set(b))[:limit]
    only_b = sorted(set(b) - set(a))[:limit]
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])[:limit]
    return f"only in first: {only_a}; only in second: {only_b}; different: {changed}"


# ---- crash and resume ----------------------------------------------------------------------------

# Runs in a child process: crawl the given sources; with THADS_REL_KILL_AT=k the process SIGKILLs
# itself at its k-th lake rename (os.replace), either just before it ("before": the complete temp
# file is left behind) or after cutting the temp file in half ("torn": a half-written temp file is
# left behind). Without it the crawl runs to the end (the parent may still kill it on a timer).
CRASH_CHILD = r"""
import os, signal, sys
from scrapers.crawl.pipeline import crawl

kill_at = int(os.environ.get("THADS_REL_KILL_AT", "0"))
how = os.environ.get("THADS_REL_KILL_HOW", "before")
real_replace = os.replace
calls = [0]

def replace(src, dst, *a, **kw):
    calls[0] += 1
    print("W", calls[0], dst, flush=True)
    if calls[0] == kill_at:
        if how == "torn":
            size = os.path.getsize(src)
            with open(src, "r+b") as fh:
                fh.truncate(size // 2)
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *a, **kw)

os.replace = replace
for source in sys.argv[2].split(","):
    crawl(source, mode=sys.argv[1], lake=os.environ["THADS_LAKE_DIR"])
print("WRITES", calls[0])
"""


def run_crawl_child(lake: Path, sources: list[str], mode: str = "daily", *, kill_at: int = 0,
                    how: str = "before", kill_after_s: float | None = None, timeout: float = 300):
    """Run CRASH_CHILD; returns (returncode, stdout, stderr). Returncode -9 means it was killed."""
    import signal
    import subprocess
    import sys

    env = dict(os.environ)
    env.update(FAST_ENV)
    env.update({"THADS_LAKE_DIR": str(lake), "THADS_DATA_DIR": str(lake.parent),
                "THADS_REL_KILL_AT": str(kill_at), "THADS_REL_KILL_HOW": how})
    proc = subprocess.Popen([sys.executable, "-c", CRASH_CHILD, mode, ",".join(sources)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    try:
        out, err = proc.communicate(timeout=kill_after_s if kill_after_s is not None else timeout)
    except subprocess.TimeoutExpired:
        if kill_after_s is None:
            proc.kill()
            raise
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    return proc.returncode, out, err


# Warehouse columns that legitimately differ between two builds of equal lakes: where and when a
# lake file was written (path, mtime, size of the folder it sits in), wall-clock fetch times, and
# timestamps taken from file mtimes when a record has none, and the incremental models' fingerprints
# (md5 over source_file@file_mtime#file_size, see dbt_project/macros/incremental.sql).
RUN_SPECIFIC_COLUMNS = frozenset({"source_file", "file_mtime", "file_size", "fetched_at", "last_fetched_at",
                                  "created_at", "version_created_at", "quarantined_at", "detected_at",
                                  "doc_fingerprint", "key_fingerprint",
                                  "manifest"})   # stg_versions: the manifest's raw JSON, with its created_at
SKIP_TABLES = frozenset({"stg_crawl_runs"})     # one row per run: a resumed lake has had more runs


def build_warehouse(lake: Path, monkeypatch) -> Path:
    from scrapers import warehouse

    data = lake.parent
    monkeypatch.setenv("THADS_LAKE_DIR", str(lake))
    monkeypatch.setenv("THADS_DATA_DIR", str(data))
    monkeypatch.setenv("THADS_WAREHOUSE", str(data / "warehouse.duckdb"))
    warehouse.build()
    return data / "warehouse.duckdb"


def warehouse_content(path: Path) -> dict[str, list[tuple]]:
    """Every table and view, rows sorted, run-specific columns removed."""
    import duckdb

    out = {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("select table_name from information_schema.tables "
                             "where table_schema = 'main' order by 1").fetchall()
        for (name,) in tables:
            if name in SKIP_TABLES:
                continue
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'main' "
                "and table_name = ? order by ordinal_position", [name]).fetchall()]
            keep = [c for c in cols if c not in RUN_SPECIFIC_COLUMNS]
            rows = con.execute(f'select {", ".join(chr(34) + c + chr(34) for c in keep)} from "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
    finally:
        con.close()
    return out
