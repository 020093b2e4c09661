"""Extraction step as a plain function (no Dagster): article bodies → sentences, mentions, cues.

Incremental: recomputes only current articles not yet extracted under the current extractor version
(a hash of every transform module and seed), in batches to bound memory.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.warehouse import raw
from orchestration.ingest.run import digest_files
from orchestration.settings import SEEDS_DIR
from orchestration.extract import dates, dictionary, figures, sentences
from orchestration.extract.schema import CUE_SCHEMA, MENTION_SCHEMA, SENTENCE_SCHEMA

EXTRACT_BATCH_ARTICLES = 5_000


@dataclass
class ExtractReport:
    """Counts of one extraction: articles extracted and rows written per table."""

    articles: int = 0
    sentences: int = 0
    mentions: int = 0
    cues: int = 0
    mentions_by_type: dict[str, int] = field(default_factory=dict)


def extraction_version(seeds_dir: Path = SEEDS_DIR) -> str:
    """Hash of every transform module and seed: articles extracted under another version are redone."""
    return digest_files(list(Path(__file__).resolve().parent.glob("*.py")) + list(seeds_dir.glob("*.csv")))


def extract(
    con: duckdb.DuckDBPyConnection, seeds_dir: Path = SEEDS_DIR, now: datetime | None = None
) -> ExtractReport:
    """Sentences, mentions and cues for current articles not yet extracted under this version."""
    now = now or datetime.now(UTC)
    raw.ensure_raw_schema(con)
    version = extraction_version(seeds_dir)
    todo = raw.articles_to_extract(con, version)
    report = ExtractReport()
    if todo.height == 0:
        return report
    lexicon = dictionary.load_dictionary(seeds_dir)
    cue_terms = pl.read_csv(seeds_dir / "cue_terms.csv")
    abbreviations = sentences.load_abbreviations(seeds_dir)
    figure_vocabulary = figures.load_figure_vocabulary(seeds_dir)
    by_type: dict[str, int] = {}
    for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES):
        ids = batch["article_id"]
        found_sentences = sentences.split_sentences(
            raw.paragraphs_of(con, ids).lazy(), abbreviations
        ).collect()
        articles = batch.lazy()
        lazy_sentences = found_sentences.lazy()
        found_mentions = pl.concat(
            [
                dictionary.find_entity_mentions(lazy_sentences, articles, lexicon),
                figures.find_figures(lazy_sentences, figure_vocabulary),
                dates.find_dates(lazy_sentences, articles),
            ]
        ).collect()
        found_cues = dictionary.find_cues(lazy_sentences, cue_terms).collect()
        raw.store_extraction(
            con,
            ids,
            found_sentences.select(SENTENCE_SCHEMA.keys()),
            found_mentions.select(MENTION_SCHEMA.keys()),
            found_cues.select(CUE_SCHEMA.keys()),
            version,
            now,
        )
        report.articles += batch.height
        report.sentences += found_sentences.height
        report.mentions += found_mentions.height
        report.cues += found_cues.height
        for kind, count in found_mentions.group_by("mention_type").len().iter_rows():
            by_type[kind] = by_type.get(kind, 0) + count
    report.mentions_by_type = by_type
    return report
