{#- Each document's facts in a version next to its facts in the version before (by manifest created_at),
matched on the fact's key and its occurrence within the article. Only documents with more than one
visible version are read, so the cost follows what replays touched, not the whole history. -#}
with multi_version_docs as (
    select distinct doc_id
    from {{ ref('int_doc_versions') }}
    where previous_version is not null
),

facts as (
    select
        doc_id,
        version,
        {{ metric_id() }} as metric_id,
        row_number() over (
            partition by doc_id, version, {{ metric_key_cols() | join(', ') }}
            order by char_start, fact_idx
        ) as occurrence,
        {{ metric_key_cols() | join(', ') }},
        value,
        qualifier,
        change_value,
        change_pct,
        compared_to,
        quote,
        problems
    from {{ ref('stg_facts') }}
    where doc_id in (select m.doc_id from multi_version_docs as m)
),

pairs as (
    select
        doc_id,
        previous_version as from_version,
        version as to_version
    from {{ ref('int_doc_versions') }}
    where previous_version is not null
),

old_side as (
    select
        p.from_version,
        p.to_version,
        f.*
    from pairs as p
    inner join facts as f on p.doc_id = f.doc_id and p.from_version = f.version
),

new_side as (
    select
        p.from_version,
        p.to_version,
        f.*
    from pairs as p
    inner join facts as f on p.doc_id = f.doc_id and p.to_version = f.version
)

select
    coalesce(n.doc_id, o.doc_id) as doc_id,
    coalesce(n.from_version, o.from_version) as from_version,
    coalesce(n.to_version, o.to_version) as to_version,
    coalesce(n.metric_id, o.metric_id) as metric_id,
    coalesce(n.occurrence, o.occurrence) as occurrence,
    {%- for c in metric_key_cols() %}
        coalesce(n.{{ c }}, o.{{ c }}) as {{ c }},
    {%- endfor %}
    case
        when o.doc_id is null then 'added'
        when n.doc_id is null then 'removed'
        when
            {{ differs('o.value', 'n.value') }}
            or {{ differs('o.qualifier', 'n.qualifier') }}
            or {{ differs('o.change_value', 'n.change_value') }}
            or {{ differs('o.change_pct', 'n.change_pct') }}
            or {{ differs('o.compared_to', 'n.compared_to') }}
            or {{ differs('o.quote', 'n.quote') }}
            or {{ differs('o.problems', 'n.problems') }} then 'changed'
        else 'unchanged'
    end as change_type,
    o.value as old_value,
    n.value as new_value,
    o.qualifier as old_qualifier,
    n.qualifier as new_qualifier,
    o.change_value as old_change_value,
    n.change_value as new_change_value,
    o.change_pct as old_change_pct,
    n.change_pct as new_change_pct,
    o.compared_to as old_compared_to,
    n.compared_to as new_compared_to,
    o.quote as old_quote,
    n.quote as new_quote,
    o.problems as old_problems,
    n.problems as new_problems
from old_side as o
full outer join new_side as n
    on
        o.doc_id = n.doc_id
        and o.from_version = n.from_version
        and o.to_version = n.to_version
        and o.metric_id = n.metric_id
        and o.occurrence = n.occurrence
