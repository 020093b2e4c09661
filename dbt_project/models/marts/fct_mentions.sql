-- One row per mention (actor, place, figure, date) in a current article, with its sentence as
-- evidence: for analysts who want to go beyond the assembled facts.
with mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

sentences as (
    select * from {{ ref('int_sentences_enriched') }}
)

select
    mentions.mention_id,
    mentions.article_id,
    mentions.sentence_no,
    mentions.char_start,
    mentions.char_end,
    mentions.surface,
    mentions.mention_type,
    mentions.entity_id,
    mentions.canonical_name,
    mentions.actor_type,
    mentions.country_iso3,
    mentions.latitude,
    mentions.longitude,
    mentions.admin1,
    mentions.place_type,
    mentions.value_low,
    mentions.value_best,
    mentions.value_high,
    mentions.qualifier,
    mentions.unit,
    mentions.resolved_date,
    mentions.date_end,
    mentions.date_precision,
    mentions.match_method,
    sentences.sentence_text as evidence_text,
    case
        when mentions.mention_type in ('actor', 'place') and mentions.entity_id is null then 0.4
        when mentions.match_method in ('dictionary', 'gazetteer') then 0.9
        when mentions.match_method = 'pattern' then 0.8
        else 0.7
    end::double as confidence
from mentions
inner join sentences
    on mentions.article_id = sentences.article_id
    and mentions.sentence_no = sentences.sentence_no
