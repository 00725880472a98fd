"""The mirror's content: the five dev-set articles plus a generated archive whose facts are known.

Everything is a pure function of the code (no clock, no global random state), built once per process
(``archive()`` is cached). ``truth()`` returns, per article, its real URL, mirror path and stated facts.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from scrapers.mirror import offtopic, reports, sites
from scrapers.mirror.periods import Period
from scrapers.mirror.reports import Body, Scope
from scrapers.mirror.vntext import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
START = date(2019, 10, 1)
END = date(2026, 11, 20)
SEED = "thads-mirror-v1"

# Pages served with a legacy or wrong charset (see docs/mirror.md).
# Keyed by (source, subsite, ItemID): the two oldest items of each.
LEGACY_CHARSET = {
    ("thads", "bentre", 1): "windows-1258",
    ("thads", "bentre", 2): "windows-1258",
    ("moj", None, 1): "wrong-header",
    ("moj", None, 2): "wrong-header",
}


@dataclass
class Article:
    source: str
    title: str
    published: date
    blocks: list[tuple[str, str]]      # (kind, text): p | sub | image | caption | toolbar | related
    facts: list[dict] = field(default_factory=list)
    sapo: str | None = None
    modified: date | None = None
    on_topic: bool = True
    origin: str = "generated"
    robots_disallowed: bool = False
    subsite: str | None = None          # thads subsite ('' never: None = national)
    section: str = ""                   # thads list name / moj page category / news URL kind
    listing: str = ""                   # moj/news category whose listing shows it
    item_id: int = 0                    # ItemID (thads, moj) or post id (news)
    slug: str = ""
    author: str = ""
    charset: str = "utf-8"
    layout: str = "default"

    @property
    def host(self) -> str:
        return sites.HOSTS[self.source]

    @property
    def path(self) -> str:
        """Canonical real-site path with query."""
        if self.source == "thads":
            pre = f"/{self.subsite}" if self.subsite else ""
            return f"{pre}/noidung/tintuc/Lists/{self.section}/View_Detail.aspx?ItemID={self.item_id}"
        if self.source == "moj":
            return f"/qt/tintuc/Pages/{self.section}.aspx?ItemID={self.item_id}"
        pre = {"preview": "/preview", "in-bai": "/in-bai"}.get(self.section, "")
        return f"{pre}/{self.slug}-post{self.item_id}.html"

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"

    @property
    def mirror_path(self) -> str:
        return f"/{self.host}{self.path}"

    @property
    def text(self) -> str:
        """Body text as paragraphs (what the facts' quotes are substrings of)."""
        parts = [self.sapo] if self.sapo else []
        parts += [t for k, t in self.blocks if k in ("p", "sub", "caption", "image", "related") and t]
        return "\n".join(parts)

    def visible(self, as_of: date | None) -> bool:
        return as_of is None or self.published <= as_of

    def updated_at(self, as_of: date | None) -> bool:
        return self.modified is not None and (as_of is None or self.modified <= as_of)

    def truth_record(self) -> dict:
        return {
            "source": self.source, "url": self.url, "mirror_path": self.mirror_path, "title": self.title,
            "published": self.published.isoformat(),
            "modified": self.modified.isoformat() if self.modified else None,
            "subsite": self.subsite, "origin": self.origin, "on_topic": self.on_topic,
            "robots_disallowed": self.robots_disallowed, "layout": self.layout, "charset": self.charset,
            "facts": copy.deepcopy(self.facts),
        }


# ---- dev set ---------------------------------------------------------------------------------------

DEVSET = {  # file -> placement; titles/dates the text lacks are given here
    "seed-000": {"source": "moj", "section": "thi-hanh-an-dan-su", "published": "2021-04-22",
                 "title": "Hội nghị sơ kết công tác thi hành án dân sự, theo dõi thi hành án hành chính "
                          "6 tháng đầu năm 2021", "body_from": 0},
    "seed-001": {"source": "thads", "subsite": "vinhphuc", "section": "TinTuc", "published": "2021-04-26",
                 "body_from": 3},
    "seed-002": {"source": "thads", "subsite": None, "section": "TinHoatDong", "published": "2023-03-29",
                 "body_from": 3},
    "seed-003": {"source": "baophapluat", "listing": "thi-hanh-an", "published": "2020-09-24",
                 "sapo_line": 2, "body_from": 4},
    "seed-004": {"source": "thads", "subsite": None, "section": "TinHoatDong", "published": "2024-04-09",
                 "body_from": 2, "strip_date": True},
}
FACT_KEYS = ("metric", "unit", "basis", "value", "qualifier", "change_value", "change_pct", "compared_to",
             "period_start", "period_end", "period_label", "scope_level", "scope_name", "domain", "category",
             "quote")


def _devset_blocks(lines: list[str]) -> list[tuple[str, str]]:
    blocks = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line == "leftcenterrightdel":
            blocks.append(("toolbar", ""))
        elif re.search(r"\sảnh \d+$", line):
            blocks.append(("image", line))
        elif line.endswith("Ảnh: TH.") or re.search(r"Ảnh: [A-ZĐ]{1,4}\.$", line):
            blocks.append(("caption", line))
        elif line in ("Cùng chuyên mục", "Đọc thêm"):
            blocks.append(("related", line))
        else:
            blocks.append(("p", line))
    return blocks


def devset_articles() -> list[Article]:
    out = []
    for name, meta in DEVSET.items():
        lines = (DATA_DIR / "devset" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        gold = json.loads((DATA_DIR / "devset" / f"{name}.json").read_text(encoding="utf-8"))
        title = meta.get("title") or lines[0].strip()
        body = lines[meta["body_from"]:]
        if meta.get("strip_date"):
            body[0] = re.sub(r"^\d{2}/\d{2}/\d{4}", "", body[0])
        sapo = lines[meta["sapo_line"]].strip() if "sapo_line" in meta else None
        facts = [{k: f.get(k) for k in FACT_KEYS} | ({"optional": True} if f.get("optional") else {})
                 for f in gold["facts"]]
        out.append(Article(
            source=meta["source"], title=title, published=date.fromisoformat(meta["published"]),
            blocks=_devset_blocks(body), facts=facts, sapo=sapo, origin="dev-set", subsite=meta.get("subsite"),
            section=meta.get("section", ""), listing=meta.get("listing", meta.get("section", "")),
            author=body[-1].strip() if len(body[-1].strip()) < 40 else ""))
    return out


# ---- generated reports ---------------------------------------------------------------------------------

def _province_scope(subsite: str) -> Scope:
    name, prose = sites.PROVINCES[subsite]
    return Scope("province", name, prose)


def _display(scope: Scope) -> str:
    if scope.level == "national":
        return "Toàn Hệ thống THADS"
    return "TP. Hồ Chí Minh" if scope.name == "Hồ Chí Minh" else scope.name.split(" / ")[0]


def _title(scope: Scope, period: Period, kind: str, rng: random.Random) -> str:
    tl = period.title_label
    d = _display(scope)
    if kind == "district":
        return f"{d}: Chi cục THADS {scope.prose} nỗ lực hoàn thành chỉ tiêu {tl}"
    if kind == "category":
        return f"Đẩy mạnh thi hành các vụ việc tín dụng, ngân hàng và án tham nhũng, kinh tế {tl}"
    if kind == "admin":
        return f"Kết quả theo dõi thi hành án hành chính {tl}"
    if scope.level == "national":
        return rng.choice([
            f"Kết quả công tác thi hành án dân sự {tl}",
            f"Hội nghị {'tổng kết' if period.months == 12 and not period.quarter else 'sơ kết'} công tác "
            f"thi hành án dân sự, theo dõi thi hành án hành chính {tl}",
            f"Toàn Hệ thống THADS: nhiều chuyển biến tích cực trong {tl}",
        ])
    return rng.choice([
        f"{d}: Kết quả công tác thi hành án dân sự {tl}",
        f"Cục THADS {scope.prose} {'tổng kết' if period.months == 12 and not period.quarter else 'sơ kết'} "
        f"công tác {tl}",
        f"{d}: Nỗ lực hoàn thành chỉ tiêu thi hành án dân sự {tl}",
    ])


def report_body(scope: Scope, period: Period, kind: str, rng: random.Random, *, news_prefix: str = "") -> Body:
    b = Body()
    if news_prefix:
        reports.headline_paragraph(b, scope, period, rng, news_prefix)
    b.text(rng.choice(reports.OPENINGS).format(agency=scope.agency)).end()
    if kind == "quarter":
        reports.quarter_paragraph(b, scope, period, rng)
    elif kind == "category":
        reports.category_paragraph(b, scope, period, "credit_banking", rng)
        reports.category_paragraph(b, scope, period, "corruption_economic", rng)
    elif kind == "admin":
        reports.admin_paragraph(b, scope, period, rng)
    else:
        reports.cases_paragraph(b, scope, period, rng)
        if kind != "district":
            reports.money_paragraph(b, scope, period, rng)
        if kind == "full" and scope.level == "national":
            reports.category_paragraph(b, scope, period, rng.choice(["credit_banking", "corruption_economic"]), rng)
            if rng.random() < 0.3:
                reports.category_paragraph(b, scope, period, "state_budget", rng)
        elif kind == "full" and rng.random() < 0.35:
            reports.category_paragraph(b, scope, period, "credit_banking", rng)
        if kind == "full" and period.months in (6, 12) and not period.quarter and rng.random() < 0.5:
            reports.staff_paragraph(b, scope, period, rng)
        if kind == "full" and period.months == 12 and not period.quarter and rng.random() < 0.6:
            reports.admin_paragraph(b, scope, period, rng)
    b.text(rng.choice(reports.CLOSINGS).format(agency=scope.agency)).end()
    return b


def _blocks(paras: list[str], title: str, rng: random.Random, news: bool) -> list[tuple[str, str]]:
    """Paragraphs with an image (toolbar + caption) after the first one, as the sites lay them out."""
    blocks = [("p", p) for p in paras]
    caption = f"{title} ảnh 1" if news else rng.choice(["Quang cảnh Hội nghị. Ảnh: TH.", "Toàn cảnh buổi làm việc. Ảnh: VH."])
    at = min(1, len(blocks))
    blocks[at:at] = [("toolbar", ""), ("caption" if not news else "image", caption)]
    if news:
        blocks += [("related", "Cùng chuyên mục"), ("related", "Đọc thêm")]
    return blocks


@dataclass
class _Plan:
    published: date
    source: str
    make: object                        # (rng) -> Article fields
    subsite: str | None = None
    section: str = ""
    listing: str = ""
    disallowed: bool = False


@lru_cache(maxsize=1)
def _devset_reports() -> frozenset[tuple]:
    """(scope level, scope name, period start, period end) that the dev-set articles report on."""
    keys = set()
    for name in DEVSET:
        gold = json.loads((DATA_DIR / "devset" / f"{name}.json").read_text(encoding="utf-8"))
        for f in gold["facts"]:
            keys.add((f["scope_level"], f["scope_name"], f["period_start"], f["period_end"]))
    return frozenset(keys)


def _report_plan(plans, scope: Scope, period: Period, kind: str, source: str, published: date, *,
                 subsite=None, section="", listing="", news_prefix: str = "") -> None:
    if published > END or published < START:
        return
    # A generated report must not compete with a real dev-set article for the same figures: the
    # end-to-end tests expect the dev set's gold facts to be what the warehouse keeps.
    if (scope.level, scope.name, period.start.isoformat(), period.end.isoformat()) in _devset_reports():
        return

    def make(rng: random.Random) -> dict:
        body = report_body(scope, period, kind, rng, news_prefix=news_prefix)
        title = _title(scope, period, kind, rng)
        paras = body.paras
        sapo = None
        if news_prefix:
            sapo, paras = paras[0], paras[1:]
        return {"title": title, "sapo": sapo, "blocks": _blocks(paras, title, rng, bool(news_prefix)),
                "facts": body.facts, "on_topic": True}

    plans.append(_Plan(published, source, make, subsite, section, listing))


def _offtopic_plan(plans, source: str, published: date, *, subsite=None, section="", listing="",
                   disallowed=False) -> None:
    def make(rng: random.Random) -> dict:
        if source in ("thads", "moj") or rng.random() < 0.3:
            if subsite:
                agency = f"Cục THADS {sites.PROVINCES[subsite][1]}"
            else:
                agency = rng.choice(["Tổng cục THADS", "Bộ Tư pháp", "Cục Quản lý thi hành án dân sự"])
            title, paras = offtopic.agency_article(agency, published.year, rng)
        else:
            title, paras = offtopic.news_article(published.year, rng)
        news = source in ("baophapluat", "plo")
        sapo = None
        if news:
            sapo = ("(PLVN) - " if source == "baophapluat" else "(PLO)- ") + paras[0]
            paras = paras[1:]
        return {"title": title, "sapo": sapo, "blocks": _blocks(paras, title, rng, news), "facts": [],
                "on_topic": False}

    plans.append(_Plan(published, source, make, subsite, section, listing, disallowed))


def _days(rng: random.Random, d: date, lo: int, hi: int) -> date:
    return d + timedelta(days=rng.randint(lo, hi))


def _schedule() -> list[_Plan]:
    rng = random.Random(SEED + ":schedule")
    plans: list[_Plan] = []
    national = Scope("national", None)
    for year in range(2019, 2028):
        cumulative = [Period(year, 5, style="padded"), Period(year, 6, style=rng.choice(["plain", "asof", "range"])),
                      Period(year, 9, style=rng.choice(["plain", "asof"])), Period(year, 12)]
        quarters = [Period(year, quarter=q) for q in (1, 3)]
        for p in cumulative + quarters:
            kind = "quarter" if p.quarter else "full"
            _report_plan(plans, national, p, kind, "thads", _days(rng, p.end, 8, 25), section="TinThongKe")
            if p.months in (6, 9, 12) and not p.quarter:
                _report_plan(plans, national, p, kind, "moj", _days(rng, p.end, 10, 30),
                             section="thi-hanh-an-dan-su", listing="thi-hanh-an-dan-su")
            if p.months in (6, 12) and not p.quarter:
                _report_plan(plans, national, p, "news", "baophapluat", _days(rng, p.end, 10, 30),
                             section="post", listing="thi-hanh-an", news_prefix="(PLVN) - ")
                _report_plan(plans, national, p, "news", "plo", _days(rng, p.end, 10, 30),
                             section="post", listing="phap-luat", news_prefix="(PLO)- ")
        y12 = Period(year, 12)
        _report_plan(plans, national, y12, "category", "thads", _days(rng, y12.end, 30, 50), section="TinHoatDong")
        _report_plan(plans, national, Period(year, 6), "category", "baophapluat", _days(rng, Period(year, 6).end, 30, 60),
                     section="post", listing="phap-luat", news_prefix="(PLVN) - ")
        _report_plan(plans, national, y12, "admin", "moj", _days(rng, y12.end, 20, 40),
                     section="hoat-dong-cua-bo", listing="hoat-dong-cua-bo")
        for subsite in sites.PROVINCES:
            scope = _province_scope(subsite)
            periods = [Period(year, quarter=1), Period(year, 6, style=rng.choice(["plain", "padded", "asof"])),
                       Period(year, quarter=3), Period(year, 9, style=rng.choice(["plain", "asof", "range"])),
                       Period(year, 12), Period(year, 8, style="asof")]
            for p in periods:
                kind = "quarter" if p.quarter else "full"
                _report_plan(plans, scope, p, kind, "thads", _days(rng, p.end, 5, 20), subsite=subsite,
                             section="TinTuc")
            if subsite in ("hanoi", "tphochiminh", "danang", "thanhhoa"):
                _report_plan(plans, scope, y12, "news", rng.choice(["baophapluat", "plo"]),
                             _days(rng, y12.end, 15, 40), section="post", listing="phap-luat",
                             news_prefix=rng.choice(["(PLVN) - ", "(PLO)- "]))
            for kind_, dname in sites.DISTRICTS.get(subsite, []):
                dscope = Scope("district", f"{scope.name} / {dname}", f"{kind_} {dname}")
                for p in (Period(year, 6), Period(year, 12)):
                    _report_plan(plans, dscope, p, "district", "thads", _days(rng, p.end, 10, 30),
                                 subsite=subsite, section="TinTuc")
    # Fix the news prefix to the source it lands on.
    for pl in plans:
        pl.listing = pl.listing or pl.section
    # Off-topic articles, spread over the whole range.
    span = (END - START).days
    for _i in range(1500):
        d = START + timedelta(days=rng.randrange(span + 1))
        r = rng.random()
        if r < 0.32:
            subsite = rng.choice([None, *sites.PROVINCES])
            _offtopic_plan(plans, "thads", d, subsite=subsite,
                           section="TinHoatDong" if subsite is None else "TinTuc")
        elif r < 0.55:
            cat = rng.choice(sites.MOJ_CATEGORIES)
            _offtopic_plan(plans, "moj", d, section=cat, listing=cat)
        elif r < 0.76:
            _offtopic_plan(plans, "baophapluat", d, section="post", listing=rng.choice(sites.BPL_CATEGORIES))
        else:
            _offtopic_plan(plans, "plo", d, section="post", listing=rng.choice(sites.PLO_CATEGORIES))
    # Pages robots.txt disallows, linked from listings.
    for site in [None, *sites.PROVINCES]:
        for _ in range(2):
            _offtopic_plan(plans, "thads", START + timedelta(days=rng.randrange(span)), subsite=site,
                           section=sites.THADS_INTERNAL_LIST, disallowed=True)
    for _ in range(8):
        _offtopic_plan(plans, "moj", START + timedelta(days=rng.randrange(span)), section=sites.MOJ_INTERNAL,
                       listing=rng.choice(sites.MOJ_CATEGORIES), disallowed=True)
    for src, sec, cats in (("baophapluat", "preview", sites.BPL_CATEGORIES), ("plo", "in-bai", sites.PLO_CATEGORIES)):
        for _ in range(6):
            _offtopic_plan(plans, src, START + timedelta(days=rng.randrange(span)), section=sec,
                           listing=rng.choice(cats), disallowed=True)
    return plans


def _fix_news_prefix(fields: dict, source: str) -> None:
    """A national news report written for one site carries that site's sapo prefix."""
    if fields.get("sapo") and source == "plo" and fields["sapo"].startswith("(PLVN) - "):
        fields["sapo"] = "(PLO)- " + fields["sapo"][len("(PLVN) - "):]
    if fields.get("sapo") and source == "baophapluat" and fields["sapo"].startswith("(PLO)- "):
        fields["sapo"] = "(PLVN) - " + fields["sapo"][len("(PLO)- "):]


@dataclass
class Archive:
    articles: list[Article]
    by_key: dict

    def lookup(self, source: str, key) -> Article | None:
        return self.by_key.get((source, key))


def _key(a: Article):
    if a.source == "thads":
        return ((a.subsite or "").lower(), a.section.lower(), a.item_id)
    if a.source == "moj":
        return (a.section.lower(), a.item_id)
    return a.item_id


@lru_cache(maxsize=1)
def archive() -> Archive:
    """The archive, built once per process."""
    return build_archive()


def build_archive() -> Archive:
    arts: list[Article] = []
    for i, pl in enumerate(_schedule()):
        rng = random.Random(f"{SEED}:{i}")
        fields = pl.make(rng)
        _fix_news_prefix(fields, pl.source)
        quotes_ok = all(f["quote"] in "\n".join([fields["sapo"] or ""] + [t for _, t in fields["blocks"]])
                        for f in fields["facts"])
        assert quotes_ok, "a generated quote is not in its text"
        arts.append(Article(source=pl.source, published=pl.published, subsite=pl.subsite, section=pl.section,
                            listing=pl.listing, robots_disallowed=pl.disallowed, **fields))
    arts += devset_articles()
    arts.sort(key=lambda a: (a.published, a.source, a.subsite or "", a.title))
    counters: dict = {}
    rng = random.Random(SEED + ":ids")
    for a in arts:
        if a.source in ("thads", "moj"):
            # ItemIDs are unique per thads site (across its lists) and per moj host, so a key
            # that drops the list or category name still identifies one article.
            k = (a.source, a.subsite)
            counters[k] = counters.get(k, 0) + 1
            a.item_id = counters[k]
        else:
            counters[a.source] = counters.get(a.source, 0) + rng.randint(3, 40)
            a.item_id = (350_000 if a.source == "baophapluat" else 550_000) + counters[a.source]
            a.slug = slugify(a.title)
        a.charset = LEGACY_CHARSET.get((a.source, a.subsite, a.item_id), "utf-8")
        if a.source == "plo" and a.published >= date.fromisoformat(sites.PLO_DRIFT_FROM):
            a.layout = "article-content"
        if a.origin == "generated" and rng.random() < 0.02:
            a.modified = min(END, a.published + timedelta(days=rng.randint(1, 12)))
            if a.modified == a.published:
                a.modified = None
        if not a.author:
            a.author = rng.choice(["Thu Hằng", "Minh Anh", "Văn Phòng Cục", "Hoàng Lan", "Đức Minh", "P.V"])
    return Archive(arts, {(a.source, _key(a)): a for a in arts})


def articles() -> list[Article]:
    return archive().articles


def truth() -> list[dict]:
    """Per article (dev set and generated): real URL, mirror path, dates, flags and the facts it states."""
    return [a.truth_record() for a in archive().articles]


def update_note(a: Article) -> str:
    return f"Bài viết được cập nhật, bổ sung thông tin ngày {a.modified.strftime('%d/%m/%Y')}."
