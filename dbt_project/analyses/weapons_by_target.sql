-- Weapons by target: how often each weapon (controlled vocabulary: ied, rocket, mortar, small_arms, …) was used
-- against each kind of target (camp, convoy, patrol, …), with those attacks' casualties. An attack with several
-- weapons counts once under each weapon.
with attack_weapons as (
    select
        attack_id,
        coalesce(target, '(not stated)') as target,
        killed_best,
        wounded_best,
        unnest(case when coalesce(len(weapons), 0) = 0 then ['(not stated)'] else weapons end) as weapon
    from marts.fct_attacks
)
select
    weapon,
    target,
    count(distinct attack_id) as attacks,
    sum(killed_best) as killed_best,
    sum(wounded_best) as wounded_best
from attack_weapons
group by weapon, target
order by attacks desc, killed_best desc nulls last, weapon, target;
