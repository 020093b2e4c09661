-- One row per (article, sentence, contributor, mission) a sentence states: a contribution claim.
with source as (
    select * from {{ source('raw', 'contribution_claims') }}
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
        personnel_low,
        personnel_best,
        personnel_high,
        personnel_type,
        is_ceiling,
        assets,
        as_of_date,
        date_precision,
        as_of_date_source,
        trigger,
        evidence_text,
        char_start,
        char_end,
        confidence
    from source
)

select * from renamed
