"""Production behaviour of whole runs: idempotence, incremental extraction, crash safety, one writer.

Real Dagster runs (in-process and as `bluehelm run` subprocesses) on a copy of the session's sample run
(raw files and warehouse), changed by the tests in file order.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.runner import execute_all
from orchestration.settings import Settings

pytestmark = pytest.mark.slow

NEW_ARTICLE = """---
title: Patrol hit by roadside bomb near Douentza
published: 2019-03-08
source: Bluehelm test desk
---
MOPTI, March 8 - A roadside bomb struck a MINUSMA patrol near Douentza on Thursday, wounding two Togolese
peacekeepers, the mission said in a statement.

The patrol was returning to its base in Douentza when the device exploded, the statement said.
"""


def marts_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted, keyed by table name."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {table: con.execute(f"select * from marts.{table} order by all").fetchall() for table in tables}


def extraction_times(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select article_id, extracted_at from raw.extractions").fetchall())


@pytest.fixture(scope="module")
def sample_run(sample_warehouse, warehouse_copy) -> Settings:
    """A copy of the session's sample run (raw files and warehouse), changed by the tests of this
    module in order."""
    return warehouse_copy(sample_warehouse)


def _bluehelm(settings: Settings, *args: str) -> subprocess.Popen:
    """`bluehelm run` as a user starts it, configured through its environment."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("bluehelm")), "run", *args],
        env={**os.environ, **settings.environment()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def concurrent_reruns(sample_run) -> dict:
    """Two `bluehelm run` processes launched together on unchanged input: marts and extraction times
    before and after, exit codes and outputs."""
    before = marts_snapshot(sample_run.warehouse)
    extracted = extraction_times(sample_run.warehouse)
    processes = [_bluehelm(sample_run), _bluehelm(sample_run)]
    outputs = [process.communicate(timeout=900)[0] for process in processes]
    return {
        "before": before,
        "after": marts_snapshot(sample_run.warehouse),
        "extracted_before": extracted,
        "extracted_after": extraction_times(sample_run.warehouse),
        "codes": [process.returncode for process in processes],
        "outputs": outputs,
    }


def test_rerun_on_unchanged_input_changes_nothing(concurrent_reruns):
    assert concurrent_reruns["before"]["fct_attacks"] and concurrent_reruns["before"]["fct_deployments"]
    assert 0 in concurrent_reruns["codes"]
    assert concurrent_reruns["after"] == concurrent_reruns["before"]
    assert concurrent_reruns["extracted_after"] == concurrent_reruns["extracted_before"]


def test_two_runs_launched_together_do_not_corrupt_the_warehouse(concurrent_reruns):
    for code, output in zip(concurrent_reruns["codes"], concurrent_reruns["outputs"], strict=True):
        assert code == 0 or "being written by another run" in output, output[-3000:]
    assert concurrent_reruns["after"] == concurrent_reruns["before"]


def test_adding_one_article_reextracts_only_that_article(sample_run, concurrent_reruns):
    extracted = extraction_times(sample_run.warehouse)
    (sample_run.raw_dir / "new_douentza_patrol.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert execute_all(sample_run)
    after = extraction_times(sample_run.warehouse)
    assert set(after) - set(extracted) and len(set(after) - set(extracted)) == 1
    assert {key: after[key] for key in extracted} == extracted
    with duckdb.connect(str(sample_run.published), read_only=True) as con:
        places = [row[0] for row in con.execute("select place_name from marts.fct_attacks").fetchall()]
    assert "Douentza" in places


def test_incremental_and_full_refresh_runs_give_identical_marts(sample_run, warehouse_copy):
    """After incremental runs (the sample run, then one added article), a full refresh of a copy
    rebuilds every dbt model from raw and must give the very same mart rows."""
    incremental = marts_snapshot(sample_run.warehouse)
    assert "Douentza" in {row[0] for row in _column(sample_run.warehouse, "fct_attacks", "place_name")}
    refreshed = warehouse_copy(sample_run)
    assert execute_all(refreshed, full_refresh=True)
    assert marts_snapshot(refreshed.warehouse) == incremental


def _column(warehouse: Path, table: str, column: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select {column} from marts.{table}").fetchall()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wait_for_dbt_writing(process: subprocess.Popen, warehouse: Path, timeout: float = 300) -> bool:
    """Read the run's output until the dbt step has started, then wait until the build file has a
    write-ahead log (dbt is writing it). False if that state never came."""
    wal = warehouse.with_name(warehouse.name + ".wal")
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        if 'Started execution of step "bluehelm_dbt"' in line:
            break
        if time.monotonic() > deadline:
            return False
    else:
        return False
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists():
            return True
        time.sleep(0.05)
    return False


def test_kill_9_during_dbt_build_leaves_warehouse_consistent(sample_run):
    published_before = _digest(sample_run.published)
    (sample_run.raw_dir / "another.txt").write_text(NEW_ARTICLE.replace("Douentza", "Hombori"), encoding="utf-8")
    process = _bluehelm(sample_run)
    writing = _wait_for_dbt_writing(process, sample_run.warehouse)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert writing, "the run never reached dbt writing the build file"
    assert process.returncode == -signal.SIGKILL
    assert _digest(sample_run.published) == published_before
    with duckdb.connect(str(sample_run.published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_attacks").fetchone()[0] > 0
    rerun = _bluehelm(sample_run)
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output[-3000:]
    with duckdb.connect(str(sample_run.published), read_only=True) as con:
        places = [row[0] for row in con.execute("select place_name from marts.fct_attacks").fetchall()]
    assert "Hombori" in places


def test_parse_cache_kept_after_a_dbt_call_spares_the_next_call_with_the_same_settings_a_full_parse(tmp_path):
    """dagster-dbt gives each dbt call a copy of the project's parse cache; once the call's own cache is
    kept, the next call with the same vars (here another warehouse than `bluehelm prepare`'s) re-parses
    no file."""
    import json

    from orchestration.dbt_project import dbt_args, dbt_cli, keep_parse_cache

    settings = Settings.from_env(raw_dir=tmp_path / "raw", warehouse=tmp_path / "elsewhere" / "bluehelm.duckdb")

    def files_parsed(target: Path) -> int:
        dbt_cli().cli(dbt_args(settings, "parse", "--quiet"), target_path=target).wait()
        return json.loads((target / "perf_info.json").read_text())["parsed_path_count"]

    assert files_parsed(tmp_path / "first") > 100
    keep_parse_cache(tmp_path / "first")
    assert files_parsed(tmp_path / "second") == 0


def test_successful_runs_leave_no_dbt_call_folder_behind(sample_warehouse, dagster_home):
    import dagster as dg

    from orchestration.dbt_project import dbt_project

    target = dbt_project().manifest_path.parent
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS]))
    assert runs, "the session's sample run is recorded in its DAGSTER_HOME"
    left = [path.name for run in runs for path in target.glob(f"bluehelm_dbt-{run.run_id[:7]}-*")]
    assert left == []
