-- One row per input (file, JSON record, manifest row) not read whole: the input ledger.
with source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        path as file_path,
        reason,
        action,
        detail,
        sha256 as content_sha256,
        seen_at
    from source
)

select * from renamed
