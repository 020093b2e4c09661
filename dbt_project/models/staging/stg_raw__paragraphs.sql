-- One row per paragraph of a current article body.
with source as (
    select * from {{ source('raw', 'paragraphs') }}
),

renamed as (
    select
        article_id,
        paragraph_no,
        char_start,
        char_end,
        text as paragraph_text,
        is_caption,
        language
    from source
)

select * from renamed
