"""A synthetic lake for warehouse tests and the dbt benchmark, written with scrapers.lake helpers in the
layout of docs/architecture.md."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from scrapers import lake as lk
from scrapers.facts_schema import FACT_FIELDS

HOSTS = {"thads": "thads.moj.gov.vn", "moj": "moj.gov.vn", "baophapluat": "baophapluat.vn", "plo": "plo.vn"}


def fact(metric: str, unit: str, value: float | None, *, basis: str | None = None,
         period: tuple[str, str] = ("2020-10-01", "2021-09-30"), period_label: str | None = None,
         scope: tuple[str, str | None] = ("province", "Bến Tre"), domain: str = "civil",
         category: str = "all", qualifier: str = "exact", change_value: float | None = None,
         change_pct: float | None = None, compared_to: str | None = None, quote: str | None = None) -> dict:
    """One fact with every FACT_FIELDS key, as the extractor emits it."""
    q = quote or f"{metric} {unit} {value}"
    rec = {
        "metric": metric, "unit": unit, "basis": basis, "value": value, "qualifier": qualifier,
        "change_value": change_value, "change_pct": change_pct, "compared_to": compared_to,
        "period_start": period[0], "period_end": period[1], "period_label": period_label,
        "scope_level": scope[0], "scope_name": scope[1], "domain": domain, "category": category,
        "quote": q, "char_start": 0, "char_end": len(q),
    }
    assert tuple(rec) == FACT_FIELDS
    return rec


def split_version(version: str) -> tuple[str, str]:
    cleaner, _, extractor = version.partition("-")
    return cleaner, extractor


def land_article(lake: Path, *, source: str, doc_id: str, facts: list[dict], version: str = "c1-e1",
                 published: str | None = "2021-10-15", title: str = "Tin THADS",
                 fetched_at: str = "2021-10-16T01:00:00Z", url: str | None = None) -> None:
    """An article record and its facts file for one document in one version."""
    cleaner, extractor = split_version(version)
    url = url or f"https://{HOSTS.get(source, source)}/{doc_id.split('/', 1)[-1]}"
    text = title + "\n" + "\n".join(f["quote"] for f in facts)
    lk.write_jsonl(lk.article_path(version, source, doc_id, lake), [{
        "doc_id": doc_id, "source": source, "url": url, "subsite": None, "title": title,
        "published": published, "text": text, "content_hash": lk.short_hash(text, n=64),
        "raw_sha256": lk.short_hash(doc_id, n=64), "cleaner_version": cleaner,
        "extractor_version": extractor, "n_facts": len(facts), "fetched_at": fetched_at,
    }])
    lk.write_jsonl(lk.facts_path(version, source, doc_id, lake), [
        {"doc_id": doc_id, "source": source, "url": url, "published": published, "fact_idx": i,
         "cleaner_version": cleaner, "extractor_version": extractor, **f}
        for i, f in enumerate(facts)])


def write_manifest(lake: Path, version: str, created_at: str = "2021-10-16T02:00:00Z", **extra: Any) -> None:
    cleaner, extractor = split_version(version)
    lk.write_json(lk.version_manifest_path(version, lake), {
        "version": version, "cleaner_version": cleaner, "extractor_version": extractor,
        "created_at": created_at, **extra})


# ---- bulk synthetic facts (benchmark) --------------------------------------------------------------

PROVINCES = ["Bến Tre", "Vĩnh Phúc", "Đà Nẵng", "Hà Nội", "Hồ Chí Minh", "Bình Dương", "Quảng Nam",
             "Cần Thơ", "Trà Vinh", "Hải Dương"]
METRIC_UNITS = [("total", "cases", None), ("total", "vnd", None), ("new", "cases", None),
                ("completed", "cases", None), ("completed", "vnd", None), ("enforceable", "cases", None),
                ("completion_rate", "percent", "cases"), ("completion_rate", "percent", "money")]


def bulk_fact_records(n: int, *, seed: int = 0, version: str = "c1-e1", doc_offset: int = 0,
                      facts_per_doc: int = 10) -> list[dict]:
    """``n`` fact records (lake form, with provenance), ``facts_per_doc`` per article, over ten
    provinces, four sources, 20 statistical years and 12 cumulative periods, so that keys repeat across
    articles (dedup) as they do in real news."""
    rng = random.Random(seed)
    cleaner, extractor = split_version(version)
    sources = list(HOSTS)
    out = []
    for i in range(n):
        d = doc_offset + i // facts_per_doc
        source = sources[d % 4]
        year = 2005 + rng.randrange(20)
        months = rng.randrange(1, 13)
        end_month = (10 + months - 1 - 1) % 12 + 1
        end_year = year - 1 if end_month >= 10 else year
        end_day = [31, 29 if end_year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][end_month - 1]
        metric, unit, basis = METRIC_UNITS[rng.randrange(len(METRIC_UNITS))]
        value = round(rng.uniform(1, 99), 2) if unit == "percent" else float(rng.randrange(100, 100000))
        doc_id = f"{HOSTS[source]}/bench/{d}"
        f = fact(metric, unit, value, basis=basis,
                 period=(f"{year - 1}-10-01", f"{end_year}-{end_month:02d}-{end_day:02d}"),
                 scope=("province", PROVINCES[rng.randrange(len(PROVINCES))]),
                 change_value=float(rng.randrange(-50, 50)) if rng.random() < 0.3 else None)
        out.append({"doc_id": doc_id, "source": source, "url": f"https://{doc_id}",
                    "published": f"{end_year}-{end_month:02d}-15", "fact_idx": i % facts_per_doc,
                    "cleaner_version": cleaner, "extractor_version": extractor, **f})
    return out


def write_bulk(lake: Path, records: list[dict], *, version: str = "c1-e1", name: str = "bulk",
               files: int = 4) -> None:
    """Facts as a few big JSONL files per source, and one article record per document."""
    by_source: dict[str, list[dict]] = {}
    for r in records:
        by_source.setdefault(r["source"], []).append(r)
    cleaner, extractor = split_version(version)
    for source, recs in by_source.items():
        step = max(1, -(-len(recs) // files))
        for k in range(0, len(recs), step):
            base = lk.root(lake) / "facts" / f"version={version}" / f"source={source}"
            lk.write_jsonl(base / f"{name}-{k // step}.jsonl", recs[k:k + step])
        docs: dict[str, dict] = {}
        for r in recs:
            docs.setdefault(r["doc_id"], r)
        arts = [{"doc_id": d, "source": source, "url": r["url"], "subsite": None, "title": "bench",
                 "published": r["published"], "text": "", "content_hash": "", "raw_sha256": "",
                 "cleaner_version": cleaner, "extractor_version": extractor, "n_facts": None,
                 "fetched_at": "2024-01-01T00:00:00Z"} for d, r in docs.items()]
        base = lk.root(lake) / "articles" / f"version={version}" / f"source={source}"
        lk.write_jsonl(base / f"{name}.jsonl", arts)
