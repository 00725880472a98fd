{#- Keys shared by several models, so joins agree on them. -#}

{#- The natural key of a figure: the fact table's grain. Nulls (national scope, non-rate basis)
become '' so that equal keys compare equal. -#}
{% macro metric_key_cols() -%}
    {{ return(['scope_level', 'scope_name', 'period_start', 'period_end', 'domain', 'category',
               'metric', 'unit', 'basis']) }}
{%- endmacro %}

{% macro metric_id(prefix='') -%}
    md5(concat_ws('|'
        {%- for c in metric_key_cols() %},
        coalesce(cast({{ prefix }}{{ c }} as varchar), '')
        {%- endfor %}))
{%- endmacro %}

{% macro scope_id(level, name) -%}
    md5(concat_ws('|', {{ level }}, coalesce({{ name }}, '')))
{%- endmacro %}

