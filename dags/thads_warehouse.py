"""thads_warehouse: rebuild the DuckDB warehouse (dbt build) and the report when the lake changes."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import AssetAny, Param, dag, task
from thads_common import (
    DEFAULT_ARGS,
    DUCKDB_POOL,
    REPORT,
    TAGS,
    TIMEZONE,
    WAREHOUSE,
    WAREHOUSE_INPUTS,
    on_failure,
)

DOC = f"""
### thads_warehouse

Scheduled on the lake Assets (`thads://lake/{{articles,facts,quarantine,drift}}`) that
`thads_crawl` and `thads_replay` emit. `dbt_build` runs `dbt build` (scrapers.warehouse.build)
into `THADS_WAREHOUSE`, then `report` writes the static HTML report to `THADS_REPORT_DIR`.

DuckDB takes one writer: both tasks run in the pool `{DUCKDB_POOL}` (one slot; create it with
`airflow pools set {DUCKDB_POOL} 1 "DuckDB writer"`) and the DAG allows one active run.
Param `full_refresh` rebuilds incremental models from scratch.
"""


@dag(
    dag_id="thads_warehouse",
    schedule=AssetAny(*WAREHOUSE_INPUTS),
    start_date=pendulum.datetime(2015, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 2, "retry_delay": timedelta(minutes=1)},
    on_failure_callback=on_failure,
    dagrun_timeout=timedelta(hours=2),
    doc_md=DOC,
    tags=TAGS,
    params={"full_refresh": Param(False, type="boolean", description="dbt build --full-refresh")},
)
def thads_warehouse():
    @task(pool=DUCKDB_POOL, outlets=[WAREHOUSE], execution_timeout=timedelta(hours=1))
    def dbt_build(params=None) -> str:
        from scrapers import config, warehouse

        warehouse.build(full_refresh=bool(params.get("full_refresh")))
        return str(config.warehouse_path())

    @task(pool=DUCKDB_POOL, outlets=[REPORT], execution_timeout=timedelta(minutes=30))
    def report(_warehouse: str) -> str:
        from scrapers.analyst.report import build_report

        return str(build_report())

    report(dbt_build())


thads_warehouse()
