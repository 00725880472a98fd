{#- What changed in each document's facts from one complete version to the next: facts added, removed
and changed (unchanged facts are counted in fct_version_diff_summary, not listed). -#}
select
    md5(concat_ws('|', doc_id, from_version, to_version, metric_id, occurrence)) as diff_id,
    doc_id,
    from_version,
    to_version,
    metric_id,
    cast(occurrence as bigint) as occurrence,
    {%- for c in metric_key_cols() %}
        {{ c }},
    {%- endfor %}
    change_type,
    old_value,
    new_value,
    old_qualifier,
    new_qualifier,
    old_change_value,
    new_change_value,
    old_change_pct,
    new_change_pct,
    old_compared_to,
    new_compared_to,
    old_quote,
    new_quote,
    old_problems,
    new_problems
from {{ ref('int_fact_version_compare') }}
where change_type <> 'unchanged'
