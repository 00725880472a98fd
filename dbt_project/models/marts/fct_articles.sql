{#- One row per document: its newest complete version's article record and how its facts fared. -#}
with current_versions as (
    select
        doc_id,
        version,
        version_created_at
    from {{ ref('int_doc_versions') }}
    where version_rank = 1
),

articles as (
    select
        a.*,
        cv.version_created_at
    from {{ ref('stg_articles') }} as a
    inner join current_versions as cv on a.doc_id = cv.doc_id and a.version = cv.version
    qualify row_number() over (partition by a.doc_id order by a.source_file) = 1
),

facts as (
    select
        f.doc_id,
        count(*) as n_facts_landed,
        count(*) filter (where f.problems is not null) as n_facts_rejected
    from {{ ref('stg_facts') }} as f
    inner join current_versions as cv on f.doc_id = cv.doc_id and f.version = cv.version
    group by f.doc_id
),

chosen as (
    select
        doc_id,
        count(*) as n_facts_chosen
    from {{ ref('int_facts_ranked') }}
    where candidate_rank = 1
    group by doc_id
)

select
    a.doc_id,
    a.source,
    a.url,
    a.subsite,
    a.title,
    a.published,
    a.content_hash,
    a.raw_sha256,
    a.text_chars,
    a.version,
    a.cleaner_version,
    a.extractor_version,
    a.version_created_at,
    a.fetched_at,
    a.n_facts,
    cast(coalesce(f.n_facts_landed, 0) as bigint) as n_facts_landed,
    cast(coalesce(f.n_facts_rejected, 0) as bigint) as n_facts_rejected,
    cast(coalesce(c.n_facts_chosen, 0) as bigint) as n_facts_chosen
from articles as a
left join facts as f on a.doc_id = f.doc_id
left join chosen as c on a.doc_id = c.doc_id
