-- One row per current article (the latest version of each article_id).
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
        ingested_at
    from source
    where is_current
)

select * from renamed
