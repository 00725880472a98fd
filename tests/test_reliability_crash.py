"""Crash and resume: a crawl killed at random points (also in the middle of a file write) and run
again leaves a lake and a warehouse identical to an uninterrupted run's (issue 8)."""

from __future__ import annotations

import fnmatch
import random
import re
import time

import pytest
import reliability_helpers
from reliability_helpers import (
    article_keys,
    diff_summary,
    facts,
    lake_content,
    quarantine_records,
    record,
    run_crawl_child,
    temp_files,
)

rel_env = reliability_helpers.rel_env     # the fixture

SOURCES = ["baophapluat", "thads"]
AS_OF = "2020-02-29"      # 83 article pages (41 on topic), 13 thads subsite listings, RSS
SEEDS = (1, 2, 3, 4, 5, 6)
# "full" walks every listing page, so every article of the window is at stake in every run.
MODE = "full"


def final_only(content: dict) -> dict:
    """A lake's content without leftover temp files (readers never match them, see below)."""
    return {k: v for k, v in content.items() if not re.search(r"(^|/)\.[^/]*\.tmp$", k)}


@pytest.fixture()
def reference(rel_env, tmp_path_factory):
    rel_env.set_as_of(AS_OF)
    lake = tmp_path_factory.mktemp("reference") / "lake"
    t0 = time.monotonic()
    rc, out, err = run_crawl_child(lake, SOURCES, MODE)
    assert rc == 0, err[-3000:]
    seconds = time.monotonic() - t0
    writes = [line.split(" ", 2)[2] for line in out.splitlines() if line.startswith("W ")]
    assert len(writes) == int(out.split("WRITES")[1])
    return lake, writes, seconds


@pytest.mark.slow
def test_killed_crawls_resume_to_the_same_lake(rel_env, reference, tmp_path):
    ref_lake, writes, ref_seconds = reference
    total_writes = len(writes)
    # Fixed kill points on top of the random ones: the first version manifest (every article of
    # the first source is already there) and the very last rename of the run.
    manifest_at = next(i for i, w in enumerate(writes, 1) if "/versions/" in w)
    ref = lake_content(ref_lake)
    assert article_keys(ref_lake) and not quarantine_records(ref_lake)
    rows = []
    for seed in SEEDS:
        rng = random.Random(seed)
        lake = tmp_path / f"seed{seed}" / "lake"
        how = "torn" if seed % 2 else "before"
        if seed == len(SEEDS):
            # A kill on a timer, wherever the process happens to be (in the second half of a run).
            plan = {"kill_after_s": round(rng.uniform(0.5, 0.95) * ref_seconds, 2)}
        elif seed == len(SEEDS) - 1:
            plan = {"kill_at": manifest_at, "how": "before"}
        elif seed == len(SEEDS) - 2:
            plan = {"kill_at": total_writes, "how": "torn"}
        else:
            plan = {"kill_at": rng.randint(1, total_writes - 1), "how": how}
        rc, out, err = run_crawl_child(lake, SOURCES, MODE, **plan)
        killed = rc == -9
        left = temp_files(lake)
        if "kill_at" in plan:
            assert killed, f"seed {seed}: the child was not killed ({rc}): {err[-2000:]}"
            assert left, "a kill at a rename leaves its temp file behind"
        partial_keys = len(article_keys(lake))
        if plan.get("kill_at") == manifest_at:
            # Airflow retries the failed source's task alone: its manifest must appear although every
            # article of that source already landed before the kill.
            rc1, _, err1 = run_crawl_child(lake, SOURCES[:1], MODE)
            assert rc1 == 0, err1[-3000:]
            assert sorted(p.name for p in (lake / "versions").glob("*.json")) == \
                sorted(p.name for p in (ref_lake / "versions").glob("*.json")), "version manifest missing"
        # Resume: the same command again over the same lake.
        rc2, out2, err2 = run_crawl_child(lake, SOURCES, MODE)
        assert rc2 == 0, err2[-3000:]
        got = lake_content(lake)
        keys = article_keys(lake)
        assert len(keys) == len(set(keys)), "an article landed twice"
        versions = sorted(p.name for p in (lake / "articles").iterdir())
        assert versions == sorted(p.name for p in (ref_lake / "articles").iterdir()), \
            f"seed {seed}: {versions}: the code changed between runs (scrapers/clean, sites or extract)"
        assert keys == article_keys(ref_lake), f"seed {seed}: missing {set(article_keys(ref_lake)) - set(keys)}"
        assert facts(lake) == facts(ref_lake)
        assert final_only(got) == ref, f"seed {seed}: " + diff_summary(final_only(got), ref)
        rows.append({"seed": seed, **{k: v for k, v in plan.items()}, "killed": killed,
                     "articles_before_resume": partial_keys, "articles_after_resume": len(keys),
                     "temp_files_left_by_kill": len(left), "lost": len(set(article_keys(ref_lake)) - set(keys)),
                     "duplicates": len(keys) - len(set(keys))})
    record("crash_resume", {"sources": SOURCES, "as_of": AS_OF, "mode": MODE,
                            "reference_run_s": round(ref_seconds, 2), "lake_writes_per_full_run": total_writes,
                            "reference_articles": len(article_keys(ref_lake)),
                            "reference_facts": len(facts(ref_lake)), "runs": rows})


# The globs the dbt sources read (dbt_project/models/staging); a temp file must match none of them.
DBT_GLOBS = ("articles/version=*/source=*/*.jsonl", "facts/version=*/source=*/*.jsonl",
             "quarantine/source=*/*.json", "drift/source=*/*.json", "runs/*/*.json", "versions/*.json")


def test_temp_file_names_match_no_reader_glob(tmp_path, repo_root):
    from scrapers import lake as lake_mod

    staging = (repo_root / "dbt_project" / "models" / "staging")
    sql = "\n".join(p.read_text(encoding="utf-8") for p in staging.glob("*.sql"))
    sql += "\n".join(p.read_text(encoding="utf-8") for p in staging.glob("*.yml"))
    for g in DBT_GLOBS:
        dataset, _, pattern = g.partition("/")
        assert f"'{dataset}', '{pattern}'" in sql or g in sql, f"dbt no longer reads {g}: update this test"
    # The name lake.atomic_write_bytes gives its temp file for each dataset's final name.
    import os
    import tempfile

    made = []
    real = tempfile.mkstemp

    def spy(*a, **kw):
        fd, name = real(*a, **kw)
        made.append(name)
        return fd, name
    tempfile.mkstemp = spy
    try:
        for g in DBT_GLOBS:
            final = tmp_path / g.replace("*", "x")
            lake_mod.atomic_write_bytes(final, b"{}\n")
    finally:
        tempfile.mkstemp = real
    assert len(made) == len(DBT_GLOBS)
    for name in made:
        rel = os.path.relpath(name, tmp_path)
        assert not any(fnmatch.fnmatch(rel, g) for g in DBT_GLOBS), rel
        assert os.path.basename(name).startswith(".") and name.endswith(".tmp")


@pytest.mark.slow
def test_warehouse_after_a_torn_write_and_resume_equals_the_uninterrupted_one(rel_env, reference, tmp_path,
                                                                            monkeypatch):
    ref_lake, writes, _ = reference
    lake = tmp_path / "resumed" / "lake"
    # Kill in the middle of writing an article file: a half-written temp file stays in the lake.
    at = next(i for i, w in enumerate(writes, 1) if "/articles/" in w and i > len(writes) // 3)
    rc, _, err = run_crawl_child(lake, SOURCES, MODE, kill_at=at, how="torn")
    assert rc == -9, err[-2000:]
    torn = temp_files(lake)
    assert any(t.startswith("articles/") for t in torn)
    rc, _, err = run_crawl_child(lake, SOURCES, MODE)
    assert rc == 0, err[-3000:]
    assert temp_files(lake) == torn            # harmless leftovers: the readers below must skip them
    assert sorted(p.name for p in (lake / "articles").iterdir()) == \
        sorted(p.name for p in (ref_lake / "articles").iterdir()), "the code changed between runs"

    ref_wh = reliability_helpers.warehouse_content(reliability_helpers.build_warehouse(ref_lake, monkeypatch))
    got_wh = reliability_helpers.warehouse_content(reliability_helpers.build_warehouse(lake, monkeypatch))
    assert set(got_wh) == set(ref_wh)
    different = sorted(t for t in ref_wh if ref_wh[t] != got_wh[t])
    assert not different, different
    assert len(got_wh["fct_articles"]) == len(article_keys(ref_lake))
    assert len(got_wh["stg_facts"]) == len(facts(ref_lake))
    record("crash_resume_warehouse", {
        "kill_at_write": at, "how": "torn", "temp_files_left": len(torn),
        "tables_compared": len(ref_wh), "rows_compared": sum(len(v) for v in ref_wh.values()),
        "fct_articles": len(got_wh["fct_articles"]), "fct_enforcement_metrics": len(got_wh["fct_enforcement_metrics"]),
        "tables_different": 0, "excluded_columns": sorted(reliability_helpers.RUN_SPECIFIC_COLUMNS),
        "excluded_tables": sorted(reliability_helpers.SKIP_TABLES),
    })


@pytest.mark.slow
def test_killed_daily_runs_resume_to_the_same_lake(rel_env, tmp_path):
    """The operator's case: yesterday's lake, today's daily run killed, the next daily run resumes."""
    import shutil

    sources = ["moj", "thads"]
    rel_env.set_as_of("2019-12-31")
    base = tmp_path / "base" / "lake"
    rc, _, err = run_crawl_child(base, sources, "full")
    assert rc == 0, err[-3000:]
    rel_env.set_as_of("2020-06-30")        # half a year of new articles: several listing pages deep
    ref = tmp_path / "ref" / "lake"
    shutil.copytree(base, ref)
    rc, out, err = run_crawl_child(ref, sources, "daily")
    assert rc == 0, err[-3000:]
    n_writes = sum(1 for line in out.splitlines() if line.startswith("W "))
    new = set(article_keys(ref)) - set(article_keys(base))
    assert len(new) > 20
    rows = []
    for seed in (11, 12, 13):
        k = random.Random(seed).randint(1, n_writes - 1)
        lake = tmp_path / f"daily{seed}" / "lake"
        shutil.copytree(base, lake)
        rc1, _, err1 = run_crawl_child(lake, sources, "daily", kill_at=k, how="torn")
        assert rc1 == -9, err1[-2000:]
        rc2, _, err2 = run_crawl_child(lake, sources, "daily")
        assert rc2 == 0, err2[-3000:]
        keys = article_keys(lake)
        assert len(keys) == len(set(keys))
        assert set(keys) == set(article_keys(ref)), f"kill at {k}: missing {set(article_keys(ref)) - set(keys)}"
        got = final_only(lake_content(lake))
        want = lake_content(ref)
        assert got == want, f"kill at {k}: " + diff_summary(got, want)
        rows.append({"seed": seed, "kill_at": k, "how": "torn", "lost": len(set(article_keys(ref)) - set(keys)),
                     "duplicates": len(keys) - len(set(keys))})
    record("crash_resume_daily", {"sources": sources, "base_as_of": "2019-12-31", "as_of": "2020-06-30",
                                  "lake_writes_per_daily_run": n_writes, "new_articles": len(new),
                                  "articles_after": len(article_keys(ref)), "runs": rows})


def test_a_crawl_sweeps_temp_files_left_by_old_killed_runs(rel_env, tmp_lake):
    import os
    import time

    from scrapers.crawl.pipeline import crawl

    rel_env.set_as_of("2019-10-20")
    old = tmp_lake / "articles" / "version=x" / "source=moj" / ".a.jsonl.k1ll3d.tmp"
    fresh = tmp_lake / "facts" / "version=x" / "source=moj" / ".b.jsonl.wr1t1ng.tmp"
    final = tmp_lake / "quarantine" / "source=moj" / "0123456789abcdef.json"
    for p in (old, fresh, final):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b'{"half":')
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(final, (two_hours_ago, two_hours_ago))
    crawl("moj", mode="full", lake=tmp_lake)
    # The old leftover is gone; one that may belong to a write in progress elsewhere stays; final files stay.
    assert not old.exists() and fresh.exists() and final.exists()
