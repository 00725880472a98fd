"""The hot loop, run in worker processes: raw page -> staged article + facts files.

Workers write their output straight into the staging folder (no big payloads
cross process boundaries) and return one small result per page. Quarantine and
drift records travel back to the parent, which writes them only after the new
version is published, so an aborted replay leaves the lake as it was.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapers import lake as lake_mod
from scrapers.replay.archive import RawEntry
from scrapers.replay.derive import derive
from scrapers.replay.errors import DeriveError
from scrapers.replay.rules import Rules


@dataclass
class DocResult:
    source: str
    doc_id: str
    url: str
    ok: bool
    n_facts: int = 0
    reason: str = ""       # why not ok
    detail: str = ""
    quarantine: bool = True  # False: skipped on purpose (off topic), not an error
    drift: list[dict[str, Any]] = field(default_factory=list)
    invalid_facts: list[tuple[int, str]] = field(default_factory=list)
    # What was staged, so the parent need not read it back: the article without its text (the diff
    # compares content_hash), the facts, and the sha256 of each staged file ("articles"/"facts").
    article: dict[str, Any] | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)


def staged_article_path(staging: Path, source: str, doc_id: str) -> Path:
    return staging / "articles" / f"source={source}" / f"{lake_mod.safe_name(doc_id)}.jsonl"


def staged_facts_path(staging: Path, source: str, doc_id: str) -> Path:
    return staging / "facts" / f"source={source}" / f"{lake_mod.safe_name(doc_id)}.jsonl"


_state: dict[str, Any] = {}


def write_staged(path: Path, records: list[dict[str, Any]]) -> str:
    """Write one staged file: same bytes as ``lake.write_jsonl``, but no temp file and no fsync.

    The staging folder is private to this run, so a half-written file there is harmless; the parent
    syncs the file system once before the switch (publish.py) instead of once per file, which
    took about a fifth of a replay's time.
    """
    body = "".join(lake_mod.dumps(r) + "\n" for r in records).encode("utf-8")
    dirs: set = _state.setdefault("dirs", set())
    if path.parent not in dirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        dirs.add(path.parent)
    with open(path, "wb") as fh:
        fh.write(body)
    return hashlib.sha256(body).hexdigest()


def init_worker(rules: Rules, staging: Path) -> None:
    _state.clear()
    _state.update(rules=rules, staging=staging, profiles={})


def _profile(source: str) -> Any:
    profiles = _state["profiles"]
    if source not in profiles:
        profiles[source] = _state["rules"].load_profile(source)
    return profiles[source]


def process_one(entry: RawEntry) -> DocResult:
    """Derive one page. Page-level problems become a quarantine result; I/O errors on staging propagate."""
    rules: Rules = _state["rules"]
    staging: Path = _state["staging"]
    meta = entry.meta
    doc_id, source, url = meta["doc_id"], entry.source, meta.get("url") or ""
    try:
        try:
            html = gzip.decompress(entry.html_path.read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise DeriveError("raw_unreadable", f"{type(exc).__name__}: {exc}") from exc
        try:
            profile = _profile(source)
        except Exception as exc:  # unknown source id or broken profile: every page of it is quarantined
            raise DeriveError("profile_unavailable", f"{type(exc).__name__}: {exc}") from exc
        out = derive(html, meta, profile, rules)
    except DeriveError as exc:
        return DocResult(source, doc_id, url, ok=False, reason=exc.reason, detail=exc.detail,
                         quarantine=exc.quarantine)
    shas = {"articles": write_staged(staged_article_path(staging, source, doc_id), [out.article]),
            # Always a facts file, empty for an article without facts: the crawler's layout, byte for byte.
            "facts": write_staged(staged_facts_path(staging, source, doc_id), out.facts)}
    article = {k: v for k, v in out.article.items() if k != "text"}
    return DocResult(source, doc_id, url, ok=True, n_facts=len(out.facts), drift=out.drift,
                     invalid_facts=out.invalid_facts, article=article, facts=out.facts, sha256=shas)


def process_chunk(entries: list[RawEntry]) -> list[DocResult]:
    return [process_one(e) for e in entries]
