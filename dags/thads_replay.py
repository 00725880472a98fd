"""thads_replay: re-derive articles and facts from the raw lake with the current rules."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from thads_common import DEFAULT_ARGS, SOURCES, TAGS, TIMEZONE, WAREHOUSE_INPUTS, _as_date, on_failure

DOC = """
### thads_replay

Manual. Re-cleans and re-extracts the raw pages already in the lake (no network) with the
current cleaner / extractor version (scrapers.replay.run_replay), for one `source` or all,
optionally only pages fetched `since` a date. On success it emits the lake Assets, which
schedules `thads_warehouse`.
"""


@dag(
    dag_id="thads_replay",
    schedule=None,
    start_date=pendulum.datetime(2015, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    on_failure_callback=on_failure,
    doc_md=DOC,
    tags=TAGS,
    params={
        "source": Param(None, type=["null", "string"], enum=[None, *SOURCES],
                        description="Source id to replay (empty = all)."),
        "since": Param(None, type=["null", "string"], format="date",
                       description="Only pages fetched on or after this date."),
    },
)
def thads_replay():
    @task(outlets=WAREHOUSE_INPUTS, execution_timeout=timedelta(hours=4))
    def replay(params=None, outlet_events=None) -> dict:
        import json

        from scrapers.replay import run_replay

        source = params.get("source") or None
        since = _as_date(params.get("since"))
        summary = json.loads(json.dumps(run_replay(source=source, since=since, progress=False) or {},
                                        default=str))
        for asset in WAREHOUSE_INPUTS:
            outlet_events[asset].extra = {"replay_source": source, "since": since and since.isoformat()}
        return summary

    replay()


thads_replay()
