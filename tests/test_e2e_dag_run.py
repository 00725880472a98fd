"""End to end under Airflow, in-process: dag.test() of thads_crawl over the site mirror, then
thads_warehouse (dbt build + report), and a one-day backfill run."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import airflow_helpers  # configures AIRFLOW_HOME when imported, before airflow is
import pytest

# The session fixtures this module uses.
airflow_db = airflow_helpers.airflow_db
dags = airflow_helpers.dags

pytestmark = pytest.mark.slow

ICT = dt.timezone(dt.timedelta(hours=7))


def _use_data_dir(mp: pytest.MonkeyPatch, data, mirror) -> None:
    mp.setenv("THADS_DATA_DIR", str(data))
    mp.setenv("THADS_LAKE_DIR", str(data / "lake"))
    mp.setenv("THADS_WAREHOUSE", str(data / "warehouse.duckdb"))
    mp.setenv("THADS_REPORT_DIR", str(data / "report"))
    mp.setenv("THADS_MIRROR_URL", mirror.url)
    mp.setenv("THADS_CRAWL_DELAY", "0")
    mp.setenv("THADS_HTTP_BACKOFF_BASE", "0.01")
    mp.setenv("THADS_HTTP_RETRY_AFTER_MAX", "0.1")


def _states(dr) -> dict[str, str]:
    return {ti.task_id if ti.map_index in (None, -1) else f"{ti.task_id}[{ti.map_index}]": str(ti.state)
            for ti in dr.get_task_instances()}


@pytest.fixture(scope="module")
def full_run(dags, mirror, tmp_path_factory):
    """The demo's two runs: the crawl over the whole mirror archive, then the warehouse."""
    data = tmp_path_factory.mktemp("e2e") / "data"
    mirror.set_faults(None)
    mirror.set_as_of(None)  # the whole archive, whatever another test set
    with pytest.MonkeyPatch.context() as mp:
        _use_data_dir(mp, data, mirror)
        crawl = dags["thads_crawl"].test(run_conf={"whole_archive": True})
        warehouse = dags["thads_warehouse"].test()
        yield {"data": data, "crawl": crawl, "crawl_states": _states(crawl),
               "warehouse": warehouse, "warehouse_states": _states(warehouse)}


@pytest.fixture(scope="module")
def con(full_run):
    import duckdb

    c = duckdb.connect(str(full_run["data"] / "warehouse.duckdb"), read_only=True)
    yield c
    c.close()


def test_both_runs_succeed_task_by_task(full_run):
    assert str(full_run["crawl"].state) == "success", full_run["crawl_states"]
    assert full_run["crawl_states"] == {
        "plan": "success", "crawl_source[0]": "success", "crawl_source[1]": "success",
        "crawl_source[2]": "success", "crawl_source[3]": "success", "publish": "success",
        "check_sources": "success"}
    assert str(full_run["warehouse"].state) == "success", full_run["warehouse_states"]
    assert (full_run["data"] / "report" / "index.html").is_file()


def test_crawl_published_one_asset_event_per_lake_dataset(full_run):
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from thads_common import LAKE_ASSETS

    run = full_run["crawl"]
    with create_session() as session:
        rows = (session.query(AssetModel.uri, AssetEvent.extra)
                .join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
                .filter(AssetEvent.source_dag_id == "thads_crawl", AssetEvent.source_run_id == run.run_id)
                .all())
    assert sorted(uri for uri, _ in rows) == sorted(a.uri for a in LAKE_ASSETS)
    for _, extra in rows:
        assert extra["sources"] == ["baophapluat", "moj", "plo", "thads"] and extra["mode"] == "full"


# Gold facts of the dev set (checked against /work/shared/dev-set/gold below) that the warehouse's
# reconciled mart must hold: (gold file, metric, unit, value, scope_name, period_start, period_end, category).
MART_FACTS = [
    ("seed-001", "total", "vnd", 533000000000, "Vĩnh Phúc", "2020-10-01", "2021-03-31", "all"),
    ("seed-001", "completed", "cases", 19, "Vĩnh Phúc", "2020-10-01", "2021-03-31", "credit_banking"),
    ("seed-002", "new", "cases", 264909, None, "2022-10-01", "2023-02-28", "all"),
    ("seed-002", "completed", "vnd", 17383176000000, None, "2022-10-01", "2023-02-28", "corruption_economic"),
    ("seed-004", "new", "cases", 5553, "Đà Nẵng", "2023-10-01", "2024-03-31", "all"),
    ("seed-004", "completion_rate", "percent", 45.67, "Đà Nẵng", "2023-10-01", "2024-03-31", "all"),
    ("seed-004", "total", "vnd", 18329000000000, "Đà Nẵng", "2023-10-01", "2024-03-31", "all"),
]


def _gold(shared_dir, name):
    return json.loads((shared_dir / "dev-set" / "gold" / f"{name}.json").read_text(encoding="utf-8"))["facts"]


def _find(con, table, fact):
    _, metric, unit, value, scope, start, end, category = fact
    return con.execute(
        f"select value, url from {table} where metric = ? and unit = ? and scope_name is not distinct from ?"
        " and period_start = ? and period_end = ? and category = ? and abs(value - ?) < 1e-6",
        [metric, unit, scope, start, end, category, value]).fetchall()


@pytest.mark.parametrize("fact", MART_FACTS, ids=lambda f: f"{f[0]}-{f[1]}-{f[2]}-{f[3]}")
def test_dev_set_gold_facts_are_in_the_warehouse(con, shared_dir, fact):
    name, metric, unit, value, scope, start, end, category = fact
    assert any(g["metric"] == metric and g["unit"] == unit and g["value"] == value and g["scope_name"] == scope
               and g["period_start"] == start and g["period_end"] == end and g["category"] == category
               for g in _gold(shared_dir, name)), f"{fact} is not a gold fact"
    assert _find(con, "fct_enforcement_metrics", fact), f"{fact} not in fct_enforcement_metrics"


def test_generated_articles_known_facts_land(con):
    from scrapers.mirror.archive import truth

    landed = defaultdict(set)
    for url, *key in con.execute("select url, metric, unit, value, scope_name, period_start::varchar,"
                                 " period_end::varchar, domain, category from stg_facts").fetchall():
        landed[url].add(tuple(key))
    articles = {r[0] for r in con.execute("select url from fct_articles").fetchall()}
    wanted = [t for t in truth() if t["on_topic"] and not t["robots_disallowed"] and t["origin"] == "generated"]
    facts = [(t["url"], (f["metric"], f["unit"], float(f["value"]), f["scope_name"], f["period_start"],
                         f["period_end"], f["domain"], f["category"]))
             for t in wanted for f in t["facts"] if f.get("value") is not None]
    found = sum(key in landed[url] for url, key in facts)
    assert len(wanted) > 500 and len(facts) > 5000
    assert sum(t["url"] in articles for t in wanted) >= 0.97 * len(wanted)
    assert found >= 0.95 * len(facts), f"{found}/{len(facts)} known facts landed"
    # Pages robots.txt disallows are never fetched, so never land.
    assert not {t["url"] for t in truth() if t["robots_disallowed"]} & articles


def test_replay_run_succeeds_and_emits_the_warehouse_inputs(full_run, dags, mirror):
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from thads_common import WAREHOUSE_INPUTS

    versions = full_run["data"] / "lake" / "versions"
    before = {p.name: p.read_bytes() for p in versions.glob("*.json")}
    assert before
    with pytest.MonkeyPatch.context() as mp:
        _use_data_dir(mp, full_run["data"], mirror)
        run = dags["thads_replay"].test(run_conf={"source": "moj", "since": None})
    assert str(run.state) == "success", _states(run)
    # The code is the one that crawled: replay re-derives the same records, so no new version appears.
    assert {p.name: p.read_bytes() for p in versions.glob("*.json")} == before
    with create_session() as session:
        uris = [u for (u,) in session.query(AssetModel.uri).join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
                .filter(AssetEvent.source_dag_id == "thads_replay", AssetEvent.source_run_id == run.run_id)]
    assert sorted(uris) == sorted(a.uri for a in WAREHOUSE_INPUTS)


def test_one_day_backfill_run_lands_that_days_articles(dags, mirror, tmp_path):
    """A run for a past logical date collects the articles published on its Vietnamese day."""
    from scrapers import lake
    from scrapers.mirror.archive import truth

    day = dt.date(2024, 4, 9)  # seed-004 (Đà Nẵng) and generated articles were published that day
    expected = {t["url"] for t in truth() if t["published"] == day.isoformat() and t["on_topic"]
                and not t["robots_disallowed"]}
    assert expected
    mirror.set_faults(None)
    mirror.set_as_of(None)
    with pytest.MonkeyPatch.context() as mp:
        _use_data_dir(mp, tmp_path / "data", mirror)
        run = dags["thads_crawl"].test(logical_date=dt.datetime(2024, 4, 10, tzinfo=ICT),
                                       run_conf={"mode": "auto", "whole_archive": False})
        assert str(run.state) == "success", _states(run)
        assert run.data_interval_start == dt.datetime(2024, 4, 8, 17, tzinfo=dt.UTC)
        landed = {rec["url"]: rec["published"] for p in (tmp_path / "data" / "lake" / "articles").rglob("*.jsonl")
                  for rec in lake.read_jsonl(p)}
    assert set(landed) == expected
    assert set(landed.values()) == {day.isoformat()}
