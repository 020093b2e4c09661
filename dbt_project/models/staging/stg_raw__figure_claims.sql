-- One row per aggregate figure statement (extract/aggregates.py): totals, strengths, equipment counts.
{{ per_article_config() }}

with source as (
    {{ per_article_source('figure_claims') }}
),

renamed as (
    select
        s.article_id,
        s.sentence_no,
        s.figure_start,
        s.mention_id,
        s.measure,
        s.unit,
        s.subject_actor_id,
        s.subject_name,
        s.value_low,
        s.value_best,
        s.value_high,
        s.qualifier,
        s.aggregate_marker,
        s.is_aggregate,
        s.period_start,
        s.period_end,
        s.char_start,
        s.char_end,
        s.evidence_text,
        s.confidence,
        s.extracted_at
    from source s
)

select * from renamed
