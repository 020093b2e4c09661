-- One row per mention (actor, place, figure or date) with offsets into the article body; mentions of one
-- type never overlap (resolved leftmost-longest in the extract step), so mention_id is unique.
{{ per_article_config() }}

with source as (
    {{ per_article_source('mentions') }}
),

renamed as (
    select
        s.mention_id,
        s.article_id,
        s.sentence_no,
        s.char_start,
        s.char_end,
        s.surface,
        s.mention_type,
        s.entity_id,
        s.canonical_name,
        s.actor_type,
        s.country_iso3,
        s.latitude,
        s.longitude,
        s.admin1,
        s.place_type,
        s.value_low,
        s.value_best,
        s.value_high,
        s.qualifier,
        s.unit,
        s.resolved_date,
        s.date_end,
        s.date_precision,
        s.match_method,
        s.extracted_at
    from source s
)

select * from renamed
