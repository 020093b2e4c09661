"""Reports asset: the map of attacks and deployments and the monthly casualty chart, shown in the Dagster UI."""

import base64

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.reports import render_reports


def _inline_png(title: str, png: bytes) -> dg.MetadataValue:
    return dg.MetadataValue.md(f"![{title}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})")


@dg.asset(
    key=["reports", "casualty_map"],
    deps=[["warehouse", "published"]],
    group_name="reports",
    kinds={"duckdb", "matplotlib"},
)
def casualty_map(context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[WarehouseResource]) -> dg.MaterializeResult:
    """PNG map of attacks (sized by killed + wounded) and deployments on Mali's borders, a PNG chart of killed
    and wounded per month, and one self-contained HTML page of both, under warehouse/reports/.

    Reads the published file read-only, so it always pictures what analysts see.
    """
    settings = warehouse.settings
    result = render_reports(settings.published, settings.reports_dir)
    context.log.info(
        f"reports: {result.attack_points} attacks, {result.deployment_points} deployments, "
        f"{result.months} months → {result.html}"
    )
    return dg.MaterializeResult(
        metadata={
            "map": _inline_png("map of attacks and deployments", result.map_png.read_bytes()),
            "monthly_casualties": _inline_png("killed and wounded per month", result.chart_png.read_bytes()),
            "html_report": dg.MetadataValue.path(str(result.html)),
            "map_png": dg.MetadataValue.path(str(result.map_png)),
            "chart_png": dg.MetadataValue.path(str(result.chart_png)),
            "attack_points": result.attack_points,
            "deployment_points": result.deployment_points,
            "months": result.months,
        }
    )
