-- One row per figure statement that is not a casualty count of an assembled attack: aggregate
-- casualty totals ("34 peacekeepers killed since 2013"), force sizes and ceilings ("an authorized
-- limit of about 12,000 troops"), and equipment counts. Figures without a counted noun qualify only
-- in a sentence with an aggregate marker ("has netted about 9,200 till now"); munitions, formations
-- and distances never do, nor a lone person or thing outside an aggregate or casualty statement.
with sentences as (
    select * from {{ ref('int_sentences_enriched') }}
),

mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

cues as (
    select * from {{ ref('stg_raw__cues') }}
),

unit_classes as (
    select * from {{ ref('unit_classes') }}
),

casualties as (
    select * from {{ ref('int_casualties_attributed') }}
),

attack_sentences as (
    select distinct article_id, unnest(sentence_nos) as sentence_no
    from {{ ref('int_attack_incidents') }}
),

figures as (
    select
        mentions.*,
        unit_classes.unit_class,
        casualties.casualty_type,
        sentences.is_aggregate,
        sentences.has_aggregate_cue,
        sentences.sentence_text,
        sentences.char_start as sentence_start,
        sentences.char_end as sentence_end,
        sentences.published_date
    from mentions
    inner join sentences
        on mentions.article_id = sentences.article_id
        and mentions.sentence_no = sentences.sentence_no
    left join unit_classes
        on mentions.unit = unit_classes.unit
    left join casualties
        on mentions.mention_id = casualties.mention_id
    where mentions.mention_type = 'figure'
      and (
          unit_classes.unit_class in ('person', 'person_anaphor', 'asset')
          or (mentions.unit is null and sentences.has_aggregate_cue)
      )
      -- a single person or thing ("one academic expert") is not a statement about numbers
      and (mentions.value_best >= 2 or sentences.is_aggregate or casualties.casualty_type is not null)
      -- casualty counts of an assembled attack belong to fct_attacks
      and not (
          casualties.casualty_type is not null
          and not sentences.is_aggregate
          and exists (
              select 1 from attack_sentences
              where attack_sentences.article_id = mentions.article_id
                and attack_sentences.sentence_no = mentions.sentence_no
          )
      )
),

aggregate_cues as (
    select
        figures.mention_id,
        arg_min(cues.cue_value, abs(cues.char_start - figures.char_start)) as aggregate_marker
    from figures
    inner join cues
        on figures.article_id = cues.article_id
        and figures.sentence_no = cues.sentence_no
        and cues.cue_type = 'aggregate'
    group by figures.mention_id
),

subjects as (
    select
        figures.mention_id,
        arg_min(
            actors.entity_id,
            [case when actors.char_start < figures.char_start then 0 else 1 end, abs(actors.char_start - figures.char_start)]
        ) as subject_actor_id,
        arg_min(
            actors.canonical_name,
            [case when actors.char_start < figures.char_start then 0 else 1 end, abs(actors.char_start - figures.char_start)]
        ) as subject_name
    from figures
    inner join mentions as actors
        on figures.article_id = actors.article_id
        and figures.sentence_no = actors.sentence_no
        and actors.mention_type = 'actor'
        and actors.entity_id is not null
        and coalesce(actors.actor_type, '') <> 'person'
    group by figures.mention_id
),

periods as (
    select
        figures.mention_id,
        arg_min(dates.resolved_date, abs(dates.char_start - figures.char_start)) as period_start,
        arg_min(dates.date_end, abs(dates.char_start - figures.char_start)) as date_end,
        arg_min(dates.date_precision, abs(dates.char_start - figures.char_start)) as period_precision
    from figures
    inner join mentions as dates
        on figures.article_id = dates.article_id
        and figures.sentence_no = dates.sentence_no
        and dates.mention_type = 'date'
        and dates.resolved_date is not null
    group by figures.mention_id
)

select
    {{ stable_id('figure', ['figures.article_id', 'figures.char_start']) }} as figure_id,
    figures.mention_id,
    case
        when figures.casualty_type is not null then figures.casualty_type
        when aggregate_cues.aggregate_marker = 'ceiling' then 'authorized_strength'
        when aggregate_cues.aggregate_marker = 'peak' then 'peak_strength'
        when figures.unit_class = 'asset' then 'asset_count'
        else 'personnel_strength'
    end as measure,
    figures.unit,
    subjects.subject_actor_id,
    subjects.subject_name,
    figures.value_low,
    figures.value_best,
    figures.value_high,
    figures.qualifier,
    aggregate_cues.aggregate_marker,
    figures.is_aggregate,
    periods.period_start,
    case
        when periods.period_start is null then null
        when aggregate_cues.aggregate_marker in ('since', 'so_far') then figures.published_date
        when periods.date_end is not null then periods.date_end
        when periods.period_precision = 'year' then last_day(periods.period_start + interval 11 month)
        when periods.period_precision = 'month' then last_day(periods.period_start)
        else periods.period_start
    end as period_end,
    figures.article_id,
    figures.sentence_no,
    figures.sentence_text as evidence_text,
    figures.sentence_start as char_start,
    figures.sentence_end as char_end,
    round(
        0.4
        + case when subjects.subject_actor_id is not null then 0.2 else 0 end
        + case when aggregate_cues.aggregate_marker is not null or periods.period_start is not null then 0.2 else 0 end
        + case when figures.unit is not null then 0.2 else 0 end,
        2
    )::double as confidence
from figures
left join aggregate_cues on figures.mention_id = aggregate_cues.mention_id
left join subjects on figures.mention_id = subjects.mention_id
left join periods on figures.mention_id = periods.mention_id
