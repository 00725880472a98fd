{#- True when two figures of the same unit disagree beyond rounding: percentage points for rates,
relative difference for counts and money. Null-safe (false when either side is null). -#}
{% macro conflict_between(lo, hi, unit) -%}
    coalesce(
        case
            when {{ unit }} = 'percent' then ({{ hi }} - {{ lo }}) > {{ var('conflict_pp_tol') }}
            else ({{ hi }} - {{ lo }}) > {{ var('conflict_rel_tol') }} * greatest(abs({{ hi }}), abs({{ lo }}))
        end,
        false
    )
{%- endmacro %}

{#- Null-safe inequality (sqlfluff cannot parse IS DISTINCT FROM). -#}
{% macro differs(a, b) -%}
    coalesce({{ a }} <> {{ b }}, ({{ a }} is null) <> ({{ b }} is null))
{%- endmacro %}
