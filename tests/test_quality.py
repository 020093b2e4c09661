"""The Great Expectations quality gate on literal marts in real DuckDB files."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from quality_fixtures import build_warehouse, write_seeds

from orchestration.validate.gate import load_gate_result, published_counts, run_gate
from orchestration.validate.reference import load_reference
from orchestration.validate.results import GateResult


def _gate(tmp_path: Path, *mutations: str, previous: dict[str, int] | None = None) -> GateResult:
    warehouse = build_warehouse(tmp_path / "bluehelm.duckdb", *mutations)
    seeds = write_seeds(tmp_path / "seeds")
    with duckdb.connect(str(warehouse)) as con:
        return run_gate(con, "run-1", previous, seeds_dir=seeds, docs_dir=tmp_path / "quality_docs")


def _failed(result: GateResult) -> set[tuple[str, str, str]]:
    return {(o.suite, o.expectation, o.severity) for o in result.outcomes if not o.success}


def test_quality_good_marts_pass_every_expectation(tmp_path: Path) -> None:
    result = _gate(tmp_path, previous={"fct_attacks": 2, "dim_places": 3})
    assert _failed(result) == set()
    assert result.passed
    assert len(result.outcomes) > 50


MUTATIONS = {
    "negative_count": (
        "UPDATE marts.fct_attacks SET killed_low = -1 WHERE attack_id = 'att1'",
        ("fct_attacks", "killed_low_non_negative", "warn"),
        "att1",
    ),
    "low_above_best": (
        "UPDATE marts.fct_deployments SET personnel_low = 2000",
        ("fct_deployments", "personnel_low_le_best", "warn"),
        "dep1",
    ),
    "best_above_high": (
        "UPDATE marts.fct_figures SET value_best = 40",
        ("fct_figures", "value_best_le_high", "warn"),
        "fig1",
    ),
    "wrong_country_coordinates": (
        "UPDATE marts.fct_attacks SET latitude = 16.9742, longitude = 7.9865 WHERE attack_id = 'att2'",
        ("fct_attacks", "coordinates_in_country", "warn"),
        "att2",
    ),
    "evidence_not_in_article": (
        "UPDATE marts.fct_figures SET evidence_text = 'Some 43 peacekeepers have been killed since 2013.'",
        ("fct_figures", "evidence_in_article", "warn"),
        "fig1",
    ),
    "evidence_from_another_article": (
        "UPDATE marts.fct_attack_sources SET article_id = 'a2' WHERE attack_id = 'att1'",
        ("fct_attack_sources", "evidence_in_article", "warn"),
        "att1|a2",
    ),
    "event_after_publication": (
        "UPDATE marts.fct_attacks SET event_date = DATE '2015-01-25' WHERE attack_id = 'att1'",
        ("fct_attacks", "event_date_not_after_publication", "warn"),
        "att1",
    ),
    "invalid_iso3": (
        "UPDATE marts.fct_contributions SET contributor_iso3 = 'XXX'",
        ("fct_contributions", "contributor_iso3_valid_iso3", "warn"),
        "con1",
    ),
    "invalid_iso3_in_list": (
        "UPDATE marts.fct_attacks SET victim_nationalities = ['TCD', 'ZZZ'] WHERE attack_id = 'att1'",
        ("fct_attacks.victim_nationalities", "victim_nationalities_valid_iso3", "warn"),
        "att1",
    ),
    "weapon_outside_vocabulary": (
        "UPDATE marts.fct_attacks SET weapons = ['rocket', 'laser'] WHERE attack_id = 'att2'",
        ("fct_attacks.weapons", "weapons_in_vocabulary", "warn"),
        "att2",
    ),
    "evidence_off_its_offsets": (
        "UPDATE marts.fct_deployments SET char_start = char_start + 3",
        ("fct_deployments", "evidence_in_article", "warn"),
        "dep1",
    ),
    "confidence_above_one": (
        "UPDATE marts.fct_contributions SET confidence = 1.5",
        ("fct_contributions", "confidence_in_unit_interval", "warn"),
        "con1",
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_quality_mutation_fails_named_expectation(tmp_path: Path, mutation: str) -> None:
    statement, expected, row_key = MUTATIONS[mutation]
    result = _gate(tmp_path, statement)
    assert _failed(result) == {expected}
    failing = next(o for o in result.outcomes if not o.success)
    assert row_key in {key for key, _ in failing.failed_rows}


def test_quality_warn_failure_quarantines_rows_and_still_passes(tmp_path: Path) -> None:
    result = _gate(tmp_path, "UPDATE marts.fct_attacks SET wounded_best = -4 WHERE attack_id = 'att2'")
    assert result.passed
    assert result.quarantined == {"fct_attacks": frozenset({"att2"})}


def test_quality_error_failure_blocks(tmp_path: Path) -> None:
    result = _gate(tmp_path, "DELETE FROM marts.fct_figures", previous={"fct_figures": 3})
    assert not result.passed


def test_quality_leaves_key_rules_to_dbt(tmp_path: Path) -> None:
    """Keys are dbt's structural contract (unique/not_null tests): the gate does not check them twice."""
    result = _gate(tmp_path, "INSERT INTO marts.fct_figures SELECT * FROM marts.fct_figures")
    assert _failed(result) == set()


def test_quality_drop_to_zero_fails_row_count(tmp_path: Path) -> None:
    result = _gate(tmp_path, "DELETE FROM marts.fct_deployments", previous={"fct_deployments": 4})
    assert _failed(result) == {("fct_deployments", "row_count_plausible", "error")}


def test_quality_missing_table_fails_not_passes(tmp_path: Path) -> None:
    result = _gate(tmp_path, "DROP TABLE marts.fct_figures")
    assert _failed(result) == {("fct_figures", "table_readable", "error")}
    assert not result.passed


def test_quality_missing_column_fails_with_error(tmp_path: Path) -> None:
    result = _gate(tmp_path, "ALTER TABLE marts.fct_attacks DROP COLUMN killed_high")
    failed = _failed(result)
    assert ("fct_attacks", "killed_high_non_negative", "error") in failed
    assert {severity for _, _, severity in failed} == {"error"}


def test_quality_missing_articles_fails_every_evidence_mart(tmp_path: Path) -> None:
    result = _gate(tmp_path, "DROP TABLE raw.articles")
    assert {suite for suite, expectation, _ in _failed(result) if expectation == "table_readable"} == {
        "fct_attacks",
        "fct_attack_sources",
        "fct_deployments",
        "fct_contributions",
        "fct_figures",
    }


def test_quality_missing_vocabulary_seed_fails_with_error(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "bluehelm.duckdb")
    seeds = write_seeds(tmp_path / "seeds")
    (seeds / "weapons.csv").unlink()
    with duckdb.connect(str(warehouse)) as con:
        result = run_gate(con, "run-1", seeds_dir=seeds)
    assert _failed(result) == {("fct_attacks.weapons", "weapons_in_vocabulary", "error")}


def test_quality_vocabulary_falls_back_to_cue_terms(tmp_path: Path) -> None:
    seeds = write_seeds(tmp_path / "seeds")
    (seeds / "targets.csv").unlink()
    (seeds / "cue_terms.csv").write_text(
        "term,cue_type,cue_value,description\nconvoys,target,convoy,vehicles\nIED,weapon,ied,bomb\n"
    )
    assert load_reference(seeds).vocabularies["targets"] == frozenset({"convoy"})


def test_quality_results_persisted_in_quality_schema(tmp_path: Path) -> None:
    _gate(tmp_path, "UPDATE marts.fct_attacks SET weapons = ['laser'] WHERE attack_id = 'att1'")
    with duckdb.connect(str(tmp_path / "bluehelm.duckdb"), read_only=True) as con:
        failed = con.execute(
            "SELECT run_id, severity, success, unexpected_count FROM quality.validation_runs"
            " WHERE expectation = 'weapons_in_vocabulary'"
        ).fetchall()
        rows = con.execute(
            "SELECT table_name, row_key, expectation, offending_values FROM quality.failed_rows"
        ).fetchall()
        reloaded = load_gate_result(con, "run-1")
    assert failed == [("run-1", "warn", False, 1)]
    assert rows == [("fct_attacks", "att1", "weapons_in_vocabulary", '{"weapons": "laser"}')]
    assert reloaded is not None and reloaded.quarantined == {"fct_attacks": frozenset({"att1"})}


def test_quality_writes_data_docs(tmp_path: Path) -> None:
    result = _gate(tmp_path)
    assert result.docs_path == tmp_path / "quality_docs" / "index.html"
    assert "fct_attacks" in result.docs_path.read_text()


def test_quality_published_counts_read_marts(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "bluehelm.duckdb")
    assert published_counts(warehouse)["fct_attacks"] == 2
    assert published_counts(tmp_path / "absent.duckdb") == {}


def test_quality_gate_imports_in_a_process_without_a_main_file():
    """Dagster's step subprocesses have a `__main__` without a file: with pyspark installed, Great
    Expectations' import of pyspark.sql.connect must not end such a process (it did, silently, exit 0)."""
    done = subprocess.run(
        [sys.executable, "-c", "import orchestration.validate.gate; print('gate imported')"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "gate imported" in done.stdout, (done.stdout[-500:], done.stderr[-2000:])
