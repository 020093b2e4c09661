-- One row per rejected input file.
with source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        path as file_path,
        reason,
        detail,
        sha256 as content_sha256,
        seen_at
    from source
)

select * from renamed
