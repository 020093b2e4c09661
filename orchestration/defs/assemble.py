"""Thin Dagster wrapper over the dbt project: every model and seed is an asset, every dbt test a check.

Asset keys: models and seeds are [schema, name] (["marts", "fct_attacks"], ["seeds", "cue_terms"]);
sources take `meta.dagster.asset_key` from models/staging/_raw__sources.yml (["raw", "mentions"]), so
dbt assets depend on the Python assets that write the raw tables. Built by `build_dbt_assets()` when
Definitions are built (reads target/manifest.json written by `bluehelm prepare`).
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_cli, dbt_project
from orchestration.defs.resources import WarehouseResource

ROW_COUNT = "dagster/row_count"


class BluehelmDbtTranslator(DagsterDbtTranslator):
    """Keys models and seeds by [schema, name] and puts them in the group `assemble`; sources keep
    meta.dagster.asset_key."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_group_name(dbt_resource_props)
        return "assemble"


def _row_counts(warehouse: WarehouseResource, keys: list[dg.AssetKey]) -> Iterator[dg.AssetObservation]:
    """One observation with dagster/row_count per materialized [schema, table] (read after dbt exits:
    the dbt process holds the DuckDB file while it runs)."""
    with warehouse.connect(read_only=True) as con:
        tables = {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for key in keys:
            if tuple(key.path) in tables:
                schema, name = key.path
                (count,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                yield dg.AssetObservation(asset_key=key, metadata={ROW_COUNT: int(count)})


def build_dbt_assets() -> dg.AssetsDefinition:
    """The @dbt_assets definition over the project's manifest (written by `bluehelm prepare`;
    re-parsed automatically under `dagster dev`)."""
    project = dbt_project()
    project.prepare_if_dev()
    if not project.manifest_path.exists():
        raise FileNotFoundError(
            f"{project.manifest_path} is missing: run `bluehelm prepare` (dbt parse) first"
        )

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=BluehelmDbtTranslator(),
        name="bluehelm_dbt",
    )
    def bluehelm_dbt(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ) -> Iterator[Any]:
        """`dbt build` (seeds, models, unit and data tests) on the build file, holding its writer lock,
        then this run's audit snapshot of it (before the lock is let go); events stream as dbt runs,
        then each materialized table reports its row count."""
        materialized: list[dg.AssetKey] = []
        # profiles.yml reads the build file from BLUEHELM_WAREHOUSE; the dbt subprocess inherits it
        os.environ["BLUEHELM_WAREHOUSE"] = warehouse.warehouse_path
        with warehouse.writer_lock():
            for event in dbt.cli(["build"], context=context).stream():
                if isinstance(event, dg.Output | dg.AssetMaterialization):
                    materialized.append(
                        event.asset_key
                        if isinstance(event, dg.AssetMaterialization)
                        else context.asset_key_for_output(event.output_name)
                    )
                yield event
            # still under the lock: the copy this run's gate audits and its publish step publishes
            warehouse.audit_snapshot(context.run.run_id, refresh=True)
        for observation in _row_counts(warehouse, materialized):
            context.log_event(observation)

    return bluehelm_dbt


def dbt_resource() -> DbtCliResource:
    """The `dbt` resource the assets need (key "dbt" in Definitions.resources)."""
    return dbt_cli()
