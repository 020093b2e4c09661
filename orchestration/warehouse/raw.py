"""DuckDB side of the `raw` schema: table definitions, versioned article merge, derived-row replacement.

Every function takes an open DuckDB connection and does its writes in one transaction, so a crash
leaves either the old or the new state. Grain of each table is stated in `RAW_DDL`; the tables the extract
step writes are declared once, in `extract.schema.EXTRACTED_TABLES`, and their DDL derived from it.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from filelock import FileLock, Timeout

from orchestration.extract.schema import EXTRACTED_TABLES, ExtractedTable, NotNull

RAW_DDL = """
create schema if not exists raw;
-- one row per article version; article_id is derived from the decoded text
create table if not exists raw.articles (
    article_id varchar primary key,
    version_no integer not null,
    source_path varchar not null,
    source_format varchar not null,
    title varchar, url varchar, source varchar,
    published_date date, published_precision varchar not null, published_source varchar not null,
    metadata_origin varchar, encoding varchar,
    original_text varchar not null, body varchar not null,
    content_sha256 varchar not null, char_count integer not null,
    cleaning_version varchar not null,
    is_current boolean not null,
    superseded_by varchar, superseded_at timestamptz,
    ingested_at timestamptz not null
);
-- flags: reasons of the input's 'flagged' ledger rows (invalid_utf8, front_matter_invalid …);
-- retired_reason: why a version stopped being current without a successor (source_removed)
alter table raw.articles add column if not exists flags varchar[] default [];
alter table raw.articles add column if not exists retired_reason varchar;
-- one row per kept paragraph of a current article body (offsets into body)
create table if not exists raw.paragraphs (
    article_id varchar not null, paragraph_no integer not null,
    char_start integer not null, char_end integer not null, text varchar not null,
    is_caption boolean not null, language varchar not null,
    primary key (article_id, paragraph_no)
);
-- one row per block cut from a current article (kept for audit)
create table if not exists raw.removed_blocks (
    article_id varchar not null, block_no integer not null, text varchar not null, reason varchar not null,
    primary key (article_id, block_no)
);
-- the input ledger: one row per (path, reason, content) of an input (file, JSON record, manifest row)
-- not read whole, with what was done (action: rejected, ignored, flagged, retired; see ingest/files.py);
-- first sighting kept, later sightings update last_seen_at
create table if not exists raw.rejected_files (
    path varchar not null, reason varchar not null, detail varchar, sha256 varchar,
    seen_at timestamptz not null, last_seen_at timestamptz not null
);
alter table raw.rejected_files add column if not exists action varchar default 'rejected';
-- one row per current article held back by the extract step (its rows broke a structural rule or the
-- extractor failed on it): nothing of it reaches staging until an extractor version extracts it cleanly
create table if not exists raw.held_articles (
    article_id varchar primary key, source_path varchar, reason varchar not null, detail varchar,
    extraction_version varchar not null, held_at timestamptz not null
);
-- one row per input file read, with the fingerprint (content and manifest hashes) it had when last ingested
create table if not exists raw.source_files (
    path varchar primary key, fingerprint varchar not null, ingested_at timestamptz not null
);
-- one row per article whose sentences, mentions and cues are up to date with an extractor version
create table if not exists raw.extractions (
    article_id varchar primary key, extraction_version varchar not null, extracted_at timestamptz not null
);
-- one row per successful dbt build: the digest of the dbt project it built (models, macros, seeds, tests)
create table if not exists raw.dbt_builds (
    project_digest varchar not null, full_refresh boolean not null, built_at timestamptz not null
);
"""

_DUCKDB_TYPES = {
    pl.String: "varchar", pl.Int32: "integer", pl.Float64: "double", pl.Boolean: "boolean", pl.Date: "date"
}


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return f"{_duckdb_type(dtype.inner)}[]"
    return _DUCKDB_TYPES[dtype.base_type()]


def _extracted_table_ddl(name: str, table: ExtractedTable) -> str:
    """`create table if not exists raw.<name>` from the table's declaration, then `add column if not
    exists` for each nullable column, so a warehouse built before a column was declared gains it."""
    lines = [
        f"{column} {_duckdb_type(dtype)}" + (" not null" if isinstance(table.columns[column], NotNull) else "")
        for column, dtype in table.schema.items()
    ]
    if table.primary_key:
        lines.append(f"primary key ({', '.join(table.key)})")
    added = [
        f"alter table raw.{name} add column if not exists {column} {_duckdb_type(dtype)};"
        for column, dtype in table.schema.items()
        if not isinstance(table.columns[column], NotNull)
    ]
    return "\n".join([f"create table if not exists raw.{name} (\n    " + ",\n    ".join(lines) + "\n);", *added])


ARTICLE_COLUMNS = (
    "article_id", "version_no", "source_path", "source_format", "title", "url", "source",
    "published_date", "published_precision", "published_source", "metadata_origin", "encoding",
    "original_text", "body", "content_sha256", "char_count", "cleaning_version", "is_current",
    "superseded_by", "superseded_at", "ingested_at", "flags",
)  # fmt: skip


@dataclass(frozen=True)
class MergeResult:
    """What `merge_articles` did: counts per outcome."""

    new: int
    changed: int
    unchanged: int


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse write lock."""


def _record_holder(descriptor: int) -> None:
    """Write this process's id into the lock file just locked (named in the other writers' error)."""
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)


@contextmanager
def write_lock(lock_file: Path, timeout_seconds: float) -> Iterator[None]:
    """Hold the exclusive writer lock of a warehouse; wait up to `timeout_seconds`, then fail clearly.

    A `filelock.FileLock` (flock on `lock_file`), one instance per path in a process, so a step that
    already holds the lock can take it again (re-entrant) instead of waiting on itself.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(
        lock_file, timeout=timeout_seconds, is_singleton=True, preserve_lock_file=True, on_acquired=_record_holder
    )
    try:
        lock.acquire()
    except Timeout:
        holder = lock_file.read_text(encoding="ascii", errors="replace").strip() or "unknown"
        raise WarehouseBusyError(
            f"warehouse {lock_file.with_suffix('')} is being written by another run "
            f"(lock {lock_file}, holder pid {holder}); waited {timeout_seconds:.0f}s. "
            "Try again when that run has finished."
        ) from None
    try:
        yield
    finally:
        lock.release()


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables if they do not exist."""
    con.execute(RAW_DDL)
    for name, table in EXTRACTED_TABLES.items():
        con.execute(_extracted_table_ddl(name, table))


def current_articles(con: duckdb.DuckDBPyConnection, columns: str = "article_id, source_path") -> pl.DataFrame:
    """Selected columns of the current article versions."""
    return con.sql(f"select {columns} from raw.articles where is_current").pl()


def source_files(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Path and fingerprint of every input file already ingested."""
    return con.sql("select path, fingerprint from raw.source_files").pl()


def record_source_files(con: duckdb.DuckDBPyConnection, fingerprints: pl.DataFrame, now: datetime) -> None:
    """Remember the fingerprints of files just ingested (insert or replace)."""
    con.register("read_fingerprints", fingerprints)
    con.execute(
        "insert or replace into raw.source_files select path, fingerprint, ? from read_fingerprints", [now]
    )


def count_current_from(con: duckdb.DuckDBPyConnection, paths: pl.Series) -> int:
    """How many current articles come from the given input files (JSON records included)."""
    con.register("skipped_paths", paths.to_frame("path"))
    return con.execute(
        """select count(*) from raw.articles a join skipped_paths s
           on a.source_path = s.path or starts_with(a.source_path, s.path || '#')
           where a.is_current"""
    ).fetchall()[0][0]


def current_record_paths(con: duckdb.DuckDBPyConnection, files: pl.Series) -> pl.Series:
    """Source paths of the current articles read from records of `files` (`file#…`)."""
    con.register("record_files", files.to_frame("path"))
    return con.sql(
        """select a.source_path from raw.articles a join record_files f
           on starts_with(a.source_path, f.path || '#') where a.is_current"""
    ).pl()["source_path"]


def article_paths(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """article_id → source_path of every stored article, current or not (a text is stored once, under one
    path; to spot it under another)."""
    return dict(con.execute("select article_id, source_path from raw.articles").fetchall())


def merge_articles(
    con: duckdb.DuckDBPyConnection,
    incoming: pl.DataFrame,
    paragraphs: pl.DataFrame,
    removed: pl.DataFrame,
    now: datetime,
) -> MergeResult:
    """Insert new and changed article versions; mark replaced versions superseded.

    `incoming` has ARTICLE_COLUMNS except version_no, is_current, superseded_*, ingested_at. A row is
    `unchanged` when its path already has that article_id as current, `changed` when its path has
    another current article_id (the old one is superseded, never deleted), `new` otherwise. A text
    stored under another path must not be in `incoming` (`ingest.run.split_duplicates` rejects it).
    """
    con.register("incoming_articles", incoming)
    classified = con.sql(
        """
        select i.article_id, i.source_path,
               cur.article_id as current_id,
               same.article_id as earlier_same_path,
               coalesce(ver.max_version, 0) as max_version
        from incoming_articles i
        left join raw.articles cur on cur.source_path = i.source_path and cur.is_current
        left join raw.articles same on same.article_id = i.article_id and same.source_path = i.source_path
        left join (select source_path, max(version_no) as max_version from raw.articles group by 1) ver
               on ver.source_path = i.source_path
        """
    ).pl()
    unchanged = classified.filter(pl.col("current_id") == pl.col("article_id"))
    todo = classified.filter((pl.col("current_id") != pl.col("article_id")).fill_null(True))
    changed = todo.filter(pl.col("current_id").is_not_null())
    reactivated = todo.filter(pl.col("earlier_same_path").is_not_null())
    fresh = todo.filter(pl.col("earlier_same_path").is_null())
    con.execute("begin transaction")
    try:
        if changed.height:
            con.register("changed_rows", changed)
            con.execute(
                """
                update raw.articles a set is_current = false, superseded_by = c.article_id, superseded_at = ?
                from changed_rows c where a.article_id = c.current_id
                """,
                [now],
            )
            con.execute(
                "delete from raw.paragraphs where article_id in (select current_id from changed_rows)"
            )
            con.execute(
                "delete from raw.removed_blocks where article_id in (select current_id from changed_rows)"
            )
        if reactivated.height:
            con.register("reactivated_rows", reactivated)
            con.execute(
                """
                update raw.articles a set is_current = true, superseded_by = null, superseded_at = null,
                       retired_reason = null, flags = i.flags
                from reactivated_rows r join incoming_articles i using (article_id)
                where a.article_id = r.article_id
                """
            )
            # its sentences and mentions were dropped when it stopped being current: extract it again
            con.execute(
                "delete from raw.extractions where article_id in (select article_id from reactivated_rows)"
            )
        if fresh.height:
            con.register("fresh_rows", fresh)
            con.execute(
                f"""
                insert into raw.articles ({", ".join(ARTICLE_COLUMNS)})
                select i.article_id, f.max_version + 1, i.source_path, i.source_format, i.title, i.url,
                       i.source, i.published_date, i.published_precision, i.published_source,
                       i.metadata_origin, i.encoding, i.original_text, i.body, i.content_sha256,
                       i.char_count, i.cleaning_version, true, null, null, ?, i.flags
                from incoming_articles i join fresh_rows f using (article_id)
                """,
                [now],
            )
        stored = pl.concat([fresh["article_id"], reactivated["article_id"]])
        _replace_rows(con, "raw.paragraphs", paragraphs.filter(pl.col("article_id").is_in(stored.implode())), stored)
        _replace_rows(con, "raw.removed_blocks", removed.filter(pl.col("article_id").is_in(stored.implode())), stored)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return MergeResult(
        new=fresh.filter(pl.col("current_id").is_null()).height,
        changed=changed.height,
        unchanged=unchanged.height,
    )


def update_cleaning(
    con: duckdb.DuckDBPyConnection,
    bodies: pl.DataFrame,
    paragraphs: pl.DataFrame,
    removed: pl.DataFrame,
    version: str,
    unstructured: pl.Series,
) -> None:
    """Replace body, paragraphs and removed blocks of stored articles re-cleaned under `version`; the
    flag `text_without_structure` is set on the `unstructured` article ids and cleared on the others."""
    ids = bodies["article_id"]
    con.execute("begin transaction")
    try:
        con.register("recleaned", bodies)
        con.register("recleaned_unstructured", unstructured.to_frame("article_id"))
        con.execute(
            """
            update raw.articles a set body = r.body, char_count = length(r.body), cleaning_version = ?,
                   flags = list_sort(list_distinct(
                       list_filter(coalesce(a.flags, []), lambda f: f <> 'text_without_structure')
                       || case when r.article_id in (select article_id from recleaned_unstructured)
                               then ['text_without_structure'] else [] end))
            from recleaned r where a.article_id = r.article_id
            """,
            [version],
        )
        _replace_rows(con, "raw.paragraphs", paragraphs, ids)
        _replace_rows(con, "raw.removed_blocks", removed, ids)
        con.execute("delete from raw.extractions where article_id in (select article_id from recleaned)")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def record_rejects(con: duckdb.DuckDBPyConnection, rejects: pl.DataFrame) -> int:
    """Store ledger rows (LEDGER_SCHEMA of ingest/files.py) not seen before (same path, reason, sha256);
    refresh last_seen_at of the others.

    Returns how many rows were new.
    """
    if rejects.height == 0:
        return 0
    con.register("incoming_rejects", rejects)
    con.execute("begin transaction")
    try:
        con.execute(
            """
            update raw.rejected_files r set last_seen_at = i.seen_at, detail = i.detail
            from incoming_rejects i
            where r.path = i.path and r.reason = i.reason and r.sha256 is not distinct from i.sha256
            """
        )
        added = con.execute(
            """
            insert into raw.rejected_files by name
            select i.path, i.reason, i.action, i.detail, i.sha256, i.seen_at, i.seen_at as last_seen_at
            from incoming_rejects i
            where not exists (
                select 1 from raw.rejected_files r
                where r.path = i.path and r.reason = i.reason and r.sha256 is not distinct from i.sha256)
            """
        ).fetchall()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return int(added[0][0]) if added else 0


def retire_sources(
    con: duckdb.DuckDBPyConnection, removed_files: pl.Series, removed_paths: pl.Series, now: datetime
) -> pl.DataFrame:
    """Retire the current articles of input files no longer present (`removed_files`: their JSON records
    too) and of single source paths no longer produced (`removed_paths`: a record gone from a JSON file).

    Retired versions stay stored (is_current = false, superseded_at = now, retired_reason =
    'source_removed') and lose their paragraphs, removed blocks and extraction record; the files leave
    raw.source_files. Returns the retired (article_id, source_path) rows.
    """
    con.register("removed_files", removed_files.to_frame("path"))
    con.register("removed_paths", removed_paths.to_frame("path"))
    retired = con.sql(
        """
        select a.article_id, a.source_path from raw.articles a
        where a.is_current and (
            a.source_path in (select path from removed_paths)
            or exists (select 1 from removed_files f
                       where a.source_path = f.path or starts_with(a.source_path, f.path || '#')))
        order by a.source_path
        """
    ).pl()
    con.execute("begin transaction")
    try:
        con.register("retired_rows", retired)
        con.execute(
            """
            update raw.articles a set is_current = false, superseded_at = ?, retired_reason = 'source_removed'
            from retired_rows r where a.article_id = r.article_id
            """,
            [now],
        )
        for table in ("raw.paragraphs", "raw.removed_blocks", "raw.extractions"):
            con.execute(f"delete from {table} where article_id in (select article_id from retired_rows)")
        con.execute("delete from raw.source_files where path in (select path from removed_files)")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return retired


def articles_to_extract(con: duckdb.DuckDBPyConnection, version: str) -> pl.DataFrame:
    """Current articles (article_id, body, published_date, published_precision, source, url, title) not
    extracted under `version`."""
    return con.sql(
        """
        select a.article_id, a.body, a.published_date, a.published_precision, a.source, a.url, a.title
        from raw.articles a left join raw.extractions e on e.article_id = a.article_id
        where a.is_current and (e.extraction_version is null or e.extraction_version <> ?)
        order by a.article_id
        """,
        params=[version],
    ).pl()


def paragraphs_of(con: duckdb.DuckDBPyConnection, article_ids: pl.Series) -> pl.DataFrame:
    """Paragraphs of the given articles."""
    con.register("wanted_ids", article_ids.to_frame("article_id"))
    return con.sql(
        "select p.* from raw.paragraphs p join wanted_ids using (article_id) order by article_id, paragraph_no"
    ).pl()


def store_extraction(
    con: duckdb.DuckDBPyConnection,
    article_ids: pl.Series,
    tables: dict[str, pl.DataFrame],
    version: str,
    now: datetime,
    held: pl.DataFrame | None = None,
) -> None:
    """Replace the rows of `article_ids` in each raw table named in `tables` (name → rows, as returned
    by `extract.article.extract_articles`), drop rows of articles no longer current, record `version`
    and the articles `held` back (article_id, reason, detail; their rows must not be in `tables`) in
    raw.held_articles; all in one transaction."""
    con.execute("begin transaction")
    try:
        for name, frame in tables.items():
            table = f"raw.{name}"
            _replace_rows(con, table, frame, article_ids)
            con.execute(
                f"delete from {table} where article_id not in (select article_id from raw.articles where is_current)"
            )
        con.register("extracted_ids", article_ids.to_frame("article_id"))
        con.execute("delete from raw.extractions where article_id in (select article_id from extracted_ids)")
        con.execute("delete from raw.held_articles where article_id in (select article_id from extracted_ids)")
        if held is not None and held.height:
            con.register("held_rows", held)
            con.execute(
                """
                insert into raw.held_articles
                select h.article_id, a.source_path, h.reason, h.detail, ?, ?
                from held_rows h join raw.articles a using (article_id)
                """,
                [version, now],
            )
        con.execute(
            "insert into raw.extractions select article_id, ?, ? from extracted_ids", [version, now]
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def last_dbt_build_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    """Project digest of the latest successful dbt build recorded in this warehouse, or None."""
    ensure_raw_schema(con)
    row = con.execute("select project_digest from raw.dbt_builds order by built_at desc limit 1").fetchone()
    return row[0] if row else None


def record_dbt_build(con: duckdb.DuckDBPyConnection, digest: str, full_refresh: bool, now: datetime) -> None:
    """Remember a successful dbt build of the project with `digest`."""
    ensure_raw_schema(con)
    con.execute("insert into raw.dbt_builds values (?, ?, ?)", [digest, full_refresh, now])


INGEST_TABLES = ("articles", "paragraphs", "removed_blocks", "extractions", "held_articles")


def extraction_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the raw tables the extract step writes: every raw table with an article_id column
    except those of ingest and the extraction bookkeeping."""
    rows = con.execute(
        """select table_name from information_schema.columns
           where table_schema = 'raw' and column_name = 'article_id' order by table_name"""
    ).fetchall()
    return [name for (name,) in rows if name not in INGEST_TABLES]


def purge_stale(con: duckdb.DuckDBPyConnection) -> None:
    """Delete, from every extracted table, rows of articles no longer current or held back, and held
    records of articles no longer current (after a file was changed or removed, even when nothing is
    left to extract)."""
    con.execute("begin transaction")
    try:
        con.execute(
            "delete from raw.held_articles where article_id not in (select article_id from raw.articles where is_current)"
        )
        for name in extraction_tables(con):
            con.execute(
                f"""delete from raw.{name} where article_id not in (select article_id from raw.articles where is_current)
                    or article_id in (select article_id from raw.held_articles)"""
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, article_ids: pl.Series) -> None:
    con.register("replace_ids", article_ids.to_frame("article_id"))
    con.execute(f"delete from {table} where article_id in (select article_id from replace_ids)")
    if frame.height:
        con.register("replace_rows", frame)
        con.execute(f"insert into {table} by name select * from replace_rows")
