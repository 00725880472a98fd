"""Replay's own behaviour on a small archive with toy rules (see replay_helpers):
complete versions, rule changes, no-op replays, atomicity under failure, filters, bad input."""

from __future__ import annotations

import gzip
import json

import pytest
import replay_helpers as h

from scrapers import lake as lake_mod
from scrapers.replay import run_replay
from scrapers.replay.errors import ReplayError
from scrapers.replay.publish import landing_partition, visible_manifests


def _versions(lake):
    return sorted(p.stem for p in (lake / "versions").glob("*.json"))


def _facts(lake, partition):
    out = []
    for f in sorted((lake / "facts" / f"version={partition}").glob("source=*/*.jsonl")):
        out.extend(lake_mod.read_jsonl(f))
    return out


def _articles(lake, partition):
    return [lake_mod.read_jsonl(f)[0]
            for f in sorted((lake / "articles" / f"version={partition}").glob("source=*/*.jsonl"))]


@pytest.fixture()
def archive(tmp_lake):
    docs = h.build_archive(tmp_lake)
    return tmp_lake, docs


def test_replay_lands_complete_version_with_manifest(archive):
    lake, docs = archive
    s = run_replay(lake=lake, rules=h.rules(), workers=2)
    assert s["published"] and s["partition"] == "ctoy1-etoy1"
    m = json.loads((lake / "versions" / "ctoy1-etoy1.json").read_text())
    assert m["complete"] is True and m["version"] == "ctoy1-etoy1"
    assert (m["cleaner_version"], m["extractor_version"]) == ("ctoy1", "etoy1")
    assert (m["n_articles"], m["n_facts"]) == (6, 18) and m["sources"] == ["plo", "thads"]
    assert m["created_at"].endswith("Z")
    arts = _articles(lake, "ctoy1-etoy1")
    assert sorted(a["doc_id"] for a in arts) == sorted(d["doc_id"] for d in docs)
    for a in arts:
        assert a["cleaner_version"] == "ctoy1" and a["extractor_version"] == "etoy1" and a["n_facts"] == 3
        assert a["text"].startswith(a["title"] + "\n") and a["published"].startswith("2024-10-0")
    facts = _facts(lake, "ctoy1-etoy1")
    assert len(facts) == 18 and {f["extractor_version"] for f in facts} == {"etoy1"}
    danang = [f for f in facts if "danang" in f["doc_id"]]
    assert {(f["metric"], f["value"]) for f in danang} == {("total", 1100), ("new", 410), ("completed", 301)}
    assert s["diff"]["articles_new"] == 6 and s["diff"]["facts_added"] == 18
    assert not (lake / ".staging").exists() or not [p for p in (lake / ".staging").iterdir() if p.is_dir()]
    runs = list((lake / "runs" / "replay").glob("*.json"))
    assert len(runs) == 1 and json.loads(runs[0].read_text())["articles_derived"] == 6


def test_unchanged_codebase_replay_is_a_noop(archive):
    lake, _ = archive
    run_replay(lake=lake, rules=h.rules(), workers=2)
    before = {k: v for k, v in h.tree_state(lake).items() if not k.startswith("runs/")}
    s = run_replay(lake=lake, rules=h.rules(), workers=2)
    after = {k: v for k, v in h.tree_state(lake).items() if not k.startswith("runs/")}
    assert s["published"] is False and s["partition"] == "ctoy1-etoy1"
    assert s["diff"]["empty"] and s["diff"]["facts_unchanged"] == 18 and s["diff"]["articles_unchanged"] == 6
    assert after == before  # same bytes and same mtimes: nothing rewritten, not even the manifest


def test_rule_change_updates_exactly_the_affected_facts(archive):
    lake, _ = archive
    run_replay(lake=lake, rules=h.rules(), workers=2)
    old_state = h.tree_state(lake / "facts" / "version=ctoy1-etoy1")

    dropped = run_replay(lake=lake, rules=h.rules(h.toy_extract_no_completed, "etoy2"), workers=2)
    assert dropped["published"] and dropped["partition"] == "ctoy1-etoy2"
    d = dropped["diff"]
    assert (d["facts_removed"], d["facts_added"], d["facts_changed"], d["facts_unchanged"]) == (6, 0, 0, 12)
    assert d["articles_unchanged"] == 6 and {s["change"] for s in d["samples"]} == {"removed"}
    assert all(f["metric"] != "completed" for f in _facts(lake, "ctoy1-etoy2"))

    fixed = run_replay(lake=lake, rules=h.rules(h.toy_extract_reads_over, "etoy3"), workers=2)
    d = fixed["diff"]  # against etoy2 (newest): completed comes back, two "hơn" facts change qualifier
    assert (d["facts_added"], d["facts_removed"], d["facts_changed"], d["facts_unchanged"]) == (6, 0, 2, 10)
    changed = [s for s in d["samples"] if s["change"] == "changed"]
    assert sorted(s["fact"].split()[0] for s in changed) == ["thads.moj.gov.vn/danang/tintuc/101",
                                                             "thads.moj.gov.vn/vinhphuc/tintuc/102"]
    assert all(s["fields"] == {"qualifier": ["exact", "over"]} for s in changed)
    # older versions stay intact and visible; the newest manifest is the last replay's
    assert h.tree_state(lake / "facts" / "version=ctoy1-etoy1") == old_state
    assert [m["partition"] for m in visible_manifests(lake)] == ["ctoy1-etoy1", "ctoy1-etoy2", "ctoy1-etoy3"]
    assert json.loads((lake / "versions" / "ctoy1-etoy3.json").read_text())["diff"]["facts_changed"] == 2


@pytest.mark.parametrize("workers", [1, 2])
def test_failure_midway_leaves_previous_version_and_no_partial_new_one(archive, monkeypatch, workers):
    lake, _ = archive
    run_replay(lake=lake, rules=h.rules(), workers=2)
    before = h.tree_state(lake)
    if workers == 2:  # a worker process dies on its third page
        bad_rules = h.rules(h.toy_extract_dies_after_2, "etoy9")
    else:  # the staging disk fails after two pages, in-process
        from scrapers.replay import worker

        calls = {"n": 0}
        real = worker.write_staged

        def failing(path, records):
            calls["n"] += 1
            if calls["n"] > 4:
                raise OSError(28, "No space left on device")
            return real(path, records)

        monkeypatch.setattr(worker, "write_staged", failing)
        bad_rules = h.rules(h.toy_extract_reads_over, "etoy9")
    with pytest.raises(ReplayError, match="aborted after"):
        run_replay(lake=lake, rules=bad_rules, workers=workers)
    monkeypatch.undo()
    assert h.tree_state(lake) == before  # nothing new anywhere: no manifest, no partition, no quarantine
    assert _versions(lake) == ["ctoy1-etoy1"]
    assert not (lake / "articles" / "version=ctoy1-etoy9").exists()
    assert not [p for p in (lake / ".staging").iterdir() if p.is_dir()]
    # the next run of fixed code publishes normally
    ok = run_replay(lake=lake, rules=h.rules(h.toy_extract_reads_over, "etoy9"), workers=workers)
    assert ok["published"] and _versions(lake) == ["ctoy1-etoy1", "ctoy1-etoy9"]


def test_stale_staging_of_a_killed_run_is_invisible_and_cleaned(archive):
    lake, _ = archive
    stale = lake / ".staging" / "ctoy1-etoy1-999999-deadbeef" / "articles" / "source=thads"
    stale.mkdir(parents=True)
    (stale / "x.jsonl").write_text("{}\n")
    s = run_replay(lake=lake, rules=h.rules(), workers=1)
    assert s["published"] and not (lake / ".staging" / "ctoy1-etoy1-999999-deadbeef").exists()


def test_partly_landed_version_without_manifest_is_completed_in_place(archive):
    """A daily crawl after a code change landed some docs under V but V has no manifest yet."""
    lake, docs = archive
    v = "ctoy1-etoy1"
    first = docs[0]
    stale = lake_mod.article_path(v, first["source"], first["doc_id"], lake)
    lake_mod.write_jsonl(stale, [{"doc_id": first["doc_id"], "text": "landed by an older crawl"}])
    stray_facts = lake_mod.facts_path(v, first["source"], first["doc_id"], lake)
    lake_mod.write_jsonl(stray_facts, [{"doc_id": first["doc_id"], "metric": "staff"}])
    s = run_replay(lake=lake, rules=h.rules(), workers=2)
    assert s["published"] and s["partition"] == v and _versions(lake) == [v]
    assert lake_mod.read_jsonl(stale)[0]["text"].startswith("Kết quả thi hành án")
    assert {f["metric"] for f in lake_mod.read_jsonl(stray_facts)} == {"total", "new", "completed"}
    assert json.loads((lake / "versions" / f"{v}.json").read_text())["n_facts"] == 18


def test_crawler_manifest_makes_v_visible_so_replay_uses_a_new_generation(archive):
    """A daily crawl after a code change landed one doc under V and wrote its (minimal) manifest."""
    lake, docs = archive
    v = "ctoy1-etoy1"
    run_replay(lake=lake, rules=h.rules(), workers=1, source="plo")  # lands the same bytes a crawl would
    lake_mod.write_json(lake / "versions" / f"{v}.json",
                        {"version": v, "cleaner_version": "ctoy1", "extractor_version": "etoy1"})
    crawled = h.tree_state(lake / "articles")
    s = run_replay(lake=lake, rules=h.rules(), workers=2)
    assert s["published"] and s["partition"] == f"{v}.g2"
    assert (s["diff"]["articles_new"], s["diff"]["articles_unchanged"]) == (4, 2)
    assert {k: val for k, val in h.tree_state(lake / "articles").items() if k.startswith(f"version={v}/")} \
        == crawled  # the visible partition was not touched
    assert [m["partition"] for m in visible_manifests(lake)] == [v, f"{v}.g2"]
    assert json.loads((lake / "versions" / f"{v}.g2.json").read_text())["n_articles"] == 6


def test_visible_version_that_must_change_gets_a_new_generation(archive):
    """Same rules, but a page was re-fetched with new content: V is visible, so it is not edited in place."""
    lake, docs = archive
    v = "ctoy1-etoy1"
    run_replay(lake=lake, rules=h.rules(), workers=2)
    v_state = h.tree_state(lake / "articles" / f"version={v}")
    d = docs[3]
    h.land_page(lake, d["source"], d["doc_id"], d["url"],
                h.page_html("Kết quả thi hành án tại hanoi", "04/10/2024", h.doc_body(1300, 430, 999)),
                d["fetched_at"])
    s = run_replay(lake=lake, rules=h.rules(), workers=2)
    assert s["published"] and s["partition"] == f"{v}.g2"
    assert s["diff"]["articles_changed"] == 1 and s["diff"]["facts_changed"] == 1
    assert s["diff"]["facts_unchanged"] == 17
    assert h.tree_state(lake / "articles" / f"version={v}") == v_state
    m = json.loads((lake / "versions" / f"{v}.g2.json").read_text())
    assert (m["rules_version"], m["generation"], m["n_articles"]) == (v, 2, 6)
    assert visible_manifests(lake)[-1]["partition"] == f"{v}.g2"
    assert landing_partition(v, lake) == f"{v}.g2" and landing_partition("c0-e0", lake) == "c0-e0"
    again = run_replay(lake=lake, rules=h.rules(), workers=1)  # compares with the newest generation
    assert again["published"] is False and again["partition"] == f"{v}.g2" and again["diff"]["empty"]


def test_source_and_since_filters(archive):
    lake, docs = archive
    s = run_replay(lake=lake, rules=h.rules(), workers=2, source="plo")
    assert s["articles_derived"] == 2
    assert {a["source"] for a in _articles(lake, "ctoy1-etoy1")} == {"plo"}
    assert json.loads((lake / "versions" / "ctoy1-etoy1.json").read_text())["filters"]["source"] == "plo"

    s = run_replay(lake=lake, rules=h.rules(h.toy_extract_reads_over, "etoy3"), workers=2, since="2024-10-05")
    expected = sorted(d["doc_id"] for d in docs if d["fetched_at"] >= "2024-10-05")
    assert sorted(a["doc_id"] for a in _articles(lake, "ctoy1-etoy3")) == expected and len(expected) == 3
    with pytest.raises(ReplayError, match="ISO date"):
        run_replay(lake=lake, rules=h.rules(), since="5/10/2024")
    with pytest.raises(ReplayError, match="no raw pages for source 'nosuch'"):
        run_replay(lake=lake, rules=h.rules(), source="nosuch")


def test_bad_pages_are_quarantined_with_reasons_and_the_rest_lands(archive):
    lake, docs = archive
    thads_dir = lake / "raw" / "source=thads"
    gz = lake_mod.raw_html_path("thads", docs[2]["doc_id"], lake)
    gz.write_bytes(b"not gzip at all")
    meta_path = lake_mod.raw_meta_path("thads", docs[3]["doc_id"], lake)
    meta = json.loads(meta_path.read_text())
    meta["sha256"] = "0" * 64
    meta_path.write_text(json.dumps(meta))
    (thads_dir / "broken-0000.meta.json").write_text("{not json")
    lake_mod.raw_html_path("plo", docs[5]["doc_id"], lake).unlink()
    s = run_replay(lake=lake, workers=2,
                   rules=h.rules(clean=h.toy_clean_raises_on_danang, cleaner_version="ctoy2"))
    assert s["published"] and s["articles_derived"] == 2 and s["quarantined"] == 5
    landed = sorted(a["doc_id"] for a in _articles(lake, "ctoy2-etoy1"))
    assert landed == [docs[4]["doc_id"], docs[0]["doc_id"]]
    reasons = sorted(json.loads(p.read_text())["reason"] for p in (lake / "quarantine").rglob("*.json"))
    assert reasons == ["clean_failed", "raw_html_missing", "raw_meta_unreadable", "raw_sha256_mismatch",
                       "raw_unreadable"]
    q = [json.loads(p.read_text()) for p in (lake / "quarantine").rglob("*.json")]
    clean_failed = next(r for r in q if r["reason"] == "clean_failed")
    assert "layout not understood" in clean_failed["detail"] and clean_failed["doc_id"] == docs[1]["doc_id"]


def test_cli_prints_the_diff_summary(archive, monkeypatch, capsys):
    from scrapers import cli
    from scrapers.replay import run as run_mod

    lake, _ = archive
    monkeypatch.setattr(run_mod, "current_rules", lambda: h.rules())
    assert cli.main(["replay", "--workers", "1", "--source", "thads"]) == 0
    out = capsys.readouterr().out
    assert "published" in out and "pages 4, articles 4, facts 12" in out
    assert "facts:    12 added, 0 removed, 0 changed" in out
    # 2 thads pages (unchanged) + 1 plo page new to the visible set: V is visible, so generation 2
    assert cli.main(["replay", "--since", "2024-10-05"]) == 0
    out = capsys.readouterr().out
    assert "partition ctoy1-etoy1.g2: published" in out and "articles: 1 new, 0 changed, 2 unchanged" in out
    assert "facts:    3 added, 0 removed, 0 changed, 6 unchanged" in out
    assert cli.main(["replay", "--since", "2024-10-05"]) == 0
    assert "no change (nothing rewritten)" in capsys.readouterr().out
    assert cli.main(["replay", "--since", "yesterday"]) == 1
    assert "--since must be an ISO date" in capsys.readouterr().err


def test_gzip_raw_roundtrip_sanity(archive):
    lake, docs = archive  # the archive helper lands what replay reads: guard against helper drift
    html = gzip.decompress(lake_mod.raw_html_path("thads", docs[0]["doc_id"], lake).read_bytes())
    assert b"leftcenterrightdel" in html and "thụ lý mới".encode() in html


def test_a_second_replay_on_the_same_lake_is_refused_while_one_runs(archive):
    import fcntl

    lake, _ = archive
    (lake / ".staging").mkdir()
    with open(lake / ".staging" / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ReplayError, match="another replay holds"):
            run_replay(lake=lake, rules=h.rules(), workers=1)
    assert not (lake / "versions").exists()
    assert run_replay(lake=lake, rules=h.rules(), workers=1)["published"]


def test_since_accepts_a_date_and_an_incomplete_manifest_is_not_visible(archive):
    from datetime import date

    lake, _ = archive
    lake_mod.write_json(lake / "versions" / "old.json", {"version": "old", "complete": False})
    s = run_replay(lake=lake, rules=h.rules(), workers=1, since=date(2024, 10, 5))
    assert s["articles_derived"] == 3 and s["filters"]["since"] == "2024-10-05"
    assert [m["partition"] for m in visible_manifests(lake)] == ["ctoy1-etoy1"]


def test_replay_inside_a_daemonic_process_runs_in_process(archive):
    import multiprocessing

    lake, _ = archive
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=h.replay_in_daemon, args=(lake, queue), daemon=True)
    proc.start()
    proc.join(60)
    assert proc.exitcode == 0 and queue.get(timeout=5) == (1, True)
