-- One row per casualty statement (extract/casualties.py): status, count bounds, victims, trigger.
with source as (
    select * from {{ source('raw', 'casualty_claims') }}
),

renamed as (
    select
        claim_id,
        article_id,
        incident_no,
        sentence_no,
        char_start,
        char_end,
        status,
        count_low,
        count_best,
        count_high,
        qualifier,
        victim_group,
        victim_iso3,
        trigger,
        trigger_start,
        mention_id,
        method,
        is_additive,
        is_transfer,
        is_aggregate
    from source
)

select * from renamed
