-- One row per (contingent or unit, place, article): a force placed somewhere by an article.
with extracted as (
    select * from {{ ref('int_deployments_extracted') }}
),

scored as (
    select
        *,
        {{ stable_id('deployment', ['article_id', 'contributor_iso3', 'mission_actor_id', 'unit_type', 'place_id']) }}
            as deployment_id,
        round(
            0.4
            + case when has_deployment_verb then 0.3 else 0 end
            + case contributor_source when 'sentence' then 0.2 when 'context' then 0.1 else 0 end
            + case when mission_source = 'sentence' then 0.1 else 0 end,
            2
        )::double as confidence
    from extracted
)

select
    deployment_id,
    contributor_iso3,
    countries.country_name as contributor_name,
    mission_actor_id,
    mission,
    unit_type,
    personnel_type,
    place_id,
    place_name,
    admin1,
    scored.country_iso3,
    latitude,
    longitude,
    personnel_low,
    personnel_best,
    personnel_high,
    as_of_date,
    date_precision,
    as_of_date_source,
    article_id,
    sentence_no,
    evidence_text,
    char_start,
    char_end,
    confidence
from scored
left join {{ ref('int_country_names') }} as countries
    on scored.contributor_iso3 = countries.country_iso3
qualify row_number() over (partition by deployment_id order by confidence desc, sentence_no) = 1
