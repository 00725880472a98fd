"""Whose figures: the whole system, one province's Cục THADS, or one Chi cục.

The article's scope comes from, in order: the publisher subsite in the URL
(thads.moj.gov.vn/bentre/...), a province named in the title, the agency
named in the body ("Cục THADS tỉnh X"), national cues. A sentence may narrow or
switch it (a Chi cục, another province, "toàn quốc").
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from scrapers.extract import provinces as prov
from scrapers.extract.cues import cues

_URL_SLUG = re.compile(r"thads\.moj\.gov\.vn/([a-z]+)/", re.I)
_LAST_WORD = re.compile(r"([^\W\d_][\w.]*)[\s:(]*$")
_HOST = re.compile(r"^(?:[a-z]+://)?(?:www\.)?([^/:?#]+)", re.I)
# "Chi cục THADS huyện Con Cuông (Nghệ An)", "... quận 1, TP.HCM": the parent province right after
_PARENT_AFTER = re.compile(r"\s*(?:\(\s*|,\s*|-\s*|–\s*)")
# "Cục THADS tỉnh X", and since July 2025 "Thi hành án dân sự tỉnh X" without "Cục"
_AGENCY = re.compile(r"(?:(?:Cục|cục|CỤC)\s+)?(?:THADS|Thi hành án dân sự|thi hành án dân sự|THA|Thi hành án|"
                     r"THI HÀNH ÁN DÂN SỰ)"
                     r"\s*(?:tỉnh|thành phố|TP\.?|Tp\.?|Tỉnh|Thành phố)?\s*$")
# a Chi cục (before July 2025) or a "Phòng THADS khu vực N" (after): the district level
_DISTRICT = re.compile(
    r"(?:(?:Chi cục|chi cục|CHI CỤC)\s+(?:THADS|Thi hành án dân sự|thi hành án dân sự)\s+"
    r"(?:(?:huyện|quận|thị xã|thành phố|TP\.?|Huyện|Quận|Thị xã|Thành phố)\s+|(?:H|Q|TX|TP|Tp)\.\s*)"
    r"|(?:Phòng|phòng|PHÒNG)\s+(?:THADS|Thi hành án dân sự|thi hành án dân sự|THA dân sự)\s+"
    r"(?=(?:khu vực|Khu vực|KHU VỰC)\s*\d))"
    r"([^\W_][^\s,.;:()]*(?: [^\s,.;:()]+){0,3})")
_ASSIGNER = re.compile(r"(?:được|do)\s+(?:[Cc]ục\s+)?(?:THADS|Thi hành án dân sự)\s*(?:tỉnh|thành phố|TP\.?)?\s*$")
_NATIONAL_BENCHMARK = re.compile(r"(?:bình quân|trung bình|mức chung|so với)[^;()]*$")
_MERGER_ASIDE = re.compile(r"\((?=[^()]*(?:hợp nhất|sáp nhập|sắp xếp|trước đây|trước sáp nhập))[^()]*\)")
_AREA = re.compile(r"(?:khu vực|Khu vực|KHU VỰC)\s*(\d+)")
# a provincial agency ("Cục THADS", "Tổng cục") before the first Chi cục: the body is not a Chi cục's
_AGENCY_WORD = re.compile(r"(?<![Cc]hi )(?<!CHI )(?:[Cc]ục|CỤC)(?!\w)")


def _district_name(raw: str) -> str | None:
    """Keep the capitalised words (or a number, "quận 1") of the captured name; "Khu vực N"."""
    am = _AREA.match(raw)
    if am:
        return f"Khu vực {int(am.group(1))}"
    words = []
    for w in raw.split():
        if not (w[0].isupper() or (w.isdigit() and not words)):
            break
        words.append(w)
    return " ".join(words) or None


_cache = threading.local()


def _doc_mentions(norm: str) -> list[tuple[int, int, str]]:
    """Prefixed province mentions of the whole text, computed once per text (per thread)."""
    if getattr(_cache, "norm", None) is not norm:
        _cache.mentions = prov.mentions(norm, prefixed_only=True)
        _cache.norm = norm
    return _cache.mentions


def url_province(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_SLUG.search(url)
    return prov.from_slug(m.group(1)) if m else None


def outlet_province(url: str | None) -> str | None:
    """The province of a local newspaper or portal (baobinhdinh.vn, baoquangninh.com.vn):
    host patterns and hosts in data/outlets.yaml, matched against the province slugs."""
    if not url:
        return None
    m = _HOST.match(url.strip())
    if not m:
        return None
    host = m.group(1).lower()
    table = prov.outlets()
    if host in table["hosts"]:
        return table["hosts"][host]
    for rx in table["patterns"]:
        hm = rx.match(host)
        if hm:
            name = prov.from_slug(hm.group(1)) or prov.from_folded(hm.group(1))
            if name:
                return name
    return None


def parent_after(norm: str, pos: int) -> str | None:
    """A province named right after a district name: "(Nghệ An)", ", tỉnh Tiền Giang", ", TP.HCM"."""
    pm = _PARENT_AFTER.match(norm, pos, pos + 4)
    if not pm:
        return None
    found = prov.mentions(norm[pm.end():pm.end() + 40], prefixed_only=False)
    return found[0][2] if found and found[0][0] == 0 else None


def _body_district(norm: str) -> tuple[str, str] | None:
    """The Chi cục the body opens with, when its province is named right after it."""
    for m in _DISTRICT.finditer(norm, 0, 600):
        name = _district_name(m.group(1))
        parent = parent_after(norm, m.start(1) + len(name)) if name else None
        if parent:
            return parent, name
    return None


def _opening_district(norm: str) -> tuple[str, int] | None:
    """(name, end) of a Chi cục / Phòng khu vực the body opens with ("Vừa qua, Chi cục THADS huyện X
    tổ chức ..."), when no other agency is named before it."""
    m = _DISTRICT.search(norm, 0, 160)
    if not m or _AGENCY_WORD.search(norm, 0, m.start()):
        return None
    name = _district_name(m.group(1))
    return (name, m.start(1) + len(name)) if name else None


def _national_hits(low: str) -> int:
    return sum(low.count(c) for c in cues().scope_national + cues().scope_national_weak)


def article_scope(norm: str, low: str, title: str | None, url: str | None) -> tuple[str, str | None]:
    """(scope_level, scope_name) of the article as a whole."""
    p = url_province(url)
    if title:
        d = _DISTRICT.search(title)
        tp = [x for x in prov.mentions(title, prefixed_only=False) if not d or x[0] < d.start(1)
              or x[0] >= d.end(1)]
        parent = p or (tp[0][2] if tp else None) or _body_province(norm, low)
        if d and not parent:
            bd = _body_district(norm)
            parent = bd[0] if bd else outlet_province(url)
        if d and parent and _district_name(d.group(1)):
            return "district", f"{parent} / {_district_name(d.group(1))}"
        od = None if d or _AGENCY_WORD.search(title) else _opening_district(norm)
        if od and (p or tp):
            return "district", f"{p or tp[0][2]} / {od[0]}"
        if p:
            return "province", p
        if tp:
            return "province", tp[0][2]
        if any(c in title.lower() for c in cues().scope_national + cues().scope_national_weak):
            return "national", None
    od = _opening_district(norm)
    if od:
        parent = p or parent_after(norm, od[1]) or _body_province(norm, low) or outlet_province(url)
        if parent:
            return "district", f"{parent} / {od[0]}"
    if p:
        return "province", p
    name = _body_province(norm, low)
    if name:
        return "province", name
    bd = _body_district(norm)
    if bd:
        return "district", f"{bd[0]} / {bd[1]}"
    op = outlet_province(url)
    # a local paper's story is about its province unless the text says it is about the system
    if op and not any(c in low for c in cues().scope_national):
        return "province", op
    return "national", None


def _body_province(norm: str, low: str) -> str | None:
    """The province whose Cục is the subject of the body, if one stands out."""
    agency = Counter()
    for s, _e, name in _doc_mentions(norm):
        if _AGENCY.search(norm[max(0, s - 40):s]):
            agency[name] += 3
        else:
            agency[name] += 1
    if agency:
        ranked = agency.most_common(2)
        name, score = ranked[0]
        if len(ranked) > 1 and ranked[1][1] >= 3 and score < 2 * ranked[1][1]:
            return None     # several provinces' Cục side by side: a story about the system
        own = sum(low.count(c) for c in cues().scope_own_province)
        national = _national_hits(low)
        # one province's Cục mentioned in a story about the whole system does not make it provincial
        if (score >= 3 and score + own > national) or (own and score >= 1 and national <= own):
            return name
    return None


_CLAUSE_BOUND = re.compile(r"[;:(]|,(?!\d)")
_PREFIXED_HEAD = re.compile(r"(?:tỉnh|thành phố|tp\b|tp\.)", re.I)
_CLAUSE_LEAD = re.compile(r"\s*(?:(?:như|và|còn|riêng|ngược lại|tại|ở|trong đó)\s*,?\s*)*", re.I)


def _clause_province(norm: str, lo: int, hi: int) -> tuple[int, tuple[str, str]] | None:
    """A bare province name heading the figure's clause: "như: Thái Bình đạt 91,2% về việc, Bắc Ninh
    đạt 89,5%"; "TP.HCM đạt 71,3%; Hà Nội đạt 74,6%" (speeches list provinces without a prefix)."""
    start = max(lo, hi - 70)
    tail = norm[start:hi]
    bounds = [b.end() for b in _CLAUSE_BOUND.finditer(tail)]
    if not bounds and start > lo:
        return None
    h = _CLAUSE_LEAD.match(tail, bounds[-1] if bounds else 0)
    if _PREFIXED_HEAD.match(tail, h.end()):
        return None     # "tỉnh X", "TP. X" are found (and checked for asides) by the caller
    got = prov.mentions(tail[h.end():], prefixed_only=False)
    if not got or got[0][0] != 0:
        return None
    rest = tail[h.end() + got[0][1]:]
    if len(rest) > 45 or not re.match(r"\s+[a-zđ]", rest) or re.search(r"[()]", rest):
        return None     # the name must be the clause's subject: "Bắc Ninh đạt ..."
    return h.end() + start - lo, ("province", got[0][2])


def local_scope(norm: str, low: str, lo: int, hi: int, article: tuple[str, str | None]) -> tuple[str, str | None]:
    """Scope of a figure at ``hi`` given the sentence text [lo, hi): the last marker wins."""
    best: tuple[int, tuple[str, str | None]] | None = None
    seg = norm[lo:hi]
    lseg = low[lo:hi]
    for m in _DISTRICT.finditer(seg):
        parent = article[1].split(" / ")[0] if article[1] else None
        after = prov.mentions(seg[m.end():m.end() + 40], prefixed_only=True)
        dname = _district_name(m.group(1))
        pa = parent_after(norm, lo + m.start(1) + len(dname)) if dname else None
        if pa:
            parent = pa
        elif after:
            parent = after[0][2]
        elif article[0] == "national":
            # a list of Chi cục under "Cục THADS TP. Hà Nội:": the last province named before
            before = [n for a, _b, n in _doc_mentions(norm) if a < lo + m.start()]
            parent = before[-1] if before else None
        if parent and _district_name(m.group(1)):
            best = (m.start(), ("district", f"{parent} / {_district_name(m.group(1))}"))
    asides = [(m.start(), m.end()) for m in _MERGER_ASIDE.finditer(seg)]
    for s, _e, name in ((a - lo, b - lo, n) for a, b, n in _doc_mentions(norm) if lo <= a and b <= hi):
        if any(a <= s < b for a, b in asides):
            continue    # "(sau hợp nhất thành phố Cần Thơ, tỉnh Sóc Trăng và tỉnh Hậu Giang)": history, not scope
        if best and best[1][0] == "district" and s > best[0] and s - best[0] < 80:
            continue    # "Chi cục THADS huyện X, tỉnh Y": Y is the parent
        if _ASSIGNER.search(seg, max(0, s - 45), s):
            continue    # "Chi cục được Cục THADS tỉnh Y giao chỉ tiêu": Y assigns, the figure is the Chi cục's
        if best is None or s > best[0]:
            best = (s, ("province", name))
    # "..., Hà Nội 38.950 việc": a province named right before the figure, without a prefix
    tail = norm[max(lo, hi - 45):hi]
    lw = _LAST_WORD.search(tail)
    plain = [x for x in prov.mentions(tail, prefixed_only=False) if not tail[x[1]:].strip(" :(")] \
        if lw and lw.group(1)[0].isupper() else None     # cheap: most figures follow a lower-case word
    if plain:
        best = (len(seg) - len(tail) + plain[-1][0], ("province", plain[-1][2]))
    else:
        head = _clause_province(norm, lo, hi)
        if head is not None and (best is None or head[0] > best[0]):
            best = head
    for c in cues().scope_national:
        k = lseg.rfind(c)
        if k >= 0 and _NATIONAL_BENCHMARK.search(lseg, max(0, k - 40), k) and re.search(r"[;)]", lseg[k:]):
            continue    # "cao hơn mức bình quân chung của toàn quốc (81,2%); thu được ...": a benchmark
        if k >= 0 and (best is None or k > best[0]):
            # "Tổng cục" in "Phó Tổng cục trưởng Tổng cục ... làm việc với Cục THADS tỉnh X" loses to X
            best = (k, ("national", None))
    for c in cues().scope_own_province:
        k = lseg.rfind(c)
        if k >= 0 and (best is None or k > best[0]) and article[0] != "national":
            best = (k, (article[0], article[1]) if article[0] == "province" else ("province",
                                                                                   article[1].split(" / ")[0]))
    return best[1] if best else article
