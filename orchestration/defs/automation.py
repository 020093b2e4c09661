"""Jobs, the daily schedule and the raw-directory sensor."""

import hashlib

import dagster as dg

from orchestration.defs.assemble import assemble_config
from orchestration.defs.resources import WarehouseResource
from orchestration.ingest.files import MANIFEST_NAME, discover_files
from orchestration.settings import Settings

# A tick stats every input file (cheap: no reads); a short interval keeps file → published in seconds.
SENSOR_INTERVAL_SECONDS = 5

pipeline_job = dg.define_asset_job(
    "bluehelm_pipeline",
    selection=dg.AssetSelection.all(),
    description=(
        "Ingest raw articles, extract mentions (only new or changed articles), build the dbt marts "
        "(incremental unless the run config sets full_refresh), run the quality gate and publish the "
        "validated warehouse, exports and reports."
    ),
    tags={"bluehelm/writer": "warehouse"},
)


def daily_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """Daily full-refresh run of the whole pipeline (every dbt model rebuilt, every row validated) at the
    settings' cron and timezone."""
    return dg.ScheduleDefinition(
        name="bluehelm_daily",
        job=pipeline_job,
        cron_schedule=settings.schedule_cron,
        execution_timezone=settings.schedule_timezone,
        run_config=assemble_config(full_refresh=True),
        description="Runs the whole pipeline once a day with a full dbt refresh and full validation "
        "(unchanged articles are still not re-extracted).",
        default_status=dg.DefaultScheduleStatus.STOPPED,
    )


def raw_dir_fingerprint(warehouse: WarehouseResource) -> tuple[str, int]:
    """Hash of (relative path, size, mtime, ctime, inode) of every input file and manifest; and the file
    count. ctime and inode change on every write or replacement, even one that keeps size and mtime
    (`cp -p`, `rsync -a`), without reading the files."""
    raw_dir = warehouse.settings.raw_dir
    if not raw_dir.is_dir():
        return "missing", 0
    files = discover_files(raw_dir) + sorted(raw_dir.rglob(MANIFEST_NAME))
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(
            f"{path.relative_to(raw_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}\n".encode()
        )
    return digest.hexdigest()[:20], len(files)


@dg.sensor(
    job=pipeline_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    description="Launches the pipeline when files in the raw directory are added, changed or removed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def raw_files_sensor(context: dg.SensorEvaluationContext, warehouse: dg.ResourceParam[WarehouseResource]):
    fingerprint, count = raw_dir_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SkipReason(f"no change in {warehouse.settings.raw_dir} ({count} files)")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"bluehelm/raw_files": str(count)})
