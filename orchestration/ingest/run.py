"""Ingestion step as a plain function (no Dagster): raw files → raw.articles, paragraphs, rejections.

The per-file work (reading, decoding, cleaning, publication dates: `ingest.batch.ingest_files`) runs on
the chosen engine, batch by batch; everything that needs the stored warehouse is done here, the same
for both engines: unchanged files skipped by fingerprint, a text already read under another path
rejected as `duplicate_content`, new and changed versions merged (the old one marked superseded), a
removed file's articles retired, fingerprints recorded once their batch is stored. Incremental and
idempotent. Bodies cleaned by an older version of the cleaning code or seeds are re-cleaned. Every
problem with an input goes to the ledger raw.rejected_files (reasons and actions in ingest/files.py);
the other inputs go on.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.engines import Engine
from orchestration.engines.embedded import EmbeddedEngine
from orchestration.ingest.batch import CLEANING_SEEDS, IngestContext, ingest_files
from orchestration.ingest.files import (
    LEDGER_SCHEMA,
    discover_files,
    file_fingerprints,
    files_to_read,
    read_manifests,
)
from orchestration.settings import SEEDS_DIR
from orchestration.warehouse import raw

INGEST_CODE_DIR = Path(__file__).resolve().parent
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
    code = [INGEST_CODE_DIR / name for name in ("batch.py", "cleaning.py", "files.py", "pubdate.py")]
    return digest_files(code + [seeds_dir / name for name in CLEANING_SEEDS])


def ingest(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    max_file_bytes: int,
    seeds_dir: Path = SEEDS_DIR,
    now: datetime | None = None,
    retire_removed: bool = True,
    engine: Engine | None = None,
) -> IngestReport:
    """Read new or changed files of `raw_dir` in batches on `engine` (default embedded); store new
    versions and ledger rows.

    Files whose content and folder manifest are unchanged since the last ingest are not read again
    (their articles count as unchanged); memory stays bounded by INGEST_BATCH_FILES. With
    `retire_removed`, articles of files removed since the last ingest, and of JSON records no longer in
    a file read again, are retired (`source_removed`).
    """
    now = now or datetime.now(UTC)
    engine = engine or EmbeddedEngine()
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist (set --raw-dir or BLUEHELM_RAW_DIR)")
    raw.ensure_raw_schema(con)
    version = cleaning_version(seeds_dir)
    paths = discover_files(raw_dir)
    fingerprints = file_fingerprints(raw_dir, paths)
    known = raw.source_files(con)
    stale = fingerprints.join(known, on=["path", "fingerprint"], how="anti")
    report = IngestReport(files_skipped=len(paths) - stale.height)
    report.unchanged = raw.count_current_from(con, fingerprints.join(stale, on="path", how="anti")["path"])
    manifests = read_manifests(raw_dir, now)
    _record_ledger(con, pl.DataFrame(manifests.ledger, schema=LEDGER_SCHEMA), report)
    if retire_removed:
        gone = known.join(fingerprints, on="path", how="anti")["path"]
        _retire(con, gone, pl.Series("path", [], pl.String), "the file was removed", now, report)
    files = files_to_read(raw_dir, [raw_dir / path for path in stale["path"]], manifests.entries)
    batches = [files.slice(start, INGEST_BATCH_FILES) for start in range(0, files.height, INGEST_BATCH_FILES)]
    context = IngestContext.load(raw_dir, max_file_bytes, version, now, seeds_dir)
    first_path_of = raw.article_paths(con)
    outputs = engine.map_batches(ingest_files, context, iter(batches))
    for batch, tables in zip(batches, outputs, strict=True):
        _store_batch(con, tables, first_path_of, now, report)
        if retire_removed:
            _retire(
                con,
                pl.Series("path", [], pl.String),
                _records_gone(con, tables, batch["path"]),
                "the record is no longer in its file",
                now,
                report,
            )
        raw.record_source_files(con, fingerprints.filter(pl.col("path").is_in(batch["path"].implode())), now)
    report.recleaned = _reclean_outdated(con, context)
    return report


def split_duplicates(
    documents: pl.DataFrame, first_path_of: dict[str, str], now: datetime
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Documents whose text was first read under their own path, and ledger rows (`duplicate_content`) of
    the others: the one rule of duplicate content.

    The first path of a text is the one it is stored under (`raw.article_paths`: any version, current or
    not, as a text is stored once), else the first in reading order (file_no, record_no);
    `first_path_of` (article_id → first path) is updated, carrying this across batches.
    """
    ordered = documents.sort("file_no", "record_no", maintain_order=True)
    firsts = ordered.group_by("article_id", maintain_order=True).agg(
        pl.col("source_path").first().alias("first")
    )
    known = pl.DataFrame(
        [(key, first_path_of[key]) for key in firsts["article_id"] if key in first_path_of],
        schema={"article_id": pl.String(), "known": pl.String()},
        orient="row",
    )
    first_path_of.update(zip(firsts["article_id"], firsts["first"], strict=True))
    first_path_of.update(zip(known["article_id"], known["known"], strict=True))
    located = (
        ordered.join(firsts, on="article_id", maintain_order="left")
        .join(known, on="article_id", how="left", maintain_order="left")
        .with_columns(pl.coalesce("known", "first").alias("earlier"))
    )
    is_duplicate = pl.col("earlier") != pl.col("source_path")
    ledger = located.filter(is_duplicate).select(
        pl.col("source_path").alias("path"),
        pl.lit("duplicate_content").alias("reason"),
        pl.lit("rejected").alias("action"),
        ("same text as " + pl.col("earlier")).alias("detail"),
        pl.col("content_sha256").alias("sha256"),
        pl.lit(now).cast(LEDGER_SCHEMA["seen_at"]).alias("seen_at"),
    )
    return located.filter(~is_duplicate).drop("first", "known", "earlier"), ledger


def _records_gone(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame], read_paths: pl.Series) -> pl.Series:
    """Source paths of current JSON records (`file#…`) of files just read that the file no longer has
    (files rejected whole keep their records)."""
    documents, ledger = tables["articles"], tables["rejected_files"]
    whole = ledger.filter(pl.col("action") == "rejected", pl.col("path").is_in(read_paths.implode()))["path"]
    files = read_paths.filter(~read_paths.is_in(whole.implode()))
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
    tables: dict[str, pl.DataFrame],
    first_path_of: dict[str, str],
    now: datetime,
    report: IngestReport,
) -> None:
    documents, duplicates = split_duplicates(tables["articles"], first_path_of, now)
    ledger = tables["rejected_files"]
    report.files_read += (
        documents.height + duplicates.height + ledger.filter(pl.col("action") == "rejected").height
    )
    incoming = documents.join(raw.current_articles(con), on=["article_id", "source_path"], how="anti")
    report.unchanged += documents.height - incoming.height
    # a text read in two chunks of one batch (two paths) was cleaned twice: keep the first reading's rows
    paragraphs = tables["paragraphs"].unique(
        ["article_id", "paragraph_no"], keep="first", maintain_order=True
    )
    removed = tables["removed_blocks"].unique(["article_id", "block_no"], keep="first", maintain_order=True)
    merged = raw.merge_articles(con, incoming, paragraphs, removed, now)
    report.new += merged.new
    report.changed += merged.changed
    _record_ledger(con, pl.concat([ledger, duplicates], how="vertical_relaxed"), report)


def _reclean_outdated(con: duckdb.DuckDBPyConnection, context: IngestContext) -> int:
    stale = con.sql(
        "select article_id, original_text, title from raw.articles where is_current and cleaning_version <> ?",
        params=[context.cleaning_version],
    ).pl()
    if stale.height == 0:
        return 0
    cleaned = context.clean(stale)
    raw.update_cleaning(
        con,
        cleaned.bodies,
        cleaned.paragraphs,
        cleaned.removed,
        context.cleaning_version,
        cleaned.unstructured["article_id"],
    )
    return stale.height
