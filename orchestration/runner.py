"""Running the whole pipeline in-process (for `bluehelm run`, `evaluate`, `bench` and tests)."""

import dagster as dg
import duckdb

from orchestration.definitions import build_definitions
from orchestration.defs.automation import full_refresh_job
from orchestration.settings import Settings


def execute_all(settings: Settings, instance: dg.DagsterInstance | None = None) -> bool:
    """Materialize every asset and run every check in one process; True when the run succeeded."""
    defs = build_definitions(settings)
    job = defs.resolve_job_def(full_refresh_job.name)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    result = job.execute_in_process(instance=instance or dg.DagsterInstance.get(), raise_on_error=False)
    return result.success


def summarize(settings: Settings, ok: bool) -> str:
    """A short human summary of what a run left in the warehouse."""
    lines = [f"bluehelm run {'succeeded' if ok else 'FAILED'}"]
    lines.append(f"  raw directory: {settings.raw_dir}")
    lines.append(f"  build warehouse: {settings.warehouse}")
    if settings.warehouse.exists():
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            tables = con.execute(
                """select table_schema || '.' || table_name from information_schema.tables
                   where table_schema in ('raw', 'marts') order by 1"""
            ).fetchall()
            for (name,) in tables:
                count = con.execute(f"select count(*) from {name}").fetchone()[0]
                lines.append(f"    {name:<32} {count:>8} rows")
    published = settings.published
    lines.append(f"  published warehouse (read this one): {published if published.exists() else 'not published'}")
    return "\n".join(lines)
