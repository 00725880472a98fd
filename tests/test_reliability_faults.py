"""Faults: under 10% 5xx, 5% 429 (Retry-After), 2% timeouts and 1% truncated bodies the crawl
completes and the lake equals a fault-free run's, by content (issue 8)."""

from __future__ import annotations

import pytest
import reliability_helpers
from reliability_helpers import (
    RUN_SPECIFIC_ARTICLE,
    RUN_SPECIFIC_META,
    article_keys,
    diff_summary,
    facts,
    lake_content,
    quarantine_records,
    record,
    temp_files,
)

from scrapers.crawl.pipeline import crawl

rel_env = reliability_helpers.rel_env     # the fixture

SOURCES = ("thads", "moj", "baophapluat", "plo")
AS_OF = "2020-03-31"       # about 60 on-topic articles over the four sources (all page kinds)
RATES = {"5xx": 0.10, "429": 0.05, "timeout": 0.02, "truncate": 0.01}


def crawl_all(lake) -> list[dict]:
    return [crawl(s, mode="full", lake=lake) for s in SOURCES]


@pytest.mark.slow
def test_faulty_mirror_gives_the_same_lake_as_a_clean_one(rel_env, tmp_path, monkeypatch):
    # The client timeout (1 s) is below the mirror's fault sleep (timeout_s + 0.5 = 1.5 s).
    rel_env.set_as_of(AS_OF)
    clean_lake = tmp_path / "clean"
    clean = crawl_all(clean_lake)
    assert all(s["retried"] == 0 for s in clean)

    rel_env.set_faults({"seed": 2, "rates": RATES, "timeout_s": 1.0, "retry_after": 1})
    rel_env.reset_log()
    faulty_lake = tmp_path / "faulty"
    faulty = crawl_all(faulty_lake)
    log = rel_env.requests

    # The faults really happened, of every kind, and the log agrees with the mirror's counters.
    injected = rel_env.fault_counts()
    statuses = [e.status for e in log]
    assert injected.get("5xx", 0) == statuses.count(503) and injected.get("429", 0) == statuses.count(429)
    assert injected.get("timeout", 0) == statuses.count(0)
    assert set(injected) == set(RATES), injected
    assert sum(s["retried"] for s in faulty) >= sum(injected.values())

    # Same article keys, same facts, same everything (minus run-specific fields), nothing quarantined.
    assert not quarantine_records(faulty_lake) and not quarantine_records(clean_lake)
    assert article_keys(faulty_lake) == article_keys(clean_lake)
    assert facts(faulty_lake) == facts(clean_lake)
    a, b = lake_content(clean_lake), lake_content(faulty_lake)
    assert a == b, diff_summary(a, b)
    assert not temp_files(faulty_lake)
    n_keys = len(article_keys(clean_lake))
    assert n_keys > 40

    record("faults", {
        "sources": list(SOURCES), "as_of": AS_OF, "rates": RATES, "seed": 2,
        "requests": len(log), "injected": injected,
        "pages_tried": sum(s["pages_tried"] for s in faulty), "landed": sum(s["landed"] for s in faulty),
        "quarantined": sum(s["quarantined"] for s in faulty), "retried": sum(s["retried"] for s in faulty),
        "article_keys": n_keys, "facts": len(facts(faulty_lake)),
        "lost": len(set(article_keys(clean_lake)) - set(article_keys(faulty_lake))),
        "clean_run_s": round(sum(s["duration_s"] for s in clean), 2),
        "faulty_run_s": round(sum(s["duration_s"] for s in faulty), 2),
        "excluded_fields": {"raw meta": list(RUN_SPECIFIC_META), "articles": list(RUN_SPECIFIC_ARTICLE),
                            "versions": list(reliability_helpers.RUN_SPECIFIC_MANIFEST),
                            "runs/": "whole dataset"},
    })
