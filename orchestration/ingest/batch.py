"""The per-file function of ingest: a batch of files in, the ingested tables out (no warehouse access).

`ingest_files` is what both engines run (in-process, or on Spark through mapInArrow): it reads only the
files it is given, so any partition of the files gives the same rows. What needs every batch and the
stored articles — duplicate texts under another path, unchanged articles, versions, fingerprints — is
done on the warehouse side (`ingest.run`), once, for both engines.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from orchestration.ingest import cleaning, pubdate
from orchestration.ingest.files import LEDGER_SCHEMA, read_files

CLEANING_SEEDS = ("boilerplate_patterns.csv", "language_markers.csv")


@dataclass(frozen=True)
class IngestContext:
    """What `ingest_files` needs besides the files: where they are, the size limit, the cleaning seeds."""

    raw_dir: Path
    max_file_bytes: int
    cleaning_version: str
    seen_at: datetime
    patterns: pl.DataFrame
    markers: pl.DataFrame

    @classmethod
    def load(
        cls, raw_dir: Path, max_file_bytes: int, cleaning_version: str, seen_at: datetime, seeds_dir: Path
    ) -> "IngestContext":
        return cls(
            raw_dir=raw_dir,
            max_file_bytes=max_file_bytes,
            cleaning_version=cleaning_version,
            seen_at=seen_at,
            patterns=pl.read_csv(seeds_dir / CLEANING_SEEDS[0]),
            markers=pl.read_csv(seeds_dir / CLEANING_SEEDS[1]),
        )

    def clean(self, documents: pl.DataFrame) -> cleaning.CleanResult:
        """`cleaning.clean_documents` with this context's seeds (documents with distinct article_id)."""
        return cleaning.clean_documents(documents, self.patterns, self.markers)


def ingest_files(files: pl.DataFrame, context: IngestContext) -> dict[str, pl.DataFrame]:
    """Read and clean the files of `files` (`files.FILE_SCHEMA` rows).

    Returns {"articles": one row per document read (DOCUMENT_SCHEMA + body, published_*, char_count,
    cleaning_version; duplicates of a text included, each with the body of its first reading; flag
    `text_without_structure` added where cleaning found no sentence or paragraph structure),
    "paragraphs" and "removed_blocks": rows of raw.paragraphs / raw.removed_blocks for each distinct
    text, "rejected_files": the ledger rows of these files (files.LEDGER_SCHEMA), including one
    'flagged' row per document without structure}.
    """
    documents, ledger = read_files(context.raw_dir, files, context.max_file_bytes, context.seen_at).frames()
    cleaned = context.clean(documents.unique("article_id", keep="first", maintain_order=True))
    unstructured = cleaned.unstructured["article_id"].implode()
    articles = (
        documents.join(cleaned.bodies, on="article_id", how="left", maintain_order="left")
        .pipe(lambda frame: pubdate.resolve_publication(frame.lazy()).collect())
        .with_columns(
            pl.col("body").str.len_chars().cast(pl.Int32).alias("char_count"),
            pl.lit(context.cleaning_version).alias("cleaning_version"),
            pl.when(pl.col("article_id").is_in(unstructured))
            .then(pl.col("flags").list.concat(pl.lit(["text_without_structure"])).list.unique().list.sort())
            .otherwise(pl.col("flags"))
            .alias("flags"),
        )
    )
    structure_flags = cleaned.unstructured.join(
        documents.select("article_id", "source_path", "content_sha256"), on="article_id"
    ).select(
        pl.col("source_path").alias("path"),
        pl.lit("text_without_structure").alias("reason"),
        pl.lit("flagged").alias("action"),
        "detail",
        pl.col("content_sha256").alias("sha256"),
        pl.lit(context.seen_at).cast(LEDGER_SCHEMA["seen_at"]).alias("seen_at"),
    )
    return {
        "articles": articles,
        "paragraphs": cleaned.paragraphs,
        "removed_blocks": cleaned.removed,
        "rejected_files": pl.concat([ledger, structure_flags], how="vertical_relaxed"),
    }
