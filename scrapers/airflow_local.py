"""Airflow on one machine: a throw-away AIRFLOW_HOME, and `thads airflow-standalone`.

The helpers here build the environment every Airflow process of the project needs
(dags folder, metadata DB, executor, shared secrets), migrate the metadata DB and
create the DuckDB pool. The demo, `thads airflow-standalone` and the tests use them.
Airflow itself is only ever imported by the processes started with that environment.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from scrapers import config

DAGS_DIR = config.REPO_ROOT / "dags"
DEFAULT_HOME = config.REPO_ROOT / "airflow_home"
POOL = "thads_duckdb"  # the same name as dags/thads_common.py::DUCKDB_POOL (tests check it)
POOL_DESCRIPTION = "Serialises writers of the DuckDB warehouse (dbt build) and the report."


def airflow_bin() -> str:
    """The `airflow` script of the running interpreter's environment."""
    candidate = Path(sys.executable).with_name("airflow")
    return str(candidate) if candidate.exists() else "airflow"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _home_secrets(home: Path) -> dict[str, str]:
    """Secrets every process of one installation must share, generated once per home."""
    path = home / "thads_secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {"jwt_secret": secrets.token_urlsafe(32), "api_secret_key": secrets.token_urlsafe(32)}
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(values, fh)
    return values


def airflow_env(home: Path | str, *, db_url: str | None = None, executor: str = "LocalExecutor",
                api_port: int = 8080, base: dict[str, str] | None = None,
                extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for an Airflow process of this project, rooted at ``home``.

    ``db_url`` defaults to a SQLite file in ``home``.
    """
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    keys = _home_secrets(home)
    env = dict(os.environ if base is None else base)
    # `airflow standalone` starts its components as `airflow ...` from PATH.
    bindir = str(Path(airflow_bin()).parent) if os.path.isabs(airflow_bin()) else ""
    env.update({
        "PATH": os.pathsep.join(p for p in (bindir, env.get("PATH", "")) if p),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": db_url or f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__API_AUTH__JWT_SECRET": keys["jwt_secret"],
        "AIRFLOW__API__SECRET_KEY": keys["api_secret_key"],
        # Sized for a laptop: each LocalExecutor slot is a worker process.
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__API__WORKERS": "1",
        # Parse new files quickly: a freshly started installation should show the DAGs at once.
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
    })
    env.update(extra or {})
    return env


def run_airflow(args: list[str], env: dict[str, str], *, timeout: float = 300) -> str:
    """Run one `airflow` CLI command; raise with the tail of its output when it fails."""
    proc = subprocess.run([airflow_bin(), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
        raise RuntimeError(f"`airflow {' '.join(args)}` exited with {proc.returncode}:\n{tail}")
    return proc.stdout


def migrate(env: dict[str, str]) -> None:
    run_airflow(["db", "migrate"], env)


def ensure_pool(env: dict[str, str]) -> None:
    run_airflow(["pools", "set", POOL, "1", POOL_DESCRIPTION], env, timeout=120)


def prepare_home(home: Path | str, **env_kwargs) -> dict[str, str]:
    """A migrated AIRFLOW_HOME with the project's pool; returns its environment."""
    env = airflow_env(home, **env_kwargs)
    migrate(env)
    ensure_pool(env)
    return env


def api_healthy(base_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/api/v2/monitor/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def api_token(base_url: str, username: str, password: str) -> str:
    req = urllib.request.Request(f"{base_url}/auth/token", method="POST",
                                 data=json.dumps({"username": username, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())["access_token"]


def api_get(base_url: str, path: str, token: str) -> dict:
    req = urllib.request.Request(f"{base_url}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def admin_password(home: Path | str) -> str | None:
    """The password `airflow standalone` generated for user admin (simple auth manager)."""
    path = Path(home) / "simple_auth_manager_passwords.json.generated"
    try:
        return json.loads(path.read_text()).get("admin")
    except (OSError, ValueError):
        return None


@dataclass
class Standalone:
    """A running `airflow standalone` (its own process group) and where to reach it."""

    proc: subprocess.Popen
    home: Path
    url: str
    log_path: Path
    _log: object = field(repr=False, default=None)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"airflow standalone exited with {self.proc.returncode}; see {self.log_path}")
            if api_healthy(self.url) and admin_password(self.home):
                return
            time.sleep(1)
        raise TimeoutError(f"Airflow API at {self.url} did not answer within {timeout:.0f}s; see {self.log_path}")

    def stop(self, timeout: float = 30) -> None:
        stop_process_group(self.proc, timeout=timeout)
        if self._log is not None:
            self._log.close()


def stop_process_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process started with start_new_session=True and everything it started."""
    if proc.poll() is None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=timeout)
                break
            except subprocess.TimeoutExpired:
                continue
    # Children that outlived the leader (same group id) go too.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def live_group_members(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies excluded), from /proc."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state, fields[2] the process group.
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            alive.append(int(stat.parent.name))
    return alive


def start_standalone(home: Path | str, *, port: int | None = None, mirror_url: str | None = None,
                     extra: dict[str, str] | None = None) -> Standalone:
    """Start `airflow standalone` (SQLite, LocalExecutor) on the project's dags folder."""
    home = Path(home).resolve()
    port = port or free_port()
    more = {"AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False", **(extra or {})}
    if mirror_url:
        # The profiles' politeness delays are for the real sites; the local mirror needs none.
        more = {"THADS_MIRROR_URL": mirror_url, "THADS_CRAWL_DELAY": os.environ.get("THADS_CRAWL_DELAY", "0"),
                **more}
    env = airflow_env(home, api_port=port, extra=more)
    # standalone migrates itself, but the pool must exist before the scheduler queues a warehouse task.
    migrate(env)
    ensure_pool(env)
    log_path = home / "standalone.log"
    log = open(log_path, "ab")
    proc = subprocess.Popen([airflow_bin(), "standalone"], env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    return Standalone(proc=proc, home=home, url=f"http://127.0.0.1:{port}", log_path=log_path, _log=log)


def cmd_standalone(args) -> int:
    from scrapers.mirror.server import start_mirror

    home = Path(args.home).resolve()
    mirror = None if args.no_mirror else start_mirror(port=0)
    print(f"AIRFLOW_HOME={home}  data={config.data_dir()}  dags={DAGS_DIR}")
    if mirror is not None:
        print(f"site mirror: {mirror.url} (the crawl DAG fetches from it)")
    sa = start_standalone(home, port=args.port, mirror_url=mirror.url if mirror else None,
                          extra={"AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(args.paused)})
    try:
        print(f"starting airflow standalone (log: {sa.log_path}) ...", flush=True)
        sa.wait_ready(timeout=args.timeout)
        print(f"\nAirflow UI: {sa.url}\nlogin: admin / {admin_password(home)}"
              f"  (stored in {home / 'simple_auth_manager_passwords.json.generated'})\n"
              "DAGs: thads_crawl (daily), thads_warehouse (on lake Assets), thads_replay (manual).\n"
              "Press Ctrl-C to stop.", flush=True)
        while sa.proc.poll() is None:
            time.sleep(1)
        print(f"airflow standalone exited with {sa.proc.returncode}; see {sa.log_path}")
        return sa.proc.returncode or 1
    except KeyboardInterrupt:
        print("stopping ...")
        return 0
    finally:
        sa.stop()
        if mirror is not None:
            mirror.stop()


def register(subparsers) -> None:
    p = subparsers.add_parser("airflow-standalone",
                              help="run Airflow (standalone, SQLite) on this project's DAGs and the mirror")
    p.add_argument("--home", default=os.environ.get("AIRFLOW_HOME") or str(DEFAULT_HOME),
                   help="AIRFLOW_HOME (default: $AIRFLOW_HOME or <repo>/airflow_home)")
    p.add_argument("--port", type=int, default=8080, help="API server / UI port (default 8080)")
    p.add_argument("--no-mirror", action="store_true",
                   help="fetch from the real sites instead of the bundled mirror")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for the UI to answer")
    p.add_argument("--paused", action="store_true",
                   help="new DAGs start paused (default: unpaused, so the latest daily crawl runs at once)")
    p.set_defaults(func=cmd_standalone)
