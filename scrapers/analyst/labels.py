"""Names, period labels, number formats and file-name slugs for the report and status."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Used when the warehouse has no dim_metric (or a metric is missing from it).
METRIC_NAMES = {
    "total": ("Tổng số phải thi hành", "Total caseload"),
    "carried_over": ("Năm trước chuyển sang", "Carried over"),
    "new": ("Thụ lý mới", "New"),
    "enforceable": ("Có điều kiện thi hành", "Enforceable"),
    "unenforceable": ("Chưa có điều kiện thi hành", "Not yet enforceable"),
    "completed": ("Thi hành xong", "Completed"),
    "completion_rate": ("Tỷ lệ thi hành xong", "Completion rate"),
    "remaining": ("Chuyển kỳ sau", "Remaining"),
    "target_rate": ("Chỉ tiêu", "Target rate"),
    "staff": ("Biên chế", "Staff"),
    "cases_per_enforcer": ("Bình quân mỗi Chấp hành viên", "Per enforcement officer"),
    "tracked": ("Bản án đang theo dõi", "Judgments tracked"),
}
UNIT_NAMES = {"cases": "cases (việc)", "vnd": "billion VND (tỷ đồng)", "percent": "%",
              "judgments": "judgments", "persons": "persons"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def slug(name: str) -> str:
    """ASCII file name for a place: 'Hồ Chí Minh' -> 'ho-chi-minh'."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period_label(start: dt.date | None, end: dt.date | None, kind: str | None, stat_year: int | None) -> str:
    """A short label in the statistical-year convention of the spec (year = Oct..Sep)."""
    if start is None or end is None:
        return "?"
    year = stat_year or end.year
    n = months_between(start, end)
    if kind == "year" or (start.month == 10 and start.day == 1 and n == 12):
        return f"năm {year}"
    if kind == "quarter" or n == 3:
        q = ((start.month - 10) % 12) // 3 + 1
        return f"quý {ROMAN.get(q, q)}/{year}"
    if start.month == 10 and start.day == 1:
        return f"{n} tháng/{year}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def metric_name(metric: str, names: dict[str, tuple[str, str]] | None = None) -> str:
    vi, en = (names or {}).get(metric) or METRIC_NAMES.get(metric, (metric, metric))
    return f"{en} ({vi})" if vi and vi != en else en


def series_name(metric: str, unit: str, basis: str | None, names=None) -> str:
    name = metric_name(metric, names)
    if basis:
        name += " – by money" if basis == "money" else " – by cases"
    return name


def fmt_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "vnd":
        return f"{value / 1e9:,.1f} tỷ đ"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def fmt_change(value: float | None, unit: str | None, pct: float | None = None) -> str:
    if value is None and pct is None:
        return ""
    parts = []
    if value is not None:
        sign = "+" if value > 0 else ""
        if unit == "percent":
            parts.append(f"{sign}{value:.2f} pp")
        else:
            parts.append(sign + fmt_value(value, unit))
    if pct is not None:
        parts.append(f"{'+' if pct > 0 else ''}{pct:.1f}%")
    return " / ".join(parts)


def chart_value(value: float | None, unit: str) -> float | None:
    """Money is charted in billions of VND (tỷ đồng)."""
    if value is None:
        return None
    return value / 1e9 if unit == "vnd" else value
