{#- Vocabularies of scrapers/facts_schema.py (tests/test_warehouse_schema.py checks they match). -#}
{% macro vocab(name) -%}
    {%- set v = {
        'metric': ['total', 'carried_over', 'new', 'enforceable', 'unenforceable', 'completed',
                   'completion_rate', 'remaining', 'target_rate', 'staff', 'cases_per_enforcer', 'tracked'],
        'unit': ['cases', 'vnd', 'percent', 'judgments', 'persons'],
        'basis': ['cases', 'money'],
        'qualifier': ['exact', 'approx', 'over', 'under'],
        'scope_level': ['national', 'province', 'district'],
        'domain': ['civil', 'administrative'],
        'category': ['all', 'corruption_economic', 'credit_banking', 'state_budget'],
    } -%}
    {{ return(v[name]) }}
{%- endmacro %}

{% macro in_vocab(col, name) -%}
    {{ col }} in ({% for x in vocab(name) %}'{{ x }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
