"""Literal frames for the text transforms' tests (sentences, figures, dates)."""

import csv
import datetime as dt
from pathlib import Path

import polars as pl

from orchestration.extract.sentences import split_sentences


def sentence_frame(*texts: str, article_id: str = "a") -> pl.LazyFrame:
    """One sentence per text, each at the start of its own line of the article body."""
    rows, position = [], 0
    for number, text in enumerate(texts):
        rows.append(
            {
                "article_id": article_id,
                "paragraph_no": number,
                "sentence_no": number,
                "char_start": position,
                "char_end": position + len(text),
                "text": text,
                "is_caption": False,
                "language": "en",
            }
        )
        position += len(text) + 1
    return pl.LazyFrame(rows)


def paragraph_frame(*texts: str, article_id: str = "a", captions: tuple[bool, ...] = ()) -> pl.DataFrame:
    """raw.paragraphs rows of one article body made of `texts` joined by blank lines."""
    rows, position = [], 0
    for number, text in enumerate(texts):
        rows.append(
            {
                "article_id": article_id,
                "paragraph_no": number,
                "char_start": position,
                "char_end": position + len(text),
                "text": text,
                "is_caption": captions[number] if captions else False,
                "language": "en",
            }
        )
        position += len(text) + 2
    return pl.DataFrame(
        rows,
        schema={
            "article_id": pl.String,
            "paragraph_no": pl.Int32,
            "char_start": pl.Int32,
            "char_end": pl.Int32,
            "text": pl.String,
            "is_caption": pl.Boolean,
            "language": pl.String,
        },
    )


def paragraphs_from_lines(body: str, article_id: str) -> pl.LazyFrame:
    """Paragraphs as non-empty lines of `body` (stands in for ingestion in seed-article tests)."""
    rows, position = [], 0
    for line in body.split("\n"):
        if line.strip():
            rows.append(
                {
                    "article_id": article_id,
                    "paragraph_no": len(rows),
                    "char_start": position,
                    "char_end": position + len(line),
                    "text": line,
                    "is_caption": False,
                    "language": "en",
                }
            )
        position += len(line) + 1
    return pl.LazyFrame(rows)


def paragraph_sentences(*paragraphs: str, article_id: str = "a") -> pl.LazyFrame:
    """Sentences (split by the real splitter) of `paragraphs`, one paragraph per argument."""
    return split_sentences(paragraphs_from_lines("\n".join(paragraphs), article_id))


def seed_articles(corpus: Path) -> list[tuple[str, str, pl.LazyFrame, pl.LazyFrame]]:
    """(file name, body, sentences, articles frame with the manifest's publication date) per seed file."""
    result = []
    for row in csv.DictReader((corpus / "manifest.csv").open(encoding="utf-8")):
        body = (corpus / row["file"]).read_text(encoding="utf-8")
        published = row["published"]
        precision = {10: "day", 7: "month", 4: "year"}.get(len(published), "unknown")
        date = dt.date.fromisoformat((published + "-01-01")[:10]) if published else None
        articles = pl.LazyFrame(
            {"article_id": [row["file"]], "published_date": [date], "published_precision": [precision]},
            schema={"article_id": pl.String, "published_date": pl.Date, "published_precision": pl.String},
        )
        sentences = split_sentences(paragraphs_from_lines(body, row["file"]))
        result.append((row["file"], body, sentences, articles))
    return result
