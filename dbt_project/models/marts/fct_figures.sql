-- One row per figure statement that is not a single incident's casualty count: aggregate casualty
-- totals, force sizes and ceilings, equipment counts (classified per sentence in extract/aggregates.py).
select
    {{ stable_id('figure', ['article_id', 'figure_start']) }} as figure_id,
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
    article_id,
    sentence_no,
    evidence_text,
    char_start,
    char_end,
    confidence
from {{ ref('stg_raw__figure_claims') }}
