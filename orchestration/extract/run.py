"""Extraction step as a plain function (no Dagster): article bodies → every table `extract_articles`
returns (sentences, mentions, cues, claims …).

Incremental: recomputes only current articles not yet extracted under the current extractor version
(a hash of every transform module and seed), in batches to bound memory. The per-article function runs
on the chosen engine; each batch's tables are stored here, the same way for both engines.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.engines import Engine
from orchestration.engines.embedded import EmbeddedEngine
from orchestration.extract.article import Reference, extract_batch, nest_paragraphs
from orchestration.ingest.run import digest_files
from orchestration.settings import SEEDS_DIR
from orchestration.warehouse import raw

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
    con: duckdb.DuckDBPyConnection,
    seeds_dir: Path = SEEDS_DIR,
    now: datetime | None = None,
    engine: Engine | None = None,
) -> ExtractReport:
    """Extracted tables for current articles not yet extracted under this version, on `engine`
    (default embedded)."""
    now = now or datetime.now(UTC)
    engine = engine or EmbeddedEngine()
    raw.ensure_raw_schema(con)
    version = extraction_version(seeds_dir)
    todo = raw.articles_to_extract(con, version)
    report = ExtractReport()
    if todo.height == 0:
        return report
    reference = Reference.load(seeds_dir)
    by_type: dict[str, int] = {}
    id_batches = [batch["article_id"] for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES)]
    inputs = (
        nest_paragraphs(batch, raw.paragraphs_of(con, batch["article_id"]))
        for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES)
    )
    for ids, tables in zip(id_batches, engine.map_batches(extract_batch, reference, inputs), strict=True):
        raw.store_extraction(con, ids, tables, version, now)
        report.articles += ids.len()
        report.sentences += tables["sentences"].height
        report.mentions += tables["mentions"].height
        report.cues += tables["cues"].height
        for kind, count in tables["mentions"].group_by("mention_type").len().iter_rows():
            by_type[kind] = by_type.get(kind, 0) + count
    report.mentions_by_type = by_type
    return report
