"""Write–audit–publish into PostgreSQL: load the published marts into a fresh schema, swap it in.

One transaction: create `marts_load_<id>`, bulk COPY every marts table from the published DuckDB
file (Arrow record batches written as CSV into `COPY … FROM STDIN`, no row-by-row inserts), add
primary keys, foreign keys, comments and grants, ANALYZE; then take ACCESS EXCLUSIVE locks on the
served tables (short lock timeout, retried, so a running query finishes first and no reader ever
waits long or deadlocks), rename `marts` away, rename the new schema to `marts`, drop the old one and
commit. A reader's statement sees either every old table or every new one, never a mix or an empty
table; any failure rolls everything back and the old marts keep serving.

Loads are serialised by an advisory lock and skipped when the served copy already comes from the
current published file (`bluehelm_serving.loads` records each load).
"""

import io
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import psycopg
import pyarrow.csv as pa_csv
from psycopg import sql

from orchestration.serve.schema import Column, Table, build_tables, read_contract
from orchestration.serve.server import ANALYST
from orchestration.settings import DBT_PROJECT_DIR

logger = logging.getLogger(__name__)

MARTS_YML = DBT_PROJECT_DIR / "models" / "marts" / "_marts__models.yml"
SCHEMA = "marts"
META_SCHEMA = "bluehelm_serving"
ADVISORY_LOCK = 4_242_001  # serialises loads into one cluster
BATCH_ROWS = 65_536
SWAP_LOCK_TIMEOUT = "200ms"
_CSV = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid", batch_size=BATCH_ROWS)


@dataclass(frozen=True)
class LoadResult:
    """What a load did: `loaded` False when the served copy was already current."""

    loaded: bool
    version: str
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    unvalidated_foreign_keys: tuple[str, ...] = ()


def published_version(published: Path) -> str:
    """Identity of one published file: a publish replaces the file (new inode, new mtime)."""
    status = published.stat()
    return f"{status.st_ino}:{status.st_mtime_ns}:{status.st_size}"


def load_published(
    conninfo: str,
    published: Path,
    *,
    models_yml: Path = MARTS_YML,
    force: bool = False,
    swap_timeout: float = 900.0,
) -> LoadResult:
    """Load the marts of `published` into the cluster at `conninfo` (as the loader role) and swap.

    `swap_timeout` bounds how long the swap waits for running analyst queries (their
    statement_timeout is shorter). Raises on any failure, after rolling back: the old marts stay.
    """
    started = time.monotonic()
    version = published_version(published)
    with duckdb.connect(str(published), read_only=True) as duck, psycopg.connect(conninfo) as pg:
        pg.execute("select pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        _ensure_meta(pg)
        current = pg.execute(
            sql.SQL("select version from {}.loads order by loaded_at desc limit 1").format(sql.Identifier(META_SCHEMA))
        ).fetchone()
        has_marts = pg.execute("select 1 from pg_namespace where nspname = %s", [SCHEMA]).fetchone()
        if not force and has_marts and current and current[0] == version:
            pg.rollback()
            return LoadResult(False, version)
        columns = duck.execute(
            """select c.table_name, c.column_name, c.data_type
               from information_schema.columns c join information_schema.tables t
                 on t.table_schema = c.table_schema and t.table_name = c.table_name
               where c.table_schema = 'marts' and t.table_type = 'BASE TABLE'
               order by c.table_name, c.ordinal_position"""
        ).fetchall()
        if not columns:
            raise RuntimeError(f"{published} has no marts tables: nothing to serve")
        tables = build_tables(columns, read_contract(models_yml))
        staging = f"{SCHEMA}_load_{uuid.uuid4().hex[:12]}"
        pg.execute(sql.SQL("create schema {}").format(sql.Identifier(staging)))
        counts = {table.name: _create_and_copy(duck, pg, staging, table) for table in tables}
        unvalidated = _add_constraints(pg, staging, tables)
        _comment_and_grant(pg, staging, tables, published)
        for table in tables:
            pg.execute(sql.SQL("analyze {}.{}").format(sql.Identifier(staging), sql.Identifier(table.name)))
        _swap(pg, staging, swap_timeout)
        pg.execute(
            sql.SQL(
                "insert into {}.loads (version, published_path, published_at, row_counts, seconds)"
                " values (%s, %s, %s, %s, %s)"
            ).format(sql.Identifier(META_SCHEMA)),
            [
                version,
                str(published),
                datetime.fromtimestamp(published.stat().st_mtime, UTC),
                psycopg.types.json.Jsonb(counts),
                time.monotonic() - started,
            ],
        )
        pg.commit()
    return LoadResult(True, version, counts, time.monotonic() - started, unvalidated)


def served_version(conninfo: str) -> str | None:
    """The version of the published file the served marts come from, None when nothing is served."""
    with psycopg.connect(conninfo) as pg:
        if not pg.execute("select 1 from pg_namespace where nspname = %s", [META_SCHEMA]).fetchone():
            return None
        row = pg.execute(
            sql.SQL("select version from {}.loads order by loaded_at desc limit 1").format(sql.Identifier(META_SCHEMA))
        ).fetchone()
    return row[0] if row else None


def _ensure_meta(pg: psycopg.Connection) -> None:
    pg.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(META_SCHEMA)))
    pg.execute(
        sql.SQL(
            """create table if not exists {}.loads (
                 version text not null, published_path text not null, published_at timestamptz not null,
                 loaded_at timestamptz not null default clock_timestamp(), row_counts jsonb not null,
                 seconds double precision not null)"""
        ).format(sql.Identifier(META_SCHEMA))
    )


def _select_expression(column: Column) -> str:
    """DuckDB SQL giving the column in a text form Postgres' COPY (FORMAT csv) reads as its type."""
    name = '"' + column.name.replace('"', '""') + '"'
    if column.pg_type.endswith("[]"):
        element = (
            "coalesce('\"' || replace(replace(CAST(e AS VARCHAR), '\\', '\\\\'), '\"', '\\\"') || '\"', 'NULL')"
        )
        return f"'{{' || array_to_string(list_transform({name}, lambda e: {element}), ',') || '}}'"
    if column.pg_type == "jsonb":
        return f"CAST(to_json({name}) AS VARCHAR)"
    if column.pg_type == "bytea":
        return f"'\\x' || hex({name})"
    if column.pg_type in ("interval", "uuid", "time", "text") or column.duckdb_type.startswith("ENUM"):
        return f"CAST({name} AS VARCHAR)"
    return name


def _create_and_copy(duck: duckdb.DuckDBPyConnection, pg: psycopg.Connection, schema: str, table: Table) -> int:
    target = sql.Identifier(schema, table.name)
    pg.execute(
        sql.SQL("create table {} ({})").format(
            target,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(column.name), sql.SQL(column.pg_type)) for column in table.columns
            ),
        )
    )
    select = ", ".join(_select_expression(column) for column in table.columns)
    reader = duck.sql(f'select {select} from marts."{table.name}"').to_arrow_reader(BATCH_ROWS)
    rows = 0
    # FREEZE: the table is new in this transaction, so its rows are written frozen (no later vacuum
    # or hint-bit writes, and visible even to a REPEATABLE READ snapshot older than the swap)
    copy_sql = sql.SQL("copy {} ({}) from stdin (format csv, freeze true)").format(
        target, sql.SQL(", ").join(sql.Identifier(column.name) for column in table.columns)
    )
    with pg.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for batch in reader:
            buffer = io.BytesIO()
            pa_csv.write_csv(batch, buffer, _CSV)
            copy.write(buffer.getbuffer())
            rows += batch.num_rows
    return rows


def _add_constraints(pg: psycopg.Connection, schema: str, tables: list[Table]) -> tuple[str, ...]:
    """Primary keys, then foreign keys (validated; kept NOT VALID, with a warning, when quarantined
    dimension rows left references dangling). Returns the foreign keys left unvalidated."""
    for table in tables:
        if table.primary_key:
            pg.execute(
                sql.SQL("alter table {} add constraint {} primary key ({})").format(
                    sql.Identifier(schema, table.name),
                    sql.Identifier(f"pk_{table.name}"),
                    sql.SQL(", ").join(map(sql.Identifier, table.primary_key)),
                )
            )
    unvalidated = []
    for table in tables:
        for key in table.foreign_keys:
            target = sql.Identifier(schema, table.name)
            pg.execute(
                sql.SQL("alter table {} add constraint {} foreign key ({}) references {} ({}) not valid").format(
                    target,
                    sql.Identifier(key.name),
                    sql.Identifier(key.column),
                    sql.Identifier(schema, key.references_table),
                    sql.Identifier(key.references_column),
                )
            )
            try:
                with pg.transaction():
                    pg.execute(
                        sql.SQL("alter table {} validate constraint {}").format(target, sql.Identifier(key.name))
                    )
            except psycopg.errors.ForeignKeyViolation as error:
                logger.warning("serving copy: %s.%s left NOT VALID: %s", table.name, key.name, error)
                unvalidated.append(f"{table.name}.{key.name}")
    return tuple(unvalidated)


def _comment_and_grant(pg: psycopg.Connection, schema: str, tables: list[Table], published: Path) -> None:
    published_at = datetime.fromtimestamp(published.stat().st_mtime, UTC).isoformat(timespec="seconds")
    pg.execute(
        sql.SQL("comment on schema {} is {}").format(
            sql.Identifier(schema),
            sql.Literal(f"bluehelm marts (read-only copy of the published warehouse, published {published_at})"),
        )
    )
    for table in tables:
        target = sql.Identifier(schema, table.name)
        if table.description:
            pg.execute(sql.SQL("comment on table {} is {}").format(target, sql.Literal(table.description)))
        for column in table.columns:
            if column.description:
                pg.execute(
                    sql.SQL("comment on column {}.{} is {}").format(
                        target, sql.Identifier(column.name), sql.Literal(column.description)
                    )
                )
    pg.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(schema), sql.Identifier(ANALYST)))
    pg.execute(
        sql.SQL("grant select on all tables in schema {} to {}").format(sql.Identifier(schema), sql.Identifier(ANALYST))
    )


def _swap(pg: psycopg.Connection, staging: str, timeout: float) -> None:
    """Lock the served tables (retrying with a short lock timeout), then rename and drop, all inside
    the load's transaction."""
    served = [
        name
        for (name,) in pg.execute(
            "select tablename from pg_tables where schemaname = %s order by tablename", [SCHEMA]
        ).fetchall()
    ]
    deadline = time.monotonic() + timeout
    pause = 0.05
    while served:
        try:
            with pg.transaction():
                pg.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(SWAP_LOCK_TIMEOUT)))
                pg.execute(
                    sql.SQL("lock table {} in access exclusive mode").format(
                        sql.SQL(", ").join(sql.Identifier(SCHEMA, name) for name in served)
                    )
                )
            break
        except psycopg.errors.LockNotAvailable:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"could not lock the served marts within {timeout:.0f} s (long analyst queries?)"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
    pg.execute("set local lock_timeout = 0")
    retired = f"{SCHEMA}_old_{uuid.uuid4().hex[:12]}"
    if pg.execute("select 1 from pg_namespace where nspname = %s", [SCHEMA]).fetchone():
        pg.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(SCHEMA), sql.Identifier(retired)))
    pg.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(staging), sql.Identifier(SCHEMA)))
    pg.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(retired)))
