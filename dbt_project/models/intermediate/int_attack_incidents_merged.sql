-- One row per attack incident as told by one article (int_attack_incidents), with the attack_id of
-- the incident it belongs to:
--  1. within one article, incidents at the same place whose dates agree or are unknown on one side
--     (a headline and the body telling one attack) form one group, represented by its first incident;
--  2. across articles, groups with the same place and the same day (day precision) whose counts are
--     compatible (killed and wounded each within max(2, half of the largest)) share
--     md5('attack', place_id, event_date);
--  3. anything else is md5('attack', article_id, sentence_no of the group's first incident).
with incidents as (
    select * from {{ ref('int_attack_incidents') }}
),

article_groups as (
    select
        incidents.incident_id,
        min(same_place.sentence_no) as group_sentence_no
    from incidents
    left join incidents as same_place
        on incidents.article_id = same_place.article_id
        and incidents.place_id = same_place.place_id
        and (
            incidents.event_date = same_place.event_date
            or incidents.event_date is null
            or same_place.event_date is null
        )
    group by incidents.incident_id
),

grouped as (
    select
        incidents.*,
        coalesce(article_groups.group_sentence_no, incidents.sentence_no) as group_sentence_no
    from incidents
    left join article_groups
        on incidents.incident_id = article_groups.incident_id
),

group_dates as (
    -- the group's date: the most precise one any of its incidents gives
    select
        article_id,
        group_sentence_no,
        arg_min(event_date, [case date_precision when 'day' then 0 when 'month' then 1 else 2 end, sentence_no])
            filter (where event_date is not null) as group_date,
        min(case date_precision when 'day' then 0 when 'month' then 1 else 2 end) as group_precision_rank
    from grouped
    group by article_id, group_sentence_no
),

keyed as (
    select
        grouped.*,
        case
            when grouped.place_id is not null and group_dates.group_precision_rank = 0
                then {{ stable_id('attack', ['grouped.place_id', 'group_dates.group_date']) }}
        end as merge_key
    from grouped
    inner join group_dates
        on grouped.article_id = group_dates.article_id
        and grouped.group_sentence_no = group_dates.group_sentence_no
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
    keyed.* exclude (merge_key, group_sentence_no),
    case
        when group_spread.merge_key is not null
            and group_spread.killed_spread <= greatest(2, group_spread.killed_max / 2)
            and group_spread.wounded_spread <= greatest(2, group_spread.wounded_max / 2)
            then keyed.merge_key
        else {{ stable_id('attack', ['keyed.article_id', 'keyed.group_sentence_no']) }}
    end as attack_id
from keyed
left join group_spread
    on keyed.merge_key = group_spread.merge_key
