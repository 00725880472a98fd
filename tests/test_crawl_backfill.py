"""The backfill page search on synthetic listings: correct pages, logarithmic probes."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.crawl.backfill import PageCache, find_range_pages
from scrapers.crawl.discovery import Entry

D0 = dt.date(2010, 1, 1)


def listing(n_items: int, per_day: float = 3.0, page_size: int = 20, endless: bool = False):
    """Newest first, ``per_day`` articles a day ending at D0 + n_items/per_day."""
    dates = sorted((D0 + dt.timedelta(days=int(i / per_day)) for i in range(n_items)), reverse=True)
    entries = [
        Entry(url=f"https://x/{i}", doc_id=f"x/{i}", published=d, modified=None) for i, d in enumerate(dates)
    ]
    calls = []

    def fetch(page: int):
        calls.append(page)
        chunk = entries[(page - 1) * page_size : page * page_size]
        if not chunk and endless and entries:
            last = math.ceil(len(entries) / page_size)
            chunk = entries[(last - 1) * page_size : last * page_size]
        return chunk

    return entries, fetch, calls


def expected_pages(entries, start, end, page_size=20):
    return sorted({i // page_size + 1 for i, e in enumerate(entries) if start <= e.published <= end})


def test_one_year_in_a_thousand_pages_is_logarithmic():
    entries, fetch, calls = listing(20_000, per_day=3)  # 1000 pages, ~18 years
    start, end = dt.date(2015, 10, 1), dt.date(2016, 9, 30)
    pages = find_range_pages(PageCache(fetch), start, end, max_pages=5000)
    assert pages == expected_pages(entries, start, end)
    probes = set(calls) - set(pages)
    assert len(probes) <= 3 * math.ceil(math.log2(1000)) + 2
    assert len(calls) == len(set(calls))  # the cache never asks twice
    assert len(calls) < 1000 / 10


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 3000),
    per_day=st.sampled_from([0.3, 1.0, 4.0, 25.0]),
    a=st.integers(-30, 1200),
    span=st.integers(0, 400),
    endless=st.booleans(),
)
def test_pages_found_are_exactly_the_pages_holding_the_range(n, per_day, a, span, endless):
    entries, fetch, calls = listing(n, per_day=per_day, endless=endless)
    start = D0 + dt.timedelta(days=a)
    end = start + dt.timedelta(days=span)
    pages = find_range_pages(PageCache(fetch), start, end, max_pages=10_000)
    want = expected_pages(entries, start, end)
    assert set(want) <= set(pages)
    # Any extra page straddles the range (newer entries on it and older ones), so it had to be read.
    real_pages = math.ceil(n / 20)
    for p in set(pages) - set(want):
        if p > real_pages:
            assert endless  # a listing that repeats its last page can cost a few extra reads
            continue
        ds = [e.published for e in entries[(p - 1) * 20 : p * 20]]
        assert max(ds) > end and min(ds) < start
    assert pages == list(range(pages[0], pages[-1] + 1)) if pages else True
    n_pages = max(1, math.ceil(n / 20))
    assert len(set(calls) - set(pages)) <= 3 * math.ceil(math.log2(n_pages + 1)) + 4


def test_max_pages_bounds_the_search():
    entries, fetch, calls = listing(100_000, per_day=50)
    pages = find_range_pages(PageCache(fetch), dt.date(2009, 1, 1), dt.date(2009, 2, 1), max_pages=64)
    assert pages == [] and max(calls) <= 64
