"""Site profiles (loading, validation), canonical keys, and the CSS subset the cleaner compiles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from crawl_helpers import profile_dict
from hypothesis import given
from hypothesis import strategies as st

from scrapers.clean.css import CssError, compile_simple
from scrapers.crawl.keys import canonical_url, doc_id, find_profile
from scrapers.sites import SOURCES, ProfileError, load_file, load_profile, load_profiles
from scrapers.sites.profile import build_profile

REPO = Path(__file__).resolve().parents[1]


def test_all_four_profiles_load():
    profiles = load_profiles()
    assert set(profiles) == set(SOURCES)
    for pid, p in profiles.items():
        assert p.id == pid and p.hosts and p.selectors["body"] and p.topic_keywords and p.topic_cues
        assert p.politeness.concurrency == 1 and p.politeness.user_agent.startswith("thads-pipeline/")
        assert p.listings or p.feeds
    assert profiles["thads"].politeness.legacy_tls and not profiles["plo"].politeness.legacy_tls


def test_thads_lists_every_province_slug():
    rows = list(csv.DictReader((REPO / "scrapers/extract/data/provinces.csv").open(encoding="utf-8")))
    slugs = {r["thads_slug"] for r in rows if r.get("thads_slug")}
    subsites = load_profile("thads").subsites
    assert len(subsites) == 63 == len(set(subsites))
    assert set(subsites) == slugs


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("hosts"), "hosts: missing"),
        (lambda d: d.__setitem__("base_url", "ftp://x"), "base_url"),
        (lambda d: d["article_urls"][0].__setitem__("pattern", "(unclosed"), "bad regex"),
        (lambda d: d["article_urls"][0].__setitem__("key", "{host}/{nosuch}/{id}"), "unknown fields"),
        (lambda d: d["selectors"].__setitem__("title", ["h1:has(> a"]), "bad CSS selector"),
        (lambda d: d["selectors"].__setitem__("body", ["div:nth-child(2)"]), "outside the supported subset"),
        (lambda d: d["politeness"].__setitem__("concurrency", 4), "only 1 request"),
        (lambda d: d["politeness"].__setitem__("delay", "fast"), "expected"),
        (lambda d: d["discovery"]["listings"][0].__setitem__("url", "https://plo.vn/x"), "{page}"),
        (lambda d: d.__setitem__("date_patterns", [r"(\d+)"]), "named groups"),
    ],
)
def test_bad_profiles_fail_with_a_clear_message(mutate, message):
    data = profile_dict("plo")
    mutate(data)
    with pytest.raises(ProfileError, match=message) as info:
        build_profile(data, "plo.yaml")
    assert str(info.value).startswith("plo.yaml: ")


def test_bad_profile_file(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="cannot read YAML"):
        load_file(bad)
    with pytest.raises(ProfileError, match="unknown source"):
        load_profile("_defaults")


# ---- canonical keys ----------------------------------------------------------------------------

THADS_VARIANTS = [
    "https://thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=12",
    "https://thads.moj.gov.vn:443/Bentre/Noidung/Tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=12",
    "http://thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=12",
    "https://thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?itemid=12",
    "https://thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=12&utm_source=home&utm_medium=list",
    "https://THADS.MOJ.GOV.VN/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=012#top",
    "https://www.thads.moj.gov.vn/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?fbclid=x&ItemID=12",
]


def test_sharepoint_variants_collapse():
    p = load_profile("thads")
    assert {doc_id(u, p) for u in THADS_VARIANTS} == {"thads.moj.gov.vn/bentre/tintuc/12"}
    assert (
        doc_id("https://thads.moj.gov.vn/noidung/tintuc/Lists/TinHoatDong/View_Detail.aspx?ItemID=5", p)
        == "thads.moj.gov.vn/tinhoatdong/5"
    )
    # Different subsite, list or id: different article.
    assert doc_id(THADS_VARIANTS[0].replace("bentre", "danang"), p) == "thads.moj.gov.vn/danang/tintuc/12"
    assert doc_id(THADS_VARIANTS[0].replace("=12", "=13"), p) == "thads.moj.gov.vn/bentre/tintuc/13"
    # Not articles: listings, other hosts, schemes.
    assert doc_id("https://thads.moj.gov.vn/bentre/noidung/tintuc/Pages/tin-tuc.aspx?Page=2", p) is None
    assert (
        doc_id("https://evil.example/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=1", p) is None
    )
    assert doc_id("ftp://thads.moj.gov.vn/x", p) is None
    assert canonical_url(THADS_VARIANTS[4]) == THADS_VARIANTS[0]
    assert canonical_url(THADS_VARIANTS[2]) == THADS_VARIANTS[0]


def test_moj_and_news_keys():
    moj = load_profile("moj")
    assert (
        doc_id("https://moj.gov.vn/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?ItemID=77", moj)
        == "moj.gov.vn/qt/tintuc/77"
    )
    assert (
        doc_id("https://moj.gov.vn/qt/tintuc/Pages/tin-tuc-su-kien.aspx?ItemID=77&utm_campaign=x", moj)
        == "moj.gov.vn/qt/tintuc/77"
    )
    assert doc_id("https://moj.gov.vn/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?Page=3", moj) is None
    bpl = load_profile("baophapluat")
    for u in (
        "https://baophapluat.vn/tiep-tuc-chi-dao-post456789.html",
        "http://www.baophapluat.vn/tiep-tuc-chi-dao-post456789.html?utm_source=fb",
        "https://baophapluat.vn:443/khac-tieu-de-post456789.html",
    ):
        assert doc_id(u, bpl) == "baophapluat.vn/post-456789"
    plo = load_profile("plo")
    assert (
        doc_id("https://plo.vn/in-bai/x-post12.html", plo)
        == doc_id("https://plo.vn/x-post12.html", plo)
        == "plo.vn/post-12"
    )
    assert doc_id("https://plo.vn/phap-luat/?page=2", plo) is None
    assert find_profile("https://www.plo.vn/a-post1.html").id == "plo"
    assert find_profile("https://example.com/a-post1.html") is None


@given(
    st.sampled_from(THADS_VARIANTS),
    st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid", "_ga"]),
    st.text(alphabet="abc123", min_size=1, max_size=8),
)
def test_tracking_parameters_never_change_the_key(url, param, value):
    p = load_profile("thads")
    sep = "&" if "?" in url.split("#")[0] else "?"
    base = url.split("#")[0]
    assert doc_id(f"{base}{sep}{param}={value}", p) == "thads.moj.gov.vn/bentre/tintuc/12"


# ---- the CSS subset ------------------------------------------------------------------------------

PAGE = """<html><body><div id="main" class="a b"><h1 class="title x">T</h1><p class="lead">L</p>
<div class="box"><p data-k="v1">one</p><span><p class="lead z">two</p></span></div></div>
<div class="box"><a href="https://x/y.aspx?ItemID=1">link</a></div></body></html>"""


@pytest.mark.parametrize(
    "sel",
    [
        "h1",
        "#main",
        ".box",
        "div.box p",
        "div.box > p",
        "p.lead",
        ".a.b h1.title",
        "[data-k]",
        "[data-k=v1]",
        "a[href*='ItemID']",
        "a[href^=https]",
        "a[href$='=1']",
        "p.lead, h1",
        "div > span > p.z",
        "*[class~=x]",
    ],
)
def test_css_subset_selects_what_soupsieve_selects(sel):
    import lxml.html

    root = lxml.html.document_fromstring(PAGE)
    ours = [(e.tag, e.text_content()) for e in compile_simple(sel)(root)]
    soup = BeautifulSoup(PAGE, "lxml")
    theirs = [(e.name, e.get_text()) for e in soup.select(sel)]
    assert ours == theirs


@pytest.mark.parametrize("sel", ["p:first-child", "a + b", "div ~ p", "", "p >", "h1::before"])
def test_css_subset_rejects_what_it_cannot_translate(sel):
    with pytest.raises(CssError):
        compile_simple(sel)


def test_profile_cut_selectors_agree_with_soupsieve_on_mirror_pages():
    import lxml.html

    from scrapers.mirror import render
    from scrapers.mirror.archive import archive

    seen = set()
    for a in archive().articles:
        if (a.source, a.layout) in seen:
            continue
        seen.add((a.source, a.layout))
        html = render.ARTICLE_RENDERERS[a.source](a, None)
        root = lxml.html.document_fromstring(html)
        soup = BeautifulSoup(html, "lxml")
        for field, sels in load_profile(a.source).selectors.items():
            for sel in sels:
                ours = [" ".join(e.text_content().split()) for e in compile_simple(sel)(root)]
                theirs = [" ".join(e.get_text().split()) for e in soup.select(sel)]
                assert ours == theirs, (a.source, field, sel)
    assert len(seen) == 5
