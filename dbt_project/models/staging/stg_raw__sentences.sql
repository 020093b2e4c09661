-- One row per sentence of a current article body.
with source as (
    select * from {{ source('raw', 'sentences') }}
),

renamed as (
    select
        article_id,
        paragraph_no,
        sentence_no,
        char_start,
        char_end,
        text as sentence_text,
        is_caption,
        language
    from source
)

select * from renamed
