"""Jobs, the daily schedule and the raw-directory sensor."""

import hashlib
import os

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.ingest.files import MANIFEST_NAME, discover_files

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"

full_refresh_job = dg.define_asset_job(
    "bluehelm_pipeline",
    selection=dg.AssetSelection.all(),
    description=(
        "Ingest raw articles, extract mentions (only new or changed articles), build the dbt marts, "
        "run the quality gate and publish the validated warehouse, exports and reports."
    ),
    tags={"bluehelm/writer": "warehouse"},
)


def daily_schedule() -> dg.ScheduleDefinition:
    """Daily run of the whole pipeline; cron and timezone from BLUEHELM_SCHEDULE_CRON / _TIMEZONE."""
    return dg.ScheduleDefinition(
        name="bluehelm_daily",
        job=full_refresh_job,
        cron_schedule=os.environ.get("BLUEHELM_SCHEDULE_CRON", DEFAULT_CRON),
        execution_timezone=os.environ.get("BLUEHELM_SCHEDULE_TIMEZONE", DEFAULT_TIMEZONE),
        description="Runs the whole pipeline once a day (unchanged articles are not re-extracted).",
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
    job=full_refresh_job,
    minimum_interval_seconds=30,
    description="Launches the pipeline when files in the raw directory are added, changed or removed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def raw_files_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint, count = raw_dir_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SkipReason(f"no change in {warehouse.raw_dir} ({count} files)")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"bluehelm/raw_files": str(count)})
