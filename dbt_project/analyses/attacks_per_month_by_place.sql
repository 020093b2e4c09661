-- Attacks per month by place: how many attack incidents each place saw in each calendar month, with their
-- killed and wounded (best estimates). Incidents whose date is unknown or only known to the year are left out.
select
    date_trunc('month', event_date)::date as month,
    coalesce(place_name, '(unknown place)') as place_name,
    admin1,
    count(*) as attacks,
    sum(killed_best) as killed_best,
    sum(wounded_best) as wounded_best
from marts.fct_attacks
where event_date is not null and date_precision in ('day', 'month')
group by all
order by month, attacks desc, place_name;
