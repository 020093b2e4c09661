-- One row per sentence of a current article with the mission it most likely speaks about:
-- the nearest mission mention in the sentence, else the last one earlier in the same paragraph,
-- else the mission the article mentions most. mission_source says which rule applied.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

missions as (
    select * from {{ ref('int_force_mentions') }} where force_role = 'mission'
),

in_sentence as (
    select article_id, sentence_no, entity_id, canonical_name, country_iso3
    from missions
    qualify row_number() over (partition by article_id, sentence_no order by char_start) = 1
),

in_paragraph as (
    select
        sentences.article_id,
        sentences.sentence_no,
        missions.entity_id,
        missions.canonical_name,
        missions.country_iso3
    from sentences
    inner join missions
        on sentences.article_id = missions.article_id
        and sentences.paragraph_no = missions.paragraph_no
        and missions.sentence_no < sentences.sentence_no
    qualify row_number() over (
        partition by sentences.article_id, sentences.sentence_no
        order by missions.sentence_no desc, missions.char_start desc
    ) = 1
),

in_article as (
    select article_id, entity_id, canonical_name, country_iso3
    from missions
    group by article_id, entity_id, canonical_name, country_iso3
    qualify row_number() over (partition by article_id order by count(*) desc, min(char_start)) = 1
)

select
    sentences.article_id,
    sentences.sentence_no,
    coalesce(in_sentence.entity_id, in_paragraph.entity_id, in_article.entity_id) as mission_actor_id,
    coalesce(in_sentence.canonical_name, in_paragraph.canonical_name, in_article.canonical_name) as mission,
    coalesce(in_sentence.country_iso3, in_paragraph.country_iso3, in_article.country_iso3) as mission_country_iso3,
    case
        when in_sentence.entity_id is not null then 'sentence'
        when in_paragraph.entity_id is not null then 'paragraph'
        when in_article.entity_id is not null then 'article'
    end as mission_source
from sentences
left join in_sentence
    on sentences.article_id = in_sentence.article_id and sentences.sentence_no = in_sentence.sentence_no
left join in_paragraph
    on sentences.article_id = in_paragraph.article_id and sentences.sentence_no = in_paragraph.sentence_no
left join in_article
    on sentences.article_id = in_article.article_id
