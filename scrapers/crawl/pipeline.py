"""crawl(): discover, fetch, clean, filter, extract and land one source.

Modes:
  daily     feeds, then listings page by page until a page holds an article
            already landed (or one older than ``start``); listings and feeds
            are fetched conditionally, a 304 ends that listing at once.
  backfill  for [start, end]: the listing pages covering the range are found
            by binary search over pagination (see backfill.py).
  full      every page of every listing.

Landed articles are not fetched again unless a listing or feed shows a newer
modified date than the one recorded when they landed; then the fetch is
conditional on the stored ETag / Last-Modified.

Write order per article: facts, article, then raw bytes and raw metadata. The
raw metadata marks the page as landed, so a run that dies half-way refetches
the page next time instead of skipping it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from scrapers import lake as lake_mod
from scrapers import records, versioning
from scrapers.clean import CleanError, clean_page
from scrapers.clean.dates import parse_iso
from scrapers.crawl import guards
from scrapers.crawl.backfill import PageCache, find_range_pages
from scrapers.crawl.discovery import (
    Entry,
    ListingSource,
    feed_urls,
    in_range,
    listing_sources,
    parse_feed,
    parse_listing,
)
from scrapers.crawl.http import FetchError, HttpClient, HttpSettings, Response
from scrapers.crawl.keys import canonical_url, doc_id, subsite_of
from scrapers.crawl.state import LandedIndex, ValidatorStore
from scrapers.crawl.topic import on_topic
from scrapers.facts_schema import validate
from scrapers.replay.publish import landing_partition
from scrapers.sites import load_profile

MODES = ("daily", "backfill", "full")


def _load_extractor():
    from scrapers.extract import extract_facts  # imported here: keeps `thads --help` fast

    return extract_facts


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


class _Bars:
    def __init__(self, enabled: bool, source: str):
        self.enabled = enabled
        if enabled:
            from tqdm import tqdm

            self.pages = tqdm(desc=f"{source} pages", unit="page", position=0, leave=True)
            self.articles = tqdm(desc=f"{source} articles", unit="art", position=1, leave=True)
            self.facts = tqdm(desc=f"{source} facts", unit="fact", position=2, leave=True)

    def tick(self, bar: str, n: int = 1) -> None:
        if self.enabled and n:
            getattr(self, bar).update(n)

    def close(self) -> None:
        if self.enabled:
            for b in (self.pages, self.articles, self.facts):
                b.close()


class Crawl:
    def __init__(
        self,
        source: str,
        *,
        start: dt.date | None,
        end: dt.date | None,
        mode: str,
        lake: Path | None,
        progress: bool,
        settings: HttpSettings | None,
    ):
        self.source = source
        self.profile = load_profile(source)
        self.start, self.end, self.mode = start, end, mode
        self.lake = lake_mod.root(lake)
        self.client = HttpClient([self.profile], settings)
        self.validators = ValidatorStore(source, self.lake)
        self.landed = LandedIndex(source, self.lake)
        self.version = versioning.pipeline_version()
        # After a replay made a newer generation of this version, land there so readers see the page.
        self.partition = landing_partition(self.version, self.lake)
        self.cleaner_version = versioning.cleaner_version()
        self.extractor_version = versioning.extractor_version()
        self.extract = _load_extractor()
        self.counts: Counter[str] = Counter()
        self.quarantine_reasons: Counter[str] = Counter()
        self.seen: dict[str, str] = {}  # doc_id -> outcome in this run
        self.listings_missing: list[str] = []
        self.bars = _Bars(progress, source)

    # ---- bookkeeping ------------------------------------------------------------

    def quarantine(self, url: str, reason: str, detail: str = "", **extra: Any) -> None:
        lake_mod.quarantine(self.source, url, reason, detail, lake=self.lake, **extra)
        self.counts["quarantined"] += 1
        self.quarantine_reasons[reason] += 1

    # ---- discovery --------------------------------------------------------------

    def fetch_index(self, url: str, kind: str, conditional: bool) -> Response | None:
        """A listing page or feed; None when it could not be fetched (quarantined or missing)."""
        validators = self.validators.get(url) if conditional else None
        try:
            resp = self.client.get(url, kind=kind, validators=validators)
        except FetchError as exc:
            if exc.status == 404:
                self.listings_missing.append(url)
                self.counts[f"{kind}_missing"] += 1
            else:
                self.quarantine(
                    url, f"{kind}_{exc.reason}", exc.detail, status=exc.status, attempts=exc.attempts
                )
            return None
        self.counts[f"{kind}_pages"] += 1
        self.bars.tick("pages")
        if resp.not_modified:
            self.counts["not_modified"] += 1
            self.counts[f"{kind}_not_modified"] += 1
        return resp

    def listing_entries(
        self, ls: ListingSource, page: int, conditional: bool
    ) -> tuple[list[Entry] | None, Any, bool | None]:
        """(entries or None when unusable, the response, whether a next page is linked)."""
        url = ls.page_url(page)
        resp = self.fetch_index(url, "listing", conditional)
        if resp is None:
            return None, None, None
        if resp.not_modified:
            return [], resp, None
        try:
            entries, skipped, has_next = parse_listing(resp.text(), url, ls.listing, self.profile)
        except Exception as exc:  # a broken page must not end the run
            self.quarantine(url, "listing_unparseable", repr(exc))
            return None, None, None
        self.counts["links_not_articles"] += skipped
        for bad_url, reason in guards.unsafe_links(resp.text(), url, ls.listing.item, ls.listing.link):
            self.quarantine(bad_url, reason, f"listed on {url}; never requested")
        return entries, resp, has_next

    # ---- one article --------------------------------------------------------------

    def handle(self, entry: Entry) -> str:
        """Process one discovered entry. Returns new | changed | known | out_of_range | failed | ..."""
        if entry.doc_id in self.seen:
            return "known"
        if not in_range(entry.published, self.start, self.end):
            return "out_of_range"
        meta = self.landed.get(entry.doc_id)
        changed = False
        if meta is not None:
            listed = entry.modified.isoformat() if entry.modified else None
            if (
                listed is None
                or listed == meta.get("listing_modified")
                or listed <= (meta.get("listing_modified") or meta.get("listing_published") or "")
            ):
                self.counts["unchanged"] += 1
                self.seen[entry.doc_id] = "known"
                return "known"
            changed = True
        try:
            if not self.client.allowed(entry.url):
                self.counts["robots_disallowed"] += 1
                self.seen[entry.doc_id] = "disallowed"
                return "disallowed"
            outcome = self.fetch_article(entry, meta if changed else None)
        except FetchError as exc:
            self.quarantine(entry.url, exc.reason, exc.detail, status=exc.status, doc_id=entry.doc_id)
            outcome = "failed"
        except Exception as exc:  # one page must never end the run: file it and go on
            self.quarantine(entry.url, "internal_error", f"{type(exc).__name__}: {exc}", doc_id=entry.doc_id)
            outcome = "failed"
        self.seen[entry.doc_id] = outcome
        return "changed" if changed and outcome != "failed" else outcome

    def fetch_article(self, entry: Entry, previous: dict[str, Any] | None) -> str:
        self.counts["pages_tried"] += 1
        self.bars.tick("articles")
        validators = None
        if previous is not None:
            validators = {"etag": previous.get("etag"), "last_modified": previous.get("last_modified")}
            self.counts["refetched_changed"] += 1
        try:
            resp = self.client.get(entry.url, kind="article", validators=validators)
        except FetchError as exc:
            self.quarantine(
                entry.url,
                exc.reason,
                exc.detail,
                status=exc.status,
                attempts=exc.attempts,
                doc_id=entry.doc_id,
            )
            return "failed"
        if resp.not_modified and previous is not None:
            self.counts["not_modified"] += 1
            self.counts["article_not_modified"] += 1
            self.land_meta(entry, {**previous, "listing_modified": _iso(entry.modified)})
            return "known"
        content = resp.content
        if not content.strip():
            self.quarantine(
                entry.url, "empty_body", "the server sent no bytes", status=resp.status, doc_id=entry.doc_id
            )
            return "failed"
        if looks_binary(content):
            self.quarantine(
                entry.url,
                "not_html",
                "binary content",
                content_type=resp.content_type or "",
                size=len(content),
                doc_id=entry.doc_id,
            )
            return "failed"
        fetched_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        meta = {
            "doc_id": entry.doc_id,
            "source": self.source,
            "url": entry.url,
            "fetch_url": resp.fetch_url,
            "final_url": resp.final_url,
            "status": resp.status,
            "content_type": resp.content_type,
            "encoding": None,
            "etag": resp.etag,
            "last_modified": resp.last_modified,
            "sha256": hashlib.sha256(content).hexdigest(),
            "fetched_at": fetched_at,
            "listing_published": _iso(entry.published),
            "listing_modified": _iso(entry.modified),
            "attempts": resp.attempts,
        }
        return self.process(entry, content, meta)

    def process(self, entry: Entry, content: bytes, meta: dict[str, Any]) -> str:
        url = entry.url
        try:
            page = clean_page(content, url, self.profile, lake=self.lake, content_type=meta["content_type"])
        except CleanError as exc:
            self.quarantine(url, "not_html", str(exc), doc_id=entry.doc_id)
            return "failed"
        meta["encoding"] = page.encoding
        if page.canonical:
            # Listings spell links in many ways; the page's own canonical address is the one to keep.
            own = urljoin(url, page.canonical)
            if doc_id(own, self.profile) == entry.doc_id:
                url = canonical_url(own, self.profile.scheme)
                entry = dataclasses.replace(entry, url=url)
                meta["url"] = url
        self.counts["drift_events"] += len(page.drift)
        if page.used_fallback:
            self.counts["used_fallback"] += 1
        if len(page.body) < self.profile.min_body_chars:
            self.quarantine(
                url,
                "no_body",
                f"{len(page.body)} characters of body text",
                used_fallback=page.used_fallback,
                doc_id=entry.doc_id,
                drift=sorted(d["field"] for d in page.drift),
            )
            return "failed"
        if not on_topic(page.title or "", page.body, self.profile):
            self.counts["off_topic"] += 1
            self.land_raw(entry, content, meta)
            return "off_topic"
        bad_date = guards.date_problem(page.published)
        if bad_date:
            self.quarantine(url, bad_date[0], bad_date[1], doc_id=entry.doc_id)
            return "failed"
        facts = self.extract_facts(entry, page)
        if facts is None:
            self.land_raw(entry, content, meta)
            return "failed"
        self.land_article(entry, page, meta, facts)
        self.land_raw(entry, content, meta)
        return "landed"

    def extract_facts(self, entry: Entry, page) -> list[dict[str, Any]] | None:
        try:
            facts = self.extract(page.text, url=entry.url, title=page.title, published=page.published)
        except Exception as exc:  # the extractor promises not to raise; if it does, keep the run going
            self.quarantine(entry.url, "extract_error", repr(exc)[:2000], doc_id=entry.doc_id)
            return None
        good = []
        for i, fact in enumerate(facts or []):
            problems = validate(fact) if isinstance(fact, dict) else ["not a dict"]
            if problems:
                lake_mod.quarantine(
                    self.source,
                    f"{entry.url}#fact{i}",
                    "invalid_fact",
                    "; ".join(problems),
                    lake=self.lake,
                    doc_id=entry.doc_id,
                )
                self.counts["invalid_facts"] += 1
                continue
            good.append(fact)
        return good

    def land_article(self, entry: Entry, page, meta: dict[str, Any], facts: list[dict[str, Any]]) -> None:
        versions = {"cleaner_version": self.cleaner_version, "extractor_version": self.extractor_version}
        rows = records.fact_rows(facts, doc_id=entry.doc_id, source=self.source, url=entry.url,
                                 published=page.published, **versions)
        lake_mod.write_jsonl(lake_mod.facts_path(self.partition, self.source, entry.doc_id, self.lake), rows)
        article = records.article_record(
            doc_id=entry.doc_id, source=self.source, url=entry.url,
            subsite=subsite_of(entry.doc_id, self.profile), title=page.title, published=page.published,
            text=page.text, raw_sha256=meta["sha256"], n_facts=len(rows), fetched_at=meta["fetched_at"],
            **versions,
        )
        lake_mod.write_jsonl(
            lake_mod.article_path(self.partition, self.source, entry.doc_id, self.lake), [article]
        )
        self.counts["landed"] += 1
        self.counts["facts"] += len(rows)
        self.bars.tick("facts", len(rows))

    def land_raw(self, entry: Entry, content: bytes, meta: dict[str, Any]) -> None:
        lake_mod.land_raw(self.source, entry.doc_id, content, meta, lake=self.lake)
        self.landed.put(entry.doc_id, meta)
        self.counts["landed_raw"] += 1

    def land_meta(self, entry: Entry, meta: dict[str, Any]) -> None:
        lake_mod.write_json(lake_mod.raw_meta_path(self.source, entry.doc_id, self.lake), meta)
        self.landed.put(entry.doc_id, meta)

    # ---- walks ------------------------------------------------------------------------

    def run_feeds(self) -> None:
        for url in feed_urls(self.profile):
            resp = self.fetch_index(url, "rss", conditional=self.mode == "daily")
            if resp is None or resp.not_modified:
                continue
            try:
                entries, skipped = parse_feed(resp.content, self.profile)
            except Exception as exc:
                self.quarantine(url, "rss_unparseable", repr(exc))
                continue
            self.counts["links_not_articles"] += skipped
            for e in entries:
                self.handle(e)
            self.validators.remember(url, resp.etag, resp.last_modified)

    def run_listing_incremental(self, ls: ListingSource) -> None:
        """daily / full: page until the stop rule says the rest is known."""
        conditional = self.mode == "daily"
        page = ls.listing.first_page
        cache = PageCache(lambda p: [], ls.listing.first_page)  # only for repeat detection
        for _ in range(ls.listing.max_pages):
            entries, resp, has_next = self.listing_entries(ls, page, conditional)
            if entries is None or not entries:
                return
            sig = frozenset(e.doc_id for e in entries)
            if sig in cache._signatures:
                # The listing repeats itself past its end: stop, and say so.
                self.quarantine(
                    ls.page_url(page),
                    "listing_endless",
                    f"page {page} repeats page {cache._signatures[sig]}",
                    listing=ls.label,
                )
                return
            cache._signatures[sig] = page
            outcomes = [self.handle(e) for e in entries]
            if resp is not None:
                self.validators.remember(ls.page_url(page), resp.etag, resp.last_modified)
            dated = [e.published for e in entries if e.published]
            if self.mode == "daily" and "known" in outcomes:
                return
            if self.start is not None and dated and min(dated) < self.start:
                return
            if has_next is False:
                return
            page += 1
        else:
            self.quarantine(
                ls.page_url(page),
                "listing_cap",
                f"stopped after {ls.listing.max_pages} pages",
                listing=ls.label,
            )

    def run_listing_backfill(self, ls: ListingSource) -> None:
        def fetch(p: int) -> tuple[list[Entry], bool | None]:
            entries, _, has_next = self.listing_entries(ls, p, conditional=False)
            return entries or [], has_next

        cache = PageCache(fetch, ls.listing.first_page)
        pages = find_range_pages(cache, self.start, self.end, ls.listing.max_pages)
        self.counts["backfill_range_pages"] += len(pages)
        for p in pages:
            for e in cache.get(p):
                self.handle(e)

    def run(self) -> dict[str, Any]:
        t0 = time.monotonic()
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        run_id = f"{self.source}-{self.mode}-{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
        self.counts["temp_files_swept"] += guards.sweep_temp_files(self.lake)   # left by killed runs
        try:
            if self.mode in ("daily", "full"):
                self.run_feeds()
            for ls in listing_sources(self.profile):
                if self.mode == "backfill":
                    self.run_listing_backfill(ls)
                else:
                    self.run_listing_incremental(ls)
        finally:
            self.bars.close()
            self.client.close()
        # Also when this run landed nothing new: a run killed before its manifest left articles behind.
        # An existing manifest is never rewritten: replay owns the ones it publishes (docs/replay.md).
        manifest = lake_mod.version_manifest_path(self.partition, self.lake)
        if not manifest.exists() and (
            self.counts["landed"] or (self.lake / "articles" / f"version={self.partition}").is_dir()
        ):
            lake_mod.write_json(manifest, {
                "version": self.version,
                "partition": self.partition,
                "cleaner_version": self.cleaner_version,
                "extractor_version": self.extractor_version,
                "created_at": started.isoformat().replace("+00:00", "Z"),
                "complete": True,
            })
        stats = self.client.stats
        summary = {
            "run_id": run_id,
            "kind": "crawl",
            "source": self.source,
            "mode": self.mode,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "version": self.version,
            "started_at": started.isoformat().replace("+00:00", "Z"),
            "duration_s": round(time.monotonic() - t0, 3),
            "pages_tried": self.counts["pages_tried"],
            "landed": self.counts["landed"],
            "landed_raw": self.counts["landed_raw"],
            "skipped_off_topic": self.counts["off_topic"],
            "quarantined": self.counts["quarantined"],
            "quarantine_reasons": dict(self.quarantine_reasons),
            "retried": stats["retries"],
            "facts": self.counts["facts"],
            "unchanged_skipped": self.counts["unchanged"],
            "refetched_changed": self.counts["refetched_changed"],
            "robots_disallowed": self.counts["robots_disallowed"],
            "not_modified": self.counts["not_modified"],
            "drift_events": self.counts["drift_events"],
            "used_fallback": self.counts["used_fallback"],
            "listing_pages": self.counts["listing_pages"],
            "rss_fetches": self.counts["rss_pages"],
            "listings_missing": len(self.listings_missing),
            "requests": {
                k.removeprefix("requests_"): v for k, v in sorted(stats.items()) if k.startswith("requests_")
            },
            "requests_total": stats["requests"],
            "statuses": {
                k.removeprefix("status_"): v for k, v in sorted(stats.items()) if k.startswith("status_")
            },
            "slept_s": round(self.client.slept, 3),
        }
        lake_mod.write_json(lake_mod.run_path("crawl", run_id, self.lake), summary)
        return summary


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def crawl(
    source: str,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    mode: str = "daily",
    lake: Path | str | None = None,
    progress: bool = False,
    settings: HttpSettings | None = None,
) -> dict[str, Any]:
    """Crawl one source into the lake and return the run summary (also in runs/crawl/<run_id>.json)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    start_d, end_d = parse_iso(start), parse_iso(end)
    if mode == "backfill" and (start_d is None or end_d is None):
        raise ValueError("backfill needs both start and end")
    if start_d and end_d and start_d > end_d:
        raise ValueError(f"start {start_d} is after end {end_d}")
    return Crawl(
        source,
        start=start_d,
        end=end_d,
        mode=mode,
        lake=Path(lake) if lake else None,
        progress=progress,
        settings=settings,
    ).run()
