"""The statistics behind the generated articles: a deterministic function of scope, domain, category, period.

Because the figures depend only on that key, two articles about the same period agree, and a change
"so với cùng kỳ năm Y" is exactly the difference to the same period a year earlier.
Identities that hold for every cumulative period: total = carried_over + new = enforceable + unenforceable,
remaining = total - completed, completion_rate = round(100 * completed / enforceable, 2).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from scrapers.mirror.periods import Period

# Yearly caseload (cases, money in triệu đồng) of a scope at stat year 2020.
NATIONAL_BASE = (820_000, 330_000_000)
PROVINCE_WEIGHT = {
    "Hà Nội": 0.075, "Hồ Chí Minh": 0.09, "Đà Nẵng": 0.014, "Bến Tre": 0.016, "Vĩnh Phúc": 0.009,
    "Thanh Hóa": 0.022, "Hải Phòng": 0.02, "Cần Thơ": 0.013, "Nghệ An": 0.021, "Quảng Ninh": 0.012,
    "Đồng Nai": 0.03, "Lâm Đồng": 0.014,
}
CATEGORY_SHARE = {  # (share of cases, share of money)
    "all": (1.0, 1.0),
    "credit_banking": (0.035, 0.32),
    "corruption_economic": (0.004, 0.22),
    "state_budget": (0.28, 0.06),
}


def _u(*key: object) -> float:
    """A uniform number in [0, 1) fixed by the key."""
    h = hashlib.sha256(repr(key).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def _scale(scope_level: str, scope_name: str | None) -> float:
    if scope_level == "national":
        return 1.0
    province = (scope_name or "").split(" / ")[0]
    w = PROVINCE_WEIGHT.get(province, 0.01)
    if scope_level == "district":
        return w * (0.12 + 0.1 * _u("district", scope_name))
    return w


@dataclass(frozen=True)
class Figures:
    carried_over: int
    new: int
    total: int
    enforceable: int
    unenforceable: int
    completed: int
    remaining: int
    rate: float


def _annual(scope_level: str, scope_name: str | None, category: str, stat_year: int, basis: str):
    cases, money = NATIONAL_BASE
    base = cases if basis == "cases" else money
    share = CATEGORY_SHARE[category][0 if basis == "cases" else 1]
    years = stat_year - 2020
    growth = (1.045 if basis == "cases" else 1.11) ** years
    noise = 1 + 0.06 * (_u("y", scope_level, scope_name, category, stat_year, basis) - 0.5)
    size = base * share * _scale(scope_level, scope_name) * growth * noise
    carried_share = 0.36 + 0.08 * _u("c", scope_level, scope_name, category, stat_year, basis)
    return size * carried_share, size * (1 - carried_share)


@cache
def figures(scope_level: str, scope_name: str | None, category: str, period: Period, basis: str) -> Figures:
    """Figures in cases, or in đồng (whole triệu) for basis 'money'."""
    key = (scope_level, scope_name, category, period.stat_year, basis)
    carried_f, new_year = _annual(scope_level, scope_name, category, period.stat_year, basis)
    unit = 1 if basis == "cases" else 1_000_000

    def new_upto(n: int) -> int:
        if n == 0:
            return 0
        wobble = 1 + 0.03 * (_u("n", key, n) - 0.5)
        return max(1, round(new_year * n / 12 * wobble))

    def completed_share(n: int) -> float:
        top = 0.82 if basis == "cases" else 0.38
        return top * (n / 12) ** 0.75 * (0.96 + 0.06 * _u("r", key, n))

    enf_share = (0.7 if basis == "cases" else 0.55) + 0.1 * _u("e", key)
    if period.cumulative:
        n = period.months
        carried = max(1, round(carried_f))
        new = new_upto(n)
    else:
        # A quarter: the new cases of its three months; the backlog is what the previous months left.
        n_end = 3 * period.quarter
        n_start = n_end - 3
        new = max(1, new_upto(n_end) - new_upto(n_start))
        carried = max(1, round(carried_f + 0.5 * new_upto(n_start)))
        n = 3
    total = carried + new
    enforceable = max(1, round(total * enf_share))
    completed = max(1, round(enforceable * completed_share(n)))
    rate = round(100 * completed / enforceable, 2)
    return Figures(carried * unit, new * unit, total * unit, enforceable * unit,
                   (total - enforceable) * unit, completed * unit, (total - completed) * unit, rate)


def admin_figures(scope_level: str, scope_name: str | None, stat_year: int) -> tuple[int, int]:
    """THAHC: (judgments tracked, judgments completed) in a stat year."""
    tracked = max(3, round(900 * _scale(scope_level, scope_name) * 2.2 * (1 + 0.3 * _u("a", scope_name, stat_year))))
    if scope_level == "national":
        tracked = round(1100 * (1.04 ** (stat_year - 2020)) * (1 + 0.1 * _u("a", stat_year)))
    completed = max(1, round(tracked * (0.35 + 0.3 * _u("ac", scope_name, stat_year))))
    return tracked, completed


def staff(scope_level: str, scope_name: str | None, stat_year: int) -> int:
    if scope_level == "national":
        return 9_100 + round(200 * _u("s", stat_year))
    return max(20, round(9_000 * _scale(scope_level, scope_name) * (0.95 + 0.1 * _u("s", scope_name, stat_year))))
