"""Builds over an empty lake, re-runs that change nothing, and incremental reads of new, changed and
deleted lake files (compared with a full refresh)."""

from __future__ import annotations

import hashlib

import duckdb
import pytest
from warehouse_helpers import fact, land_article, write_manifest

from scrapers import config, warehouse
from scrapers import lake as lk

MARTS = ("fct_enforcement_metrics", "fct_metric_timeseries", "fct_articles", "fct_fact_alternatives",
         "fct_province_2025_rollup", "fct_fact_version_diff", "fct_version_diff_summary", "fct_fact_issues",
         "dim_period", "dim_scope", "dim_metric", "dim_source")
Y21 = ("2020-10-01", "2021-09-30")


def snapshot(tables=None) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the sorted contents of every table (or the given ones)."""
    con = duckdb.connect(str(config.warehouse_path()), read_only=True)
    try:
        names = tables or [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by 1").fetchall()]
        out = {}
        for t in names:
            data = con.execute(f'select * from "{t}" order by all').fetchall()
            out[t] = (len(data), hashlib.sha256(repr(data).encode()).hexdigest())
        return out
    finally:
        con.close()


def count(sql: str) -> int:
    con = duckdb.connect(str(config.warehouse_path()), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_empty_lake_builds_every_model(tmp_lake):
    warehouse.build()
    snap = snapshot()
    assert set(MARTS) <= set(snap)
    assert snap["fct_enforcement_metrics"][0] == 0 and snap["fct_articles"][0] == 0
    assert snap["dim_period"][0] > 400 and snap["dim_metric"][0] == 12 and snap["dim_source"][0] == 4
    assert snap["dim_scope"][0] == 1 + 63 + 1  # nation, 63 provinces, Huế (a 2025-only name)


@pytest.mark.slow
def test_rerun_changes_nothing_and_incremental_matches_full_refresh(tmp_lake):
    write_manifest(tmp_lake, "c1-e1")
    for i in range(3):
        land_article(tmp_lake, source="thads", doc_id=f"thads.moj.gov.vn/bentre/tintuc/{i}",
                     facts=[fact("total", "cases", 1000 + i, period=Y21, scope=("province", "Bến Tre")),
                            fact("new", "cases", 10 * i, period=Y21, scope=("province", f"{['Cà Mau', 'An Giang', 'Huế'][i]}"))])
    warehouse.build()
    first = snapshot()
    assert first["fct_enforcement_metrics"][0] == 4  # one total (three reports of it) + three "new"
    warehouse.build()
    assert snapshot() == first, "a re-run over the same lake must not change any table"

    # a new file, a changed file and a deleted file, then an incremental build
    land_article(tmp_lake, source="plo", doc_id="plo.vn/post-9",
                 facts=[fact("total", "vnd", 5e9, period=Y21, scope=("province", "Bến Tre"))])
    land_article(tmp_lake, source="thads", doc_id="thads.moj.gov.vn/bentre/tintuc/1",
                 facts=[fact("total", "cases", 1001, period=Y21, scope=("province", "Bến Tre")),
                        fact("remaining", "cases", 400, period=Y21, scope=("province", "Bến Tre"))])
    for path in (lk.article_path("c1-e1", "thads", "thads.moj.gov.vn/bentre/tintuc/2", tmp_lake),
                 lk.facts_path("c1-e1", "thads", "thads.moj.gov.vn/bentre/tintuc/2", tmp_lake)):
        path.unlink()
    warehouse.build()
    incremental = snapshot()
    assert count("select count(*) from stg_facts where doc_id = 'plo.vn/post-9'") == 1
    assert count("select count(*) from stg_facts where doc_id like '%/tintuc/2'") == 0
    assert count("select count(*) from stg_articles where doc_id like '%/tintuc/2'") == 0
    assert count("select count(*) from fct_enforcement_metrics where metric = 'remaining'") == 1
    assert count("select count(*) from fct_enforcement_metrics where metric = 'new'") == 1  # tintuc/0 only
    assert count("select n_articles from fct_enforcement_metrics where metric = 'total' and unit = 'cases'") == 2

    warehouse.build(full_refresh=True)
    full = snapshot()
    assert full == incremental, {t for t in full if full[t] != incremental.get(t)}


@pytest.mark.slow
def test_version_without_manifest_is_invisible_until_complete(tmp_lake):
    doc = "thads.moj.gov.vn/bentre/tintuc/7"
    write_manifest(tmp_lake, "c1-e1", created_at="2024-01-01T00:00:00Z")
    land_article(tmp_lake, source="thads", doc_id=doc, version="c1-e1",
                 facts=[fact("total", "cases", 100, period=Y21)])
    land_article(tmp_lake, source="thads", doc_id=doc, version="c9-e9",
                 facts=[fact("total", "cases", 200, period=Y21)])
    warehouse.build(select="+fct_enforcement_metrics")
    assert count("select value from fct_enforcement_metrics") == 100
    # the replay finishes version c9-e9: its manifest appears and it becomes current
    write_manifest(tmp_lake, "c9-e9", created_at="2024-02-01T00:00:00Z")
    warehouse.build(select="+fct_enforcement_metrics")
    assert count("select value from fct_enforcement_metrics") == 200


def test_build_error_is_clear(tmp_lake, monkeypatch):
    monkeypatch.setenv("THADS_PROVINCES_CSV", str(tmp_lake / "missing.csv"))
    with pytest.raises(warehouse.WarehouseBuildError, match="province table not found"):
        warehouse.build()
