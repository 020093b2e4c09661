-- Killed and wounded by the victims' nationality (ISO3). An attack whose victims have several nationalities
-- counts under each of them (the marts do not split casualties per nationality), so a column can add up to more
-- than the number of casualties. Attacks with no stated nationality are grouped under '(not stated)'.
with victims as (
    select
        attack_id,
        killed_best,
        wounded_best,
        unnest(
            case
                when coalesce(len(victim_nationalities), 0) = 0 then ['(not stated)']
                else victim_nationalities
            end
        ) as nationality_iso3
    from marts.fct_attacks
)
select
    nationality_iso3,
    count(distinct attack_id) as attacks,
    sum(killed_best) as killed_best,
    sum(wounded_best) as wounded_best
from victims
group by nationality_iso3
order by killed_best desc nulls last, nationality_iso3;
