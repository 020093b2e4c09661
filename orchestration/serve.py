"""`bluehelm serve`: a read-only Postgres-wire endpoint over the published DuckDB warehouse.

Built on pg-mimic (the wire protocol, authentication, transaction/SET boilerplate) with a small DuckDB
adapter. Safety comes in three layers:

1. only single SELECT-shaped statements (SELECT, WITH, VALUES, FROM, SHOW, DESCRIBE, SUMMARIZE, and
   EXPLAIN [ANALYZE] of one of those) reach DuckDB; everything else (INSERT, CREATE, COPY, ATTACH,
   INSTALL/LOAD, PRAGMA, CALL …) is refused with SQLSTATE 25006 before it runs; SET/SHOW only touch
   pg-mimic's per-connection variables;
2. the published file is opened `read_only`;
3. `enable_external_access = false` plus `lock_configuration = true`, so no query can read or write
   other local files (`read_csv`, `COPY … TO`, `glob`) or turn that back on.

psql's `\\dt`, `\\dn`, `\\d <table>` read pg_catalog; those queries are answered from the warehouse's
own schemas (raw, staging, marts, …) through pg-mimic's catalog machinery. `information_schema`
queries go to DuckDB, which implements it natively. Each client connection gets its own DuckDB cursor;
after a publish replaces the file, connections opened once the older ones have closed see the new snapshot.
With a password, every user name authenticates with SCRAM-SHA-256 against it; without one, the server
only listens on loopback addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import logging
import re
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from pg_mimic import (
    IdentityProvider,
    PgError,
    PgServer,
    Portal,
    ResultColumn,
    ScramSha256AuthPlugin,
    Session,
    Statement,
    TrustAuthPlugin,
)
from pg_mimic import types as pg
from pg_mimic.arrays import ARRAY_OID
from pg_mimic.catalog import pg_type_by_oid
from pg_mimic.catalog_data import PG_CATALOG_SCHEMA
from pg_mimic.catalog_rewrite import rewrite_for_executor
from pg_mimic.middleware import (
    MiddlewareContext,
    asyncpg_typeinfo,
    resolve,
    session_functions,
    set_show,
    transaction_control,
)
from pg_mimic.session import StaticStatement, statement_from_rows
from sqlglot import exp
from sqlglot.executor import execute as sqlglot_execute

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5433
SEARCH_PATH = "marts,main"
READ_ONLY_SQLSTATE = "25006"  # Postgres' read_only_sql_transaction
EXPLAIN_PREFIX = re.compile(r"^\s*explain(\s+analy[sz]e)?\s+", re.IGNORECASE)

_SCALAR_OIDS = {
    "boolean": (pg.BOOL, "boolean"),
    "tinyint": (pg.INT2, "smallint"),
    "smallint": (pg.INT2, "smallint"),
    "utinyint": (pg.INT2, "smallint"),
    "integer": (pg.INT4, "integer"),
    "usmallint": (pg.INT4, "integer"),
    "bigint": (pg.INT8, "bigint"),
    "uinteger": (pg.INT8, "bigint"),
    "ubigint": (pg.NUMERIC, "numeric"),
    "hugeint": (pg.NUMERIC, "numeric"),
    "uhugeint": (pg.NUMERIC, "numeric"),
    "decimal": (pg.NUMERIC, "numeric"),
    "float": (pg.FLOAT4, "real"),
    "double": (pg.FLOAT8, "double precision"),
    "varchar": (pg.TEXT, "text"),
    "enum": (pg.TEXT, "text"),
    "date": (pg.DATE, "date"),
    "time": (pg.TIME, "time without time zone"),
    "timestamp": (pg.TIMESTAMP, "timestamp without time zone"),
    "timestamp_s": (pg.TIMESTAMP, "timestamp without time zone"),
    "timestamp_ms": (pg.TIMESTAMP, "timestamp without time zone"),
    "timestamp_ns": (pg.TIMESTAMP, "timestamp without time zone"),
    "timestamp with time zone": (pg.TIMESTAMPTZ, "timestamp with time zone"),
    "interval": (pg.INTERVAL, "interval"),
    "blob": (pg.BYTEA, "bytea"),
    "uuid": (pg.UUID, "uuid"),
}
_SQLSTATES = (
    (duckdb.PermissionException, "42501"),
    (duckdb.CatalogException, "42P01"),
    (duckdb.ParserException, "42601"),
    (duckdb.BinderException, "42703"),
    (duckdb.ConversionException, "22P02"),
    (duckdb.OutOfRangeException, "22003"),
    (duckdb.InvalidInputException, "22023"),
    (duckdb.InterruptException, "57014"),
)
_PARAM_PARSERS: dict[int, Callable[[str], Any]] = {
    pg.INT2: int,
    pg.INT4: int,
    pg.INT8: int,
    pg.FLOAT4: float,
    pg.FLOAT8: float,
    pg.NUMERIC: Decimal,
    pg.BOOL: lambda text: text.lower() in {"t", "true", "1", "on", "yes"},
    pg.DATE: date.fromisoformat,
}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only with file access and extension loading disabled, configuration locked."""
    con = duckdb.connect(
        str(path),
        read_only=True,
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
        },
    )
    con.execute("SET lock_configuration = true")
    return con


class PublishedWarehouse:
    """The published DuckDB file, opened once per snapshot and shared by all client connections.

    A publish replaces the file (new inode). DuckDB caches one instance per path and closing it closes
    every cursor on it, so the new snapshot is opened once no client connection uses the old one; until
    then new connections keep getting the previous snapshot.
    """

    def __init__(self, path: Path):
        if not path.is_file():
            raise FileNotFoundError(
                f"published warehouse not found: {path} (run `bluehelm run` to build and publish it)"
            )
        self.path = path
        self._lock = threading.Lock()
        self._snapshot: tuple[int, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._catalog: tuple[dict, dict] | None = None
        self._sessions = 0

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor for one client connection; hand it back with `release()`."""
        with self._lock:
            stat = self.path.stat()
            snapshot = (stat.st_ino, stat.st_mtime_ns)
            if self._con is None or (snapshot != self._snapshot and self._sessions == 0):
                if self._con is not None:
                    self._con.close()
                self._con = open_read_only(self.path)
                self._snapshot = snapshot
                self._catalog = None
            elif snapshot != self._snapshot:
                logger.info(
                    "new snapshot published; serving it once %d open connections close", self._sessions
                )
            cursor = self._con.cursor()
            self._sessions += 1
        cursor.execute(f"SET search_path = '{SEARCH_PATH}'")
        return cursor

    def release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            cursor.close()
            self._sessions -= 1

    def pg_catalog(self, cursor: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
        """(schema, tables) of the emulated pg_catalog for the current snapshot, built once."""
        with self._lock:
            if self._catalog is None:
                self._catalog = build_pg_catalog(cursor)
            return self._catalog


def pg_type_for(duckdb_type: duckdb.typing.DuckDBPyType) -> tuple[int, str, Callable[[Any], Any] | None]:
    """(Postgres OID, Postgres type name, value converter or None) for a DuckDB column type.

    Lists of scalars become Postgres arrays; structs, maps, unions and nested lists travel as json text.
    """
    type_id = duckdb_type.id
    if str(duckdb_type) == "JSON":
        return pg.JSON, "json", None
    if type_id in _SCALAR_OIDS:
        oid, name = _SCALAR_OIDS[type_id]
        return oid, name, None
    if type_id == "list":
        child_oid, child_name, child_convert = pg_type_for(duckdb_type.child)
        if child_convert is None and child_oid in ARRAY_OID and child_oid != pg.JSON:
            return ARRAY_OID[child_oid], f"{child_name}[]", None
    if type_id in {"list", "array", "struct", "map", "union"}:
        return pg.JSON, "json", _to_json
    return pg.TEXT, "text", str


def _to_json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def build_pg_catalog(cursor: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    """pg_namespace, pg_class and pg_attribute rows for every user table and view of the warehouse.

    Shapes follow pg-mimic's PG_CATALOG_SCHEMA, but with one namespace per DuckDB schema (pg-mimic's
    own emulation puts everything in `public`), so `\\dt marts.*` and `\\d marts.fct_attacks` work.
    """
    relations = cursor.execute(
        """
        select schema_name, table_name, 'r' as relkind from duckdb_tables()
        where not internal and database_name = current_database()
        union all
        select schema_name, view_name, 'v' from duckdb_views()
        where not internal and database_name = current_database()
        order by 1, 2
        """
    ).fetchall()
    columns = cursor.execute(
        """
        select c.schema_name, c.table_name, c.column_name, c.column_index, c.data_type, c.is_nullable
        from duckdb_columns() as c
        where not c.internal and c.database_name = current_database()
        order by 1, 2, 4
        """
    ).fetchall()
    schema_names = sorted({schema for schema, _, _ in relations})
    namespace_oids = {name: 16000 + index for index, name in enumerate(schema_names)}
    namespaces = [
        {"oid": 11, "nspname": "pg_catalog", "nspowner": 10},
        {"oid": 13000, "nspname": "information_schema", "nspowner": 10},
    ] + [{"oid": oid, "nspname": name, "nspowner": 10} for name, oid in namespace_oids.items()]
    class_oids = {}
    classes = []
    for index, (schema, name, relkind) in enumerate(relations):
        oid = 16384 + index
        class_oids[(schema, name)] = oid
        classes.append(
            {
                "oid": oid,
                "relname": name,
                "relnamespace": namespace_oids[schema],
                "relkind": relkind,
                "relowner": 10,
                "relam": 2 if relkind == "r" else 0,
                "reltuples": -1,
                "relpages": 0,
                "relhasindex": False,
                "relpersistence": "p",
                "reltablespace": 0,
                "relispartition": False,
                "relrowsecurity": False,
                "relforcerowsecurity": False,
                "relreplident": "d",
                "reloftype": 0,
                "relhastriggers": False,
                "relchecks": 0,
                "relhasrules": False,
                "reltoastrelid": 0,
            }
        )
    attributes = []
    for schema, table, column, position, data_type, is_nullable in columns:
        oid, type_name, _ = pg_type_for(duckdb.sqltype(data_type))
        attributes.append(
            {
                "attrelid": class_oids[(schema, table)],
                "attname": column,
                "atttypid": oid,
                "attnum": position,
                "attnotnull": not is_nullable,
                "atthasdef": False,
                "attisdropped": False,
                "attidentity": "",
                "attgenerated": "",
                "attcollation": 0,
                "atttypmod": -1,
                "attstattarget": -1,
                "attformattype": type_name,
            }
        )
    tables = {
        "pg_namespace": namespaces,
        "pg_class": classes,
        "pg_attribute": attributes,
        "pg_type": list(pg_type_by_oid().values()),
        "pg_am": [{"oid": 2, "amname": "heap", "amhandler": "heap_tableam_handler", "amtype": "t"}],
        "pg_roles": [{"oid": 10, "rolname": "bluehelm"}],
    }
    for name in PG_CATALOG_SCHEMA["pg_catalog"]:
        tables.setdefault(name, [])
    return PG_CATALOG_SCHEMA, {"pg_catalog": tables}


def _is_pg_catalog(table: exp.Table) -> bool:
    if (table.db or "").lower() == "pg_catalog":
        return True
    return not table.db and table.name.lower().startswith("pg_")


async def warehouse_pg_catalog(ctx: MiddlewareContext) -> Statement | None:
    """Middleware: answer pg_catalog queries (psql's \\d family) from the warehouse's schemas."""
    expr = ctx.expression
    if not isinstance(expr, exp.Query) or not any(_is_pg_catalog(t) for t in expr.find_all(exp.Table)):
        return None
    session: WarehouseSession = ctx.connection.session
    schema, tables = await asyncio.to_thread(session.warehouse.pg_catalog, session.cursor)
    try:
        result = sqlglot_execute(
            rewrite_for_executor(ctx.connection, expr), schema=schema, tables=tables, dialect="postgres"
        )
    except Exception:  # noqa: BLE001 -- sqlglot's executor raises anything; psql's footers need it
        logger.debug("catalog query not executable, answering with no rows: %s", ctx.sql)
        names = [select.alias_or_name or f"column{i}" for i, select in enumerate(expr.selects, start=1)]
        return StaticStatement(ctx.sql, [ResultColumn(name, pg.TEXT) for name in names], [])
    return statement_from_rows(ctx.sql, result.columns, [tuple(row) for row in result.rows])


def _pg_error(error: duckdb.Error) -> PgError:
    for exception_type, sqlstate in _SQLSTATES:
        if isinstance(error, exception_type):
            return PgError(sqlstate, str(error))
    return PgError("XX000", str(error))


def _single_statement(cursor: duckdb.DuckDBPyConnection, sql: str) -> Any:
    try:
        parsed = cursor.extract_statements(sql)
    except duckdb.Error as error:
        raise _pg_error(error) from None
    if len(parsed) != 1:
        raise PgError("0A000", "send one statement at a time")
    return parsed[0]


class DuckDBStatement(Statement):
    """One read-only statement, checked at Parse time and run on the session's DuckDB cursor."""

    def __init__(self, session: WarehouseSession, sql: str, param_oids: list[int | None]):
        self.sql = sql
        self.session = session
        parsed = _single_statement(session.cursor, sql)
        if parsed.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN ANALYZE runs its statement: only a query may follow.
            explained = _single_statement(session.cursor, EXPLAIN_PREFIX.sub("", sql, count=1))
            statement_type = explained.type if explained.type != duckdb.StatementType.EXPLAIN else None
        else:
            statement_type = parsed.type
        if statement_type != duckdb.StatementType.SELECT:
            name = statement_type.name if statement_type else "EXPLAIN"
            raise PgError(
                READ_ONLY_SQLSTATE,
                f"bluehelm serve is read-only: {name} statements are refused "
                "(only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN of a query run)",
            )
        parameter_count = len(parsed.named_parameters)
        self.param_oids = list(param_oids) + [None] * (parameter_count - len(param_oids))
        self._columns: list[tuple[ResultColumn, Callable[[Any], Any] | None]] | None = None

    async def describe(self) -> list[ResultColumn] | None:
        if self._columns is None:
            self._columns = await asyncio.to_thread(self._describe)
        return [column for column, _ in self._columns]

    def _describe(self) -> list[tuple[ResultColumn, Callable[[Any], Any] | None]]:
        try:
            relation = self.session.cursor.sql(self.sql, params=[None] * len(self.param_oids) or None)
        except duckdb.Error as error:
            raise _pg_error(error) from None
        described = []
        for name, duckdb_type in zip(relation.columns, relation.types):
            oid, _, convert = pg_type_for(duckdb_type)
            described.append((ResultColumn(name, oid), convert))
        return described

    def bind(self, params: list[str | None]) -> Portal:
        try:
            values = [_parse_param(value, oid) for value, oid in zip(params, self.param_oids)]
        except ValueError as error:
            raise PgError("22P02", f"invalid parameter value: {error}") from None
        return DuckDBPortal(self, values)


def _parse_param(value: Any, oid: int | None) -> Any:
    parser = _PARAM_PARSERS.get(oid) if isinstance(value, str) else None
    return parser(value) if parser else value


class DuckDBPortal(Portal):
    """A bound statement: runs on the first execute(), later calls keep draining the same result."""

    def __init__(self, statement: DuckDBStatement, params: list[Any]):
        self.statement = statement
        self.params = params
        self._started = False
        self._pending: list[tuple] = []

    async def execute(self, max_rows: int) -> tuple[list[tuple], bool]:
        await self.statement.describe()
        try:
            rows, suspended = await asyncio.to_thread(self._fetch, max_rows)
        except asyncio.CancelledError:
            self.statement.session.cursor.interrupt()
            raise
        return self._convert(rows), suspended

    def _fetch(self, max_rows: int) -> tuple[list[tuple], bool]:
        """Up to `max_rows` rows (all if <= 0); one extra row is read ahead to know if more remain."""
        cursor = self.statement.session.cursor
        try:
            if not self._started:
                cursor.execute(self.statement.sql, self.params or None)
                self._started = True
            if max_rows <= 0:
                rows, self._pending = self._pending + cursor.fetchall(), []
                return rows, False
            wanted = max_rows + 1 - len(self._pending)
            rows = self._pending + (cursor.fetchmany(wanted) if wanted > 0 else [])
        except duckdb.Error as error:
            raise _pg_error(error) from None
        rows, self._pending = rows[:max_rows], rows[max_rows:]
        return rows, bool(self._pending)

    def _convert(self, rows: list[tuple]) -> list[tuple]:
        converters = [convert for _, convert in self.statement._columns or []]
        if not any(converters):
            return rows
        return [
            tuple(
                value if convert is None or value is None else convert(value)
                for value, convert in zip(row, converters)
            )
            for row in rows
        ]


class WarehouseSession(Session):
    """One client connection: its own DuckDB cursor on the current published snapshot."""

    middleware = (transaction_control, set_show, session_functions, asyncpg_typeinfo, warehouse_pg_catalog)

    def __init__(self, warehouse: PublishedWarehouse):
        self.warehouse = warehouse
        self.cursor = warehouse.cursor()

    async def close(self) -> None:
        self.warehouse.release(self.cursor)

    async def prepare(self, sql: str, param_oids: list[int | None]) -> Statement:
        answered = await resolve(self._connection, sql, param_oids, self.middleware)
        if answered is not None:
            return answered
        return DuckDBStatement(self, sql, param_oids)


class AnyUserPassword(IdentityProvider):
    """Every user name shares one password (pg-mimic's SimpleIdentityProvider accepts unknown users)."""

    def __init__(self, password: str):
        self.password = password

    async def get_password(self, username: str) -> str | None:
        return self.password


def _is_loopback(host: str) -> bool:
    try:
        return all(
            ipaddress.ip_address(info[4][0]).is_loopback
            for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        )
    except (OSError, ValueError):
        return False


def build_server(published: Path, password: str | None) -> PgServer:
    """A PgServer over `published`: SCRAM-SHA-256 when a password is given, otherwise trust."""
    warehouse = PublishedWarehouse(published)
    if password:
        return PgServer(
            session_factory=lambda: WarehouseSession(warehouse),
            auth_plugin_factory=lambda username: ScramSha256AuthPlugin(),
            identity_provider=AnyUserPassword(password),
            server_version="16.0 (bluehelm serve, DuckDB read-only)",
        )
    return PgServer(
        session_factory=lambda: WarehouseSession(warehouse),
        auth_plugin_factory=lambda username: TrustAuthPlugin(),
        server_version="16.0 (bluehelm serve, DuckDB read-only)",
    )


async def _serve(published: Path, host: str, port: int, password: str | None) -> None:
    server = build_server(published, password)
    listener = await server.start_server(host=host, port=port)
    bound_port = listener.sockets[0].getsockname()[1]
    print(
        f"bluehelm serve: listening on {host}:{bound_port} (read-only, {published}); "
        f'connect with: psql "host={host} port={bound_port} dbname=bluehelm user=analyst"',
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def serve(
    published: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, password: str | None = None
) -> None:
    """Serve `published` read-only over the Postgres wire protocol until SIGINT/SIGTERM.

    Refuses to listen on a non-loopback address without a password. `port=0` picks a free port; the
    chosen one is printed on stdout.
    """
    published = Path(published)
    if not password and not _is_loopback(host):
        raise ValueError(f"refusing to serve on non-loopback host {host!r} without a password")
    asyncio.run(_serve(published, host, port, password))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `bluehelm serve` options, for cli.py to reuse."""
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 5433; 0 = any free)")
    parser.add_argument(
        "--password",
        default=None,
        help="require this password from every client (default: the BLUEHELM_SERVE_PASSWORD setting; none = trust)",
    )
    parser.add_argument("--warehouse", default=None, help="build file; its published copy is served")
    parser.add_argument("--published", default=None, help="published file to serve (overrides --warehouse)")


def run_from_arguments(args: argparse.Namespace) -> None:
    from orchestration.settings import Settings

    settings = Settings.from_env(warehouse=args.warehouse, published=args.published)
    serve(settings.published, args.host, args.port, args.password or settings.serve_password)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bluehelm serve", description=__doc__.splitlines()[0])
    add_arguments(parser)
    logging.basicConfig(level=logging.WARNING)
    try:
        run_from_arguments(parser.parse_args(argv))
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f"bluehelm serve: {error}") from None


if __name__ == "__main__":
    main()
