-- Attacks reported by several articles: each incident with more than one source, its merged casualty range,
-- and every article's own evidence sentence, to compare how different outlets told the same event.
select
    attacks.attack_id,
    attacks.event_date,
    attacks.place_name,
    attacks.killed_low,
    attacks.killed_best,
    attacks.killed_high,
    attacks.source_count,
    sources.article_id,
    articles.publisher,
    articles.published_date,
    sources.evidence_text
from marts.fct_attacks as attacks
join marts.fct_attack_sources as sources on sources.attack_id = attacks.attack_id
left join marts.dim_articles as articles on articles.article_id = sources.article_id
where attacks.source_count > 1
order by attacks.event_date, attacks.attack_id, articles.published_date, sources.article_id;
