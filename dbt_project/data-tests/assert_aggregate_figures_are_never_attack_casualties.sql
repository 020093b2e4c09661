-- A casualty count from an aggregate sentence (since, so far, in 2014 …) never reaches fct_attacks:
-- no casualty claim of an attack incident comes from an aggregate sentence.
select claims.claim_id, claims.article_id, claims.incident_no
from {{ ref('stg_raw__casualty_claims') }} as claims
inner join {{ ref('int_attack_incidents_merged') }} as attacks
    on claims.article_id = attacks.article_id
    and claims.incident_no = attacks.incident_no
where claims.is_aggregate
