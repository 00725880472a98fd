"""crawl() against the local mirror: what lands, what is skipped, how many requests it takes."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter

import crawl_helpers
import pytest
from crawl_helpers import (
    BOILERPLATE,
    HOSTS,
    expected_urls,
    landed_articles,
    quarantined,
    raw_metas,
    requests_of,
    truth,
)

from scrapers.crawl.keys import doc_id
from scrapers.crawl.pipeline import crawl
from scrapers.sites import load_profile

crawl_env = crawl_helpers.crawl_env  # the fixture

EARLY = "2020-01-15"  # a small visible archive: about 100 articles over the four sources


@pytest.mark.parametrize("source", ["thads", "moj", "baophapluat", "plo"])
def test_each_source_lands_exactly_the_on_topic_articles(crawl_env, tmp_lake, source):
    crawl_env.set_as_of(EARLY)
    summary = crawl(source, mode="full", lake=tmp_lake)
    arts = landed_articles(tmp_lake, source)
    urls = [a["url"] for a in arts]
    assert len(urls) == len(set(urls)), "an article landed twice"
    assert set(urls) == expected_urls(source, as_of=EARLY)
    off_topic = expected_urls(source, as_of=EARLY, on_topic=False)
    assert summary["skipped_off_topic"] == len(off_topic)
    assert summary["landed"] == len(arts) and summary["quarantined"] == 0
    # Every fetched page (on- or off-topic) is in raw with its metadata; nothing was fetched twice.
    metas = raw_metas(tmp_lake, source)
    assert {m["url"] for m in metas} == set(urls) | off_topic
    art_requests = [e.path for e in requests_of(crawl_env, "article", HOSTS[source])]
    assert len(art_requests) == len(metas)
    for a in arts:
        assert a["text"].startswith(a["title"] + "\n")
        assert all(b not in a["text"] for b in BOILERPLATE), a["url"]
        assert a["n_facts"] > 0, f"on-topic article without facts: {a['url']}"
    by_url = {t["url"]: t for t in truth(source)}
    assert all(a["published"] == by_url[a["url"]]["published"] for a in arts)
    run_file = tmp_lake / "runs" / "crawl"
    saved = [json.loads(p.read_text()) for p in run_file.glob("*.json")]
    assert [s["run_id"] for s in saved] == [summary["run_id"]]
    assert summary["requests"]["article"] == len(art_requests)
    manifest = tmp_lake / "versions" / f"{summary['version']}.json"
    assert manifest.is_file()


def test_thads_subsites_and_keys(crawl_env, tmp_lake):
    crawl_env.set_as_of(EARLY)
    crawl("thads", mode="full", lake=tmp_lake)
    arts = landed_articles(tmp_lake, "thads")
    for a in arts:
        parts = a["doc_id"].split("/")
        if a["subsite"]:
            assert parts[:2] == ["thads.moj.gov.vn", a["subsite"]] and parts[2] == "tintuc"
            assert f"/{a['subsite']}/" in a["url"]
        else:
            assert parts[1] in ("tinhoatdong", "tinthongke")
    assert {a["subsite"] for a in arts} - {None} <= {t["subsite"] for t in truth("thads")}


def test_link_variants_collapse_to_one_key(crawl_env, tmp_lake):
    # thads and moj listings write some links as :443 / http / ?itemid= / utm_ variants.
    crawl_env.set_as_of(EARLY)
    crawl("moj", mode="full", lake=tmp_lake)
    crawl("thads", mode="full", lake=tmp_lake)
    for source in ("moj", "thads"):
        metas = raw_metas(tmp_lake, source)
        assert len({m["doc_id"] for m in metas}) == len(metas)
        # each article page was requested once even though listings and "other news" blocks link it variously
        paths = [e.path.lower() for e in requests_of(crawl_env, "article", HOSTS[source])]
        assert len(paths) == len(set(paths)) == len(metas)
        assert {m["url"] for m in metas} <= {t["url"] for t in truth(source)}


def test_daily_run_fetches_only_new_articles(crawl_env, tmp_lake):
    source, host = "moj", HOSTS["moj"]
    profile = load_profile(source)
    crawl_env.set_as_of("2021-03-01")
    first = crawl(source, mode="daily", lake=tmp_lake)
    assert first["landed"] == len(expected_urls(source, as_of="2021-03-01"))
    crawl_env.set_as_of("2021-03-10")
    crawl_env.reset_log()
    new = expected_urls(source, as_of="2021-03-10", on_topic=None) - expected_urls(
        source, as_of="2021-03-01", on_topic=None
    )
    updated = [t for t in truth(source) if t["modified"] and "2021-03-01" < t["modified"] <= "2021-03-10"]
    assert new, "the window must hold new articles"
    second = crawl(source, mode="daily", lake=tmp_lake)
    fetched = {e.path for e in requests_of(crawl_env, "article", host)}
    assert len(requests_of(crawl_env, "article", host)) == len(fetched)
    assert len(new) <= len(fetched) <= len(new) + len(updated)
    fetched_keys = {doc_id("https:/" + p, profile) for p in fetched}
    assert {doc_id(u, profile) for u in new} <= fetched_keys
    # Three category listings, each read until a landed article shows up: page 1, maybe page 2.
    listing_requests = requests_of(crawl_env, "listing", host)
    assert len(listing_requests) <= 3 * 2
    assert second["landed"] == len(new & expected_urls(source, as_of="2021-03-10"))
    assert second["unchanged_skipped"] > 0


def test_second_daily_run_is_all_304(crawl_env, tmp_lake):
    crawl_env.set_as_of("2020-03-01")
    crawl("baophapluat", mode="daily", lake=tmp_lake)
    crawl_env.reset_log()
    summary = crawl("baophapluat", mode="daily", lake=tmp_lake)
    log = requests_of(crawl_env, host="baophapluat.vn")
    index = [e for e in log if e.kind in ("listing", "rss")]
    assert index and all(e.status == 304 for e in index)
    assert not [e for e in log if e.kind == "article"]
    assert summary["not_modified"] == len(index) and summary["pages_tried"] == 0


def test_updated_article_is_refetched_once(crawl_env, tmp_lake):
    # Pick an updated article; land everything before its update, then let the listing show the update.
    t = next(
        t
        for t in truth("thads")
        if t["modified"] and not t["robots_disallowed"] and t["on_topic"] and t["published"] >= "2020-01-01"
    )
    crawl_env.set_as_of(t["published"])
    crawl("thads", mode="daily", lake=tmp_lake, start=t["published"])
    before = [a for a in landed_articles(tmp_lake, "thads") if a["url"] == t["url"]]
    assert len(before) == 1 and "được cập nhật" not in before[0]["text"]
    crawl_env.set_as_of(t["modified"])
    crawl_env.reset_log()
    summary = crawl("thads", mode="daily", lake=tmp_lake, start=t["published"])
    after = [a for a in landed_articles(tmp_lake, "thads") if a["url"] == t["url"]]
    assert len(after) == 1 and "được cập nhật" in after[0]["text"]
    assert summary["refetched_changed"] >= 1
    path = crawl_env.mirror_url(t["url"]).split(str(crawl_env.port), 1)[1]
    assert [e.path for e in requests_of(crawl_env, "article")].count(path) == 1


def test_backfill_year_uses_logarithmic_listing_requests(crawl_env, tmp_lake):
    source, host = "plo", HOSTS["plo"]
    start, end = "2020-10-01", "2021-09-30"
    summary = crawl(source, mode="backfill", start=start, end=end, lake=tmp_lake)
    want = expected_urls(source, start=start, end=end)
    assert {a["url"] for a in landed_articles(tmp_lake, source)} == want
    # Only the year's articles were fetched.
    year_urls = expected_urls(source, start=start, end=end, on_topic=None)
    assert len(requests_of(crawl_env, "article", host)) == len(year_urls)
    # Listing requests: per listing, a binary search (about 2*log2(pages) probes) plus the year's pages.
    from scrapers.mirror.archive import archive
    from scrapers.mirror.render import listing_key

    arts = [a for a in archive().articles if a.source == source]
    per_listing = Counter(listing_key(a) for a in arts)
    in_year = Counter(listing_key(a) for a in arts if start <= a.published.isoformat() <= end)
    bound = sum(
        2 * math.ceil(math.log2(math.ceil(n / 20) + 1)) + 3 + math.ceil(in_year[k] / 20) + 1
        for k, n in per_listing.items()
    )
    full = sum(math.ceil(n / 20) + 1 for n in per_listing.values())
    n_listing = len(requests_of(crawl_env, "listing", host))
    assert n_listing <= bound
    # The mirror's listings are only ~10 pages deep, so the saving here is small;
    # test_crawl_backfill shows it on 1000 pages.
    assert n_listing < full
    print(f"backfill {source} {start}..{end}: {n_listing} listing requests (bound {bound}, full walk {full})")
    assert summary["listing_pages"] == n_listing


def test_faults_every_article_lands_once(crawl_env, tmp_lake):
    crawl_env.set_as_of("2020-02-15")
    crawl_env.set_faults(
        {"seed": 11, "rates": {"5xx": 0.2, "429": 0.1, "truncate": 0.1, "charset": 0.1}, "retry_after": 1}
    )
    summary = crawl("baophapluat", mode="full", lake=tmp_lake)
    assert summary["retried"] > 0
    assert summary["quarantined"] == 0
    arts = landed_articles(tmp_lake, "baophapluat")
    assert sorted(a["url"] for a in arts) == sorted(expected_urls("baophapluat", as_of="2020-02-15"))
    statuses = {e.status for e in requests_of(crawl_env, host="baophapluat.vn")}
    assert {503, 429} <= statuses
    # Retry-After (1 s) was honoured but capped by THADS_HTTP_RETRY_AFTER_MAX (0.05 s) in tests.
    assert summary["slept_s"] < 5


@pytest.mark.slow
def test_timeouts_are_retried(crawl_env, tmp_lake, monkeypatch):
    monkeypatch.setenv("THADS_HTTP_TIMEOUT", "0.6")
    crawl_env.set_as_of("2019-11-15")
    crawl_env.set_faults({"seed": 3, "rates": {"timeout": 0.15}, "timeout_s": 0.6})
    summary = crawl("moj", mode="full", lake=tmp_lake)
    assert summary["retried"] > 0 and summary["quarantined"] == 0
    assert {a["url"] for a in landed_articles(tmp_lake, "moj")} == expected_urls("moj", as_of="2019-11-15")


def test_robots_disallowed_pages_are_never_requested(crawl_env, tmp_lake):
    crawl_env.set_as_of(EARLY)
    summaries = [crawl(s, mode="full", lake=tmp_lake) for s in ("thads", "moj", "plo")]
    disallowed = [t for t in truth() if t["robots_disallowed"] and t["published"] <= EARLY]
    assert disallowed
    paths = {e.path.lower() for e in crawl_env.requests}
    for t in disallowed:
        assert t["mirror_path"].lower() not in paths
    assert not [p for p in paths if "/lists/noibo/" in p or "noi-bo.aspx" in p or "/in-bai/" in p]
    assert sum(s["robots_disallowed"] for s in summaries) > 0
    assert len(requests_of(crawl_env, "robots")) == 3  # once per host and run


def test_crawl_delay_is_honoured(crawl_env, tmp_lake):
    crawl_env.set_as_of("2019-10-20")
    crawl_env.set_faults({"crawl_delay": {"moj.gov.vn": 0.25}})
    summary = crawl("moj", mode="full", lake=tmp_lake)
    n = summary["requests_total"]
    assert n >= 4
    # The client waited Crawl-delay between consecutive requests (the robots.txt request comes first).
    assert summary["slept_s"] >= 0.25 * (n - 2) - 0.01
    assert summary["duration_s"] >= 0.25 * (n - 2)


def test_layout_drift_is_recorded_and_text_still_lands(crawl_env, tmp_lake):
    start, end = "2026-05-20", "2026-06-20"
    summary = crawl("plo", mode="backfill", start=start, end=end, lake=tmp_lake)
    drifted = [
        t
        for t in truth("plo")
        if t["layout"] == "article-content" and start <= t["published"] <= end and not t["robots_disallowed"]
    ]
    assert drifted
    events = [json.loads(p.read_text()) for p in (tmp_lake / "drift" / "source=plo").glob("*.json")]
    assert {e["url"] for e in events if e["field"] == "body"} == {t["url"] for t in drifted}
    assert all("div.article__body" in e["selector"] for e in events)
    assert summary["used_fallback"] == len(drifted)
    arts = {a["url"]: a for a in landed_articles(tmp_lake, "plo")}
    for t in drifted:
        if t["on_topic"]:
            text = arts[t["url"]]["text"]
            assert all(f["quote"] in text for f in t["facts"]), t["url"]
            assert all(b not in text for b in ("leftcenterrightdel", "Cùng chuyên mục", "Ý kiến"))


def test_hostile_pages_are_quarantined_and_the_run_goes_on(crawl_env, tmp_lake):
    crawl_env.set_as_of("2019-11-30")
    crawl_env.set_faults({"hostile_links": True})
    summary = crawl("plo", mode="full", lake=tmp_lake)
    reasons = {q["url"].rsplit("/", 1)[1]: q["reason"] for q in quarantined(tmp_lake, "plo")}
    assert reasons == {
        "empty-body-post990001.html": "empty_body",
        "binary-post990002.html": "not_html",
        "gzip-bomb-post990003.html": "size_cap",
        "huge-post990004.html": "size_cap",
        "redirect-loop-post990005.html": "redirect_loop",
        "offsite-redirect-post990006.html": "redirect_off_site",
        "js-only-post990007.html": "no_body",
    }
    assert {a["url"] for a in landed_articles(tmp_lake, "plo")} == expected_urls("plo", as_of="2019-11-30")
    assert summary["quarantined"] == 7
    assert not list((tmp_lake / "raw" / "source=plo").glob("*990001*"))


def test_endless_listing_stops(crawl_env, tmp_lake):
    crawl_env.set_as_of("2019-12-15")
    crawl_env.set_faults({"endless_listings": True})
    summary = crawl("moj", mode="full", lake=tmp_lake)
    assert {a["url"] for a in landed_articles(tmp_lake, "moj")} == expected_urls("moj", as_of="2019-12-15")
    assert summary["listing_pages"] <= 3 * 3
    summary = crawl("moj", mode="backfill", start="2019-10-01", end="2019-10-31", lake=tmp_lake)
    assert summary["listing_pages"] <= 3 * 8


def test_same_run_twice_is_idempotent(crawl_env, tmp_lake):
    crawl_env.set_as_of("2019-11-10")
    crawl("moj", mode="full", lake=tmp_lake)
    snapshot = {p: p.read_bytes() for p in (tmp_lake / "articles").rglob("*.jsonl")}
    snapshot.update({p: p.read_bytes() for p in (tmp_lake / "facts").rglob("*.jsonl")})
    again = crawl("moj", mode="full", lake=tmp_lake)
    assert again["pages_tried"] == 0
    assert {p: p.read_bytes() for p in snapshot} == snapshot


def test_bad_arguments_fail_clearly(tmp_lake):
    with pytest.raises(ValueError, match="backfill needs"):
        crawl("moj", mode="backfill", lake=tmp_lake)
    with pytest.raises(ValueError, match="mode"):
        crawl("moj", mode="weekly", lake=tmp_lake)
    with pytest.raises(ValueError, match="after"):
        crawl("moj", start="2021-02-01", end="2021-01-01", lake=tmp_lake)
    from scrapers.sites import ProfileError

    with pytest.raises(ProfileError, match="unknown source"):
        crawl("nosuch", lake=tmp_lake)


def test_cli_backfill_statistical_year(crawl_env, tmp_lake, capsys):
    from scrapers.cli import main
    from scrapers.crawl.command import statistical_year

    assert statistical_year(2021) == (dt.date(2020, 10, 1), dt.date(2021, 9, 30))
    crawl_env.set_as_of("2020-01-31")
    rc = main(["backfill", "--year", "2020", "--source", "moj", "--no-progress"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "moj" in out and "backfill" in out
    assert {a["url"] for a in landed_articles(tmp_lake, "moj")} == expected_urls(
        "moj", start="2019-10-01", end="2020-01-31"
    )


def test_an_unexpected_error_on_one_page_is_filed_and_the_run_goes_on(crawl_env, tmp_lake, monkeypatch):
    import scrapers.crawl.pipeline as pipeline

    crawl_env.set_as_of("2019-11-10")
    victim = sorted(expected_urls("moj", as_of="2019-11-10"))[0]
    real_clean = pipeline.clean_page

    def flaky_clean(html, url, *args, **kwargs):
        if url == victim:
            raise RuntimeError("cleaner bug")
        return real_clean(html, url, *args, **kwargs)

    monkeypatch.setattr(pipeline, "clean_page", flaky_clean)
    summary = crawl("moj", mode="full", lake=tmp_lake)
    assert [(q["url"], q["reason"]) for q in quarantined(tmp_lake, "moj")] == [(victim, "internal_error")]
    assert {a["url"] for a in landed_articles(tmp_lake, "moj")} == expected_urls(
        "moj", as_of="2019-11-10"
    ) - {victim}
    assert summary["quarantine_reasons"] == {"internal_error": 1}
    # Nothing of it landed in raw, so the next run tries it again, and then it lands.
    monkeypatch.setattr(pipeline, "clean_page", real_clean)
    again = crawl("moj", mode="full", lake=tmp_lake)
    assert again["pages_tried"] == 1 and again["landed"] == 1
