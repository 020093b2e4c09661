-- One row per current article (the latest version of each article_id) that the extract step did not
-- hold back (raw.held_articles).
with source as (
    select * from {{ source('raw', 'articles') }}
),

renamed as (
    select
        article_id,
        version_no,
        source_path,
        source_format,
        title,
        url,
        source as publisher,
        published_date,
        published_precision,
        published_source,
        encoding,
        body,
        content_sha256,
        char_count,
        ingested_at,
        coalesce(flags, []) as flags
    from source
    where is_current
      and article_id not in (select article_id from {{ source('raw', 'held_articles') }})
)

select * from renamed
