"""Small crawl state kept in the lake: HTTP validators of listings and feeds, and what has landed.

``state/http/source=S.json`` maps a listing/feed URL to its last ETag and
Last-Modified. A validator is saved only after every article on that page was
handled, so a run that dies half-way does not make the next one skip work.
Whether an article has landed is read from its raw metadata file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapers import lake as lake_mod


def validators_path(source: str, lake: Path | None = None) -> Path:
    return lake_mod.root(lake) / "state" / "http" / f"source={source}.json"


class ValidatorStore:
    def __init__(self, source: str, lake: Path | None = None):
        self.path = validators_path(source, lake)
        self.data: dict[str, dict[str, str]] = {}
        if self.path.exists():
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self.data = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.data = {}  # a damaged state file only costs full requests

    def get(self, url: str) -> dict[str, str] | None:
        return self.data.get(url)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self.data[url] = {k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v}
            lake_mod.write_json(self.path, self.data)


class LandedIndex:
    """doc_id -> raw metadata of the landed page (read lazily from the lake)."""

    def __init__(self, source: str, lake: Path | None = None):
        self.source, self.lake = source, lake
        self._cache: dict[str, dict[str, Any] | None] = {}

    def get(self, doc_id: str) -> dict[str, Any] | None:
        if doc_id not in self._cache:
            path = lake_mod.raw_meta_path(self.source, doc_id, self.lake)
            try:
                self._cache[doc_id] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache[doc_id] = None
        return self._cache[doc_id]

    def put(self, doc_id: str, meta: dict[str, Any]) -> None:
        self._cache[doc_id] = meta
