{#- One row per crawl / replay run summary (runs/<kind>/<run_id>.json); counts stay in `summary`. -#}
-- depends_on: {{ source('lake', 'runs') }}
with raw as (
    {{ read_lake_objects(lake_glob('runs', '*/*.json')) }}
)

select
    coalesce(json_extract_string(record, '$.run_id'), regexp_extract(source_file, '([^/\\]+)\.json$', 1))
        as run_id,
    regexp_extract(source_file, '([^/\\]+)[/\\][^/\\]+\.json$', 1) as run_kind,
    json_extract_string(record, '$.source') as source,
    coalesce(
        {{ to_utc_ts("json_extract_string(record, '$.started_at')") }},
        file_mtime
    ) as started_at,
    {{ to_utc_ts("json_extract_string(record, '$.finished_at')") }} as finished_at,
    record as summary,
    source_file
from raw
