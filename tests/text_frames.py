"""Literal frames for the text transforms' tests (sentences, figures, dates)."""

import csv
import datetime as dt
from pathlib import Path

import polars as pl

from orchestration.extract.sentences import split_sentences

# raw.paragraphs
PARAGRAPH_SCHEMA = {
    "article_id": pl.String,
    "paragraph_no": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
    "text": pl.String,
    "is_caption": pl.Boolean,
    "language": pl.String,
}


def _laid_out(texts: list[str] | tuple[str, ...], gap: int):
    """(number, char_start, char_end, text) of `texts` laid end to end, `gap` characters apart."""
    position = 0
    for number, text in enumerate(texts):
        yield number, position, position + len(text), text
        position += len(text) + gap


def sentence_frame(*texts: str, article_id: str = "a", language: str = "en") -> pl.LazyFrame:
    """One sentence per text, each at the start of its own line of the article body."""
    return pl.LazyFrame(
        [
            {
                "article_id": article_id,
                "paragraph_no": number,
                "sentence_no": number,
                "char_start": start,
                "char_end": end,
                "text": text,
                "is_caption": False,
                "language": language,
            }
            for number, start, end, text in _laid_out(texts, 1)
        ]
    )


def paragraph_frame(*texts: str, article_id: str = "a", captions: tuple[bool, ...] = ()) -> pl.DataFrame:
    """raw.paragraphs rows of one article body made of `texts` joined by blank lines."""
    return pl.DataFrame(_paragraph_rows(_laid_out(texts, 2), article_id, captions), schema=PARAGRAPH_SCHEMA)


def paragraphs_from_lines(body: str, article_id: str) -> pl.LazyFrame:
    """Paragraphs as non-empty lines of `body` (stands in for ingestion in seed-article tests)."""
    lines = [(start, end, line) for _, start, end, line in _laid_out(body.split("\n"), 1) if line.strip()]
    return pl.LazyFrame(_paragraph_rows(((number, *line) for number, line in enumerate(lines)), article_id))


def _paragraph_rows(laid_out, article_id: str, captions: tuple[bool, ...] = ()) -> list[dict]:
    return [
        {
            "article_id": article_id,
            "paragraph_no": number,
            "char_start": start,
            "char_end": end,
            "text": text,
            "is_caption": captions[number] if captions else False,
            "language": "en",
        }
        for number, start, end, text in laid_out
    ]


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
