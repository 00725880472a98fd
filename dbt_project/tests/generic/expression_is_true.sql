{#- Every row satisfies `expression`; the failing rows are the test's result. -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endtest %}
