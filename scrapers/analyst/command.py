"""`thads status`, `thads query` and `thads report`."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("status", help="last runs, lake and warehouse counts, drift and quarantine")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p.set_defaults(func=cmd_status)

    p = subparsers.add_parser("query", help="run read-only SQL against the warehouse")
    p.add_argument("sql", help='SQL, e.g. "select * from fct_metric_timeseries limit 5"')
    p.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("report", help="build the static HTML report from the warehouse")
    p.add_argument("--out", default=None, help="output folder (default: $THADS_REPORT_DIR)")
    p.set_defaults(func=cmd_report)


def cmd_status(args) -> int:
    import json

    from scrapers.analyst import status

    data = status.collect()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str))
    else:
        sys.stdout.write(status.render(data))
    return 0


def cmd_query(args) -> int:
    from scrapers.analyst.db import WarehouseError
    from scrapers.analyst.query import run_query

    try:
        sys.stdout.write(run_query(args.sql, as_csv=args.csv))
    except WarehouseError as exc:
        print(f"thads query: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_report(args) -> int:
    from scrapers.analyst.db import WarehouseError
    from scrapers.analyst.report import build_report

    try:
        index = build_report(args.out)
    except WarehouseError as exc:
        print(f"thads report: {exc}", file=sys.stderr)
        return 2
    print(f"report written: {index}")
    return 0
