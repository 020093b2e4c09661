-- One row per attack incident an article tells (extract/attacks.py), with its evidence passage.
with source as (
    select * from {{ source('raw', 'attack_claims') }}
),

renamed as (
    select
        article_id,
        incident_no,
        event_date,
        date_precision,
        place_id,
        place_name,
        place_level,
        admin1,
        country_iso3,
        latitude,
        longitude,
        perpetrator_actor_id,
        perpetrator_name,
        perpetrator_attribution,
        target,
        weapons,
        killed_low,
        killed_best,
        killed_high,
        wounded_low,
        wounded_best,
        wounded_high,
        victim_nationalities,
        sentence_no,
        char_start,
        char_end,
        evidence_text,
        passage_count,
        confidence
    from source
)

select * from renamed
