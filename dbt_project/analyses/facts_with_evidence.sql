-- Every fact with its evidence: one row per fact (each article's report of an attack, deployment, contribution
-- or aggregate figure) with the sentence it was read from, its character offsets into the article body, and the
-- article's title, publisher and date, so any number in the warehouse can be traced back to its source.
with facts as (
    select 'attack' as fact_type, attack_id as fact_id, article_id, sentence_no, evidence_text, char_start, char_end
    from marts.fct_attack_sources
    union all
    select 'deployment', deployment_id, article_id, sentence_no, evidence_text, char_start, char_end
    from marts.fct_deployments
    union all
    select 'contribution', contribution_id, article_id, sentence_no, evidence_text, char_start, char_end
    from marts.fct_contributions
    union all
    select 'figure', figure_id, article_id, sentence_no, evidence_text, char_start, char_end
    from marts.fct_figures
)
select
    facts.fact_type,
    facts.fact_id,
    facts.article_id,
    articles.title,
    articles.publisher,
    articles.published_date,
    facts.sentence_no,
    facts.char_start,
    facts.char_end,
    facts.evidence_text
from facts
left join marts.dim_articles as articles on articles.article_id = facts.article_id
order by articles.published_date, facts.article_id, facts.sentence_no, facts.fact_type, facts.fact_id;
