{#- The same period one year earlier. A period ending on a month's last day maps to that month's last
day a year before, so 5 months to 2024-02-29 compare with 5 months to 2023-02-28 (and back). -#}
{% macro prior_year_end(col) -%}
    case
        when {{ col }} = last_day({{ col }}) then last_day(cast({{ col }} - interval 1 year as date))
        else cast({{ col }} - interval 1 year as date)
    end
{%- endmacro %}

{% macro prior_year_start(col) -%}
    cast({{ col }} - interval 1 year as date)
{%- endmacro %}

{#- Statistical year of a date: year Y runs from 1 October Y-1 to 30 September Y. -#}
{% macro stat_year_of(col) -%}
    (year({{ col }}) + case when month({{ col }}) >= 10 then 1 else 0 end)
{%- endmacro %}
