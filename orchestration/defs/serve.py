"""The serve step: the published marts copied into the PostgreSQL serving cluster, when one runs."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource


@dg.asset(key=["serve", "marts"], deps=[dg.AssetKey(["warehouse", "published"])], group_name="serve",
          output_required=False)
def serving_marts(context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[WarehouseResource]):
    """The read-only copy of the published marts in PostgreSQL (`bluehelm serve`).

    Loaded only while a `bluehelm serve` runs for this warehouse (its cluster under
    `<warehouse dir>/serve/`): into a fresh schema in one transaction, swapped in atomically; a failed
    load fails this asset and leaves the previous copy serving. With no server running it is skipped
    (one stat): the next `bluehelm serve` loads the published marts when it starts.
    """
    from orchestration.serve.main import refresh_serving_copy

    settings = warehouse.settings
    result = refresh_serving_copy(settings)
    if result is None:
        context.log.info(f"no `bluehelm serve` running for {settings.serve_dir}: serving copy not refreshed")
        return
    yield dg.MaterializeResult(
        metadata={
            "loaded": result.loaded,
            "published_version": result.version,
            "row_counts": result.row_counts,
            "seconds": result.seconds,
            "unvalidated_foreign_keys": list(result.unvalidated_foreign_keys),
        }
    )
