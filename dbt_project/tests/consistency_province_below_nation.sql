{#- A province's count or amount should not exceed the nation's for the same period, domain, category,
metric and unit. Warn-level: lists the offending province rows. -#}
{{ config(severity = 'warn', store_failures = true) }}

with m as (
    select * from {{ ref('fct_enforcement_metrics') }}
)

select
    p.scope_name,
    p.period_start,
    p.period_end,
    p.domain,
    p.category,
    p.metric,
    p.unit,
    p.value as province_value,
    n.value as national_value,
    p.url as province_url,
    n.url as national_url
from m as p
inner join m as n
    on n.scope_level = 'national' and p.period_start = n.period_start and p.period_end = n.period_end
    and p.domain = n.domain and p.category = n.category and p.metric = n.metric and p.unit = n.unit
inner join {{ ref('dim_metric') }} as d on p.metric = d.metric
where p.scope_level in ('province', 'district') and d.is_additive and p.unit <> 'percent'
    and p.value > n.value
