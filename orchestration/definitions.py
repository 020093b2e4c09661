"""The Dagster code location: builds Definitions, nothing else."""

import dagster as dg

from orchestration.defs import automation, ingest, normalize
from orchestration.defs.resources import WarehouseResource
from orchestration.paths import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    """All assets, checks, jobs, schedule and sensor, wired to the warehouse in `settings`."""
    return dg.Definitions(
        assets=dg.load_assets_from_modules([ingest, normalize]),
        jobs=[automation.full_refresh_job],
        schedules=[automation.daily_schedule()],
        sensors=[automation.raw_files_sensor],
        resources={"warehouse": WarehouseResource.from_settings(settings)},
    )


defs = build_definitions(Settings.from_env())
