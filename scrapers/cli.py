"""`thads` command line. Each command lives in its own module, which exposes
``register(subparsers)``; modules keep heavy imports inside their functions so
that `thads --help` and DAG parsing stay fast."""

from __future__ import annotations

import argparse
import importlib
import sys

# Module per command group, in the order `thads --help` lists them.
COMMAND_MODULES = (
    "scrapers.extract.command",     # thads extract
    "scrapers.mirror.command",      # thads mirror serve
    "scrapers.crawl.command",       # thads crawl, thads backfill
    "scrapers.replay.command",      # thads replay
    "scrapers.warehouse",           # thads build
    "scrapers.analyst.command",     # thads status, query, report
    "scrapers.demo",                # thads demo
    "scrapers.airflow_local",       # thads airflow-standalone
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thads", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A command whose module is not there yet must not break the others.
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rc = args.func(args)
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
