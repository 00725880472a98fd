"""Listing the raw archive: which landed pages a replay covers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scrapers.replay.errors import ReplayError

META_SUFFIX = ".meta.json"
HTML_SUFFIX = ".html.gz"


@dataclass(frozen=True)
class RawEntry:
    source: str
    html_path: Path
    meta: dict[str, Any]


@dataclass(frozen=True)
class BadEntry:
    """A raw page that cannot be replayed at all (its metadata is missing or unreadable)."""

    source: str
    path: Path
    reason: str
    detail: str


def parse_since(since: str | date | None) -> str | None:
    """``since`` as an ISO date string, compared with the page's ``fetched_at``."""
    if since is None or since == "":
        return None
    if isinstance(since, datetime):
        return since.date().isoformat()
    if isinstance(since, date):
        return since.isoformat()
    try:
        return date.fromisoformat(str(since)[:10]).isoformat()
    except ValueError as exc:
        raise ReplayError(f"--since must be an ISO date (YYYY-MM-DD), got {since!r}") from exc


def scan(lake: Path, source: str | None = None,
         since: str | None = None) -> tuple[list[RawEntry], list[BadEntry]]:
    """Raw pages under ``lake/raw`` in a stable order, filtered by source and fetch date."""
    raw = lake / "raw"
    if source is not None and not (raw / f"source={source}").is_dir():
        known = sorted(p.name.removeprefix("source=") for p in raw.glob("source=*")) if raw.is_dir() else []
        raise ReplayError(f"no raw pages for source {source!r} in {raw} (sources there: {known or 'none'})")
    entries: list[RawEntry] = []
    bad: list[BadEntry] = []
    dirs = [raw / f"source={source}"] if source else sorted(raw.glob("source=*"))
    for src_dir in dirs:
        src = src_dir.name.removeprefix("source=")
        for meta_path in sorted(src_dir.glob(f"*{META_SUFFIX}")):
            html_path = meta_path.with_name(meta_path.name[: -len(META_SUFFIX)] + HTML_SUFFIX)
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                if not isinstance(meta, dict) or not meta.get("doc_id"):
                    raise ValueError("no doc_id")
            except (OSError, ValueError) as exc:
                bad.append(BadEntry(src, meta_path, "raw_meta_unreadable", f"{type(exc).__name__}: {exc}"))
                continue
            if since and str(meta.get("fetched_at") or "")[:10] < since:
                continue
            if not html_path.exists():
                bad.append(BadEntry(src, meta_path, "raw_html_missing", f"{html_path.name} not found"))
                continue
            entries.append(RawEntry(src, html_path, {**meta, "source": meta.get("source") or src}))
    return entries, bad
