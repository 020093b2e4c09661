-- One row per attack incident as told by one article, with the attack_id of the incident it belongs
-- to across articles. Incidents merge when they share the place and the day (day precision) and
-- their counts are compatible: the killed (and wounded) counts of the group differ by at most
-- max(2, half of the largest). Everything else keeps an id of its own.
with incidents as (
    select * from {{ ref('int_attack_incidents') }}
),

keyed as (
    select
        *,
        case
            when place_id is not null and date_precision = 'day'
                then {{ stable_id('attack', ['place_id', 'event_date']) }}
        end as merge_key
    from incidents
),

group_spread as (
    select
        merge_key,
        coalesce(max(killed_best) - min(killed_best), 0) as killed_spread,
        coalesce(max(killed_best), 0) as killed_max,
        coalesce(max(wounded_best) - min(wounded_best), 0) as wounded_spread,
        coalesce(max(wounded_best), 0) as wounded_max
    from keyed
    where merge_key is not null
    group by merge_key
)

select
    keyed.* exclude (merge_key),
    case
        when group_spread.merge_key is not null
            and group_spread.killed_spread <= greatest(2, group_spread.killed_max / 2)
            and group_spread.wounded_spread <= greatest(2, group_spread.wounded_max / 2)
            then keyed.merge_key
        else {{ stable_id('attack', ['keyed.article_id', 'keyed.sentence_no']) }}
    end as attack_id
from keyed
left join group_spread
    on keyed.merge_key = group_spread.merge_key
