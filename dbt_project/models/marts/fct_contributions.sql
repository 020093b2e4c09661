-- One row per (contributing country, mission, article): what an article says a country provides to
-- a mission (personnel, personnel type, assets).
with extracted as (
    select * from {{ ref('int_contributions_extracted') }}
),

scored as (
    select
        *,
        {{ stable_id('contribution', ['article_id', 'contributor_iso3', 'mission_actor_id']) }} as contribution_id,
        round(greatest(0.1,
            0.3
            + case when has_contribution_verb then 0.3 else 0 end
            + case mission_source when 'sentence' then 0.2 when 'paragraph' then 0.1 else 0 end
            + case when personnel_best is not null or len(assets) > 0 then 0.2 else 0 end
            - case when is_hedged then 0.2 else 0 end
        ), 2)::double as confidence
    from extracted
),

folded as (
    select
        contribution_id,
        any_value(contributor_iso3) as contributor_iso3,
        any_value(mission_actor_id) as mission_actor_id,
        any_value(mission) as mission,
        arg_min(personnel_low, sentence_no) filter (where personnel_best is not null) as personnel_low,
        arg_min(personnel_best, sentence_no) filter (where personnel_best is not null) as personnel_best,
        arg_min(personnel_high, sentence_no) filter (where personnel_best is not null) as personnel_high,
        case
            when count(distinct personnel_type) > 1 then 'mixed'
            else any_value(personnel_type)
        end as personnel_type,
        list_sort(list_distinct(flatten(list(assets)))) as assets,
        any_value(published_date) as published_date,
        any_value(published_precision) as published_precision,
        any_value(article_id) as article_id,
        arg_max(sentence_no, [confidence, -sentence_no]) as sentence_no,
        arg_max(evidence_text, [confidence, -sentence_no]) as evidence_text,
        arg_max(char_start, [confidence, -sentence_no]) as char_start,
        arg_max(char_end, [confidence, -sentence_no]) as char_end,
        max(confidence) as confidence
    from scored
    group by contribution_id
)

select
    folded.contribution_id,
    folded.contributor_iso3,
    countries.country_name as contributor_name,
    folded.mission_actor_id,
    folded.mission,
    folded.personnel_low,
    folded.personnel_best,
    folded.personnel_high,
    folded.personnel_type,
    folded.assets,
    folded.published_date as as_of_date,
    case when folded.published_date is null then 'unknown' else folded.published_precision end as date_precision,
    case when folded.published_date is null then 'unknown' else 'publication' end as as_of_date_source,
    folded.article_id,
    folded.sentence_no,
    folded.evidence_text,
    folded.char_start,
    folded.char_end,
    folded.confidence
from folded
left join {{ ref('int_country_names') }} as countries
    on folded.contributor_iso3 = countries.country_iso3
