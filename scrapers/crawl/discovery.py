"""Reading listing pages and RSS feeds into entries (article URL, key, dates).

Which elements hold what comes from the profile's ``discovery`` section; a
value written ``"selector@attr"`` reads an attribute instead of the text.
Links are resolved against the page's real-site URL, never the mirror URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from lxml import etree

from scrapers.clean.dates import find_date
from scrapers.crawl.keys import canonical_url, doc_id
from scrapers.sites import Feed, Listing, Profile

VN_TZ = dt.timezone(dt.timedelta(hours=7))
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    url: str  # canonical real-site URL
    doc_id: str
    published: dt.date | None
    modified: dt.date | None
    title: str | None = None


@dataclass(frozen=True)
class ListingSource:
    """One concrete paginated listing (a listing template bound to a subsite)."""

    listing: Listing
    subsite: str | None

    @property
    def label(self) -> str:
        return self.listing.name + (f"/{self.subsite}" if self.subsite else "")

    def page_url(self, page: int) -> str:
        fields = {"page": page}
        if self.subsite is not None:
            fields["subsite"] = self.subsite
        if page == self.listing.first_page and self.listing.first_url:
            return self.listing.first_url.format(**fields)
        return self.listing.url.format(**fields)


def listing_sources(profile: Profile) -> list[ListingSource]:
    out = []
    for lst in profile.listings:
        if lst.per_subsite:
            out.extend(ListingSource(lst, s) for s in profile.subsites)
        else:
            out.append(ListingSource(lst, None))
    return out


def feed_urls(profile: Profile) -> list[str]:
    out = []
    for fd in profile.feeds:
        out.extend(fd.url.format(subsite=s) for s in profile.subsites) if fd.per_subsite else out.append(
            fd.url
        )
    return out


def _value(node, spec: str | None) -> str | None:
    if not spec or node is None:
        return None
    sel, _, attr = spec.partition("@")
    el = node.select_one(sel) if sel else node
    if el is None:
        return None
    return el.get(attr) if attr else el.get_text(" ", strip=True)


def parse_listing(
    html: str, page_url: str, listing: Listing, profile: Profile
) -> tuple[list[Entry], int, bool | None]:
    """Entries of one listing page in page order, the number of links that are not articles, and
    whether the pager links a next page (None when the profile names no pager)."""
    soup = BeautifulSoup(html, "lxml")
    has_next = None if not listing.next else soup.select_one(listing.next) is not None
    entries, skipped, seen = [], 0, set()
    for item in soup.select(listing.item):
        link = item.select_one(listing.link)
        href = link.get("href") if link is not None else None
        if not href:
            skipped += 1
            continue
        url = urljoin(page_url, href.strip())
        key = doc_id(url, profile)
        if key is None:
            skipped += 1
            continue
        if key in seen:
            continue
        seen.add(key)
        entries.append(
            Entry(
                url=canonical_url(url, profile.scheme),
                doc_id=key,
                published=find_date(_value(item, listing.date), profile.date_patterns),
                modified=find_date(_value(item, listing.modified), profile.date_patterns),
                title=link.get_text(" ", strip=True) or None,
            )
        )
    return entries, skipped, has_next


def _rss_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    text = text.strip()
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is not None:
        when = when.astimezone(VN_TZ)  # pages show Vietnam local dates
    return when.date()


def parse_feed(data: bytes, profile: Profile) -> tuple[list[Entry], int]:
    """Entries of an RSS 2.0 feed (or Atom), newest first as the feed lists them."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("not an XML feed")
    entries, skipped, seen = [], 0, set()
    items = root.iter("item", f"{{{ATOM_NS}}}entry")
    for item in items:
        link = item.findtext("link")
        if not link:
            atom_link = item.find(f"{{{ATOM_NS}}}link")
            link = atom_link.get("href") if atom_link is not None else None
        if not link:
            link = item.findtext("guid")
        key = doc_id(link.strip(), profile) if link else None
        if key is None:
            skipped += 1
            continue
        if key in seen:
            continue
        seen.add(key)
        published = _rss_date(item.findtext("pubDate") or item.findtext(f"{{{ATOM_NS}}}published"))
        modified = _rss_date(item.findtext(f"{{{ATOM_NS}}}updated"))
        entries.append(
            Entry(
                url=canonical_url(link.strip(), profile.scheme),
                doc_id=key,
                published=published,
                modified=modified if modified and modified != published else None,
                title=(item.findtext("title") or "").strip() or None,
            )
        )
    return entries, skipped


def in_range(d: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if d is None:
        return True  # undated entry: fetch it and let the page tell
    return (start is None or d >= start) and (end is None or d <= end)


__all__ = [
    "Entry",
    "Feed",
    "ListingSource",
    "feed_urls",
    "in_range",
    "listing_sources",
    "parse_feed",
    "parse_listing",
]
