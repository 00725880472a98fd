{#- Facts of current versions that the warehouse could not use, with the reason: nothing is dropped
silently. -#}
select
    f.doc_id,
    f.fact_idx,
    f.source,
    f.url,
    f.version,
    f.metric,
    f.unit,
    f.scope_level,
    f.scope_name,
    f.quote,
    f.problems,
    f.source_file
from {{ ref('stg_facts') }} as f
inner join {{ ref('int_doc_versions') }} as v
    on f.doc_id = v.doc_id and f.version = v.version and v.version_rank = 1
where f.problems is not null
