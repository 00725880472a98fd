{#- Reconciliation: every candidate figure for a key (the same figure is often reported by several
pages and sources), ranked. The chosen one (candidate_rank = 1) is the one with a level (value) if any
has one, then from the most authoritative source (agency sites before the press), then the most
recently published, then a stable tie-break; an exact figure wins over a rounded one or a bound. A key
is in conflict when its candidates cannot all be true (macros/reconcile.sql: exact figures or stated
changes that differ beyond the tolerances in dbt_project.yml, or a bound or rounding an exact figure
contradicts). Incremental by key fingerprint
(macros/incremental.sql): a build re-ranks only the keys whose candidates changed. -#}
{{ config(
    materialized = 'incremental',
    incremental_strategy = 'append',
    on_schema_change = 'fail',
    pre_hook = "{{ delete_stale_fingerprints(this, 'key_fingerprint', current_key_fingerprints_sql()) }}"
) }}

with fingerprints as (
    {{ current_key_fingerprints_sql() }}
),

todo as (
    select
        fp.metric_id,
        fp.key_fingerprint
    from fingerprints as fp
    {%- if is_incremental() %}
        where fp.key_fingerprint not in (select t.key_fingerprint from {{ this }} as t)
    {%- endif %}
),

ranked as (
    select
        c.*,
        todo.key_fingerprint,
        row_number() over (
            partition by c.metric_id
            order by
                c.value is null, coalesce(c.qualifier, 'exact') <> 'exact', c.authority_rank asc,
                c.published desc nulls last,
                c.doc_id asc, c.fact_idx asc
        ) as candidate_rank
    from {{ ref('int_facts_current') }} as c
    inner join todo on c.metric_id = todo.metric_id
),

per_key as (
    select
        metric_id,
        count(*) as n_candidates,
        count(distinct source) as n_sources,
        count(distinct doc_id) as n_articles,
        min(value) as min_value,
        max(value) as max_value,
        min(value) filter (where coalesce(qualifier, 'exact') = 'exact') as min_exact,
        max(value) filter (where coalesce(qualifier, 'exact') = 'exact') as max_exact,
        max(value) filter (where qualifier = 'over') as max_over,
        min(value) filter (where qualifier = 'under') as min_under,
        min(value) filter (where qualifier = 'approx') as min_approx,
        max(value) filter (where qualifier = 'approx') as max_approx,
        min(change_value) as min_change_value,
        max(change_value) as max_change_value,
        any_value(unit) as unit
    from ranked
    group by metric_id
),

flagged as (
    select
        *,
        {{ candidates_conflict('unit') }}
        or {{ conflict_between('min_change_value', 'max_change_value', 'unit') }} as has_conflict
    from per_key
)

select
    r.*,
    k.n_candidates,
    k.n_sources,
    k.n_articles,
    k.has_conflict,
    k.min_value,
    k.max_value
from ranked as r
inner join flagged as k on r.metric_id = k.metric_id
