"""Extraction step as a plain function (no Dagster): article bodies → every table `extract_articles`
returns (sentences, mentions, cues, claims …).

Incremental: recomputes only current articles not yet extracted under the current extractor version
(a hash of every transform module and seed), in batches to bound memory. The per-article function runs
on the chosen engine; each batch's tables are stored here, the same way for both engines. One article
never stops the step: a structural failure in its rows, or an error of the extractor on it, holds back
that article only.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.engines import Engine
from orchestration.engines.embedded import EmbeddedEngine
from orchestration.extract.article import HELD_TABLE, Reference, extract_batch, nest_paragraphs
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
    con: duckdb.DuckDBPyConnection,
    seeds_dir: Path = SEEDS_DIR,
    now: datetime | None = None,
    engine: Engine | None = None,
) -> ExtractReport:
    """Extracted tables for current articles not yet extracted under this version, on `engine`
    (default embedded).

    An article whose rows break a structural rule (`integrity`), or on which the extractor raises, is
    held back (raw.held_articles, with the reason) and the rest of its batch is written. Rows of
    articles no longer current or held are purged from every extracted table.
    """
    now = now or datetime.now(UTC)
    engine = engine or EmbeddedEngine()
    raw.ensure_raw_schema(con)
    version = extraction_version(seeds_dir)
    todo = raw.articles_to_extract(con, version)
    report = ExtractReport()
    if todo.height:
        reference = Reference.load(seeds_dir)
        by_type: dict[str, int] = {}
        id_batches = [batch["article_id"] for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES)]
        inputs = (
            nest_paragraphs(batch, raw.paragraphs_of(con, batch["article_id"]))
            for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES)
        )
        for ids, tables in zip(id_batches, engine.map_batches(extract_batch, reference, inputs), strict=True):
            held = tables.pop(HELD_TABLE)
            raw.store_extraction(con, ids, tables, version, now, held)
            report.articles += ids.len() - held.height
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
