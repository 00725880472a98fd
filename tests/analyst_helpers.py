"""A small warehouse with the agreed mart columns, and a small lake, for the analyst tests.

The rows are modelled on real THADS reports: national figures for statistical
years 2019-2023 plus a 6-month period, a few provinces with yearly and partial
periods, one conflict and some derived values.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from scrapers import lake as lk

METRICS_COLUMNS = (
    "metric_id", "scope_level", "scope_name", "period_start", "period_end", "period_label", "period_kind",
    "stat_year", "domain", "category", "metric", "unit", "basis", "value", "qualifier", "change_value",
    "change_pct", "compared_to", "n_sources", "n_articles", "has_conflict", "source", "doc_id", "url",
    "quote", "published", "cleaner_version", "extractor_version",
)
TIMESERIES_COLUMNS = (
    "scope_level", "scope_name", "metric", "unit", "basis", "domain", "category", "period_start",
    "period_end", "period_kind", "stat_year", "value", "prior_year_value", "yoy_change", "yoy_change_pct",
    "value_is_derived", "prior_is_derived", "url", "quote", "has_conflict",
)

PROVINCES = ("Đà Nẵng", "Bến Tre", "Hồ Chí Minh", "Vĩnh Phúc")

# national yearly figures: year -> (total cases, completed cases, total vnd, completed vnd)
NATIONAL = {
    2019: (820_000, 560_000, 390e12, 90e12),
    2020: (840_000, 575_000, 410e12, 85e12),
    2021: (800_000, 520_000, 430e12, 70e12),
    2022: (830_000, 590_000, 450e12, 95e12),
    2023: (850_000, 610_000, 470e12, 110e12),
}


def _year(y: int) -> tuple[dt.date, dt.date]:
    return dt.date(y - 1, 10, 1), dt.date(y, 9, 30)


def _rows() -> tuple[list[dict], list[dict]]:
    facts: list[dict] = []
    series: list[dict] = []
    n = 0

    def add(scope_level, scope_name, start, end, label, kind, stat_year, metric, unit, basis, value, *,
            derived=False, conflict=False, domain="civil", category="all", prior=None):
        nonlocal n
        n += 1
        slug = (scope_name or "tw").replace(" ", "")
        url = f"https://thads.moj.gov.vn/{slug}/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID={n}"
        quote = f"{metric} {label}: {value:,.2f} <{unit}> & \"trích dẫn\" số {n}"
        if not derived:
            facts.append({
                "metric_id": f"m{n:04d}", "scope_level": scope_level, "scope_name": scope_name,
                "period_start": start, "period_end": end, "period_label": label, "period_kind": kind,
                "stat_year": stat_year, "domain": domain, "category": category, "metric": metric,
                "unit": unit, "basis": basis, "value": value, "qualifier": "exact", "change_value": None,
                "change_pct": None, "compared_to": None, "n_sources": 2 if conflict else 1,
                "n_articles": 2 if conflict else 1, "has_conflict": conflict, "source": "thads",
                "doc_id": f"thads.moj.gov.vn/{slug}/tintuc/{n}", "url": url, "quote": quote,
                "published": end + dt.timedelta(days=12), "cleaner_version": "c1", "extractor_version": "e1",
            })
        yoy = None if prior is None else value - prior
        series.append({
            "scope_level": scope_level, "scope_name": scope_name, "metric": metric, "unit": unit,
            "basis": basis, "domain": domain, "category": category, "period_start": start,
            "period_end": end, "period_kind": kind, "stat_year": stat_year, "value": value,
            "prior_year_value": prior, "yoy_change": yoy,
            "yoy_change_pct": None if prior in (None, 0) else round(100 * yoy / prior, 2),
            "value_is_derived": derived, "prior_is_derived": False, "url": None if derived else url,
            "quote": None if derived else quote, "has_conflict": conflict,
        })

    prev = None
    for y, (tc, cc, tv, cv) in NATIONAL.items():
        s, e = _year(y)
        lab = f"năm {y}"
        add("national", None, s, e, lab, "year", y, "total", "cases", None, tc, prior=prev and prev[0])
        add("national", None, s, e, lab, "year", y, "completed", "cases", None, cc, prior=prev and prev[1],
            conflict=(y == 2021))
        add("national", None, s, e, lab, "year", y, "total", "vnd", None, tv, prior=prev and prev[2])
        add("national", None, s, e, lab, "year", y, "completed", "vnd", None, cv, prior=prev and prev[3])
        add("national", None, s, e, lab, "year", y, "completion_rate", "percent", "cases",
            round(100 * cc / (tc * 0.85), 2))
        # the money rate is derived by the warehouse (completed / enforceable) in this fixture
        add("national", None, s, e, lab, "year", y, "completion_rate", "percent", "money",
            round(100 * cv / (tv * 0.6), 2), derived=True)
        prev = (tc, cc, tv, cv)
    add("national", None, dt.date(2023, 10, 1), dt.date(2024, 3, 31), "6 tháng đầu năm 2024", "half", 2024,
        "total", "cases", None, 700_000)
    add("national", None, dt.date(2022, 10, 1), dt.date(2023, 9, 30), "năm 2023", "year", 2023,
        "tracked", "judgments", None, 1_200, domain="administrative")

    for i, prov in enumerate(PROVINCES):
        for y in (2022, 2023):
            s, e = _year(y)
            base = 3_000 * (i + 1) + 200 * (y - 2022)
            add("province", prov, s, e, f"năm {y}", "year", y, "total", "cases", None, base)
            add("province", prov, s, e, f"năm {y}", "year", y, "completed", "cases", None, int(base * 0.6))
            add("province", prov, s, e, f"năm {y}", "year", y, "completion_rate", "percent", "cases",
                round(70 + 5 * i + (y - 2022), 2), conflict=(prov == "Bến Tre" and y == 2023))
            add("province", prov, s, e, f"năm {y}", "year", y, "total", "vnd", None, 1e11 * (i + 1))
        add("province", prov, dt.date(2023, 10, 1), dt.date(2024, 3, 31), "6 tháng đầu năm 2024", "half", 2024,
            "completion_rate", "percent", "money", 20.5 + i, derived=(i % 2 == 0))
    add("district", "Hồ Chí Minh / Quận 1", *_year(2023), "năm 2023", "year", 2023, "total", "cases", None, 800)
    return facts, series


_TEMPLATES: dict[bool, Path] = {}


def make_warehouse(path: Path, *, empty: bool = False) -> Path:
    """A DuckDB file with the mart tables (empty tables when ``empty``), copied from one built per session."""
    import atexit
    import shutil
    import tempfile

    if empty not in _TEMPLATES or not _TEMPLATES[empty].is_file():
        folder = Path(tempfile.mkdtemp(prefix="analyst-wh-"))
        atexit.register(shutil.rmtree, folder, True)
        _TEMPLATES[empty] = _build_warehouse(folder / "warehouse.duckdb", empty=empty)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_TEMPLATES[empty], path)
    return path


def _build_warehouse(path: Path, *, empty: bool = False) -> Path:
    import duckdb

    facts, series = ([], []) if empty else _rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    types = {"period_start": "DATE", "period_end": "DATE", "published": "DATE", "stat_year": "INTEGER",
             "value": "DOUBLE", "change_value": "DOUBLE", "change_pct": "DOUBLE", "prior_year_value": "DOUBLE",
             "yoy_change": "DOUBLE", "yoy_change_pct": "DOUBLE", "n_sources": "INTEGER",
             "n_articles": "INTEGER", "has_conflict": "BOOLEAN", "value_is_derived": "BOOLEAN",
             "prior_is_derived": "BOOLEAN"}
    for table, cols, rows in (("fct_enforcement_metrics", METRICS_COLUMNS, facts),
                              ("fct_metric_timeseries", TIMESERIES_COLUMNS, series)):
        con.execute(f"create or replace table {table} ("
                    + ", ".join(f"{c} {types.get(c, 'VARCHAR')}" for c in cols) + ")")
        if rows:
            con.executemany(f"insert into {table} values ({', '.join('?' for _ in cols)})",
                            [[r[c] for c in cols] for r in rows])
    con.execute("create or replace table fct_articles as select doc_id, source, url, "
                "'Báo cáo ' || coalesce(scope_name, 'toàn quốc') || ' ' || period_label as title, "
                "published, count(*)::integer as n_facts from fct_enforcement_metrics "
                "group by all")
    con.execute("create or replace table dim_metric (metric varchar, name_vi varchar, name_en varchar)")
    con.executemany("insert into dim_metric values (?, ?, ?)", [
        ("total", "Tổng số phải thi hành", "Total caseload"),
        ("completed", "Thi hành xong", "Completed"),
        ("completion_rate", "Tỷ lệ thi hành xong", "Completion rate"),
    ])
    con.execute("create or replace table dim_scope as select distinct scope_level, scope_name, "
                "scope_name as province_2025 from fct_enforcement_metrics")
    con.close()
    return path


def make_lake(lake: Path) -> Path:
    """Runs, articles, facts, quarantine and drift records as the crawler lands them."""
    old = 1_700_000_000  # quarantine/drift older than the last run
    lk.write_json(lake / "runs" / "crawl" / "thads-20261120T010000.json",
                  {"run_id": "thads-20261120T010000", "source": "thads", "mode": "daily",
                   "started_at": "2026-11-20T01:00:00+00:00", "finished_at": "2026-11-20T01:05:00+00:00",
                   "pages_tried": 10, "landed": 8, "quarantined": 2})
    lk.write_json(lake / "runs" / "crawl" / "thads-20261121T010000.json",
                  {"run_id": "thads-20261121T010000", "source": "thads", "mode": "daily",
                   "started_at": "2026-11-21T01:00:00+00:00", "finished_at": "2026-11-21T01:04:00+00:00",
                   "pages_tried": 12, "landed": 11, "quarantined": 1})
    lk.write_json(lake / "runs" / "crawl" / "plo-20261121T010000.json",
                  {"run_id": "plo-20261121T010000", "source": "plo", "mode": "daily",
                   "started_at": "2026-11-21T01:00:00+00:00", "finished_at": "2026-11-21T01:02:00+00:00",
                   "pages_tried": 5, "landed": 5, "quarantined": 0})
    for i in range(3):
        doc = f"thads.moj.gov.vn/bentre/tintuc/{i}"
        lk.write_jsonl(lk.article_path("c1-e1", "thads", doc, lake), [{"doc_id": doc, "n_facts": 2}])
        lk.write_jsonl(lk.facts_path("c1-e1", "thads", doc, lake), [{"fact_idx": 0}, {"fact_idx": 1}])
    lk.write_jsonl(lk.article_path("c1-e1", "plo", "plo.vn/a-1", lake), [{"doc_id": "plo.vn/a-1"}])
    lk.write_json(lake / "versions" / "c1-e1.json", {"version": "c1-e1"})
    lk.quarantine("thads", "https://thads.moj.gov.vn/x1", "http_status", "404", lake=lake, status=404)
    lk.quarantine("thads", "https://thads.moj.gov.vn/x2", "too_short", "12 chars", lake=lake)
    lk.record_drift("thads", "https://thads.moj.gov.vn/x3", "div.content", "text", lake=lake)
    lk.record_drift("plo", "https://plo.vn/x4", "h1.title", "title", lake=lake)
    # the first quarantine record and the plo drift predate the last runs
    os.utime(lk.quarantine_path("thads", "https://thads.moj.gov.vn/x1", lake), (old, old))
    os.utime(lk.drift_path("plo", "https://plo.vn/x4", "h1.title", lake), (old, old))
    for p in (lake / "runs" / "crawl").glob("*.json"):
        started = json.loads(p.read_text())["started_at"]
        t = dt.datetime.fromisoformat(started).timestamp() + 60
        os.utime(p, (t, t))
    return lake


def file_state(path: Path) -> tuple[bytes, int]:
    """Bytes and mtime of a file, to prove a reader left it untouched."""
    return path.read_bytes(), path.stat().st_mtime_ns


# ---- a real lake for an end-to-end check through dbt -------------------------------------------------

def lake_fact(metric, unit, value, *, period, scope=("national", None), basis=None, change_value=None,
              change_pct=None, label=None, domain="civil", category="all"):
    quote = f"{metric} {unit} {value} ({label or period[1]})"
    return {"metric": metric, "unit": unit, "basis": basis, "value": value, "qualifier": "exact",
            "change_value": change_value, "change_pct": change_pct,
            "compared_to": "cùng kỳ năm trước" if change_value is not None or change_pct is not None else None,
            "period_start": period[0], "period_end": period[1], "period_label": label,
            "scope_level": scope[0], "scope_name": scope[1], "domain": domain, "category": category,
            "quote": quote, "char_start": 0, "char_end": len(quote)}


def land(lake: Path, source: str, doc_id: str, facts: list[dict], *, published: str, title: str,
         version: str = "c1-e1") -> str:
    host = {"thads": "thads.moj.gov.vn", "moj": "moj.gov.vn", "baophapluat": "baophapluat.vn",
            "plo": "plo.vn"}[source]
    url = f"https://{host}/{doc_id.split('/', 1)[-1]}"
    cleaner, extractor = version.split("-", 1)
    text = title + "\n" + "\n".join(f["quote"] for f in facts)
    lk.write_jsonl(lk.article_path(version, source, doc_id, lake), [{
        "doc_id": doc_id, "source": source, "url": url, "subsite": None, "title": title,
        "published": published, "text": text, "content_hash": lk.short_hash(text, n=64),
        "raw_sha256": lk.short_hash(doc_id, n=64), "cleaner_version": cleaner, "extractor_version": extractor,
        "n_facts": len(facts), "fetched_at": f"{published}T01:00:00Z"}])
    lk.write_jsonl(lk.facts_path(version, source, doc_id, lake), [
        {"doc_id": doc_id, "source": source, "url": url, "published": published, "fact_idx": i,
         "cleaner_version": cleaner, "extractor_version": extractor, **f} for i, f in enumerate(facts)])
    return url


def make_real_lake(lake: Path, version: str = "c1-e1") -> dict[str, str]:
    """Articles over three statistical years, nationwide and for two provinces; one figure stated
    differently by two sources (a conflict) and one level given only as a change (a derived value)."""
    urls = {}
    for y, (total, done, money, rate) in {2021: (800_000, 520_000, 430e12, 70.1),
                                         2022: (830_000, 590_000, 450e12, 74.2),
                                         2023: (850_000, 610_000, 470e12, 76.3)}.items():
        p = (f"{y - 1}-10-01", f"{y}-09-30")
        facts = [lake_fact("total", "cases", total, period=p, label=f"năm {y}"),
                 lake_fact("completed", "cases", done, period=p, label=f"năm {y}"),
                 lake_fact("total", "vnd", money, period=p, label=f"năm {y}"),
                 lake_fact("completion_rate", "percent", rate, basis="cases", period=p, label=f"năm {y}")]
        urls[f"national-{y}"] = land(lake, "thads", f"thads.moj.gov.vn/tintuc/{y}", facts,
                                     published=f"{y}-10-20", title=f"Tổng kết công tác THADS năm {y}")
        for i, prov in enumerate(("Bến Tre", "Đà Nẵng")):
            pf = [lake_fact("total", "cases", 3000.0 * (i + 1) + y, period=p, scope=("province", prov)),
                  lake_fact("completion_rate", "percent", 70.0 + i + (y - 2021), basis="cases", period=p,
                            scope=("province", prov))]
            urls[f"{prov}-{y}"] = land(lake, "thads", f"thads.moj.gov.vn/{i}/tintuc/{y}", pf,
                                       published=f"{y}-10-25", title=f"{prov} năm {y}")
    # the press reports 2023 completed cases differently: a conflict
    p23 = ("2022-10-01", "2023-09-30")
    urls["press-2023"] = land(lake, "baophapluat", "baophapluat.vn/post-1",
                              [lake_fact("completed", "cases", 640_000, period=p23, label="năm 2023")],
                              published="2023-10-22", title="Báo chí: THADS 2023")
    # 2024: money completed stated only as a change on 2023
    p24 = ("2023-10-01", "2024-09-30")
    urls["national-2024"] = land(lake, "moj", "moj.gov.vn/qt/tintuc/2024",
                                 [lake_fact("total", "cases", 860_000, period=p24, label="năm 2024",
                                            change_value=10_000),
                                  lake_fact("completion_rate", "percent", None, basis="cases", period=p24,
                                            label="năm 2024", change_value=1.2)],
                                 published="2024-10-20", title="THADS năm 2024")
    lk.write_json(lk.version_manifest_path(version, lake), {
        "version": version, "cleaner_version": version.split("-")[0], "extractor_version": version.split("-")[1],
        "created_at": "2024-10-21T00:00:00Z"})
    return urls
