"""Reporting periods in the THADS statistical year (1 October .. 30 September), as the spec defines them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from scrapers.mirror.vntext import ROMAN, fmt_date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_end(stat_year: int, n: int) -> date:
    """Last day of the n-th month of statistical year ``stat_year`` (month 1 = October of the year before)."""
    m0 = 10 + n - 1
    year, month = (stat_year - 1, m0) if m0 <= 12 else (stat_year, m0 - 12)
    return month_end(year, month)


@dataclass(frozen=True)
class Period:
    """A cumulative span of ``months`` months from 1 October, or one quarter (``quarter`` set)."""

    stat_year: int
    months: int = 12
    quarter: int | None = None
    style: str = "plain"   # plain | padded | asof | range (how the label is written)

    @property
    def start(self) -> date:
        if self.quarter:
            first = 3 * (self.quarter - 1) + 1
            m0 = 10 + first - 1
            return date(self.stat_year - 1, m0, 1) if m0 <= 12 else date(self.stat_year, m0 - 12, 1)
        return date(self.stat_year - 1, 10, 1)

    @property
    def end(self) -> date:
        if self.quarter:
            return months_end(self.stat_year, 3 * self.quarter)
        return months_end(self.stat_year, self.months)

    @property
    def cumulative(self) -> bool:
        return self.quarter is None

    def previous_year(self) -> Period:
        return Period(self.stat_year - 1, self.months, self.quarter, self.style)

    @property
    def label(self) -> str:
        """The period as the text writes it (this string appears verbatim in the article)."""
        y = self.stat_year
        if self.quarter:
            return f"quý {ROMAN[self.quarter]} năm {y}"
        if self.style == "asof":
            return f"tính đến ngày {fmt_date(self.end, short=True)}"
        if self.style == "range":
            return f"từ ngày {fmt_date(self.start, short=True)} đến ngày {fmt_date(self.end, short=True)}"
        if self.months == 12:
            return f"năm {y}"
        n = f"{self.months:02d}" if self.style == "padded" else str(self.months)
        return f"{n} tháng đầu năm {y}"

    @property
    def title_label(self) -> str:
        if self.style in ("asof", "range") and self.months != 12:
            return f"{self.months} tháng đầu năm {self.stat_year}"
        return self.label
