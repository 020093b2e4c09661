-- One row per paragraph of a current article body.
-- Incremental per article (macros/per_article_incremental.sql): an incremental run reads only changed articles.
{{ per_article_config() }}

with source as (
    select * from {{ source('raw', 'paragraphs') }}
),

stamps as (
    {{ article_stamps() }}
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
        stamps.extracted_at
    from source s
    join stamps on stamps.article_id = s.article_id
    where {{ changed_articles('stamps') }}
)

select * from renamed
