"""dbt build time over synthetic lakes of 10k, 100k and 1M facts, and the daily incremental build at
1M + 1k new facts.

Each lake holds its facts as a few big JSONL files per source (tests/warehouse_helpers.py). Every
figure is wall-clock time of one `dbt build` (seeds, models and all data tests) through
scrapers.warehouse.build(), measured in this process; ratios are against the first (smallest) full
build, and daily/full compares the incremental build with the full build of the same lake.

    .venv/bin/python bench/bench_dbt.py                 # 10k, 100k, 1M (a few minutes)
    .venv/bin/python bench/bench_dbt.py --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from warehouse_helpers import bulk_fact_records, write_bulk, write_manifest  # noqa: E402

from scrapers import warehouse  # noqa: E402


def point_at(data: Path) -> None:
    os.environ["THADS_DATA_DIR"] = str(data)
    os.environ["THADS_LAKE_DIR"] = str(data / "lake")
    os.environ["THADS_WAREHOUSE"] = str(data / "warehouse.duckdb")


def timed(fn, *args, **kwargs) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated fact counts")
    ap.add_argument("--daily", type=int, default=1000, help="new facts for the incremental build")
    ap.add_argument("--keep", action="store_true", help="keep the temporary lakes")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    root = Path(tempfile.mkdtemp(prefix="bench_dbt_"))
    print(f"lakes under {root}; threads={os.environ.get('THADS_DBT_THREADS', '2')}; cpus={os.cpu_count()}; "
          f"load average at start {os.getloadavg()[0]:.1f} (other work on the machine inflates every figure)")
    print(f"{'facts':>10} {'write lake s':>13} {'full build s':>13} {'vs first':>9} {'facts/s':>10} {'rows':>9}")
    baseline = None
    try:
        for n in sizes:
            data = root / f"n{n}"
            point_at(data)
            lake = data / "lake"
            t0 = time.perf_counter()
            write_manifest(lake, "c1-e1")
            write_bulk(lake, bulk_fact_records(n, seed=n))
            t_write = time.perf_counter() - t0
            t_full = timed(warehouse.build, full_refresh=True)
            baseline = baseline or t_full
            import duckdb

            con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
            rows = con.execute("select count(*) from fct_enforcement_metrics").fetchone()[0]
            con.close()
            print(f"{n:>10} {t_write:>13.1f} {t_full:>13.1f} {t_full / baseline:>8.1f}x {n / t_full:>10.0f} {rows:>9}")

        # the daily run: the biggest lake plus one day's new facts, as one new file per source
        n = sizes[-1]
        point_at(root / f"n{n}")
        lake = root / f"n{n}" / "lake"
        write_bulk(lake, bulk_fact_records(args.daily, seed=7, doc_offset=10_000_000), name="daily")
        t_daily = timed(warehouse.build)
        t_noop = timed(warehouse.build)
        print(f"daily incremental build at {n} + {args.daily} new facts: {t_daily:.1f} s "
              f"(daily/full = {t_daily / t_full:.2f}; full build of {n} = {t_full:.1f} s)")
        print(f"re-run with nothing new: {t_noop:.1f} s (no-change/full = {t_noop / t_full:.2f}); "
              f"load average at end {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
