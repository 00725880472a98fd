{#- The well-formed facts of each document's newest complete version, with the source's authority and
the fact's key. Facts with problems go to fct_fact_issues instead. Incremental by document
fingerprint (macros/incremental.sql): a build re-reads only documents whose files changed. -#}
{{ config(
    materialized = 'incremental',
    incremental_strategy = 'append',
    on_schema_change = 'fail',
    pre_hook = "{{ delete_stale_fingerprints(this, 'doc_fingerprint', current_doc_fingerprints_sql()) }}"
) }}

with fingerprints as (
    {{ current_doc_fingerprints_sql() }}
),

todo as (
    select
        fp.doc_id,
        fp.doc_fingerprint
    from fingerprints as fp
    {%- if is_incremental() %}
        where fp.doc_fingerprint not in (select t.doc_fingerprint from {{ this }} as t)
    {%- endif %}
),

current_versions as (
    select
        v.doc_id,
        v.version,
        todo.doc_fingerprint
    from {{ ref('int_doc_versions') }} as v
    inner join todo on v.doc_id = todo.doc_id
    where v.version_rank = 1
),

facts as (
    select
        f.*,
        cv.doc_fingerprint
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
    coalesce(s.kind, 'unknown') as source_kind,
    n.doc_fingerprint
from named as n
left join {{ ref('source_registry') }} as s on n.source = s.source
