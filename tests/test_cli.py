"""The `bluehelm` command as a user runs it (subprocesses of the installed entry point)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BLUEHELM = str(Path(sys.executable).with_name("bluehelm"))
TESTS = Path(__file__).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BLUEHELM, *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_cli_evaluate_reuses_warehouse_and_writes_json_report(sample_warehouse, tmp_path):
    out = tmp_path / "report.json"
    result = run(
        "evaluate", "--gold", str(TESTS / "gold" / "sample"), "--warehouse", str(sample_warehouse.warehouse),
        "--reuse", "--out", str(out),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "attacks" in result.stdout and "F1" in result.stdout
    assert set(json.loads(out.read_text())["metrics"]) >= {"attacks", "deployments", "contributions"}


def test_cli_evaluate_missing_gold_dir_is_a_clear_error(tmp_path):
    result = run("evaluate", "--gold", str(tmp_path / "nope"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_cli_serve_without_published_warehouse_is_a_clear_error(tmp_path):
    result = run("serve", "--warehouse", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and "no published warehouse" in result.stderr


def test_cli_bench_passes_its_own_options_through():
    result = run("bench", "--help")
    assert result.returncode == 0 and "--sizes" in result.stdout
