-- One row per sentence of a current article, with its publication date and the cue flags the
-- assembly models filter on. A sentence is aggregate when it names a period (a year-level or range
-- date: "in 2014", "since 2013"), or carries an aggregate marker ("so far", "this year", "since")
-- unless the marker cannot scope a count of people: the sentence names a day-precision date and
-- counts nothing but munitions, equipment or facilities ("30 rockets hit the camp on Friday, the
-- heaviest shelling this year" is an incident; "two peacekeepers killed this year" is not).
with sentences as (
    select * from {{ ref('stg_raw__sentences') }}
),

articles as (
    select article_id, published_date, published_precision from {{ ref('stg_raw__articles') }}
),

cues as (
    select * from {{ ref('stg_raw__cues') }}
),

weapons as (
    select * from {{ ref('weapons') }}
),

date_mentions as (
    select * from {{ ref('stg_raw__mentions') }} where mention_type = 'date'
),

cue_flags as (
    select
        cues.article_id,
        cues.sentence_no,
        bool_or(cues.cue_type = 'attack_trigger' or coalesce(weapons.implies_attack, false)) as has_attack_cue,
        bool_or(cues.cue_type in ('killed', 'wounded')) as has_casualty_cue,
        bool_or(cues.cue_type = 'aggregate') as has_aggregate_cue,
        bool_or(cues.cue_type = 'attribution') as has_attribution_cue,
        bool_or(cues.cue_type in ('deployment', 'unit_type')) as has_deployment_cue,
        bool_or(cues.cue_type in ('contribution', 'deployment', 'unit_type', 'personnel_type', 'asset'))
            as has_contribution_cue
    from cues
    left join weapons
        on cues.cue_type = 'weapon' and cues.cue_value = weapons.weapon
    group by cues.article_id, cues.sentence_no
),

period_flags as (
    select
        article_id,
        sentence_no,
        bool_or(date_precision in ('year', 'range')) as has_period_date,
        bool_or(date_precision = 'day') as has_day_date
    from date_mentions
    group by article_id, sentence_no
),

people_counted as (
    -- sentences with a figure that may count people (anything but munitions, assets, facilities)
    select distinct figures.article_id, figures.sentence_no
    from {{ ref('stg_raw__mentions') }} as figures
    left join {{ ref('unit_classes') }} as unit_classes
        on figures.unit = unit_classes.unit
    where figures.mention_type = 'figure'
      and coalesce(unit_classes.unit_class not in ('munition', 'asset', 'facility'), true)
)

select
    sentences.article_id,
    sentences.paragraph_no,
    sentences.sentence_no,
    sentences.char_start,
    sentences.char_end,
    sentences.sentence_text,
    sentences.is_caption,
    articles.published_date,
    articles.published_precision,
    coalesce(cue_flags.has_attack_cue, false) as has_attack_cue,
    coalesce(cue_flags.has_casualty_cue, false) as has_casualty_cue,
    coalesce(cue_flags.has_attribution_cue, false) as has_attribution_cue,
    coalesce(cue_flags.has_deployment_cue, false) as has_deployment_cue,
    coalesce(cue_flags.has_contribution_cue, false) as has_contribution_cue,
    coalesce(cue_flags.has_aggregate_cue, false) as has_aggregate_cue,
    coalesce(period_flags.has_period_date, false)
    or (
        coalesce(cue_flags.has_aggregate_cue, false)
        and (people_counted.sentence_no is not null or not coalesce(period_flags.has_day_date, false))
    ) as is_aggregate
from sentences
inner join articles
    on sentences.article_id = articles.article_id
left join cue_flags
    on sentences.article_id = cue_flags.article_id and sentences.sentence_no = cue_flags.sentence_no
left join period_flags
    on sentences.article_id = period_flags.article_id and sentences.sentence_no = period_flags.sentence_no
left join people_counted
    on sentences.article_id = people_counted.article_id and sentences.sentence_no = people_counted.sentence_no
