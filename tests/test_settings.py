"""Settings: read once from the environment, passed explicitly; nothing else reads or writes it."""

import ast
from pathlib import Path

import pytest

from orchestration.dbt_project import dbt_args
from orchestration.settings import PROJECT_ROOT, Settings

ENVIRONMENT = {
    "BLUEHELM_RAW_DIR": "/data/in",
    "BLUEHELM_WAREHOUSE": "/data/w/bluehelm.duckdb",
    "BLUEHELM_MAX_FILE_BYTES": "1000",
    "BLUEHELM_MEMORY_LIMIT": "2GiB",
    "BLUEHELM_THREADS": "3",
    "BLUEHELM_SCHEDULE_CRON": "15 1 * * *",
    "BLUEHELM_SCHEDULE_TIMEZONE": "Africa/Bamako",
    "DAGSTER_HOME": "/data/home",
}


def test_settings_read_every_variable():
    settings = Settings.from_env(ENVIRONMENT)
    assert (settings.raw_dir, settings.warehouse, settings.published) == (
        Path("/data/in"),
        Path("/data/w/bluehelm.duckdb"),
        Path("/data/w/published/bluehelm.duckdb"),
    )
    assert (settings.max_file_bytes, settings.memory_limit, settings.threads) == (1000, "2GiB", 3)
    assert (settings.schedule_cron, settings.schedule_timezone) == ("15 1 * * *", "Africa/Bamako")
    assert settings.dagster_home == Path("/data/home")


def test_settings_environment_of_a_child_reads_back_the_same_settings():
    settings = Settings.from_env({}, warehouse="/elsewhere/w.duckdb", raw_dir="/elsewhere/raw")
    assert Settings.from_env(settings.environment()) == settings


def test_settings_warehouse_override_moves_the_published_copy_beside_it():
    settings = Settings.from_env({}, warehouse="/x/y.duckdb")
    assert settings.published == Path("/x/published/y.duckdb")


@pytest.mark.parametrize("name", ["BLUEHELM_MAX_FILE_BYTES", "BLUEHELM_THREADS"])
def test_settings_malformed_number_is_a_clear_error(name):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "many"})


def test_settings_default_memory_limit_is_a_fraction_of_ram():
    assert Settings.from_env({}).memory_limit.endswith("MiB")


def test_dbt_args_carry_warehouse_memory_limit_and_threads_as_vars():
    args = dbt_args(Settings.from_env(ENVIRONMENT), "build")
    assert args[:2] == ["build", "--vars"]
    assert '"warehouse": "/data/w/bluehelm.duckdb"' in args[2] and '"memory_limit": "2GiB"' in args[2]
    assert '"threads": 3' in args[2]


def _environment_uses(path: Path) -> list[int]:
    """Line numbers where `path` touches os.environ (or getenv/putenv), except lines that build a child
    process's environment from a copy of it (`{**os.environ, ...}` or a filtered comprehension)."""
    tree = ast.parse(path.read_text("utf-8"))
    child_environments = {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        and any(key is None and getattr(value, "attr", None) == "environ" for key, value in zip(node.keys, node.values))
        or isinstance(node, ast.DictComp)  # {key: value for key, value in os.environ.items() if ...}
        and "os.environ" in ast.unparse(node.generators[0].iter)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv")
        and node.lineno not in child_environments
    ]


def test_only_settings_reads_the_environment():
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in (PROJECT_ROOT / "orchestration").rglob("*.py")
        if path.name != "settings.py" and (lines := _environment_uses(path))
    }
    assert offenders == {}
