{#- Pages the crawler could not use, with the reason. -#}
-- depends_on: {{ source('lake', 'quarantine') }}
with raw as (
    {{ read_lake_objects(lake_glob('quarantine', 'source=*/*.json')) }}
)

select
    regexp_extract(source_file, '([^/\\]+)\.json$', 1) as quarantine_key,
    coalesce(json_extract_string(record, '$.source'), {{ source_from_path('source_file') }}) as source,
    json_extract_string(record, '$.url') as url,
    coalesce(json_extract_string(record, '$.reason'), 'unknown') as reason,
    json_extract_string(record, '$.detail') as detail,
    try_cast(json_extract_string(record, '$.status') as integer) as http_status,
    record,
    file_mtime as quarantined_at,
    source_file
from raw
