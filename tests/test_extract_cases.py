"""Hand-labelled cases (tests/extract_cases/cases.yaml) must come out exactly."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from scrapers.extract import extract_facts
from scrapers.facts_schema import FACT_FIELDS, validate

CASES = yaml.safe_load((Path(__file__).parent / "extract_cases" / "cases.yaml").read_text(encoding="utf-8"))


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(abs(float(a)), abs(float(b))) * 1e-9 + 1e-9


def _expected(case: dict) -> list[dict]:
    out = []
    for metric, unit, value, *rest in case["facts"]:
        over = rest[0] if rest else {}
        period = over.get("period", case.get("period"))
        scope = over.get("scope", case.get("scope"))
        out.append({
            "metric": metric, "unit": unit, "value": value, "basis": over.get("basis"),
            "qualifier": over.get("qualifier", "exact"),
            "change_value": over.get("change_value"), "change_pct": over.get("change_pct"),
            "category": over.get("category", "all"), "domain": over.get("domain", "civil"),
            "period_start": str(period[0]) if period else None, "period_end": str(period[1]) if period else None,
            "scope_level": scope[0] if scope else None, "scope_name": scope[1] if scope else None,
        })
    return out


def _key_match(e: dict, p: dict) -> bool:
    return (e["metric"], e["unit"], e["basis"]) == (p["metric"], p["unit"], p["basis"]) and \
        _close(e["value"], p["value"]) and _close(e["change_value"], p["change_value"]) and \
        _close(e["change_pct"], p["change_pct"])


def _dedup(facts: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in facts:
        k = tuple(f[x] for x in ("metric", "unit", "basis", "category", "value", "change_value", "change_pct"))
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    text = case["text"]
    if case.get("nfd"):
        text = unicodedata.normalize("NFD", text)
    published = str(case["published"]) if case.get("published") else None
    got = extract_facts(text, url=case.get("url"), title=case.get("title"), published=published)
    for f in got:
        assert tuple(f) == FACT_FIELDS
        assert validate(f) == [], f
        assert text[f["char_start"]:f["char_end"]] == f["quote"]
    got = _dedup(got)
    expected = _expected(case)
    unmatched = list(got)
    problems = []
    for e in expected:
        p = next((p for p in unmatched if _key_match(e, p)), None)
        if p is None:
            problems.append(f"missed {e}")
            continue
        unmatched.remove(p)
        for k in ("qualifier", "category", "domain", "period_start", "period_end", "scope_level", "scope_name"):
            if e[k] != p[k]:
                problems.append(f"{e['metric']}/{e['unit']} {e['value']}: {k} expected {e[k]!r} got {p[k]!r}")
    for p in unmatched:
        problems.append(f"extra {p['metric']}/{p['unit']}/{p['basis']} {p['value']} ({p['quote']})")
    assert not problems, "\n".join(problems)


def test_enough_cases():
    # The engine is tuned on these and the dev set; keep the labelled set broad.
    assert len(CASES) >= 25
    assert sum(len(c["facts"]) for c in CASES) >= 80
