{#- Every candidate figure behind each row of fct_enforcement_metrics, the chosen one first: what other
pages said, and by how much they differ from the chosen value. Incremental like int_facts_ranked: only
keys whose candidates changed are rewritten. -#}
{{ config(
    materialized = 'incremental',
    incremental_strategy = 'append',
    on_schema_change = 'fail',
    pre_hook = "{{ delete_stale_fingerprints(
        this, 'key_fingerprint', 'select key_fingerprint from ' ~ ref('int_facts_ranked')) }}"
) }}

with chosen as (
    select
        metric_id,
        value as chosen_value,
        source as chosen_source,
        doc_id as chosen_doc_id
    from {{ ref('int_facts_ranked') }}
    where
        candidate_rank = 1
        {%- if is_incremental() %}
            and key_fingerprint not in (select t.key_fingerprint from {{ this }} as t)
        {%- endif %}
)

select
    r.metric_id,
    cast(r.candidate_rank as bigint) as candidate_rank,
    r.candidate_rank = 1 as is_chosen,
    r.has_conflict,
    r.scope_level,
    r.scope_name,
    r.period_start,
    r.period_end,
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
    c.chosen_value,
    r.value - c.chosen_value as diff_from_chosen,
    {{ conflict_between('least(r.value, c.chosen_value)', 'greatest(r.value, c.chosen_value)', 'r.unit') }}
        as disagrees_with_chosen,
    r.source,
    r.source_kind,
    cast(r.authority_rank as integer) as authority_rank,
    r.doc_id,
    r.fact_idx,
    r.url,
    r.quote,
    r.published,
    r.version,
    r.key_fingerprint
from {{ ref('int_facts_ranked') }} as r
inner join chosen as c on r.metric_id = c.metric_id
