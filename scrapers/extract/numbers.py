"""Number grammar: Vietnamese figures with scale words and units.

``scan(low)`` finds every quantity in lower-cased normalised text: digits with
dot/comma grouping (``264.909``, ``28,04``, ``4.3``, ``1,052``), chained scales
(``14.366 tỷ 829 triệu 385 nghìn đồng``), small numbers as words (``năm bản án``),
ratios (``363/830 việc``) and a unit (việc, đồng, %, bản án, biên chế ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SCALES = {"nghìn tỷ": 10**12, "ngàn tỷ": 10**12, "tỷ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3,
          # "1.254.318 tr.đ" (reports of 2015-2018 abbreviate "triệu đồng"); only before "đ"
          "tr.": 10**6, "tr": 10**6}
WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8,
         "chín": 9, "mười": 10}

# Units after a number; the first that matches wins (longer phrases first).
UNITS = (
    # bare "quyết định" is left out: "ra 12.000 quyết định thi hành án" is not a judgment count
    ("judgments", r"bản án,?\s*quyết định(?:\s+hành chính)?|bản án(?:\s+hành chính)?|quyết định\s+hành chính"),
    ("cases", r"vụ việc|việc"),
    ("persons", r"biên chế|công chức|chấp hành viên|cán bộ|người"),
    ("vnd", r"đồng|vnđ|vnd|đ(?!\w)"),
    # "giảm 3,5 điểm %" (percentage points, written out)
    ("percent", r"điểm\s*%|điểm phần trăm|%"),
)
_UNIT_RE = re.compile(r"\s*(?:" + "|".join(f"(?P<{u}>{p})" for u, p in UNITS) + r")(?!\w)|\s*%")
_NUM = r"\d+(?:[.,]\d+)*"
_NUM_RE = re.compile(r"(?<![\w/.,])" + _NUM + r"(?!/\d+/)")
_SCALE_RE = re.compile(r"\s*((?:nghìn tỷ|ngàn tỷ|tỷ|triệu|nghìn|ngàn)(?!\s*lệ)(?!\w)|tr\.?(?=\s*đ(?:ồng)?(?!\w)))")
_CHAIN_RE = re.compile(r"\s*(" + _NUM + r")\s*(triệu|nghìn|ngàn|tỷ)(?!\w)")
_WORD_RE = re.compile(r"(?<!\w)(?=[mhbnstc])(" + "|".join(WORDS) + r")\s+(?=(?:bản án|quyết định|việc|vụ việc|chấp hành viên)(?!\w))")
_BASIS_RE = re.compile(r"\s*(?:về|theo)\s+(việc|tiền|giá trị|số việc|số tiền)(?!\w)")
_FOOTNOTE_RE = re.compile(r"\[\d{1,3}\]|(?<=%)\d{1,3}(?!\d)")
_RATIO_RE = re.compile(r"\s*/\s*(" + _NUM + r")(?![.,]?\d)(?:\s*(?:việc|vụ việc))?(?!\w)"
                       r"(?!\s*(?:nghìn|ngàn|tỷ|triệu|đồng|vnđ|đ(?!\w)))")
# "10.342 việc/728 tỷ đồng": a count and its amount in one pair (not a ratio)
_PAIR_MONEY_RE = re.compile(r"(?<=việc)\s*/\s*(" + _NUM + r")(?=\s*(?:nghìn|ngàn|tỷ|triệu|đồng)(?!\w))")
# "43,5 tỷ/112,8 tỷ đồng": a ratio of amounts
_MONEY_RATIO_RE = re.compile(r"\s*/\s*(" + _NUM + r")\s*(nghìn tỷ|ngàn tỷ|tỷ|triệu)?(?!\w)")
_AMBIGUOUS_BILLION = re.compile(r"\d,\d{3}")


# "thi hành xong 96 vụ": "vụ" counts cases only right after "thi hành" (courts write
# "xét xử 1.045 vụ án", "thụ lý 3.860 vụ, việc", "giải quyết 7.811 vụ")
_VU_UNIT = re.compile(r"\s*vụ(?!\s*án)(?!\s*,?\s*việc)(?!\w)")
_VU_LEAD = re.compile(r"(?<!\w)(?:thi hành|thi hành dứt điểm)(?:\s+(?:xong|được))?"
                      r"(?:\s+(?:hơn|gần|khoảng|trên|được))?\s*$")
_LEAD_NOUN = re.compile(r"(?<!\w)(?:số|tổng số)\s+(việc|vụ việc|bản án|tiền)(?!\w)[^.;:\d]{0,70}?(?:là|:)\s*$")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_BARE_AFTER_VERB = re.compile(r"(?<!\w)(?:xong|được|còn|còn lại)\s*$")
_BARE_END = re.compile(r"\s*(?:[,;)]|\.(?!\d)|\s+và(?!\w))")


def _unit_from_lead(low: str, start: int) -> str | None:
    m = _LEAD_NOUN.search(low, max(0, start - 90), start)
    if not m:
        return None
    return {"việc": "cases", "vụ việc": "cases", "bản án": "judgments", "tiền": "vnd"}[m.group(1)]


@dataclass
class Mention:
    start: int          # first digit (or number word)
    end: int            # after the unit (and a trailing "về việc"/"về tiền")
    value: Decimal
    unit: str
    basis: str | None   # "cases" / "money" from a trailing "về việc" / "về tiền"
    denominator: Decimal | None = None
    alt: Decimal | None = None    # the other reading of an ambiguous "1,052 tỷ" (1 tỷ 52 triệu)


def parse_number(s: str, unit: str | None = None, scale: int = 1) -> Decimal | None:
    """'264.909' -> 264909, '28,04' -> 28.04, '4.3' -> 4.3.

    A single comma before exactly three digits is ambiguous: Vietnamese decimal
    ("266,732 tỷ" = 266 tỷ 732 triệu, "1,475 ngàn tỷ") or English grouping ("1,052 tỷ"
    written for 1.052 tỷ, "1,234 việc"). It is grouping for counts, and for "tỷ" after a
    one-digit integer part; decimal for percents and every other scaled amount."""
    s = s.strip()
    try:
        if "," in s and "." in s:
            if s.rfind(",") > s.rfind("."):
                return Decimal(s.replace(".", "").replace(",", "."))
            return Decimal(s.replace(",", ""))
        for sep in (".", ","):
            if sep in s:
                parts = s.split(sep)
                grouped = all(len(p) == 3 for p in parts[1:])
                if len(parts) > 2 and grouped:
                    return Decimal("".join(parts))
                if len(parts) > 2:
                    return None
                english_ok = scale == 1 or (scale == 10**9 and len(parts[0]) == 1)
                if grouped and unit != "percent" and (sep == "." or english_ok):
                    return Decimal("".join(parts))
                return Decimal(parts[0] + "." + parts[1])
        return Decimal(s)
    except InvalidOperation:
        return None


def _unit_at(low: str, pos: int) -> tuple[str, int] | None:
    m = _UNIT_RE.match(low, pos)
    if not m:
        return None
    for u, _ in UNITS:
        if m.group(u) is not None:
            return u, m.end()
    return "percent", m.end()


def _trailing_basis(low: str, pos: int) -> tuple[str | None, int]:
    m = _BASIS_RE.match(low, pos)
    if not m:
        return None, pos
    return ("money" if m.group(1) in ("tiền", "giá trị", "số tiền") else "cases"), m.end()


def _skip_footnote(low: str, pos: int) -> int:
    m = _FOOTNOTE_RE.match(low, pos)
    return m.end() if m else pos


def scan(low: str) -> list[Mention]:
    out: list[Mention] = []
    bare: list[re.Match] = []
    for m in _NUM_RE.finditer(low):
        got = _read_quantity(low, m.start(), m.group(0), m.end())
        if got is not None:
            out.append(got)
        elif _VU_UNIT.match(low, m.end()) and _VU_LEAD.search(low, max(0, m.start() - 40), m.start()) \
                and not _YEARLIKE.fullmatch(m.group(0)):
            value = parse_number(m.group(0), "cases")
            if value is not None:
                basis, end = _trailing_basis(low, _VU_UNIT.match(low, m.end()).end())
                out.append(Mention(m.start(), end, value, "cases", basis))
        elif _BARE_AFTER_VERB.search(low, max(0, m.start() - 20), m.start()) and \
                _BARE_END.match(low, m.end()) and not _YEARLIKE.fullmatch(m.group(0)):
            bare.append(m)
    for m in bare:
        # "phải theo dõi là 446; đã thi hành xong 171, còn 275 bản án": the unit of the figure
        # just before it in the sentence
        prev = next((x for x in reversed(out) if x.end <= m.start()), None)
        if prev is not None and prev.unit in ("cases", "judgments") and m.start() - prev.end <= 120 \
                and "." not in low[prev.end:m.start()].replace("..", ""):
            value = parse_number(m.group(0), prev.unit)
            if value is not None:
                out.append(Mention(m.start(), m.end(), value, prev.unit, None))
    for m in _PAIR_MONEY_RE.finditer(low):
        got = _read_quantity(low, m.start(1), m.group(1), m.end(1))
        if got is not None and got.unit == "vnd":
            out.append(got)
    for m in _WORD_RE.finditer(low):
        u = _unit_at(low, m.end(1))
        if u is None:
            continue
        basis, end = _trailing_basis(low, _skip_footnote(low, u[1]))
        out.append(Mention(m.start(1), end, Decimal(WORDS[m.group(1)]), u[0], basis))
    out.sort(key=lambda x: x.start)
    # Drop mentions inside another one (the "829" of "14.366 tỷ 829 triệu").
    kept: list[Mention] = []
    for x in out:
        if kept and x.start < kept[-1].end:
            continue
        kept.append(x)
    return kept


def _read_quantity(low: str, start: int, raw: str, pos: int) -> Mention | None:
    sm = _SCALE_RE.match(low, pos)
    if sm:
        scale = SCALES[sm.group(1)]
        value = parse_number(raw, "vnd", scale)
        if value is None:
            return None
        total = value * scale
        pos = sm.end()
        # chained smaller scales: "14.366 tỷ 829 triệu 385 nghìn"
        while True:
            cm = _CHAIN_RE.match(low, pos)
            if not cm or SCALES[cm.group(2)] >= scale:
                break
            part = parse_number(cm.group(1), "vnd", SCALES[cm.group(2)])
            if part is None:
                break
            scale = SCALES[cm.group(2)]
            total += part * scale
            pos = cm.end()
        pos = _skip_footnote(low, pos)
        alt = None
        if SCALES[sm.group(1)] == 10**9 and _AMBIGUOUS_BILLION.fullmatch(raw) and total == value * 10**9:
            alt = Decimal(raw.replace(",", ".")) * 10**9
        denominator = None
        rm = _MONEY_RATIO_RE.match(low, pos)
        if rm:
            dscale = SCALES[rm.group(2)] if rm.group(2) else SCALES[sm.group(1)]
            dv = parse_number(rm.group(1), "vnd", dscale)
            if dv is not None:
                denominator, pos = dv * dscale, rm.end()
        u = _unit_at(low, pos)
        if u and u[0] in ("cases", "judgments", "persons"):
            unit, pos = u
        elif u and u[0] == "vnd":
            unit, pos = "vnd", u[1]
        elif scale >= 10**6 or SCALES[sm.group(1)] >= 10**6:
            unit = "vnd"   # "hơn 150.000 tỷ": money without "đồng"
        else:
            unit = _unit_from_lead(low, start)   # "số việc có điều kiện thi hành là 9,87 ngàn"
            if unit is None:
                return None
        basis, end = _trailing_basis(low, pos)
        return Mention(start, end, total, unit, basis, denominator if unit == "vnd" else None,
                       alt if unit == "vnd" else None)
    after = _skip_footnote(low, pos)
    rm = re.match(r"/\s*(" + _NUM + r")", low[after:after + 20]) if low.startswith("/", after) else None
    denominator = None
    if rm:
        # a ratio "363/830 việc"; a date 1/10/2020 has a second slash and is excluded by _NUM_RE
        denominator = parse_number(rm.group(1), "cases")
        after = after + rm.end()
    if denominator is not None:
        sm2 = _SCALE_RE.match(low, after)
        if sm2:
            # "312,6/1.045,8 tỷ đồng": both amounts take the scale written once after the ratio
            sc = SCALES[sm2.group(1)]
            num, den = parse_number(raw, "vnd", sc), parse_number(rm.group(1), "vnd", sc)
            if num is None or den is None:
                return None
            pos = sm2.end()
            u = _unit_at(low, pos)
            if u and u[0] == "vnd":
                pos = u[1]
            elif sc < 10**6:
                return None
            basis, end = _trailing_basis(low, pos)
            return Mention(start, end, num * sc, "vnd", basis, den * sc)
    u = _unit_at(low, after)
    if u is None:
        # "tổng số bản án đang theo dõi là 54": the noun before names the unit
        unit = _unit_from_lead(low, start) if not _YEARLIKE.fullmatch(raw) and denominator is None else None
        if unit is None:
            return None
        u = (unit, after)
    unit, pos = u
    value = parse_number(raw, unit)
    if value is None:
        return None
    pos = _skip_footnote(low, pos)
    if denominator is None and unit == "cases":
        r2 = _RATIO_RE.match(low, pos)
        if r2:   # "7.714 việc/8.403 việc"
            denominator = parse_number(r2.group(1), "cases")
            pos = r2.end()
    basis, end = _trailing_basis(low, pos)
    return Mention(start, end, value, unit, basis, denominator)
