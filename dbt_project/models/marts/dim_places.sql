-- One row per gazetteer place mentioned in current articles: id, name, coordinates, admin1 and the
-- spellings seen in the text.
with places as (
    select * from {{ ref('stg_raw__mentions') }}
    where mention_type = 'place' and entity_id is not null
      and article_id in (select article_id from {{ ref('stg_raw__articles') }})
)

select
    entity_id as place_id,
    min(canonical_name) as place_name,
    min(place_type) as place_type,
    min(admin1) as admin1,
    min(country_iso3) as country_iso3,
    min(latitude) as latitude,
    min(longitude) as longitude,
    list_sort(list_distinct(list(surface))) as aliases,
    count(*) as mention_count,
    count(distinct article_id) as article_count
from places
group by entity_id
