"""Bad input: every kind of malformed or hostile page lands in lake/quarantine with its reason,
while the run goes on and the good articles still land (issue 8)."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter

import crawl_helpers
import reliability_helpers
from reliability_helpers import quarantine_records, record

from scrapers.crawl.keys import doc_id
from scrapers.crawl.pipeline import crawl
from scrapers.mirror import hostile_extra
from scrapers.mirror.hostile import HOSTILE_TITLES
from scrapers.sites import load_profile

rel_env = reliability_helpers.rel_env     # the fixture

AS_OF = "2020-06-30"
# The original seven (hostile.py) and what the crawler must call them.
BASIC = {
    "/plo.vn/hostile/empty-body-post990001.html": "empty_body",
    "/plo.vn/hostile/binary-post990002.html": "not_html",
    "/plo.vn/hostile/gzip-bomb-post990003.html": "size_cap",
    "/plo.vn/hostile/huge-post990004.html": "size_cap",
    "/plo.vn/hostile/redirect-loop-post990005.html": "redirect_loop",
    "/plo.vn/hostile/offsite-redirect-post990006.html": "redirect_off_site",
    "/plo.vn/hostile/js-only-post990007.html": "no_body",
}


def test_every_hostile_kind_is_quarantined_with_its_reason_and_good_articles_land(rel_env, tmp_lake, caplog,
                                                                                capfd):
    rel_env.set_as_of(AS_OF)
    rel_env.set_faults({"hostile_links": "all", "endless_listings": True})
    with caplog.at_level(logging.DEBUG):      # urllib3 and requests log every request at DEBUG
        summary = crawl("plo", mode="full", lake=tmp_lake, progress=True)
    out, err = capfd.readouterr()
    logs = caplog.text + out + err
    assert "/hostile/" in logs, "DEBUG logging of the requests was captured"
    # A page set a session cookie and an auth challenge: neither value is logged or kept in the lake.
    lake_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in tmp_lake.rglob("*.json*"))
    for text in (logs, lake_text):
        assert hostile_extra.COOKIE_VALUE not in text
        assert not re.search(r"(?i)\b(authorization|cookie|set-cookie)\s*[:=]", text)

    assert set(BASIC) == set(HOSTILE_TITLES)
    expected = {**BASIC, **{p: r for p, r in hostile_extra.EXPECTED.items() if r != "lands"}}
    expected = {"https:/" + p: r for p, r in expected.items()}
    expected.update({url: reason for url, (_, reason) in hostile_extra.EXTRA_LINKS.items()})
    got = {}
    endless = []
    for q in quarantine_records(tmp_lake):
        assert q["source"] == "plo" and q["reason"] and "detail" in q
        if q["reason"] == "listing_endless":
            endless.append(q)
        else:
            got[q["url"]] = q["reason"]
    assert got == expected
    # The endless listing (pagination repeating for ever) stopped at once on each category and said so.
    assert sorted(q["listing"] for q in endless) == ["phap-luat", "thoi-su"]
    assert summary["listing_pages"] <= 2 * 4

    # Links with another scheme or a private address were never requested.
    paths = [e.path for e in rel_env.requests]
    assert not [p for p in paths if "990016" in p or "990017" in p]

    # The good articles all landed, and nothing else from the archive was quarantined.
    arts = crawl_helpers.landed_articles(tmp_lake, "plo")
    urls = [a["url"] for a in arts]
    assert len(urls) == len(set(urls))
    good = crawl_helpers.expected_urls("plo", as_of=AS_OF)
    recovered = {"https:/" + p for p, r in hostile_extra.EXPECTED.items() if r == "lands"}
    assert set(urls) == good | recovered
    # Off-topic pages are good pages too: every visible one landed in raw (not quarantined).
    all_pages = crawl_helpers.expected_urls("plo", as_of=AS_OF, on_topic=None)
    raw_urls = {m["url"] for m in crawl_helpers.raw_metas(tmp_lake, "plo")}
    assert all_pages <= raw_urls and all_pages - good

    # The same article under a second URL (another slug + tracking) is stored once, not quarantined.
    profile = load_profile("plo")
    dup_requests = [p for p in paths if "/ban-sao-khac-post" in p]
    assert dup_requests == [], "the duplicate URL collapses to the known key and is never fetched"
    keys = Counter(doc_id(u, profile) for u in urls)
    assert max(keys.values()) == 1
    assert not [q for q in quarantine_records(tmp_lake) if "ban-sao" in q["url"]]
    listing_html = rel_env_listing(rel_env)
    assert "ban-sao-khac-post" in listing_html

    # Recovered pages: right text, no script / iframe content, correct Vietnamese despite charsets.
    by_url = {a["url"]: a for a in arts}
    for url in recovered:
        text = by_url[url]["text"]
        assert hostile_extra.SCRIPT_MARK not in text and "alert(" not in text
        assert hostile_extra.GOOD_BODY[0] in text, url
        assert by_url[url]["published"] == "2019-11-05"
        assert by_url[url]["n_facts"] > 0
    assert hostile_extra.GOOD_BODY[1] in by_url["https://plo.vn/hostile/scripts-iframes-post990028.html"]["text"]
    # Nothing of a quarantined page is in raw (no bytes kept for pages that are not usable).
    raw_names = [p.name for p in (tmp_lake / "raw" / "source=plo").glob("*")]
    assert not [n for n in raw_names if "990001" in n or "990008" in n or "990009" in n]

    reasons = Counter(got.values()) + Counter(q["reason"] for q in endless)
    record("hostile_pages", {
        "kinds": len(expected) + 1, "pages_tried": summary["pages_tried"], "landed": summary["landed"],
        "quarantined": summary["quarantined"], "retried": summary["retried"],
        "good_articles_expected": len(good), "good_articles_landed": len(set(urls) & good),
        "good_pages_expected": len(all_pages), "good_pages_in_raw": len(all_pages & raw_urls),
        "recovered_hostile_pages_landed": len(recovered), "lost": len(good - set(urls)) + len(all_pages - raw_urls),
        "reasons": dict(sorted(reasons.items())), "duration_s": summary["duration_s"],
    })
    # Both category listings link the two unfetchable URLs: each is counted twice, filed once.
    assert summary["quarantined"] == len(expected) + len(endless) + len(hostile_extra.EXTRA_LINKS)
    assert len(expected) + 1 >= 20
    saved = [json.loads(p.read_text()) for p in (tmp_lake / "runs" / "crawl").glob("*.json")]
    assert saved and saved[0]["quarantine_reasons"] == summary["quarantine_reasons"]
    assert sum(summary["quarantine_reasons"].values()) == summary["quarantined"]


def rel_env_listing(mirror) -> str:
    import requests

    return requests.get(f"{mirror.url}/plo.vn/phap-luat/", timeout=5).text



def test_hostile_links_switch_values():
    import pytest

    from scrapers.mirror.faults import FaultSpec, FaultSpecError, parse_cli

    assert FaultSpec.from_value({"hostile_links": "basic"}).hostile_links is True
    assert FaultSpec.from_value(parse_cli("hostile_links=all")).hostile_links == "all"
    assert hostile_extra.listing_links(False) == []
    assert len(hostile_extra.listing_links(True)) == len(BASIC)
    assert len(hostile_extra.listing_links("all")) == len(BASIC) + len(hostile_extra.EXPECTED) + 2
    with pytest.raises(FaultSpecError, match="hostile_links"):
        FaultSpec.from_value({"hostile_links": "some"})
