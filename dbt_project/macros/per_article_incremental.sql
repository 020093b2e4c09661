-- Per-article incremental models (staging of raw tables derived from one article).
--
-- Each current article that the extract step did not hold back (raw.held_articles) carries a stamp,
-- `extracted_at`: when its rows were last extracted (raw.extractions; the ingest time when it was never
-- extracted). A per-article model is two lines of set-up and its own column list:
--
--     {{ per_article_config() }}
--     with source as ({{ per_article_source('<raw table>') }}),
--     renamed as (select s.<column>, …, s.extracted_at from source s)
--     select * from renamed
--
-- `per_article_config()` materializes it incremental, delete+insert keyed on article_id.
-- `per_article_source()` gives the raw table's rows with their article's stamp; on an incremental run only
-- the rows of articles whose stamp the model does not hold yet. The post-hook deletes the rows of articles
-- that are no longer current or whose stamp is stale (superseded, removed or re-extracted under another
-- extractor version). `dbt build --full-refresh` rebuilds it from raw.

{% macro per_article_config() -%}
{{ config(
    materialized='incremental',
    unique_key='article_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_stale_articles() }}"
) }}
{%- endmacro %}


{% macro article_stamps() -%}
    select a.article_id, coalesce(e.extracted_at, a.ingested_at) as extracted_at
    from {{ source('raw', 'articles') }} a
    left join {{ source('raw', 'extractions') }} e on e.article_id = a.article_id
    where a.is_current
      and a.article_id not in (select article_id from {{ source('raw', 'held_articles') }})
{%- endmacro %}


{% macro per_article_source(table) -%}
    select r.*, stamps.extracted_at
    from {{ source('raw', table) }} r
    join ({{ article_stamps() }}) stamps on stamps.article_id = r.article_id
    {%- if is_incremental() %}
    where not exists (
        select 1 from (select distinct article_id, extracted_at from {{ this }}) held
        where held.article_id = stamps.article_id and held.extracted_at = stamps.extracted_at
    )
    {%- endif %}
{%- endmacro %}


{% macro delete_stale_articles() -%}
    delete from {{ this }} t
    where not exists (
        select 1 from ({{ article_stamps() }}) s
        where s.article_id = t.article_id and s.extracted_at = t.extracted_at
    )
{%- endmacro %}
