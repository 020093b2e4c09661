"""Dagster resources: where the warehouse lives and how assets open it."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.settings import Settings
from orchestration.warehouse.publish import snapshot_path, take_snapshot
from orchestration.warehouse.raw import write_lock


class WarehouseResource(dg.ConfigurableResource):
    """The raw directory, the build and published DuckDB files, the input size limit and whether
    removed inputs retire their articles.

    Writers take the warehouse's exclusive lock (waiting up to `lock_timeout_seconds`, then failing with
    a clear message), so two runs never write the build file at the same time.
    """

    raw_dir: str
    warehouse_path: str
    published_path: str
    max_file_bytes: int
    retire_removed: bool = True
    lock_timeout_seconds: float = 600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        return cls(
            raw_dir=str(settings.raw_dir),
            warehouse_path=str(settings.warehouse),
            published_path=str(settings.published),
            max_file_bytes=settings.max_file_bytes,
            retire_removed=settings.retire_removed,
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse=Path(self.warehouse_path),
            published=Path(self.published_path),
            max_file_bytes=self.max_file_bytes,
            retire_removed=self.retire_removed,
        )

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
                take_snapshot(self.settings.warehouse, snapshot, replace=refresh)
        return snapshot

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
