-- One row per aggregate figure statement (extract/aggregates.py): totals, strengths, equipment counts.
with source as (
    select * from {{ source('raw', 'figure_claims') }}
),

renamed as (
    select
        article_id,
        sentence_no,
        figure_start,
        mention_id,
        measure,
        unit,
        subject_actor_id,
        subject_name,
        value_low,
        value_best,
        value_high,
        qualifier,
        aggregate_marker,
        is_aggregate,
        period_start,
        period_end,
        char_start,
        char_end,
        evidence_text,
        confidence
    from source
)

select * from renamed
