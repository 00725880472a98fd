"""The DAG files: they import cleanly and lightly, and say what docs/airflow.md says."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import airflow_helpers  # configures AIRFLOW_HOME when imported, before airflow is
import pytest

# The session fixtures this module uses.
airflow_db = airflow_helpers.airflow_db
dags = airflow_helpers.dags

REPO = Path(__file__).resolve().parents[1]
DAGS_DIR = REPO / "dags"
DOC = (REPO / "docs" / "airflow.md").read_text(encoding="utf-8")


def test_every_dag_file_imports_without_errors(dags):
    from airflow.dag_processing.dagbag import BundleDagBag

    bag = BundleDagBag(dag_folder=DAGS_DIR, bundle_path=DAGS_DIR, bundle_name="dags-folder")
    assert bag.import_errors == {}
    assert set(bag.dags) == {"thads_crawl", "thads_warehouse", "thads_replay"}
    # thads_common.py is a helper: .airflowignore keeps the processor from parsing it as a DAG file.
    assert {Path(s.file).name for s in bag.dagbag_stats} == {"thads_crawl.py", "thads_warehouse.py",
                                                              "thads_replay.py"}


def test_top_level_code_is_light():
    """Importing the DAG files must not import the pipeline layers, dbt or DuckDB."""
    code = (
        "import sys, importlib.util, pathlib\n"
        f"sys.path.insert(0, {str(DAGS_DIR)!r})\n"
        "for name in ('thads_crawl', 'thads_warehouse', 'thads_replay'):\n"
        f"    spec = importlib.util.spec_from_file_location(name, pathlib.Path({str(DAGS_DIR)!r}) / (name + '.py'))\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('duckdb', 'dbt', 'plotly', 'trafilatura',"
        " 'requests', 'bs4') or m.startswith(('scrapers.crawl', 'scrapers.warehouse', 'scrapers.replay',"
        " 'scrapers.analyst', 'scrapers.mirror', 'scrapers.extract', 'scrapers.clean')))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_crawl_schedule_is_daily_in_vietnam_time(dags):
    from airflow.sdk import CronDataIntervalTimetable
    from airflow.serialization.encoders import coerce_to_core_timetable

    crawl = dags["thads_crawl"]
    assert isinstance(crawl.timetable, CronDataIntervalTimetable)
    assert crawl.timetable.expression == "0 0 * * *"
    assert str(crawl.timetable.timezone) == "Asia/Ho_Chi_Minh"
    assert crawl.start_date.utcoffset() is not None and crawl.catchup is False
    assert "`0 0 * * *`" in DOC and "Asia/Ho_Chi_Minh" in DOC
    # The run due at 2024-04-10 00:00 ICT covers the Vietnamese day 2024-04-09.
    run_after = dt.datetime(2024, 4, 10, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    interval = coerce_to_core_timetable(crawl.timetable).infer_manual_data_interval(run_after=run_after)
    assert interval.start == dt.datetime(2024, 4, 8, 17, 0, tzinfo=dt.UTC)
    assert interval.end == dt.datetime(2024, 4, 9, 17, 0, tzinfo=dt.UTC)


def test_crawl_tasks_are_mapped_per_source_with_retries_and_timeouts(dags):
    from thads_common import LAKE_ASSETS, SOURCES, on_failure

    crawl = dags["thads_crawl"]
    assert set(crawl.task_dict) == {"plan", "crawl_source", "publish", "check_sources"}
    mapped = crawl.task_dict["crawl_source"]
    assert mapped.is_mapped
    assert mapped.partial_kwargs["execution_timeout"] == dt.timedelta(hours=4)
    for task in crawl.tasks:
        assert task.owner == "thads-data"
        assert task.on_failure_callback == [on_failure] or task.on_failure_callback == on_failure
    plan = crawl.task_dict["plan"]
    assert plan.retries == 3 and plan.retry_exponential_backoff and plan.max_retry_delay
    assert set(crawl.params["sources"]) == set(SOURCES)
    assert list(crawl.task_dict["publish"].outlets) == LAKE_ASSETS
    assert crawl.doc_md and "thads" in crawl.tags


def test_warehouse_is_scheduled_on_lake_assets_and_serialised(dags):
    from airflow.sdk import AssetAny
    from thads_common import DUCKDB_POOL, REPORT, WAREHOUSE, WAREHOUSE_INPUTS

    from scrapers.airflow_local import POOL

    wh = dags["thads_warehouse"]
    assert isinstance(wh.timetable.asset_condition, AssetAny)
    assert list(wh.timetable.asset_condition.objects) == WAREHOUSE_INPUTS
    assert wh.max_active_runs == 1
    assert POOL == DUCKDB_POOL == "thads_duckdb"
    assert {t.task_id: t.pool for t in wh.tasks} == {"dbt_build": POOL, "report": POOL}
    assert list(wh.task_dict["dbt_build"].outlets) == [WAREHOUSE]
    assert list(wh.task_dict["report"].outlets) == [REPORT]
    assert f"airflow pools set {POOL} 1" in DOC


def test_replay_is_manual_and_emits_the_warehouse_inputs(dags):
    from thads_common import WAREHOUSE_INPUTS

    replay = dags["thads_replay"]
    assert type(replay.timetable).__name__ == "NullTimetable" and replay.schedule is None
    assert set(replay.params) == {"source", "since"}
    assert list(replay.task_dict["replay"].outlets) == WAREHOUSE_INPUTS


def test_asset_uris_are_the_documented_ones():
    from thads_common import LAKE_ASSETS, REPORT, WAREHOUSE

    documented = dict(re.findall(r"^\|\s*`(thads_[a-z_]+)`\s*\|\s*`(thads://[^`]+)`", DOC, re.M))
    assert documented == {a.name: a.uri for a in [*LAKE_ASSETS, WAREHOUSE, REPORT]}


def test_pool_exists_after_environment_set_up(airflow_db):
    from airflow.models.pool import Pool

    from scrapers.airflow_local import POOL

    pool = Pool.get_pool(POOL)
    assert pool is not None and pool.slots == 1


@pytest.mark.parametrize(("start", "end", "params", "expected"), [
    # [D 00:00, D+1 00:00) ICT is the Vietnamese day D.
    ("2024-04-08T17:00:00+00:00", "2024-04-09T17:00:00+00:00", {}, ("2024-04-09", "2024-04-09")),
    # A week-long interval (e.g. a cluster that was down) covers every day of it.
    ("2024-04-01T17:00:00+00:00", "2024-04-08T17:00:00+00:00", {}, ("2024-04-02", "2024-04-08")),
    # Params override either bound.
    ("2024-04-08T17:00:00+00:00", "2024-04-09T17:00:00+00:00", {"start_param": "2024-01-01"},
     ("2024-01-01", "2024-04-09")),
    (None, None, {"start_param": "2020-10-01", "end_param": "2021-09-30"}, ("2020-10-01", "2021-09-30")),
])
def test_interval_dates(start, end, params, expected):
    from thads_common import interval_dates

    s = dt.datetime.fromisoformat(start) if start else None
    e = dt.datetime.fromisoformat(end) if end else None
    got = interval_dates(s, e, **params)
    assert tuple(d.isoformat() for d in got) == expected


def test_interval_dates_rejects_bad_params():
    from thads_common import interval_dates

    with pytest.raises(ValueError, match="ISO date"):
        interval_dates(None, None, start_param="31/12/2023")
    with pytest.raises(ValueError, match="after"):
        interval_dates(None, None, start_param="2024-02-01", end_param="2024-01-01")


def test_failure_summary_is_one_actionable_paragraph():
    from types import SimpleNamespace

    from thads_common import failure_summary

    ti = SimpleNamespace(task_id="crawl_source", map_index=2, try_number=4, dag_id="thads_crawl",
                         run_id="scheduled__2024-04-09", task=SimpleNamespace(retries=3))
    text = failure_summary({"ti": ti, "exception": TimeoutError("mirror did not answer"),
                            "data_interval_start": "2024-04-08T17:00Z", "data_interval_end": "2024-04-09T17:00Z",
                            "params": {"sources": ["plo"]}})
    assert "\n" not in text
    for part in ("thads_crawl", "crawl_source[2]", "try 4 of 4", "TimeoutError: mirror did not answer",
                 "2024-04-08T17:00Z", "plo"):
        assert part in text


@pytest.mark.parametrize(("requested", "kwargs", "expected"), [
    ("auto", {}, "daily"),
    ("auto", {"end": dt.date(2024, 4, 9), "today": dt.date(2024, 4, 10)}, "daily"),
    # A cleared or caught-up run of an old day: daily mode would stop at the first landed article.
    ("auto", {"end": dt.date(2024, 4, 9), "today": dt.date(2024, 5, 1)}, "backfill"),
    ("auto", {"whole_archive": True}, "full"),
    ("daily", {"whole_archive": True}, "daily"),
    ("backfill", {}, "backfill"),
])
def test_crawl_mode(requested, kwargs, expected):
    from thads_common import crawl_mode

    assert crawl_mode(requested, **kwargs) == expected


def test_crawl_mode_of_backfill_runs_whatever_the_enum():
    """Backfill runs crawl in backfill mode: the task SDK's run type is an enum whose str() is not its value."""
    from airflow.sdk.api.datamodels._generated import DagRunType as SdkRunType
    from airflow.utils.types import DagRunType
    from thads_common import crawl_mode

    assert str(SdkRunType.BACKFILL) != "backfill"
    for run_type in (SdkRunType.BACKFILL, DagRunType.BACKFILL_JOB, "backfill"):
        assert crawl_mode("auto", run_type=run_type, end=dt.date.today(), today=dt.date.today()) == "backfill"
    assert crawl_mode("auto", run_type=SdkRunType.SCHEDULED) == "daily"
