"""Write–audit–publish and the Parquet export, on real DuckDB files; Dagster wiring with materialize()."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import query_rows
from quality_fixtures import build_warehouse, write_seeds

from orchestration.defs.publish import published_warehouse
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.validate import MART_KEYS, marts_quality_gate
from orchestration.settings import PROJECT_ROOT, Settings
from orchestration.validate.gate import run_gate
from orchestration.validate.results import GateResult
from orchestration.warehouse.publish import PublishBlocked, export_parquet, publish_gated, publish_warehouse

BROKEN_ATTACKS = "ALTER TABLE marts.fct_attacks DROP COLUMN killed_high"
NEGATIVE_WOUNDED = "UPDATE marts.fct_attacks SET wounded_best = -2 WHERE attack_id = 'att2'"


def _gate(settings: Settings, seeds: Path) -> GateResult:
    with duckdb.connect(str(settings.warehouse)) as con:
        return run_gate(con, f"run-{time.time_ns()}", seeds_dir=seeds)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _publish_good(settings: Settings, seeds: Path) -> None:
    build_warehouse(settings.warehouse)
    publish_gated(settings.warehouse, settings.published, settings.exports_dir, _gate(settings, seeds))


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return write_seeds(tmp_path / "seeds")


def test_publish_leaves_out_quarantinedquery_rows(settings: Settings, seeds: Path) -> None:
    build_warehouse(settings.warehouse, NEGATIVE_WOUNDED)
    result = publish_gated(
        settings.warehouse, settings.published, settings.exports_dir, _gate(settings, seeds)
    )
    assert query_rows(settings.published, "SELECT attack_id FROM marts.fct_attacks") == [("att1",)]
    assert query_rows(settings.published, "SELECT attack_id FROM marts.fct_attack_sources") == [("att1",)]
    assert result.quarantined_rows == {"fct_attacks": 1, "fct_attack_sources": 1}


def test_publish_keeps_quarantined_rows_with_reasons(settings: Settings, seeds: Path) -> None:
    build_warehouse(settings.warehouse, NEGATIVE_WOUNDED)
    publish_gated(settings.warehouse, settings.published, settings.exports_dir, _gate(settings, seeds))
    reasons = "SELECT DISTINCT table_name, row_key FROM quality.failed_rows WHERE expectation LIKE 'wounded%'"
    assert query_rows(settings.published, reasons) == [("fct_attacks", "att2")]
    assert query_rows(settings.warehouse, "SELECT count(*) FROM marts.fct_attacks") == [(2,)]


def test_publish_error_severity_blocks_and_keeps_previous_file(settings: Settings, seeds: Path) -> None:
    _publish_good(settings, seeds)
    before = _digest(settings.published)
    build_warehouse(settings.warehouse.with_name("next.duckdb"), BROKEN_ATTACKS).replace(settings.warehouse)
    with pytest.raises(PublishBlocked, match="killed_high"):
        publish_gated(settings.warehouse, settings.published, settings.exports_dir, _gate(settings, seeds))
    assert _digest(settings.published) == before


def test_publish_killed_mid_publish_keeps_old_file_readable(settings: Settings, seeds: Path) -> None:
    _publish_good(settings, seeds)
    before = _digest(settings.published)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            "CREATE TABLE raw.filler AS SELECT range AS n, md5(range::VARCHAR) AS h FROM range(4000000)"
        )
    code = (
        "import sys; from pathlib import Path; from orchestration.warehouse.publish import publish_warehouse; "
        "publish_warehouse(Path(sys.argv[1]), Path(sys.argv[2]), {})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(settings.warehouse), str(settings.published)], cwd=PROJECT_ROOT
    )
    pattern = f".{settings.published.name}.{process.pid}.*.tmp"
    while not list(settings.published.parent.glob(pattern)):
        assert process.poll() is None, "publisher finished before it could be interrupted"
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _digest(settings.published) == before
    assert query_rows(settings.published, "SELECT count(*) FROM marts.fct_attacks") == [(2,)]
    publish_warehouse(settings.warehouse, settings.published, {})
    assert list(settings.published.parent.glob(f".{settings.published.name}.*")) == []
    assert query_rows(settings.published, "SELECT count(*) FROM raw.filler") == [(4000000,)]


def test_publish_file_readable_while_build_is_written(settings: Settings, seeds: Path) -> None:
    _publish_good(settings, seeds)
    reader = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute('SELECT count(*) FROM marts.fct_attacks').fetchone()[0])"
    with duckdb.connect(str(settings.warehouse)) as writer:
        writer.execute("DELETE FROM marts.fct_attacks")
        output = subprocess.run(
            [sys.executable, "-c", reader, str(settings.published)],
            capture_output=True,
            text=True,
            check=True,
        )
    assert output.stdout.strip() == "2"


def test_publish_exports_parquet_per_table_with_manifest(settings: Settings, seeds: Path) -> None:
    _publish_good(settings, seeds)
    manifest = json.loads((settings.exports_dir / "manifest.json").read_text())
    assert manifest["source_file"] == str(settings.published)
    assert manifest["tables"]["fct_attacks"]["rows"] == 2
    assert {"name": "attack_id", "type": "VARCHAR"} in manifest["tables"]["fct_attacks"]["columns"]
    parquet = settings.exports_dir / "fct_deployments.parquet"
    assert duckdb.sql(f"SELECT deployment_id FROM '{parquet}'").fetchall() == [("dep1",)]


def test_publish_export_swaps_whole_version(settings: Settings, seeds: Path) -> None:
    _publish_good(settings, seeds)
    with duckdb.connect(str(settings.published)) as con:
        con.execute("DELETE FROM marts.fct_figures")
    export_parquet(settings.published, settings.exports_dir)
    versions = settings.exports_dir.parent / f".{settings.exports_dir.name}.versions"
    assert settings.exports_dir.is_symlink()
    assert len(list(versions.iterdir())) == 1
    assert (
        json.loads((settings.exports_dir / "manifest.json").read_text())["tables"]["fct_figures"]["rows"] == 0
    )


def _test_marts(*mutations: str) -> dg.AssetsDefinition:
    @dg.multi_asset(specs=[dg.AssetSpec(key) for key in MART_KEYS.values()], name="literal_marts")
    def literal_marts(warehouse: dg.ResourceParam[WarehouseResource]) -> Iterator[dg.MaterializeResult]:
        """Stands in for the dbt marts: real tables written into the temporary build file."""
        target = warehouse.settings.warehouse
        target.unlink(missing_ok=True)
        build_warehouse(target, *mutations)
        for key in MART_KEYS.values():
            yield dg.MaterializeResult(asset_key=key)

    return literal_marts


def _materialize(settings: Settings, seeds: Path, *mutations: str) -> dg.ExecuteInProcessResult:
    config = {"config": {"seeds_dir": str(seeds)}}
    return dg.materialize(
        [_test_marts(*mutations), marts_quality_gate, published_warehouse],
        resources={"warehouse": WarehouseResource(settings)},
        run_config={"ops": {"marts_quality_gate": config, "warehouse__published": config}},
        raise_on_error=False,
    )


def test_publish_asset_publishes_after_passing_checks(settings: Settings, seeds: Path) -> None:
    result = _materialize(settings, seeds, NEGATIVE_WOUNDED)
    assert result.success
    checks = {(e.asset_key.path[-1], e.passed) for e in result.get_asset_check_evaluations()}
    assert ("fct_attacks", False) in checks and ("fct_deployments", True) in checks
    assert query_rows(settings.published, "SELECT attack_id FROM marts.fct_attacks") == [("att1",)]
    assert (settings.exports_dir / "manifest.json").exists()


def test_publish_asset_blocked_by_error_check(settings: Settings, seeds: Path) -> None:
    assert _materialize(settings, seeds).success
    before = _digest(settings.published)
    result = _materialize(settings, seeds, BROKEN_ATTACKS)
    failed = {e.asset_key.path[-1]: e.severity for e in result.get_asset_check_evaluations() if not e.passed}
    assert failed == {"fct_attacks": dg.AssetCheckSeverity.ERROR}
    materialized = {tuple(e.asset_key.path) for e in result.get_asset_materialization_events()}
    assert ("warehouse", "published") not in materialized
    assert _digest(settings.published) == before


def test_publish_checks_fail_when_gate_cannot_run(settings: Settings, seeds: Path) -> None:
    settings.gx_docs_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.gx_docs_dir.write_text("a file where the Data Docs folder should be")
    result = _materialize(settings, seeds)
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(MART_KEYS)
    assert all(not e.passed and e.severity == dg.AssetCheckSeverity.ERROR for e in evaluations)
    assert not settings.published.exists()
