-- An attack is a trigger with a place and/or casualty figures: no attack without either.
select attack_id
from {{ ref('fct_attacks') }}
where place_id is null and coalesce(killed_best, 0) = 0 and coalesce(wounded_best, 0) = 0
