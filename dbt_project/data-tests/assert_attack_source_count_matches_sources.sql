-- fct_attacks.source_count equals the number of its rows in fct_attack_sources (one per article).
select attacks.attack_id, attacks.source_count, count(sources.article_id) as sources
from {{ ref('fct_attacks') }} as attacks
left join {{ ref('fct_attack_sources') }} as sources
    on attacks.attack_id = sources.attack_id
group by attacks.attack_id, attacks.source_count
having attacks.source_count <> count(distinct sources.article_id)
    or count(sources.article_id) <> count(distinct sources.article_id)
