-- Contributions by country over time: each country's reported personnel per mission, personnel type and year.
-- Within a year the latest report wins (its low/best/high range is kept); `reports` counts the statements behind it.
select
    contributor_name,
    contributor_iso3,
    mission,
    personnel_type,
    year(as_of_date) as year,
    arg_max(personnel_low, as_of_date) as personnel_low,
    arg_max(personnel_best, as_of_date) as personnel_best,
    arg_max(personnel_high, as_of_date) as personnel_high,
    max(as_of_date) as latest_report,
    count(*) as reports
from marts.fct_contributions
where as_of_date is not null
group by all
order by contributor_name, mission, personnel_type, year;
