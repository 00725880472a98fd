"""`thads crawl` and `thads backfill`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

SOURCES = ("thads", "moj", "baophapluat", "plo")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def statistical_year(year: int) -> tuple[dt.date, dt.date]:
    """THADS statistical year Y: 1 October of Y-1 to 30 September of Y."""
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


def register(subparsers) -> None:
    p = subparsers.add_parser("crawl", help="crawl sources into the lake (daily, full or a date range)")
    p.add_argument(
        "--source", action="append", choices=SOURCES, help="source id (repeatable; default: all four)"
    )
    p.add_argument("--since", type=_date, help="first publication date to collect (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, help="last publication date to collect (YYYY-MM-DD)")
    p.add_argument("--mode", choices=("daily", "backfill", "full"), default="daily")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(func=_crawl)

    b = subparsers.add_parser("backfill", help="collect one statistical year (1 Oct Y-1 .. 30 Sep Y)")
    b.add_argument("--year", type=int, required=True)
    b.add_argument("--source", action="append", choices=SOURCES)
    b.add_argument("--no-progress", action="store_true")
    b.set_defaults(func=_backfill)


def _run(sources, *, start, end, mode, progress) -> int:
    from scrapers.crawl.pipeline import crawl

    summaries, rc = [], 0
    for source in sources or SOURCES:
        try:
            summaries.append(crawl(source, start=start, end=end, mode=mode, progress=progress))
        except Exception as exc:  # one broken source must not stop the others
            print(f"{source}: crawl failed: {exc!r}", file=sys.stderr)
            rc = 1
    _print_summary(summaries)
    return rc


def _print_summary(summaries) -> None:
    cols = (
        "source",
        "mode",
        "pages_tried",
        "landed",
        "skipped_off_topic",
        "quarantined",
        "retried",
        "unchanged_skipped",
        "facts",
        "requests_total",
        "duration_s",
    )
    widths = [max(len(c), *(len(str(s.get(c))) for s in summaries)) for c in cols] if summaries else []
    print()
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for s in summaries:
        print("  ".join(str(s.get(c)).ljust(w) for c, w in zip(cols, widths, strict=True)))
    for s in summaries:
        print(
            f"{s['source']}: requests {json.dumps(s['requests'])}; "
            f"quarantine {json.dumps(s['quarantine_reasons'])}; run {s['run_id']}"
        )


def _crawl(args) -> int:
    mode = args.mode
    if mode == "backfill" and (args.since is None or args.until is None):
        print("--mode backfill needs --since and --until", file=sys.stderr)
        return 2
    return _run(args.source, start=args.since, end=args.until, mode=mode, progress=not args.no_progress)


def _backfill(args) -> int:
    start, end = statistical_year(args.year)
    return _run(args.source, start=start, end=end, mode="backfill", progress=not args.no_progress)
