"""Fact assembly: figures + cues + periods + scope -> fact records.

Per sentence, each quantity (numbers.scan) is read with the text between it and
the previous quantity (its "lead"):
- a change word right before it ("tăng", "giảm", "vượt") makes it a change,
  attached to the latest compatible fact of the sentence ("tăng X việc (tăng Y%)"
  after a figure belong to it; a percent after a rate is percentage points);
- otherwise it is a level; its metric is the nearest metric cue in the lead, or,
  when the lead is only a connective ("với", "tương ứng với", "và"), the metric
  of the previous fact (a count followed by its money);
- a figure with no cue and no connective is not a fact (precision first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from scrapers.extract import numbers, periods, provinces, scope
from scrapers.extract.cues import cues
from scrapers.extract.textprep import Prepared, paragraphs, prepare, sentences
from scrapers.facts_schema import FACT_FIELDS

_CONNECTIVE_WORDS = {"và", "với", "tương", "ứng", "đương", "số", "tiền", "là", "về", "việc", "giá", "trị",
                     "cùng", "kỳ", "so", "năm", "trước", "đồng", "thời", "ngoài", "ra", "cũng", "đó", "như",
                     "vậy", "tổng", "cộng", "đạt", "bằng", "lượng", "của", "các", "tất", "cả",
                     # "thi hành xong 2.104 việc, thu về hơn 6,2 nghìn tỷ": the count's amount ("thu về"
                     # alone is no cue: auctions "thu về 25 tỷ")
                     "thu"}
_COMPARE = re.compile(r"so với\s+([^,;.()\n]{1,60})")
_COMPARE_CUT = re.compile(r"\s+(?:tăng|giảm|và|vượt|đạt|thì|là|nhưng)(?!\w).*$")
_YEAR_IN = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
_MONEY_OF_PREV = re.compile(r"^[\s,;(]*(?:với|tương ứng(?: với)?|tương đương(?: với)?)\s+(?:tổng\s+)?(?:số\s+)?tiền"
                            r"(?:\s+là)?\s*(?:\w+\s*)?$")
_QUAL_ANY = re.compile(r"(?<!\w)(?:ước tính|gần như|xấp xỉ|chưa đến|chưa tới|khoảng)(?!\w)")
_BASE_IN_PARENS = re.compile(r"so với[^,;.:]*\(\s*$")
_TRAIL_CUE = re.compile(r"\s*(?:(?:đã|được|đang|là|số|có kết quả)\s+)*")
# a count of something we do not count (court cases, petitions, documents) just before a rate
_OTHER_COUNT = re.compile(r"\d[\d.,]*\s+(?:vụ|đơn|lượt|văn bản|hồ sơ|cuộc|buổi)(?!\s*việc)(?!\w)")
_TABLE_RATE = re.compile(r"\s*(?:tỷ lệ|tỷ lệ đạt|đạt tỷ lệ)\s*:?\s*")
_RESPECTIVELY = re.compile(r"(?<!\w)(?:lần lượt|tương ứng)(?:\s+là)?\s*$")
_BREAKDOWN = re.compile(r"(?<!\w)trong (?:số )?đó(?!\w)")
# a category named at the head of a sentence frames all of it: "Đối với án tín dụng, ngân hàng, ...;"
_FRAME_HEAD = re.compile(r"[\W\d]*(?:(?:riêng|đối với|về|với|trong|lĩnh vực|công tác|kết quả|thi hành|các|"
                         r"khoản thu|khoản|vụ việc|vụ|án|việc|những|loại|nhóm|cho)\s+)*")
_DATE_LINE = re.compile(r"^\s*[^\d\n]{0,24}?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


@dataclass
class _Fact:
    metric: str
    unit: str
    basis: str | None
    value: Decimal | None
    qualifier: str
    pos: int                      # where the figure (or the change) is
    start: int                    # quote start in normalised text
    end: int
    sent: tuple[int, int]
    change_value: Decimal | None = None
    change_pct: Decimal | None = None
    change_at: int | None = None
    extra: dict = field(default_factory=dict)


def _num(d: Decimal | None):
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def guess_published(text: str) -> str | None:
    """The first date at the start of one of the first lines (a page's date line), ISO."""
    from datetime import date
    for line in text.splitlines()[:6]:
        m = _DATE_LINE.match(line)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                continue
    return None


def _is_connective(lead: str) -> bool:
    lead = _COMPARE.sub(" ", lead)
    lead = _QUAL_ANY.sub(" ", lead)
    words = re.findall(r"[^\W\d_]+", lead)
    return all(w in _CONNECTIVE_WORDS or w in cues().qualifier_of or w in cues().change_sign for w in words)


def _is_place(lead: str) -> bool:
    """The lead is only a province or district name ("Hà Nội", ", tỉnh Nghệ An")."""
    # also in a bracketed list: "TP. Hồ Chí Minh (61.200 việc), Hà Nội (38.950 việc)"
    rest = re.sub(r"^[\s,;:()]*(?:và\s+)?(?:(?:tỉnh|thành phố|tp\.?)\s*)?", "", lead).rstrip(" :(")
    return 0 < len(rest) <= 40 and provinces.from_lower(rest) is not None


def _last(rx: re.Pattern, s: str) -> re.Match | None:
    last = None
    for m in rx.finditer(s):
        last = m
    return last


def extract_facts(text, *, url=None, title=None, published=None) -> list[dict]:
    """Facts stated in an article text (see /work/shared/spec/facts.md). Never raises on a str."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text, url=url, title=title, published=published)
    except Exception:  # noqa: BLE001 - the crawl must not lose a run to one odd page
        return []


def _extract(text: str, *, url, title, published) -> list[dict]:
    p = prepare(text)
    low, norm = p.low, p.norm
    mentions = numbers.scan(low)
    if not mentions:
        return []
    title_in_body = False
    if title is None:
        # the pipeline's text starts with the title line; an excerpt starts with a sentence
        first = norm.lstrip().split("\n", 1)[0].strip()
        title = first if len(first) <= 200 and not re.search(r"[.!?…]\s+\S", first) else None
        title_in_body = title is not None and mentions[0].start < len(norm) - len(norm.lstrip()) + len(first)
    title_p = prepare(title) if title else None
    if published is None:
        published = guess_published(norm)
    published = str(published)[:10] if published else None
    default_year = None
    if title_p and _YEAR_IN.search(title_p.low):
        default_year = int(_YEAR_IN.search(title_p.low).group(1))
    elif published:
        default_year = int(published[:4])
    plist = periods.find_periods(low, default_year, norm, published)
    main = _main_period(title_p, plist, default_year, published, mentions[0].start)
    art_scope = scope.article_scope(norm, low, title_p.norm if title_p else None, url)
    facts = _assemble(p, mentions)
    paras = paragraphs(low)
    out = []
    facts = _merge_repeats(facts, low)
    _resolve_ambiguous_billions(facts, paras)
    for f in facts:
        per = _period_for(f, plist, paras, low) or main
        lvl, name = scope.local_scope(norm, low, f.sent[0], f.pos, art_scope)
        start, end = p.span(f.start, f.end)
        rec = {
            "metric": f.metric, "unit": f.unit, "basis": f.basis if f.unit == "percent" else None,
            "value": _num(f.value), "qualifier": f.qualifier,
            "change_value": _num(f.change_value), "change_pct": _num(f.change_pct),
            "compared_to": _compared_to(low, f) if (f.change_value is not None or f.change_pct is not None)
            else None,
            "period_start": per.period_start if per else None, "period_end": per.period_end if per else None,
            "period_label": per.label if per else None,
            "scope_level": lvl, "scope_name": name,
            "domain": _domain(low, f), "category": _category(low, f),
            "quote": text[start:end], "char_start": start, "char_end": end,
        }
        out.append({k: rec[k] for k in FACT_FIELDS})
    if not title_in_body:
        _title_category(out, title_p)
    return _merge_late_changes(out)


def _title_category(out: list[dict], title_p: Prepared | None) -> None:
    """A story whose title names one category ("... án tín dụng, ngân hàng") and whose body names
    no other: its figures without a cue of their own are that category's."""
    if title_p is None:
        return
    cats = {cues().category_of[m.group(0)] for m in cues().category_re.finditer(title_p.low)}
    if len(cats) != 1:
        return
    (cat,) = cats
    body = {r["category"] for r in out} - {"all"}
    if body != {cat}:
        return
    for r in out:
        if r["category"] == "all":
            r["category"] = cat


_SAME_FACT = ("metric", "unit", "basis", "category", "domain", "period_start", "period_end", "scope_level",
              "scope_name")


def _merge_late_changes(out: list[dict]) -> list[dict]:
    """A change stated in a later sentence about a figure already given ("So với năm 2021,
    số việc thi hành xong giảm 4.530 việc") belongs to that figure when its slot is free."""
    kept: list[dict] = []
    for rec in out:
        if rec["value"] is None:
            slots = [k for k in ("change_value", "change_pct") if rec[k] is not None]
            target = next((r for r in reversed(kept) if r["value"] is not None
                           and all(r[k] == rec[k] for k in _SAME_FACT)
                           and r["change_value"] is None and r["change_pct"] is None), None)
            if target is not None and slots:
                for k in slots:
                    target[k] = rec[k]
                target["compared_to"] = target["compared_to"] or rec["compared_to"]
                continue
        kept.append(rec)
    return kept


def _resolve_ambiguous_billions(facts: list[_Fact], paras) -> None:
    """"1,052 tỷ" reads as 1.052 tỷ (not 1.052 nghìn tỷ) when every other amount of the
    paragraph is ten times smaller than the grouped reading: "tổng số 6,85 tỷ ... thu được 1,052 tỷ"."""
    for f in facts:
        alt = f.extra.get("alt")
        if alt is None or f.value is None:
            continue
        para = next(((a, b) for a, b in paras if a <= f.pos < b), None)
        others = [g.value for g in facts if g is not f and g.unit == "vnd" and g.value
                  and "alt" not in g.extra and para and para[0] <= g.pos < para[1]]
        if others and f.value > 10 * max(others) >= alt:
            f.value = alt


def _merge_repeats(facts: list[_Fact], low: str) -> list[_Fact]:
    """A figure stated twice (a headline repeating the body) is one fact: keep the
    statement that says more (the one with its changes)."""
    best: dict[tuple, _Fact] = {}
    order: list[tuple] = []
    for f in facts:
        if f.value is None:
            order.append((id(f),))
            best[(id(f),)] = f
            continue
        k = (f.metric, f.unit, f.basis, f.value, _category(low, f))
        if k not in best:
            order.append(k)
            best[k] = f
        elif _info(f) > _info(best[k]):
            best[k] = f
    return sorted((best[k] for k in order), key=lambda f: f.pos)


def _info(f: _Fact) -> int:
    return (f.change_value is not None) + (f.change_pct is not None)


def _main_period(title_p: Prepared | None, plist, default_year, published, first_figure: int):
    """The title's period, else the first one named before the first figure, else one
    inferred from the publication date, else the first one named anywhere."""
    body = next((per for per in plist if not per.multi_year and per.start < first_figure), None)
    if title_p:
        tp = periods.find_periods(title_p.low, default_year, title_p.norm, published)
        if tp:
            t = tp[0]
            if body is not None and body.period_end < t.period_start:
                # "... triển khai nhiệm vụ năm 2020" over a report of 2019: the title names the plan
                return body
            return periods.Period(-1, -1, t.period_start, t.period_end, t.label)
    if body is not None:
        return body
    if published:
        # No period written: a report covers the statistical year up to the month before
        # it is published; one published in October/November covers the year just closed.
        from datetime import date, timedelta
        end = date.fromisoformat(published).replace(day=1) - timedelta(days=1)
        if end.month in (10, 11):
            end = date(end.year, 9, 30)
        start = periods.year_start_of(end)
        return periods.Period(-1, -1, start.isoformat(), end.isoformat(), None)
    return next((per for per in plist if not per.multi_year), None)


def _period_for(f: _Fact, plist, paras, low: str):
    s0, s1 = f.sent
    before = [q for q in plist if s0 <= q.start and q.end <= f.pos]
    if before:
        return before[-1]
    after = [q for q in plist if f.pos <= q.start and q.end <= s1 and not q.multi_year]
    if after:
        return after[0]
    for i, (a, b) in enumerate(paras):
        if a <= f.pos < b:
            earlier = [q for q in plist if a <= q.start and q.end <= f.pos]
            if earlier:
                return earlier[-1]
            # a list under a header line "Kết quả 09 tháng đầu năm 2017, cụ thể như sau:"
            for a2, b2 in reversed(paras[max(0, i - 8):i]):
                if low[a2:b2].rstrip().endswith(":"):
                    head = [q for q in plist if a2 <= q.start and q.end <= b2]
                    if head:
                        return head[-1]
                    break
            break
    return None


def _compared_to(low: str, f: _Fact) -> str | None:
    s0, s1 = f.sent
    at = f.change_at if f.change_at is not None else f.pos
    m = _COMPARE.search(low, at, s1)
    if m is None:
        ms = list(_COMPARE.finditer(low, s0, at))
        m = ms[-1] if ms else None
    if m is None:
        return None
    phrase = _COMPARE_CUT.sub("", m.group(1)).strip(" -–:")
    return phrase or None


def _domain(low: str, f: _Fact) -> str:
    if f.unit == "judgments" or f.metric == "tracked" or f.extra.get("of_judgments"):
        return "administrative"
    seg = low[f.sent[0]:f.pos]
    # "Cục THADS" names an agency, not a domain; "THADS, theo dõi THAHC" lists both
    hits = [(x.start(), x.end(), cues().domain_of[x.group(0)]) for x in cues().domain_re.finditer(seg)
            if not re.search(r"cục\s*$", seg[max(0, x.start() - 6):x.start()])]
    for i in range(len(hits) - 1, -1, -1):
        a, b, d = hits[i]
        if any(d2 != d and (0 <= a - b2 <= 45 or 0 <= a2 - b <= 45) for a2, b2, d2 in hits):
            continue
        return d
    return "civil"


def _category(low: str, f: _Fact) -> str:
    s0 = f.sent[0]
    seg = low[s0:f.pos]
    k = seg.rfind(";")
    if k >= 0:
        seg = seg[k + 1:]
    m = _last(cues().category_re, seg)
    if m is None:
        # "thi hành xong 1,2 nghìn tỷ đồng trong các vụ án tham nhũng": a cue closing the clause
        after = re.match(r"[^,;.:()\n]{0,60}", low[f.end:f.sent[1]]).group(0)
        m = cues().category_re.search(after)
    if m is None:
        h = _FRAME_HEAD.match(low, s0, min(f.pos, s0 + 80))
        m = cues().category_re.match(low, h.end()) if h else None
        if m is not None and not re.match(r"\s*[,:]|[\w\s]{0,25}[,:]", low[m.end():m.end() + 30]):
            m = None    # a frame ends with "," or ":" ("Đối với án tín dụng, ngân hàng, ...")
    return cues().category_of[m.group(0)] if m else "all"


def _assemble(p: Prepared, mentions: list[numbers.Mention]) -> list[_Fact]:
    low = p.low
    C = cues()
    out: list[_Fact] = []
    sents = sentences(low)
    mi = 0
    for s0, s1 in sents:
        in_sent = []
        while mi < len(mentions) and mentions[mi].start < s1:
            if mentions[mi].start >= s0:
                in_sent.append(mentions[mi])
            mi += 1
        if in_sent and C.veto_subject.search(low, s0, s1) and not C.agency.search(low, s0, s1):
            continue
        if in_sent:
            out.extend(_sentence_facts(low, (s0, s1), in_sent, C, out))
    return out


def _sentence_facts(low: str, sent: tuple[int, int], ms: list[numbers.Mention], C,
                    prior: list[_Fact] = ()) -> list[_Fact]:
    s0, s1 = sent
    facts: list[_Fact] = []
    prev_end = s0
    prev_change: int | None = None     # sign of the previous mention when it was a change
    respectively: list[_Fact] | None = None    # facts waiting for their changes after "lần lượt"
    dropped = False                    # the previous mention gave no fact
    for m in ms:
        lead = low[prev_end:m.start]
        cm = C.change_re.search(lead[-40:])
        sign = C.change_sign[cm.group(1)] if cm else None
        if sign is None and prev_change is not None and re.fullmatch(r"[\s,(]*(?:và|hoặc)?[\s,(]*(?:(?:hơn|gần|trên|khoảng)\s*)?", lead) or (
                    # "tăng 230 việc (tương đương 8,9%)": the same change in percent (not "tương ứng với
                    # 120 tỷ đồng", which may be a level)
                    m.unit == "percent" and re.fullmatch(r"[\s,(]*(?:tương đương|tương ứng|tức là|tức|hay)"
                                                         r"(?: với)?[\s,]*", lead)):
            # "tăng 0,18% về việc và 1,96% về tiền", "giảm 6.251 việc (3,27%)"
            sign = prev_change
        near = low[max(prev_end, m.start - 60):m.start]
        near = near[near.rfind(";") + 1:]
        after = low[m.end:m.end + 25]
        if sign is not None and _against_target(low, m, lead[:len(lead) - len(cm.group(0))] if cm else lead, C):
            # "vượt 5,62% so với chỉ tiêu": exceeding a target is no change (the spec's changes are
            # against a period); a change after it still belongs to the rate before it
            prev_end, prev_change, dropped = m.end, None, False
            continue
        if sign is not None and dropped and not re.search(r"[;.]", lead[:len(lead) - len(cm.group(0))]
                                                          if cm else lead):
            # the change of a figure we dropped ("chiếm 79,56% ... (giảm 3,64% ...)")
            prev_end, prev_change = m.end, None
            continue
        dropped = True
        if _BASE_IN_PARENS.search(lead) and sign is None:
            # "so với số việc ... năm 2016 (144.857 việc) tăng 65.184 việc": a base; its change is the fact's
            prev_end, prev_change, dropped = m.end, None, False
            continue
        if m.unit == "percent" and sign is None and prior and _TABLE_RATE.fullmatch(low, s0, m.start) \
                and prior[-1].metric == "completed" and 0 <= s0 - prior[-1].end <= 40:
            # a table row "Tỷ lệ: 24,16%" under "Thi hành xong: 412 việc": the rate of that row
            facts.append(_Fact("completion_rate", "percent", "money" if prior[-1].unit == "vnd" else "cases",
                               m.value, "exact", m.start, s0 + len(low[s0:m.start]) - len(low[s0:m.start].lstrip()),
                               m.end, sent))
            prev_end, prev_change, dropped = m.end, None, False
            continue
        qv = C.qualifier_re.search(near)
        if _vetoed_before(near, C) or C.veto_after.search(after) or \
                C.veto_just_before.search(near[:qv.start()] if qv else near) or (
                m.unit == "percent" and ((sign is None and C.veto_after_percent.search(after))
                                         or not C.enforcement_re.search(low[s0:s1]))):
            prev_end, prev_change = m.end, None
            continue
        qm = C.qualifier_re.search(lead[-25:])
        qualifier = C.qualifier_of[qm.group(1)] if (qm and sign is None) else "exact"
        cue = _last(C.metric_re, lead)
        if cue and facts and _MONEY_OF_PREV.search(lead):
            cue = None      # "... 2.180 việc với tổng số tiền trên 215 tỷ đồng": the money of that count
        cue_metric = C.metric_of[cue.group(0)] if cue else None
        trail_end = m.end
        far = cue is not None and "," in lead[cue.end():]
        if (cue is None or cue.group(0) in C.generic_metric or far) and sign is None:
            # the cue may follow the figure: "có 3.500 việc chưa có điều kiện thi hành",
            # and beats a generic one before it: "trên tổng số 8.000 việc có điều kiện"
            tm = _TRAIL_CUE.match(low, m.end)
            cm2 = C.metric_re.match(low, tm.end()) if tm else None
            if cm2 and cue is not None and cue.group(0) == "còn" and C.metric_of[cm2.group(0)] == "tracked":
                trail_end = cm2.end()   # "còn 17 bản án đang theo dõi": remaining, still being followed
            elif cm2 and cm2.group(0) not in C.generic_metric and \
                    not re.match(r"\s*(?:thi hành|giải quyết)?\s*và\s+chưa", low[cm2.end():cm2.end() + 30]):
                cue_metric = C.metric_of[cm2.group(0)]
                trail_end = cm2.end()
        for metric, rx in C.override:
            if rx.search(lead):
                cue_metric = metric
        lead_start = prev_end + (cue.start() if cue else _clause_start(lead))
        if sign is not None and cm is not None and (
                _RESPECTIVELY.search(lead[:len(lead) - len(cm.group(0))][-30:]) or "lần lượt" in cm.group(0)):
            # "đạt 86,2% về việc và 41,3% về tiền, lần lượt cao hơn 5,1% và 3,2%": one change each, in order
            respectively = _respective_run(facts, m)
        elif sign is None or prev_change is None:
            respectively = None
        if sign is not None and respectively:
            f, slot = respectively.pop(0)
            setattr(f, slot, m.value * sign)
            f.end, f.change_at = max(f.end, m.end), f.change_at if f.change_at is not None else m.start
            prev_change, dropped = sign, False
        elif sign is not None:
            n_before = len(facts)
            attached = _add_change(low, facts, m, sign, lead, cue_metric, sent, C, lead_start)
            dropped = not attached and len(facts) == n_before
            prev_change = sign
        else:
            f = _add_level(low, facts, m, lead, cue_metric, qualifier, sent, C, lead_start, prior)
            dropped = f is None
            if f is not None:
                facts.append(f)
                if f.metric == "completed" and m.denominator is not None:
                    facts.append(_Fact("enforceable", f.unit, None, m.denominator, "exact", m.start,
                                       f.start, m.end, sent, extra={"denominator": True}))
            prev_change = None
        prev_end = trail_end
    return facts


def _respective_run(facts: list[_Fact], m) -> list[tuple[_Fact, str]] | None:
    """The trailing facts that "lần lượt" changes apply to, in order, with the slot each change fills:
    rates take a percent as points; counts and amounts take a percent as change_pct, a figure of
    their own unit as change_value."""
    if not facts:
        return None
    rate = facts[-1].unit == "percent"
    if m.unit == "percent":
        slot = "change_value" if rate else "change_pct"
    elif rate:
        return None
    else:
        slot = "change_value"
    run = []
    for f in reversed(facts):
        if (f.unit == "percent") != rate or getattr(f, slot) is not None or f.value is None \
                or "denominator" in f.extra:
            break
        run.insert(0, (f, slot))
    return run if len(run) > 1 else None


def _against_target(low: str, m, before: str, C) -> bool:
    """A change measured against a target: "vượt 1,21% (so với) chỉ tiêu", "so với kế hoạch, vượt 2%"."""
    if C.target_ref_after.match(low, m.end):
        return True
    b = C.target_ref_before.search(before)
    return b is not None and not C.change_re.search(b.group(1) + " ") and not _COMPARE.search(b.group(1))


def _strip_closed_compare(lead: str) -> str:
    """Drop "so với ..." phrases that close before the figure; keep one the figure is in
    ("so với chỉ tiêu của Tổng cục giao là trên 32%")."""
    out, pos = [], 0
    for m in re.finditer(r"so với[^,;()]*[,;()]", lead):
        out.append(lead[pos:m.start()])
        pos = m.end()
    out.append(lead[pos:])
    return " ".join(out)


def _clause_start(lead: str) -> int:
    """Where a quote without a cue starts in its lead: after the last punctuation."""
    k = max(lead.rfind(c) for c in ",;()")
    k = k + 1 if k >= 0 else 0
    return k + len(lead[k:]) - len(lead[k:].lstrip())


def _before_aside(low: str, facts: list[_Fact], lead: str, m) -> _Fact:
    """The last fact, or after a closed bracket the last one before it: "85,12% về việc (chỉ tiêu giao
    84%) và 42,3% về tiền" continues the 85,12%, not the target in brackets."""
    if re.match(r"\s*\)", lead):
        opened = low.rfind("(", facts[0].sent[0], m.start - len(lead))
        outside = [f for f in facts if f.pos < opened]
        if outside:
            return outside[-1]
    return facts[-1]


def _last_own(facts: list[_Fact]) -> _Fact:
    """The last fact, skipping the enforceable count a ratio's denominator added after it."""
    f = facts[-1]
    return facts[-2] if len(facts) > 1 and "denominator" in f.extra else f


def _vetoed_before(near: str, C) -> bool:
    """A distractor word shortly before the figure, in the figure's own comma-clause or with no
    cue of ours after it ("do Tòa án chuyển đến, nâng tổng số bản án phải theo dõi lên 37")."""
    v = _last(C.veto_before, near)
    if v is None:
        return False
    if _is_place(re.split(r"[,:;]", near)[-1]):
        return False    # "Một số đơn vị đạt tỷ lệ cao như: Bắc Ninh (91,2%)": the figure is that province's
    tail = near[v.end():]
    k = tail.rfind(",")
    return k < 0 or not C.metric_re.search(tail[k:])


def _last_level_metric(facts: list[_Fact]) -> str | None:
    for f in reversed(facts):
        if f.unit != "percent":
            return f.metric
    return None


def _basis_from(low: str, lead: str, facts: list[_Fact], m: numbers.Mention, C) -> str:
    if m.basis:
        return m.basis
    b = _last(re.compile(r"về\s+(tiền|giá trị|việc)(?!\w)"), lead[lead.rfind(";") + 1:])
    if b:
        return "cases" if b.group(1) == "việc" else "money"
    for f in reversed(facts):
        if f.unit != "percent":
            return "money" if f.unit == "vnd" else "cases"
        return f.basis or "cases"
    if C.money_re.search(lead):
        return "money"
    return "cases"


def _add_level(low, facts, m, lead, cue_metric, qualifier, sent, C, lead_start, prior=()) -> _Fact | None:
    connective = _is_connective(lead)
    if m.unit == "percent":
        lead = _strip_closed_compare(lead)  # "so với chỉ tiêu được giao, vượt ..." is no target cue
        if re.search(r"(?<!\w)chiếm(?!\w)", lead):
            return None     # a share ("chiếm 73,3% tổng số"), not a rate
        if C.target_re.search(lead[lead.rfind(";") + 1:]):
            # "vượt chỉ tiêu về việc; về tiền đạt 51,2%": a target cue does not cross ";"
            metric = "target_rate"
        elif _OTHER_COUNT.search(lead[-60:]):
            return None     # "Tòa án ... giải quyết 58.930 vụ, việc, đạt 94,4%": the rate of another count
        elif C.rate_re.search(lead) and (m.basis or C.enforcement_re.search(lead)
                                         or (facts and len(_COMPARE.sub("", lead).strip()) <= 30)):
            # "tỷ lệ hướng dẫn nghiệp vụ đạt 100%" is not about enforcement
            metric = "completion_rate"
        elif connective and facts and _before_aside(low, facts, lead, m).unit == "percent":
            metric = _before_aside(low, facts, lead, m).metric
        elif connective and facts and _last_own(facts).metric == "completed":
            metric = "completion_rate"     # "thi hành xong 5.118/7.002 việc (73,09%)"
        elif facts and facts[-1].unit == "percent" and _is_place(lead):
            metric = facts[-1].metric       # "như: Bắc Ninh (91,2%), Thái Bình (90,5%)": the same rate
        else:
            return None
        basis = _basis_from(low, lead, facts, m, C)
        rc = _last(C.target_re, lead) or _last(C.rate_re, lead)
        start = m.start - len(lead) + rc.start() if rc else m.start
        f = _Fact(metric, "percent", basis, m.value, qualifier, m.start, start, m.end, sent)
        if facts and facts[-1].unit == "judgments" and not m.basis and "về" not in lead and ";" not in lead:
            f.extra["of_judgments"] = True     # "thi hành xong 640 bản án, quyết định, đạt tỷ lệ 55,9%": THAHC
        return f
    metric = cue_metric
    if m.unit == "persons" and "biên chế" in low[m.start:m.end]:
        metric = "staff"    # "(114 biên chế)" names its metric itself
    unit_word = low[m.start:m.end]
    if m.unit == "persons" and metric is None and re.search(r"(?<!\w)(?:có|gồm|hiện có|với|trong đó)\s*$", lead):
        metric = "staff"    # "hiện có 152 biên chế, trong đó có 68 Chấp hành viên"
    if metric is None and m.unit != "persons" and _BREAKDOWN.search(lead) and C.category_re.search(lead):
        # "Trong đó, án tín dụng, ngân hàng có 1.105 việc": a category's share of the last figure
        last = next((f for f in reversed(prior + facts) if f.unit == m.unit), None)
        metric = last.metric if last else None
    if metric is None and facts and _is_place(lead):
        # "TP.HCM thi hành xong 61.200 việc, Hà Nội 38.950 việc": the same metric for another place
        last = next((f for f in reversed(facts) if f.unit == m.unit), None)
        metric = last.metric if last else None
    if metric is None and connective and facts:
        # "... 5 nghìn việc với hơn 533 tỷ đồng": the same metric in another unit
        last = next((f for f in reversed(facts) if f.unit != "percent" and "denominator" not in f.extra), None)
        # money after a count is its amount; a count after money only when that count is new
        if last is not None and last.unit != m.unit and (
                m.unit == "vnd" or not any(f.metric == last.metric and f.unit == m.unit for f in facts)):
            metric = last.metric
    if metric is None:
        return None
    if m.unit == "persons":
        if metric != "staff" and "biên chế" not in unit_word:
            return None
        metric = "staff"
    elif metric == "staff":
        return None
    if metric in ("completion_rate", "target_rate"):
        return None
    f = _Fact(metric, m.unit, None, m.value, qualifier, m.start, min(lead_start, m.start), m.end, sent)
    if m.alt is not None:
        f.extra["alt"] = m.alt
    return f


def _rate_context(ctx: str, C) -> bool:
    """A change in percent is about a rate when "tỷ lệ" governs the clause: it comes after
    the last metric cue, or that cue hangs on it ("tỷ lệ thi hành xong ... tăng 0,18%")."""
    rates = list(re.finditer(r"tỷ lệ", ctx))
    if not rates:
        return False
    r = rates[-1]
    cm = _last(C.metric_re, ctx)
    if cm is None or r.start() > cm.start():
        return True
    between = ctx[r.end():cm.start()]
    return len(between) <= 30 and not re.search(r"[,;:.]", between)


def _add_change(low, facts, m, sign, lead, cue_metric, sent, C, lead_start) -> bool:
    """Attach a change to its fact (True), or add a change-only fact (False)."""
    val = m.value * sign
    target = None
    cands = facts
    if re.match(r"\s*\)", lead):
        # "8.403 việc (năm trước chuyển sang ..., thụ lý mới ...), tăng 512 việc", "2.988 việc (đạt 48,74%),
        # tăng 5,1%": a change right after a bracketed aside is about the figure before the bracket
        opened = low.rfind("(", sent[0], m.start - len(lead))
        if opened >= 0:
            outside = [f for f in facts if f.pos < opened]
            if outside:
                cands = outside
    if m.unit == "percent":
        b = m.basis
        for f in reversed(cands):
            if f.unit == "percent":
                if b is not None and f.basis != b:
                    continue
                target = f if f.change_value is None else None
                slot = "change_value"
                break
            if b is None or (b == "money") == (f.unit == "vnd"):
                if cue_metric and cue_metric != f.metric:
                    break
                target = f if f.change_pct is None else None
                slot = "change_pct"
                break
    else:
        for f in reversed(cands):
            if f.unit == m.unit:
                if f.change_value is None and (cue_metric is None or cue_metric == f.metric):
                    target = f
                    slot = "change_value"
                break
    if target is not None:
        setattr(target, slot, val)
        target.end = max(target.end, m.end)
        if target.change_at is None:
            target.change_at = m.start
        return True
    # A change with no level before it: "Số thụ lý mới ... tăng 324 việc", "(tăng 10,9%)".
    ctx = low[max(sent[0], m.start - 220):m.start]
    if m.unit == "percent":
        if _rate_context(ctx, C) or (m.basis and _last(C.metric_re, ctx) is None and "kết quả" in ctx):
            # "kết quả ... cao hơn cùng kỳ cả về việc và về tiền (tăng 2,2% về việc ...)"
            basis = m.basis or ("money" if C.money_re.search(lead) else "cases")
            facts.append(_Fact("completion_rate", "percent", basis, None, "exact", m.start, lead_start,
                               m.end, sent, change_value=val, change_at=m.start))
            return False
        cm = _last(C.metric_re, ctx)
        metric = cue_metric or (C.metric_of[cm.group(0)] if cm else None)
        if metric is None and _is_connective(lead) and facts:
            metric = _last_level_metric(facts)
        if metric is None or metric in ("staff",):
            return False
        tail = ctx[max(0, cm.start() - 20):] if cm else lead
        unit = "vnd" if (m.basis == "money" or C.money_re.search(tail)) else "cases"
        start = max(sent[0], m.start - 220) + cm.start() if cm else lead_start
        facts.append(_Fact(metric, unit, None, None, "exact", m.start, min(start, m.start), m.end, sent,
                           change_pct=val, change_at=m.start))
        return False
    metric = cue_metric
    if metric is None and _is_connective(lead) and facts:
        metric = _last_level_metric(facts)
    if metric is None:
        cm = _last(C.metric_re, ctx)
        metric = C.metric_of[cm.group(0)] if cm else None
    if metric is None or metric == "staff" or m.unit == "persons":
        return False
    facts.append(_Fact(metric, m.unit, None, None, "exact", m.start, min(lead_start, m.start), m.end, sent,
                       change_value=val, change_at=m.start))
    return False
