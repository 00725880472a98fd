"""Dates as pages write them (``26/04/2021``, ``Thứ hai, 26/4/2021 10:15``, ISO stamps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from re import Pattern

MIN_YEAR, MAX_YEAR = 1990, 2100


def find_date(text: str | None, patterns: Iterable[Pattern[str]]) -> dt.date | None:
    """The first valid date any pattern finds in ``text`` (patterns tried in order)."""
    if not text:
        return None
    for pat in patterns:
        for m in pat.finditer(text):
            try:
                d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            if MIN_YEAR <= d.year <= MAX_YEAR:
                return d
    return None


def parse_iso(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
