"""Write–audit–publish: snapshot the build file, audit the snapshot, publish that very snapshot.

A run copies the build file once, under the writer lock, right after its dbt build (`take_snapshot`);
the quality gate validates that copy and the publish step renames it onto the published file after
deleting the quarantined rows (`publish_gated(..., snapshot=True)`), so a run never publishes marts its
own gate did not audit, whatever other writers did to the build file meanwhile. The published file is
only ever replaced by `os.replace` of a finished, fsynced file in the same directory, so readers always
see either the previous or the new complete file; a failed or killed run leaves the previous file
untouched (leftover temporary files and snapshots are removed by later runs). The Parquet export of the
published marts is swapped in the same way, through a symlink.
"""

import json
import os
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from orchestration.processes import is_alive
from orchestration.validate.marts import MARTS, MARTS_BY_TABLE, row_key_sql
from orchestration.validate.results import GateResult

SNAPSHOT_MAX_AGE = timedelta(hours=12)


class PublishBlocked(RuntimeError):
    """The quality gate failed an 'error' check: nothing was published."""


@dataclass(frozen=True)
class PublishResult:
    """What a publish changed: the file, rows per marts table, rows left out per table, the export."""

    published: Path
    published_at: datetime
    row_counts: dict[str, int]
    quarantined_rows: dict[str, int]
    manifest: Path


def publish_gated(
    audited: Path,
    published: Path,
    exports_dir: Path,
    gate: GateResult,
    duckdb_config: Mapping[str, str] | None = None,
    *,
    snapshot: bool = False,
) -> PublishResult:
    """Publish `audited` unless `gate` failed an 'error' check; then export the marts to Parquet.

    `audited` is the file the gate validated: a build file, copied; or, with `snapshot`, a run's audit
    snapshot (`take_snapshot`), renamed onto `published` so that what is published is exactly what was
    audited (removed when the gate blocks it). `duckdb_config` (memory limit, threads) applies to every
    connection opened here.
    """
    if not gate.passed:
        if snapshot:
            discard_snapshot(audited)
        failures = ", ".join(sorted({f"{o.suite}.{o.expectation}" for o in gate.blocking_failures()}))
        raise PublishBlocked(f"quality gate {gate.run_id} failed: {failures}")
    if snapshot:
        removed = publish_snapshot(audited, published, gate.quarantined, duckdb_config)
    else:
        removed = publish_warehouse(audited, published, gate.quarantined, duckdb_config)
    manifest = export_parquet(published, exports_dir, duckdb_config)
    counts = {name: table["rows"] for name, table in json.loads(manifest.read_text())["tables"].items()}
    published_at = datetime.fromtimestamp(published.stat().st_mtime, UTC)
    return PublishResult(published, published_at, counts, removed, manifest)


def snapshot_path(published: Path, run_id: str) -> Path:
    """Where run `run_id` keeps the copy of the build file it audits and then publishes (beside
    `published`, so the final `os.replace` stays within one file system)."""
    return published.with_name(f".{published.name}.audit-{run_id}")


def take_snapshot(
    build: Path, snapshot: Path, replace: bool = False, duckdb_config: Mapping[str, str] | None = None
) -> Path:
    """Copy the checkpointed `build` file to `snapshot` (kept if it exists, unless `replace`).

    The caller holds the writer lock, so the copy is one consistent state of the build file; later
    writers never touch it. Snapshots older than SNAPSHOT_MAX_AGE (left by killed runs) are removed.
    """
    if snapshot.exists() and not replace:
        return snapshot
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - SNAPSHOT_MAX_AGE.total_seconds()
    for old in snapshot.parent.glob(f"{snapshot.name.split('.audit-')[0]}.audit-*"):
        if old != snapshot and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    with duckdb.connect(str(build), config=dict(duckdb_config or {})) as con:
        con.execute("CHECKPOINT")
    temporary = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(build, temporary)
        os.replace(temporary, snapshot)
    finally:
        temporary.unlink(missing_ok=True)
    return snapshot


def discard_snapshot(snapshot: Path) -> None:
    """Remove an audit snapshot that will not be published (and its WAL)."""
    for path in (snapshot, snapshot.with_name(snapshot.name + ".wal")):
        path.unlink(missing_ok=True)


def publish_warehouse(
    build: Path,
    published: Path,
    quarantined: Mapping[str, frozenset[str]],
    duckdb_config: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Atomically replace `published` by a copy of `build` without the quarantined rows.

    `quarantined` maps a marts table to row keys (see `row_key_sql`); rows of marts whose `parent`
    row is quarantined are removed too. Returns rows removed per table. The build file must not be
    open in another process.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(published.parent, f".{published.name}.", ".tmp")
    with duckdb.connect(str(build), config=dict(duckdb_config or {})) as con:
        con.execute("CHECKPOINT")
    temporary = _temporary_beside(published)
    shutil.copyfile(build, temporary)
    return publish_snapshot(temporary, published, quarantined, duckdb_config)


def publish_snapshot(
    snapshot: Path,
    published: Path,
    quarantined: Mapping[str, frozenset[str]],
    duckdb_config: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Delete the quarantined rows from `snapshot`, then fsync it and `os.replace` it onto `published`.

    Returns rows removed per table; `snapshot` is gone afterwards (published, or removed on failure).
    """
    try:
        with duckdb.connect(str(snapshot), config=dict(duckdb_config or {})) as con:
            removed = _delete_quarantined(con, quarantined)
            con.execute("CHECKPOINT")
        _fsync(snapshot)
        os.replace(snapshot, published)
        _fsync(published.parent)
    finally:
        discard_snapshot(snapshot)
    return removed


def _temporary_beside(published: Path) -> Path:
    """A fresh temporary name in `published`'s folder, carrying this process id (see `_remove_stale`)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    return published.with_name(f".{published.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def export_parquet(published: Path, exports_dir: Path, duckdb_config: Mapping[str, str] | None = None) -> Path:
    """Export every marts table of `published` to `<exports_dir>/<table>.parquet` plus manifest.json.

    `exports_dir` is a symlink to a versioned sibling folder, switched atomically once the new
    version is complete; older versions are then deleted. Returns the manifest's path.
    """
    versions = exports_dir.parent / f".{exports_dir.name}.versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = versions / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"
    version.mkdir()
    tables: dict[str, dict] = {}
    with duckdb.connect(str(published), read_only=True, config=dict(duckdb_config or {})) as con:
        names = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
                " AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            target = version / f"{name}.parquet"
            con.execute(f"COPY marts.\"{name}\" TO '{target}' (FORMAT parquet)")
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
                [name],
            ).fetchall()
            tables[name] = {
                "file": target.name,
                "rows": con.execute(f'SELECT count(*) FROM marts."{name}"').fetchone()[0],
                "columns": [{"name": column, "type": kind} for column, kind in columns],
            }
    manifest = {
        "published_at": datetime.fromtimestamp(published.stat().st_mtime, UTC).isoformat(),
        "exported_at": datetime.now(UTC).isoformat(),
        "source_file": str(published),
        "tables": tables,
    }
    (version / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    for path in version.iterdir():
        _fsync(path)
    _fsync(version)
    _switch_symlink(exports_dir, version)
    for old in versions.iterdir():
        if old != version:
            shutil.rmtree(old, ignore_errors=True)
    return exports_dir / "manifest.json"


def _delete_quarantined(
    con: duckdb.DuckDBPyConnection, quarantined: Mapping[str, frozenset[str]]
) -> dict[str, int]:
    removed: dict[str, int] = {}
    for table, keys in quarantined.items():
        if not keys:
            continue
        removed[table] = removed.get(table, 0) + _delete(
            con, table, row_key_sql(MARTS_BY_TABLE[table].key), keys
        )
        for child in MARTS:
            if child.parent and child.parent[0] == table:
                removed[child.table] = removed.get(child.table, 0) + _delete(
                    con, child.table, f"CAST({child.parent[1]} AS VARCHAR)", keys
                )
    return removed


def _delete(con: duckdb.DuckDBPyConnection, table: str, key_sql: str, keys: frozenset[str]) -> int:
    return con.execute(
        f"DELETE FROM marts.{table} WHERE {key_sql} IN (SELECT unnest(?::VARCHAR[]))", [sorted(keys)]
    ).fetchone()[0]


def _switch_symlink(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically (a real folder left by an older layout is removed first)."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    staging = link.with_name(f".{link.name}.{os.getpid()}.link")
    staging.unlink(missing_ok=True)
    staging.symlink_to(os.path.relpath(target, link.parent), target_is_directory=True)
    os.replace(staging, link)
    _fsync(link.parent)


def _remove_stale(folder: Path, prefix: str, suffix: str) -> None:
    """Remove temporary files left by publishers that are no longer running (pid in the name)."""
    for path in folder.glob(f"{prefix}*{suffix}*"):
        pid = path.name.removeprefix(prefix).split(".")[0]
        if pid.isdigit() and not is_alive(int(pid)):
            path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
