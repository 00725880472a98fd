{#- Who the figures are about: the nation, the 63 provinces before July 2025 and the 34 after (with the
merger mapping, so history rolls up to today's provinces through province_2025), and the districts
that facts name ("Hà Nội / Ba Đình"). -#}
with provinces as (
    select
        province,
        kind,
        province_2025,
        thads_slug,
        aliases
    from {{ ref('stg_provinces') }}
),

province_rows as (
    select
        'province' as scope_level,
        p.province as scope_name,
        p.province,
        p.kind,
        true as existed_before_2025,
        p.province in (select p2.province_2025 from provinces as p2) as is_province_2025,
        p.province_2025,
        p.thads_slug,
        p.aliases
    from provinces as p
    union all
    -- 2025 provinces whose name is new (e.g. Huế)
    select distinct
        'province' as scope_level,
        p.province_2025 as scope_name,
        p.province_2025 as province,
        null as kind,
        false as existed_before_2025,
        true as is_province_2025,
        p.province_2025,
        null as thads_slug,
        '' as aliases
    from provinces as p
    where p.province_2025 not in (select p3.province from provinces as p3)
),

districts as (
    select distinct
        'district' as scope_level,
        f.scope_name,
        coalesce(pn.province, trim(split_part(f.scope_name, '/', 1))) as province
    from {{ ref('int_facts_current') }} as f
    left join {{ ref('int_province_names') }} as pn on trim(split_part(f.scope_name, '/', 1)) = pn.spelling
    where f.scope_level = 'district'
),

district_rows as (
    select
        d.scope_level,
        d.scope_name,
        d.province,
        'huyện' as kind,
        p.province is not null as existed_before_2025,
        false as is_province_2025,
        coalesce(p.province_2025, d.province) as province_2025,
        null as thads_slug,
        '' as aliases
    from districts as d
    left join provinces as p on d.province = p.province
),

national as (
    select
        'national' as scope_level,
        cast(null as varchar) as scope_name,
        cast(null as varchar) as province,
        'toàn quốc' as kind,
        true as existed_before_2025,
        false as is_province_2025,
        cast(null as varchar) as province_2025,
        cast(null as varchar) as thads_slug,
        '' as aliases
)

select
    {{ scope_id('scope_level', 'scope_name') }} as scope_id,
    scope_level,
    scope_name,
    coalesce(scope_name, 'Toàn quốc') as display_name,
    province,
    kind,
    existed_before_2025,
    is_province_2025,
    province_2025,
    thads_slug,
    aliases
from (
    select * from national
    union all
    select * from province_rows
    union all
    select * from district_rows
) as scopes
