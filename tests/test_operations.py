"""Production behaviour of whole runs: idempotence, incremental extraction, crash safety, one writer.

Real Dagster runs (in-process and as `bluehelm run` subprocesses) on a temporary warehouse fed with a copy
of the sample articles in raw/.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.runner import execute_all
from orchestration.settings import DEFAULT_RAW_DIR, Settings

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
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One completed run on a copy of raw/ (shared by the tests of this module, in order)."""
    root = tmp_path_factory.mktemp("ops")
    raw = root / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    settings = Settings(raw, root / "wh" / "bluehelm.duckdb", root / "wh" / "published" / "bluehelm.duckdb", 5_000_000)
    assert execute_all(settings)
    return settings


def test_rerun_on_unchanged_input_changes_nothing(sample_run):
    before = marts_snapshot(sample_run.warehouse)
    extracted = extraction_times(sample_run.warehouse)
    assert before["fct_attacks"] and before["fct_deployments"]
    for _ in range(2):
        assert execute_all(sample_run)
        assert marts_snapshot(sample_run.warehouse) == before
    assert extraction_times(sample_run.warehouse) == extracted


def test_adding_one_article_reextracts_only_that_article(sample_run):
    extracted = extraction_times(sample_run.warehouse)
    (sample_run.raw_dir / "new_douentza_patrol.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert execute_all(sample_run)
    after = extraction_times(sample_run.warehouse)
    assert set(after) - set(extracted) and len(set(after) - set(extracted)) == 1
    assert {key: after[key] for key in extracted} == extracted
    with duckdb.connect(str(sample_run.published), read_only=True) as con:
        places = [row[0] for row in con.execute("select place_name from marts.fct_attacks").fetchall()]
    assert "Douentza" in places


def _bluehelm(settings: Settings, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "BLUEHELM_RAW_DIR": str(settings.raw_dir), "BLUEHELM_WAREHOUSE": str(settings.warehouse)}
    env.pop("BLUEHELM_PUBLISHED", None)
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("bluehelm")), "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kwargs,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kill_9_during_dbt_build_leaves_warehouse_consistent(sample_run):
    published_before = _digest(sample_run.published)
    (sample_run.raw_dir / "another.txt").write_text(NEW_ARTICLE.replace("Douentza", "Hombori"), encoding="utf-8")
    process = _bluehelm(sample_run)
    saw_dbt = False
    deadline = time.monotonic() + 300
    for line in process.stdout:
        if 'Started execution of step "bluehelm_dbt"' in line:
            saw_dbt = True
            time.sleep(3)  # let dbt start writing
            os.killpg(process.pid, signal.SIGKILL)
            break
        if time.monotonic() > deadline:
            break
    process.wait(timeout=60)
    assert saw_dbt, "the run never reached the dbt step"
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


def test_two_runs_launched_together_do_not_corrupt_the_warehouse(sample_run):
    expected = marts_snapshot(sample_run.warehouse)
    first, second = _bluehelm(sample_run), _bluehelm(sample_run)
    outputs = [process.communicate(timeout=900)[0] for process in (first, second)]
    codes = [first.returncode, second.returncode]
    for code, output in zip(codes, outputs, strict=True):
        assert code == 0 or "being written by another run" in output, output[-3000:]
    assert 0 in codes
    assert marts_snapshot(sample_run.warehouse) == expected
