"""DAG parse time per file, against an empty DAG file parsed in the same process.

The DAG processor parses each file in a fresh child process where airflow is already
imported; this script does the same in one process: airflow is imported once, then each
file is parsed REPEAT times (thads_common dropped from sys.modules before each parse, so
its import is counted as in a fresh child). Prints median and best per file, and the ratio
to the empty DAG baseline. Target: every file well under a second.

    .venv/bin/python bench/bench_dag_parse.py
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAGS = REPO / "dags"
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
EMPTY_DAG = '''
import pendulum
from airflow.sdk import dag, task


@dag(dag_id="empty_baseline", schedule=None, start_date=pendulum.datetime(2024, 1, 1))
def empty_baseline():
    @task
    def noop():
        return None

    noop()


empty_baseline()
'''


def main() -> int:
    home = tempfile.mkdtemp(prefix="thads-bench-airflow-")
    atexit.register(shutil.rmtree, home, True)
    os.environ.setdefault("AIRFLOW_HOME", home)
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    sys.path.insert(0, str(DAGS))
    t = time.perf_counter()
    from airflow.dag_processing.dagbag import DagBag
    print(f"import airflow (once, not counted): {time.perf_counter() - t:.2f}s")

    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_baseline.py"
        empty.write_text(EMPTY_DAG)
        files = [empty] + sorted(p for p in DAGS.glob("thads_*.py") if p.name != "thads_common.py")
        bag = DagBag(dag_folder=tmp, collect_dags=False)
        results = {}
        for path in files:
            times = []
            for _ in range(REPEAT):
                sys.modules.pop("thads_common", None)
                t = time.perf_counter()
                found = bag.process_file(str(path), only_if_updated=False)
                times.append(time.perf_counter() - t)
                if not found:
                    raise SystemExit(f"{path.name}: no DAG parsed; import errors: {bag.import_errors}")
            results[path.name] = (statistics.median(times), min(times))
    base = results[empty.name][0]
    print(f"{'file':<22} {'median ms':>10} {'best ms':>9} {'x empty':>8}")
    for name, (med, best) in results.items():
        print(f"{name:<22} {med * 1000:>10.1f} {best * 1000:>9.1f} {med / base:>8.2f}")
    worst = max(m for m, _ in results.values())
    print(f"slowest file median {worst * 1000:.1f} ms (target: well under 1000 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
