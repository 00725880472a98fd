"""Replay: re-derive every article and fact from the raw archive with the current rules.

The raw HTML in the lake is the source of truth. ``run_replay`` re-cleans and
re-extracts it in parallel and publishes the result as one complete version,
switched in atomically by writing the version manifest last (docs/replay.md).
Heavy imports stay inside functions so that `thads --help` stays fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any


def run_replay(source: str | None = None, since: str | date | None = None, progress: bool = False,
               workers: int | None = None, lake: Path | str | None = None, *, rules: Any = None) -> dict:
    """Replay the archive (optionally one source, pages fetched on/after ``since``); returns the summary.

    ``rules`` defaults to the current cleaner + extractor (``rules.current_rules()``).
    Raises ``ReplayError`` when the run cannot finish; the lake's visible versions are then unchanged.
    """
    from scrapers.replay.run import replay

    return replay(source=source, since=since, progress=progress, workers=workers, lake=lake, rules=rules)


__all__ = ["run_replay"]
