"""Stand-ins for the project's macros, for `sqlfluff lint --templater jinja` only (see .sqlfluff).

sqlfluff's plain Jinja templater cannot run dbt macros that query the warehouse or `return` lists, so it
renders the models with these functions instead: each returns SQL of the same shape as the real macro.
dbt never imports this package.
"""

_KEY = ["scope_level", "scope_name", "period_start", "period_end", "domain", "category", "metric", "unit",
        "basis"]


def lake_glob(dataset, pattern):
    return f"lake/{dataset}/{pattern}"


def lake_files_to_read(glob, relation=None):
    return [glob]


def read_lake_jsonl(glob, columns, files):
    return f"select * from read_json('{glob}')"


def read_lake_objects(glob):
    return f"select * from read_json_objects('{glob}')"


def lake_fact_columns():
    return {}


def lake_article_columns():
    return {}


def lake_prune_deleted(relation, glob):
    return ""


def version_from_path(col):
    return f"regexp_extract({col}, 'version=([^/]+)', 1)"


def source_from_path(col):
    return f"regexp_extract({col}, 'source=([^/]+)', 1)"


def to_utc_ts(col):
    return f"try_cast({col} as timestamp with time zone)"


def in_vocab(col, name):
    return f"{col} in ('x')"


def metric_key_cols():
    return list(_KEY)


def metric_id(prefix=""):
    return "md5(concat_ws('|', " + ", ".join(f"coalesce(cast({prefix}{c} as varchar), '')" for c in _KEY) + "))"


def scope_id(level, name):
    return f"md5(concat_ws('|', {level}, coalesce({name}, '')))"


def conflict_between(lo, hi, unit):
    return f"coalesce(({hi} - {lo}) > 0, false)"


def candidates_conflict(unit):
    return f"coalesce(max_exact > min_exact or max_over > min_exact or {unit} = 'percent', false)"


def prior_year_start(col):
    return f"cast({col} - interval 1 year as date)"


def prior_year_end(col):
    return f"last_day(cast({col} - interval 1 year as date))"


def stat_year_of(col):
    return f"year({col})"


def differs(a, b):
    return f"coalesce({a} <> {b}, ({a} is null) <> ({b} is null))"


def current_doc_fingerprints_sql():
    return "select doc_id, md5(doc_id) as doc_fingerprint from stg_facts"


def current_key_fingerprints_sql():
    return "select metric_id, md5(metric_id) as key_fingerprint from int_facts_current"


def delete_stale_fingerprints(relation, column, current_sql):
    return ""
