"""Shared fixtures: temporary warehouses, the seed corpus beside the repo, telemetry off."""

import os
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT, Settings

SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory):
    """Telemetry off and a throwaway DAGSTER_HOME for the whole test session."""
    home = tmp_path_factory.mktemp("dagster_home")
    saved = dict(os.environ)
    os.environ.update(
        {
            "DAGSTER_HOME": str(home),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "GX_ANALYTICS_ENABLED": "false",
        }
    )
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "orchestration" / "dagster.yaml").read_text())
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def shared_corpus() -> Path:
    """The seed articles and their gold (third-party text, read in place, never copied)."""
    if not (SHARED_CORPUS / "manifest.csv").exists():
        pytest.skip(f"seed corpus not found at {SHARED_CORPUS} (the shared/ folder beside the repo)")
    return SHARED_CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an empty raw directory and a fresh warehouse under tmp_path."""
    raw = tmp_path / "raw"
    raw.mkdir()
    return Settings(
        raw_dir=raw,
        warehouse=tmp_path / "warehouse" / "bluehelm.duckdb",
        published=tmp_path / "warehouse" / "published" / "bluehelm.duckdb",
        max_file_bytes=200_000,
    )


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory):
    """Factory: `pipeline_run(raw_dir)` runs the whole pipeline once per raw directory per session
    (real Dagster run, dbt build, quality gate, publish) and returns its Settings."""
    from orchestration.runner import execute_all

    done: dict[Path, Settings] = {}

    def run(raw_dir: Path) -> Settings:
        raw_dir = raw_dir.resolve()
        if raw_dir not in done:
            root = tmp_path_factory.mktemp("run_" + raw_dir.name)
            settings = Settings(
                raw_dir=raw_dir,
                warehouse=root / "bluehelm.duckdb",
                published=root / "published" / "bluehelm.duckdb",
                max_file_bytes=5_000_000,
            )
            assert execute_all(settings), f"pipeline run on {raw_dir} failed"
            done[raw_dir] = settings
        return done[raw_dir]

    return run


@pytest.fixture(scope="session")
def sample_warehouse(pipeline_run) -> Settings:
    """The pipeline's result on the sample articles in raw/."""
    return pipeline_run(PROJECT_ROOT / "raw")
