"""Ingestion step as a plain function (no Dagster): raw files → raw.articles, paragraphs, rejections.

Incremental and idempotent: only new or changed texts are cleaned and stored; a changed file becomes a
new version and the old one is marked superseded; a removed file's articles are retired. Bodies cleaned
by an older version of the cleaning code or seeds are re-cleaned. Every problem with an input goes to
the ledger raw.rejected_files (reasons and actions in ingest/files.py); the other inputs go on.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest import cleaning, pubdate
from orchestration.ingest.files import (
    LEDGER_SCHEMA,
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
    """Counts of one ingest: files read and skipped; articles new, changed, unchanged, retired; ledger rows."""

    files_read: int = 0
    files_skipped: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    recleaned: int = 0
    retired: int = 0
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
    retire_removed: bool = True,
) -> IngestReport:
    """Read new or changed files of `raw_dir` in batches; store new versions and ledger rows.

    Files whose content and folder manifest are unchanged since the last ingest are not read again
    (their articles count as unchanged); memory stays bounded by INGEST_BATCH_FILES. With
    `retire_removed`, articles of files removed since the last ingest, and of JSON records no longer in
    a file read again, are retired (`source_removed`).
    """
    now = now or datetime.now(UTC)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist (set --raw-dir or BLUEHELM_RAW_DIR)")
    raw.ensure_raw_schema(con)
    version = cleaning_version(seeds_dir)
    paths = discover_files(raw_dir)
    fingerprints = file_fingerprints(raw_dir, paths)
    known = raw.source_files(con)
    stale = fingerprints.join(known, on=["path", "fingerprint"], how="anti")
    to_read = [raw_dir / path for path in stale["path"]]
    report = IngestReport(files_skipped=len(paths) - len(to_read))
    report.unchanged = raw.count_current_from(con, fingerprints.join(stale, on="path", how="anti")["path"])
    manifests = read_manifests(raw_dir, now)
    _record_ledger(con, pl.DataFrame(manifests.ledger, schema=LEDGER_SCHEMA), report)
    if retire_removed:
        gone = known.join(fingerprints, on="path", how="anti")["path"]
        _retire(con, gone, pl.Series("path", [], pl.String), "the file was removed", now, report)
    first_path_of = raw.current_article_paths(con)
    for start in range(0, len(to_read), INGEST_BATCH_FILES):
        batch = to_read[start : start + INGEST_BATCH_FILES]
        read = read_files(raw_dir, batch, max_file_bytes, manifests.entries, now, first_path_of)
        read_paths = [path.relative_to(raw_dir).as_posix() for path in batch]
        _store_batch(con, read, version, seeds_dir, now, report)
        if retire_removed:
            _retire(
                con,
                pl.Series("path", [], pl.String),
                _records_gone(con, read, read_paths),
                "the record is no longer in its file",
                now,
                report,
            )
        raw.record_source_files(con, fingerprints.filter(pl.col("path").is_in(read_paths)), now)
    report.recleaned = _reclean_outdated(con, version, seeds_dir)
    return report


def _records_gone(con: duckdb.DuckDBPyConnection, read: ReadResult, read_paths: list[str]) -> pl.Series:
    """Source paths of current JSON records (`file#…`) of files just read that the file no longer has
    (files rejected whole keep their records)."""
    documents, ledger = read.frames()
    whole = ledger.filter(pl.col("action") == "rejected", pl.col("path").is_in(read_paths))["path"]
    files = pl.Series("path", read_paths).filter(~pl.Series(read_paths).is_in(whole.implode()))
    produced = pl.concat([documents["source_path"], ledger["path"]])
    records = raw.current_record_paths(con, files)
    return records.filter(~records.is_in(produced.implode()))


def _retire(
    con: duckdb.DuckDBPyConnection,
    removed_files: pl.Series,
    removed_paths: pl.Series,
    why: str,
    now: datetime,
    report: IngestReport,
) -> None:
    if removed_files.is_empty() and removed_paths.is_empty():
        return
    retired = raw.retire_sources(con, removed_files, removed_paths, now)
    report.retired += retired.height
    ledger = retired.select(
        pl.col("source_path").alias("path"),
        pl.lit("source_removed").alias("reason"),
        pl.lit("retired").alias("action"),
        (pl.lit(why + ": article ") + pl.col("article_id") + pl.lit(" is no longer current")).alias("detail"),
        pl.lit(None, pl.String).alias("sha256"),
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("seen_at"),
    )
    _record_ledger(con, ledger, report)


def _record_ledger(con: duckdb.DuckDBPyConnection, ledger: pl.DataFrame, report: IngestReport) -> None:
    report.rejected += ledger.height
    report.rejected_new += raw.record_rejects(con, ledger)
    report.rejections += ledger.select("path", "reason", "action", "detail").to_dicts()


def _store_batch(
    con: duckdb.DuckDBPyConnection,
    read: ReadResult,
    version: str,
    seeds_dir: Path,
    now: datetime,
    report: IngestReport,
) -> None:
    documents, ledger = read.frames()
    report.files_read += documents.height + ledger.filter(pl.col("action") == "rejected").height
    fresh = documents.join(raw.current_articles(con), on=["article_id", "source_path"], how="anti")
    report.unchanged += documents.height - fresh.height
    cleaned = _clean(fresh, seeds_dir)
    unstructured = cleaned.unstructured.join(
        fresh.select("article_id", "source_path", "content_sha256"), on="article_id"
    )
    incoming = (
        fresh.join(cleaned.bodies, on="article_id", how="left", maintain_order="left")
        .pipe(lambda frame: pubdate.resolve_publication(frame.lazy()).collect())
        .with_columns(
            pl.col("body").str.len_chars().cast(pl.Int32).alias("char_count"),
            pl.lit(version).alias("cleaning_version"),
            pl.when(pl.col("article_id").is_in(unstructured["article_id"].implode()))
            .then(pl.col("flags").list.concat(pl.lit(["text_without_structure"])).list.unique().list.sort())
            .otherwise(pl.col("flags"))
            .alias("flags"),
        )
    )
    merged = raw.merge_articles(con, incoming, cleaned.paragraphs, cleaned.removed, now)
    report.new += merged.new
    report.changed += merged.changed
    seen_at = pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("seen_at")
    duplicate_rejects = merged.duplicates.join(
        incoming.select("article_id", "content_sha256"), on="article_id", how="left"
    ).select(
        pl.col("source_path").alias("path"),
        pl.lit("duplicate_content").alias("reason"),
        pl.lit("rejected").alias("action"),
        ("same text as " + pl.col("other_path")).alias("detail"),
        pl.col("content_sha256").alias("sha256"),
        seen_at,
    )
    structure_flags = unstructured.select(
        pl.col("source_path").alias("path"),
        pl.lit("text_without_structure").alias("reason"),
        pl.lit("flagged").alias("action"),
        "detail",
        pl.col("content_sha256").alias("sha256"),
        seen_at,
    )
    _record_ledger(
        con, pl.concat([ledger, duplicate_rejects, structure_flags], how="vertical_relaxed"), report
    )


def _reclean_outdated(con: duckdb.DuckDBPyConnection, version: str, seeds_dir: Path) -> int:
    stale = con.sql(
        "select article_id, original_text, title from raw.articles where is_current and cleaning_version <> ?",
        params=[version],
    ).pl()
    if stale.height == 0:
        return 0
    cleaned = _clean(stale, seeds_dir)
    raw.update_cleaning(
        con, cleaned.bodies, cleaned.paragraphs, cleaned.removed, version, cleaned.unstructured["article_id"]
    )
    return stale.height
