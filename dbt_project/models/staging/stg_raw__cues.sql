-- One row per cue word (a vocabulary hit from seed cue_terms) in a sentence.
-- Incremental per article (macros/per_article_incremental.sql): an incremental run reads only changed articles.
{{ per_article_config() }}

with source as (
    select * from {{ source('raw', 'cues') }}
),

stamps as (
    {{ article_stamps() }}
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
        stamps.extracted_at
    from source s
    join stamps on stamps.article_id = s.article_id
    where {{ changed_articles('stamps') }}
)

select * from renamed
