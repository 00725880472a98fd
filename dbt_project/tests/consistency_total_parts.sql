{#- total should equal carried_over + new for the same scope, period and unit. Warn-level: lists the rows
that differ by more than 0.5%. -#}
{{ config(severity = 'warn', store_failures = true) }}

with m as (
    select * from {{ ref('fct_enforcement_metrics') }}
)

select
    t.scope_level,
    t.scope_name,
    t.period_start,
    t.period_end,
    t.domain,
    t.category,
    t.unit,
    t.value as total,
    c.value as carried_over,
    n.value as new,
    c.value + n.value as carried_over_plus_new,
    t.url as total_url
from m as t
inner join m as c
    on t.scope_id = c.scope_id and t.period_start = c.period_start and t.period_end = c.period_end
    and t.domain = c.domain and t.category = c.category and t.unit = c.unit and c.metric = 'carried_over'
inner join m as n
    on t.scope_id = n.scope_id and t.period_start = n.period_start and t.period_end = n.period_end
    and t.domain = n.domain and t.category = n.category and t.unit = n.unit and n.metric = 'new'
where t.metric = 'total'
    and t.value is not null and c.value is not null and n.value is not null
    and abs(t.value - (c.value + n.value)) > 0.005 * greatest(abs(t.value), 1)
