-- One row per attack incident (one place, one day, one event), however many sentences or articles
-- describe it. Counts keep low/best/high across sources (best = the latest published source); the
-- date is the most precise one any source gives; the place is the most precise one (a town before a
-- region), shown under the name most sources use (dim_places); evidence comes from the earliest
-- published source (its most confident passage).
with incidents as (
    select * from {{ ref('int_attack_incidents_merged') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by attack_id order by published_date nulls last, article_id, confidence desc, sentence_no
        ) as source_rank
    from incidents
),

best_place as (
    select
        attack_id,
        arg_min(place_id, [case place_level when 'town' then 0 when 'region' then 1 else 2 end, source_rank]) as place_id,
        arg_min(place_level, [case place_level when 'town' then 0 when 'region' then 1 else 2 end, source_rank]) as place_level
    from ranked
    where place_id is not null
    group by attack_id
),

merged as (
    select
        attack_id,
        count(distinct article_id) as source_count,
        min(killed_low) as killed_low,
        arg_max(killed_best, [epoch(coalesce(published_date, date '1900-01-01')), sentence_no])
            filter (where killed_best is not null) as killed_best,
        max(killed_high) as killed_high,
        min(wounded_low) as wounded_low,
        arg_max(wounded_best, [epoch(coalesce(published_date, date '1900-01-01')), sentence_no])
            filter (where wounded_best is not null) as wounded_best,
        max(wounded_high) as wounded_high,
        list_sort(list_distinct(flatten(list(victim_nationalities)))) as victim_nationalities,
        list_sort(list_distinct(flatten(list(weapons)))) as weapons,
        arg_min(perpetrator_actor_id, source_rank) filter (where perpetrator_actor_id is not null)
            as perpetrator_actor_id,
        arg_min(perpetrator_name, source_rank) filter (where perpetrator_actor_id is not null)
            as perpetrator_name,
        arg_min(perpetrator_attribution, source_rank) filter (where perpetrator_actor_id is not null)
            as perpetrator_attribution,
        arg_min(target, source_rank) filter (where target is not null) as target,
        arg_min(event_date, [case date_precision when 'day' then 0 else 1 end, source_rank])
            filter (where event_date is not null) as event_date,
        arg_min(date_precision, [case date_precision when 'day' then 0 else 1 end, source_rank])
            filter (where event_date is not null) as date_precision,
        max(confidence) as max_confidence
    from ranked
    group by attack_id
)

select
    merged.attack_id,
    merged.event_date,
    coalesce(merged.date_precision, 'unknown') as date_precision,
    best_place.place_id,
    places.place_name,
    best_place.place_level,
    places.admin1,
    places.country_iso3,
    places.latitude,
    places.longitude,
    merged.perpetrator_actor_id,
    merged.perpetrator_name,
    merged.perpetrator_attribution,
    merged.target,
    merged.victim_nationalities,
    -- the range always contains the chosen best count: when statements disagree (an early and a later
    -- toll, or two sources), low and high widen to include it; an open bound (null) stays open
    {{ bounded_low('merged.killed_low', 'merged.killed_best') }} as killed_low,
    merged.killed_best,
    {{ bounded_high('merged.killed_high', 'merged.killed_best') }} as killed_high,
    {{ bounded_low('merged.wounded_low', 'merged.wounded_best') }} as wounded_low,
    merged.wounded_best,
    {{ bounded_high('merged.wounded_high', 'merged.wounded_best') }} as wounded_high,
    merged.weapons,
    merged.source_count,
    primary_source.article_id,
    primary_source.sentence_no,
    primary_source.evidence_text,
    primary_source.char_start,
    primary_source.char_end,
    least(1.0, round(merged.max_confidence + 0.1 * (merged.source_count - 1), 2))::double as confidence
from merged
inner join ranked as primary_source
    on merged.attack_id = primary_source.attack_id
    and primary_source.source_rank = 1
left join best_place
    on merged.attack_id = best_place.attack_id
left join {{ ref('dim_places') }} as places
    on best_place.place_id = places.place_id
