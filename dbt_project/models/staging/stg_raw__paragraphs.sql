-- One row per paragraph of a current article body.
-- Incremental per article (macros/per_article_incremental.sql): an incremental run reads only changed articles.
{{ per_article_config() }}

with source as (
    {{ per_article_source('paragraphs') }}
),

renamed as (
    select
        s.article_id,
        s.paragraph_no,
        s.char_start,
        s.char_end,
        s.text as paragraph_text,
        s.is_caption,
        s.language,
        s.extracted_at
    from source s
)

select * from renamed
