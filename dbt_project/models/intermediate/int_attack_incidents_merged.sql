-- One row per attack incident as told by one article (stg_raw__attack_claims: the article's own
-- incident segmentation is done in extract/attacks.py), with the attack_id of the incident it
-- belongs to across articles:
--  1. incidents of the same day (day precision) whose places are the same, lie within 25 km of each
--     other, or where one is a region (place_level 'region') containing the other's town (same
--     admin1) are one attack, keyed md5('attack', place_id, event_date) with the place of the
--     group's smallest town id (else its region's), when their counts are compatible (killed and
--     wounded each within max(2, half of the largest));
--  2. anything else is md5('attack', article_id, sentence_no of the incident's evidence).
with claims as (
    select * from {{ ref('stg_raw__attack_claims') }}
),

articles as (
    select article_id, published_date from {{ ref('stg_raw__articles') }}
),

incidents as (
    select
        claims.*,
        articles.published_date,
        {{ stable_id('incident', ['claims.article_id', 'claims.incident_no']) }} as incident_id
    from claims
    inner join articles
        on claims.article_id = articles.article_id
),

placed_days as (
    select *
    from incidents
    where date_precision = 'day' and place_id is not null and place_level in ('town', 'region')
),

same_attack as (
    select
        incident.incident_id,
        other.place_id as other_place_id,
        other.place_level as other_place_level
    from placed_days as incident
    inner join placed_days as other
        on incident.event_date = other.event_date
    where incident.place_id = other.place_id
       or (
           incident.place_level = 'town' and other.place_level = 'town'
           and 2 * 6371 * asin(sqrt(
               pow(sin(radians(other.latitude - incident.latitude) / 2), 2)
               + cos(radians(incident.latitude)) * cos(radians(other.latitude))
               * pow(sin(radians(other.longitude - incident.longitude) / 2), 2)
           )) <= 25
       )
       or (incident.place_level = 'region' and other.place_level = 'town' and incident.admin1 = other.admin1)
       or (incident.place_level = 'town' and other.place_level = 'region' and incident.admin1 = other.admin1)
),

keyed as (
    select
        incidents.*,
        case when key_places.key_place_id is not null
            then {{ stable_id('attack', ['key_places.key_place_id', 'incidents.event_date']) }}
        end as merge_key
    from incidents
    left join (
        select
            incident_id,
            coalesce(min(other_place_id) filter (where other_place_level = 'town'), min(other_place_id)) as key_place_id
        from same_attack
        group by incident_id
    ) as key_places
        on incidents.incident_id = key_places.incident_id
),

group_spread as (
    select
        merge_key,
        coalesce(max(killed_best) - min(killed_best), 0) as killed_spread,
        coalesce(max(killed_best), 0) as killed_max,
        coalesce(max(wounded_best) - min(wounded_best), 0) as wounded_spread,
        coalesce(max(wounded_best), 0) as wounded_max
    from keyed
    where merge_key is not null
    group by merge_key
)

select
    keyed.* exclude (merge_key),
    case
        when group_spread.merge_key is not null
            and group_spread.killed_spread <= greatest(2, group_spread.killed_max / 2)
            and group_spread.wounded_spread <= greatest(2, group_spread.wounded_max / 2)
            then keyed.merge_key
        else {{ stable_id('attack', ['keyed.article_id', 'keyed.sentence_no']) }}
    end as attack_id
from keyed
left join group_spread
    on keyed.merge_key = group_spread.merge_key
