-- One row per actor: every actor of the reference seed plus every other resolved actor mentioned
-- in current articles (countries, persons found by title), with all known aliases.
with seeded as (
    select actor_id, name, actor_type, country_iso3, description
    from {{ ref('actors') }}
),

seed_aliases as (
    select actor_id, alias from {{ ref('actor_aliases') }}
),

current_mentions as (
    select * from {{ ref('stg_raw__mentions') }}
    where mention_type = 'actor' and entity_id is not null
      and article_id in (select article_id from {{ ref('stg_raw__articles') }})
),

mentioned as (
    select
        entity_id as actor_id,
        min(canonical_name) as name,
        min(actor_type) as actor_type,
        min(country_iso3) as country_iso3,
        count(*) as mention_count
    from current_mentions
    group by entity_id
),

surfaces as (
    select entity_id as actor_id, surface as alias
    from current_mentions
),

aliases as (
    select actor_id, list_sort(list_distinct(list(alias))) as aliases
    from (
        select actor_id, alias from seed_aliases
        union all
        select actor_id, alias from surfaces
    )
    group by actor_id
),

actors as (
    select
        coalesce(seeded.actor_id, mentioned.actor_id) as actor_id,
        coalesce(seeded.name, mentioned.name) as actor_name,
        coalesce(seeded.actor_type, mentioned.actor_type) as actor_type,
        coalesce(seeded.country_iso3, mentioned.country_iso3) as country_iso3,
        seeded.description,
        seeded.actor_id is not null as is_in_reference,
        coalesce(mentioned.mention_count, 0) as mention_count
    from seeded
    full outer join mentioned
        on seeded.actor_id = mentioned.actor_id
)

select
    actors.*,
    coalesce(aliases.aliases, []::varchar[]) as aliases
from actors
left join aliases
    on actors.actor_id = aliases.actor_id
