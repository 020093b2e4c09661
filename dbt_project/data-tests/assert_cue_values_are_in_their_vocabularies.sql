-- Every weapon, target and unit_type value of seed cue_terms exists in its controlled vocabulary seed.
select cue_terms.term, cue_terms.cue_type, cue_terms.cue_value
from {{ ref('cue_terms') }} as cue_terms
left join {{ ref('weapons') }} as weapons on cue_terms.cue_value = weapons.weapon
left join {{ ref('targets') }} as targets on cue_terms.cue_value = targets.target
left join {{ ref('unit_types') }} as unit_types on cue_terms.cue_value = unit_types.unit_type
where (cue_terms.cue_type = 'weapon' and weapons.weapon is null)
   or (cue_terms.cue_type = 'target' and targets.target is null)
   or (cue_terms.cue_type = 'unit_type' and unit_types.unit_type is null)
