"""Lake records built from a cleaned page and its facts.

The crawler and replay both land articles through these two functions, so a
replay of unchanged code reproduces the crawler's bytes exactly.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapers.facts_schema import FACT_FIELDS


def fact_rows(facts: list[dict[str, Any]], *, doc_id: str, source: str, url: str, published: str | None,
              cleaner_version: str, extractor_version: str) -> list[dict[str, Any]]:
    base = {"doc_id": doc_id, "source": source, "url": url, "published": published,
            "cleaner_version": cleaner_version, "extractor_version": extractor_version}
    return [{**base, "fact_idx": i, **{f: fact.get(f) for f in FACT_FIELDS}} for i, fact in enumerate(facts)]


def article_record(*, doc_id: str, source: str, url: str, subsite: str | None, title: str | None,
                   published: str | None, text: str, raw_sha256: str, cleaner_version: str,
                   extractor_version: str, n_facts: int, fetched_at: str | None) -> dict[str, Any]:
    return {
        "doc_id": doc_id, "source": source, "url": url, "subsite": subsite, "title": title,
        "published": published, "text": text,
        "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(), "raw_sha256": raw_sha256,
        "cleaner_version": cleaner_version, "extractor_version": extractor_version,
        "n_facts": n_facts, "fetched_at": fetched_at,
    }
