"""`thads replay`: re-derive articles and facts from the raw archive as a new version."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "replay", help="re-clean and re-extract the landed raw HTML with the current rules",
        description="Re-derive every article and fact from lake/raw with the current cleaner and "
                    "extractor, publish them atomically as version <cleaner>-<extractor>, and print "
                    "what changed against the version readers saw before.")
    p.add_argument("--source", help="only this source id (thads, moj, baophapluat, plo)")
    p.add_argument("--since", help="only pages fetched on or after this date (YYYY-MM-DD)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    from scrapers.replay import run_replay
    from scrapers.replay.diff import format_summary
    from scrapers.replay.errors import ReplayError

    if args.workers is not None and args.workers < 1:
        print("thads replay: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        s = run_replay(source=args.source, since=args.since, workers=args.workers,
                       progress=sys.stderr.isatty())
    except ReplayError as exc:
        print(f"thads replay: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=1, default=str))
        return 0
    state = "published" if s["published"] else "no change (nothing rewritten)"
    print(f"replay {s['version']} -> partition {s['partition']}: {state}")
    print(f"pages {s['pages_tried']}, articles {s['articles_derived']}, facts {s['facts']}, "
          f"quarantined {s['quarantined']}, {s['seconds']} s ({s['pages_per_second']} pages/s, "
          f"{s['workers']} workers)")
    print(format_summary(s["diff"]))
    return 0
