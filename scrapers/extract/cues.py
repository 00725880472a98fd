"""Loads the cue tables of data/cues.yaml into compiled matchers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from scrapers.extract.textprep import prepare

DATA = Path(__file__).resolve().parent / "data" / "cues.yaml"


def _norm(phrase: str) -> str:
    return prepare(phrase).low.strip()


def _alternation(phrases) -> re.Pattern:
    alts = sorted({_norm(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")


@dataclass
class Cues:
    metric_re: re.Pattern           # any metric cue; group name = metric
    metric_of: dict[str, str]       # phrase -> metric
    rate_re: re.Pattern
    target_re: re.Pattern
    override: list[tuple[str, re.Pattern]]
    change_re: re.Pattern           # change word right before a figure
    change_sign: dict[str, int]
    target_ref_after: re.Pattern    # right after a change: it is against a target
    target_ref_before: re.Pattern   # in the change's lead: "so với chỉ tiêu được giao, vượt 2%"
    qualifier_re: re.Pattern        # qualifier right before a figure
    qualifier_of: dict[str, str]
    money_re: re.Pattern
    category_re: re.Pattern
    category_of: dict[str, str]
    domain_re: re.Pattern
    domain_of: dict[str, str]
    scope_national: tuple[str, ...]
    scope_national_weak: tuple[str, ...]
    scope_own_province: tuple[str, ...]
    veto_before: re.Pattern
    veto_after: re.Pattern
    veto_just_before: re.Pattern
    veto_after_percent: re.Pattern
    veto_subject: re.Pattern
    agency: re.Pattern
    generic_metric: frozenset
    enforcement_re: re.Pattern


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    metric_of = {_norm(p): m for m, ps in raw["metrics"].items() for p in ps}
    change_sign = {_norm(k): int(v) for k, v in raw["changes"].items()}
    qualifier_of = {_norm(p): q for q, ps in raw["qualifiers"].items() for p in ps if "..." not in p}
    quals = sorted(qualifier_of, key=len, reverse=True)
    changes = sorted(change_sign, key=len, reverse=True)
    cat_of = {_norm(p): c for c, ps in raw["categories"].items() for p in ps}
    domain_of = {_norm(p): d for d, ps in raw["domains"].items() for p in ps}
    q_alt = "|".join(map(re.escape, quals))
    return Cues(
        metric_re=_alternation(metric_of),
        metric_of=metric_of,
        rate_re=_alternation(raw["rate_cues"]),
        target_re=_alternation(raw["target_cues"]),
        override=[(m, _alternation(ps)) for m, ps in raw["override_cues"].items()],
        # "cao hơn cùng kỳ 3,2%", "tăng so với năm trước là 415 việc": the comparison may sit
        # between the change word and its figure
        change_re=re.compile(r"(?<!\w)(?<!không )(?<!chưa )(" + "|".join(map(re.escape, changes)) + r")"
                             r"(?:\s+(?:so\s+với\s+)?(?:cùng\s+kỳ|năm\s+trước|kỳ\s+trước)"
                             r"(?:\s+năm(?:\s+\d{4}|\s+trước)?)?)?(?:\s+(?:thêm|lên|xuống|là|lần lượt(?: là)?))?"
                             r"(?:\s+(?:" + q_alt + r"))?\s*[(:]?\s*$"),
        change_sign=change_sign,
        target_ref_after=re.compile(r"\s*(?:\(\s*)?(?:(?:so\s+)?với\s+|của\s+|về\s+)?(?:tỷ lệ\s+)?(?:mức\s+)?(?:"
                                    + "|".join(map(re.escape, map(_norm, raw["target_refs"]))) + r")(?!\w)"),
        target_ref_before=re.compile(r"so\s+với\s+(?:tỷ lệ\s+)?(?:mức\s+)?(?:"
                                     + "|".join(map(re.escape, map(_norm, raw["target_refs"])))
                                     + r")(?!\w)([^;.]{0,40})$"),
        qualifier_re=re.compile(r"(?<!\w)(" + q_alt + r")\s*(?:là\s*)?$"),
        qualifier_of=qualifier_of,
        money_re=_alternation(raw["money_hints"]),
        category_re=_alternation(cat_of),
        category_of=cat_of,
        domain_re=_alternation(domain_of),
        domain_of=domain_of,
        scope_national=tuple(_norm(p) for p in raw["scope"]["national"]),
        scope_national_weak=tuple(_norm(p) for p in raw["scope"]["national_weak"]),
        scope_own_province=tuple(_norm(p) for p in raw["scope"]["own_province"]),
        veto_before=_alternation(raw["vetoes"]["before"]),
        veto_after=re.compile(r"^\s*(?:" + "|".join(re.escape(_norm(p)) for p in raw["vetoes"]["after"])
                              + r")(?!\w)"),
        # "lần lượt" (respectively) is not a count of visits ("lượt")
        veto_just_before=re.compile(r"(?<!\w)(?<!lần )(?:" + "|".join(re.escape(_norm(p)) for p in
                                                                 raw["vetoes"]["just_before"]) + r")\s*$"),
        veto_subject=_alternation(raw["vetoes"]["subject"]),
        agency=_alternation(raw["vetoes"]["agency"]),
        veto_after_percent=re.compile(r"^\s*(?:" + "|".join(re.escape(_norm(p)) for p in
                                                           raw["vetoes"]["after_percent"]) + r")(?!\w)"),
        generic_metric=frozenset(_norm(p) for p in raw["generic_metric_cues"]),
        enforcement_re=_alternation(raw["enforcement_words"]),
    )
