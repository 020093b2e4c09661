"""Literal articles through the real per-article function (`extract_articles`), for the claim tests.

Every paragraph argument is one paragraph of the body; the reference seeds are the project's own, so a
test shows a rule together with the vocabulary that drives it.
"""

import datetime as dt
from functools import cache

import polars as pl
from text_frames import paragraph_frame

from orchestration.extract.article import Reference, extract_articles
from orchestration.settings import SEEDS_DIR


@cache
def reference() -> Reference:
    return Reference.load(SEEDS_DIR)


def article_frames(
    *paragraphs: str,
    article_id: str = "t000000000000001",
    published: dt.date | None = dt.date(2020, 3, 10),
    source: str | None = None,
    url: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles, paragraphs) frames of one article whose body is `paragraphs` joined by blank lines."""
    articles = pl.DataFrame(
        {
            "article_id": [article_id],
            "body": ["\n\n".join(paragraphs)],
            "published_date": [published],
            "published_precision": ["day" if published else "unknown"],
            "source": [source],
            "url": [url],
        },
        schema={
            "article_id": pl.String,
            "body": pl.String,
            "published_date": pl.Date,
            "published_precision": pl.String,
            "source": pl.String,
            "url": pl.String,
        },
    )
    return articles, paragraph_frame(*paragraphs, article_id=article_id)


def extract(*paragraphs: str, **metadata) -> dict[str, pl.DataFrame]:
    """Every table `extract_articles` returns for one literal article."""
    return extract_articles(*article_frames(*paragraphs, **metadata), reference())


def deployments(*paragraphs: str, **metadata) -> set[tuple]:
    """The (contributor_iso3, place_name) pairs the article's deployment claims place."""
    claims = extract(*paragraphs, **metadata)["deployment_claims"]
    return set(claims.select("contributor_iso3", "place_name").iter_rows())


def contributions(*paragraphs: str, **metadata) -> set[tuple]:
    """The (contributor_iso3, mission_actor_id) pairs of the article's contribution claims."""
    claims = extract(*paragraphs, **metadata)["contribution_claims"]
    return set(claims.select("contributor_iso3", "mission_actor_id").iter_rows())


def extracted(*paragraphs: str, published: dt.date | None = dt.date(2019, 3, 18)) -> dict[str, pl.DataFrame]:
    """Every table `extract_articles` returns for one article made of `paragraphs`, published on
    `published` (the attack and casualty tests' day)."""
    return extract(*paragraphs, published=published)


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
