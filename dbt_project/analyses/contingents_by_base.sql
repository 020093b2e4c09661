-- Contingents by base: for every place where a contingent or unit is reported, which countries have troops
-- there, in which mission and units, with the largest personnel figure reported and the latest report date.
select
    place_name,
    admin1,
    contributor_name,
    contributor_iso3,
    mission,
    string_agg(distinct unit_type, ', ' order by unit_type) as unit_types,
    max(personnel_best) as personnel_best_max,
    max(as_of_date) as latest_report,
    count(*) as reports
from marts.fct_deployments
group by all
order by place_name, personnel_best_max desc nulls last, contributor_name;
