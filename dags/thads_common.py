"""What the thads DAGs share: Asset URIs, the DuckDB pool, default task arguments,
the failure callback and the mapping from a run's data interval to article dates.

Kept free of heavy imports (no scrapers layers, no pandas): every DAG file imports
it at parse time.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from airflow.sdk import Asset

TIMEZONE = "Asia/Ho_Chi_Minh"
OWNER = "thads-data"
TAGS = ["thads", "vietnam", "judgment-enforcement"]

# One slot: dbt-duckdb is the only writer of warehouse.duckdb and DuckDB takes one writer.
DUCKDB_POOL = "thads_duckdb"
DUCKDB_POOL_SLOTS = 1
DUCKDB_POOL_DESCRIPTION = "Serialises writers of the DuckDB warehouse (dbt build) and the report."

SOURCES = ("thads", "moj", "baophapluat", "plo")

# Logical URIs: the same in every deployment; where the files live is THADS_LAKE_DIR etc.
# (a path-based URI would change with the environment and clash in the asset table).
def _asset(dataset: str, uri: str) -> Asset:
    return Asset(name=f"thads_{dataset}", uri=uri, group="thads")


RAW = _asset("lake_raw", "thads://lake/raw")
ARTICLES = _asset("lake_articles", "thads://lake/articles")
FACTS = _asset("lake_facts", "thads://lake/facts")
QUARANTINE = _asset("lake_quarantine", "thads://lake/quarantine")
DRIFT = _asset("lake_drift", "thads://lake/drift")
WAREHOUSE = _asset("warehouse", "thads://warehouse/duckdb")
REPORT = _asset("report", "thads://report/html")

LAKE_ASSETS = [RAW, ARTICLES, FACTS, QUARANTINE, DRIFT]
# What dbt reads: a new event on any of them schedules a warehouse run.
WAREHOUSE_INPUTS = [ARTICLES, FACTS, QUARANTINE, DRIFT]

log = logging.getLogger("thads.airflow")


def failure_summary(context) -> str:
    """One paragraph an operator can act on without opening five pages of log."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    exc = context.get("exception")
    task_id = getattr(ti, "task_id", None) or "<dag>"
    map_index = getattr(ti, "map_index", -1)
    where = f"{task_id}[{map_index}]" if map_index not in (None, -1) else task_id
    try_number = getattr(ti, "try_number", None)
    max_tries = getattr(getattr(ti, "task", None), "retries", None)
    dag_id = getattr(dag_run, "dag_id", None) or getattr(ti, "dag_id", "?")
    run_id = getattr(dag_run, "run_id", None) or getattr(ti, "run_id", "?")
    start = context.get("data_interval_start")
    end = context.get("data_interval_end")
    params = context.get("params") or {}
    reason = f"{type(exc).__name__}: {exc}" if exc is not None else (context.get("reason") or "no exception given")
    return (
        f"THADS FAILURE: dag {dag_id}, run {run_id}, task {where} failed"
        f" (try {try_number}{f' of {max_tries + 1}' if isinstance(max_tries, int) else ''})"
        f" for data interval {start} .. {end}, params {dict(params)}. Cause: {reason}."
        " Next step: read this task's log; the lake keeps what landed before the failure, and a rerun"
        " of the same interval is idempotent."
    )


def on_failure(context) -> None:
    log.error(failure_summary(context))


DEFAULT_ARGS = {
    "owner": OWNER,
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": on_failure,
}


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def interval_dates(data_interval_start, data_interval_end, *, run_after=None,
                   start_param=None, end_param=None) -> tuple[date | None, date | None]:
    """The publication dates (inclusive) a run collects.

    The data interval [start, end) is read in Vietnam time: a daily run covering
    [D 00:00, D+1 00:00) ICT collects articles published on D. Params override
    either bound. A manual run without a data interval takes the day before run_after.
    """
    import pendulum

    tz = pendulum.timezone(TIMEZONE)
    start = end = None
    if data_interval_start is not None and data_interval_end is not None:
        s = pendulum.instance(data_interval_start).in_timezone(tz)
        e = pendulum.instance(data_interval_end).in_timezone(tz)
        start = s.date()
        # End is exclusive; an empty interval (trigger timetables) still means its start day.
        end = max(start, (e - timedelta(microseconds=1)).date())
    elif run_after is not None:
        end = (pendulum.instance(run_after).in_timezone(tz) - timedelta(days=1)).date()
        start = end
    if start_param not in (None, ""):
        start = _as_date(start_param)
    if end_param not in (None, ""):
        end = _as_date(end_param)
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}")
    return start, end


# A scheduled run whose interval ended longer ago than this (a cleared or caught-up run) is
# historical: daily mode stops at the first landed article, so it would find nothing.
DAILY_LOOKBACK_DAYS = 3


def crawl_mode(requested: str, *, run_type=None, whole_archive: bool = False, end: date | None = None,
               today: date | None = None) -> str:
    """The crawl mode of a run: `requested` unless it is "auto"."""
    if requested != "auto":
        return requested
    if whole_archive:
        return "full"
    # The SDK's DagRunType is a str enum without __str__: compare its value.
    if getattr(run_type, "value", run_type) == "backfill":
        return "backfill"
    if end is not None and today is not None and (today - end).days > DAILY_LOOKBACK_DAYS:
        return "backfill"
    return "daily"


def today_in_vietnam() -> date:
    import pendulum

    return pendulum.now(TIMEZONE).date()
