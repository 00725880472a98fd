{#- Each figure next to the same figure one year earlier. Where the text gave only a level, the change is
computed from last year's figure; where it gave only a change, the missing level (this year's or last
year's) is derived from it and marked (value_is_derived, prior_is_derived). A stated change is used for
the prior year only when it compares with the same period a year before (compared_to empty, "cùng kỳ",
or naming the prior year). -#}
with m as (
    select * from {{ ref('fct_enforcement_metrics') }}
),

joined as (
    select
        m.*,
        p.prior_period_start,
        p.prior_period_end,
        prev.value as prev_value,
        prev.metric_id as prior_metric_id,
        prev.url as prior_url,
        prev.quote as prior_quote,
        (
            m.compared_to is null
            or lower(m.compared_to) like '%cùng kỳ%'
            or m.compared_to like '%' || cast(m.stat_year - 1 as varchar) || '%'
        ) as change_is_yoy
    from m
    left join {{ ref('dim_period') }} as p on m.period_start = p.period_start and m.period_end = p.period_end
    left join m as prev
        on
            m.scope_id = prev.scope_id
            and p.prior_period_start = prev.period_start
            and p.prior_period_end = prev.period_end
            and m.domain = prev.domain
            and m.category = prev.category
            and m.metric = prev.metric
            and m.unit = prev.unit
            and prev.basis is not distinct from m.basis
),

derived as (
    select
        *,
        case
            when value is not null then value
            when
                prev_value is not null and change_is_yoy and change_value is not null
                then prev_value + change_value
            when prev_value is not null and change_is_yoy and change_pct is not null and unit <> 'percent'
                then prev_value * (1 + change_pct / 100)
        end as ts_value,
        case
            when prev_value is not null then prev_value
            when value is not null and change_is_yoy and change_value is not null then value - change_value
            when
                value is not null and change_is_yoy and change_pct is not null and unit <> 'percent'
                and change_pct <> -100 then value / (1 + change_pct / 100)
        end as ts_prior
    from joined
)

select
    metric_id,
    scope_id,
    scope_level,
    scope_name,
    province_2025,
    period_start,
    period_end,
    period_label,
    period_kind,
    stat_year,
    domain,
    category,
    metric,
    unit,
    basis,
    -- rounded to 6 decimals: derivations must not show float noise (7.370000000000001 points)
    round(ts_value, 6) as value,
    value is null and ts_value is not null as value_is_derived,
    prior_period_start,
    prior_period_end,
    round(ts_prior, 6) as prior_year_value,
    prev_value is null and ts_prior is not null as prior_is_derived,
    round(coalesce(ts_value - ts_prior, case when change_is_yoy then change_value end), 6) as yoy_change,
    round(case
        when unit = 'percent' then null
        when ts_prior is not null and ts_prior <> 0 and ts_value is not null
            then (ts_value - ts_prior) / abs(ts_prior) * 100
        when change_is_yoy then change_pct
    end, 6) as yoy_change_pct,
    change_value as stated_change_value,
    change_pct as stated_change_pct,
    compared_to,
    qualifier,
    has_conflict,
    source,
    doc_id,
    url,
    quote,
    prior_metric_id,
    prior_url,
    prior_quote
from derived
