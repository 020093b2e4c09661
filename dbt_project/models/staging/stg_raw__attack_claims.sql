-- One row per attack incident an article tells (extract/attacks.py), with its evidence passage.
{{ per_article_config() }}

with source as (
    {{ per_article_source('attack_claims') }}
),

renamed as (
    select
        s.article_id,
        s.incident_no,
        s.event_date,
        s.date_precision,
        s.place_id,
        s.place_name,
        s.place_level,
        s.admin1,
        s.country_iso3,
        s.latitude,
        s.longitude,
        s.perpetrator_actor_id,
        s.perpetrator_name,
        s.perpetrator_attribution,
        s.target,
        s.weapons,
        s.killed_low,
        s.killed_best,
        s.killed_high,
        s.wounded_low,
        s.wounded_best,
        s.wounded_high,
        s.victim_nationalities,
        s.sentence_no,
        s.char_start,
        s.char_end,
        s.evidence_text,
        s.passage_count,
        s.confidence,
        s.extracted_at
    from source s
)

select * from renamed
