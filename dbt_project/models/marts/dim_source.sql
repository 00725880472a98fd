{#- The sources with their authority rank and what the warehouse holds from each. -#}
with articles as (
    select
        source,
        count(*) as n_articles,
        min(published) as first_published,
        max(published) as last_published,
        max(fetched_at) as last_fetched_at
    from {{ ref('fct_articles') }}
    group by source
),

quarantined as (
    select
        source,
        count(*) as n_quarantined
    from {{ ref('stg_quarantine') }}
    group by source
),

drift as (
    select
        source,
        count(*) as n_drift_events
    from {{ ref('stg_drift_events') }}
    group by source
)

select
    s.source,
    s.host,
    s.name,
    s.kind,
    cast(s.authority_rank as integer) as authority_rank,
    s.description,
    cast(coalesce(a.n_articles, 0) as bigint) as n_articles,
    a.first_published,
    a.last_published,
    a.last_fetched_at,
    cast(coalesce(q.n_quarantined, 0) as bigint) as n_quarantined,
    cast(coalesce(d.n_drift_events, 0) as bigint) as n_drift_events
from {{ ref('source_registry') }} as s
left join articles as a on s.source = a.source
left join quarantined as q on s.source = q.source
left join drift as d on s.source = d.source
