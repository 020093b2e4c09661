"""Shared fixtures: temporary warehouses, the seed corpus beside the repo, telemetry off."""

import os
from pathlib import Path

import pytest

from orchestration.paths import PROJECT_ROOT, Settings

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
