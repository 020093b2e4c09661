-- One row per sentence of a current article body.
-- Incremental per article (macros/per_article_incremental.sql): an incremental run reads only changed articles.
{{ per_article_config() }}

with source as (
    {{ per_article_source('sentences') }}
),

renamed as (
    select
        s.article_id,
        s.paragraph_no,
        s.sentence_no,
        s.char_start,
        s.char_end,
        s.text as sentence_text,
        s.is_caption,
        s.language,
        s.extracted_at
    from source s
)

select * from renamed
