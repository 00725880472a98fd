"""`thads demo`: the whole pipeline once, under Airflow, on the bundled site mirror.

Creates a throw-away AIRFLOW_HOME (SQLite metadata DB, migrated here), starts the
mirror on a free loopback port, runs the thads_crawl DAG in-process over the whole
mirror archive, runs thads_warehouse (dbt build + report), prints a short summary of
the warehouse (opened read-only) and stops the mirror.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from scrapers import config


def load_dags(dag_ids=("thads_crawl", "thads_warehouse", "thads_replay")) -> dict:
    """Parse the project's dags folder the way the DAG processor does (as one bundle)."""
    from airflow.dag_processing.dagbag import BundleDagBag

    from scrapers.airflow_local import DAGS_DIR, POOL

    bag = BundleDagBag(dag_folder=DAGS_DIR, bundle_path=DAGS_DIR, bundle_name="dags-folder",
                       known_pools={POOL})
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    missing = [d for d in dag_ids if d not in bag.dags]
    if missing:
        raise RuntimeError(f"DAGs not found in {DAGS_DIR}: {missing}")
    return {d: bag.dags[d] for d in dag_ids}


def run_dag(dag, conf: dict | None = None) -> tuple[str, dict[str, str]]:
    """dag.test() one run; returns the run state and the state of each task instance."""
    dr = dag.test(run_conf=conf or {})
    states = {}
    for ti in dr.get_task_instances():
        key = ti.task_id if ti.map_index in (None, -1) else f"{ti.task_id}[{ti.map_index}]"
        states[key] = str(ti.state)
    return str(dr.state), states


def warehouse_summary(path: Path, n_rows: int = 8) -> str:
    import duckdb

    if not path.exists():
        return f"warehouse {path} was not built"
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        lines = [f"warehouse {path}"]
        for table in ("fct_articles", "stg_facts", "fct_enforcement_metrics"):
            if table in tables:
                lines.append(f"  {table}: {con.execute(f'select count(*) from {table}').fetchone()[0]} rows")
        if "fct_enforcement_metrics" in tables:
            # The nation's latest civil figures: a stable, meaningful sample of the main table.
            cur = con.execute(
                "select * from fct_enforcement_metrics where scope_level = 'national' and domain = 'civil'"
                " and category = 'all' and period_end = (select max(period_end) from fct_enforcement_metrics"
                " where scope_level = 'national') order by metric, unit, basis nulls first"
                f" limit {int(n_rows)}")
            cols = [d[0] for d in cur.description]
            keep = [c for c in ("scope_level", "metric", "unit", "basis", "value", "period_start", "period_end",
                                "source") if c in cols] or cols[:8]
            idx = [cols.index(c) for c in keep]
            lines.append("  the nation's latest figures in fct_enforcement_metrics:")
            lines.append("    " + " | ".join(keep))
            for row in cur.fetchall():
                lines.append("    " + " | ".join(str(row[i]) for i in idx))
        return "\n".join(lines)
    finally:
        con.close()


def run_demo(*, data_dir: Path | None = None, airflow_home: Path | None = None, keep_home: bool = False,
             sources: list[str] | None = None, verbose: bool = False) -> int:
    from scrapers.airflow_local import airflow_env, ensure_pool, migrate

    if data_dir is not None:
        os.environ["THADS_DATA_DIR"] = str(Path(data_dir).resolve())
    home = Path(airflow_home) if airflow_home else Path(tempfile.mkdtemp(prefix="thads-airflow-"))
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    print(f"data dir: {config.data_dir()}  (lake {config.lake_dir()})\nAIRFLOW_HOME: {home} (SQLite)", flush=True)
    # Airflow reads its configuration once, at import: the environment must be set before.
    env = airflow_env(home, extra={"AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO" if verbose else "WARNING"})
    os.environ.update({k: v for k, v in env.items() if k.startswith("AIRFLOW") or k == "PATH"})
    try:
        migrate(env)
        ensure_pool(env)
    except BaseException:
        if airflow_home is None and not keep_home:
            shutil.rmtree(home, ignore_errors=True)
        raise
    timings["airflow db migrate + pool"] = time.monotonic() - t0

    from scrapers.mirror.server import start_mirror

    mirror = start_mirror(port=0)
    os.environ["THADS_MIRROR_URL"] = mirror.url
    # The profiles' politeness delays are for the real sites; the local mirror needs none.
    os.environ.setdefault("THADS_CRAWL_DELAY", "0")
    rc = 0
    try:
        print(f"mirror: {mirror.url}", flush=True)
        t = time.monotonic()
        dags = load_dags()
        timings["parse DAGs"] = time.monotonic() - t

        t = time.monotonic()
        conf = {"whole_archive": True}
        if sources:
            conf["sources"] = sources
        state, tis = run_dag(dags["thads_crawl"], conf)
        timings["thads_crawl (whole archive)"] = time.monotonic() - t
        print(f"thads_crawl: {state} {tis}", flush=True)
        if state != "success":
            rc = 1
        if tis.get("publish") != "success":
            print("nothing was published by the crawl; skipping the warehouse")
            return 1

        t = time.monotonic()
        state, tis = run_dag(dags["thads_warehouse"])
        timings["thads_warehouse (dbt build + report)"] = time.monotonic() - t
        print(f"thads_warehouse: {state} {tis}", flush=True)
        if state != "success":
            rc = 1
        print()
        print(warehouse_summary(config.warehouse_path()))
        print(f"report: {config.report_dir() / 'index.html'}")
        print(f"mirror requests served: {len(mirror.requests)}")
    finally:
        mirror.stop()
        if not keep_home and airflow_home is None:
            shutil.rmtree(home, ignore_errors=True)
        timings["total"] = time.monotonic() - t0
        print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    return rc


def cmd_demo(args) -> int:
    import sys

    try:
        return run_demo(data_dir=args.data_dir, airflow_home=args.airflow_home,
                        keep_home=args.keep_airflow_home,
                        sources=args.sources, verbose=args.verbose)
    except (RuntimeError, OSError) as exc:
        # Set-up failures (airflow db migrate, DAG import errors, a port): one clear message, no trace.
        print(f"thads demo failed: {exc}", file=sys.stderr)
        return 1


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="run the crawl and warehouse DAGs once over the bundled mirror")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="where the lake, warehouse and report go (default: $THADS_DATA_DIR or <repo>/data)")
    p.add_argument("--airflow-home", type=Path, default=None,
                   help="AIRFLOW_HOME to use and keep (default: a temporary one, removed afterwards)")
    p.add_argument("--keep-airflow-home", action="store_true", help="do not remove the temporary AIRFLOW_HOME")
    p.add_argument("--sources", nargs="+", default=None, help="source ids (default: all four)")
    p.add_argument("--verbose", action="store_true", help="show Airflow's and the tasks' INFO logs")
    p.set_defaults(func=cmd_demo)
