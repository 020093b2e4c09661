-- One row per (sentence, contributing country) where a sentence says a country provides people or
-- equipment to a mission: a country mention (name or demonym, not used as a location) in a
-- non-aggregate sentence with a contribution, deployment, unit, personnel or asset cue, and a mission
-- from the sentence, its paragraph or the article. A country never contributes to its own national
-- operation or to a mission whose country it is (the host).
--  * a country whose own national operation is named in the article (France -> Barkhane) contributes
--    to another mission only when that mission is named in the same sentence ("France will keep 1,000
--    troops in the country" with MINUSMA known only from context is its own operation's business);
--  * a negated contribution in the country's clause ("which is not a troop contributor", "has
--    never contributed", "does not send") names no contributor;
--  * in a casualty sentence (killed / wounded cue) a country linked only by a personnel noun ("five
--    Togolese peacekeepers were killed", "peacekeepers from Chad were injured") names the victims'
--    nationality, not a contribution: it needs a contribution, deployment, unit or asset cue there.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
    where has_contribution_cue and not is_aggregate
),

cues as (
    select * from {{ ref('stg_raw__cues') }}
),

forces as (
    select * from {{ ref('int_force_mentions') }}
),

mission_context as (
    select * from {{ ref('int_missions_in_context') }}
),

strength as (
    select * from {{ ref('int_strength_figures') }}
),

national_operations as (
    -- (article, country) pairs where the article names that country's own operation
    select distinct article_id, entity_id as operation_actor_id, country_iso3
    from forces
    where force_role = 'mission' and actor_type = 'international_force' and country_iso3 is not null
),

contributors as (
    select
        sentences.article_id,
        sentences.sentence_no,
        sentences.char_start,
        sentences.char_end,
        sentences.sentence_text as evidence_text,
        sentences.published_date,
        sentences.published_precision,
        sentences.has_casualty_cue,
        forces.char_start as contributor_start,
        forces.country_iso3 as contributor_iso3,
        mission_context.mission_actor_id,
        mission_context.mission,
        mission_context.mission_source
    from sentences
    inner join forces
        on sentences.article_id = forces.article_id
        and sentences.sentence_no = forces.sentence_no
    inner join mission_context
        on sentences.article_id = mission_context.article_id
        and sentences.sentence_no = mission_context.sentence_no
    where forces.force_role = 'country'
      and not forces.is_excluded_as_contributor
      and mission_context.mission_actor_id is not null
      and forces.country_iso3 is distinct from mission_context.mission_country_iso3
      -- a negated contribution in the country's clause: "X, which is not a troop contributor, ...",
      -- "X has never contributed troops", "X does not send police"
      and not regexp_matches(
          {{ text_after('sentences.sentence_text', 'sentences.char_start', 'forces.char_end', 60) }},
          '^[^;.]{0,30}\b(not|never|no longer)\b[^,;.]{0,25}\b(contribut|send|sent|provid|deploy)'
      )
      and not (
          mission_context.mission_source <> 'sentence'
          and exists (
              select 1 from national_operations
              where national_operations.article_id = sentences.article_id
                and national_operations.country_iso3 = forces.country_iso3
                and national_operations.operation_actor_id <> mission_context.mission_actor_id
          )
      )
),

sentence_cues as (
    select
        contributors.article_id,
        contributors.sentence_no,
        contributors.contributor_start,
        -- a personnel noun, else a unit type that implies its personnel ("formed police unit")
        coalesce(
            arg_min(cues.cue_value, abs(cues.char_start - contributors.contributor_start))
                filter (where cues.cue_type = 'personnel_type'),
            arg_min(unit_types.personnel_type, abs(cues.char_start - contributors.contributor_start))
                filter (where cues.cue_type = 'unit_type' and unit_types.personnel_type is not null)
        ) as personnel_type,
        bool_or(cues.cue_type = 'contribution') as has_contribution_verb,
        bool_or(cues.cue_type in ('contribution', 'deployment', 'unit_type', 'asset')) as has_link_cue,
        bool_or(cues.cue_type = 'attribution' and cues.cue_value = 'suspected') as is_hedged,
        list_sort(list_distinct(list(cues.cue_value) filter (where cues.cue_type = 'asset'))) as asset_cues
    from contributors
    inner join cues
        on contributors.article_id = cues.article_id
        and contributors.sentence_no = cues.sentence_no
    left join {{ ref('unit_types') }} as unit_types
        on cues.cue_type = 'unit_type' and cues.cue_value = unit_types.unit_type
    group by all
),

personnel as (
    select
        contributors.article_id,
        contributors.sentence_no,
        contributors.contributor_start,
        arg_min(strength.value_low, abs(strength.char_start - contributors.contributor_start)) as personnel_low,
        arg_min(strength.value_best, abs(strength.char_start - contributors.contributor_start)) as personnel_best,
        arg_min(strength.value_high, abs(strength.char_start - contributors.contributor_start)) as personnel_high
    from contributors
    inner join strength
        on contributors.article_id = strength.article_id
        and contributors.sentence_no = strength.sentence_no
    where strength.unit_class = 'person'
    group by all
),

counted_assets as (
    select
        article_id,
        sentence_no,
        list_sort(list_distinct(list(unit || ':' || cast(cast(value_best as bigint) as varchar)))) as asset_counts
    from strength
    where unit_class = 'asset' and value_best is not null
    group by all
)

select
    contributors.* exclude (has_casualty_cue),
    sentence_cues.personnel_type,
    coalesce(sentence_cues.has_contribution_verb, false) as has_contribution_verb,
    coalesce(sentence_cues.is_hedged, false) as is_hedged,
    personnel.personnel_low,
    personnel.personnel_best,
    personnel.personnel_high,
    list_sort(list_distinct(list_concat(
        coalesce(sentence_cues.asset_cues, []::varchar[]),
        coalesce(counted_assets.asset_counts, []::varchar[])
    ))) as assets
from contributors
left join sentence_cues
    on contributors.article_id = sentence_cues.article_id
    and contributors.sentence_no = sentence_cues.sentence_no
    and contributors.contributor_start = sentence_cues.contributor_start
left join personnel
    on contributors.article_id = personnel.article_id
    and contributors.sentence_no = personnel.sentence_no
    and contributors.contributor_start = personnel.contributor_start
left join counted_assets
    on contributors.article_id = counted_assets.article_id
    and contributors.sentence_no = counted_assets.sentence_no
where not (contributors.has_casualty_cue and not coalesce(sentence_cues.has_link_cue, false))
