"""Shared fixtures: temporary warehouses, the seed corpus beside the repo, one sample run per session.

Every end-to-end fixture builds a warehouse once per session (`pipeline_run`); tests that only read it
share it. Tests that change a warehouse copy it first (`warehouse_copy`).
"""

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DAGSTER_YAML, DBT_PROJECT_DIR, PROJECT_ROOT, TELEMETRY_OFF, Settings

SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway DAGSTER_HOME for the whole session, configured like `bluehelm run`'s."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copyfile(DAGSTER_YAML, home / "dagster.yaml")
    return home


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(dagster_home: Path):
    """Telemetry off and the throwaway DAGSTER_HOME for the child processes tests start."""
    saved = dict(os.environ)
    os.environ.update({"DAGSTER_HOME": str(dagster_home), **TELEMETRY_OFF})
    yield
    os.environ.clear()
    os.environ.update(saved)


def make_settings(raw_dir: Path, root: Path, dagster_home: Path, **overrides: object) -> Settings:
    """Settings for `raw_dir` and a warehouse under `root`, with small resource limits for tests."""
    values = {
        "raw_dir": raw_dir,
        "warehouse": root / "bluehelm.duckdb",
        "published": root / "published" / "bluehelm.duckdb",
        "memory_limit": "1GiB",
        "threads": 2,
        "dagster_home": dagster_home,
        **overrides,
    }
    return Settings(**values)


def query_rows(path: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on the DuckDB file `path`, opened read-only."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def shared_corpus() -> Path:
    """The seed articles and their gold (third-party text, read in place, never copied)."""
    if not (SHARED_CORPUS / "manifest.csv").exists():
        pytest.skip(f"seed corpus not found at {SHARED_CORPUS} (the shared/ folder beside the repo)")
    return SHARED_CORPUS


@pytest.fixture
def settings(tmp_path: Path, dagster_home: Path) -> Settings:
    """Settings for an empty raw directory and a fresh warehouse under tmp_path."""
    raw = tmp_path / "raw"
    raw.mkdir()
    return make_settings(raw, tmp_path / "warehouse", dagster_home, max_file_bytes=200_000)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dbt_project/target/manifest.json, parsed again when a model, test, macro or seed is newer."""
    from orchestration.dbt_project import dbt_project, prepare_manifest

    manifest = dbt_project().manifest_path
    sources = [
        path
        for folder in ("models", "macros", "data-tests", "seeds", "analyses")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ] + [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    if not manifest.exists() or manifest.stat().st_mtime < max(path.stat().st_mtime for path in sources):
        prepare_manifest(Settings.from_env())
    return manifest


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory, dagster_home: Path, dbt_manifest: Path):
    """Factory: `pipeline_run(raw_dir)` runs the whole pipeline once per raw directory per session
    (real Dagster run, dbt build, quality gate, publish) and returns its Settings. Read only: a test that
    changes the warehouse works on `warehouse_copy(settings)`."""
    from orchestration.runner import execute_all

    done: dict[Path, Settings] = {}

    def run(raw_dir: Path) -> Settings:
        raw_dir = raw_dir.resolve()
        if raw_dir not in done:
            root = tmp_path_factory.mktemp("run_" + raw_dir.name)
            settings = make_settings(raw_dir, root, dagster_home)
            assert execute_all(settings), f"pipeline run on {raw_dir} failed"
            done[raw_dir] = settings
        return done[raw_dir]

    return run


@pytest.fixture(scope="session")
def sample_warehouse(pipeline_run) -> Settings:
    """The pipeline's result on the sample articles in raw/ (shared: never write to it)."""
    return pipeline_run(PROJECT_ROOT / "raw")


@pytest.fixture(scope="session")
def warehouse_copy(tmp_path_factory: pytest.TempPathFactory, dagster_home: Path):
    """Factory: `warehouse_copy(settings)` copies a finished run (raw files, build and published
    warehouse) to a new folder and returns Settings pointing there, for tests that change it."""

    def copy(source: Settings) -> Settings:
        root = tmp_path_factory.mktemp("copy")
        raw = root / "raw"
        shutil.copytree(source.raw_dir, raw)
        settings = make_settings(raw, root / "wh", dagster_home)
        settings.published.parent.mkdir(parents=True)
        shutil.copyfile(source.warehouse, settings.warehouse)
        shutil.copyfile(source.published, settings.published)
        return settings

    return copy
