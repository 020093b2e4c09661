-- One row per (article, sentence, contributor, mission) a sentence states: a contribution claim.
{{ per_article_config() }}

with source as (
    {{ per_article_source('contribution_claims') }}
),

renamed as (
    select
        s.claim_id,
        s.article_id,
        s.sentence_no,
        s.contributor_iso3,
        s.contributor_source,
        s.mission_actor_id,
        s.mission_source,
        s.personnel_low,
        s.personnel_best,
        s.personnel_high,
        s.personnel_type,
        s.is_ceiling,
        s.assets,
        s.as_of_date,
        s.date_precision,
        s.as_of_date_source,
        s.trigger,
        s.evidence_text,
        s.char_start,
        s.char_end,
        s.confidence,
        s.extracted_at
    from source s
)

select * from renamed
