"""The province table (data/provinces.csv) and name matching over text."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scrapers.extract.textprep import prepare

DATA = Path(__file__).resolve().parent / "data" / "provinces.csv"
OUTLETS = DATA.parent / "outlets.yaml"
# A prefix that marks a following name as a province (not a person or a street).
PREFIX = r"(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố|THÀNH PHỐ|TP\.?|Tp\.?|tp\.?)\s*"


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    merged_into: str
    exists_after_2025: bool
    thads_slug: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Province(r["name"], r["kind"], r["merged_into"], r["exists_after_2025"] == "true", r["thads_slug"],
                     tuple(a for a in r["aliases"].split("|") if a))
            for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], re.Pattern, re.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    for p in provinces():
        for a in (p.name, *p.aliases):
            names[prepare(a).norm] = p.name
    alts = trie_regex(names)
    plain = re.compile(r"(?<!\w)(" + alts + r")(?!\w)")
    prefixed = re.compile(r"(?<!\w)" + PREFIX + r"(" + alts + r")(?!\w)")
    slugs = {p.thads_slug: p.name for p in provinces()}
    return names, plain, prefixed, slugs


def trie_regex(words) -> str:
    """One alternation factored by common prefixes (much faster than a flat list of
    hundreds of names in Python's re); longer words win because a shorter one is
    only tried after its longer continuations."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def canonical(name: str) -> str | None:
    """'TP.HCM' -> 'Hồ Chí Minh'; None when not a province."""
    return _index()[0].get(prepare(name.strip()).norm)


@lru_cache(maxsize=1)
def _lower_names() -> dict[str, str]:
    return {k.lower(): v for k, v in _index()[0].items()}


def from_lower(name: str) -> str | None:
    """A province from its lower-cased normalised name or alias ("hà nội", "tp.hcm")."""
    return _lower_names().get(name.strip())


def from_slug(slug: str) -> str | None:
    return _index()[3].get(slug.lower())


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^a-z]", "", "".join(c for c in s if not unicodedata.combining(c)).lower())


@lru_cache(maxsize=1)
def _folded() -> dict[str, str]:
    return {_fold(a): p.name for p in provinces() for a in (p.name, *p.aliases)}


def from_folded(word: str) -> str | None:
    """'binhdinh' / 'thuathienhue' -> the province; None when not a province."""
    return _folded().get(word.lower())


@lru_cache(maxsize=1)
def outlets() -> dict:
    """data/outlets.yaml: host patterns and hosts of local outlets (see scope.outlet_province)."""
    import yaml
    raw = yaml.safe_load(OUTLETS.read_text(encoding="utf-8")) or {}
    return {"patterns": [re.compile(x) for x in raw.get("patterns") or []],
            "hosts": {h.lower(): n for h, n in (raw.get("hosts") or {}).items()}}


# Aliases that name the province by themselves, without "tỉnh"/"TP." (TP.HCM, Thủ đô).
# "Cục THADS Hà Nội": the agency names the province without "tỉnh"/"TP.".
_AGENCY_BEFORE = re.compile(r"(?:THADS|[Tt]hi hành án dân sự|THA|Cục)\s+$")
_SELF_PREFIXED = re.compile(r"^(?:TP|Tp|Thành phố|thành phố|Thủ đô|Sài Gòn|BR-VT|TT)")


def mentions(norm: str, *, prefixed_only: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) of province names in case-kept normalised text."""
    names, plain, prefixed, _ = _index()
    out = []
    for m in prefixed.finditer(norm):
        out.append((m.start(), m.end(), names[m.group(1)]))
    for m in plain.finditer(norm):
        if any(s <= m.start() < e for s, e, _ in out):
            continue
        if prefixed_only and not _SELF_PREFIXED.match(m.group(1)) and \
                not _AGENCY_BEFORE.search(norm[max(0, m.start() - 30):m.start()]):
            continue
        out.append((m.start(), m.end(), names[m.group(1)]))
    out.sort()
    return out
