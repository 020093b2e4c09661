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
from orchestration.warehouse.raw import write_lock


class WarehouseResource(dg.ConfigurableResource):
    """The raw directory, the build and published DuckDB files, and the input size limit.

    Writers take the warehouse's exclusive lock (waiting up to `lock_timeout_seconds`, then failing with
    a clear message), so two runs never write the build file at the same time.
    """

    raw_dir: str
    warehouse_path: str
    published_path: str
    max_file_bytes: int
    lock_timeout_seconds: float = 600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        return cls(
            raw_dir=str(settings.raw_dir),
            warehouse_path=str(settings.warehouse),
            published_path=str(settings.published),
            max_file_bytes=settings.max_file_bytes,
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse=Path(self.warehouse_path),
            published=Path(self.published_path),
            max_file_bytes=self.max_file_bytes,
        )

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the exclusive writer lock of the build file (for steps that write it, e.g. dbt)."""
        with write_lock(self.settings.lock_file, self.lock_timeout_seconds):
            yield

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build file, holding the writer lock while open.

        Read-only connections take the lock too: DuckDB refuses to open a file read-only while another
        process has it open for writing.
        """
        path = self.settings.warehouse
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.writer_lock(), duckdb.connect(str(path), read_only=read_only) as con:
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
