-- Aggregate figures: statements that are not single incidents ("more than 100 peacekeepers killed since the
-- mission began", "an authorized strength of about 12,000 troops"), by measure, with the actor they are about,
-- the period they cover and their evidence sentence.
select
    figures.measure,
    actors.canonical_name as subject,
    figures.qualifier,
    figures.value_low,
    figures.value_best,
    figures.value_high,
    figures.period_start,
    figures.period_end,
    figures.article_id,
    figures.evidence_text
from marts.fct_figures as figures
left join marts.dim_actors as actors on actors.actor_id = figures.subject_actor_id
order by figures.measure, figures.period_end desc nulls last, figures.figure_id;
