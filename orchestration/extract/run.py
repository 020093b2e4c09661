"""Extraction step as a plain function (no Dagster): article bodies → sentences, mentions, cues.

Incremental: recomputes only current articles not yet extracted under the current extractor version
(a hash of every transform module and seed), in batches to bound memory. One article never stops the
step: a structural failure in its rows, or an error of the extractor on it, holds back that article only.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.extract.article import Reference, extract_articles
from orchestration.extract.integrity import HELD_SCHEMA, hold_back
from orchestration.ingest.run import digest_files
from orchestration.settings import SEEDS_DIR
from orchestration.warehouse import raw

EXTRACT_BATCH_ARTICLES = 5_000


@dataclass
class ExtractReport:
    """Counts of one extraction: articles extracted and held back, rows written per table."""

    articles: int = 0
    held: int = 0
    sentences: int = 0
    mentions: int = 0
    cues: int = 0
    mentions_by_type: dict[str, int] = field(default_factory=dict)
    held_articles: list[dict] = field(default_factory=list)


def extraction_version(seeds_dir: Path = SEEDS_DIR) -> str:
    """Hash of every transform module and seed: articles extracted under another version are redone."""
    return digest_files(list(Path(__file__).resolve().parent.glob("*.py")) + list(seeds_dir.glob("*.csv")))


def extract(
    con: duckdb.DuckDBPyConnection, seeds_dir: Path = SEEDS_DIR, now: datetime | None = None
) -> ExtractReport:
    """Sentences, mentions and cues for current articles not yet extracted under this version.

    An article whose rows break a structural rule (`integrity`), or on which the extractor raises, is
    held back (raw.held_articles, with the reason) and the rest of its batch is written. Rows of
    articles no longer current or held are purged from every extracted table.
    """
    now = now or datetime.now(UTC)
    raw.ensure_raw_schema(con)
    version = extraction_version(seeds_dir)
    todo = raw.articles_to_extract(con, version)
    report = ExtractReport()
    if todo.height:
        reference = Reference.load(seeds_dir)
        by_type: dict[str, int] = {}
        for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES):
            ids = batch["article_id"]
            tables, held = extract_isolated(batch, raw.paragraphs_of(con, ids), reference)
            raw.store_extraction(con, ids, tables, version, now, held)
            report.articles += batch.height - held.height
            report.held += held.height
            report.held_articles += held.to_dicts()
            report.sentences += tables["sentences"].height if "sentences" in tables else 0
            report.mentions += tables["mentions"].height if "mentions" in tables else 0
            report.cues += tables["cues"].height if "cues" in tables else 0
            if "mentions" in tables:
                for kind, count in tables["mentions"].group_by("mention_type").len().iter_rows():
                    by_type[kind] = by_type.get(kind, 0) + count
        report.mentions_by_type = by_type
    raw.purge_stale(con)
    return report


def extract_isolated(
    articles: pl.DataFrame, paragraphs: pl.DataFrame, reference: Reference
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """`extract_articles` on a batch, minus the articles held back: (tables, held as in `integrity`).

    When the extractor raises, each half of the batch is tried on its own, down to single articles,
    so one article that breaks it is held (`extract_error`) and the others are extracted.
    """
    try:
        tables = extract_articles(articles, paragraphs, reference)
    except Exception as error:  # noqa: BLE001 - one article's failure never stops the others
        if articles.height == 1:
            detail = f"{type(error).__name__}: {error}"[:300]
            held = pl.DataFrame(
                {"article_id": articles["article_id"], "reason": ["extract_error"], "detail": [detail]},
                schema=HELD_SCHEMA,
            )
            return {}, held
        middle = articles.height // 2
        parts = [
            extract_isolated(
                half, paragraphs.filter(pl.col("article_id").is_in(half["article_id"].implode())), reference
            )
            for half in (articles.head(middle), articles.tail(articles.height - middle))
        ]
        names = {name for part_tables, _ in parts for name in part_tables}
        tables = {
            name: pl.concat([part_tables[name] for part_tables, _ in parts if name in part_tables])
            for name in names
        }
        return tables, pl.concat([held for _, held in parts])
    return hold_back(tables, articles)
