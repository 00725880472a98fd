-- Example analyst queries over the THADS warehouse (DuckDB: open data/warehouse.duckdb read-only,
-- e.g. `duckdb -readonly data/warehouse.duckdb` or `thads query`). Each query ends with a semicolon.
-- Reports are mostly cumulative from 1 October ("6 tháng đầu năm", "năm"), so "a year's figure" below is
-- the latest year-to-date period reported for that statistical year.

-- 1. How did Bến Tre's completion rate by money move over the last five statistical years,
--    and where does each figure come from?
with rates as (
    select
        t.*,
        p.is_year_to_date
    from fct_metric_timeseries as t
    inner join dim_period as p on t.period_start = p.period_start and t.period_end = p.period_end
    where t.scope_level = 'province' and t.scope_name = 'Bến Tre'
        and t.domain = 'civil' and t.category = 'all'
        and t.metric = 'completion_rate' and t.basis = 'money'
),

latest_per_year as (
    select * from rates
    where is_year_to_date
    qualify row_number() over (partition by stat_year order by period_end desc) = 1
)

select
    stat_year,
    period_label,
    period_end,
    value as completion_rate_money_pct,
    yoy_change as change_points,
    value_is_derived,
    has_conflict,
    source,
    url,
    quote
from latest_per_year
where stat_year > (select max(stat_year) from latest_per_year) - 5
order by stat_year;

-- 2. National trend: cases and money to enforce and completed, per statistical year.
select
    stat_year,
    period_label,
    metric,
    unit,
    value,
    prior_year_value,
    yoy_change_pct,
    value_is_derived or prior_is_derived as involves_derived,
    url
from fct_metric_timeseries
where scope_level = 'national' and domain = 'civil' and category = 'all'
    and metric in ('total', 'completed') and unit in ('cases', 'vnd')
qualify row_number() over (partition by stat_year, metric, unit order by period_end desc) = 1
order by metric, unit, stat_year;

-- 3. League table: provinces by completion rate (by cases) for the latest period reported by
--    provinces, with today's (2025) province each belongs to.
with latest as (
    select period_start, period_end
    from fct_enforcement_metrics
    where scope_level = 'province' and metric = 'completion_rate' and basis = 'cases'
    order by period_end desc, count(*) over (partition by period_start, period_end) desc
    limit 1
)

select
    rank() over (order by m.value desc) as rank_by_cases,
    m.scope_name as province,
    m.province_2025,
    m.period_label,
    m.value as completion_rate_cases_pct,
    m.n_sources,
    m.has_conflict,
    m.url
from fct_enforcement_metrics as m
inner join latest as l on m.period_start = l.period_start and m.period_end = l.period_end
where m.scope_level = 'province' and m.domain = 'civil' and m.category = 'all'
    and m.metric = 'completion_rate' and m.basis = 'cases'
order by rank_by_cases;

-- 4. Conflicts: figures that sources report differently, every version side by side,
--    the chosen one first.
select
    a.scope_level,
    a.scope_name,
    a.period_start,
    a.period_end,
    a.metric,
    a.unit,
    a.basis,
    a.candidate_rank,
    a.is_chosen,
    a.value,
    a.diff_from_chosen,
    a.source,
    a.published,
    a.url,
    a.quote
from fct_fact_alternatives as a
where a.has_conflict
order by a.metric_id, a.candidate_rank;

-- 5. Year on year: the largest changes in money completed by province for the latest statistical
--    year, marking figures derived from a stated change.
select
    scope_name as province,
    province_2025,
    period_label,
    value as completed_vnd,
    prior_year_value as completed_vnd_year_before,
    yoy_change,
    round(yoy_change_pct, 2) as yoy_change_pct,
    value_is_derived,
    prior_is_derived,
    url,
    quote
from fct_metric_timeseries
where scope_level = 'province' and domain = 'civil' and category = 'all'
    and metric = 'completed' and unit = 'vnd' and yoy_change is not null
    and stat_year = (select max(stat_year) from fct_metric_timeseries where scope_level = 'province')
order by abs(yoy_change_pct) desc nulls last
limit 20;

-- 6. History rolled up to today's provinces: caseload of the 2025 provinces, complete sums only.
select
    province_2025,
    stat_year,
    period_start,
    period_end,
    metric,
    unit,
    basis,
    value,
    value_is_derived,
    provinces_reported
from fct_province_2025_rollup
where is_complete and domain = 'civil' and category = 'all'
order by province_2025, period_end, metric, unit;

-- 7. What a new extractor version changed (for replays).
select * from fct_version_diff_summary order by from_version, to_version;
