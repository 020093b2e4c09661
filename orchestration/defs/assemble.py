"""Thin Dagster wrapper over the dbt project: every model and seed is an asset; dbt tests run inside the
build (a failing test fails the step, passing ones are counted, not stored one event each).

Full or incremental: a build is full (`--full-refresh`, seeds, every test) when the run config asks for
it or the dbt project changed since the warehouse's last build (`raw.dbt_builds`); otherwise incremental
(`dbt_project.build_args`).

Asset keys: models and seeds are [schema, name] (["marts", "fct_attacks"], ["seeds", "cue_terms"]);
sources take `meta.dagster.asset_key` from models/staging/_raw__sources.yml (["raw", "mentions"]), so
dbt assets depend on the Python assets that write the raw tables. Built by `build_dbt_assets()` when
Definitions are built (reads target/manifest.json written by `bluehelm prepare`).
"""

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import (
    build_args,
    dbt_cli,
    dbt_project,
    keep_parse_cache,
    manifest_is_current,
    prepare_manifest,
    project_digest,
    remove_call_folder,
)
from orchestration.defs.resources import WarehouseResource
from orchestration.settings import Settings
from orchestration.warehouse import raw

ROW_COUNT = "dagster/row_count"
ASSEMBLE_OP = "bluehelm_dbt"


class AssembleConfig(dg.Config):
    """`full_refresh`: rebuild every incremental model from raw (`dbt build --full-refresh`)."""

    full_refresh: bool = False


def assemble_config(full_refresh: bool) -> dict:
    """Run config of the pipeline job selecting an incremental or a full-refresh dbt build."""
    return {"ops": {ASSEMBLE_OP: {"config": {"full_refresh": full_refresh}}}}


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


def _passed_test(observation: dg.AssetObservation) -> bool:
    """An observation dagster-dbt makes of a dbt test that passed."""
    status = observation.metadata.get("status")
    return status is not None and status.value == "pass"


def _test_results(run_results: Mapping[str, Any]) -> dict[str, Any]:
    """Counts of dbt test statuses and the failing tests' names (from run_results.json)."""
    tests = [r for r in run_results.get("results", []) if r["unique_id"].startswith(("test.", "unit_test."))]
    counts: dict[str, int] = {}
    for result in tests:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    failing = [r["unique_id"] for r in tests if r["status"] in ("fail", "error")]
    return {"counts": counts, "failing": failing}


def build_dbt_assets() -> dg.AssetsDefinition:
    """The @dbt_assets definition over the project's manifest (written by `bluehelm prepare`; parsed
    again first when missing or older than the project's models, macros, seeds or tests)."""
    project = dbt_project()
    if not manifest_is_current():
        prepare_manifest(Settings.from_env())

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        # dbt tests are not Dagster asset checks: one stored event per test on every run would dominate the
        # event log; a failing test fails `dbt build`, hence this step, and is named in its log.
        dagster_dbt_translator=BluehelmDbtTranslator(DagsterDbtTranslatorSettings(enable_asset_checks=False)),
        name=ASSEMBLE_OP,
    )
    def bluehelm_dbt(
        context: dg.AssetExecutionContext,
        config: AssembleConfig,
        dbt: DbtCliResource,
        warehouse: dg.ResourceParam[WarehouseResource],
    ) -> Iterator[Any]:
        """`dbt build` (seeds, models, unit and data tests; incremental models only merge changed
        articles unless `config.full_refresh`) on the build file, holding its writer lock, then this run's
        audit snapshot of it (before the lock is let go); model events stream as dbt runs, then each
        materialized table reports its row count and the step's metadata counts test results (failing
        tests by name)."""
        materialized: list[dg.AssetKey] = []
        digest = project_digest()
        with warehouse.writer_lock():
            with duckdb.connect(str(warehouse.settings.warehouse), config=warehouse.settings.duckdb_config) as con:
                full = config.full_refresh or raw.last_dbt_build_digest(con) != digest
            context.log.info(
                "dbt: full refresh" + ("" if config.full_refresh else " (the dbt project changed since the last build)")
                if full
                else "dbt: incremental (per-article models merge changed articles only)"
            )
            invocation = dbt.cli(build_args(warehouse.settings, full), context=context, raise_on_error=False)
            for event in invocation.stream():
                if isinstance(event, dg.AssetObservation) and _passed_test(event):
                    continue  # counted in the summary below, not stored one event each
                if isinstance(event, dg.Output | dg.AssetMaterialization):
                    materialized.append(
                        event.asset_key
                        if isinstance(event, dg.AssetMaterialization)
                        else context.asset_key_for_output(event.output_name)
                    )
                yield event
            results = invocation.target_path / "run_results.json"
            tests = _test_results(invocation.get_artifact("run_results.json") if results.exists() else {})
            context.log.info(f"dbt tests: {tests['counts']}")
            if not invocation.is_successful():
                raise dg.Failure(
                    f"dbt build failed (tests: {tests['counts']}); failing: {', '.join(tests['failing']) or 'see log'}",
                    metadata={"failing": tests["failing"]},
                )
            keep_parse_cache(invocation.target_path)
            remove_call_folder(invocation.target_path)
            with warehouse.connect() as con:
                raw.record_dbt_build(con, digest, full, datetime.now(UTC))
            # still under the lock: the copy this run's gate audits and its publish step publishes
            warehouse.audit_snapshot(context.run.run_id, refresh=True)
        for observation in _row_counts(warehouse, materialized):
            context.log_event(observation)

    return bluehelm_dbt


def dbt_resource() -> DbtCliResource:
    """The `dbt` resource the assets need (key "dbt" in Definitions.resources)."""
    return dbt_cli()
