"""The diff `thads replay` prints equals the warehouse's diff of the same two versions."""

from __future__ import annotations

import json

import pytest
import replay_helpers as h

from scrapers.replay import run_replay


@pytest.mark.slow
def test_replay_diff_matches_the_warehouse_version_diff(tmp_lake):
    duckdb = pytest.importorskip("duckdb")
    from scrapers import config
    from scrapers.warehouse import build

    h.build_archive(tmp_lake)
    run_replay(lake=tmp_lake, rules=h.rules(), workers=1)
    run_replay(lake=tmp_lake, rules=h.rules(h.toy_extract_no_completed, "etoy2"), workers=1)
    run_replay(lake=tmp_lake, rules=h.rules(h.toy_extract_reads_over, "etoy3"), workers=1)
    build(full_refresh=True, select=["+fct_version_diff_summary"])

    with duckdb.connect(str(config.warehouse_path()), read_only=True) as con:
        rows = con.sql("select from_version, to_version, n_documents, n_added, n_removed, n_changed, "
                       "n_unchanged from fct_version_diff_summary order by from_version").fetchall()
    mine = []
    for prev, v in (("ctoy1-etoy1", "ctoy1-etoy2"), ("ctoy1-etoy2", "ctoy1-etoy3")):
        d = json.loads((tmp_lake / "versions" / f"{v}.json").read_text())["diff"]
        mine.append((prev, v, d["articles_unchanged"] + d["articles_changed"], d["facts_added"],
                     d["facts_removed"], d["facts_changed"], d["facts_unchanged"]))
    assert rows == mine
    assert mine == [("ctoy1-etoy1", "ctoy1-etoy2", 6, 0, 6, 0, 12),
                    ("ctoy1-etoy2", "ctoy1-etoy3", 6, 6, 0, 2, 10)]
