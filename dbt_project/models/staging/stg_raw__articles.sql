-- One row per current article (the latest version of each article_id) that the extract step did not
-- hold back (raw.held_articles: see article_stamps).

{{ per_article_config() }}

with source as (
    select * from {{ source('raw', 'articles') }}
),

stamps as (
    {{ article_stamps() }}
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
        stamps.extracted_at
    from source a
    join stamps on stamps.article_id = a.article_id
    where {{ changed_articles('stamps') }}
)

select * from renamed
