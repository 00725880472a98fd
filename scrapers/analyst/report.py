"""`thads report`: a static HTML report built from the warehouse, readable offline.

Layout of the output folder (scrapers.config.report_dir() unless given):

    index.html              national trends, province league table, all national figures
    provinces/<slug>.html   one page per province: its time series and figures
    plotly.min.js           plotly, written once, so the pages need no network
    report.css
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapers import config
from scrapers import lake as lk
from scrapers.analyst.charts import CASE_METRICS, RATE_METRICS, figure_html, league_figure, series_figure
from scrapers.analyst.labels import fmt_change, fmt_value, series_name, slug

log = logging.getLogger(__name__)
PKG = Path(__file__).resolve().parent
# Rank provinces by the case-based completion rate, else the money-based one.
RANK_BY = (("completion_rate", "cases"), ("completion_rate", "money"))
LEAGUE_COLUMNS = (
    ("completion_rate", "percent", "cases", "Rate (cases)"),
    ("completion_rate", "percent", "money", "Rate (money)"),
    ("total", "cases", None, "Total cases"),
    ("completed", "cases", None, "Completed cases"),
    ("total", "vnd", None, "Total money"),
    ("completed", "vnd", None, "Completed money"),
)


def _env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PKG / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env


def _main_rows(rows):
    """The headline series: civil enforcement, all categories."""
    return [r for r in rows if r["domain"] == "civil" and r["category"] == "all"]


def _cell(r: dict[str, Any] | None, names) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"text": fmt_value(r["value"], r["unit"]), "url": r.get("url"), "quote": r.get("quote") or "",
            "conflict": r["has_conflict"], "derived": r["value_is_derived"],
            "title": series_name(r["metric"], r["unit"], r.get("basis"), names)}


def _range(r: dict[str, Any]) -> str:
    lo, hi = r.get("min_value"), r.get("max_value")
    if lo is None or hi is None or lo == hi:
        return ""
    return f"sources give {fmt_value(lo, r['unit'])} to {fmt_value(hi, r['unit'])}"


def table_rows(rows, names, titles) -> list[dict[str, Any]]:
    out = []
    for r in sorted(rows, key=lambda r: (r["period_end"], r["period_start"], r["domain"], r["category"],
                                         r["metric"], r["unit"], r["basis"] or "")):
        url = r.get("url")
        out.append({
            "period": r["period_text"],
            "period_label": (r.get("period_label") or "")
            if (r.get("period_label") or "").strip().lower() != r["period_text"].lower() else "",
            "dates": f"{r['period_start']:%d/%m/%Y} – {r['period_end']:%d/%m/%Y}",
            "scope": r["scope_name"] or "toàn quốc",
            "metric": series_name(r["metric"], r["unit"], r.get("basis"), names),
            "domain": r["domain"], "category": r["category"], "unit": r["unit"],
            "value": fmt_value(r["value"], r["unit"]),
            "qualifier": r.get("qualifier") if r.get("qualifier") not in (None, "exact") else "",
            "yoy": fmt_change(r.get("yoy_change"), r["unit"], r.get("yoy_change_pct")),
            "conflict": r["has_conflict"], "derived": r["value_is_derived"],
            "range": _range(r) if r["has_conflict"] else "",
            "n_sources": r.get("n_sources"), "url": url, "host": urlsplit(url).netloc if url else "",
            "quote": r.get("quote") or "", "title": titles.get(url, "") if url else "",
        })
    return out


def charts_for(rows, names, prefix: str) -> list[dict[str, str]]:
    main = _main_rows(rows)
    out = []
    for key, unit, metrics, title in (
        ("cases", "cases", CASE_METRICS, "Cases (việc)"),
        ("money", "vnd", CASE_METRICS, "Money (tỷ đồng)"),
        ("rates", "percent", RATE_METRICS, "Completion rates (%)"),
    ):
        fig = series_figure(main, unit, metrics, title, names)
        if fig is not None:
            out.append({"id": f"chart-{prefix}-{key}", "html": figure_html(fig, f"chart-{prefix}-{key}")})
    return out


def league(rows, names) -> dict[str, Any] | None:
    """Provinces compared on the most recent period that most of them report."""
    prov = [r for r in _main_rows(rows) if r["scope_level"] == "province"]
    if not prov:
        return None
    by_period: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in prov:
        by_period[(r["period_start"], r["period_end"])][r["scope_name"]].append(r)
    n_prov = len({r["scope_name"] for r in prov})
    # The latest period alone may be one early reporter; require a quorum of min(3, all) provinces.
    quorum = min(3, n_prov)
    periods = sorted(by_period, key=lambda p: (p[1], p[0]), reverse=True)
    period = next((p for p in periods if len(by_period[p]) >= quorum), periods[0])
    entries = []
    for name, prows in by_period[period].items():
        cells = {}
        for metric, unit, basis, _ in LEAGUE_COLUMNS:
            match = [r for r in prows if r["metric"] == metric and r["unit"] == unit and r.get("basis") == basis]
            cells[(metric, unit, basis)] = match[0] if match else None
        rank_row = next((cells[(m, "percent", b)] for m, b in RANK_BY if cells.get((m, "percent", b))), None)
        entries.append({"scope_name": name, "slug": slug(name), "rank_row": rank_row,
                        "cells": [_cell(cells[(m, u, b)], names) for m, u, b, _ in LEAGUE_COLUMNS]})

    def order(e):
        v = (e["rank_row"] or {}).get("value")
        return (v is None, -(v or 0), e["scope_name"])

    entries.sort(key=order)
    for i, e in enumerate(entries, 1):
        e["rank"] = i if e["rank_row"] else None
    sample = next(r for r in prov if (r["period_start"], r["period_end"]) == period)
    fig = league_figure(entries, f"Completion rate by province, {sample['period_text']}", names)
    return {
        "period": sample["period_text"], "dates": f"{period[0]:%d/%m/%Y} – {period[1]:%d/%m/%Y}",
        "n_reporting": len(entries), "n_provinces": n_prov,
        "headers": [c[3] for c in LEAGUE_COLUMNS], "entries": entries,
        "chart": figure_html(fig, "chart-league") if fig is not None else None,
    }


def _write(path: Path, data: str | bytes) -> None:
    lk.atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
    # the temp file behind the atomic write is private (0600); a report is meant to be served and shared
    path.chmod(0o644)


def _write_assets(out: Path) -> None:
    from plotly.offline import get_plotlyjs

    _write(out / "plotly.min.js", get_plotlyjs())
    _write(out / "report.css", (PKG / "static" / "report.css").read_bytes())


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove province pages of an earlier build that this build no longer has."""
    if folder.is_dir():
        for p in folder.glob("*.html"):
            if p.name not in keep:
                p.unlink()


def build_report(out_dir: Path | str | None = None, warehouse: Path | str | None = None) -> Path:
    """Build the report from the warehouse (opened read-only); returns the path of index.html."""
    from scrapers.analyst.data import load
    from scrapers.analyst.db import WarehouseMissing, open_warehouse

    out = Path(out_dir) if out_dir is not None else config.report_dir()
    wh = Path(warehouse) if warehouse is not None else config.warehouse_path()
    env = _env()
    _write_assets(out)
    try:
        con = open_warehouse(wh)
    except WarehouseMissing as exc:
        return _empty(env, out, str(exc), wh)
    try:
        data = load(con)
    finally:
        con.close()
    if not data.rows:
        why = ("the warehouse has no mart tables yet: missing " + ", ".join(data.missing)) if data.missing \
            else "the warehouse has no figures yet (no facts extracted, or no complete lake version)"
        return _empty(env, out, why, wh)

    names = data.metric_names
    national = [r for r in data.rows if r["scope_level"] == "national"]
    by_prov: dict[str, list] = defaultdict(list)
    for r in data.rows:
        if r["scope_level"] in ("province", "district") and r["scope_name"]:
            # a district "Hà Nội / Ba Đình" belongs on its province's page
            by_prov[r["scope_name"].split(" / ")[0].strip()].append(r)
    slugs: dict[str, str] = {}
    for name in sorted(by_prov):
        s = slug(name)
        while s in slugs.values():
            s += "-2"
        slugs[name] = s
    provinces = []
    for name in sorted(by_prov):
        prow = by_prov[name]
        own = [r for r in prow if r["scope_level"] == "province"]
        latest = max(prow, key=lambda r: (r["period_end"], r["period_start"]))
        provinces.append({"name": name, "slug": slugs[name], "n_figures": len(prow),
                          "latest": latest["period_text"],
                          "n_conflicts": sum(r["has_conflict"] for r in prow),
                          "charts": charts_for(own, names, slugs[name]),
                          "table": table_rows(prow, names, data.titles)})
    lg = league(data.rows, names)
    if lg:
        for e in lg["entries"]:
            e["slug"] = slugs.get(e["scope_name"], e["slug"])
    common = {"warehouse": str(wh), "n_figures": len(data.rows), "n_articles": data.n_articles,
              "n_conflicts": sum(r["has_conflict"] for r in data.rows),
              "n_derived": sum(r["value_is_derived"] for r in data.rows)}
    index = env.get_template("index.html.j2").render(
        prefix="", title="THADS – judgment enforcement statistics", national_charts=charts_for(
            national, names, "national"), national_table=table_rows(national, names, data.titles),
        league=lg, provinces=provinces, missing=data.missing, **common)
    _write(out / "index.html", index)
    for p in provinces:
        page = env.get_template("province.html.j2").render(
            prefix="../", title=f"{p['name']} – THADS statistics", province=p, provinces=provinces, **common)
        _write(out / "provinces" / f"{p['slug']}.html", page)
    _prune(out / "provinces", {f"{p['slug']}.html" for p in provinces})
    log.info("report: %d figures, %d province pages -> %s", len(data.rows), len(provinces), out)
    return out / "index.html"


def _empty(env, out: Path, why: str, wh: Path) -> Path:
    page = env.get_template("empty.html.j2").render(prefix="", title="THADS – no data yet", why=why,
                                                    warehouse=str(wh))
    _write(out / "index.html", page)
    _prune(out / "provinces", set())
    return out / "index.html"
