"""Measure the mirror: start-up time and request latency per page kind.

    python -m scrapers.mirror.bench [--n 200]

Latencies are compared with robots.txt (a tiny static answer) measured in the same process, so the
ratios say how much each page kind costs beyond the HTTP round trip.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COLD_START = (
    "import time; t0 = time.perf_counter()\n"
    "from scrapers.mirror.server import start_mirror\n"
    "t1 = time.perf_counter(); h = start_mirror(port=0); t2 = time.perf_counter(); h.stop()\n"
    "print(f'{t1 - t0:.3f} {t2 - t1:.3f}')\n"
)


def _timed(session, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = session.get(url, timeout=30)
        r.raise_for_status()
        out.append(time.perf_counter() - t)
    return out


def main(argv=None) -> int:
    import requests

    from scrapers.mirror.archive import articles
    from scrapers.mirror.server import start_mirror

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="requests per page kind")
    args = ap.parse_args(argv)

    runs = [subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True)
            .stdout.split() for _ in range(3)]
    imports = [float(r[0]) for r in runs]
    starts = [float(r[1]) for r in runs]
    print(f"cold import  median {statistics.median(imports) * 1000:7.1f} ms  (3 fresh processes)")
    print(f"cold start   median {statistics.median(starts) * 1000:7.1f} ms  (archive build + bind + thread)")

    h = start_mirror(port=0)
    try:
        arts = [a for a in articles() if not a.robots_disallowed][:: max(1, len(articles()) // args.n)][:args.n]
        kinds = {
            "robots": [f"{h.url}/plo.vn/robots.txt"] * args.n,
            "listing": [f"{h.url}/thads.moj.gov.vn/noidung/tintuc/Pages/tin-tuc.aspx?Page={1 + i % 30}"
                        for i in range(args.n)],
            "rss": [f"{h.url}/plo.vn/rss/home.rss"] * args.n,
            "article": [h.mirror_url(a.url) for a in arts],
        }
        with requests.Session() as s:
            _timed(s, kinds["robots"][0], 20)       # warm up the connection
            results = {}
            for kind, urls in kinds.items():
                times = []
                for u in urls:
                    times += _timed(s, u, 1)
                results[kind] = times
        base = statistics.median(results["robots"])
        print(f"{'kind':8} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'x robots':>9}")
        for kind, times in results.items():
            med = statistics.median(times)
            p95 = sorted(times)[int(0.95 * (len(times) - 1))]
            print(f"{kind:8} {len(times):5d} {med * 1000:10.2f} {p95 * 1000:8.2f} {len(times) / sum(times):8.0f} "
                  f"{med / base:9.2f}")
    finally:
        h.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
