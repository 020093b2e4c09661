-- A casualty count from an aggregate sentence (since, so far, in 2014 …) never reaches fct_attacks:
-- no attack's evidence contains a sentence whose casualties are aggregate.
select attacks.attack_id, casualties.casualty_id
from {{ ref('int_attack_incidents_merged') }} as attacks
inner join {{ ref('int_casualties_attributed') }} as casualties
    on attacks.article_id = casualties.article_id
    and list_contains(attacks.sentence_nos, casualties.sentence_no)
where casualties.is_aggregate
