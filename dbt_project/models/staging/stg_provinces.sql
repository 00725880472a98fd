{#- The province table of the extractor package (scrapers/extract/data/provinces.csv): the 63 provinces
before July 2025 and, through merged_into, the 34 after. -#}
select
    trim(name) as province,
    trim(kind) as kind,
    trim(merged_into) as province_2025,
    lower(trim(cast(exists_after_2025 as varchar))) in ('true', '1', 'yes') as exists_after_2025,
    nullif(trim(thads_slug), '') as thads_slug,
    coalesce(aliases, '') as aliases
from {{ source('reference', 'provinces') }}
