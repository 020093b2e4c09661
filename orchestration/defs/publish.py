"""The published warehouse: write–audit–publish of the build file, then its Parquet export."""

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.defs.resources import WarehouseResource
from orchestration.defs.validate import MART_KEYS, QualityConfig
from orchestration.warehouse.publish import PublishBlocked, publish_gated

# Every mart of the analyst contract: publication waits for all of them, validated or not.
PUBLISHED_MARTS = [
    *MART_KEYS.values(),
    *(dg.AssetKey(["marts", name]) for name in ("dim_articles", "dim_actors", "dim_dates", "fct_mentions")),
]


@dg.asset(key=["warehouse", "published"], deps=PUBLISHED_MARTS, group_name="publish")
def published_warehouse(
    context: dg.AssetExecutionContext, config: QualityConfig, warehouse: dg.ResourceParam[WarehouseResource]
) -> dg.MaterializeResult:
    """The validated copy analysts read: this run's audited snapshot of the build file minus the
    quarantined rows, renamed atomically onto the published file.

    Uses this run's quality-gate result (running the gate on the snapshot if the checks did not run);
    an 'error' failure raises and leaves the previous published file and export untouched. The writer
    lock is held while publishing and exporting, so two runs never export at once.
    """
    from orchestration.validate.gate import load_gate_result, published_counts, run_gate

    settings = warehouse.settings
    snapshot = warehouse.audit_snapshot(context.run.run_id)
    with duckdb.connect(str(snapshot), config=settings.duckdb_config) as con:
        gate = load_gate_result(con, context.run.run_id) or run_gate(
            con,
            context.run.run_id,
            published_counts(settings.published),
            seeds_dir=Path(config.seeds_dir),
            docs_dir=settings.gx_docs_dir,
        )
    try:
        with warehouse.writer_lock():
            result = publish_gated(
                snapshot, settings.published, settings.exports_dir, gate, settings.duckdb_config, snapshot=True
            )
    except PublishBlocked as blocked:
        raise dg.Failure(str(blocked), metadata={"quality_run_id": gate.run_id}) from blocked
    return dg.MaterializeResult(
        metadata={
            "published_path": dg.MetadataValue.path(str(result.published)),
            "published_at": result.published_at.isoformat(),
            "quality_run_id": gate.run_id,
            "row_counts": result.row_counts,
            "quarantined_rows": result.quarantined_rows,
            "parquet_manifest": dg.MetadataValue.path(str(result.manifest)),
            "data_docs": dg.MetadataValue.path(str(settings.gx_docs_dir / "index.html")),
        }
    )
