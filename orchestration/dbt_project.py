"""The dbt project handle for Dagster. Nothing is read or parsed at import time.

`dbt_project()` describes dbt_project/ once (profiles.yml lives next to dbt_project.yml);
`prepare_manifest()` runs `dbt parse` so `target/manifest.json` exists for `@dbt_assets`
(called by `bluehelm prepare` during setup).
"""

import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import DBT_PROJECT_DIR


@cache
def dbt_project() -> DbtProject:
    """The bluehelm dbt project (reads dbt_project.yml on first call only)."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_cli() -> DbtCliResource:
    """A dbt CLI resource for the project, running the venv's dbt (not whatever is on PATH);
    the warehouse path comes from env BLUEHELM_WAREHOUSE."""
    return DbtCliResource(
        project_dir=dbt_project(),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(Path(sys.executable).with_name("dbt")),
    )


def prepare_manifest() -> Path:
    """Run `dbt parse` and return the path of the manifest it wrote; raises if dbt fails."""
    project = dbt_project()
    dbt_cli().cli(["parse", "--quiet"], target_path=project.target_path).wait()
    if not project.manifest_path.exists():
        raise FileNotFoundError(f"dbt parse did not write {project.manifest_path}")
    return project.manifest_path
