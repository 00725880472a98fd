{#- Every article record of every landed version, typed. Incremental like stg_facts. -#}
{{ config(
    materialized = 'incremental',
    incremental_strategy = 'delete+insert',
    on_schema_change = 'fail',
    unique_key = 'source_file',
    post_hook = "{{ lake_prune_deleted(this, lake_glob('articles', 'version=*/source=*/*.jsonl')) }}"
) }}
-- depends_on: {{ source('lake', 'articles') }}
{%- set glob = lake_glob('articles', 'version=*/source=*/*.jsonl') %}
{%- set files = lake_files_to_read(glob, this if is_incremental() else none) %}

with raw as (
    {{ read_lake_jsonl(glob, lake_article_columns(), files) }}
)

select
    doc_id,
    coalesce(source, {{ source_from_path('source_file') }}) as source,
    url,
    nullif(trim(subsite), '') as subsite,
    title,
    coalesce(try_cast(published as date), cast(try_cast(published as timestamp) as date)) as published,
    text,
    length(text) as text_chars,
    content_hash,
    raw_sha256,
    cleaner_version,
    extractor_version,
    coalesce({{ version_from_path('source_file') }}, cleaner_version || '-' || extractor_version) as version,
    try_cast(n_facts as integer) as n_facts,
    {{ to_utc_ts('fetched_at') }} as fetched_at,
    source_file,
    file_mtime,
    file_size
from raw
