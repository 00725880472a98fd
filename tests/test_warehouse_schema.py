"""Static checks of the dbt project: vocabularies agree with scrapers/facts_schema.py, every model and
column is described, marts have enforced contracts, dbt is configured never to use the network, and the
CLI offers `thads build`. No dbt run here, so these are fast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scrapers import facts_schema

PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"


def model_ymls() -> dict[str, dict]:
    out = {}
    for path in (PROJECT / "models").rglob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for m in doc.get("models", []):
            out[m["name"]] = {**m, "_path": path}
    return out


def test_every_model_has_its_own_yml_describing_every_column():
    ymls = model_ymls()
    sqls = {p.stem: p for p in (PROJECT / "models").rglob("*.sql")}
    assert set(sqls) == set(ymls)
    for name, sql in sqls.items():
        m = ymls[name]
        assert m["_path"] == sql.with_suffix(".yml"), f"{name}: one yml per model, next to it"
        assert m.get("description"), name
        assert m["columns"] and all(c.get("description") for c in m["columns"]), name
        if sql.parent.name == "marts":
            assert all(c.get("data_type") for c in m["columns"]), f"{name}: contract needs data types"


def test_marts_have_enforced_contracts_and_required_columns():
    project = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())
    assert project["models"]["thads"]["marts"]["+contract"]["enforced"] is True
    cols = {c["name"] for c in model_ymls()["fct_enforcement_metrics"]["columns"]}
    required = {"metric_id", "scope_level", "scope_name", "period_start", "period_end", "period_label",
                "period_kind", "stat_year", "domain", "category", "metric", "unit", "basis", "value",
                "qualifier", "change_value", "change_pct", "compared_to", "n_sources", "n_articles",
                "has_conflict", "source", "doc_id", "url", "quote", "published", "cleaner_version",
                "extractor_version"}
    assert required <= cols
    ts = {c["name"] for c in model_ymls()["fct_metric_timeseries"]["columns"]}
    assert {"value", "prior_year_value", "yoy_change", "yoy_change_pct", "value_is_derived",
            "prior_is_derived", "url", "quote"} <= ts


@pytest.mark.parametrize("field,allowed", [
    ("metric", facts_schema.METRICS), ("unit", facts_schema.UNITS), ("basis", facts_schema.BASES),
    ("qualifier", facts_schema.QUALIFIERS), ("scope_level", facts_schema.SCOPE_LEVELS),
    ("domain", facts_schema.DOMAINS), ("category", facts_schema.CATEGORIES)])
def test_vocabularies_match_facts_schema(field, allowed):
    macro = (PROJECT / "macros" / "vocab.sql").read_text()
    m = re.search(rf"'{field}': \[([^\]]*)\]", macro)
    assert m, field
    assert re.findall(r"'([^']+)'", m.group(1)) == list(allowed)
    for model in ("fct_enforcement_metrics", "int_facts_current"):
        col = next(c for c in model_ymls()[model]["columns"] if c["name"] == field)
        values = [t["accepted_values"]["arguments"]["values"] for t in col.get("data_tests", [])
                  if isinstance(t, dict) and "accepted_values" in t]
        assert values == [list(allowed)], (model, field)


def test_metric_seed_covers_every_metric():
    lines = (PROJECT / "seeds" / "metric_definitions.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [ln.split(",", 1)[0] for ln in lines] == list(facts_schema.METRICS)


def test_dbt_never_uses_the_network():
    project = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())
    assert project["flags"]["send_anonymous_usage_stats"] is False
    assert project["flags"]["version_check"] is False
    assert "packages.yml" not in {p.name for p in PROJECT.iterdir()}
    from scrapers import warehouse
    env = warehouse.dbt_env()
    assert env["DO_NOT_TRACK"] == "1" and env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false"
    assert env["DBT_VERSION_CHECK"] == "false"


def test_cli_has_build_command():
    from scrapers.cli import build_parser

    args = build_parser().parse_args(["build", "--full-refresh"])
    assert args.full_refresh is True and callable(args.func)


def test_paths_are_absolute_for_dbt(tmp_lake):
    from scrapers import warehouse

    env = warehouse.dbt_env()
    assert env["THADS_LAKE_DIR"] == str(tmp_lake.resolve())
    assert Path(env["THADS_WAREHOUSE"]).is_absolute() and Path(env["THADS_PROVINCES_CSV"]).is_absolute()
    assert env["THADS_PROVINCES_CSV"].endswith("scrapers/extract/data/provinces.csv")
