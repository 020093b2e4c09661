-- One row per country of the reference seed (actor_type 'country'): ISO3 code and common name.
select
    country_iso3,
    name as country_name
from {{ ref('actors') }}
where actor_type = 'country' and country_iso3 is not null
