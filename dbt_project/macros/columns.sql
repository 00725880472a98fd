{#- Record layouts of the lake datasets (docs/architecture.md). Everything is read as VARCHAR and cast
in staging with try_cast, so one malformed value is reported instead of failing the whole read. -#}

{% macro lake_fact_columns() -%}
    {%- set names = ['doc_id', 'source', 'url', 'published', 'fact_idx', 'cleaner_version',
                     'extractor_version', 'metric', 'unit', 'basis', 'value', 'qualifier',
                     'change_value', 'change_pct', 'compared_to', 'period_start', 'period_end',
                     'period_label', 'scope_level', 'scope_name', 'domain', 'category', 'quote',
                     'char_start', 'char_end'] -%}
    {%- set cols = {} -%}
    {%- for n in names -%}{%- do cols.update({n: 'VARCHAR'}) -%}{%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro lake_article_columns() -%}
    {%- set names = ['doc_id', 'source', 'url', 'subsite', 'title', 'published', 'text', 'content_hash',
                     'raw_sha256', 'cleaner_version', 'extractor_version', 'n_facts', 'fetched_at'] -%}
    {%- set cols = {} -%}
    {%- for n in names -%}{%- do cols.update({n: 'VARCHAR'}) -%}{%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{% macro varchar_columns(names) -%}
    {%- set cols = {} -%}
    {%- for n in names -%}{%- do cols.update({n: 'VARCHAR'}) -%}{%- endfor -%}
    {{ return(cols) }}
{%- endmacro %}

{#- ISO timestamp text (with or without zone; naive means UTC) -> timestamptz, null when unreadable. -#}
{% macro to_utc_ts(col) -%}
    coalesce(
        try_cast({{ col }} as timestamp with time zone),
        try_cast(try_cast({{ col }} as timestamp) as timestamp with time zone)
    )
{%- endmacro %}
