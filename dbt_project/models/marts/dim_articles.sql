-- One row per current article, with its metadata and how many facts it yielded.
with articles as (
    select * from {{ ref('stg_raw__articles') }}
),

sentence_counts as (
    select article_id, count(*) as sentence_count
    from {{ ref('stg_raw__sentences') }}
    group by article_id
),

mention_counts as (
    select article_id, count(*) as mention_count
    from {{ ref('stg_raw__mentions') }}
    group by article_id
),

attack_counts as (
    select article_id, count(distinct attack_id) as attack_count
    from {{ ref('fct_attack_sources') }}
    group by article_id
)

select
    articles.article_id,
    articles.version_no,
    articles.title,
    articles.url,
    articles.publisher,
    articles.published_date,
    articles.published_precision,
    articles.published_source,
    articles.source_path,
    articles.source_format,
    articles.char_count,
    articles.ingested_at,
    articles.flags,
    coalesce(sentence_counts.sentence_count, 0) as sentence_count,
    coalesce(mention_counts.mention_count, 0) as mention_count,
    coalesce(attack_counts.attack_count, 0) as attack_count
from articles
left join sentence_counts on articles.article_id = sentence_counts.article_id
left join mention_counts on articles.article_id = mention_counts.article_id
left join attack_counts on articles.article_id = attack_counts.article_id
