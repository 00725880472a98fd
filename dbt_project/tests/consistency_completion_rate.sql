{#- A stated completion rate should be close to completed / enforceable of the same scope and period
(by cases: unit cases; by money: unit vnd). Warn-level: lists the rows that differ by more than 1
percentage point, since press figures round and some reports use another denominator. -#}
{{ config(severity = 'warn', store_failures = true) }}

with m as (
    select * from {{ ref('fct_enforcement_metrics') }}
)

select
    r.scope_level,
    r.scope_name,
    r.period_start,
    r.period_end,
    r.domain,
    r.category,
    r.basis,
    r.value as stated_rate,
    round(c.value / e.value * 100, 2) as computed_rate,
    c.value as completed,
    e.value as enforceable,
    r.url as rate_url,
    c.url as completed_url
from m as r
inner join m as c
    on r.scope_id = c.scope_id and r.period_start = c.period_start and r.period_end = c.period_end
    and r.domain = c.domain and r.category = c.category and c.metric = 'completed'
    and c.unit = case r.basis when 'money' then 'vnd' else 'cases' end
inner join m as e
    on r.scope_id = e.scope_id and r.period_start = e.period_start and r.period_end = e.period_end
    and r.domain = e.domain and r.category = e.category and e.metric = 'enforceable' and e.unit = c.unit
where r.metric = 'completion_rate'
    and r.value is not null and c.value is not null and e.value > 0
    and abs(r.value - c.value / e.value * 100) > 1
