"""Replay with the real cleaner, topic filter and extractor on pages served by the mirror."""

from __future__ import annotations

import dataclasses
import json

import pytest
import replay_helpers as h

from scrapers import lake as lake_mod
from scrapers import versioning
from scrapers.facts_schema import validate
from scrapers.replay import run_replay
from scrapers.replay.rules import current_rules


@pytest.fixture()
def mirror_archive(tmp_lake, mirror):
    mirror.set_faults(None)
    docs = h.land_from_mirror(tmp_lake, mirror)
    return tmp_lake, docs


def _partition(lake, name):
    arts = {}
    for f in (lake / "articles" / f"version={name}").glob("source=*/*.jsonl"):
        a = lake_mod.read_jsonl(f)[0]
        arts[a["doc_id"]] = a
    facts = []
    for f in (lake / "facts" / f"version={name}").glob("source=*/*.jsonl"):
        facts.extend(lake_mod.read_jsonl(f))
    return arts, facts


def test_real_replay_versions_every_record_and_is_a_noop_the_second_time(mirror_archive):
    lake, docs = mirror_archive
    v = versioning.pipeline_version()
    s = run_replay(lake=lake, workers=2)
    assert s["published"] and s["partition"] == v and s["version"] == v
    on_topic = {d["doc_id"] for d in docs if d["on_topic"]}
    off_topic = {d["doc_id"] for d in docs if not d["on_topic"]}
    arts, facts = _partition(lake, v)
    assert set(arts) == on_topic and len(on_topic) == 12  # off-topic pages are skipped, as by the crawler
    assert s["off_topic"] == len(off_topic) == 4 and s["quarantined"] == 0
    assert s["diff"]["pages_skipped"] == 4 and s["diff"]["articles_new"] == 12
    for a in arts.values():
        assert (a["cleaner_version"], a["extractor_version"]) == (versioning.cleaner_version(),
                                                                  versioning.extractor_version())
        assert "leftcenterrightdel" not in a["text"] and a["text"].startswith(a["title"])
        assert a["n_facts"] == sum(f["doc_id"] == a["doc_id"] for f in facts)
    assert facts and all(not validate(f) for f in facts)
    assert {(f["cleaner_version"], f["extractor_version"]) for f in facts} == {(versioning.cleaner_version(),
                                                                                versioning.extractor_version())}
    for f in facts:
        assert arts[f["doc_id"]]["text"][f["char_start"]:f["char_end"]] == f["quote"]
    m = json.loads((lake / "versions" / f"{v}.json").read_text())
    assert (m["n_articles"], m["n_facts"], m["complete"]) == (12, len(facts), True)

    again = run_replay(lake=lake, workers=2)
    assert again["published"] is False and again["diff"]["empty"]
    assert again["diff"]["facts_unchanged"] == len(facts)


def test_real_rule_change_dropping_a_metric_removes_exactly_those_facts(mirror_archive):
    lake, _ = mirror_archive
    first = run_replay(lake=lake, workers=2)
    _, facts = _partition(lake, first["partition"])
    n_rate = sum(f["metric"] == "completion_rate" for f in facts)
    assert n_rate > 0, "the sample must contain completion rates for this test to mean anything"
    changed_rules = dataclasses.replace(current_rules(), extractor_version="e-test-no-rate",
                                        extract=h.real_extract_without_completion_rate)
    s = run_replay(lake=lake, workers=2, rules=changed_rules)
    d = s["diff"]
    assert s["published"] and s["partition"].endswith("-e-test-no-rate")
    assert (d["facts_removed"], d["facts_added"], d["facts_changed"]) == (n_rate, 0, 0)
    assert d["facts_unchanged"] == len(facts) - n_rate and d["articles_unchanged"] == 12
    _, new_facts = _partition(lake, s["partition"])
    assert {f["extractor_version"] for f in new_facts} == {"e-test-no-rate"}


def test_replay_of_a_fresh_crawl_is_a_noop(tmp_lake, mirror_env):
    """The crawler and replay build records the same way: same code, same raw bytes -> same files."""
    from scrapers.crawl.http import HttpSettings
    from scrapers.crawl.pipeline import crawl

    for source in ("thads", "plo"):
        crawl(source, mode="backfill", start="2025-01-01", end="2025-06-30", lake=tmp_lake,
              settings=HttpSettings(delay=0.0))
    v = versioning.pipeline_version()
    arts, facts = _partition(tmp_lake, v)
    assert len(arts) >= 10 and facts
    before = h.tree_state(tmp_lake)
    s = run_replay(lake=tmp_lake, workers=2)
    assert s["published"] is False and s["partition"] == v and s["diff"]["empty"]
    assert (s["diff"]["articles_unchanged"], s["diff"]["facts_unchanged"]) == (len(arts), len(facts))
    after = h.tree_state(tmp_lake)
    assert {k: x for k, x in after.items() if not k.startswith("runs/replay/")} == before
