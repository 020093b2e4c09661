-- One row per (article, sentence, place, contributor) a sentence places: a deployment claim.
with source as (
    select * from {{ source('raw', 'deployment_claims') }}
),

renamed as (
    select
        claim_id,
        article_id,
        sentence_no,
        contributor_iso3,
        contributor_source,
        mission_actor_id,
        mission_source,
        unit_type,
        personnel_type,
        place_id,
        place_char_start,
        personnel_low,
        personnel_best,
        personnel_high,
        as_of_date,
        date_precision,
        as_of_date_source,
        anchor,
        evidence_text,
        char_start,
        char_end,
        confidence
    from source
)

select * from renamed
