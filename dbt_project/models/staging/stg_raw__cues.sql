-- One row per cue word (a vocabulary hit from seed cue_terms) in a sentence.
with source as (
    select * from {{ source('raw', 'cues') }}
),

renamed as (
    select
        article_id,
        sentence_no,
        char_start,
        char_end,
        surface,
        cue_type,
        cue_value
    from source
)

select * from renamed
