-- One row per figure that counts people or equipment without being a casualty count: the size of a
-- force, a contingent or a ceiling ("about 850 troops", "a dozen personnel", "three helicopters").
with mentions as (
    select * from {{ ref('stg_raw__mentions') }}
),

unit_classes as (
    select * from {{ ref('unit_classes') }}
),

casualties as (
    select mention_id from {{ ref('stg_raw__casualty_claims') }} where mention_id is not null
)

select
    mentions.mention_id,
    mentions.article_id,
    mentions.sentence_no,
    mentions.char_start,
    mentions.char_end,
    mentions.surface,
    mentions.value_low,
    mentions.value_best,
    mentions.value_high,
    mentions.qualifier,
    mentions.unit,
    unit_classes.unit_class
from mentions
left join unit_classes
    on mentions.unit = unit_classes.unit
where mentions.mention_type = 'figure'
  and mentions.mention_id not in (select mention_id from casualties)
