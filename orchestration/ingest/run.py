"""Ingestion step as a plain function (no Dagster): raw files → raw.articles, paragraphs, rejections.

Incremental and idempotent: only new or changed texts are cleaned and stored; a changed file becomes a
new version and the old one is marked superseded. Bodies cleaned by an older version of the cleaning
code or seeds are re-cleaned.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest import cleaning, pubdate
from orchestration.ingest.files import (
    ReadResult,
    discover_files,
    file_fingerprints,
    read_files,
    read_manifests,
)
from orchestration.settings import SEEDS_DIR
from orchestration.warehouse import raw

INGEST_CODE_DIR = Path(__file__).resolve().parent
CLEANING_INPUTS = ("boilerplate_patterns.csv", "language_markers.csv")
INGEST_BATCH_FILES = 2_000


@dataclass
class IngestReport:
    """Counts of one ingest: files read and skipped; articles new, changed, unchanged; rejections."""

    files_read: int = 0
    files_skipped: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    recleaned: int = 0
    rejected: int = 0
    rejected_new: int = 0
    rejections: list[dict] = field(default_factory=list)


def digest_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cleaning_version(seeds_dir: Path = SEEDS_DIR) -> str:
    """Hash of the cleaning code and its seeds: bodies cleaned under another version are re-cleaned."""
    code = [INGEST_CODE_DIR / name for name in ("cleaning.py", "files.py", "pubdate.py")]
    return digest_files(code + [seeds_dir / name for name in CLEANING_INPUTS])


def _clean(documents: pl.DataFrame, seeds_dir: Path) -> cleaning.CleanResult:
    return cleaning.clean_documents(
        documents,
        pl.read_csv(seeds_dir / "boilerplate_patterns.csv"),
        pl.read_csv(seeds_dir / "language_markers.csv"),
    )


def ingest(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    max_file_bytes: int,
    seeds_dir: Path = SEEDS_DIR,
    now: datetime | None = None,
) -> IngestReport:
    """Read new or changed files of `raw_dir` in batches; store new versions and rejections.

    Files whose size, modification time and folder manifest are unchanged since the last ingest are
    not read again (their articles count as unchanged); memory stays bounded by INGEST_BATCH_FILES.
    """
    now = now or datetime.now(UTC)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist (set --raw-dir or BLUEHELM_RAW_DIR)")
    raw.ensure_raw_schema(con)
    version = cleaning_version(seeds_dir)
    paths = discover_files(raw_dir)
    fingerprints = file_fingerprints(raw_dir, paths)
    stale = fingerprints.join(raw.source_files(con), on=["path", "fingerprint"], how="anti")
    to_read = [raw_dir / path for path in stale["path"]]
    report = IngestReport(files_skipped=len(paths) - len(to_read))
    report.unchanged = raw.count_current_from(con, fingerprints.join(stale, on="path", how="anti")["path"])
    manifests = read_manifests(raw_dir)
    first_path_of = raw.current_article_paths(con)
    for start in range(0, len(to_read), INGEST_BATCH_FILES):
        batch = to_read[start : start + INGEST_BATCH_FILES]
        read = read_files(raw_dir, batch, max_file_bytes, manifests, now, first_path_of)
        _store_batch(con, read, version, seeds_dir, now, report)
        read_paths = [path.relative_to(raw_dir).as_posix() for path in batch]
        raw.record_source_files(con, fingerprints.filter(pl.col("path").is_in(read_paths)), now)
    report.recleaned = _reclean_outdated(con, version, seeds_dir)
    return report


def _store_batch(
    con: duckdb.DuckDBPyConnection,
    read: ReadResult,
    version: str,
    seeds_dir: Path,
    now: datetime,
    report: IngestReport,
) -> None:
    documents, rejects = read.frames()
    report.files_read += documents.height + rejects.height
    fresh = documents.join(raw.current_articles(con), on=["article_id", "source_path"], how="anti")
    report.unchanged += documents.height - fresh.height
    cleaned = _clean(fresh, seeds_dir)
    incoming = (
        fresh.join(cleaned.bodies, on="article_id", how="left", maintain_order="left")
        .pipe(lambda frame: pubdate.resolve_publication(frame.lazy()).collect())
        .with_columns(
            pl.col("body").str.len_chars().cast(pl.Int32).alias("char_count"),
            pl.lit(version).alias("cleaning_version"),
        )
    )
    merged = raw.merge_articles(con, incoming, cleaned.paragraphs, cleaned.removed, now)
    report.new += merged.new
    report.changed += merged.changed
    duplicate_rejects = merged.duplicates.join(
        incoming.select("article_id", "content_sha256"), on="article_id", how="left"
    ).select(
        pl.col("source_path").alias("path"),
        pl.lit("duplicate_content").alias("reason"),
        ("same text as " + pl.col("other_path")).alias("detail"),
        pl.col("content_sha256").alias("sha256"),
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("seen_at"),
    )
    all_rejects = pl.concat([rejects, duplicate_rejects], how="vertical_relaxed")
    report.rejected += all_rejects.height
    report.rejected_new += raw.record_rejects(con, all_rejects)
    report.rejections += all_rejects.select("path", "reason", "detail").to_dicts()


def _reclean_outdated(con: duckdb.DuckDBPyConnection, version: str, seeds_dir: Path) -> int:
    stale = con.sql(
        "select article_id, original_text, title from raw.articles where is_current and cleaning_version <> ?",
        params=[version],
    ).pl()
    if stale.height == 0:
        return 0
    cleaned = _clean(stale, seeds_dir)
    raw.update_cleaning(con, cleaned.bodies, cleaned.paragraphs, cleaned.removed, version)
    return stale.height
