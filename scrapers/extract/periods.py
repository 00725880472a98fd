"""Reporting periods: the THADS statistical year runs 1 October .. 30 September.

``find_periods(low, default_year)`` returns every period expression with its
span, ISO start/end and the label as written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WORDNUM = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
           "mười": 10, "mười một": 11, "mười hai": 12}


@dataclass
class Period:
    start: int
    end: int
    period_start: str
    period_end: str
    label: str
    multi_year: bool = False


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def stat_year(y: int) -> tuple[date, date]:
    return date(y - 1, 10, 1), date(y, 9, 30)


def first_months(y: int, n: int) -> tuple[date, date]:
    start = date(y - 1, 10, 1)
    m = 10 + n - 1
    yy = y - 1 + (m - 1) // 12
    mm = (m - 1) % 12 + 1
    return start, month_end(yy, mm)


def quarter(y: int, q: int) -> tuple[date, date]:
    if q == 1:
        return date(y - 1, 10, 1), date(y - 1, 12, 31)
    m0 = 1 + (q - 2) * 3
    return date(y, m0, 1), month_end(y, m0 + 2)


def year_start_of(d: date) -> date:
    return date(d.year if d.month >= 10 else d.year - 1, 10, 1)


_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_YEAR = r"(?:năm\s*)?(\d{4}|\d{2})"
_N = r"(\d{1,2}|" + "|".join(sorted(WORDNUM, key=len, reverse=True)) + r")"
_PATTERNS = [
    ("range", re.compile(r"(?:từ|tính từ)\s+(?:ngày\s+)?" + _DATE + r"\s*(?:đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?"
                         + _DATE)),
    ("until", re.compile(r"(?:tính\s+(?:đến|tới)\s+(?:hết\s+)?|(?:đến|tới)\s+hết\s+)(?:ngày\s+)?" + _DATE)),
    ("until_noyear", re.compile(r"(?:tính\s+(?:đến|tới)\s+(?:hết\s+)?|(?:đến|tới)\s+hết\s+)(?:ngày\s+)?"
                                r"(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")),
    ("until_month", re.compile(r"(?:tính\s+)(?:đến|tới)\s+(?:hết\s+)?tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})")),
    ("months", re.compile(r"(?<!\w)(?=[\dmhbsnct])" + _N + r"\s+tháng\s+(?:đầu\s+)?năm(?:\s+(?:công tác\s+)?(\d{4}))?(?!\s*(?:tới|sau|trước|nay))")),
    ("quarter", re.compile(r"quý\s+(iv|iii|ii|i|[1-4])(?!\w)(?:\s*(?:/|năm|-)\s*(\d{4}))?")),
    ("term", re.compile(r"(?<!\w)(?=[ngđ\d])(?:nhiệm kỳ|giai đoạn|(?:\d+|năm)\s+năm)\s*\(?\s*(\d{4})\s*[-–]\s*(\d{4})")),
    ("month", re.compile(r"(?<!\d\s)(?<!ngày\s)tháng\s+(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})")),
    ("ytd", re.compile(r"(?:từ|kể từ)\s+đầu\s+năm(?:\s+(\d{4})|\s+nay)?\s+(?:đến|tới)\s+nay")),
    # "6 tháng, ngành ..." at the head of a clause: the first months of the year
    ("months_bare", re.compile(r"(?<![\w/])(?=[\dmhbsnct])" + _N + r"\s+tháng(?=\s*[,:])")),
    # "năm 2018 chuyển sang" is where a backlog comes from, not the period
    ("year", re.compile(r"năm\s+(?:công tác\s+)?(\d{4})(?!\s*[-–]\s*\d)(?!\s+chuyển\s+(?:sang|qua))")),
    # "năm nay": the statistical year named by the publication year (as "năm <Y>" would be)
    ("this_year", re.compile(r"(?<!\w)năm\s+nay(?!\w)")),
]
# A word every match of a pattern contains.
_ANCHORS = {"range": ("từ",), "until": ("đến", "tới"), "until_noyear": ("đến", "tới"),
            "until_month": ("tháng",), "months": ("tháng",), "quarter": ("quý",), "term": ("năm", "kỳ", "đoạn"),
            "month": ("tháng",), "ytd": ("đầu năm",), "months_bare": ("tháng",), "year": ("năm",),
            "this_year": ("năm nay",)}
# Words before a year that make it a comparison or a date, not a reporting period.
_NOT_PERIOD = re.compile(r"(?:so với|cùng kỳ|kỷ niệm|từ|vào|lần thứ|khóa|đến|ngày \d+ tháng \d+|trước|sau|"
                         r"chuyển sang|chuyển qua|tháng cuối|cuối)\s*$")


def find_periods(low: str, default_year: int | None, norm: str | None = None,
                 published: str | None = None) -> list[Period]:
    """Period expressions of ``low`` (lower-cased text); labels are cut from ``norm`` when given."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        if not any(a in low for a in _ANCHORS[kind]):
            continue    # cheap: most texts lack most period words
        for m in rx.finditer(low):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            p = _make(kind, m, low, default_year, published)
            if p is None:
                continue
            if norm is not None:
                p.label = norm[m.start():m.end()].strip()
            found.append(p)
            taken.append((m.start(), m.end()))
    found.sort(key=lambda p: p.start)
    return found


def _year(s: str | None, default_year: int | None) -> int | None:
    if not s:
        return default_year
    y = int(s)
    return y + 2000 if y < 100 else y


def _d(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _make(kind: str, m: re.Match, low: str, default_year: int | None, published: str | None = None
          ) -> Period | None:
    before = low[max(0, m.start() - 25):m.start()]
    label = m.group(0).strip()
    if kind == "range":
        a, b = _d(*m.group(1, 2, 3)), _d(*m.group(4, 5, 6))
        if not a or not b or b < a:
            return None
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "until":
        b = _d(*m.group(1, 2, 3))
        if not b:
            return None
        return Period(m.start(), m.end(), year_start_of(b).isoformat(), b.isoformat(), label)
    if kind == "until_noyear":
        if default_year is None:
            return None
        b = _d(m.group(1), m.group(2), str(default_year))
        if b and published and b.isoformat() > published[:10]:
            b = _d(m.group(1), m.group(2), str(default_year - 1))
        if not b:
            return None
        return Period(m.start(), m.end(), year_start_of(b).isoformat(), b.isoformat(), label)
    if kind == "until_month":
        mo, y = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            return None
        b = month_end(y, mo)
        return Period(m.start(), m.end(), year_start_of(b).isoformat(), b.isoformat(), label)
    if kind == "months":
        n = m.group(1)
        n = int(n) if n.isdigit() else WORDNUM[n]
        y = _year(m.group(2), default_year)
        if not 1 <= n <= 12 or y is None or _NOT_PERIOD.search(before):
            return None
        a, b = first_months(y, n)
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "months_bare":
        n = m.group(1)
        n = int(n) if n.isdigit() else WORDNUM[n]
        if n not in (3, 4, 5, 6, 7, 8, 9, 10, 11, 12) or default_year is None or _NOT_PERIOD.search(before):
            return None
        a, b = first_months(default_year, n)
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "ytd":
        y = _year(m.group(1), default_year)
        if y is None:
            return None
        a, b = stat_year(y)
        if published:
            end = date.fromisoformat(published[:10]).replace(day=1) - timedelta(days=1)
            if a <= end < b:
                b = end
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "quarter":
        y = _year(m.group(2), default_year)
        if y is None or _NOT_PERIOD.search(before):
            return None
        a, b = quarter(y, ROMAN[m.group(1)])
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "term":
        y1, y2 = int(m.group(1)), int(m.group(2))
        if not 1990 < y1 < y2 <= y1 + 10:
            return None
        return Period(m.start(), m.end(), date(y1 - 1, 10, 1).isoformat(), date(y2, 9, 30).isoformat(), label,
                      multi_year=True)
    if kind == "month":
        mo, y = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12 or _NOT_PERIOD.search(before):
            return None
        return Period(m.start(), m.end(), date(y, mo, 1).isoformat(), month_end(y, mo).isoformat(), label)
    if kind == "this_year":
        y = int(published[:4]) if published else default_year
        if y is None or _NOT_PERIOD.search(before):
            return None
        a, b = stat_year(y)
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    if kind == "year":
        y = int(m.group(1))
        if not 1990 < y < 2100 or _NOT_PERIOD.search(before):
            return None
        a, b = stat_year(y)
        return Period(m.start(), m.end(), a.isoformat(), b.isoformat(), label)
    return None
