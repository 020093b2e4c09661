-- One row per calendar day from the earliest to the latest date any article or event refers to
-- (publication dates, date mentions, attack dates), for joining facts by day, month or year.
with bounds as (
    select min(day) as first_day, max(day) as last_day
    from (
        select published_date as day from {{ ref('stg_raw__articles') }}
        union all
        select resolved_date from {{ ref('stg_raw__mentions') }} where mention_type = 'date'
        union all
        select date_end from {{ ref('stg_raw__mentions') }} where mention_type = 'date'
    )
    where day is not null
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as date_day
    from bounds
    where first_day is not null
)

select
    date_day,
    year(date_day) as year,
    quarter(date_day) as quarter,
    month(date_day) as month,
    monthname(date_day) as month_name,
    day(date_day) as day_of_month,
    isodow(date_day) as iso_day_of_week,
    dayname(date_day) as day_name,
    weekofyear(date_day) as iso_week,
    date_trunc('month', date_day)::date as month_start,
    date_trunc('year', date_day)::date as year_start
from days
