{#- Every fact of every landed version (the replay/diff models need all versions), typed. Incremental:
a build reads only fact files that are new or changed since the last build. -#}
{{ config(
    materialized = 'incremental',
    incremental_strategy = 'delete+insert',
    on_schema_change = 'fail',
    unique_key = 'source_file',
    post_hook = "{{ lake_prune_deleted(this, lake_glob('facts', 'version=*/source=*/*.jsonl')) }}"
) }}
-- depends_on: {{ source('lake', 'facts') }}
{%- set glob = lake_glob('facts', 'version=*/source=*/*.jsonl') %}
{%- set files = lake_files_to_read(glob, this if is_incremental() else none) %}

with raw as (
    {{ read_lake_jsonl(glob, lake_fact_columns(), files) }}
),

typed as (
    select
        doc_id,
        coalesce(source, {{ source_from_path('source_file') }}) as source,
        url,
        coalesce(try_cast(published as date), cast(try_cast(published as timestamp) as date)) as published,
        try_cast(fact_idx as integer) as fact_idx,
        cleaner_version,
        extractor_version,
        coalesce({{ version_from_path('source_file') }}, cleaner_version || '-' || extractor_version)
            as version,
        lower(trim(metric)) as metric,
        lower(trim(unit)) as unit,
        nullif(lower(trim(basis)), '') as basis,
        try_cast(value as double) as value,
        coalesce(nullif(lower(trim(qualifier)), ''), 'exact') as qualifier,
        try_cast(change_value as double) as change_value,
        try_cast(change_pct as double) as change_pct,
        nullif(trim(compared_to), '') as compared_to,
        try_cast(period_start as date) as period_start,
        try_cast(period_end as date) as period_end,
        nullif(trim(period_label), '') as period_label,
        lower(trim(scope_level)) as scope_level,
        nullif(trim(scope_name), '') as scope_name,
        lower(trim(domain)) as domain,
        lower(trim(category)) as category,
        quote,
        try_cast(char_start as integer) as char_start,
        try_cast(char_end as integer) as char_end,
        source_file,
        file_mtime,
        file_size,
        -- raw text kept only to say what did not parse
        value as value_text,
        change_value as change_value_text,
        change_pct as change_pct_text,
        period_start as period_start_text,
        period_end as period_end_text
    from raw
)

select
    doc_id,
    source,
    url,
    published,
    fact_idx,
    cleaner_version,
    extractor_version,
    version,
    metric,
    unit,
    basis,
    value,
    qualifier,
    change_value,
    change_pct,
    compared_to,
    period_start,
    period_end,
    period_label,
    scope_level,
    scope_name,
    domain,
    category,
    quote,
    char_start,
    char_end,
    source_file,
    file_mtime,
    file_size,
    nullif(concat_ws(
        '; ',
        case when doc_id is null then 'doc_id missing' end,
        case
            when
                not coalesce({{ in_vocab('metric', 'metric') }}, false)
                then 'metric=' || coalesce(metric, 'null')
        end,
        case
            when not coalesce({{ in_vocab('unit', 'unit') }}, false) then 'unit=' || coalesce(unit, 'null')
        end,
        case
            when unit = 'percent' and not coalesce({{ in_vocab('basis', 'basis') }}, false)
                then 'percent fact without basis'
        end,
        case when unit <> 'percent' and basis is not null then 'basis on a non-percent fact' end,
        case
            when not coalesce({{ in_vocab('qualifier', 'qualifier') }}, false) then 'qualifier=' || qualifier
        end,
        case
            when not coalesce({{ in_vocab('scope_level', 'scope_level') }}, false)
                then 'scope_level=' || coalesce(scope_level, 'null')
        end,
        case
            when scope_level in ('province', 'district') and scope_name is null then 'scope_name missing'
        end,
        case
            when
                not coalesce({{ in_vocab('domain', 'domain') }}, false)
                then 'domain=' || coalesce(domain, 'null')
        end,
        case
            when not coalesce({{ in_vocab('category', 'category') }}, false)
                then 'category=' || coalesce(category, 'null')
        end,
        case when value_text is not null and value is null then 'value not a number: ' || value_text end,
        case
            when change_value_text is not null and change_value is null
                then 'change_value not a number: ' || change_value_text
        end,
        case
            when change_pct_text is not null and change_pct is null
                then 'change_pct not a number: ' || change_pct_text
        end,
        case
            when value is null and change_value is null and change_pct is null then 'no value and no change'
        end,
        case
            when period_start is null then 'period_start unreadable: ' || coalesce(period_start_text, 'null')
        end,
        case when period_end is null then 'period_end unreadable: ' || coalesce(period_end_text, 'null') end,
        case when period_start > period_end then 'period_start after period_end' end
    ), '') as problems
from typed
