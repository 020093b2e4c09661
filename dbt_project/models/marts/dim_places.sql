-- One row per gazetteer place mentioned in current articles: id, coordinates, admin1, the name most
-- sources use and the other spellings seen in the text.
--
-- place_name: the curated preferred name (seed place_names) when there is one, else the spelling used
-- by most articles — written in mixed case rather than a dateline's capitals, then the gazetteer's own
-- spelling on a tie — so analysts read "Aguelhok" where the gazetteer has "Aguelock". An article votes
-- once per spelling however often it repeats it, and text without sentence structure (flag
-- text_without_structure: lists, dumps) does not vote.
-- aliases: every spelling seen plus the gazetteer's name.
with places as (
    select * from {{ ref('stg_raw__mentions') }}
    where mention_type = 'place' and entity_id is not null
      and article_id in (select article_id from {{ ref('stg_raw__articles') }})
),

voters as (
    select article_id from {{ ref('stg_raw__articles') }}
    where not list_contains(flags, 'text_without_structure')
),

spellings as (
    select
        entity_id,
        surface,
        count(distinct article_id) filter (where article_id in (select article_id from voters)) as seen,
        surface <> upper(surface) as is_mixed_case,
        surface = any_value(canonical_name) as is_gazetteer_name
    from places
    group by entity_id, surface
),

most_used as (
    select
        entity_id,
        arg_max(surface, [is_mixed_case::int, seen, is_gazetteer_name::int]) as spelling
    from spellings
    group by entity_id
)

select
    places.entity_id as place_id,
    coalesce(any_value(preferred.preferred_name), any_value(most_used.spelling), min(places.canonical_name)) as place_name,
    min(places.canonical_name) as gazetteer_name,
    min(places.place_type) as place_type,
    min(places.admin1) as admin1,
    min(places.country_iso3) as country_iso3,
    min(places.latitude) as latitude,
    min(places.longitude) as longitude,
    list_sort(list_distinct(list_concat(list(places.surface), [min(places.canonical_name)]))) as aliases,
    count(*) as mention_count,
    count(distinct places.article_id) as article_count
from places
left join most_used
    on places.entity_id = most_used.entity_id
left join {{ ref('place_names') }} as preferred
    on places.entity_id = preferred.place_id
group by places.entity_id
