"""Reading the marts into plain rows for the report (read-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scrapers.analyst.db import WarehouseError, columns, fetch_dicts, find_table
from scrapers.analyst.labels import METRIC_NAMES, period_label

KEY = ("scope_level", "scope_name", "metric", "unit", "basis", "domain", "category", "period_start",
       "period_end")
# What the report needs from fct_metric_timeseries; missing optional columns read as null.
SERIES_NEEDED = ("scope_level", "scope_name", "metric", "unit", "basis", "domain", "category",
                 "period_start", "period_end", "value")
SERIES_OPTIONAL = ("period_kind", "stat_year", "prior_year_value", "yoy_change", "yoy_change_pct",
                   "value_is_derived", "prior_is_derived", "url", "quote", "has_conflict")
FACT_EXTRA = ("period_label", "qualifier", "n_sources", "n_articles", "published", "source", "compared_to",
              "change_value", "change_pct", "min_value", "max_value")


@dataclass
class ReportData:
    rows: list[dict[str, Any]] = field(default_factory=list)
    metric_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)   # url -> article title
    n_articles: int = 0
    missing: list[str] = field(default_factory=list)       # mart tables not found


def _select(con, table: str, wanted: tuple[str, ...], optional: tuple[str, ...]) -> list[dict[str, Any]]:
    have = columns(con, table)
    lacking = [c for c in wanted if c not in have]
    if lacking:
        raise WarehouseError(f"{table} lacks columns {', '.join(lacking)}: the marts do not match "
                             "the contract the report reads (docs/analyst.md)")
    cols = list(wanted) + [c if c in have else f"null as {c}" for c in optional]
    return fetch_dicts(con, f"select {', '.join(cols)} from {table}")


def _as_date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.datetime):
        return v.date()
    return dt.date.fromisoformat(str(v)[:10])


def load(con) -> ReportData:
    data = ReportData()
    series_t = find_table(con, "fct_metric_timeseries")
    facts_t = find_table(con, "fct_enforcement_metrics")
    facts: list[dict[str, Any]] = []
    if facts_t:
        facts = _select(con, facts_t, SERIES_NEEDED, FACT_EXTRA + SERIES_OPTIONAL)
    else:
        data.missing.append("fct_enforcement_metrics")
    if series_t:
        rows = _select(con, series_t, SERIES_NEEDED, SERIES_OPTIONAL)
    else:
        data.missing.append("fct_metric_timeseries")
        rows = [dict(f, value_is_derived=False) for f in facts]
    by_key: dict[tuple, dict[str, Any]] = {}
    for f in facts:
        f["period_start"], f["period_end"] = _as_date(f["period_start"]), _as_date(f["period_end"])
        by_key.setdefault(tuple(f[k] for k in KEY), f)
    for r in rows:
        r["period_start"], r["period_end"] = _as_date(r["period_start"]), _as_date(r["period_end"])
        if r["period_start"] is None or r["period_end"] is None:
            continue
        fact = by_key.get(tuple(r[k] for k in KEY), {})
        for k in FACT_EXTRA:
            r.setdefault(k, fact.get(k))
            if r[k] is None:
                r[k] = fact.get(k)
        for k in ("url", "quote"):
            r[k] = r.get(k) or fact.get(k)
        r["value_is_derived"] = bool(r.get("value_is_derived"))
        r["has_conflict"] = bool(r.get("has_conflict"))
        r["basis"] = r.get("basis") or None
        kind = r.get("period_kind")
        r["period_text"] = period_label(r["period_start"], r["period_end"], kind, r.get("stat_year"))
        r["period_kind"] = kind or ("year" if r["period_text"].startswith("năm") else "other")
        data.rows.append(r)
    data.rows.sort(key=lambda r: (r["scope_level"], r["scope_name"] or "", r["period_end"], r["period_start"],
                                  r["domain"], r["category"], r["metric"], r["unit"], r["basis"] or ""))

    metric_t = find_table(con, "dim_metric")
    data.metric_names = dict(METRIC_NAMES)
    if metric_t and {"metric", "name_vi", "name_en"} <= columns(con, metric_t):
        for m in fetch_dicts(con, f"select metric, name_vi, name_en from {metric_t}"):
            fallback = METRIC_NAMES.get(m["metric"], (m["metric"], m["metric"]))
            data.metric_names[m["metric"]] = (m["name_vi"] or fallback[0], m["name_en"] or fallback[1])
    art_t = find_table(con, "fct_articles")
    if art_t and {"url", "title"} <= columns(con, art_t):
        for a in fetch_dicts(con, f"select url, title from {art_t}"):
            if a["url"]:
                data.titles[a["url"]] = a["title"] or ""
        data.n_articles = len(data.titles)
    return data
