"""`bluehelm serve`: real psql and psycopg clients against a server subprocess over a temp published file."""

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest

from orchestration.serve import serve
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT

LITERAL_MARTS = Path(__file__).parent / "data" / "marts_literal.sql"
PSQL = shutil.which("psql")
PASSWORD = "correct horse"


def build_published(path: Path, extra_sql: str = "") -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(LITERAL_MARTS.read_text(encoding="utf-8") + extra_sql)
    return path


class Server:
    """A `python -m orchestration.serve` subprocess; stopped through its own pid only."""

    def __init__(self, published: Path, password: str | None = None):
        env = {key: value for key, value in os.environ.items() if key != "BLUEHELM_SERVE_PASSWORD"}
        if password:
            env["BLUEHELM_SERVE_PASSWORD"] = password
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.serve", "--published", str(published), "--port", "0"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline() if ready else ""
        if "listening on 127.0.0.1:" not in line:
            self.stop()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(line.split("listening on 127.0.0.1:")[1].split()[0])

    def dsn(self, password: str | None = None) -> str:
        dsn = f"host=127.0.0.1 port={self.port} dbname=bluehelm user=analyst connect_timeout=10"
        return dsn + (f" password='{password}'" if password else "")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_published(tmp_path_factory.mktemp("published") / "bluehelm.duckdb")


@pytest.fixture(scope="module")
def server(published: Path) -> Iterator[Server]:
    running = Server(published)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def password_server(published: Path) -> Iterator[Server]:
    running = Server(published, password=PASSWORD)
    yield running
    running.stop()


def psql(server: Server, command: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGPASSWORD": password or "", "PGCONNECT_TIMEOUT": "10"}
    return subprocess.run(
        [PSQL, "-X", "-w", "-A", "-t", "-F", "|", server.dsn(), "-c", command],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
    )


needs_psql = pytest.mark.skipif(PSQL is None, reason="psql client not installed")


def test_serve_psycopg_runs_parameterized_query(server: Server):
    with psycopg.connect(server.dsn()) as conn:
        rows = conn.execute(
            "select attack_id, killed_best, victim_nationalities from marts.fct_attacks"
            " where killed_best >= %s and place_name = %s",
            [2, "Kidal"],
        ).fetchall()
    assert rows == [("att2", 7.0, ["GIN", "MLI"])]


def test_serve_psycopg_lists_marts_from_information_schema(server: Server):
    with psycopg.connect(server.dsn()) as conn:
        tables = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
    assert ("fct_attacks",) in tables and ("fct_deployments",) in tables


def test_serve_resolves_unqualified_mart_names(server: Server):
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("select count(*) from fct_attacks").fetchone() == (4,)


@pytest.mark.parametrize("path", sorted((DBT_PROJECT_DIR / "analyses").glob("*.sql")), ids=lambda p: p.stem)
def test_serve_runs_example_query(server: Server, path: Path):
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute(path.read_text(encoding="utf-8")).fetchall()


@needs_psql
def test_serve_psql_lists_marts_tables(server: Server):
    result = psql(server, r"\dt marts.*")
    assert result.returncode == 0, result.stderr
    assert "marts|fct_attacks|table" in result.stdout and "raw|" not in result.stdout


@needs_psql
def test_serve_psql_describes_fact_table(server: Server):
    result = psql(server, r"\d marts.fct_attacks")
    assert result.returncode == 0, result.stderr
    assert "killed_best|double precision" in result.stdout and "victim_nationalities|text[]" in result.stdout


@needs_psql
def test_serve_psql_runs_query(server: Server):
    result = psql(server, "select place_name, killed_best from marts.fct_attacks where attack_id = 'att1'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Aguelhok|2.0"


@pytest.mark.parametrize(
    "statement",
    [
        "insert into marts.fct_mentions (mention_id) values ('x')",
        "create table marts.evil (a integer)",
        "create temp table evil (a integer)",
        "delete from marts.fct_attacks",
        "attach ':memory:' as scratch",
        "install httpfs",
        "load httpfs",
        "pragma database_list",
        "explain analyze create temp table evil as select 1",
    ],
)
def test_serve_refuses_write_or_admin_statement(server: Server, statement: str):
    with psycopg.connect(server.dsn()) as conn, pytest.raises(psycopg.Error, match="read-only"):
        conn.execute(statement)


def test_serve_runs_explain_of_query(server: Server):
    with psycopg.connect(server.dsn()) as conn:
        assert conn.execute("explain select count(*) from marts.fct_attacks").fetchall()


def test_serve_refuses_copy_to_file(server: Server, tmp_path: Path):
    target = tmp_path / "leak.csv"
    with psycopg.connect(server.dsn()) as conn, pytest.raises(psycopg.Error, match="read-only"):
        conn.execute(f"copy marts.fct_attacks to '{target}'")
    assert not target.exists()


@pytest.mark.parametrize(
    "query",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/etc/*')",
    ],
)
def test_serve_refuses_reading_local_files(server: Server, query: str):
    with psycopg.connect(server.dsn()) as conn, pytest.raises(psycopg.Error) as raised:
        conn.execute(query)
    assert raised.value.sqlstate == "42501"


def test_serve_does_not_scan_bare_file_paths(server: Server):
    with psycopg.connect(server.dsn()) as conn, pytest.raises(psycopg.Error, match="does not exist"):
        conn.execute("select * from '/etc/passwd'")


def test_serve_set_cannot_reenable_file_access(server: Server):
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute("set enable_external_access = true")
        with pytest.raises(psycopg.Error) as raised:
            conn.execute("select * from read_csv('/etc/passwd')")
    assert raised.value.sqlstate == "42501"


@needs_psql
def test_serve_psql_refuses_copy_with_clear_error(server: Server, tmp_path: Path):
    result = psql(server, f"copy marts.fct_attacks to '{tmp_path / 'leak.csv'}'")
    assert result.returncode != 0
    assert "read-only: COPY statements are refused" in result.stderr


def test_serve_accepts_right_password(password_server: Server):
    with psycopg.connect(password_server.dsn(PASSWORD)) as conn:
        assert conn.execute("select count(*) from marts.fct_deployments").fetchone() == (3,)


def test_serve_rejects_wrong_password(password_server: Server):
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(password_server.dsn("wrong"))


@needs_psql
def test_serve_psql_rejects_wrong_password(password_server: Server):
    result = psql(password_server, "select 1", password="wrong")
    assert result.returncode != 0 and "password authentication failed" in result.stderr


def test_serve_new_connection_sees_newly_published_snapshot(tmp_path: Path):
    published = build_published(tmp_path / "bluehelm.duckdb")
    running = Server(published)
    try:
        with psycopg.connect(running.dsn()) as conn:
            assert conn.execute("select count(*) from marts.fct_figures").fetchone() == (1,)
        replacement = build_published(
            tmp_path / "next.duckdb",
            "insert into marts.fct_figures (figure_id, measure) values ('fig2', 'troops_authorized');",
        )
        os.replace(replacement, published)
        counts = []
        deadline = time.monotonic() + 10
        while counts[-1:] != [2] and time.monotonic() < deadline:  # the first session may still be closing
            with psycopg.connect(running.dsn()) as conn:
                counts.append(conn.execute("select count(*) from marts.fct_figures").fetchone()[0])
        assert counts[-1] == 2
    finally:
        running.stop()


def test_serve_refuses_non_loopback_host_without_password(published: Path):
    with pytest.raises(ValueError, match="non-loopback"):
        serve(published, host="0.0.0.0", port=0)
