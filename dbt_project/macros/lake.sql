{#- Reading the lake (files written by scrapers/lake.py).

Staging models read lake files through these macros rather than selecting the dbt source directly:
- an empty lake, or a dataset with no files yet, must build (DuckDB's read_json fails on a glob that
  matches nothing, so we check the glob first and emit a typed empty select instead);
- incremental staging models read only files that are new or changed since the last build (by path,
  mtime and size), so the daily cost follows what landed that day, not the size of history.
The sources in _lake__sources.yml describe the same globs (lineage, docs, `dbt source freshness`).
-#}

{% macro lake_dir() -%}
    {{- env_var('THADS_LAKE_DIR', '../data/lake') | replace('\\', '/') -}}
{%- endmacro %}

{% macro lake_glob(dataset, pattern) -%}
    {{- lake_dir() ~ '/' ~ dataset ~ '/' ~ pattern -}}
{%- endmacro %}

{% macro sql_str(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- Files of `glob` to read in this build: all of them (as the glob itself) on a full build, only
new or changed ones on an incremental build. Returns a list of path strings (maybe empty). -#}
{% macro lake_files_to_read(glob, relation=none) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if relation is not none -%}
        {%- set q -%}
            select b.filename
            from read_blob({{ sql_str(glob) }}) as b
            left join (select distinct source_file, file_mtime, file_size from {{ relation }}) as t
                on t.source_file = b.filename and t.file_mtime = b.last_modified and t.file_size = b.size
            where t.source_file is null
            order by b.filename
        {%- endset -%}
        {%- set changed = run_query(q).columns[0].values() | list -%}
        {#- a replay can rewrite most of the lake: past this many files, naming each one in the SQL costs
        more than reading the glob and keeping the changed files' rows (read_lake_jsonl's join) -#}
        {%- if changed | length > var('max_listed_files', 2000) -%}
            {{ return([glob]) }}
        {%- endif -%}
        {{ return(changed) }}
    {%- endif -%}
    {%- set n = run_query("select count(*) from glob(" ~ sql_str(glob) ~ ")").columns[0].values()[0] -%}
    {{ return([glob] if n > 0 else []) }}
{% endmacro %}

{#- A select over newline-delimited JSON files with every column read as declared (VARCHAR by
default, so that one odd value cannot fail the read: staging casts with try_cast and reports what
did not parse). Adds source_file, file_mtime, file_size. -#}
{% macro read_lake_jsonl(glob, columns, files) %}
    {%- if files | length > 0 %}
        select
            {%- for name in columns %}
            j."{{ name }}",
            {%- endfor %}
            j.filename as source_file,
            b.last_modified as file_mtime,
            b.size as file_size
        from read_json(
            [{% for f in files %}{{ sql_str(f) }}{% if not loop.last %}, {% endif %}{% endfor %}],
            columns = {
                {%- for name, typ in columns.items() %}
                '{{ name }}': '{{ typ }}'{% if not loop.last %},{% endif %}
                {%- endfor %}
            },
            format = 'newline_delimited',
            hive_partitioning = false,
            filename = true,
            maximum_object_size = 67108864
        ) as j
        inner join read_blob({{ sql_str(glob) }}) as b on j.filename = b.filename
    {%- else %}
        select
            {%- for name, typ in columns.items() %}
            cast(null as {{ typ }}) as "{{ name }}",
            {%- endfor %}
            cast(null as varchar) as source_file,
            cast(null as timestamp with time zone) as file_mtime,
            cast(null as bigint) as file_size
        where false
    {%- endif %}
{% endmacro %}

{#- Single-record JSON files (quarantine, drift, runs, versions), read whole as JSON so that extra or
missing fields never fail the read; staging picks fields with json_extract_string. -#}
{% macro read_lake_objects(glob) %}
    {%- set files = lake_files_to_read(glob) -%}
    {%- if files | length > 0 %}
        select
            j.json as record,
            j.filename as source_file,
            b.last_modified as file_mtime,
            b.size as file_size
        from read_json_objects({{ sql_str(glob) }}, format = 'auto', filename = true) as j
        inner join read_blob({{ sql_str(glob) }}) as b on j.filename = b.filename
    {%- else %}
        select
            cast(null as json) as record,
            cast(null as varchar) as source_file,
            cast(null as timestamp with time zone) as file_mtime,
            cast(null as bigint) as file_size
        where false
    {%- endif %}
{% endmacro %}

{#- Post-hook for incremental staging models: drop rows of files that are no longer in the lake. -#}
{% macro lake_prune_deleted(relation, glob) %}
    delete from {{ relation }}
    where source_file not in (select file from glob({{ sql_str(glob) }}))
{% endmacro %}

{#- The version directory (V in .../version=V/...) of a lake path. -#}
{% macro version_from_path(col) -%}
    nullif(regexp_extract({{ col }}, 'version=([^/\\]+)', 1), '')
{%- endmacro %}

{#- The partition source (S in .../source=S/...) of a lake path. -#}
{% macro source_from_path(col) -%}
    nullif(regexp_extract({{ col }}, 'source=([^/\\]+)', 1), '')
{%- endmacro %}
