"""Raw page bytes + fetch metadata -> one article record + its fact records.

Record fields follow docs/architecture.md (lake layout). Nothing here reads the
clock or the network, so the same bytes and rules always give the same records.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scrapers import records
from scrapers.facts_schema import validate
from scrapers.replay.errors import DeriveError
from scrapers.replay.rules import Rules

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Derived:
    article: dict[str, Any]
    facts: list[dict[str, Any]]
    drift: list[dict[str, Any]] = field(default_factory=list)
    invalid_facts: list[tuple[int, str]] = field(default_factory=list)  # (index, problems) of facts left out


def iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    m = _ISO_DATE.match(str(value))
    return m.group(0) if m else None


def _subsite(page: Any, profile: Any, doc_id: str) -> str | None:
    # The crawler's key rules know a site's subsites (from its profile); replay only asks them.
    sub = getattr(page, "subsite", None)
    if sub:
        return sub
    if getattr(profile, "subsites", None):
        from scrapers.crawl.keys import subsite_of

        return subsite_of(doc_id, profile)
    return None


def derive(html: bytes, meta: dict[str, Any], profile: Any, rules: Rules) -> Derived:
    """Clean and extract one raw page. Raises DeriveError for a page that yields no article."""
    doc_id, source, url = meta["doc_id"], meta["source"], meta.get("url") or ""
    status = meta.get("status")
    if isinstance(status, int) and not 200 <= status < 300:
        raise DeriveError("http_status", f"the archived response has status {status}")
    raw_sha = hashlib.sha256(html).hexdigest()
    if meta.get("sha256") and meta["sha256"] != raw_sha:
        raise DeriveError("raw_sha256_mismatch", f"meta says {meta['sha256']}, bytes hash to {raw_sha}")
    try:
        page = rules.clean(html, url, profile, content_type=meta.get("content_type"))
    except Exception as exc:  # any cleaner failure on one page must not stop the run
        if type(exc).__name__ == "CleanError":  # the bytes are not an HTML page (crawler's reason)
            raise DeriveError("not_html", str(exc)) from exc
        raise DeriveError("clean_failed", f"{type(exc).__name__}: {exc}") from exc
    text = getattr(page, "text", None) or ""
    body = getattr(page, "body", None)
    body = text if body is None else body
    title = getattr(page, "title", None)
    # The crawler's filters, so that a replay lands the same set of articles as a crawl.
    if len(body) < getattr(profile, "min_body_chars", 1):
        raise DeriveError("no_body", f"{len(body)} characters of body text")
    if rules.on_topic is not None and not rules.on_topic(title or "", body, profile):
        raise DeriveError("off_topic", "", quarantine=False)
    published = iso_date(getattr(page, "published", None))
    try:
        raw_facts = rules.extract(text, url=url, title=title, published=published)
    except Exception as exc:  # the contract says never raises; if it does, say so per page
        raise DeriveError("extract_error", repr(exc)) from exc

    valid: list[dict[str, Any]] = []
    invalid: list[tuple[int, str]] = []
    for i, fact in enumerate(raw_facts or []):
        problems = validate(fact) if isinstance(fact, dict) else ["not a dict"]
        if problems:
            invalid.append((i, "; ".join(problems)))
            continue
        valid.append(fact)
    versions = {"cleaner_version": rules.cleaner_version, "extractor_version": rules.extractor_version}
    facts = records.fact_rows(valid, doc_id=doc_id, source=source, url=url, published=published, **versions)
    article = records.article_record(
        doc_id=doc_id, source=source, url=url, subsite=_subsite(page, profile, doc_id), title=title,
        published=published, text=text, raw_sha256=raw_sha, n_facts=len(facts),
        fetched_at=meta.get("fetched_at"), **versions,
    )
    drift = [d for d in (getattr(page, "drift", None) or []) if isinstance(d, dict)]
    return Derived(article=article, facts=facts, drift=drift, invalid_facts=invalid)
