-- One row per (contributing country, mission, article): what an article says a country provides to
-- a mission. Relational assembly of the contribution claims (stg_raw__contribution_claims, decided in
-- Python): evidence and date from the most confident claim, personnel (and whether it is a ceiling)
-- from the most confident claim that counts it, the union of the assets named, 'mixed' when the claims
-- name several personnel types.
with claims as (
    select
        *,
        {{ stable_id('contribution', ['article_id', 'contributor_iso3', 'mission_actor_id']) }} as contribution_id
    from {{ ref('stg_raw__contribution_claims') }}
),

folded as (
    select
        contribution_id,
        any_value(article_id) as article_id,
        any_value(contributor_iso3) as contributor_iso3,
        any_value(mission_actor_id) as mission_actor_id,
        arg_max(personnel_low, [confidence, -sentence_no]) filter (where personnel_best is not null) as personnel_low,
        arg_max(personnel_best, [confidence, -sentence_no]) filter (where personnel_best is not null) as personnel_best,
        arg_max(personnel_high, [confidence, -sentence_no]) filter (where personnel_best is not null) as personnel_high,
        coalesce(
            arg_max(is_ceiling, [confidence, -sentence_no]) filter (where personnel_best is not null), false
        ) as is_personnel_ceiling,
        case
            when count(distinct personnel_type) > 1 then 'mixed'
            else any_value(personnel_type)
        end as personnel_type,
        list_sort(list_distinct(flatten(list(assets)))) as assets,
        arg_max(as_of_date, [confidence, -sentence_no]) as as_of_date,
        arg_max(date_precision, [confidence, -sentence_no]) as date_precision,
        arg_max(as_of_date_source, [confidence, -sentence_no]) as as_of_date_source,
        arg_max(sentence_no, [confidence, -sentence_no]) as sentence_no,
        arg_max(evidence_text, [confidence, -sentence_no]) as evidence_text,
        arg_max(char_start, [confidence, -sentence_no]) as char_start,
        arg_max(char_end, [confidence, -sentence_no]) as char_end,
        max(confidence) as confidence
    from claims
    group by contribution_id
)

select
    folded.contribution_id,
    folded.contributor_iso3,
    countries.country_name as contributor_name,
    folded.mission_actor_id,
    missions.name as mission,
    folded.personnel_low,
    folded.personnel_best,
    folded.personnel_high,
    folded.is_personnel_ceiling,
    folded.personnel_type,
    folded.assets,
    folded.as_of_date,
    folded.date_precision,
    folded.as_of_date_source,
    folded.article_id,
    folded.sentence_no,
    folded.evidence_text,
    folded.char_start,
    folded.char_end,
    folded.confidence
from folded
left join {{ ref('int_country_names') }} as countries
    on folded.contributor_iso3 = countries.country_iso3
left join {{ ref('actors') }} as missions
    on folded.mission_actor_id = missions.actor_id
