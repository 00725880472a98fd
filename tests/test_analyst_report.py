"""thads report: pages, charts with data, source links, conflict/derived marks, empty warehouse."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from analyst_helpers import PROVINCES, file_state, make_warehouse

from scrapers.analyst.labels import slug
from scrapers.analyst.report import build_report

NEWPLOT = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*(\[.*?\]),\s*\{', re.S)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []   # (tag, href/src)
        self.plot_divs: list[str] = []
        self.anchors: set[tuple[str, str]] = set()   # (href, title), unescaped

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.refs.append((tag, a[key]))
        if tag == "a" and a.get("href"):
            self.anchors.add((a["href"], a.get("title") or ""))
        if "plotly-graph-div" in (a.get("class") or ""):
            self.plot_divs.append(a["id"])


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def traces(page: Path) -> dict[str, list[dict]]:
    """The data of every plotly chart on a page, by div id."""
    return {m.group(1): json.loads(m.group(2)) for m in NEWPLOT.finditer(page.read_text(encoding="utf-8"))}


def facts(warehouse: Path, where: str) -> list[dict]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(f"select * from fct_enforcement_metrics where {where}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture()
def built(tmp_lake):
    wh = make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")
    before = file_state(wh)
    index = build_report()
    return {"wh": wh, "index": index, "out": index.parent, "before": before}


def test_pages_for_nation_and_each_province(built):
    out = built["out"]
    assert built["index"] == out / "index.html"
    pages = sorted(p.name for p in (out / "provinces").glob("*.html"))
    assert pages == sorted(f"{slug(p)}.html" for p in PROVINCES)
    index = parse(out / "index.html")
    for name in PROVINCES:
        assert ("a", f"provinces/{slug(name)}.html") in index.refs


def test_charts_carry_the_warehouse_values(built):
    out = built["out"]
    charts = traces(out / "index.html")
    assert parse(out / "index.html").plot_divs == list(charts)
    assert {"chart-national-cases", "chart-national-money", "chart-national-rates", "chart-league"} <= set(charts)
    cases = charts["chart-national-cases"]
    total = next(t for t in cases if t["name"].startswith("Total caseload") and t["mode"] == "lines+markers")
    # statistical years 2019..2023 end on 30 September
    assert total["x"] == [f"{y}-09-30" for y in range(2019, 2024)]
    assert total["y"] == [820000, 840000, 800000, 830000, 850000]
    # the 6-month figure is there, off until its legend entry is clicked (a yearly line exists)
    half = next(t for t in cases if t["name"].endswith("(part-year periods)"))
    assert half["x"] == ["2024-03-31"] and half["y"] == [700000] and half["visible"] == "legendonly"
    money = next(t for t in charts["chart-national-money"] if t["name"].startswith("Total caseload"))
    assert money["y"][0] == pytest.approx(390_000)  # billions of đồng
    # every point links to its article
    for t in cases:
        assert all(cd[0].startswith("https://thads.moj.gov.vn/") for cd in t["customdata"])
    for name in PROVINCES:
        page = out / "provinces" / f"{slug(name)}.html"
        ptraces = traces(page)
        assert ptraces and all(any(t["y"]) for ts in ptraces.values() for t in ts)
        assert parse(page).plot_divs == list(ptraces)
        # the money rate exists only for a half year: its diamonds are shown
        (money_rate,) = [t for t in ptraces[f"chart-{slug(name)}-rates"] if "by money" in t["name"]]
        assert money_rate["visible"] is True and money_rate["x"] == ["2024-03-31"]


def test_every_figure_links_to_its_source_and_quote(built):
    out, wh = built["out"], built["wh"]
    index = parse(out / "index.html")
    national = facts(wh, "scope_level = 'national'")
    assert national
    for f in national:
        assert (f["url"], f["quote"]) in index.anchors
    # quotes (which hold < & " here) are escaped, never injected as markup
    assert "<cases>" not in (out / "index.html").read_text(encoding="utf-8")
    for name in PROVINCES:
        page = parse(out / "provinces" / f"{slug(name)}.html")
        rows = facts(wh, f"scope_name like '{name}%'")
        assert rows
        for f in rows:
            assert (f["url"], f["quote"]) in page.anchors


def test_conflicts_and_derived_values_are_marked(built):
    out = built["out"]
    index_html = (out / "index.html").read_text(encoding="utf-8")
    # fixture: national completed cases 2021 conflicts; national money rates are derived (5 years)
    assert index_html.count('<tr class="conflict ') == 1
    assert index_html.count('derived">\n') + index_html.count(' derived">') >= 5
    assert index_html.count("◇ derived</span>") >= 5
    charts = traces(out / "index.html")
    conflict = next(t for t in charts["chart-national-cases"] if "disagree" in t["name"])
    assert conflict["x"] == ["2021-09-30"] and conflict["y"] == [520000]
    derived = next(t for t in charts["chart-national-rates"] if "derived" in t["name"])
    assert len(derived["x"]) == 5
    ben_tre = (out / "provinces" / "ben-tre.html").read_text(encoding="utf-8")
    assert "⚠ conflict</span>" in ben_tre


def test_league_table_ranks_latest_period(built):
    page = (built["out"] / "index.html").read_text(encoding="utf-8")
    league = page[page.index('id="league"'):page.index('id="provinces"')]
    assert "6 tháng/2024" in league
    order = [m.group(1) for m in re.finditer(r'<a href="provinces/([a-z-]+)\.html">', league)]
    # money rates 20.5 + i: Vĩnh Phúc (i=3) first, Đà Nẵng (i=0) last
    assert order == ["vinh-phuc", "ho-chi-minh", "ben-tre", "da-nang"]


def test_report_is_offline_and_internal_links_resolve(built):
    out = built["out"]
    assert (out / "plotly.min.js").stat().st_size > 1_000_000
    pages = [out / "index.html", *sorted((out / "provinces").glob("*.html"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "cdn.plot.ly" not in text and "cdn.jsdelivr" not in text
        for tag, ref in parse(page).refs:
            if tag in ("script", "link"):
                assert not ref.startswith(("http:", "https:", "//")), f"{page.name}: external {ref}"
            if re.match(r"^[a-z]+:|^#|^//", ref):
                continue
            target = (page.parent / ref.split("#")[0]).resolve()
            assert target.is_file(), f"{page.name}: broken link {ref}"


def test_report_leaves_warehouse_untouched_and_is_idempotent(built):
    import duckdb

    out, wh = built["out"], built["wh"]
    assert file_state(wh) == built["before"]
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    build_report()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first
    # the read-only connection is closed: a writer can open the file now
    duckdb.connect(str(wh)).close()


def test_empty_warehouse_says_no_data(tmp_lake):
    wh = make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb", empty=True)
    before = file_state(wh)
    index = build_report()
    assert file_state(wh) == before
    text = index.read_text(encoding="utf-8")
    assert "No data yet" in text and "no figures yet" in text
    assert (index.parent / "plotly.min.js").is_file()


def test_missing_warehouse_and_stale_pages(tmp_lake):
    wh = make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")
    index = build_report()
    assert len(list((index.parent / "provinces").glob("*.html"))) == len(PROVINCES)
    wh.unlink()
    index = build_report()
    assert "no warehouse at" in index.read_text(encoding="utf-8")
    assert list((index.parent / "provinces").glob("*.html")) == []


def test_warehouse_without_marts(tmp_lake):
    import duckdb

    wh = Path(tmp_lake).parent / "warehouse.duckdb"
    duckdb.connect(str(wh)).execute("create table unrelated (a int)").close()
    text = build_report().read_text(encoding="utf-8")
    assert "no mart tables yet" in text and "fct_metric_timeseries" in text


def test_marts_that_break_the_contract_give_a_clear_error(tmp_lake, capsys):
    import argparse

    import duckdb

    from scrapers.analyst import command

    wh = Path(tmp_lake).parent / "warehouse.duckdb"
    con = duckdb.connect(str(wh))
    con.execute("create table fct_metric_timeseries (scope_level varchar, metric varchar)")
    con.close()
    parser = argparse.ArgumentParser(prog="thads")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report"])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert "fct_metric_timeseries\" lacks columns" in err and "period_start" in err
