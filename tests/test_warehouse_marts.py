"""The warehouse built from a synthetic lake: reconciliation, YoY, periods, scopes, versions, quality.

One dbt build for the whole module (a build takes ~10 s); each test reads the result read-only.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from warehouse_helpers import fact, land_article, write_manifest

from scrapers import warehouse

Y21 = ("2020-10-01", "2021-09-30")
Y20 = ("2019-10-01", "2020-09-30")
M5_24 = ("2023-10-01", "2024-02-29")
M5_23 = ("2022-10-01", "2023-02-28")
ODD = ("2020-10-01", "2021-05-15")
BT = ("province", "Bến Tre")
CT = ("province", "Cần Thơ")
NATION = ("national", None)


def bentre_2021(version: str, *, completed_change: float, with_new: bool, with_remaining: bool) -> list[dict]:
    facts = [
        fact("total", "cases", 5000, period=Y21),
        fact("completed", "cases", 3000, period=Y21, change_value=completed_change,
             compared_to="cùng kỳ năm 2020"),
        fact("enforceable", "cases", 4000, period=Y21),
        fact("completion_rate", "percent", 75.0, basis="cases", period=Y21, quote="đạt tỷ lệ 75%"),
        fact("carried_over", "cases", 2000, period=Y21),
        fact("completion_rate", "percent", 30.5, basis="money", period=Y21, quote="đạt 30,5% về tiền"),
    ]
    if with_new:
        facts.append(fact("new", "cases", 3000, period=Y21))
    if with_remaining:
        facts.append(fact("remaining", "cases", 1000, period=Y21))
    return facts


def write_scenario(lake: Path) -> None:
    write_manifest(lake, "c1-e1", created_at="2021-10-16T02:00:00Z")
    write_manifest(lake, "c2-e2", created_at="2021-11-01T02:00:00Z", note="extra fields are fine")
    # the same article in two complete versions and one unfinished version (no manifest)
    bt = "thads.moj.gov.vn/bentre/tintuc/1"
    land_article(lake, source="thads", doc_id=bt, published="2021-10-10", version="c1-e1",
                 facts=bentre_2021("c1-e1", completed_change=300, with_new=True, with_remaining=False))
    land_article(lake, source="thads", doc_id=bt, published="2021-10-10", version="c2-e2",
                 facts=bentre_2021("c2-e2", completed_change=310, with_new=False, with_remaining=True))
    land_article(lake, source="thads", doc_id=bt, published="2021-10-10", version="c3-e3",
                 facts=[fact("total", "cases", 9999, period=Y21)])
    # the press repeats the figures: one agrees, one disagrees on the rate, one rounds the total
    land_article(lake, source="baophapluat", doc_id="baophapluat.vn/post-1", published="2021-10-20",
                 facts=[fact("total", "cases", 5000, period=Y21),
                        fact("completion_rate", "percent", 72.5, basis="cases", period=Y21,
                             quote="đạt 72,5% về việc")])
    land_article(lake, source="plo", doc_id="plo.vn/post-2", published="2021-10-25",
                 facts=[fact("total", "cases", 5010, period=Y21, qualifier="approx")])
    # last year's figures of Bến Tre
    land_article(lake, source="thads", doc_id="thads.moj.gov.vn/bentre/tintuc/0", published="2020-10-10",
                 facts=[fact("total", "cases", 4500, period=Y20),
                        fact("completion_rate", "percent", 70.0, basis="cases", period=Y20),
                        fact("completion_rate", "percent", 29.0, basis="money", period=Y20, quote="29% về tiền")])
    # the nation and other provinces (Trà Vinh and Vĩnh Long merged with Bến Tre into Vĩnh Long in 2025)
    land_article(lake, source="moj", doc_id="moj.gov.vn/tintuc/9", published="2021-10-12", facts=[
        fact("total", "cases", 900000, period=Y21, scope=NATION),
        fact("completed", "cases", 1_000_000, period=Y21, scope=NATION),
        fact("total", "cases", 7000, period=Y21, scope=("province", "Trà Vinh")),
        fact("total", "cases", 1000, period=Y21, scope=("province", "Vĩnh Long")),
        fact("total", "cases", 50, period=Y21, scope=("district", "Bến Tre / Ba Tri")),
        # inconsistent figures the warn-level tests must list
        fact("completed", "cases", 2_000_000, period=Y21, scope=("province", "Đà Nẵng")),
        fact("total", "cases", 100, period=Y21, scope=("province", "Ha Noi")),
        fact("carried_over", "cases", 50, period=Y21, scope=("province", "Hà Nội")),
        fact("new", "cases", 60, period=Y21, scope=("province", "Hà Nội")),
        # facts the warehouse cannot use
        fact("bogus_metric", "cases", 1, period=Y21),
        {**fact("total", "cases", None, period=Y21), "value": "many"},
    ])
    # leap-year alignment and a level derived from a stated change (Cần Thơ, 5 months)
    land_article(lake, source="thads", doc_id="thads.moj.gov.vn/cantho/tintuc/5", published="2024-03-10", facts=[
        fact("total", "cases", 1100, period=M5_24, scope=CT, period_label="05 tháng đầu năm 2024"),
        fact("completed", "vnd", None, period=M5_24, scope=CT, change_value=1e9,
             compared_to="cùng kỳ năm 2023"),
        fact("new", "cases", 600, period=M5_24, scope=CT, change_value=100, compared_to="cùng kỳ"),
        fact("total", "cases", 321, period=ODD, scope=CT, period_label="từ 1/10/2020 đến 15/5/2021"),
    ])
    land_article(lake, source="thads", doc_id="thads.moj.gov.vn/cantho/tintuc/4", published="2023-03-10", facts=[
        fact("total", "cases", 1000, period=M5_23, scope=CT),
        fact("completed", "vnd", 5e9, period=M5_23, scope=CT),
    ])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = tmp_path_factory.mktemp("wh") / "data"
    lake = data / "lake"
    lake.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THADS_DATA_DIR", str(data))
        mp.setenv("THADS_LAKE_DIR", str(lake))
        mp.setenv("THADS_WAREHOUSE", str(data / "warehouse.duckdb"))
        write_scenario(lake)
        warehouse.build()
        results = json.loads((warehouse.target_dir() / "run_results.json").read_text())
        docs_dir = warehouse.generate_docs()
        yield {"db": data / "warehouse.duckdb", "results": results, "docs": docs_dir}


@pytest.fixture(scope="module")
def con(built):
    c = duckdb.connect(str(built["db"]), read_only=True)
    yield c
    c.close()


def rows(con, sql, *params):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def one(con, sql, *params):
    got = rows(con, sql, *params)
    assert len(got) == 1, got
    return got[0]


def metric(con, scope_name, metric_, unit, period, basis=None):
    return one(con, """select * from fct_enforcement_metrics where scope_name is not distinct from ?
                       and metric = ? and unit = ? and period_start = ? and period_end = ?
                       and basis is not distinct from ?""", scope_name, metric_, unit, *period, basis)


def test_every_dbt_test_passes_and_warnings_list_offenders(built):
    by_status: dict[str, list[str]] = {}
    for r in built["results"]["results"]:
        by_status.setdefault(r["status"], []).append(r["unique_id"])
    assert not by_status.get("error") and not by_status.get("fail"), by_status
    assert len(by_status["pass"]) > 100
    warned = {uid.split(".")[2]: r["failures"] for r in built["results"]["results"]
              for uid in [r["unique_id"]] if r["status"] == "warn"}
    # exactly the inconsistencies planted in the scenario
    assert warned == {"consistency_province_below_nation": 1, "consistency_total_parts": 1}, warned
    unit_tests = [r for r in built["results"]["results"] if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) == 3 and all(r["status"] == "pass" for r in unit_tests)


def test_warn_tests_store_the_offending_rows(con):
    parts = rows(con, "select * from main_dbt_test__audit.consistency_total_parts")
    assert [(r["scope_name"], r["total"], r["carried_over_plus_new"]) for r in parts] == [("Hà Nội", 100, 110)]
    above = rows(con, "select * from main_dbt_test__audit.consistency_province_below_nation")
    assert [(r["scope_name"], r["province_value"], r["national_value"]) for r in above] == [
        ("Đà Nẵng", 2_000_000, 1_000_000)]
    assert rows(con, "select * from main_dbt_test__audit.consistency_completion_rate") == []


def test_same_figure_from_three_sources_is_one_row(con):
    m = metric(con, "Bến Tre", "total", "cases", Y21)
    assert m["value"] == 5000
    assert (m["n_sources"], m["n_articles"], m["n_candidates"]) == (3, 3, 3)
    assert m["source"] == "thads" and m["doc_id"] == "thads.moj.gov.vn/bentre/tintuc/1"
    assert m["has_conflict"] is False  # 5010 "khoảng" is within rounding of 5000


def test_conflict_flagged_agency_chosen_alternatives_kept(con):
    m = metric(con, "Bến Tre", "completion_rate", "percent", Y21, "cases")
    assert m["has_conflict"] is True
    assert (m["value"], m["source"], m["quote"]) == (75.0, "thads", "đạt tỷ lệ 75%")
    alts = rows(con, """select source, value, is_chosen, disagrees_with_chosen from fct_fact_alternatives
                        where metric_id = ? order by candidate_rank""", m["metric_id"])
    assert alts == [
        {"source": "thads", "value": 75.0, "is_chosen": True, "disagrees_with_chosen": False},
        {"source": "baophapluat", "value": 72.5, "is_chosen": False, "disagrees_with_chosen": True},
    ]


def test_only_newest_complete_version_is_visible(con):
    m = metric(con, "Bến Tre", "completed", "cases", Y21)
    assert (m["version"], m["cleaner_version"], m["extractor_version"]) == ("c2-e2", "c2", "e2")
    assert m["change_value"] == 310
    # c3-e3 has no manifest: its 9999 never shows; c1-e1's "new" fact is gone in c2-e2
    assert con.execute("select count(*) from fct_enforcement_metrics where value = 9999").fetchone()[0] == 0
    assert con.execute("""select count(*) from fct_enforcement_metrics where scope_name = 'Bến Tre'
                          and metric = 'new'""").fetchone()[0] == 0
    art = one(con, "select * from fct_articles where doc_id = 'thads.moj.gov.vn/bentre/tintuc/1'")
    assert art["version"] == "c2-e2" and art["n_facts_landed"] == 7
    # all versions stay in staging for replays
    assert con.execute("""select list(distinct version order by version) from stg_facts
                          where doc_id = 'thads.moj.gov.vn/bentre/tintuc/1'""").fetchone()[0] == [
        "c1-e1", "c2-e2", "c3-e3"]


def test_version_diff_shows_added_removed_changed(con):
    diff = rows(con, """select metric, change_type, old_change_value, new_change_value from fct_fact_version_diff
                        where from_version = 'c1-e1' and to_version = 'c2-e2' order by metric""")
    assert diff == [
        {"metric": "completed", "change_type": "changed", "old_change_value": 300, "new_change_value": 310},
        {"metric": "new", "change_type": "removed", "old_change_value": None, "new_change_value": None},
        {"metric": "remaining", "change_type": "added", "old_change_value": None, "new_change_value": None},
    ]
    s = one(con, "select * from fct_version_diff_summary")
    assert (s["from_version"], s["to_version"], s["n_documents"], s["n_added"], s["n_removed"], s["n_changed"],
            s["n_unchanged"]) == ("c1-e1", "c2-e2", 1, 1, 1, 1, 5)


def test_yoy_against_last_year(con):
    t = one(con, """select * from fct_metric_timeseries where scope_name = 'Bến Tre' and metric = 'total'
                    and period_end = '2021-09-30'""")
    assert (t["value"], t["prior_year_value"], t["yoy_change"]) == (5000, 4500, 500)
    assert t["yoy_change_pct"] == pytest.approx(11.111, abs=1e-3)
    assert t["prior_url"].endswith("/bentre/tintuc/0") and not t["prior_is_derived"]
    r = one(con, """select * from fct_metric_timeseries where scope_name = 'Bến Tre'
                    and metric = 'completion_rate' and basis = 'cases' and period_end = '2021-09-30'""")
    assert r["yoy_change"] == pytest.approx(5.0) and r["yoy_change_pct"] is None  # points, not percent


def test_leap_year_alignment_and_derived_levels(con):
    ts = {(r["metric"], r["unit"]): r for r in rows(con, """select * from fct_metric_timeseries
          where scope_name = 'Cần Thơ' and period_end = '2024-02-29'""")}
    total = ts[("total", "cases")]
    assert (total["prior_period_end"], total["prior_year_value"], total["period_kind"]) == (
        __import__("datetime").date(2023, 2, 28), 1000, "months")
    money = ts[("completed", "vnd")]  # only "tăng 1 tỷ so với cùng kỳ" was stated
    assert (money["value"], money["value_is_derived"], money["prior_year_value"]) == (6e9, True, 5e9)
    assert money["yoy_change"] == 1e9
    new = ts[("new", "cases")]  # a level and a change, no last-year article: last year derived
    assert (new["value"], new["prior_year_value"], new["prior_is_derived"]) == (600, 500, True)


def test_dim_period_calendar_and_irregular_periods(con):
    p = {r["label_vi"]: r for r in rows(con, "select * from dim_period where stat_year = 2022")}
    q1 = p["quý I năm 2022"]
    assert (str(q1["period_start"]), str(q1["period_end"])) == ("2021-10-01", "2021-12-31")
    h1 = p["6 tháng đầu năm 2022"]
    assert (str(h1["period_start"]), str(h1["period_end"]), h1["period_kind"]) == ("2021-10-01", "2022-03-31", "half")
    m5 = p["5 tháng đầu năm 2022"]
    assert (str(m5["period_end"]), str(m5["prior_period_end"])) == ("2022-02-28", "2021-02-28")
    odd = one(con, "select * from dim_period where period_start = ? and period_end = ?", *ODD)
    assert (odd["period_kind"], odd["stat_year"], odd["label_vi"]) == ("other", 2021, "từ 1/10/2020 đến 15/5/2021")
    assert metric(con, "Cần Thơ", "total", "cases", ODD)["period_kind"] == "other"


def test_scopes_and_rollup_to_2025_provinces(con):
    counts = dict(con.execute("""select scope_level || ':' || existed_before_2025 || ':' || is_province_2025, count(*)
                                 from dim_scope group by 1""").fetchall())
    assert counts["national:true:false"] == 1
    n_before = con.execute("select count(*) from dim_scope where scope_level = 'province' and existed_before_2025"
                           ).fetchone()[0]
    n_after = con.execute("select count(*) from dim_scope where is_province_2025").fetchone()[0]
    assert (n_before, n_after) == (63, 34)
    assert one(con, "select province_2025 from dim_scope where scope_name = 'Bình Dương'")["province_2025"] == "Hồ Chí Minh"
    r = one(con, """select * from fct_province_2025_rollup where province_2025 = 'Vĩnh Long' and metric = 'total'
                    and unit = 'cases' and period_end = '2021-09-30'""")
    assert (r["value"], r["n_provinces_reported"], r["n_provinces_expected"], r["is_complete"]) == (13000, 3, 3, True)
    assert r["provinces_reported"] == "Bến Tre, Trà Vinh, Vĩnh Long"
    # an alias in the text lands on the canonical name; a district keeps its province
    assert metric(con, "Hà Nội", "total", "cases", Y21)["value"] == 100
    assert one(con, "select province, province_2025 from dim_scope where scope_name = 'Bến Tre / Ba Tri'") == {
        "province": "Bến Tre", "province_2025": "Vĩnh Long"}


def test_bad_facts_are_reported_not_dropped(con):
    issues = rows(con, "select metric, problems from fct_fact_issues order by metric")
    assert issues == [{"metric": "bogus_metric", "problems": "metric=bogus_metric"},
                      {"metric": "total", "problems": "value not a number: many; no value and no change"}]


def test_analyst_queries_run(con, repo_root):
    sql = (repo_root / "docs" / "analyst_queries.sql").read_text(encoding="utf-8")
    queries = [q.strip() for q in sql.split(";") if q.strip() and not all(
        line.strip().startswith("--") or not line.strip() for line in q.splitlines())]
    assert len(queries) >= 5
    for q in queries:
        con.execute(q).fetchall()
    five_years = rows(con, queries[0])
    assert [(r["stat_year"], r["completion_rate_money_pct"], r["change_points"]) for r in five_years] == [
        (2020, 29.0, None), (2021, 30.5, 1.5)]
    assert all(r["url"] and r["quote"] for r in five_years)


def test_docs_generate(built):
    catalog = json.loads((built["docs"] / "catalog.json").read_text())
    assert "model.thads.fct_enforcement_metrics" in catalog["nodes"]
    assert (built["docs"] / "index.html").is_file()
