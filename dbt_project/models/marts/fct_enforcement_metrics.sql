{#- One reconciled figure per scope x period x domain x category x metric x unit x basis, with where it
comes from (the chosen candidate's source, article, url and quote) and how many pages reported it. -#}
select
    r.metric_id,
    r.scope_id,
    r.scope_level,
    r.scope_name,
    s.province_2025,
    r.period_start,
    r.period_end,
    coalesce(r.period_label, p.label_vi) as period_label,
    p.period_kind,
    p.stat_year,
    r.domain,
    r.category,
    r.metric,
    r.unit,
    r.basis,
    r.value,
    r.qualifier,
    r.change_value,
    r.change_pct,
    r.compared_to,
    cast(r.n_candidates as bigint) as n_candidates,
    cast(r.n_sources as bigint) as n_sources,
    cast(r.n_articles as bigint) as n_articles,
    r.has_conflict,
    r.min_value,
    r.max_value,
    r.source,
    r.source_kind,
    r.doc_id,
    r.fact_idx,
    r.url,
    r.quote,
    r.published,
    r.version,
    r.cleaner_version,
    r.extractor_version
from {{ ref('int_facts_ranked') }} as r
left join {{ ref('dim_period') }} as p on r.period_start = p.period_start and r.period_end = p.period_end
left join {{ ref('dim_scope') }} as s on r.scope_id = s.scope_id
where r.candidate_rank = 1
