"""Find the listing pages that cover a date range with O(log pages) requests.

A listing is sorted newest first, so for a range [start, end] two predicates
over the page number are monotone:

    older(p)   page p is empty (past the end) or its newest entry is before start
    reached(p) page p is empty or its oldest entry is on or before end

An exponential probe (pages 1, 2, 3, 5, 9, 17, ...) finds a page where
``older`` holds; two binary searches then find the last page that is not older
and the first page that has reached ``end``. The pages in between hold the
range. A page whose entries repeat an earlier page's (a listing that loops past
its end) counts as empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from scrapers.crawl.discovery import Entry


class PageCache:
    def __init__(self, fetch: Callable[[int], Sequence[Entry]], first_page: int = 1):
        self.fetch, self.first_page = fetch, first_page
        self.pages: dict[int, list[Entry]] = {}
        self._signatures: dict[frozenset[str], int] = {}

    def get(self, page: int) -> list[Entry]:
        if page not in self.pages:
            entries = list(self.fetch(page))
            sig = frozenset(e.doc_id for e in entries)
            if entries and sig in self._signatures and self._signatures[sig] != page:
                entries = []          # a repeat of another page: we are past the end
            elif entries:
                self._signatures[sig] = page
            self.pages[page] = entries
        return self.pages[page]


def _dates(entries: Sequence[Entry]) -> list[dt.date]:
    return [e.published for e in entries if e.published is not None]


def find_range_pages(cache: PageCache, start: dt.date, end: dt.date, max_pages: int) -> list[int]:
    first = cache.first_page
    last_allowed = first + max_pages - 1

    def older(p: int) -> bool:
        entries = cache.get(p)
        ds = _dates(entries)
        return not entries or (bool(ds) and max(ds) < start)

    def reached(p: int) -> bool:
        entries = cache.get(p)
        ds = _dates(entries)
        return not entries or (bool(ds) and min(ds) <= end)

    if older(first):
        return []
    lo, step, hi = first, 1, None           # older(lo) is False
    while hi is None:
        p = min(first + step, last_allowed)
        if older(p):
            hi = p
        elif p == last_allowed:
            hi = p + 1                       # cap: treat the page after the bound as the end
        else:
            lo, step = p, step * 2
    while hi - lo > 1:                       # last page that is not older
        mid = (lo + hi) // 2
        if mid <= last_allowed and older(mid):
            hi = mid
        else:
            lo = mid
    last = lo
    if not reached(last):
        return []                            # everything down to `last` is newer than end
    # First page that reached end; pages already read narrow the interval for free.
    lo = max([p for p in cache.pages if p < last and not reached(p)], default=first - 1)
    hi = min([p for p in cache.pages if lo < p <= last and reached(p)], default=last)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if reached(mid):
            hi = mid
        else:
            lo = mid
    return list(range(hi, last + 1))
