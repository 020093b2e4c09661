"""`bluehelm serve`: start the serving cluster, catch up with the published file, serve until a signal.

After the start the publish step keeps the copy current: it loads into the cluster whenever one is
running for the same warehouse (`refresh_serving_copy`), and a `bluehelm serve` started later
catches up with whatever was published meanwhile.
"""

import getpass
import logging
import signal
import sys
import threading
from typing import TYPE_CHECKING

from orchestration.serve.server import (
    ANALYST,
    DATABASE,
    LOADER,
    Cluster,
    ServeError,
    check_port_free,
    find_binaries,
    is_loopback,
    running_server,
    server_os_user,
)
from orchestration.settings import ServeOptions, Settings

if TYPE_CHECKING:
    from orchestration.serve.load import LoadResult

logger = logging.getLogger(__name__)


def validate(options: ServeOptions) -> None:
    """Refuse unsafe or impossible option combinations before anything starts."""
    if not options.password and not is_loopback(options.host):
        raise ServeError(
            f"refusing to listen on non-loopback host {options.host!r} without a password"
            " (--password or BLUEHELM_SERVE_PASSWORD)"
        )
    if bool(options.tls_cert) != bool(options.tls_key):
        raise ServeError("TLS needs both --tls-cert and --tls-key")
    for path in (options.tls_cert, options.tls_key):
        if path is not None and not path.is_file():
            raise ServeError(f"TLS file not found: {path}")
    if not 1 <= options.port <= 65535:
        raise ServeError(f"invalid port {options.port}")


def serve(settings: Settings, options: ServeOptions) -> int:
    """Run the serving cluster in the foreground until SIGINT/SIGTERM; 0 after a clean shutdown."""
    validate(options)
    from orchestration.serve.load import load_published  # DuckDB and Arrow: only once we really start

    if not settings.published.exists():
        raise ServeError(f"no published warehouse at {settings.published}: run `bluehelm run` first")
    check_port_free(options.host, options.port)
    binaries = find_binaries(options.pg_bin)
    if options.tls_cert and binaries.has_ssl is False:
        raise ServeError(
            f"PostgreSQL {binaries.version} in {binaries.bin_dir} is built without TLS support; point"
            " --pg-bin (BLUEHELM_SERVE_PG_BIN) at one that has it, e.g. Debian's /usr/lib/postgresql/<version>/bin"
        )
    cluster = Cluster(settings.serve_dir, binaries, server_os_user(options.os_user))
    cluster.prepare()
    cluster.write_access_files(options, getpass.getuser())
    stop, serving = threading.Event(), threading.Event()

    def on_signal(*_: object) -> None:
        stop.set()
        if not serving.is_set():  # still starting or loading: interrupt that, then shut down
            raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    try:
        running = cluster.start(options)
        cluster.configure_roles(running, options)
        try:
            report_load(load_published(running.conninfo(LOADER), settings.published))
        except Exception as error:  # noqa: BLE001 -- keep serving the previous copy, say why loudly
            print(f"bluehelm serve: loading {settings.published} failed, serving the previous copy: {error}",
                  file=sys.stderr, flush=True)
        scheme = "TLS available" if options.tls_cert else "no TLS"
        auth = "password required" if options.password else "no password, loopback only"
        print(
            f"bluehelm serve: listening on {options.host}:{options.port} (PostgreSQL {binaries.version},"
            f" database {DATABASE}, user {ANALYST}, read-only, {auth}, {scheme}); connect with:"
            f' psql "host={_client_host(options.host)} port={options.port} dbname={DATABASE} user={ANALYST}"',
            flush=True,
        )
        print(f"bluehelm serve: server log {cluster.log_file}; Ctrl-C stops the server", flush=True)
        serving.set()
        while not stop.wait(0.5):
            if cluster.process.poll() is not None:
                print(f"bluehelm serve: PostgreSQL exited unexpectedly:\n{cluster.log_tail()}", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        print("bluehelm serve: interrupted while starting", file=sys.stderr, flush=True)
    finally:
        cluster.stop()
    print("bluehelm serve: stopped", flush=True)
    return 0


def refresh_serving_copy(settings: Settings) -> "LoadResult | None":
    """Load the published marts into the serving cluster of this warehouse if one is running.

    None (after one stat) when no `bluehelm serve` runs for it: the next one catches up at start.
    """
    running = running_server(settings.serve_dir)
    if running is None:
        return None
    from orchestration.serve.load import load_published

    return load_published(running.conninfo(LOADER), settings.published)


def report_load(result: "LoadResult") -> None:
    if not result.loaded:
        print("bluehelm serve: served marts are current", flush=True)
        return
    rows = sum(result.row_counts.values())
    print(
        f"bluehelm serve: loaded {len(result.row_counts)} marts tables ({rows} rows) in {result.seconds:.1f} s",
        flush=True,
    )
    for key in result.unvalidated_foreign_keys:
        print(f"bluehelm serve: warning: foreign key {key} left NOT VALID (quarantined rows)", flush=True)


def _client_host(host: str) -> str:
    return "127.0.0.1" if host in ("*", "", "0.0.0.0") else "::1" if host == "::" else host
