{#- Each metric's definition in Vietnamese and English, its units and cues (seed metric_definitions). -#}
select
    metric,
    name_vi,
    name_en,
    definition_vi,
    definition_en,
    units,
    cast(is_additive as boolean) as is_additive,
    cues_vi
from {{ ref('metric_definitions') }}
