"""Dagster resources: where the warehouse lives and how assets open it; which engine runs the
per-article work."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.engines import Engine
from orchestration.engines.embedded import EmbeddedEngine
from orchestration.settings import Settings
from orchestration.warehouse.publish import snapshot_path, take_snapshot
from orchestration.warehouse.raw import write_lock


class WarehouseResource:
    """Wraps the run's `Settings` (read once by whoever built the Definitions; never mirrored field by
    field). Assets take it as `warehouse: dg.ResourceParam[WarehouseResource]` and read
    `warehouse.settings`.

    Writers take the warehouse's exclusive lock (waiting up to `lock_timeout_seconds`, then failing with
    a clear message), so two runs never write the build file at the same time.
    """

    def __init__(self, settings: Settings, lock_timeout_seconds: float = 600.0) -> None:
        self.settings = settings
        self.lock_timeout_seconds = lock_timeout_seconds

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the exclusive writer lock of the build file (for steps that write it, e.g. dbt)."""
        with write_lock(self.settings.lock_file, self.lock_timeout_seconds):
            yield

    def audit_snapshot(self, run_id: str, refresh: bool = False) -> Path:
        """The copy of the build file that run `run_id` audits and publishes; taken under the writer lock
        the first time it is asked for (or again with `refresh`, right after the run's dbt build)."""
        snapshot = snapshot_path(self.settings.published, run_id)
        if refresh or not snapshot.exists():
            with self.writer_lock():
                take_snapshot(self.settings.warehouse, snapshot, replace=refresh, duckdb_config=self.settings.duckdb_config)
        return snapshot

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build file (memory limit and threads from the settings), holding the
        writer lock while open.

        Read-only connections take the lock too: DuckDB refuses to open a file read-only while another
        process has it open for writing.
        """
        path = self.settings.warehouse
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            self.writer_lock(),
            duckdb.connect(str(path), read_only=read_only, config=self.settings.duckdb_config) as con,
        ):
            yield con


class EngineResource(dg.ConfigurableResource):
    """The engine of the per-article work (ingest's reading and cleaning, extraction).

    This class is the embedded engine (in-process Polars, nothing to start). With BLUEHELM_ENGINE=spark
    the `engine` resource is `defs.spark.SparkEngineResource` instead (the `spark` extra), a subclass
    holding dagster-pyspark's lazy Spark session.
    """

    def engine(self) -> Engine:
        return EmbeddedEngine()


def engine_resource(settings: Settings) -> EngineResource:
    """The `engine` resource for `settings.engine` (a clear error if the Spark extra is missing)."""
    if settings.engine == "spark":
        from orchestration.engines.spark import require_pyspark

        require_pyspark()
        from orchestration.defs.spark import SparkEngineResource

        return SparkEngineResource.from_settings(settings)
    return EngineResource()
