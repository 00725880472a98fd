{#- Complete versions: one manifest per version in versions/. Only these versions are visible. -#}
-- depends_on: {{ source('lake', 'versions') }}
with raw as (
    {{ read_lake_objects(lake_glob('versions', '*.json')) }}
)

select
    regexp_extract(source_file, '([^/\\]+)\.json$', 1) as version,
    coalesce(
        json_extract_string(record, '$.cleaner_version'),
        split_part(regexp_extract(source_file, '([^/\\]+)\.json$', 1), '-', 1)
    ) as cleaner_version,
    coalesce(
        json_extract_string(record, '$.extractor_version'),
        split_part(regexp_extract(source_file, '([^/\\]+)\.json$', 1), '-', 2)
    ) as extractor_version,
    -- the writer sets created_at; the file time only stands in when a manifest lacks it
    coalesce({{ to_utc_ts("json_extract_string(record, '$.created_at')") }}, file_mtime) as created_at,
    json_extract_string(record, '$.created_at') is null as created_at_missing,
    record as manifest,
    source_file
from raw
