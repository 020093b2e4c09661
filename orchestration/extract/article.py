"""The per-article function: a batch of articles in, every extracted table out (pure Polars, no I/O).

This is the one seam both engines call (in-process by default, later Spark through mapInArrow): rows
of one article never depend on another article, so any partition of the articles gives the same rows.
"""

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.extract import dates, dictionary, figures, sentences
from orchestration.extract.schema import CUE_SCHEMA, MENTION_SCHEMA, SENTENCE_SCHEMA
from orchestration.extract.spans import leftmost_longest


@dataclass(frozen=True)
class Reference:
    """Reference data the extractor reads (loaded once per process from the seeds)."""

    lexicon: dictionary.Dictionary
    cue_terms: pl.DataFrame
    abbreviations: pl.DataFrame
    figure_vocabulary: dict[str, pl.DataFrame]

    @classmethod
    def load(cls, seeds_dir: Path) -> "Reference":
        return cls(
            lexicon=dictionary.load_dictionary(seeds_dir),
            cue_terms=pl.read_csv(seeds_dir / "cue_terms.csv"),
            abbreviations=sentences.load_abbreviations(seeds_dir),
            figure_vocabulary=figures.load_figure_vocabulary(seeds_dir),
        )


def extract_articles(articles: pl.DataFrame, paragraphs: pl.DataFrame, reference: Reference) -> dict[str, pl.DataFrame]:
    """Tables extracted from `articles` (article_id, body, published_date, published_precision) and
    their `paragraphs` (raw.paragraphs rows): {"sentences", "mentions", "cues"}, each with the columns
    of the raw table of that name. Mentions of one type never overlap (leftmost-longest), so
    `mention_id` is unique by construction."""
    found_sentences = sentences.split_sentences(paragraphs.lazy(), reference.abbreviations).collect()
    lazy_articles = articles.lazy()
    lazy_sentences = found_sentences.lazy()
    found_mentions = leftmost_longest(
        pl.concat(
            [
                dictionary.find_entity_mentions(lazy_sentences, lazy_articles, reference.lexicon),
                figures.find_figures(lazy_sentences, reference.figure_vocabulary),
                dates.find_dates(lazy_sentences, lazy_articles),
            ]
        ).collect(),
        ["article_id", "mention_type"],
    ).sort("article_id", "char_start", "mention_type")
    found_cues = dictionary.find_cues(lazy_sentences, reference.cue_terms).collect()
    return {
        "sentences": found_sentences.select(SENTENCE_SCHEMA.keys()),
        "mentions": found_mentions.select(MENTION_SCHEMA.keys()),
        "cues": found_cues.select(CUE_SCHEMA.keys()),
    }
