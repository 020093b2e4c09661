-- One row per casualty statement (extract/casualties.py): status, count bounds, victims, trigger.
{{ per_article_config() }}

with source as (
    {{ per_article_source('casualty_claims') }}
),

renamed as (
    select
        s.claim_id,
        s.article_id,
        s.incident_no,
        s.sentence_no,
        s.char_start,
        s.char_end,
        s.status,
        s.count_low,
        s.count_best,
        s.count_high,
        s.qualifier,
        s.victim_group,
        s.victim_iso3,
        s.trigger,
        s.trigger_start,
        s.mention_id,
        s.method,
        s.is_additive,
        s.is_transfer,
        s.is_aggregate,
        s.revision,
        s.extracted_at
    from source s
)

select * from renamed
