-- One row per actor mention that can name a force: a contributing country (name or demonym), a
-- national force, or a mission / international force, with the text just before it.
-- Shared by the deployment and contribution models.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
)

select
    mentions.mention_id,
    mentions.article_id,
    sentences.paragraph_no,
    mentions.sentence_no,
    mentions.char_start,
    mentions.char_end,
    mentions.surface,
    mentions.entity_id,
    mentions.canonical_name,
    mentions.actor_type,
    mentions.country_iso3,
    case
        when {{ is_mission_actor('mentions') }} then 'mission'
        when {{ is_country_actor('mentions') }} then 'country'
        when mentions.actor_type = 'national_force' and mentions.country_iso3 is not null then 'national_force'
    end as force_role,
    {{ is_location_use(text_before('sentences.sentence_text', 'sentences.char_start', 'mentions.char_start')) }}
        as is_location_use
from mentions
inner join sentences
    on mentions.article_id = sentences.article_id
    and mentions.sentence_no = sentences.sentence_no
where mentions.mention_type = 'actor'
  and (
      {{ is_mission_actor('mentions') }}
      or {{ is_country_actor('mentions') }}
      or (mentions.actor_type = 'national_force' and mentions.country_iso3 is not null)
  )
