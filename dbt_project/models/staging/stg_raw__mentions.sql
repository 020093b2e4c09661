-- One row per mention (actor, place, figure or date) with offsets into the article body; mentions of one
-- type never overlap (resolved leftmost-longest in the extract step), so mention_id is unique.
with source as (
    select * from {{ source('raw', 'mentions') }}
),

renamed as (
    select
        mention_id,
        article_id,
        sentence_no,
        char_start,
        char_end,
        surface,
        mention_type,
        entity_id,
        canonical_name,
        actor_type,
        country_iso3,
        latitude,
        longitude,
        admin1,
        place_type,
        value_low,
        value_best,
        value_high,
        qualifier,
        unit,
        resolved_date,
        date_end,
        date_precision,
        match_method
    from source
)

select * from renamed
