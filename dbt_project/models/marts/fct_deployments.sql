-- One row per (contingent or unit, place, article): a force placed somewhere by an article.
-- Relational assembly of the deployment claims (stg_raw__deployment_claims, decided in Python): one row
-- per key (article, contributor, mission, unit type, place) from its most confident claim, personnel
-- from the most confident claim that counts it, names from the countries, actors and places.
with claims as (
    select
        *,
        {{ stable_id('deployment', ['article_id', 'contributor_iso3', 'mission_actor_id', 'unit_type', 'place_id']) }}
            as deployment_id
    from {{ ref('stg_raw__deployment_claims') }}
),

counted as (
    select
        deployment_id,
        arg_max(personnel_low, [confidence, -sentence_no]) as personnel_low,
        arg_max(personnel_best, [confidence, -sentence_no]) as personnel_best,
        arg_max(personnel_high, [confidence, -sentence_no]) as personnel_high
    from claims
    where personnel_best is not null
    group by deployment_id
),

best as (
    select *
    from claims
    qualify row_number() over (
        partition by deployment_id order by confidence desc, sentence_no, place_char_start
    ) = 1
)

select
    best.deployment_id,
    best.contributor_iso3,
    countries.country_name as contributor_name,
    best.mission_actor_id,
    missions.name as mission,
    best.unit_type,
    best.personnel_type,
    best.place_id,
    places.place_name,
    places.admin1,
    places.country_iso3,
    places.latitude,
    places.longitude,
    counted.personnel_low,
    counted.personnel_best,
    counted.personnel_high,
    best.as_of_date,
    best.date_precision,
    best.as_of_date_source,
    best.article_id,
    best.sentence_no,
    best.evidence_text,
    best.char_start,
    best.char_end,
    best.confidence
from best
left join counted
    on best.deployment_id = counted.deployment_id
left join {{ ref('int_country_names') }} as countries
    on best.contributor_iso3 = countries.country_iso3
left join {{ ref('actors') }} as missions
    on best.mission_actor_id = missions.actor_id
left join {{ ref('dim_places') }} as places
    on best.place_id = places.place_id
