"""The analyst example queries in dbt_project/analyses/ run against a warehouse and answer what they say.

`analyst_warehouse` is the published warehouse of a real pipeline run on the sample articles in raw/: every
query must return rows there. The value tests use `literal_warehouse` (tests/data/marts_literal.sql), whose
rows they know.
"""

from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

ANALYSES = sorted((DBT_PROJECT_DIR / "analyses").glob("*.sql"))
LITERAL_MARTS = Path(__file__).parent / "data" / "marts_literal.sql"


def build_literal_warehouse(path: Path) -> Path:
    """A DuckDB file at `path` holding the literal mart rows."""
    with duckdb.connect(str(path)) as con:
        con.execute(LITERAL_MARTS.read_text(encoding="utf-8"))
    return path


@pytest.fixture(scope="module")
def literal_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_literal_warehouse(tmp_path_factory.mktemp("marts") / "bluehelm.duckdb")


@pytest.fixture(scope="module")
def analyst_warehouse(sample_warehouse) -> Path:
    return sample_warehouse.published


def run_analysis(warehouse: Path, name: str) -> list[dict]:
    sql = (DBT_PROJECT_DIR / "analyses" / f"{name}.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        result = con.execute(sql)
        columns = [column[0] for column in result.description]
        return [dict(zip(columns, row)) for row in result.fetchall()]


def test_analyses_each_have_a_value_test():
    """An analysis added without a test of its answer on known rows fails here (name its test below)."""
    tested = {name.removeprefix("test_analysis_values_") for name in globals() if name.startswith("test_analysis_values_")}
    assert {path.stem for path in ANALYSES} == tested


@pytest.mark.parametrize("path", ANALYSES, ids=lambda path: path.stem)
def test_analysis_returns_rows_on_warehouse(analyst_warehouse: Path, path: Path):
    assert run_analysis(analyst_warehouse, path.stem), f"{path.name} returned no rows"


def test_analysis_values_attacks_per_month_by_place(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "attacks_per_month_by_place")
    assert [(str(row["month"]), row["place_name"], row["attacks"], row["killed_best"]) for row in rows] == [
        ("2016-02-01", "Aguelhok", 1, 2),
        ("2016-02-01", "Kidal", 1, 7),
        ("2016-03-01", "Timbuktu", 1, 0),
    ]


def test_analysis_values_killed_wounded_by_victim_nationality(literal_warehouse: Path):
    rows = {
        row["nationality_iso3"]: row
        for row in run_analysis(literal_warehouse, "killed_wounded_by_victim_nationality")
    }
    assert (rows["GIN"]["killed_best"], rows["MLI"]["killed_best"], rows["TCD"]["wounded_best"]) == (7, 7, 3)
    assert rows["(not stated)"]["attacks"] == 1


def test_analysis_values_contingents_by_base(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "contingents_by_base")
    assert sorted(row["contributor_iso3"] for row in rows if row["place_name"] == "Gao") == ["DEU", "NLD"]


def test_analysis_values_contributions_by_country_over_time(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "contributions_by_country_over_time")
    germany = {row["year"]: row["personnel_best"] for row in rows if row["contributor_iso3"] == "DEU"}
    assert germany == {2016: 650, 2019: 1100}


def test_analysis_values_facts_with_evidence(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "facts_with_evidence")
    with duckdb.connect(str(literal_warehouse), read_only=True) as con:
        expected = con.execute(
            "select (select count(*) from marts.fct_attack_sources) + (select count(*) from marts.fct_deployments)"
            " + (select count(*) from marts.fct_contributions) + (select count(*) from marts.fct_figures)"
        ).fetchone()[0]
    assert len(rows) == expected
    assert all(row["evidence_text"] and row["title"] for row in rows)


def test_analysis_values_attacks_reported_by_several_articles(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "attacks_reported_by_several_articles")
    assert {row["attack_id"] for row in rows} == {"att1"} and len(rows) == 2


def test_analysis_values_aggregate_figures(literal_warehouse: Path):
    rows = run_analysis(literal_warehouse, "aggregate_figures")
    assert [(row["measure"], row["subject_name"], row["qualifier"], row["value_best"]) for row in rows] == [
        ("peacekeepers_killed", "MINUSMA", "more_than", 100)
    ]


def test_analysis_values_top_perpetrators(literal_warehouse: Path):
    rows = {row["perpetrator"]: row for row in run_analysis(literal_warehouse, "top_perpetrators")}
    assert (rows["(not named)"]["attacks"], rows["(not named)"]["killed_best"]) == (2, 8)
    assert (rows["Jama'at Nusrat al-Islam wal-Muslimin"]["perpetrator_attribution"], rows["al-Qaeda in the Islamic Maghreb"]["wounded_best"]) == ("claimed", 1)
    assert str(rows["(not named)"]["first_attack"]) == "2016-02-13"


def test_analysis_values_weapons_by_target(literal_warehouse: Path):
    rows = {(row["weapon"], row["target"]): row["attacks"] for row in run_analysis(literal_warehouse, "weapons_by_target")}
    assert rows == {
        ("ied", "convoy"): 1,
        ("rocket", "camp"): 1,
        ("mortar", "camp"): 1,
        ("small_arms", "patrol"): 1,
        ("(not stated)", "checkpoint"): 1,
    }
