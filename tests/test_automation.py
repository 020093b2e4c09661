"""Dagster wiring: ingest asset materialization, the raw-files sensor, the schedule, the writer lock."""

import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from orchestration.defs import automation
from orchestration.defs.ingest import raw_articles
from orchestration.defs.resources import WarehouseResource, engine_resource
from orchestration.settings import Settings
from orchestration.warehouse.raw import WarehouseBusyError, write_lock

STORY = "Gunmen ambushed a patrol near Ber on Monday, wounding three peacekeepers, the mission said.\n"


def test_ingest_asset_materializes_with_counts_in_metadata(settings):
    (settings.raw_dir / "a.txt").write_text(STORY)
    (settings.raw_dir / "empty.txt").write_text("")
    result = dg.materialize(
        [raw_articles], resources={"warehouse": WarehouseResource(settings), "engine": engine_resource(settings)}
    )
    assert result.success
    materialization = next(
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey(["raw", "articles"])
    )
    assert materialization.metadata["articles_new"].value == 1
    assert materialization.metadata["files_rejected"].value == 1
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.articles").fetchone()[0] == 1


def _sensor_context(instance, cursor=None):
    return dg.build_sensor_context(instance=instance, cursor=cursor)


def test_sensor_requests_run_for_new_file_and_skips_when_unchanged(settings):
    resource = WarehouseResource(settings)
    (settings.raw_dir / "a.txt").write_text(STORY)
    with dg.instance_for_test() as instance:
        first = automation.raw_files_sensor(_sensor_context(instance), warehouse=resource)
        assert isinstance(first, dg.RunRequest)
        fingerprint, _ = automation.raw_dir_fingerprint(resource)
        again = automation.raw_files_sensor(_sensor_context(instance, cursor=fingerprint), warehouse=resource)
        assert isinstance(again, dg.SkipReason)
        (settings.raw_dir / "b.txt").write_text(STORY.replace("Ber", "Gossi"))
        changed = automation.raw_files_sensor(_sensor_context(instance, cursor=fingerprint), warehouse=resource)
        assert isinstance(changed, dg.RunRequest) and changed.run_key != first.run_key


def test_schedule_reads_cron_and_timezone_from_settings():
    settings = Settings.from_env(
        {"BLUEHELM_SCHEDULE_CRON": "30 2 * * *", "BLUEHELM_SCHEDULE_TIMEZONE": "Africa/Bamako"}
    )
    schedule = automation.daily_schedule(settings)
    assert schedule.cron_schedule == "30 2 * * *"
    assert schedule.execution_timezone == "Africa/Bamako"


HOLD_LOCK = """
import sys
from pathlib import Path
from orchestration.warehouse.raw import write_lock
with write_lock(Path(sys.argv[1]), 5):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_write_lock_second_writer_fails_fast_with_clear_message(tmp_path):
    lock = tmp_path / "w.duckdb.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"  # the other process holds the lock now
        with pytest.raises(WarehouseBusyError, match="being written by another run"), write_lock(lock, 0.5):
            pass
    finally:
        holder.communicate("")
    with write_lock(lock, 0.5):
        pass
