"""Find the listing pages that cover a date range with O(log pages) requests.

A listing is sorted newest first, so for a range [start, end] two predicates
over the page number are monotone:

    older(p)   page p is empty (past the end) or its newest entry is before start
    reached(p) page p is empty or its oldest entry is on or before end

Page 1's date span gives a first guess of where ``start`` and ``end`` fall;
from each guess the search gallops (steps 1, 2, 4, ...) and then bisects, to
find the last page that is not older and the first page that has reached
``end``. The pages in between hold the range. Requests: O(log pages) in the
worst case, a handful when the listing's pace is steady. A page whose entries
repeat an earlier page's (a listing that loops past its end) counts as empty,
and a page without a "next" link ends the listing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from scrapers.crawl.discovery import Entry


class PageCache:
    """Listing pages read so far. ``fetch(page)`` returns the entries, or (entries, has_next) when the
    listing has a pager: a page without a "next" link is the last one, so later pages are known empty
    without asking."""

    def __init__(
        self,
        fetch: Callable[[int], Sequence[Entry] | tuple[Sequence[Entry], bool | None]],
        first_page: int = 1,
    ):
        self.fetch, self.first_page = fetch, first_page
        self.pages: dict[int, list[Entry]] = {}
        self._signatures: dict[frozenset[str], int] = {}
        self.last_page: int | None = None

    def get(self, page: int) -> list[Entry]:
        if self.last_page is not None and page > self.last_page:
            return []
        if page not in self.pages:
            got = self.fetch(page)
            has_next = None
            if isinstance(got, tuple):
                got, has_next = got
            entries = list(got)
            if has_next is False and entries:
                self.last_page = page if self.last_page is None else min(self.last_page, page)
            sig = frozenset(e.doc_id for e in entries)
            owner = self._signatures.get(sig) if entries else None
            if owner is not None and owner < page:
                entries = []  # a repeat of an earlier page: we are past the end
            elif entries:
                if owner is not None:
                    self.pages[owner] = []  # the page seen first was the repeat
                self._signatures[sig] = page
            self.pages[page] = entries
        return self.pages[page]


def _dates(entries: Sequence[Entry]) -> list[dt.date]:
    return [e.published for e in entries if e.published is not None]


def first_true(pred: Callable[[int], bool], lo: int, hi: int, guess: int | None) -> int:
    """The first page where a monotone ``pred`` holds, given pred(lo) False and pred(hi) True (either
    may be a virtual bound never asked). A guess is probed first, then we gallop (steps 1, 2, 4, ...)
    towards the answer and bisect: about 2*log2(distance from the guess) probes, never more than
    about 2*log2(hi - lo)."""
    if guess is not None and hi - lo > 1:
        g = min(max(guess, lo + 1), hi - 1)
        step = 1
        if pred(g):
            hi = g
            while hi - step > lo:
                q = hi - step
                if not pred(q):
                    lo = q
                    break
                hi, step = q, step * 2
        else:
            lo = g
            while lo + step < hi:
                q = lo + step
                if pred(q):
                    hi = q
                    break
                lo, step = q, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return hi


def find_range_pages(cache: PageCache, start: dt.date, end: dt.date, max_pages: int) -> list[int]:
    first = cache.first_page
    last_allowed = first + max_pages - 1

    def older(p: int) -> bool:
        if p > last_allowed:
            return True  # the bound: treat pages past it as the end
        entries = cache.get(p)
        ds = _dates(entries)
        return not entries or (bool(ds) and max(ds) < start)

    def reached(p: int) -> bool:
        entries = cache.get(p)
        ds = _dates(entries)
        return not entries or (bool(ds) and min(ds) <= end)

    if older(first):
        return []
    # Page 1's date span gives the listing's pace: guess where start and end fall, then search.
    ds = _dates(cache.get(first))
    span = (max(ds) - min(ds)).days if len(ds) > 1 else 0
    guess_older = guess_reached = None
    if span > 0:
        guess_older = first + 1 + int((max(ds) - start).days / span)
        guess_reached = first + int((max(ds) - end).days / span)
    last = first_true(older, first, last_allowed + 1, guess_older or first + 1) - 1
    if not reached(last):
        return []  # everything down to `last` is newer than end
    # Pages already read narrow the interval for free.
    lo = max([p for p in cache.pages if p < last and not reached(p)], default=first - 1)
    hi = min([p for p in cache.pages if lo < p <= last and reached(p)], default=last)
    hi = first_true(reached, lo, hi, guess_reached)
    # A repeat page read before its original may have stretched the range: trim it.
    while last >= hi and not cache.pages.get(last, [None]):
        last -= 1
    return list(range(hi, last + 1))
