{#- Each document's visible versions (those with a manifest), newest first by the manifest's created_at. -#}
with doc_versions as (
    select distinct
        doc_id,
        version
    from {{ ref('stg_articles') }}
    where doc_id is not null
    union
    select distinct
        doc_id,
        version
    from {{ ref('stg_facts') }}
    where doc_id is not null
)

select
    dv.doc_id,
    dv.version,
    v.cleaner_version,
    v.extractor_version,
    v.created_at as version_created_at,
    row_number() over (
        partition by dv.doc_id order by v.created_at desc, dv.version desc
    ) as version_rank,
    lag(dv.version) over (
        partition by dv.doc_id order by v.created_at asc, dv.version asc
    ) as previous_version
from doc_versions as dv
inner join {{ ref('stg_versions') }} as v on dv.version = v.version
