"""The dbt project handle for Dagster. Nothing is read or parsed at import time.

`dbt_project()` describes dbt_project/ once (profiles.yml lives next to dbt_project.yml);
`prepare_manifest()` runs `dbt parse` so `target/manifest.json` exists for `@dbt_assets`
(called by `bluehelm prepare` during setup). Every dbt call gets its settings as `--vars`
(`dbt_args`); dagster-dbt copies target/partial_parse.msgpack into each invocation's target, so a run
whose vars equal those of the last `bluehelm prepare` only re-parses changed files.
"""

import importlib.metadata
import json
import os
import shutil
import sys
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.settings import DBT_PROJECT_DIR, Settings


@cache
def dbt_project() -> DbtProject:
    """The bluehelm dbt project (reads dbt_project.yml on first call only)."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_args(settings: Settings, *args: str) -> list[str]:
    """A dbt command line (`args`, e.g. "build") with the settings' `--vars` for profiles.yml."""
    return [*args, "--vars", json.dumps(settings.dbt_vars(), sort_keys=True)]


class ProjectDbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without two fixed costs it pays on every call: `dbt --version` in a
    subprocess (we run the venv's own dbt, so the installed dbt-core's version is the answer) and an
    in-process dbt adapter (~4 CPU-s of imports and profile loading) that only serves row-count and
    column metadata, which this project reads itself after the build."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_cli() -> DbtCliResource:
    """A dbt CLI resource for the project, running the venv's dbt (not whatever is on PATH); callers
    pass the settings with `dbt_args`."""
    return ProjectDbtCli(
        project_dir=dbt_project(),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(Path(sys.executable).with_name("dbt")),
    )


PROJECT_INPUTS = ("models", "macros", "seeds", "data-tests")


def project_digest() -> str:
    """Hash of everything a dbt build reads from the project (models, macros, seeds, tests, dbt_project.yml):
    a build under another digest must rebuild every model and reload the seeds."""
    from orchestration.ingest.run import digest_files

    files = [path for folder in PROJECT_INPUTS for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file()]
    return digest_files([*files, DBT_PROJECT_DIR / "dbt_project.yml"])


def build_args(settings: Settings, full: bool) -> list[str]:
    """`dbt build` of a full refresh (every model rebuilt from raw, seeds loaded, every test) or of an
    incremental run: per-article models merge only changed articles; seeds (unchanged, or the build
    would be full) and unit tests (SQL logic, not data) are left out; every data test on models runs."""
    if full:
        return dbt_args(settings, "build", "--full-refresh")
    # one space-separated value: dagster-dbt folds --exclude into its own selection, one value per flag
    return dbt_args(settings, "build", "--exclude", "resource_type:seed resource_type:unit_test")


def prepare_manifest(settings: Settings) -> Path:
    """Run `dbt parse` with `settings` and return the path of the manifest it wrote, recording the
    project digest it was parsed from (`manifest_is_current`); raises if dbt fails."""
    project = dbt_project()
    digest = project_digest()
    dbt_cli().cli(dbt_args(settings, "parse", "--quiet"), target_path=project.target_path).wait()
    if not project.manifest_path.exists():
        raise FileNotFoundError(f"dbt parse did not write {project.manifest_path}")
    _manifest_digest_path().write_text(digest, encoding="utf-8")
    return project.manifest_path


def manifest_is_current() -> bool:
    """True when target/manifest.json exists and was parsed from the project as it is now (a pull or an
    edit of a model, macro, seed or test since `bluehelm prepare` makes it stale)."""
    stamp = _manifest_digest_path()
    return (
        dbt_project().manifest_path.exists()
        and stamp.exists()
        and stamp.read_text(encoding="utf-8") == project_digest()
    )


def keep_parse_cache(target_path: Path) -> None:
    """Make the parse cache a dbt call left in its own `target_path` the project's, so the next call
    with the same `--vars` parses only changed files. dagster-dbt copies the project's cache into each
    call's target folder but never back: a run whose settings differ from those of the last `bluehelm
    prepare` (another warehouse, as in the benchmark or a deployment) otherwise parses the whole project
    on every run (~9 s against ~5 s for `dbt parse` on 2 cores). dbt itself checks the cache's vars,
    profile and file hashes before using it; the file is replaced atomically."""
    cache = target_path / "partial_parse.msgpack"
    if cache.exists():
        kept = dbt_project().manifest_path.with_name(cache.name)
        staged = kept.with_name(f".{cache.name}.{os.getpid()}")
        shutil.copyfile(cache, staged)
        os.replace(staged, kept)


def remove_call_folder(target_path: Path) -> None:
    """Delete the target folder dagster-dbt made for one dbt call once its artifacts are read; one
    folder per run (about 10 MB) would otherwise pile up under dbt_project/target. Only a folder inside
    the project's target folder is removed; a failed build's folder is left for inspection."""
    project_target = dbt_project().manifest_path.parent.resolve()
    if target_path.resolve().parent == project_target:
        shutil.rmtree(target_path, ignore_errors=True)


def _manifest_digest_path() -> Path:
    return dbt_project().manifest_path.with_name("bluehelm_project_digest")
