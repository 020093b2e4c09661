-- One row per cue word (a vocabulary hit from seed cue_terms) in a sentence.
-- Incremental per article (macros/per_article_incremental.sql): an incremental run reads only changed articles.
{{ per_article_config() }}

with source as (
    {{ per_article_source('cues') }}
),

renamed as (
    select
        s.article_id,
        s.sentence_no,
        s.char_start,
        s.char_end,
        s.surface,
        s.cue_type,
        s.cue_value,
        s.extracted_at
    from source s
)

select * from renamed
