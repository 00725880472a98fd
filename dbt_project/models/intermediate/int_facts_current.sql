{#- The well-formed facts of each document's newest complete version, with the source's authority and
the fact's key. Facts with problems go to fct_fact_issues instead. -#}
with current_versions as (
    select
        doc_id,
        version
    from {{ ref('int_doc_versions') }}
    where version_rank = 1
),

facts as (
    select f.*
    from {{ ref('stg_facts') }} as f
    inner join current_versions as cv on f.doc_id = cv.doc_id and f.version = cv.version
    where f.problems is null
),

named as (
    select
        f.* exclude (scope_name),
        case
            when f.scope_level = 'national' then null
            when f.scope_level = 'province' then coalesce(pn.province, f.scope_name)
            else f.scope_name
        end as scope_name
    from facts as f
    left join {{ ref('int_province_names') }} as pn
        on f.scope_level = 'province' and f.scope_name = pn.spelling
)

select
    {{ metric_id() }} as metric_id,
    {{ scope_id('n.scope_level', 'n.scope_name') }} as scope_id,
    n.doc_id,
    n.fact_idx,
    n.source,
    n.url,
    n.published,
    n.version,
    n.cleaner_version,
    n.extractor_version,
    n.scope_level,
    n.scope_name,
    n.period_start,
    n.period_end,
    n.period_label,
    n.domain,
    n.category,
    n.metric,
    n.unit,
    n.basis,
    n.value,
    n.qualifier,
    n.change_value,
    n.change_pct,
    n.compared_to,
    n.quote,
    n.char_start,
    n.char_end,
    coalesce(s.authority_rank, 9) as authority_rank,
    coalesce(s.kind, 'unknown') as source_kind
from named as n
left join {{ ref('source_registry') }} as s on n.source = s.source
