"""Distributed Airflow: CeleryExecutor, PostgreSQL metadata DB, Redis broker, all on 127.0.0.1.

Starts an api-server, a scheduler, a dag-processor and a Celery worker on a fresh PostgreSQL
database, triggers a one-day crawl run over the site mirror, waits for it and for the
thads_warehouse run its Asset events trigger, and checks the warehouse. Skips when PostgreSQL
or Redis cannot be reached, except in CI (CI=true), where it fails instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from scrapers.airflow_local import (
    airflow_bin,
    airflow_env,
    api_healthy,
    ensure_pool,
    free_port,
    live_group_members,
    migrate,
    run_airflow,
    stop_process_group,
)

pytestmark = [pytest.mark.slow, pytest.mark.celery]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)
DAY = "2024-04-09"
BACKFILL_DAY = "2021-04-22"  # seed-000 (moj) was published that day
DEADLINE_S = 420  # the whole run: start-up, crawl, warehouse


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and {reason}: the Celery integration test must run in CI")
    pytest.skip(reason)


def _redis_ping() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _pg_admin():
    import psycopg2

    con = psycopg2.connect(dbname="postgres", connect_timeout=3, **PG)
    con.autocommit = True
    return con


def _drop_database(name: str) -> None:
    con = _pg_admin()
    try:
        with con.cursor() as cur:
            cur.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", (name,))
            cur.execute(f'drop database if exists "{name}"')
    finally:
        con.close()


@pytest.fixture()
def database():
    try:
        con = _pg_admin()
    except Exception as exc:  # psycopg2.OperationalError and friends
        _unavailable(f"PostgreSQL not reachable at {PG['host']}:{PG['port']} as {PG['user']} ({exc})")
    if not _redis_ping():
        con.close()
        _unavailable(f"Redis not reachable at {REDIS[0]}:{REDIS[1]}")
    name = f"thads_airflow_it_{os.getpid()}"
    with con.cursor() as cur:
        cur.execute(f'drop database if exists "{name}"')
        cur.execute(f'create database "{name}"')
    con.close()
    try:
        yield name
    finally:
        _drop_database(name)


class Cluster:
    def __init__(self, env: dict[str, str], logs: Path):
        self.env, self.logs, self.procs = env, logs, {}

    def start(self, name: str, *args: str) -> None:
        log = open(self.logs / f"{name}.log", "wb")
        self.procs[name] = (subprocess.Popen([airflow_bin(), *args], env=self.env, stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             start_new_session=True), log)

    def check_alive(self) -> None:
        for name, (proc, _) in self.procs.items():
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, n: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:]) if path.exists() else ""

    def stop(self) -> None:
        for proc, log in self.procs.values():
            stop_process_group(proc, timeout=15)
            log.close()


def _wait(what: str, predicate, deadline: float, cluster: Cluster, every: float = 2.0):
    while time.monotonic() < deadline:
        cluster.check_alive()
        value = predicate()
        if value:
            return value
        time.sleep(every)
    logs = "\n".join(f"--- {n}\n{cluster.tail(n)}" for n in cluster.procs)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_celery_cluster_runs_crawl_then_warehouse(database, mirror, tmp_path):
    import duckdb
    import psycopg2

    from scrapers.mirror.archive import truth

    deadline = time.monotonic() + DEADLINE_S
    data = tmp_path / "data"
    queue = f"thads_it_{os.getpid()}"
    api_port = free_port()
    env = airflow_env(tmp_path / "airflow_home", executor="CeleryExecutor", api_port=api_port, extra={
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}",
        "AIRFLOW__CELERY__BROKER_URL": "redis://127.0.0.1:6379/0",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://postgres@127.0.0.1:5432/{database}",
        # Our own queue: other users of the shared Redis never see these tasks, nor we theirs.
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__CELERY__DEFAULT_QUEUE": queue,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "THADS_DATA_DIR": str(data), "THADS_LAKE_DIR": str(data / "lake"),
        "THADS_WAREHOUSE": str(data / "warehouse.duckdb"), "THADS_REPORT_DIR": str(data / "report"),
        "THADS_MIRROR_URL": mirror.url, "THADS_CRAWL_DELAY": "0",
    })
    mirror.set_faults(None)
    mirror.set_as_of(None)
    migrate(env)
    ensure_pool(env)
    logs = tmp_path / "logs"
    logs.mkdir()
    cluster = Cluster(env, logs)
    dsn = dict(dbname=database, **PG)
    try:
        cluster.start("api-server", "api-server", "--port", str(api_port))
        cluster.start("scheduler", "scheduler")
        cluster.start("dag-processor", "dag-processor")
        cluster.start("worker", "celery", "worker", "--queues", queue, "--concurrency", "2")

        def query(sql: str, args=()):
            with psycopg2.connect(**dsn) as con, con.cursor() as cur:
                cur.execute(sql, args)
                return cur.fetchall()

        _wait("the API server", lambda: api_healthy(env["AIRFLOW__API__BASE_URL"]), deadline, cluster)
        _wait("the DAGs to be parsed", lambda: {r[0] for r in query("select dag_id from dag")} >= {
            "thads_crawl", "thads_warehouse", "thads_replay"}, deadline, cluster)

        run_id = f"it_{os.getpid()}"
        run_airflow(["dags", "trigger", "thads_crawl", "--run-id", run_id, "--conf",
                     json.dumps({"start": DAY, "end": DAY, "mode": "backfill"})], env)

        def crawl_state():
            rows = query("select state from dag_run where dag_id = 'thads_crawl' and run_id = %s", (run_id,))
            return rows and rows[0][0] in ("success", "failed") and rows[0][0]

        assert _wait("the crawl run", crawl_state, deadline, cluster) == "success", query(
            "select task_id, map_index, state from task_instance where run_id = %s", (run_id,))

        # The warehouse run that consumed this crawl run's Asset events.
        def warehouse_state():
            rows = query(
                "select distinct dr.run_id, dr.state from dag_run dr"
                " join dagrun_asset_event dae on dae.dag_run_id = dr.id"
                " join asset_event ae on ae.id = dae.event_id"
                " where dr.dag_id = 'thads_warehouse' and ae.source_run_id = %s", (run_id,))
            done = [r for r in rows if r[1] in ("success", "failed")]
            return done and done[0]

        wh_run, wh_state = _wait("the warehouse run triggered by the crawl", warehouse_state, deadline, cluster)
        assert wh_state == "success", query(
            "select task_id, state from task_instance where dag_id = 'thads_warehouse' and run_id = %s", (wh_run,))
        # Every crawl task ran on the Celery worker.
        hosts = query("select distinct queue from task_instance where run_id = %s", (run_id,))
        assert hosts == [(queue,)]

        # `airflow backfill create` over one past Vietnamese day (dates with the +07:00 offset).
        run_airflow(["backfill", "create", "--dag-id", "thads_crawl", "--from-date", f"{BACKFILL_DAY}T00:00:00+07:00",
                     "--to-date", f"{BACKFILL_DAY}T00:00:00+07:00"], env)

        def backfill_states():
            rows = query("select state, data_interval_start from dag_run"
                         " where dag_id = 'thads_crawl' and run_type = 'backfill'")
            return rows and all(r[0] in ("success", "failed") for r in rows) and rows

        backfill = _wait("the backfill run", backfill_states, deadline, cluster)
        assert [r[0] for r in backfill] == ["success"]
        assert backfill[0][1].astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat() == \
            f"{BACKFILL_DAY}T00:00:00+07:00"
    finally:
        cluster.stop()
    for proc, _ in cluster.procs.values():
        assert live_group_members(proc.pid) == []

    from scrapers import lake

    def on_day(day):
        return {t["url"] for t in truth() if t["published"] == day and t["on_topic"] and not t["robots_disallowed"]}

    landed = {rec["url"]: rec["published"] for p in (data / "lake" / "articles").rglob("*.jsonl")
              for rec in lake.read_jsonl(p)}
    assert on_day(BACKFILL_DAY) and on_day(BACKFILL_DAY) <= set(landed)
    # The lake holds the two days and nothing else (the scheduled run of the latest day found nothing new).
    assert set(landed.values()) <= {DAY, BACKFILL_DAY} | {t["published"] for t in truth()
                                                           if t["published"] > "2026-11-01"}
    expected = on_day(DAY)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        urls = {r[0] for r in con.execute("select url from fct_articles").fetchall()}
        assert expected and expected <= urls
        assert con.execute("select count(*) from stg_facts where scope_name = 'Đà Nẵng' and metric = 'new'"
                           " and unit = 'cases' and value = 5553 and period_end = date '2024-03-31'").fetchone()[0] == 1
    finally:
        con.close()
    assert (data / "report" / "index.html").is_file()
