{#- Per pair of consecutive versions: how many documents moved and how many of their facts were added,
removed, changed or unchanged. -#}
with docs as (
    select
        previous_version as from_version,
        version as to_version,
        count(*) as n_documents
    from {{ ref('int_doc_versions') }}
    where previous_version is not null
    group by previous_version, version
),

facts as (
    select
        from_version,
        to_version,
        count(*) filter (where change_type = 'added') as n_added,
        count(*) filter (where change_type = 'removed') as n_removed,
        count(*) filter (where change_type = 'changed') as n_changed,
        count(*) filter (where change_type = 'unchanged') as n_unchanged,
        count(distinct doc_id) filter (where change_type <> 'unchanged') as n_documents_changed
    from {{ ref('int_fact_version_compare') }}
    group by from_version, to_version
)

select
    d.from_version,
    d.to_version,
    cast(d.n_documents as bigint) as n_documents,
    cast(coalesce(f.n_documents_changed, 0) as bigint) as n_documents_changed,
    cast(coalesce(f.n_added, 0) as bigint) as n_added,
    cast(coalesce(f.n_removed, 0) as bigint) as n_removed,
    cast(coalesce(f.n_changed, 0) as bigint) as n_changed,
    cast(coalesce(f.n_unchanged, 0) as bigint) as n_unchanged
from docs as d
left join facts as f on d.from_version = f.from_version and d.to_version = f.to_version
