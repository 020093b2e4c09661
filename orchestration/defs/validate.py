"""Asset checks on the dbt marts: the Great Expectations quality gate, one blocking check per mart.

A failed 'error' expectation fails the mart's check with severity ERROR, which blocks publication;
failed 'warn' expectations fail it with severity WARN (their rows are quarantined at publish). If the
gate cannot run at all, every check fails with ERROR.
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.defs.resources import WarehouseResource
from orchestration.settings import SEEDS_DIR
from orchestration.validate.marts import MARTS
from orchestration.validate.results import GateResult
from orchestration.warehouse.publish import discard_snapshot, snapshot_path

CHECK_NAME = "quality_gate"
MART_KEYS = {mart.table: dg.AssetKey(["marts", mart.table]) for mart in MARTS}


class QualityConfig(dg.Config):
    """Where the gate reads its reference seeds (vocabularies, places)."""

    seeds_dir: str = str(SEEDS_DIR)


@dg.multi_asset_check(
    name="marts_quality_gate",
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=key,
            blocking=True,
            description=f"Great Expectations suite for marts.{table}; ERROR blocks publication.",
        )
        for table, key in MART_KEYS.items()
    ],
)
def marts_quality_gate(
    context: dg.AssetCheckExecutionContext, config: QualityConfig, warehouse: dg.ResourceParam[WarehouseResource]
) -> Iterator[dg.AssetCheckResult]:
    """Run the gate on this run's audit snapshot of the build file, the very file the publish step
    publishes (results saved in the quality schema of the snapshot and of the build file, under this
    run's id); a snapshot the gate blocks is removed."""
    settings = warehouse.settings
    try:
        # Great Expectations is imported only when the gate runs (not when definitions load)
        from orchestration.validate.gate import persist, published_counts, run_gate

        snapshot = warehouse.audit_snapshot(context.run.run_id)
        with duckdb.connect(str(snapshot), config=settings.duckdb_config) as con:
            gate = run_gate(
                con,
                context.run.run_id,
                published_counts(settings.published),
                seeds_dir=Path(config.seeds_dir),
                docs_dir=settings.gx_docs_dir,
            )
        with warehouse.connect() as con:
            persist(con, gate)
        if not gate.passed:
            discard_snapshot(snapshot)
    except Exception as error:  # noqa: BLE001 - a gate that cannot run fails every check
        context.log.error(f"quality gate could not run: {error!r}")
        discard_snapshot(snapshot_path(settings.published, context.run.run_id))
        for key in MART_KEYS.values():
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name=CHECK_NAME,
                passed=False,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"error": f"{type(error).__name__}: {error}"},
            )
        return
    for table, key in MART_KEYS.items():
        yield check_result(gate, table, key)


def check_result(gate: GateResult, table: str, key: dg.AssetKey) -> dg.AssetCheckResult:
    """The mart's check result: ERROR on blocking failures, WARN on quarantining ones, else passed."""
    errors, warnings = gate.blocking_failures(table), gate.warnings(table)
    metadata: dict[str, object] = {
        "quality_run_id": gate.run_id,
        "expectations": sum(1 for o in gate.outcomes if o.table == table),
        "failed_expectations": "\n".join(
            f"{o.severity}: {o.suite}.{o.expectation} ({o.unexpected_count or 0} rows) {o.observed_value or ''}"
            for o in errors + warnings
        ),
        "quarantined_rows": len(gate.quarantined.get(table, ())),
    }
    if gate.docs_path is not None:
        metadata["data_docs"] = dg.MetadataValue.path(str(gate.docs_path))
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=CHECK_NAME,
        passed=not errors and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata=metadata,
    )
