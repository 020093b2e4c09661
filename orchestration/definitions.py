"""The Dagster code location: builds Definitions, nothing else."""

import dagster as dg

from orchestration.defs import automation, extract, ingest, publish, reports, serve, validate
from orchestration.defs.assemble import build_dbt_assets, dbt_resource
from orchestration.defs.resources import WarehouseResource, engine_resource
from orchestration.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    """All assets, checks, jobs, schedule and sensor, wired to the warehouse in `settings`.

    Every run the sensor, the schedule or the UI launches executes its steps in the run worker's own
    process (`in_process_executor`): the default executor starts each step in a new Python process,
    which imports Dagster, dbt, Polars and Great Expectations again (~15 s a step on 2 cores), while the
    steps form a chain (ingest → extract → dbt → gate → publish) with nothing worth a process each."""
    return dg.Definitions(
        assets=[*dg.load_assets_from_modules([ingest, extract, publish, reports, serve]), build_dbt_assets()],
        asset_checks=[validate.marts_quality_gate],
        jobs=[automation.pipeline_job],
        schedules=[automation.daily_schedule(settings)],
        sensors=[automation.raw_files_sensor],
        resources={
            "warehouse": WarehouseResource(settings),
            "engine": engine_resource(settings),
            "dbt": dbt_resource(),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
