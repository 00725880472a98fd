"""thads status: runs, counts per source, drift and quarantine since the last run; missing parts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from analyst_helpers import file_state, make_lake, make_warehouse

from scrapers.analyst import command


def run(argv: list[str], capsys) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="thads")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    rc = args.func(args)
    return rc, capsys.readouterr().out


@pytest.fixture()
def full(tmp_lake, tmp_path, monkeypatch):
    make_lake(tmp_lake)
    wh = make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")
    project = tmp_path / "dbt_project"
    (project / "target").mkdir(parents=True)
    (project / "target" / "run_results.json").write_text(json.dumps({
        "metadata": {"generated_at": "2026-11-21T01:10:00Z"}, "elapsed_time": 42.5, "args": {"which": "build"},
        "results": [{"status": "success"}] * 7 + [{"status": "pass"}] * 12 + [{"status": "warn"}],
    }))
    monkeypatch.setenv("THADS_DBT_PROJECT_DIR", str(project))
    return {"lake": tmp_lake, "wh": wh}


def section(out: str, title: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start + 1:end]


def test_status_reports_runs_counts_and_new_events(full, capsys):
    before = file_state(full["wh"])
    rc, out = run(["status"], capsys)
    assert rc == 0
    runs = section(out, "Last runs:")[2:-1]
    # only the latest run per (kind, source); the older thads run (10 tried) is not shown
    assert len(runs) == 2
    thads = next(line for line in runs if " thads " in line)
    assert "2026-11-21 01:00:00 UTC" in thads and "240s" in thads
    assert "pages_tried=12" in thads and "landed=11" in thads and "quarantined=1" in thads
    assert "Last warehouse build: dbt build at 2026-11-21T01:10:00Z in 42.5s: pass 12, success 7, warn 1" in out

    per = {line.split()[0]: line.split()[1:] for line in section(out, "Per source:")[2:-1]}
    # thads: 3 articles, 6 facts in the lake; 62 articles / metrics in the fixture warehouse;
    # 2 conflicts; 2 quarantined (1 new), 1 drift (1 new)
    assert per["thads"] == ["3", "6", "62", "62", "2", "2", "1", "1", "1"]
    # plo: 1 article with no facts file; its drift record predates the last plo run
    assert per["plo"] == ["1", "0", "0", "0", "1", "0"]

    quarantined = section(out, "Quarantined since the last run:")
    assert any("too_short" in line and "https://thads.moj.gov.vn/x2" in line for line in quarantined)
    assert not any("http_status" in line for line in quarantined)  # written before the last run
    drift = section(out, "Drift since the last run:")
    assert any("div.content" in line for line in drift)
    assert not any("h1.title" in line for line in drift)
    assert file_state(full["wh"]) == before


def test_status_json(full, capsys):
    rc, out = run(["status", "--json"], capsys)
    assert rc == 0
    data = json.loads(out)
    assert data["lake_counts"]["thads"] == {"articles": 3, "facts": 6}
    assert data["quarantine"]["thads"]["reasons"] == {"http_status": 1, "too_short": 1}
    assert data["warehouse"]["per_source"]["thads"]["articles"] == 62


def test_status_without_lake_or_warehouse(tmp_lake, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THADS_LAKE_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("THADS_DBT_PROJECT_DIR", str(tmp_path / "no_project"))
    rc, out = run(["status"], capsys)
    assert rc == 0
    assert "the lake does not exist yet" in out
    assert "no warehouse yet" in out
    assert "Last warehouse build: none recorded" in out
    assert not (tmp_path / "nowhere").exists()
    assert not Path(tmp_lake).parent.joinpath("warehouse.duckdb").exists()


def test_status_survives_bad_files(full, capsys):
    (full["lake"] / "runs" / "crawl" / "broken.json").write_text("{not json")
    (full["lake"] / "quarantine" / "source=thads" / "bad.json").write_text("[]")
    rc, out = run(["status"], capsys)
    assert rc == 0
    assert "! runs/crawl/broken.json: unreadable" in out
    per = {line.split()[0]: line.split()[1:] for line in section(out, "Per source:")[2:-1]}
    assert per["thads"][5] == "3"  # the unreadable quarantine record still counts


def test_status_with_an_empty_warehouse_file(full, capsys):
    import duckdb

    full["wh"].unlink()
    duckdb.connect(str(full["wh"])).close()
    rc, out = run(["status"], capsys)
    assert rc == 0
    assert "missing marts: fct_articles, fct_enforcement_metrics" in out
    assert "Per source:" in out  # the lake part is still there
