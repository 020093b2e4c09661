-- Every single-passage fact's evidence_text is exactly body[char_start:char_end] of its article.
with facts as (
    select 'fct_attacks' as mart, article_id, char_start, char_end, evidence_text from {{ ref('fct_attacks') }}
    union all
    select 'fct_attack_sources', article_id, char_start, char_end, evidence_text from {{ ref('fct_attack_sources') }}
    union all
    select 'fct_deployments', article_id, char_start, char_end, evidence_text from {{ ref('fct_deployments') }}
    union all
    select 'fct_contributions', article_id, char_start, char_end, evidence_text from {{ ref('fct_contributions') }}
    union all
    select 'fct_figures', article_id, char_start, char_end, evidence_text from {{ ref('fct_figures') }}
)

select facts.*
from facts
left join {{ ref('stg_raw__articles') }} as articles
    on facts.article_id = articles.article_id
where articles.body is null
   or substr(articles.body, facts.char_start + 1, facts.char_end - facts.char_start) is distinct from facts.evidence_text
