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

{#- True when a key's candidates cannot all be true. Exact figures conflict when they differ beyond
rounding (conflict_between). A bound ("hơn X" = over, "dưới X" = under) conflicts only with an exact
figure on the wrong side of it, and a rounded figure ("gần X", "khoảng X" = approx) only with an exact
figure further away than conflict_approx_rel_tol (or conflict_approx_pp_tol points for rates): a press
headline's "hơn 14 nghìn việc" agrees with the agency's 14.175 việc. Arguments are per-key aggregates
computed by int_facts_ranked. -#}
{% macro candidates_conflict(unit) -%}
    (
        {{ conflict_between('min_exact', 'max_exact', unit) }}
        or coalesce(
            case
                when {{ unit }} = 'percent'
                    then max_over > min_exact + {{ var('conflict_pp_tol') }}
                    or min_under < max_exact - {{ var('conflict_pp_tol') }}
                    or min_approx < min_exact - {{ var('conflict_approx_pp_tol') }}
                    or max_approx > max_exact + {{ var('conflict_approx_pp_tol') }}
                else max_over > min_exact * (1 + {{ var('conflict_rel_tol') }})
                    or min_under < max_exact * (1 - {{ var('conflict_rel_tol') }})
                    or min_approx < min_exact * (1 - {{ var('conflict_approx_rel_tol') }})
                    or max_approx > max_exact * (1 + {{ var('conflict_approx_rel_tol') }})
            end,
            false
        )
        -- With no exact figure, rounded figures still conflict when they disagree beyond rounding.
        or (min_exact is null and coalesce(
                case
                    when {{ unit }} = 'percent' then max_approx - min_approx > {{ var('conflict_approx_pp_tol') }}
                    else max_approx - min_approx > {{ var('conflict_approx_rel_tol') }} * max_approx
                end,
                false
            ))
    )
{%- endmacro %}
