{#- Incremental reconciliation by fingerprints.

A document's fingerprint digests the lake files of its current version (path, mtime, size) and the
reference data (province names, source authority). int_facts_current keeps each row's doc_fingerprint;
a build deletes the rows whose fingerprint is no longer current (changed, superseded or deleted
documents) and inserts the documents whose current fingerprint it does not hold. int_facts_ranked does
the same per key (metric_id) with a fingerprint of the key's candidates, so a daily build re-ranks only
the keys that the day's documents touch. Rows carry no timestamps of the build, so an incremental build
and a full refresh produce the same tables. Changing the conflict tolerances needs --full-refresh. -#}

{% macro reference_fingerprint_sql() %}
    select md5(
        coalesce((
            select string_agg(concat_ws(',', p.province, p.province_2025, p.aliases), ';' order by p.province)
            from {{ ref('stg_provinces') }} as p
        ), '')
        || '|'
        || coalesce((
            select string_agg(concat_ws(',', s.source, s.authority_rank, s.kind), ';' order by s.source)
            from {{ ref('source_registry') }} as s
        ), '')
    ) as reference_fingerprint
{% endmacro %}

{% macro current_doc_fingerprints_sql() %}
    select
        f.doc_id,
        md5(concat_ws('|',
            f.doc_id,
            any_value(r.reference_fingerprint),
            array_to_string(list_sort(list_distinct(list(
                f.source_file || '@' || cast(f.file_mtime as varchar) || '#' || cast(f.file_size as varchar)
            ))), ',')
        )) as doc_fingerprint
    from {{ ref('stg_facts') }} as f
    inner join {{ ref('int_doc_versions') }} as v
        on f.doc_id = v.doc_id and f.version = v.version and v.version_rank = 1
    cross join ({{ reference_fingerprint_sql() }}) as r
    group by f.doc_id
{% endmacro %}

{% macro current_key_fingerprints_sql() %}
    select
        c.metric_id,
        md5(c.metric_id || '|' || array_to_string(list_sort(list(
            c.doc_fingerprint || ':' || cast(c.fact_idx as varchar)
        )), ',')) as key_fingerprint
    from {{ ref('int_facts_current') }} as c
    group by c.metric_id
{% endmacro %}

{#- Pre-hook: drop the rows whose fingerprint is no longer among the current ones. -#}
{% macro delete_stale_fingerprints(relation, column, current_sql) %}
    {%- if is_incremental() -%}
        delete from {{ relation }}
        where {{ column }} not in (select cur.{{ column }} from ({{ current_sql }}) as cur)
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
