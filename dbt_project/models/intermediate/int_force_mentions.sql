-- One row per actor mention that can name a force: a contributing country (name or demonym), a
-- national force, or a mission / international force. Shared by the deployment and contribution models.
--
-- is_excluded_as_contributor: the country is used as a location or an object ("companies in Chad",
-- "led by France", "fighting with the Mali Army"), or it continues a list whose first member is
-- ("in Chad, Mauritania and Niger"); such mentions never name a contributor. A possessive
-- ("attached to Senegal's battalion") is never a location use.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

forces as (
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
        -- a possessive ("belongs to Nigeria's police unit", "with Chad's battalion") owns a force
        -- whatever preposition comes before it: never a location use
        {{ is_location_use(text_before('sentences.sentence_text', 'sentences.char_start', 'mentions.char_start')) }}
            and not regexp_matches(
                {{ text_after('sentences.sentence_text', 'sentences.char_start', 'mentions.char_end', 2) }},
                '^[''’]s'
            ) as is_location_use,
        sentences.sentence_text,
        sentences.char_start as sentence_start
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
),

listed as (
    -- a country mention joined to the previous one by only ", " / " and " continues its list
    select
        *,
        coalesce(regexp_matches(
            substr(
                sentence_text,
                lag(char_end) over countries - sentence_start + 1,
                char_start - lag(char_end) over countries
            ),
            '^(,\s*|\s+and\s+|,\s+and\s+)$'
        ), false) as continues_list
    from forces
    window countries as (partition by article_id, sentence_no, force_role = 'mission' order by char_start)
),

list_groups as (
    select
        *,
        sum(case when continues_list then 0 else 1 end) over (
            partition by article_id, sentence_no, force_role = 'mission' order by char_start
        ) as list_no
    from listed
)

select
    mention_id,
    article_id,
    paragraph_no,
    sentence_no,
    char_start,
    char_end,
    surface,
    entity_id,
    canonical_name,
    actor_type,
    country_iso3,
    force_role,
    first_value(is_location_use) over (
        partition by article_id, sentence_no, force_role = 'mission', list_no order by char_start
    ) as is_excluded_as_contributor
from list_groups
