"""thads_crawl: collect the articles each source published in the run's data interval."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronDataIntervalTimetable, Param, TriggerRule, dag, task
from airflow.sdk.exceptions import AirflowFailException
from thads_common import (
    DEFAULT_ARGS,
    LAKE_ASSETS,
    SOURCES,
    TAGS,
    TIMEZONE,
    crawl_mode,
    interval_dates,
    on_failure,
    today_in_vietnam,
)

DOC = """
### thads_crawl

Daily at 00:00 Asia/Ho_Chi_Minh. A run's data interval is one Vietnamese day; each
source (one mapped `crawl_source` task per source id) collects the articles published
that day: fetch, clean, extract, land in the lake (`THADS_LAKE_DIR`).

* `publish` runs when every source has finished and, if at least one landed, emits the lake
  Assets (`thads://lake/{raw,articles,facts,quarantine,drift}`), which schedule `thads_warehouse`.
* `check_sources` fails the run when a source failed, after the others' data was published.
* Params: `start` / `end` (ISO dates, inclusive) override the interval, `whole_archive` crawls
  every page of every listing (crawl mode `full`), `sources` limits the sources, `mode` forces
  `daily` / `backfill` / `full`. Backfill runs (`airflow backfill create`) and runs of intervals that
  ended more than 3 days ago crawl in `backfill` mode.

See docs/airflow.md.
"""


@dag(
    dag_id="thads_crawl",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone=TIMEZONE),
    start_date=pendulum.datetime(2015, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=on_failure,
    dagrun_timeout=timedelta(hours=12),
    doc_md=DOC,
    tags=TAGS,
    params={
        "sources": Param(list(SOURCES), type="array", items={"type": "string", "enum": list(SOURCES)},
                         description="Source ids to crawl."),
        "start": Param(None, type=["null", "string"], format="date",
                       description="First publication date (overrides the data interval)."),
        "end": Param(None, type=["null", "string"], format="date",
                     description="Last publication date, inclusive (overrides the data interval)."),
        "whole_archive": Param(False, type="boolean",
                               description="Crawl every page of every listing (crawl mode full)."),
        "mode": Param("auto", enum=["auto", "daily", "backfill", "full"],
                      description="auto: full for whole_archive; backfill for backfill runs and intervals"
                                  " that ended more than 3 days ago; else daily."),
    },
)
def thads_crawl():
    @task
    def plan(params=None, dag_run=None, data_interval_start=None, data_interval_end=None) -> list[dict]:
        sources = list(params["sources"]) or list(SOURCES)
        unknown = sorted(set(sources) - set(SOURCES))
        if unknown:
            raise AirflowFailException(f"unknown source ids {unknown}; known: {list(SOURCES)}")
        whole = bool(params.get("whole_archive"))
        if whole:
            start = end = None
        else:
            start, end = interval_dates(data_interval_start, data_interval_end,
                                        run_after=getattr(dag_run, "run_after", None),
                                        start_param=params.get("start"), end_param=params.get("end"))
        mode = crawl_mode(params.get("mode") or "auto", run_type=getattr(dag_run, "run_type", None),
                          whole_archive=whole, end=end, today=today_in_vietnam())
        if mode == "backfill" and not (start and end):
            raise AirflowFailException("mode backfill needs a start and an end date")
        return [{"source": s, "start": start.isoformat() if start else None,
                 "end": end.isoformat() if end else None, "mode": mode} for s in sources]

    @task(execution_timeout=timedelta(hours=4), max_active_tis_per_dagrun=4)
    def crawl_source(job: dict) -> dict:
        import json
        from datetime import date

        from scrapers.crawl.pipeline import crawl

        summary = crawl(job["source"],
                        start=date.fromisoformat(job["start"]) if job["start"] else None,
                        end=date.fromisoformat(job["end"]) if job["end"] else None,
                        mode=job["mode"], progress=False)
        # XCom is JSON: make dates, paths and counters plain.
        return {"job": job, "summary": json.loads(json.dumps(summary or {}, default=str))}

    @task(trigger_rule=TriggerRule.ALL_DONE, outlets=LAKE_ASSETS, retries=0)
    def publish(jobs: list[dict], results, outlet_events=None) -> dict:
        if not jobs:
            raise AirflowFailException("nothing was planned (plan failed); nothing to publish")
        # A failed source pushes no XCom; the others' data is published all the same.
        # One slice request reads every pushed value (iterating probes past the end and logs an error).
        done = [r for r in (results[:] if results is not None else []) if r]
        if not done:
            raise AirflowFailException(f"no source finished; nothing to publish (planned {len(jobs)})")
        extra = {"sources": sorted(r["job"]["source"] for r in done),
                 "start": jobs[0]["start"], "end": jobs[0]["end"], "mode": jobs[0]["mode"]}
        for asset in LAKE_ASSETS:
            outlet_events[asset].extra = extra
        return {r["job"]["source"]: r["summary"] for r in done}

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=0)
    def check_sources(jobs: list[dict] | None, published: dict | None) -> None:
        if not jobs:
            raise AirflowFailException("plan failed; no source was crawled")
        missing = sorted({j["source"] for j in jobs} - set(published or {}))
        if missing:
            raise AirflowFailException(f"sources failed: {missing}; the other sources were published")

    jobs = plan()
    results = crawl_source.expand(job=jobs)
    published = publish(jobs, results)
    check_sources(jobs, published)


thads_crawl()
