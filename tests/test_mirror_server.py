"""The mirror's HTTP behaviour: hosts, robots, listings, articles, RSS, conditional GET, as_of, switches."""

from __future__ import annotations

import re
import socket
import unicodedata
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from email.utils import parsedate_to_datetime

import pytest
import requests
from bs4 import BeautifulSoup

from scrapers.mirror import archive as arch
from scrapers.mirror import sites
from scrapers.mirror.hostile import HOSTILE, MirrorResponse, register_hostile
from scrapers.mirror.server import start_mirror

HOSTS = list(sites.HOSTS.values())
LISTING_PAGE_1 = {
    "thads.moj.gov.vn": ["/noidung/tintuc/Pages/tin-tuc.aspx", "/bentre/noidung/tintuc/Pages/tin-tuc.aspx"],
    "moj.gov.vn": ["/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?Page=1"],
    "baophapluat.vn": ["/phap-luat/", "/thi-hanh-an/"],
    "plo.vn": ["/phap-luat/", "/thoi-su/"],
}
PAGE_N = {  # page 2 and a page far past the end
    "thads.moj.gov.vn": lambda n: f"/noidung/tintuc/Pages/tin-tuc.aspx?Page={n}",
    "moj.gov.vn": lambda n: f"/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?Page={n}",
    "baophapluat.vn": lambda n: f"/phap-luat/trang-{n}.html",
    "plo.vn": lambda n: f"/phap-luat/?page={n}",
}
ITEM_SELECTOR = {
    "thads.moj.gov.vn": "div.list-news div.news-item",
    "moj.gov.vn": "div.list-news div.news-item",
    "baophapluat.vn": "div.list-articles article.article-item",
    "plo.vn": "div.story-list article.story",
}
NEXT_SELECTOR = {
    "thads.moj.gov.vn": "div.paging a.next",
    "moj.gov.vn": "div.paging a.next",
    "baophapluat.vn": "nav.pagination a.pagination__next[rel=next]",
    "plo.vn": "div.pagination a.next",
}
BODY_SELECTOR = {
    "thads": "div.detail-news div.ms-rtestate-field.content-detail",
    "moj": "div.news-detail div.news-content",
    "baophapluat": "div.article__body.cms-body",
    "plo": "div.article__body",
}


# Every test gets the session mirror (tests/conftest.py), cleared before and after.
pytestmark = pytest.mark.usefixtures("fresh_mirror")


def get(m, host, path, **kw):
    return requests.get(f"{m.url}/{host}{path}", timeout=10, **kw)


def soup(resp):
    return BeautifulSoup(resp.content, "lxml")


def first_article(source, pred=lambda a: True):
    return next(a for a in arch.articles() if a.source == source and pred(a))


def test_server_starts_on_a_free_port_and_stops():
    h = start_mirror(port=0)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", h.url) and h.port > 0
        assert requests.get(f"{h.url}/plo.vn/robots.txt", timeout=5).status_code == 200
    finally:
        h.stop()
    h.stop()   # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", h.port), timeout=1).close()


def test_unknown_paths_are_404(mirror):
    assert requests.get(f"{mirror.url}/nowhere", timeout=5).status_code == 404
    assert get(mirror, "plo.vn", "/khong-co-trang-nay").status_code == 404
    assert get(mirror, "plo.vn", "/x-post1.html").status_code == 404
    assert get(mirror, "thads.moj.gov.vn", "/khongco/noidung/tintuc/Pages/tin-tuc.aspx").status_code == 404
    assert get(mirror, "moj.gov.vn", "/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?ItemID=999999").status_code == 404
    assert get(mirror, "moj.gov.vn", "/qt/tintuc/Pages/thi-hanh-an-dan-su.aspx?Page=abc").status_code == 400
    assert mirror.request_counts("other") == 6


@pytest.mark.parametrize("host", HOSTS)
def test_every_host_has_robots_with_disallowed_links_in_its_listings(mirror, host):
    r = get(mirror, host, "/robots.txt")
    assert r.status_code == 200 and "Disallow:" in r.text and "Crawl-delay" not in r.text
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(r.text.splitlines())
    blocked = 0
    source = sites.SOURCE_OF_HOST[host]
    for a in arch.articles():
        if a.source == source and a.robots_disallowed:
            assert not rp.can_fetch("thads-bot", a.url), a.url
            blocked += 1
        elif a.source == source and a.origin == "generated" and blocked < 3:
            assert rp.can_fetch("thads-bot", a.url), a.url
    assert blocked >= 2
    # at least one disallowed link is written in some listing page
    found = False
    for listing in LISTING_PAGE_1[host]:
        for page in range(1, 30):
            path = listing.split("?")[0]
            if host == "baophapluat.vn":
                path = listing if page == 1 else f"{listing}trang-{page}.html"
            elif host in ("thads.moj.gov.vn", "moj.gov.vn"):
                path = f"{path}?Page={page}"
            else:
                path = f"{listing}?page={page}"
            links = [a["href"] for a in soup(get(mirror, host, path)).select(ITEM_SELECTOR[host] + " a[href]")]
            if not links:
                break
            if any(not rp.can_fetch("thads-bot", requests.compat.urljoin(f"https://{host}{path}", u)) for u in links):
                found = True
                break
        if found:
            break
    assert found, f"no disallowed link in {host} listings"


@pytest.mark.parametrize("host", HOSTS)
def test_listings_paginate_newest_first_with_an_empty_page_past_the_end(mirror, host):
    r1 = get(mirror, host, PAGE_N[host](1))
    r2 = get(mirror, host, PAGE_N[host](2))
    assert r1.status_code == r2.status_code == 200
    s1, s2 = soup(r1), soup(r2)
    items1, items2 = s1.select(ITEM_SELECTOR[host]), s2.select(ITEM_SELECTOR[host])
    assert len(items1) == len(items2) == sites.PAGE_SIZE
    assert s1.select_one(NEXT_SELECTOR[host]) is not None

    def dates(items):
        out = []
        for it in items:
            t = it.select_one("time[datetime]")
            out.append(t["datetime"][:10] if t else "-".join(reversed(
                re.search(r"\d{2}/\d{2}/\d{4}", it.get_text()).group().split("/"))))
        return out
    d = dates(items1) + dates(items2)
    assert d == sorted(d, reverse=True)
    assert set(a.get_text() for a in items1) != set(a.get_text() for a in items2)
    far = get(mirror, host, PAGE_N[host](500))
    assert far.status_code == 200
    assert soup(far).select(ITEM_SELECTOR[host]) == [] and soup(far).select_one(NEXT_SELECTOR[host]) is None


def test_every_listed_article_is_reachable_through_the_listing(mirror):
    """Walk the bentre listing to its end: every visible bentre article appears exactly once."""
    seen = []
    page = 1
    while True:
        s = soup(get(mirror, "thads.moj.gov.vn", f"/bentre/noidung/tintuc/Pages/tin-tuc.aspx?Page={page}"))
        links = [a["href"] for a in s.select("div.news-item a.news-title")]
        if not links:
            break
        seen += [re.search(r"(?i)lists/(\w+)/view_detail\.aspx\?itemid=(\d+)", u).groups() for u in links]
        page += 1
    expected = [(a.section.lower(), str(a.item_id)) for a in arch.articles()
                if a.source == "thads" and a.subsite == "bentre"]
    assert sorted((s.lower(), i) for s, i in seen) == sorted(expected)


@pytest.mark.parametrize("source", ["thads", "moj", "baophapluat", "plo"])
def test_article_pages_carry_title_date_body_and_boilerplate(mirror, source):
    a = first_article(source, lambda a: a.on_topic and a.origin == "generated" and a.layout == "default"
                      and a.charset == "utf-8")
    r = requests.get(mirror.mirror_url(a.url), timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    s = soup(r)
    body = s.select_one(BODY_SELECTOR[source])
    assert body is not None
    text = s.get_text("")
    assert "leftcenterrightdel" in text
    body_text = body.get_text(" ")
    for f in a.facts:
        if f["quote"] not in (a.sapo or ""):
            assert f["quote"] in body_text
    flat = s.get_text("\n")
    i_title, i_date = flat.index(a.title), flat.index(a.published.strftime("%d/%m/%Y"))
    first_para = next(t for k, t in a.blocks if k == "p")
    assert i_title < i_date < flat.index(first_para)
    if source in ("baophapluat", "plo"):
        assert "ảnh 1" in body_text and "Ý kiến ()" in text
        assert "Cùng chuyên mục" in body_text and "Đọc thêm" in body_text
        assert s.select_one("div.article__sapo").get_text().startswith("(PLVN) -" if source == "baophapluat" else "(PLO)-")
    else:
        assert "Ảnh:" in body_text and ("In trang" in text or "In bài viết" in text)
    if source == "plo":
        assert s.select_one('meta[property="article:published_time"]')["content"].startswith(a.published.isoformat())
        assert s.select_one("div.article__meta time[datetime]")["datetime"].startswith(a.published.isoformat())
    if source == "thads":
        assert s.select_one("div.detail-news h1.title-detail").get_text() == a.title
        assert s.select_one("div.detail-news span.date-detail").get_text() == a.published.strftime("%d/%m/%Y")


def test_thads_link_variants_reach_the_same_page(mirror):
    a = first_article("thads", lambda a: a.subsite == "bentre" and a.item_id == 12)
    assert a.section == "TinTuc"
    canonical = requests.get(mirror.mirror_url(a.url), timeout=10)
    assert canonical.status_code == 200
    base = f"{mirror.url}/thads.moj.gov.vn"
    for variant in ("/BenTre/NoiDung/TinTuc/Lists/TinTuc/View_Detail.aspx?ItemID=12",
                    "/bentre/noidung/tintuc/lists/tintuc/view_detail.aspx?itemid=12",
                    "/bentre/noidung/tintuc/Lists/TinTuc/View_Detail.aspx?ItemID=12&utm_source=home&utm_medium=list"):
        r = requests.get(base + variant, timeout=10)
        assert r.status_code == 200 and r.content == canonical.content, variant
    # listings really do write variants, which the crawler must collapse
    hrefs = []
    for page in range(1, 6):
        s = soup(get(mirror, "thads.moj.gov.vn", f"/noidung/tintuc/Pages/tin-tuc.aspx?Page={page}"))
        hrefs += [x["href"] for x in s.select("div.news-item a.news-title")]
    assert any(":443/" in h for h in hrefs) and any(h.startswith("http://") for h in hrefs)
    assert any("utm_source" in h for h in hrefs) and any("itemid=" in h for h in hrefs)


@pytest.mark.parametrize("path", ["/plo.vn/rss/home.rss", "/plo.vn/rss/phap-luat-11.rss", "/plo.vn/rss/thoi-su-1.rss",
                                  "/baophapluat.vn/rss/home.rss", "/baophapluat.vn/rss/phap-luat.rss"])
def test_rss_parses_as_xml_and_links_to_articles(mirror, path):
    r = requests.get(mirror.url + path, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(r.content)
    items = root.findall("./channel/item")
    assert 0 < len(items) <= sites.RSS_SIZE
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)
    link = items[0].findtext("link")
    assert link.startswith("https://" + path.split("/")[1] + "/")
    assert requests.get(mirror.mirror_url(link), timeout=10).status_code == 200


@pytest.mark.parametrize("path", ["/thads.moj.gov.vn/noidung/tintuc/Pages/tin-tuc.aspx",
                                  "/moj.gov.vn/qt/tintuc/Pages/hoat-dong-cua-bo.aspx",
                                  "/baophapluat.vn/thoi-su/", "/plo.vn/phap-luat/?page=2", "/plo.vn/rss/home.rss",
                                  "/baophapluat.vn/rss/thi-hanh-an.rss"])
def test_conditional_get_returns_304(mirror, path):
    r = requests.get(mirror.url + path, timeout=10)
    etag, lm = r.headers["ETag"], r.headers["Last-Modified"]
    assert requests.get(mirror.url + path, headers={"If-None-Match": etag}, timeout=10).status_code == 304
    assert requests.get(mirror.url + path, headers={"If-Modified-Since": lm}, timeout=10).status_code == 304
    assert requests.get(mirror.url + path, headers={"If-None-Match": '"other"'}, timeout=10).status_code == 200
    older = (parsedate_to_datetime(lm) - timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert requests.get(mirror.url + path, headers={"If-Modified-Since": older}, timeout=10).status_code == 200


def test_as_of_hides_future_articles_everywhere(mirror):
    cut = date(2022, 6, 30)
    later = first_article("plo", lambda a: a.published > cut and a.origin == "generated")
    earlier = first_article("plo", lambda a: a.published <= cut and a.origin == "generated")
    mirror.set_as_of(cut)
    assert requests.get(mirror.mirror_url(later.url), timeout=10).status_code == 404
    assert requests.get(mirror.mirror_url(earlier.url), timeout=10).status_code == 200
    rss = ET.fromstring(get(mirror, "plo.vn", "/rss/home.rss").content)
    assert all(parsedate_to_datetime(i.findtext("pubDate")).date() <= cut for i in rss.findall("./channel/item"))
    s = soup(get(mirror, "plo.vn", "/phap-luat/"))
    assert all(t["datetime"][:10] <= cut.isoformat() for t in s.select("article.story time[datetime]"))
    thads = soup(get(mirror, "thads.moj.gov.vn", "/noidung/tintuc/Pages/tin-tuc.aspx"))
    shown = [d.get_text() for d in thads.select("span.news-date")]
    assert shown and all(date(*map(int, reversed(x.split("/")))) <= cut for x in shown)
    assert mirror.request_counts("article") == 2
    mirror.set_as_of(None)
    assert requests.get(mirror.mirror_url(later.url), timeout=10).status_code == 200


def test_updated_articles_change_after_their_modified_date(mirror):
    a = first_article("thads", lambda a: a.modified is not None and a.modified > a.published)
    url = mirror.mirror_url(a.url)
    mirror.set_as_of(a.published)
    before = requests.get(url, timeout=10)
    mirror.set_as_of(a.modified)
    after = requests.get(url, timeout=10)
    assert before.status_code == after.status_code == 200
    assert "Bài viết được cập nhật" not in before.text and "Bài viết được cập nhật" in after.text
    assert before.headers["ETag"] != after.headers["ETag"]
    assert parsedate_to_datetime(after.headers["Last-Modified"]).date() == a.modified
    assert parsedate_to_datetime(before.headers["Last-Modified"]).date() == a.published
    # the listing shows the update date
    prefix = f"/{a.subsite}" if a.subsite else ""
    found = False
    for page in range(1, 80):
        s = soup(get(mirror, "thads.moj.gov.vn", f"{prefix}/noidung/tintuc/Pages/tin-tuc.aspx?Page={page}"))
        for item in s.select("div.news-item"):
            if item.select_one("a.news-title").get_text() == a.title:
                found = f"Cập nhật: {a.modified:%d/%m/%Y}" in item.get_text()
        if found or not s.select("div.news-item"):
            break
    assert found


def test_plo_layout_drift_after_its_date(mirror):
    old = first_article("plo", lambda a: a.published < date(2026, 6, 1) and not a.robots_disallowed)
    new = first_article("plo", lambda a: a.published >= date(2026, 6, 1) and not a.robots_disallowed)
    s_old = soup(requests.get(mirror.mirror_url(old.url), timeout=10))
    s_new = soup(requests.get(mirror.mirror_url(new.url), timeout=10))
    assert s_old.select_one("div.article__body") and not s_old.select_one("div.article-content")
    assert s_new.select_one("div.article-content") and not s_new.select_one("div.article__body")
    assert new.layout == "article-content" and old.layout == "default"


def test_legacy_charset_pages(mirror):
    a = first_article("thads", lambda a: a.subsite == "bentre" and a.item_id == 1)
    r = requests.get(mirror.mirror_url(a.url), timeout=10)
    assert r.headers["Content-Type"] == "text/html; charset=windows-1258"
    assert b'<meta charset="windows-1258">' in r.content
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = unicodedata.normalize("NFC", r.content.decode("cp1258"))
    assert a.title in text
    b = first_article("moj", lambda a: a.item_id == 1)
    r = requests.get(mirror.mirror_url(b.url), timeout=10)
    assert r.headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    assert b'<meta charset="utf-8">' in r.content and b.title in r.content.decode("utf-8")


def _norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def test_devset_articles_are_served_with_their_full_text(mirror, shared_dir):
    dev = {a.url: a for a in arch.articles() if a.origin == "dev-set"}
    assert len(dev) == 5
    for a in dev.values():
        r = requests.get(mirror.mirror_url(a.url), timeout=10)
        assert r.status_code == 200
        page = _norm(soup(r).get_text(" ")) + "\n" + _norm(soup(r).get_text(""))   # toolbar spans join with ""
        name = next(n for n, meta in arch.DEVSET.items() if meta["published"] == a.published.isoformat())
        original = (shared_dir / "dev-set" / "articles" / f"{name}.txt").read_text(encoding="utf-8")
        lines = [_norm(x) for x in original.splitlines() if x.strip()]
        lines = [re.sub(r"^\d{2}/\d{2}/\d{4}", "", x).strip() for x in lines]
        missing = [x for x in lines if x and x not in page]
        assert not missing, (name, missing[:3])


def test_request_log_counts_by_kind_and_host(mirror):
    get(mirror, "plo.vn", "/robots.txt")
    get(mirror, "plo.vn", "/rss/home.rss")
    get(mirror, "baophapluat.vn", "/phap-luat/")
    a = first_article("moj", lambda a: a.origin == "generated")
    requests.get(mirror.mirror_url(a.url), timeout=10)
    log = mirror.requests
    assert [e.kind for e in log] == ["robots", "rss", "listing", "article"]
    assert log[1] == ("GET", "/plo.vn/rss/home.rss", 200, "rss")
    assert mirror.request_counts(host="plo.vn") == 2 and mirror.request_counts("article", host="moj.gov.vn") == 1
    assert mirror.request_counts() == 4
    with pytest.raises(ValueError):
        mirror.request_counts("bogus")
    mirror.reset_log()
    assert mirror.requests == []


def test_control_endpoint_steers_the_mirror(mirror):
    ctl = f"{mirror.url}/_mirror/control"
    state = requests.post(ctl, json={"as_of": "2021-01-01", "faults": {"rates": {"5xx": 1.0}}}, timeout=5).json()
    assert state["as_of"] == "2021-01-01" and state["faults"]["rates"] == {"5xx": 1.0}
    assert mirror.as_of == date(2021, 1, 1) and mirror.faults.rates == {"5xx": 1.0}
    assert get(mirror, "plo.vn", "/rss/home.rss").status_code == 503
    assert requests.post(ctl, json={"faults": None, "reset_log": True}, timeout=5).json()["requests"] == 0
    assert get(mirror, "plo.vn", "/rss/home.rss").status_code == 200
    assert requests.get(f"{mirror.url}/_mirror/requests", timeout=5).json() == [
        ["GET", "/plo.vn/rss/home.rss", 200, "rss"]]
    bad = requests.post(ctl, json={"faults": {"rates": {"nope": 0.1}}}, timeout=5)
    assert bad.status_code == 400 and "nope" in bad.json()["error"]
    assert requests.post(ctl, data=b"not json", timeout=5).status_code == 400


def test_endless_listing_switch(mirror):
    mirror.set_faults({"endless_listings": True})
    s = soup(get(mirror, "plo.vn", "/phap-luat/?page=900"))
    assert len(s.select("article.story")) > 0 and s.select_one("div.pagination a.next")["href"].endswith("page=901")
    mirror.set_faults(None)
    assert soup(get(mirror, "plo.vn", "/phap-luat/?page=900")).select("article.story") == []


def test_crawl_delay_switch(mirror):
    mirror.set_faults({"crawl_delay": 1.5})
    assert "Crawl-delay: 1.5" in get(mirror, "moj.gov.vn", "/robots.txt").text
    mirror.set_faults({"crawl_delay": {"plo.vn": 2}})
    assert "Crawl-delay: 2" in get(mirror, "plo.vn", "/robots.txt").text
    assert "Crawl-delay" not in get(mirror, "moj.gov.vn", "/robots.txt").text


def test_hostile_pages_and_registry(mirror):
    r = requests.get(f"{mirror.url}/plo.vn/hostile/empty-body-post990001.html", timeout=5)
    assert r.status_code == 200 and r.content == b""
    r = requests.get(f"{mirror.url}/plo.vn/hostile/redirect-loop-post990005.html", allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].startswith("https://plo.vn/hostile/")
    r = requests.get(f"{mirror.url}/plo.vn/hostile/offsite-redirect-post990006.html", allow_redirects=False, timeout=5)
    assert r.headers["Location"].startswith("https://example.com/")
    r = requests.get(f"{mirror.url}/plo.vn/hostile/huge-post990004.html", stream=True, timeout=5)
    assert int(r.headers["Content-Length"]) == 50 * 1024 * 1024
    assert len(next(r.iter_content(65536))) > 0
    r.close()
    path = "/plo.vn/hostile/test-only-post990099.html"
    register_hostile(path, lambda req: MirrorResponse(418, {"Content-Type": "text/plain"}, req.path.encode()))
    try:
        r = requests.get(f"{mirror.url}{path}?x=1", timeout=5)
        assert r.status_code == 418 and r.text == f"{path}?x=1"
    finally:
        HOSTILE.pop(path)
    mirror.set_faults({"hostile_links": True})
    hrefs = [a["href"] for a in soup(get(mirror, "plo.vn", "/phap-luat/")).select("article.story a")]
    assert "https://plo.vn/hostile/gzip-bomb-post990003.html" in hrefs
    assert all(e.kind == "article" for e in mirror.requests if "/hostile/" in e.path)


def test_a_failing_page_answers_500_and_is_logged(mirror):
    path = "/plo.vn/hostile/broken-post990098.html"

    def broken(req):
        raise RuntimeError("boom")
    register_hostile(path, broken)
    try:
        r = requests.get(mirror.url + path, timeout=5)
        assert r.status_code == 500 and "boom" in r.text
        assert mirror.requests[-1] == ("GET", path, 500, "article")
        assert requests.get(mirror.url + "/plo.vn/robots.txt", timeout=5).status_code == 200
    finally:
        HOSTILE.pop(path)


def test_gzip_bomb_binary_and_js_only_pages(mirror):
    import zlib

    r = requests.get(f"{mirror.url}/plo.vn/hostile/gzip-bomb-post990003.html", stream=True, timeout=30)
    assert r.headers["Content-Encoding"] == "gzip" and int(r.headers["Content-Length"]) < 1024 * 1024
    head = r.raw.read(4096, decode_content=False)
    r.close()
    inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1_000_000)
    assert len(inflated) >= 100 * len(head) and set(inflated) == {0}
    r = requests.get(f"{mirror.url}/plo.vn/hostile/binary-post990002.html", timeout=5)
    assert r.headers["Content-Type"].startswith("text/html") and r.content.startswith(b"\x89PNG")
    r = requests.get(f"{mirror.url}/plo.vn/hostile/js-only-post990007.html", timeout=5)
    assert "article__body" not in r.text and '<div id="root"></div>' in r.text


def test_disallowed_links_keep_the_case_robots_txt_matches():
    from scrapers.mirror.render import link_for

    for a in arch.articles():
        if a.robots_disallowed and a.source in ("thads", "moj"):
            for ctx in ("list1", "list2", "other", "related"):
                link = link_for(a, ctx)
                path = "/" + link.split("://", 1)[1].split("/", 1)[1] if "://" in link else link
                assert path.split("?")[0] == a.path.split("?")[0], link
