{#- Profile selectors that matched nothing on a page (site layout drift). -#}
-- depends_on: {{ source('lake', 'drift') }}
with raw as (
    {{ read_lake_objects(lake_glob('drift', 'source=*/*.json')) }}
)

select
    regexp_extract(source_file, '([^/\\]+)\.json$', 1) as drift_key,
    coalesce(json_extract_string(record, '$.source'), {{ source_from_path('source_file') }}) as source,
    json_extract_string(record, '$.url') as url,
    json_extract_string(record, '$.selector') as selector,
    json_extract_string(record, '$.field') as field,
    record,
    file_mtime as detected_at,
    source_file
from raw
