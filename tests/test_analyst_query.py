"""thads query: aligned table and CSV output, read-only enforcement."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import pytest
from analyst_helpers import file_state, make_warehouse

from scrapers.analyst import command


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="thads")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    rc = args.func(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture()
def wh(tmp_lake) -> Path:
    return make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")


SQL = ("select scope_name, value, period_end from fct_metric_timeseries where scope_level = 'province' "
       "and metric = 'total' and unit = 'cases' order by scope_name, period_end")


def test_table_output_is_aligned(wh, capsys):
    rc, out, err = run(["query", SQL], capsys)
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["scope_name", "value", "period_end"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    body = lines[2:-1]
    assert len(body) == 8 and lines[-1] == "(8 rows)"
    # numbers are right-aligned under their header, text and dates left-aligned
    value_end = lines[0].index("value") + len("value")
    for line in body:
        value = line[:value_end].split()[-1]
        assert value.isdigit() and line[value_end] == " "
    assert {line.index("20", value_end) for line in body} == {lines[0].index("period_end")}
    # Bến Tre (second province of the fixture) sorts first; 2022 total 2 * 3000
    assert body[0].split() == ["Bến", "Tre", "6000", "2022-09-30"]


def test_csv_output_matches_the_warehouse(wh, capsys):
    import duckdb

    rc, out, _ = run(["query", SQL, "--csv"], capsys)
    assert rc == 0
    rows = list(csv.reader(io.StringIO(out)))
    con = duckdb.connect(str(wh), read_only=True)
    expected = con.execute(SQL).fetchall()
    con.close()
    assert rows[0] == ["scope_name", "value", "period_end"]
    assert rows[1:] == [[n, str(int(v)), d.isoformat()] for n, v, d in expected]


def test_big_money_prints_in_full(wh, capsys):
    rc, out, _ = run(["query", "select max(value) as v from fct_metric_timeseries where unit = 'vnd'", "--csv"],
                     capsys)
    assert rc == 0 and out.splitlines()[1] == "470000000000000"


@pytest.mark.parametrize("sql", [
    "insert into fct_articles (doc_id) values ('x')",
    "delete from fct_metric_timeseries",
    "update fct_metric_timeseries set value = 0",
    "create table t (a int)",
    "drop table fct_articles",
    "attach ':memory:' as scratch",
    "set threads = 1",
    "select 1; delete from fct_articles",
])
def test_writes_are_refused(wh, capsys, sql):
    before = file_state(wh)
    rc, out, err = run(["query", sql], capsys)
    assert rc == 2 and out == ""
    assert "read-only" in err and "not allowed" in err
    assert file_state(wh) == before


def test_copy_to_a_file_is_refused(wh, capsys, tmp_path):
    target = tmp_path / "leak.csv"
    rc, _, err = run(["query", f"copy fct_articles to '{target}'"], capsys)
    assert rc == 2 and "COPY statements are not allowed" in err
    assert not target.exists()


def test_connection_itself_is_read_only(wh):
    # second line of defence: even a write that got past the statement check fails
    import duckdb

    from scrapers.analyst.db import open_warehouse

    con = open_warehouse()
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("delete from fct_articles")
    con.close()


def test_errors_are_clear(tmp_lake, capsys):
    rc, _, err = run(["query", "select 1"], capsys)
    assert rc == 2 and "no warehouse at" in err
    make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")
    rc, _, err = run(["query", "select * from no_such_table"], capsys)
    assert rc == 2 and "SQL error" in err and "no_such_table" in err
    rc, _, err = run(["query", "   "], capsys)
    assert rc == 2 and "no SQL statement" in err


def test_thads_cli_wiring(wh, capsys):
    from scrapers.cli import main

    assert main(["query", "select count(*) as n from fct_articles", "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 0


def test_a_writer_holding_the_file_gives_a_clear_error(wh, capsys):
    import subprocess
    import sys

    from scrapers.analyst.report import build_report

    index = build_report()
    previous = index.read_bytes()
    # another process (as dbt would) holds the write lock
    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); sys.stdin.read()", str(wh)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        rc, _, err = run(["query", "select 1"], capsys)
        assert rc == 2 and "cannot open" in err and "read-only" in err and "retry" in err
        rc, _, err = run(["report"], capsys)
        assert rc == 2 and "cannot open" in err
        assert index.read_bytes() == previous  # the last good report stays in place
    finally:
        writer.communicate("", timeout=30)
