-- Casualty bounds never contradict each other: low <= best <= high where given, and none is negative.
select attack_id, killed_low, killed_best, killed_high, wounded_low, wounded_best, wounded_high
from {{ ref('fct_attacks') }}
where killed_low > killed_best or killed_best > killed_high
   or wounded_low > wounded_best or wounded_best > wounded_high
   or least(killed_low, killed_best, killed_high, wounded_low, wounded_best, wounded_high) < 0
