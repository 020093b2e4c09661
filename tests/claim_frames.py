"""Claims of literal articles through the real per-article function (sentences, matcher, figures, dates,
cues, then the claim extractors): pure Polars, no warehouse."""

import datetime as dt
from functools import cache

import polars as pl
from text_frames import paragraphs_from_lines

from orchestration.extract.article import Reference, extract_articles
from orchestration.settings import SEEDS_DIR


@cache
def reference() -> Reference:
    return Reference.load(SEEDS_DIR)


def extracted(*paragraphs: str, published: dt.date | None = dt.date(2019, 3, 18)) -> dict[str, pl.DataFrame]:
    """Every table extract_articles returns for one article made of `paragraphs` (one per line)."""
    body = "\n".join(paragraphs)
    articles = pl.DataFrame(
        {
            "article_id": ["t"],
            "body": [body],
            "published_date": [published],
            "published_precision": ["day" if published else "unknown"],
        },
        schema={
            "article_id": pl.String,
            "body": pl.String,
            "published_date": pl.Date,
            "published_precision": pl.String,
        },
    )
    return extract_articles(articles, paragraphs_from_lines(body, "t").collect(), reference())


def counts(*paragraphs: str, **kwargs) -> list[tuple]:
    """(place_name, place_level, event_date, killed_best, wounded_best) per attack claim, in body order."""
    attacks = extracted(*paragraphs, **kwargs)["attack_claims"]
    return [
        (row["place_name"], row["place_level"], row["event_date"], row["killed_best"], row["wounded_best"])
        for row in attacks.iter_rows(named=True)
    ]


def casualty_counts(*paragraphs: str, **kwargs) -> dict[str, float]:
    """{status: summed count_best} of the casualty claims outside aggregate sentences."""
    claims = extracted(*paragraphs, **kwargs)["casualty_claims"].filter(~pl.col("is_aggregate"))
    return dict(claims.group_by("status").agg(pl.col("count_best").sum()).iter_rows())
