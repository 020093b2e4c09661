"""Reports: the map and chart render from a published warehouse, offline, and reach the asset's metadata."""

from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from orchestration.defs.reports import casualty_map
from orchestration.defs.resources import WarehouseResource
from orchestration.reports.boundaries import Extent, line_segments
from orchestration.reports.render import MALI, complete_months, map_extent, render_reports, split_outliers
from orchestration.settings import Settings

LITERAL_MARTS = Path(__file__).parent / "data" / "marts_literal.sql"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def published(settings: Settings) -> Settings:
    settings.published.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.published)) as con:
        con.execute(LITERAL_MARTS.read_text(encoding="utf-8"))
    return settings


def test_boundaries_load_borders_around_mali_offline():
    borders = line_segments("countries", MALI)
    assert len(borders) >= 5
    assert all(segment.shape[1] == 2 for segment in borders)


def test_boundaries_skip_segments_outside_extent():
    assert line_segments("countries", Extent(west=-40.0, east=-35.0, south=-60.0, north=-58.0)) == []


def test_reports_count_only_located_points(published: Settings):
    result = render_reports(published.published, published.reports_dir)
    with duckdb.connect(str(published.published), read_only=True) as con:
        located = con.execute(
            "select count(*) filter (where latitude is not null), count(*) from marts.fct_attacks"
        ).fetchone()
    assert (result.attack_points, result.deployment_points) == (located[0], 3)
    assert located[0] < located[1]


def test_reports_write_valid_pngs(published: Settings):
    result = render_reports(published.published, published.reports_dir)
    for png in (result.map_png, result.chart_png):
        assert png.parent == published.reports_dir
        assert png.read_bytes().startswith(PNG_SIGNATURE) and png.stat().st_size > 5_000


def test_reports_html_is_self_contained(published: Settings):
    page = render_reports(published.published, published.reports_dir).html.read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 2
    assert "http" not in page.replace("https://example.org", "")
    assert '<td class="text">Kidal</td>' in page


def test_monthly_chart_fills_months_without_attacks():
    monthly = pl.DataFrame(
        {
            "month": [date(2016, 1, 1), date(2016, 4, 1)],
            "killed": [2.0, 1.0],
            "wounded": [0.0, 3.0],
            "attacks": [1, 1],
        }
    )
    filled = complete_months(monthly)
    assert filled["month"].dt.month().to_list() == [1, 2, 3, 4]
    assert filled["killed"].to_list() == [2.0, 0.0, 0.0, 1.0]


def test_reports_asset_attaches_pictures_to_metadata(published: Settings):
    result = dg.materialize(
        [casualty_map], resources={"warehouse": WarehouseResource(published)}
    )
    assert result.success
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["map"].value.startswith("![map of attacks and deployments](data:image/png;base64,iVBOR")
    assert metadata["attack_points"].value == 3
    assert Path(metadata["html_report"].value).is_file()


def test_split_outliers_sets_far_points_apart_and_extent_fits_the_rest():
    mali = [(16.27, -0.04), (18.44, 1.41), (16.77, -3.01), (14.49, -4.2), (12.64, -8.0), (19.46, 0.86)]
    points = pl.DataFrame(
        {"latitude": [lat for lat, _ in mali] + [48.85, 36.8], "longitude": [lon for _, lon in mali] + [2.35, 10.18]}
    )
    bulk, outliers = split_outliers(points)
    assert outliers["latitude"].to_list() == [48.85, 36.8]
    extent = map_extent(bulk)
    assert extent.north < 22 and extent.east < 4 and extent.west <= -9


def test_reports_far_away_attack_is_listed_beside_the_map_not_drawn(published: Settings):
    with duckdb.connect(str(published.published)) as con:
        con.execute(
            "insert into marts.fct_attacks (attack_id, event_date, date_precision, place_name, country_iso3, "
            "latitude, longitude, killed_best, wounded_best, source_count, evidence_text) values "
            "('far', '2016-04-01', 'day', 'Paris', 'FRA', 48.85, 2.35, 1, 0, 1, 'A spurious place.')"
        )
    result = render_reports(published.published, published.reports_dir)
    assert result.outliers == 1
    page = result.html.read_text(encoding="utf-8")
    assert "Left off the map" in page and '<td class="text">Paris</td>' in page


def test_reports_counts_print_as_whole_numbers(published: Settings):
    with duckdb.connect(str(published.published)) as con:
        con.execute("update marts.fct_attacks set killed_best = 12.5 where attack_id = 'att2'")
    page = render_reports(published.published, published.reports_dir).html.read_text(encoding="utf-8")
    assert ".0</td>" not in page and ".5</td>" not in page
    assert '<td class="num">13</td>' in page


def test_reports_html_has_sortable_attack_table_with_evidence(published: Settings):
    page = render_reports(published.published, published.reports_dir).html.read_text(encoding="utf-8")
    assert '<table class="sortable">' in page and "addEventListener" in page
    assert "Rockets and mortar rounds hit the camp in Kidal" in page
    assert "<th>evidence</th>" in page and "<th>killed</th>" in page
