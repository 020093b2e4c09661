"""Every path and environment variable the project reads, in one place.

Relative overrides are resolved against the current directory; defaults live inside the repository.
"""

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "bluehelm.duckdb"
DEFAULT_MAX_FILE_BYTES = 5_000_000


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads and writes.

    `warehouse` is the build file (one writer at a time); `published` is the validated copy that
    analysts and BI tools read, replaced atomically after the quality gate passes.
    """

    raw_dir: Path
    warehouse: Path
    published: Path
    max_file_bytes: int

    @property
    def warehouse_dir(self) -> Path:
        return self.warehouse.parent

    @property
    def reports_dir(self) -> Path:
        return self.warehouse_dir / "reports"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def gx_docs_dir(self) -> Path:
        return self.warehouse_dir / "quality_docs"

    @property
    def serve_dir(self) -> Path:
        """The PostgreSQL serving cluster of `bluehelm serve` (a copy of the published marts)."""
        return self.warehouse_dir / "serve"

    @property
    def lock_file(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings from BLUEHELM_* environment variables, then explicit non-None overrides."""
        env = os.environ
        warehouse = _absolute(env.get("BLUEHELM_WAREHOUSE") or DEFAULT_WAREHOUSE)
        published_env = env.get("BLUEHELM_PUBLISHED")
        settings = cls(
            raw_dir=_absolute(env.get("BLUEHELM_RAW_DIR") or DEFAULT_RAW_DIR),
            warehouse=warehouse,
            published=_absolute(published_env) if published_env else _published_for(warehouse),
            max_file_bytes=int(env.get("BLUEHELM_MAX_FILE_BYTES") or DEFAULT_MAX_FILE_BYTES),
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        for key in ("raw_dir", "warehouse", "published"):
            if key in given:
                given[key] = _absolute(given[key])
        if "warehouse" in given and "published" not in given and not published_env:
            given["published"] = _published_for(given["warehouse"])
        return replace(settings, **given)


def _absolute(path: object) -> Path:
    return Path(str(path)).expanduser().resolve()


def _published_for(warehouse: Path) -> Path:
    return warehouse.parent / "published" / warehouse.name
