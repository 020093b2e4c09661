"""Running the whole pipeline in-process (for `bluehelm run`, `evaluate`, `bench` and tests)."""

import dagster as dg
import duckdb

from orchestration.definitions import build_definitions
from orchestration.defs.assemble import assemble_config
from orchestration.defs.automation import pipeline_job
from orchestration.settings import Settings


def execute_all(
    settings: Settings, instance: dg.DagsterInstance | None = None, full_refresh: bool = False
) -> bool:
    """Materialize every asset and run every check in one process (on the instance in the settings'
    DAGSTER_HOME unless `instance` is given); True when the run succeeded.

    `full_refresh` rebuilds every incremental dbt model from raw (`dbt build --full-refresh`).
    """
    defs = build_definitions(settings)
    job = defs.resolve_job_def(pipeline_job.name)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    if instance is None:
        instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    result = job.execute_in_process(instance=instance, run_config=assemble_config(full_refresh), raise_on_error=False)
    return result.success


def summarize(settings: Settings, ok: bool) -> str:
    """A short human summary of what a run left in the warehouse."""
    lines = [f"bluehelm run {'succeeded' if ok else 'FAILED'}"]
    lines.append(f"  raw directory: {settings.raw_dir}")
    lines.append(f"  build warehouse: {settings.warehouse}")
    if settings.warehouse.exists():
        with duckdb.connect(str(settings.warehouse), read_only=True, config=settings.duckdb_config) as con:
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
