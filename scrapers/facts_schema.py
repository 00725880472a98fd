"""The fact record: fields and vocabularies of ../shared/spec/facts.md.

The extractor emits these fields, the lake stores them with provenance
columns, and the warehouse's accepted-values tests use the same lists.
"""

from __future__ import annotations

METRICS = (
    "total", "carried_over", "new", "enforceable", "unenforceable", "completed",
    "completion_rate", "remaining", "target_rate", "staff", "cases_per_enforcer", "tracked",
)
UNITS = ("cases", "vnd", "percent", "judgments", "persons")
BASES = ("cases", "money")
QUALIFIERS = ("exact", "approx", "over", "under")
SCOPE_LEVELS = ("national", "province", "district")
DOMAINS = ("civil", "administrative")
CATEGORIES = ("all", "corruption_economic", "credit_banking", "state_budget")

# Order of the fields in a fact, as the spec lists them.
FACT_FIELDS = (
    "metric", "unit", "basis", "value", "qualifier", "change_value", "change_pct",
    "compared_to", "period_start", "period_end", "period_label", "scope_level",
    "scope_name", "domain", "category", "quote", "char_start", "char_end",
)

# Columns the lake adds to each fact for provenance and versioning.
LAKE_FACT_COLUMNS = (
    "doc_id", "source", "url", "published", "fact_idx", "cleaner_version", "extractor_version",
) + FACT_FIELDS


def validate(fact: dict) -> list[str]:
    """Problems with one fact, as readable strings (empty when it is well formed)."""
    problems = []
    missing = [f for f in FACT_FIELDS if f not in fact]
    if missing:
        problems.append(f"missing fields: {', '.join(missing)}")
    for field, allowed in (("metric", METRICS), ("unit", UNITS), ("qualifier", QUALIFIERS),
                           ("scope_level", SCOPE_LEVELS), ("domain", DOMAINS), ("category", CATEGORIES)):
        if fact.get(field) not in allowed:
            problems.append(f"{field}={fact.get(field)!r} not in {allowed}")
    if fact.get("unit") == "percent" and fact.get("basis") not in BASES:
        problems.append(f"a percent fact needs basis in {BASES}")
    if fact.get("unit") != "percent" and fact.get("basis") is not None:
        problems.append("basis is only for percent facts")
    if fact.get("value") is None and fact.get("change_value") is None and fact.get("change_pct") is None:
        problems.append("a fact needs a value or a change")
    return problems
