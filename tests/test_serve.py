"""`bluehelm serve`: a real PostgreSQL server started by the real command, used by real clients.

Servers bind 127.0.0.1 on a free port, serve a copy of the session's sample warehouse and are stopped
through their own pid. One server per module for the read-only client tests; the tests that publish,
restart or kill start their own.
"""

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import psycopg
import pytest
import sqlalchemy as sa

from orchestration.serve.load import load_published, served_version
from orchestration.serve.main import refresh_serving_copy
from orchestration.serve.schema import ForeignKey, build_tables, postgres_type, read_contract
from orchestration.serve.server import LOADER, find_binaries, running_server
from orchestration.settings import PROJECT_ROOT, Settings

BLUEHELM = str(Path(sys.executable).with_name("bluehelm"))
PASSWORD = "correct horse battery"
ATTACKS_BY_PLACE = (
    "select place_name, count(*) as attacks, sum(killed_best) as killed"
    " from marts.fct_attacks group by place_name order by place_name"
)


def _number(value: object) -> float | None:
    """A numeric cell as float, whatever driver returned it (Decimal, int, float); NULL (None, or NaN
    from pandas) is None."""
    return None if value is None or pd.isna(value) else float(value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_warehouse(source: Settings, root: Path) -> Settings:
    """A private published copy (tests that publish must not touch the session's warehouse)."""
    published = root / "published" / "bluehelm.duckdb"
    published.parent.mkdir(parents=True)
    shutil.copyfile(source.published, published)
    return Settings(raw_dir=source.raw_dir, warehouse=root / "bluehelm.duckdb", published=published,
                    max_file_bytes=source.max_file_bytes)


def publish_variant(settings: Settings, sql: str) -> None:
    """Replace the published file atomically by a copy changed by `sql` (as a publish does)."""
    staging = settings.published.with_name("next.duckdb")
    shutil.copyfile(settings.published, staging)
    with duckdb.connect(str(staging)) as con:
        con.execute(sql)
        con.execute("checkpoint")
    os.replace(staging, settings.published)


def marts_counts(published: Path) -> dict[str, int]:
    with duckdb.connect(str(published), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()]
        return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in tables}


class Serve:
    """`bluehelm serve` as a user runs it, in a subprocess stopped through its own pid."""

    def __init__(self, settings: Settings, *args: str, password: str | None = None, port: int | None = None):
        self.settings = settings
        self.port = port or free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith(("BLUEHELM_", "PG"))}
        if password:
            env["BLUEHELM_SERVE_PASSWORD"] = password
        self.process = subprocess.Popen(
            [BLUEHELM, "serve", "--warehouse", str(settings.warehouse), "--port", str(self.port), *args],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.output: list[str] = []
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_stdout, args=(lines,), daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:  # the command exited
                break
            if "listening on" in line:
                return
        self.stop()
        raise RuntimeError(f"serve did not start: {self.output} {self.process.stderr.read()}")

    def _read_stdout(self, lines: "queue.Queue[str | None]") -> None:
        for line in self.process.stdout:
            self.output.append(line)
            lines.put(line)
        lines.put(None)

    def dsn(self, password: str | None = None, **extra: str) -> str:
        dsn = f"host=127.0.0.1 port={self.port} dbname=bluehelm user=analyst connect_timeout=10"
        for key, value in {"password": password, **extra}.items():
            if value:
                dsn += f" {key}='{value}'"
        return dsn

    def url(self) -> str:
        return f"postgresql+psycopg://analyst@127.0.0.1:{self.port}/bluehelm"

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture(scope="module")
def served(sample_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    settings = copy_warehouse(sample_warehouse, tmp_path_factory.mktemp("served"))
    server = Serve(settings, "--statement-timeout", "2s")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def publishing(sample_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """A server whose published file the tests replace, as publishes do."""
    server = Serve(copy_warehouse(sample_warehouse, tmp_path_factory.mktemp("publishing")))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def password_served(sample_warehouse: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    settings = copy_warehouse(sample_warehouse, tmp_path_factory.mktemp("password"))
    server = Serve(settings, password=PASSWORD)
    yield server
    server.stop()


def psql_binary() -> str:
    return shutil.which("psql") or str(find_binaries().path("psql"))


def psql(server: Serve, command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [psql_binary(), "-X", "-w", "-A", "-F", "|", server.dsn(), "-c", command],
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"}, capture_output=True, text=True, timeout=60, check=False,
    )


# ---- the Postgres shape (no server) -------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "duckdb_type", "expected"),
    [
        ("killed_best", "DOUBLE", "numeric"),
        ("latitude", "DOUBLE", "double precision"),
        ("victim_nationalities", "VARCHAR[]", "text[]"),
        ("event_date", "DATE", "date"),
        ("ingested_at", "TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("amount", "DECIMAL(18,3)", "numeric(18,3)"),
        ("nested", "INTEGER[][]", "jsonb"),
        ("shape", "STRUCT(a INTEGER)", "jsonb"),
    ],
)
def test_schema_maps_duckdb_types_to_postgres(column: str, duckdb_type: str, expected: str):
    assert postgres_type(column, duckdb_type) == expected


def test_schema_keys_and_foreign_keys_come_from_the_dbt_contract(tmp_path: Path):
    models = tmp_path / "_marts__models.yml"
    models.write_text("""
version: 2
models:
  - name: dim_places
    description: One row per place.
    columns:
      - name: place_id
        data_tests: [unique, not_null]
  - name: fct_attacks
    description: One row per attack.
    columns:
      - name: attack_id
        description: The attack.
        data_tests: [unique, not_null]
      - name: place_id
        data_tests:
          - relationships: {arguments: {to: ref('dim_places'), field: place_id}}
      - name: unit_type
        data_tests:
          - relationships: {arguments: {to: ref('unit_types'), field: unit_type}}
      - name: note
        data_tests: [not_null]
""")
    columns = [("dim_places", "place_id", "VARCHAR"), ("fct_attacks", "attack_id", "VARCHAR"),
               ("fct_attacks", "place_id", "VARCHAR"), ("fct_attacks", "unit_type", "VARCHAR"),
               ("fct_attacks", "note", "VARCHAR")]
    places, attacks = build_tables(columns, read_contract(models))
    assert places.primary_key == ("place_id",) and attacks.primary_key == ("attack_id",)
    assert attacks.foreign_keys == (ForeignKey("place_id", "dim_places", "place_id"),)  # seeds are not served
    assert attacks.description == "One row per attack." and attacks.columns[0].description == "The attack."


# ---- psql ---------------------------------------------------------------------------------------
def test_serve_psql_lists_marts_tables(served: Serve):
    result = psql(served, r"\dt marts.*")
    assert result.returncode == 0, result.stderr
    listed = {line.split("|")[1] for line in result.stdout.splitlines() if line.startswith("marts|")}
    assert listed == set(marts_counts(served.settings.published))


def test_serve_psql_describes_columns_with_comments(served: Serve):
    result = psql(served, r"\d+ marts.fct_attacks")
    assert result.returncode == 0, result.stderr
    assert "victim_nationalities|text[]|" in result.stdout
    assert "killed_best|numeric|" in result.stdout and "event_date|date|" in result.stdout
    assert "Killed, best estimate of the latest source" in result.stdout
    assert '"pk_fct_attacks" PRIMARY KEY' in result.stdout
    assert "REFERENCES marts.dim_places(place_id)" in result.stdout or "REFERENCES dim_places(place_id)" in result.stdout


# ---- SQLAlchemy, pandas, psycopg ------------------------------------------------------------------
def test_serve_sqlalchemy_inspector_reflects_schema_keys_and_comments(served: Serve):
    engine = sa.create_engine(served.url())
    try:
        inspector = sa.inspect(engine)
        assert "marts" in inspector.get_schema_names()
        assert set(inspector.get_table_names(schema="marts")) == set(marts_counts(served.settings.published))
        columns = {column["name"]: column for column in inspector.get_columns("fct_attacks", schema="marts")}
        assert isinstance(columns["victim_nationalities"]["type"], sa.ARRAY)
        assert isinstance(columns["killed_best"]["type"], sa.Numeric)
        assert isinstance(columns["event_date"]["type"], sa.Date)
        assert columns["place_id"]["comment"] == "Gazetteer id of the place (dim_places)."
        assert inspector.get_pk_constraint("fct_attacks", schema="marts")["constrained_columns"] == ["attack_id"]
        foreign = {
            (tuple(key["constrained_columns"]), key["referred_table"], tuple(key["referred_columns"]))
            for key in inspector.get_foreign_keys("fct_attacks", schema="marts")
        }
        assert (("place_id",), "dim_places", ("place_id",)) in foreign
        assert (("perpetrator_actor_id",), "dim_actors", ("actor_id",)) in foreign
        assert inspector.get_table_comment("fct_attacks", schema="marts")["text"].startswith("One row per attack")
    finally:
        engine.dispose()


def test_serve_pandas_and_polars_read_sql_match_published_file(served: Serve):
    engine = sa.create_engine(served.url())
    try:
        frame = pd.read_sql(ATTACKS_BY_PLACE, engine)
        polars_frame = pl.read_database(ATTACKS_BY_PLACE, engine)
    finally:
        engine.dispose()
    assert polars_frame["attacks"].to_list() == frame["attacks"].to_list()
    with duckdb.connect(str(served.settings.published), read_only=True) as con:
        expected = con.execute(ATTACKS_BY_PLACE).fetchall()
    assert len(frame) == len(expected) > 0
    assert [(row.place_name, row.attacks, _number(row.killed)) for row in frame.itertuples()] == [
        (place, attacks, _number(killed)) for place, attacks, killed in expected
    ]


def test_serve_unqualified_names_resolve_in_marts(served: Serve):
    with psycopg.connect(served.dsn()) as conn:
        assert conn.execute("select count(*) from fct_attacks").fetchone()[0] == marts_counts(
            served.settings.published
        )["fct_attacks"]


# ---- what an analyst may not do -----------------------------------------------------------------
@pytest.mark.parametrize(
    "statement",
    [
        "insert into marts.dim_places (place_id) values ('x')",
        "update marts.fct_attacks set killed_best = 0",
        "delete from marts.fct_attacks",
        "truncate marts.fct_attacks",
        "drop table marts.fct_attacks",
        "create table marts.evil (a integer)",
        "create table public.evil (a integer)",
        "create temp table evil (a integer)",
    ],
)
def test_serve_refuses_writes_even_after_leaving_read_only(served: Serve, statement: str):
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute(statement)
        conn.execute("set default_transaction_read_only = off")  # any user may; privileges still hold
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "select pg_read_file('/etc/hostname')",
        "select pg_ls_dir('/')",
        "select lo_import('/etc/hostname')",
        "copy marts.fct_attacks from '/etc/hostname'",
        "copy (select 1) to '/tmp/bluehelm-leak.csv'",
        "copy marts.fct_attacks from program 'id'",
    ],
)
def test_serve_refuses_local_files(served: Serve, statement: str):
    with psycopg.connect(served.dsn(), autocommit=True) as conn:
        conn.execute("set default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert not Path("/tmp/bluehelm-leak.csv").exists()


def test_serve_analyst_sees_only_marts(served: Serve):
    with psycopg.connect(served.dsn()) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select * from bluehelm_serving.loads")
    with pytest.raises(psycopg.OperationalError, match="no pg_hba.conf entry"):
        psycopg.connect(served.dsn().replace("dbname=bluehelm", "dbname=postgres"))
    with pytest.raises(psycopg.OperationalError, match="no pg_hba.conf entry"):
        psycopg.connect(served.dsn().replace("user=analyst", f"user={LOADER}"))


def test_serve_analyst_limits_bound_each_query(served: Serve):
    with psycopg.connect(served.dsn()) as conn:
        settings = dict(conn.execute(
            "select name, setting from pg_settings where name in"
            " ('default_transaction_read_only', 'work_mem', 'temp_file_limit')"
        ).fetchall())
        assert settings == {"default_transaction_read_only": "on", "work_mem": "65536", "temp_file_limit": "2097152"}
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled, match="statement timeout"):
            conn.execute("select pg_sleep(30)")
        assert time.monotonic() - started < 10


def test_serve_fifty_concurrent_readers(served: Serve):
    with duckdb.connect(str(served.settings.published), read_only=True) as con:
        expected = [(place, attacks, _number(killed)) for place, attacks, killed in con.execute(ATTACKS_BY_PLACE).fetchall()]
    barrier = threading.Barrier(50, timeout=60)

    def read(_: int) -> list[tuple]:
        with psycopg.connect(served.dsn()) as conn:
            barrier.wait()
            rows = conn.execute(ATTACKS_BY_PLACE).fetchall()
            barrier.wait()  # all 50 sessions open at once
        return [(place, attacks, _number(killed)) for place, attacks, killed in rows]

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(read, range(50)))
    assert results == [expected] * 50


# ---- passwords and TLS --------------------------------------------------------------------------
def test_serve_password_server_accepts_right_password(password_served: Serve):
    with psycopg.connect(password_served.dsn(PASSWORD)) as conn:
        assert conn.execute("select count(*) from marts.fct_deployments").fetchone()[0] > 0


@pytest.mark.parametrize("given", ["wrong", None])
def test_serve_password_server_rejects_wrong_or_missing_password(password_served: Serve, given: str | None):
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(password_served.dsn(given))


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("BLUEHELM_")}
    return subprocess.run([BLUEHELM, *args], capture_output=True, text=True, timeout=60, check=False,
                          env={**clean, **(env or {})})


def test_serve_refuses_non_loopback_host_without_password(sample_warehouse: Settings):
    result = run_cli("serve", "--warehouse", str(sample_warehouse.warehouse), "--host", "0.0.0.0")
    assert result.returncode == 2 and "without a password" in result.stderr


def test_serve_taken_port_is_a_clear_error(sample_warehouse: Settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--warehouse", str(sample_warehouse.warehouse), "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_serve_tls_needs_binaries_built_with_it(sample_warehouse: Settings, tmp_path: Path):
    binaries = find_binaries()
    if binaries.has_ssl is not False:
        pytest.skip("the embedded binaries support TLS here")
    cert, key = _self_signed(tmp_path)
    result = run_cli("serve", "--warehouse", str(sample_warehouse.warehouse), "--port", str(free_port()),
                     "--tls-cert", str(cert), "--tls-key", str(key))
    assert result.returncode == 2 and "built without TLS support" in result.stderr


def _system_pg_with_tls() -> Path | None:
    for bin_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        try:
            if find_binaries(bin_dir).has_ssl:
                return bin_dir
        except Exception:  # noqa: BLE001, S112 -- an unusable folder is simply not a candidate
            continue
    return None


def test_serve_tls_with_given_certificate(sample_warehouse: Settings, tmp_path: Path):
    bin_dir = _system_pg_with_tls()
    if bin_dir is None:
        pytest.skip("no PostgreSQL built with OpenSSL under /usr/lib/postgresql (the wheel has no TLS)")
    cert, key = _self_signed(tmp_path)
    server = Serve(copy_warehouse(sample_warehouse, tmp_path / "wh"), "--pg-bin", str(bin_dir),
                   "--tls-cert", str(cert), "--tls-key", str(key), password=PASSWORD)
    try:
        with psycopg.connect(server.dsn(PASSWORD, sslmode="require")) as conn:
            assert conn.execute("select ssl from pg_stat_ssl where pid = pg_backend_pid()").fetchone() == (True,)
            assert conn.execute("select count(*) from marts.fct_attacks").fetchone()[0] > 0
    finally:
        assert server.stop() == 0


# ---- publishing into a running server -------------------------------------------------------------
def test_serve_publish_swap_never_shows_a_mix(publishing: Serve):
    server, settings = publishing, publishing.settings
    query = "select (select count(*) from fct_attacks), (select count(*) from fct_mentions), (select count(*) from dim_places)"
    stop = threading.Event()
    older = psycopg.connect(server.dsn(), autocommit=True)
    try:
        with psycopg.connect(server.dsn()) as conn:
            old = conn.execute(query).fetchone()
        seen: list[tuple] = []
        errors: list[BaseException] = []

        def reader() -> None:
            try:
                with psycopg.connect(server.dsn(), autocommit=True) as conn:
                    while not stop.is_set():
                        seen.append(conn.execute(query).fetchone())
            except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
                errors.append(error)

        older.execute("begin isolation level repeatable read")  # a snapshot taken before the swap
        older.execute("select 1")
        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        publish_variant(settings, """
            delete from marts.fct_attack_sources where attack_id in (select attack_id from marts.fct_attacks limit 3);
            delete from marts.fct_attacks where attack_id in (select attack_id from marts.fct_attacks limit 3);
            delete from marts.fct_mentions where mention_id in (select mention_id from marts.fct_mentions limit 100);
        """)
        result = refresh_serving_copy(settings)  # what the publish step does
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join(30)
        new = (old[0] - 3, old[1] - 100, old[2])
        assert result is not None and result.loaded
        assert not errors, errors
        assert set(seen) <= {old, new} and seen[-1] == new, set(seen)
        assert older.execute(query).fetchone() == new  # never an empty table
        assert refresh_serving_copy(settings).loaded is False  # already current: nothing to do
    finally:
        stop.set()
        older.close()


def test_serve_failed_load_keeps_old_marts_and_asset_reports_load(publishing: Serve, tmp_path: Path):
    import dagster as dg

    from orchestration.defs.resources import WarehouseResource
    from orchestration.defs.serve import serving_marts

    server, settings = publishing, publishing.settings
    original = shutil.copyfile(settings.published, tmp_path / "original.duckdb")
    running = running_server(settings.serve_dir)
    before = served_version(running.conninfo(LOADER))
    with psycopg.connect(server.dsn()) as conn:
        old = conn.execute("select count(*) from marts.dim_places").fetchone()[0]
    # a duplicate key cannot become a primary key: the whole load rolls back
    publish_variant(settings, "insert into marts.dim_places select * from marts.dim_places limit 1")
    with pytest.raises(psycopg.errors.UniqueViolation):
        load_published(running.conninfo(LOADER), settings.published)
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("select count(*) from marts.dim_places").fetchone()[0] == old
        assert conn.execute(
            "select count(*) from pg_namespace where nspname like 'marts_%'"
        ).fetchone()[0] == 0
    assert served_version(running.conninfo(LOADER)) == before

    shutil.copyfile(original, settings.published.with_name("next.duckdb"))
    os.replace(settings.published.with_name("next.duckdb"), settings.published)  # a good publish again
    result = dg.materialize([serving_marts], resources={"warehouse": WarehouseResource(settings)})
    (materialization,) = [event.materialization for event in result.get_asset_materialization_events()]
    assert materialization.metadata["loaded"].value is True
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("select count(*) from marts.dim_places").fetchone()[0] == old


def test_serve_without_running_server_publish_skips_at_once(sample_warehouse: Settings, tmp_path: Path):
    settings = copy_warehouse(sample_warehouse, tmp_path / "wh")
    started = time.monotonic()
    assert refresh_serving_copy(settings) is None
    assert time.monotonic() - started < 0.5
    assert not settings.serve_dir.exists()


def test_serve_sigterm_stops_postgres_and_restart_catches_up(sample_warehouse: Settings, tmp_path: Path):
    settings = copy_warehouse(sample_warehouse, tmp_path / "wh")
    server = Serve(settings)
    postmaster = running_server(settings.serve_dir).pid
    assert server.stop() == 0
    with pytest.raises(ProcessLookupError):
        os.kill(postmaster, 0)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0
    assert running_server(settings.serve_dir) is None

    publish_variant(settings, "delete from marts.fct_mentions where mention_id in"
                              " (select mention_id from marts.fct_mentions limit 10)")
    again = Serve(settings)
    try:
        assert any("loaded 10 marts tables" in line for line in again.output), again.output
        with psycopg.connect(again.dsn()) as conn:
            assert conn.execute("select count(*) from marts.fct_mentions").fetchone()[0] == marts_counts(
                settings.published
            )["fct_mentions"]
    finally:
        assert again.stop() == 0


# ---- the DuckDB route (duckdb-engine), hardened as documented ------------------------------------
def test_duckdb_engine_documented_url_is_read_only_without_file_access(sample_warehouse: Settings, tmp_path: Path):
    local = tmp_path / "secret.csv"
    local.write_text("a,b\n1,2\n")
    engine = sa.create_engine(
        f"duckdb:///{sample_warehouse.published}?access_mode=read_only&enable_external_access=false"
    )
    refused = {
        f"select * from read_csv('{local}')": "(?i)permission|external access",
        "set enable_external_access = true": "(?i)enable_external_access",
        "create table marts.evil (a integer)": "(?i)read-only|read only",
        "attach ':memory:' as scratch": "(?i)read-only|read only|permission|external",
    }
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("select count(*) from marts.fct_attacks")).scalar() > 0
        for statement, message in refused.items():
            with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match=message):
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()
