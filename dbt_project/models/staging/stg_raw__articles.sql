-- One row per current article (the latest version of each article_id) that the extract step did not
-- hold back (raw.held_articles: see article_stamps).

{{ per_article_config() }}

with source as (
    {{ per_article_source('articles') }}
),

renamed as (
    select
        a.article_id,
        a.version_no,
        a.source_path,
        a.source_format,
        a.title,
        a.url,
        a.source as publisher,
        a.published_date,
        a.published_precision,
        a.published_source,
        a.encoding,
        a.body,
        a.content_sha256,
        a.char_count,
        a.ingested_at,
        coalesce(a.flags, []) as flags,
        a.extracted_at
    from source a
)

select * from renamed
