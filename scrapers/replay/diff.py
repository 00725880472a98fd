"""What a replay changes, compared with what readers saw before it.

The previous view of a document is its article and facts in the newest complete
version that contains it (the warehouse's rule). Facts are matched by their
identity key below; a matched fact whose measured fields differ is "changed".
Offsets and provenance columns are not compared: a cleaner change that shifts
``char_start`` without changing what was measured is not a changed fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

# What a fact is about: the same key in two versions is the same fact (dbt macro metric_key_cols).
KEY_FIELDS = ("doc_id", "metric", "unit", "basis", "scope_level", "scope_name", "domain", "category",
              "period_start", "period_end")
# What it says: a difference here makes the fact "changed" (as in int_fact_version_compare).
VALUE_FIELDS = ("value", "qualifier", "change_value", "change_pct", "compared_to", "quote")
ARTICLE_FIELDS = ("title", "published", "content_hash", "subsite", "url")  # content_hash stands for text
SAMPLE = 20


def _order(f: dict[str, Any]) -> tuple[int, int]:
    cs, idx = f.get("char_start"), f.get("fact_idx")
    return (cs if isinstance(cs, int) else 1 << 62, idx if isinstance(idx, int) else 1 << 62)


def _keyed(facts: Iterable[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    # The n-th fact with the same key (by char_start, fact_idx) pairs with the n-th one on the other
    # side: the warehouse's int_fact_version_compare matches the same way.
    seen: Counter = Counter()
    out = {}
    for f in sorted(facts, key=_order):
        k = tuple(f.get(x) for x in KEY_FIELDS)
        seen[k] += 1
        out[(*k, seen[k])] = f
    return out


def _label(f: dict[str, Any]) -> str:
    scope = f.get("scope_name") or f.get("scope_level")
    return f"{f.get('doc_id')} {f.get('metric')}/{f.get('unit')} {scope} {f.get('period_end')}"


class Diff:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.samples: list[dict[str, Any]] = []

    def _sample(self, kind: str, f: dict[str, Any], **extra: Any) -> None:
        if len(self.samples) < SAMPLE:
            self.samples.append({"change": kind, "fact": _label(f), **extra})

    def add_doc(self, prev_article: dict | None, prev_facts: list[dict], new_article: dict | None,
                new_facts: list[dict], *, skipped: bool = False) -> None:
        """``new_article`` None: the page failed (or, with ``skipped``, was off topic) under the new rules."""
        if new_article is None:
            self.counts["articles_dropped" if prev_article else
                        "pages_skipped" if skipped else "articles_failed"] += 1
        elif prev_article is None:
            self.counts["articles_new"] += 1
        elif any(prev_article.get(k) != new_article.get(k) for k in ARTICLE_FIELDS):
            self.counts["articles_changed"] += 1
        else:
            self.counts["articles_unchanged"] += 1
        if new_article is None:
            return  # the previous facts stay visible from their version; nothing is added or removed
        old, new = _keyed(prev_facts), _keyed(new_facts)
        for k in old.keys() - new.keys():
            self.counts["facts_removed"] += 1
            self._sample("removed", old[k], value=old[k].get("value"))
        for k in new.keys() - old.keys():
            self.counts["facts_added"] += 1
            self._sample("added", new[k], value=new[k].get("value"))
        for k in new.keys() & old.keys():
            changed = [x for x in VALUE_FIELDS if old[k].get(x) != new[k].get(x)]
            if changed:
                self.counts["facts_changed"] += 1
                self._sample("changed", new[k], fields={x: [old[k].get(x), new[k].get(x)] for x in changed})
            else:
                self.counts["facts_unchanged"] += 1

    @property
    def empty(self) -> bool:
        c = self.counts
        return not (c["articles_new"] or c["articles_changed"] or c["articles_dropped"]
                    or c["facts_added"] or c["facts_removed"] or c["facts_changed"])

    def summary(self) -> dict[str, Any]:
        keys = ("articles_new", "articles_changed", "articles_unchanged", "articles_dropped",
                "articles_failed", "pages_skipped", "facts_added", "facts_removed", "facts_changed",
                "facts_unchanged")
        return {**{k: self.counts[k] for k in keys}, "empty": self.empty, "samples": list(self.samples)}


def format_summary(d: dict[str, Any]) -> str:
    lines = [
        f"articles: {d['articles_new']} new, {d['articles_changed']} changed, "
        f"{d['articles_unchanged']} unchanged, {d['articles_dropped']} dropped (no article now; the older "
        f"version stays visible), {d['articles_failed']} failed; {d['pages_skipped']} pages off topic",
        f"facts:    {d['facts_added']} added, {d['facts_removed']} removed, {d['facts_changed']} changed, "
        f"{d['facts_unchanged']} unchanged",
    ]
    for s in d.get("samples", [])[:10]:
        extra = s.get("fields") or s.get("value")
        lines.append(f"  {s['change']:8} {s['fact']}  {extra}")
    return "\n".join(lines)
