{#- Every spelling of a province the extractor's table knows (name, aliases, 2025 name) -> canonical name. -#}
with names as (
    select
        province as spelling,
        province
    from {{ ref('stg_provinces') }}
    union
    select
        trim(a.alias) as spelling,
        p.province
    from {{ ref('stg_provinces') }} as p,
        unnest(string_split(p.aliases, '|')) as a (alias)
    where trim(a.alias) <> ''
    union
    -- a 2025 name that is not itself a pre-2025 province (e.g. Huế) names the 2025 province
    select
        province_2025 as spelling,
        province_2025 as province
    from {{ ref('stg_provinces') }}
    where province_2025 not in (select p0.province from {{ ref('stg_provinces') }} as p0)
)

-- an alias shared by two provinces is ambiguous: keep the name only when it is a province's own name
select
    spelling,
    min(province) as province
from names
group by spelling
having count(distinct province) = 1 or bool_or(spelling = province)
