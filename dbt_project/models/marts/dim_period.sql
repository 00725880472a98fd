{#- The THADS statistical-year calendar (year Y = 1 Oct Y-1 .. 30 Sep Y): years, halves, quarters and
the N-month cumulative periods reports use, plus any other period facts state; each with the same
period a year before. One row per (period_start, period_end). -#}
with month_numbers as (
    select unnest(range(1, 13)) as n
),

years as (
    select unnest(range({{ var('calendar_first_year') }}, {{ var('calendar_last_year') }} + 1)) as stat_year
),

cumulative as (
    -- first N months of the statistical year, N = 1..12 (12 = the year, 6 = first half, 3 = quarter I)
    select
        y.stat_year,
        make_date(y.stat_year - 1, 10, 1) as period_start,
        last_day(cast(make_date(y.stat_year - 1, 10, 1) + to_months(m.n - 1) as date)) as period_end,
        m.n as n_months,
        case m.n when 12 then 'year' when 6 then 'half' when 3 then 'quarter' else 'months' end
            as period_kind,
        case m.n
            when 12 then 'năm ' || y.stat_year
            when 6 then '6 tháng đầu năm ' || y.stat_year
            when 3 then 'quý I năm ' || y.stat_year
            else m.n || ' tháng đầu năm ' || y.stat_year
        end as label_vi
    from years as y
    cross join month_numbers as m
),

later_quarters as (
    select
        y.stat_year,
        cast(make_date(y.stat_year - 1, 10, 1) + to_months(3 * (q.n - 1)) as date) as period_start,
        last_day(cast(make_date(y.stat_year - 1, 10, 1) + to_months(3 * q.n - 1) as date)) as period_end,
        3 as n_months,
        'quarter' as period_kind,
        'quý ' || q.roman || ' năm ' || y.stat_year as label_vi
    from years as y
    cross join (values (2, 'II'), (3, 'III'), (4, 'IV')) as q (n, roman)
),

second_halves as (
    select
        stat_year,
        make_date(stat_year, 4, 1) as period_start,
        make_date(stat_year, 9, 30) as period_end,
        6 as n_months,
        'half' as period_kind,
        '6 tháng cuối năm ' || stat_year as label_vi
    from years
),

calendar as (
    select * from cumulative
    union all
    select * from later_quarters
    union all
    select * from second_halves
),

observed as (
    -- periods facts state that the calendar does not have (e.g. "từ 1/10/2020 đến 15/5/2021")
    select
        period_start,
        period_end,
        mode(period_label) as observed_label
    from {{ ref('int_facts_current') }}
    group by period_start, period_end
),

other as (
    select
        {{ stat_year_of('o.period_end') }} as stat_year,
        o.period_start,
        o.period_end,
        cast(null as integer) as n_months,
        'other' as period_kind,
        coalesce(
            o.observed_label,
            'từ ' || strftime(o.period_start, '%d/%m/%Y') || ' đến ' || strftime(o.period_end, '%d/%m/%Y')
        ) as label_vi
    from observed as o
    left join calendar as c on o.period_start = c.period_start and o.period_end = c.period_end
    where c.period_start is null
),

all_periods as (
    select * from calendar
    union all
    select * from other
)

select
    period_start,
    period_end,
    period_kind,
    cast(stat_year as integer) as stat_year,
    cast(n_months as integer) as n_months,
    label_vi,
    {{ prior_year_start('period_start') }} as prior_period_start,
    {{ prior_year_end('period_end') }} as prior_period_end,
    period_start = make_date(cast(stat_year as integer) - 1, 10, 1) as is_year_to_date
from all_periods
