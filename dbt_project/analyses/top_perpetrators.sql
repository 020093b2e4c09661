-- Top perpetrators: attacks, killed and wounded per named perpetrator and how the attribution was stated
-- (claimed, suspected, …), with the first and last attack dates. Attacks with no named perpetrator are grouped
-- under '(not named)'.
select
    coalesce(perpetrator_name, '(not named)') as perpetrator,
    perpetrator_actor_id,
    perpetrator_attribution,
    count(*) as attacks,
    sum(killed_best) as killed_best,
    sum(wounded_best) as wounded_best,
    min(event_date) as first_attack,
    max(event_date) as last_attack
from marts.fct_attacks
group by all
order by attacks desc, killed_best desc nulls last, perpetrator;
