{#- Pre-2025 provincial figures summed into today's (post-July-2025) provinces, for additive metrics
(counts and money; rates are not summed). is_complete says whether every former province that merged
into the 2025 province reported the figure; the rates by cases and by money are recomputed from the
summed completed / enforceable when both are complete. -#}
with members as (
    select
        province_2025,
        count(*) as n_expected
    from {{ ref('dim_scope') }}
    where scope_level = 'province' and existed_before_2025
    group by province_2025
),

additive as (
    select m.*
    from {{ ref('fct_enforcement_metrics') }} as m
    inner join {{ ref('dim_metric') }} as d on m.metric = d.metric
    where
        m.scope_level = 'province' and d.is_additive and m.unit <> 'percent' and m.value is not null
        and m.province_2025 is not null
),

summed as (
    select
        province_2025,
        period_start,
        period_end,
        any_value(period_kind) as period_kind,
        any_value(stat_year) as stat_year,
        domain,
        category,
        metric,
        unit,
        sum(value) as value,
        count(*) as n_provinces_reported,
        string_agg(scope_name, ', ' order by scope_name) as provinces_reported,
        bool_or(has_conflict) as has_conflict
    from additive
    group by province_2025, period_start, period_end, domain, category, metric, unit
),

rates as (
    -- completion rate of the merged province: completed / enforceable, by cases (unit cases) and money (vnd)
    select
        c.province_2025,
        c.period_start,
        c.period_end,
        c.period_kind,
        c.stat_year,
        c.domain,
        c.category,
        'completion_rate' as metric,
        'percent' as unit,
        case c.unit when 'vnd' then 'money' else 'cases' end as basis,
        round(c.value / e.value * 100, 2) as value,
        least(c.n_provinces_reported, e.n_provinces_reported) as n_provinces_reported,
        c.provinces_reported,
        c.has_conflict or e.has_conflict as has_conflict,
        true as value_is_derived
    from summed as c
    inner join summed as e
        on
            c.province_2025 = e.province_2025 and c.period_start = e.period_start
            and c.period_end = e.period_end and c.domain = e.domain and c.category = e.category
            and c.unit = e.unit and e.metric = 'enforceable'
    inner join members as mb on c.province_2025 = mb.province_2025
    where
        c.metric = 'completed' and c.unit in ('cases', 'vnd') and e.value > 0
        and c.n_provinces_reported = mb.n_expected and e.n_provinces_reported = mb.n_expected
        and c.provinces_reported = e.provinces_reported
),

combined as (
    select
        province_2025,
        period_start,
        period_end,
        period_kind,
        stat_year,
        domain,
        category,
        metric,
        unit,
        cast(null as varchar) as basis,
        value,
        n_provinces_reported,
        provinces_reported,
        has_conflict,
        false as value_is_derived
    from summed
    union all
    select * from rates
)

select
    md5(concat_ws(
        '|', c.province_2025, c.period_start, c.period_end, c.domain, c.category, c.metric, c.unit,
        coalesce(c.basis, '')
    )) as rollup_id,
    c.province_2025,
    c.period_start,
    c.period_end,
    c.period_kind,
    c.stat_year,
    c.domain,
    c.category,
    c.metric,
    c.unit,
    c.basis,
    c.value,
    c.value_is_derived,
    cast(c.n_provinces_reported as bigint) as n_provinces_reported,
    cast(mb.n_expected as bigint) as n_provinces_expected,
    c.n_provinces_reported = mb.n_expected as is_complete,
    c.provinces_reported,
    c.has_conflict
from combined as c
inner join members as mb on c.province_2025 = mb.province_2025
