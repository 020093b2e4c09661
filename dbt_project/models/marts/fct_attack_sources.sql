-- One row per (attack, article): how each article reports an attack, with that article's evidence
-- and counts. When several incidents of one article merge into one attack, the evidence is that of
-- the first one and the counts are the latest stated in the article; incident_count counts the
-- separate passages of the article that tell it.
with incidents as (
    select * from {{ ref('int_attack_incidents_merged') }}
)

select
    {{ stable_id('attack_source', ['attack_id', 'article_id']) }} as attack_source_id,
    attack_id,
    article_id,
    min(sentence_no) as sentence_no,
    arg_min(evidence_text, sentence_no) as evidence_text,
    arg_min(char_start, sentence_no) as char_start,
    arg_min(char_end, sentence_no) as char_end,
    any_value(published_date) as published_date,
    arg_max(killed_best, sentence_no) filter (where killed_best is not null) as killed_best,
    arg_max(wounded_best, sentence_no) filter (where wounded_best is not null) as wounded_best,
    sum(passage_count)::bigint as incident_count,
    max(confidence) as confidence
from incidents
group by attack_id, article_id
