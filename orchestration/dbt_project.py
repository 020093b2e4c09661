"""The dbt project handle for Dagster. Nothing is read or parsed at import time.

`dbt_project()` describes dbt_project/ once (profiles.yml lives next to dbt_project.yml);
`prepare_manifest()` runs `dbt parse` so `target/manifest.json` exists for `@dbt_assets`
(called by `bluehelm prepare` during setup). Every dbt call gets its settings as `--vars`
(`dbt_args`); dagster-dbt copies target/partial_parse.msgpack into each invocation's target, so a run
whose vars equal those of the last `bluehelm prepare` only re-parses changed files.
"""

import json
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import DBT_PROJECT_DIR, Settings


@cache
def dbt_project() -> DbtProject:
    """The bluehelm dbt project (reads dbt_project.yml on first call only)."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_args(settings: Settings, *args: str) -> list[str]:
    """A dbt command line (`args`, e.g. "build") with the settings' `--vars` for profiles.yml."""
    return [*args, "--vars", json.dumps(settings.dbt_vars(), sort_keys=True)]


def dbt_cli() -> DbtCliResource:
    """A dbt CLI resource for the project, running the venv's dbt (not whatever is on PATH); callers
    pass the settings with `dbt_args`."""
    return DbtCliResource(
        project_dir=dbt_project(),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(Path(sys.executable).with_name("dbt")),
    )


def prepare_manifest(settings: Settings) -> Path:
    """Run `dbt parse` with `settings` and return the path of the manifest it wrote; raises if dbt fails."""
    project = dbt_project()
    dbt_cli().cli(dbt_args(settings, "parse", "--quiet"), target_path=project.target_path).wait()
    if not project.manifest_path.exists():
        raise FileNotFoundError(f"dbt parse did not write {project.manifest_path}")
    return project.manifest_path
