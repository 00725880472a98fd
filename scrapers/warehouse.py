"""`thads build`: run dbt over the lake to (re)build the DuckDB warehouse.

Only dbt writes the warehouse, and only one build at a time: a lock file next to the warehouse
serialises builds started by the CLI, Airflow or tests. dbt runs as a subprocess of this virtualenv's
`dbt`, with absolute paths in its environment and every network feature (usage stats, version
check) switched off.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from scrapers import config


class WarehouseBuildError(RuntimeError):
    """dbt failed; the message carries the end of its output."""


def provinces_csv() -> Path:
    return Path(os.environ.get("THADS_PROVINCES_CSV",
                               config.REPO_ROOT / "scrapers" / "extract" / "data" / "provinces.csv"))


def dbt_executable() -> str:
    # The dbt next to this interpreter, so a build never picks up another environment's dbt.
    local = Path(sys.executable).with_name("dbt")
    if local.is_file():
        return str(local)
    found = shutil.which("dbt")
    if not found:
        raise WarehouseBuildError("dbt is not installed in this environment (run `make venv`)")
    return found


def target_dir() -> Path:
    # Per warehouse, so builds of different data dirs (tests, demo) never share dbt's target/.
    return config.warehouse_path().resolve().parent / "dbt_target"


def dbt_env() -> dict[str, str]:
    warehouse = config.warehouse_path().resolve()
    env = dict(os.environ)
    env.update({
        "THADS_WAREHOUSE": str(warehouse),
        "THADS_LAKE_DIR": str(config.lake_dir().resolve()),
        "THADS_PROVINCES_CSV": str(provinces_csv().resolve()),
        "DBT_PROFILES_DIR": str(config.dbt_project_dir().resolve()),
        "DBT_PROJECT_DIR": str(config.dbt_project_dir().resolve()),
        "DBT_TARGET_PATH": str(target_dir()),
        "DBT_LOG_PATH": str(target_dir() / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
        "DO_NOT_TRACK": "1",
    })
    env.setdefault("THADS_DBT_THREADS", "2")
    return env


@contextmanager
def build_lock():
    warehouse = config.warehouse_path().resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(warehouse.with_name(warehouse.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_dbt(args: Sequence[str], *, quiet: bool = True) -> subprocess.CompletedProcess:
    """Run one dbt command in the project; raise WarehouseBuildError with dbt's output when it fails."""
    if not provinces_csv().is_file():
        raise WarehouseBuildError(f"province table not found at {provinces_csv()} (set THADS_PROVINCES_CSV)")
    cmd = [dbt_executable(), "--no-use-colors", *args]
    with build_lock():
        proc = subprocess.run(cmd, cwd=config.dbt_project_dir(), env=dbt_env(),
                              capture_output=True, text=True)
    if not quiet:
        sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        raise WarehouseBuildError(f"`dbt {' '.join(args)}` failed (exit {proc.returncode}):\n{tail}")
    return proc


def build(*, full_refresh: bool = False, select: str | Sequence[str] | None = None,
          quiet: bool = True) -> None:
    """`dbt build`: seeds, models and their tests. Incremental models read only new lake files unless
    ``full_refresh``. ``select`` takes dbt selectors (a string or a list)."""
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if select:
        # cautious: a partial build runs only the tests whose every parent it built
        args += ["--select", *([select] if isinstance(select, str) else list(select)),
                 "--indirect-selection", "cautious"]
    run_dbt(args, quiet=quiet)


def generate_docs(*, quiet: bool = True) -> Path:
    """`dbt docs generate` against the current warehouse; returns the folder with index.html."""
    run_dbt(["docs", "generate"], quiet=quiet)
    return target_dir()


def _cmd_build(args) -> int:
    try:
        build(full_refresh=args.full_refresh, select=args.select or None, quiet=False)
        if args.docs:
            print(f"docs: {generate_docs()}/index.html")
    except WarehouseBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"warehouse: {config.warehouse_path()}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="build the DuckDB warehouse from the lake with dbt")
    p.add_argument("--full-refresh", action="store_true",
                   help="rebuild incremental models from every lake file, not just new ones")
    p.add_argument("--select", nargs="*", default=None, help="dbt selectors (default: everything)")
    p.add_argument("--docs", action="store_true", help="also run `dbt docs generate`")
    p.set_defaults(func=_cmd_build)
