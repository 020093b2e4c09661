"""Ingestion asset: raw files → raw.articles, raw.paragraphs, raw.rejected_files."""

import time

import dagster as dg

from orchestration.defs.resources import EngineResource, WarehouseResource
from orchestration.ingest import run as ingest_step


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "articles"],
            description="One row per article version read from the raw directory (cleaned body, metadata).",
            kinds={"duckdb", "polars"},
            group_name="ingest",
        ),
        dg.AssetSpec(
            ["raw", "paragraphs"],
            description="One row per kept paragraph of a current article (captions and language flagged).",
            kinds={"duckdb"},
            group_name="ingest",
            deps=[["raw", "articles"]],
        ),
        dg.AssetSpec(
            ["raw", "rejected_files"],
            description=(
                "The input ledger: one row per file, JSON record or manifest row not read whole, with the "
                "reason and what was done (rejected, ignored, flagged, retired)."
            ),
            kinds={"duckdb"},
            group_name="ingest",
        ),
    ],
)
def raw_articles(
    context: dg.AssetExecutionContext,
    warehouse: dg.ResourceParam[WarehouseResource],
    engine: EngineResource,
):
    """Read every file under the raw directory; store new and changed versions and rejections."""
    started = time.perf_counter()
    runner = engine.engine()
    settings = warehouse.settings
    with warehouse.connect() as con:
        report = ingest_step.ingest(
            con, settings.raw_dir, settings.max_file_bytes, retire_removed=settings.retire_removed, engine=runner
        )
        totals = con.execute(
            "select count(*) filter (where is_current), count(*) from raw.articles"
        ).fetchone()
        paragraphs = con.execute("select count(*) from raw.paragraphs").fetchone()[0]
        rejected_total = con.execute("select count(*) from raw.rejected_files").fetchone()[0]
    for rejection in report.rejections:
        context.log.warning(
            f"{rejection['action']} {rejection['path']}: {rejection['reason']} ({rejection['detail']})"
        )
    context.log.info(
        f"ingest ({runner.name} engine): {report.files_read} inputs read, {report.files_skipped} unchanged files "
        f"skipped; {report.new} new, {report.changed} changed, {report.unchanged} unchanged, {report.retired} "
        f"retired, {report.rejected} ledger rows (raw.rejected_files), {report.recleaned} re-cleaned"
    )
    seconds = round(time.perf_counter() - started, 3)
    yield dg.MaterializeResult(
        asset_key=["raw", "articles"],
        metadata={
            "raw_dir": dg.MetadataValue.path(str(settings.raw_dir)),
            "engine": runner.name,
            "inputs_read": report.files_read,
            "files_skipped_unchanged": report.files_skipped,
            "articles_new": report.new,
            "articles_changed": report.changed,
            "articles_unchanged": report.unchanged,
            "articles_recleaned": report.recleaned,
            "articles_retired": report.retired,
            "files_rejected": report.rejected,
            "current_articles": totals[0],
            "dagster/row_count": totals[1],
            "seconds": seconds,
        },
    )
    yield dg.MaterializeResult(asset_key=["raw", "paragraphs"], metadata={"dagster/row_count": paragraphs})
    yield dg.MaterializeResult(
        asset_key=["raw", "rejected_files"],
        metadata={
            "dagster/row_count": rejected_total,
            "rejected_this_run": report.rejected,
            "newly_rejected": report.rejected_new,
            "rejections": dg.MetadataValue.json(report.rejections[:200]),
        },
    )
