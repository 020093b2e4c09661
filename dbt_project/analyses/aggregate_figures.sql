-- Aggregate figures: statements that are not single incidents ("more than 100 peacekeepers killed since the
-- mission began", "an authorized strength of about 12,000 troops"), by measure, with the actor they are about,
-- the period they cover and their evidence sentence.
select
    measure,
    subject_name,
    qualifier,
    value_low,
    value_best,
    value_high,
    period_start,
    period_end,
    article_id,
    evidence_text
from marts.fct_figures
order by measure, period_end desc nulls last, figure_id;
