"""The generated archive and truth(): size, spec-conformant facts, internal consistency, determinism."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from datetime import date

import pytest

from scrapers import facts_schema
from scrapers.mirror import archive as arch
from scrapers.mirror.figures import figures
from scrapers.mirror.periods import Period
from scrapers.mirror.vntext import fmt_int, fmt_money, fmt_pct


@pytest.fixture(scope="module")
def truth():
    return arch.truth()


@pytest.fixture(scope="module")
def generated(truth):
    return [t for t in truth if t["origin"] == "generated"]


def test_truth_has_at_least_2000_articles_over_sources_and_years(truth):
    assert len(truth) >= 2000
    by_source = Counter(t["source"] for t in truth)
    assert set(by_source) == {"thads", "moj", "baophapluat", "plo"}
    assert min(by_source.values()) >= 200
    years = {t["published"][:4] for t in truth}
    assert {"2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"} <= years
    for t in truth:
        assert arch.START.isoformat() <= t["published"] <= arch.END.isoformat()
        if t["modified"]:
            assert t["modified"] > t["published"]
    assert len({t["url"] for t in truth}) == len(truth)
    assert len({t["mirror_path"] for t in truth}) == len(truth)
    assert all(t["mirror_path"] == "/" + t["url"].split("://", 1)[1] for t in truth)


def test_mix_of_on_topic_off_topic_updated_and_disallowed(truth):
    on = [t for t in truth if t["on_topic"]]
    off = [t for t in truth if not t["on_topic"]]
    assert len(on) >= 700 and len(off) >= 500
    assert all(t["facts"] for t in on)
    assert not any(t["facts"] for t in off)
    assert sum(1 for t in truth if t["modified"]) >= 20
    disallowed = Counter(t["source"] for t in truth if t["robots_disallowed"])
    assert set(disallowed) == {"thads", "moj", "baophapluat", "plo"}


def test_generated_facts_follow_the_spec(generated):
    scopes = set()
    for t in generated:
        for f in t["facts"]:
            assert set(facts_schema.FACT_FIELDS) - {"char_start", "char_end"} <= set(f)
            problems = facts_schema.validate({**f, "char_start": 0, "char_end": 0})
            assert not problems, (t["url"], f, problems)
            assert f["period_start"] < f["period_end"] < t["published"]
            assert (f["scope_level"] == "national") == (f["scope_name"] is None)
            if f["change_value"] is not None or f["change_pct"] is not None:
                assert f["compared_to"] and f["compared_to"] in f["quote"]
            scopes.add(f["scope_name"])
    assert len(scopes - {None}) >= 12
    metrics = Counter(f["metric"] for t in generated for f in t["facts"])
    assert set(metrics) == set(facts_schema.METRICS) - {"target_rate"}
    cats = Counter(f["category"] for t in generated for f in t["facts"])
    assert {"all", "credit_banking", "corruption_economic", "state_budget"} <= set(cats)
    assert any(f["domain"] == "administrative" for t in generated for f in t["facts"])
    assert {f["qualifier"] for t in generated for f in t["facts"]} >= {"exact", "over", "approx"}


def test_every_quote_is_in_the_article_text():
    for a in arch.articles():
        for f in a.facts:
            assert f["quote"] in a.text or a.origin == "dev-set", (a.url, f["quote"])


def _groups(t):
    g = defaultdict(dict)
    for f in t["facts"]:
        if f["qualifier"] != "exact" or f["value"] is None:
            continue
        key = (f["scope_level"], f["scope_name"], f["period_start"], f["period_end"], f["domain"], f["category"])
        unit = f["basis"] if f["unit"] == "percent" else ("cases" if f["unit"] == "cases" else "money")
        g[(key, unit)][f["metric"]] = f["value"]
    return g


def test_figures_are_internally_consistent(generated):
    checked = Counter()
    for t in generated:
        for (_key, _unit), m in _groups(t).items():
            if {"total", "carried_over", "new"} <= set(m):
                assert m["total"] == m["carried_over"] + m["new"], t["url"]
                checked["total=carried+new"] += 1
            if {"total", "enforceable", "unenforceable"} <= set(m):
                assert m["total"] == m["enforceable"] + m["unenforceable"], t["url"]
                checked["total=enf+unenf"] += 1
            if {"total", "completed", "remaining"} <= set(m):
                assert m["remaining"] == m["total"] - m["completed"], t["url"]
                checked["remaining"] += 1
        # rates are stated per basis; join them to the same scope/period counts
        by_key = defaultdict(dict)
        for (key, unit), m in _groups(t).items():
            by_key[key][unit] = m
        for key, units in by_key.items():
            for basis in ("cases", "money"):
                counts, rate = units.get(basis, {}), units.get(basis, {}).get("completion_rate")
                if rate is None:
                    rate = units.get(basis, {}).get("completion_rate")
                if {"completed", "enforceable"} <= set(counts) and rate is not None:
                    assert rate == round(100 * counts["completed"] / counts["enforceable"], 2), (t["url"], key)
                    checked[f"rate-{basis}"] += 1
    assert min(checked.values()) >= 100, checked


def test_same_period_reported_twice_has_the_same_figures(generated):
    seen = {}
    repeats = 0
    for t in generated:
        for f in t["facts"]:
            if f["qualifier"] != "exact":
                continue
            key = (f["metric"], f["unit"], f["basis"], f["scope_level"], f["scope_name"], f["period_start"],
                   f["period_end"], f["domain"], f["category"])
            if key in seen:
                assert seen[key] == f["value"], key
                repeats += 1
            seen[key] = f["value"]
    assert repeats >= 50


def test_changes_equal_the_difference_to_the_same_period_a_year_earlier(generated):
    n = 0
    for t in generated:
        for f in t["facts"]:
            if f["change_value"] is None or f["unit"] not in ("cases", "vnd") or f["metric"] not in ("new", "completed"):
                continue
            start, end = date.fromisoformat(f["period_start"]), date.fromisoformat(f["period_end"])
            stat_year = start.year + 1 if start.month >= 10 else start.year
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            if "quý" in f["period_label"]:
                period = Period(stat_year, quarter=((start.month - 10) % 12) // 3 + 1)
            else:
                period = Period(stat_year, months)
            basis = "cases" if f["unit"] == "cases" else "money"
            prev = figures(f["scope_level"], f["scope_name"], f["category"], period.previous_year(), basis)
            prev_value = getattr(prev, f["metric"])
            assert f["value"] - prev_value == f["change_value"], (t["url"], f["quote"])
            assert f["change_pct"] == round(100 * f["change_value"] / prev_value, 2)
            n += 1
    assert n >= 200


def test_statistical_year_periods_follow_the_spec():
    assert (Period(2021).start, Period(2021).end) == (date(2020, 10, 1), date(2021, 9, 30))
    assert Period(2021).label == "năm 2021"
    p = Period(2021, 6)
    assert (p.start, p.end, p.label) == (date(2020, 10, 1), date(2021, 3, 31), "6 tháng đầu năm 2021")
    p = Period(2023, 5, style="padded")
    assert (p.end, p.label) == (date(2023, 2, 28), "05 tháng đầu năm 2023")
    q = Period(2022, quarter=1)
    assert (q.start, q.end, q.label) == (date(2021, 10, 1), date(2021, 12, 31), "quý I năm 2022")
    assert (Period(2022, quarter=2).start, Period(2022, quarter=2).end) == (date(2022, 1, 1), date(2022, 3, 31))
    assert Period(2024, 6, style="asof").label == "tính đến ngày 31/3/2024"
    assert Period(2024, 6, style="range").label == "từ ngày 1/10/2023 đến ngày 31/3/2024"


def test_number_formats():
    assert fmt_int(264909) == "264.909"
    assert fmt_int(5, pad2=True) == "05"
    assert fmt_money(84_716_180_000_000) == "84.716 tỷ 180 triệu đồng"
    assert fmt_money(824_000_000_000) == "824 tỷ đồng"
    assert fmt_money(850_000_000) == "850 triệu đồng"
    assert fmt_pct(45.67) == "45,67" and fmt_pct(60.0) == "60" and fmt_pct(4.5) == "4,5"
    with pytest.raises(ValueError):
        fmt_money(1_500)


def test_phrasing_is_varied_like_real_reports():
    corpus = "\n".join(a.text + "\n" + a.title for a in arch.articles() if a.origin == "generated")
    for phrase in ("tổng số phải thi hành", "tổng số phải giải quyết", "thụ lý mới", "số mới thụ lý",
                   "có điều kiện thi hành", "chưa có điều kiện thi hành", "thi hành xong", "giải quyết xong",
                   "đạt tỷ lệ", "đạt tỉ lệ", "về việc", "về tiền", "tỷ", "triệu đồng", "so với cùng kỳ năm",
                   "6 tháng đầu năm", "05 tháng đầu năm", "quý I năm", "quý III năm", "tính đến ngày", "từ ngày 1/10/",
                   "năm trước chuyển sang", "số cũ chuyển sang", "chuyển kỳ sau", "án tín dụng, ngân hàng",
                   "án tham nhũng, kinh tế", "ngân sách nhà nước", "bản án, quyết định", "biên chế",
                   "bình quân mỗi Chấp hành viên", "hơn", "gần", "giảm", "(PLVN) -", "(PLO)-", "Chi cục THADS"):
        assert phrase in corpus, phrase


def test_devset_articles_carry_their_gold_facts(truth, shared_dir):
    dev = {t["url"]: t for t in truth if t["origin"] == "dev-set"}
    assert len(dev) == 5
    sources = Counter(t["source"] for t in dev.values())
    assert sources == {"thads": 3, "moj": 1, "baophapluat": 1}
    gold_counts = sorted(len(json.loads(p.read_text())["facts"]) for p in (shared_dir / "dev-set/gold").glob("*.json"))
    assert sorted(len(t["facts"]) for t in dev.values()) == gold_counts
    assert any("/vinhphuc/" in u for u in dev)


def test_archive_is_deterministic():
    def digest(records):
        return hashlib.sha256(json.dumps(records, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    fresh = [a.truth_record() for a in arch.build_archive().articles]
    assert digest(fresh) == digest(arch.truth())


def test_truth_is_identical_across_processes_and_hash_seeds():
    import os
    import subprocess
    import sys

    code = ("import hashlib, json; from scrapers.mirror.archive import truth; "
            "print(hashlib.sha256(json.dumps(truth(), sort_keys=True, ensure_ascii=False).encode()).hexdigest())")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert len(out) == 1 and len(out.pop()) == 64
