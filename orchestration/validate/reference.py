"""Reference data the quality suites check against, read from the dbt seeds (never hard-coded).

- Vocabularies: one allowed value per row of `seeds/<name>.csv`; the value column is the one named after
  the singular of the seed (`weapons.csv` -> `weapon`), else `value`, else the seed's first column.
  Without that seed, the distinct `cue_value`s of `seeds/cue_terms.csv` whose `cue_type` is the
  singular (`targets` -> cue_type `target`).
- Country bounds: the extent of `seeds/places.csv` per `country_iso3`, padded by `BOUNDS_MARGIN_DEGREES`
  (a bounding box, so it catches coordinates in the wrong country, not at a border).
- ISO3 codes: every alpha-3 code known to pycountry.

A missing or unreadable seed is recorded in `Reference.missing` so the checks that need it fail.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pycountry

BOUNDS_MARGIN_DEGREES = 0.25
VOCABULARY_SEEDS = ("weapons", "targets", "unit_types", "measures")


@dataclass(frozen=True)
class Reference:
    """Allowed values per vocabulary, valid ISO3 codes, and one bounding box per country.

    `country_bounds` has one row per country: country_iso3, lat_min, lat_max, lon_min, lon_max.
    `missing` maps a seed name to why it could not be read.
    """

    vocabularies: dict[str, frozenset[str]]
    iso3_codes: frozenset[str]
    country_bounds: pd.DataFrame | None
    missing: dict[str, str] = field(default_factory=dict)


def load_reference(seeds_dir: Path) -> Reference:
    """Read vocabularies and country bounds from `seeds_dir`; never raises for a missing seed."""
    vocabularies: dict[str, frozenset[str]] = {}
    missing: dict[str, str] = {}
    for name in VOCABULARY_SEEDS:
        try:
            vocabularies[name] = _vocabulary(seeds_dir, name)
        except (OSError, ValueError, KeyError, pd.errors.ParserError) as error:
            missing[name] = f"{name} vocabulary unreadable: {error}"
    try:
        bounds = country_bounds(pd.read_csv(seeds_dir / "places.csv"))
    except (OSError, ValueError, KeyError, pd.errors.ParserError) as error:
        bounds = None
        missing["places"] = f"{seeds_dir / 'places.csv'}: {error}"
    iso3 = frozenset(country.alpha_3 for country in pycountry.countries)
    return Reference(vocabularies=vocabularies, iso3_codes=iso3, country_bounds=bounds, missing=missing)


def country_bounds(places: pd.DataFrame, margin: float = BOUNDS_MARGIN_DEGREES) -> pd.DataFrame:
    """One row per country_iso3: the padded extent of its places' latitude and longitude."""
    located = places.dropna(subset=["country_iso3", "latitude", "longitude"])
    if located.empty:
        raise ValueError("no place with country_iso3, latitude and longitude")
    extent = located.groupby("country_iso3", as_index=False).agg(
        lat_min=("latitude", "min"),
        lat_max=("latitude", "max"),
        lon_min=("longitude", "min"),
        lon_max=("longitude", "max"),
    )
    extent[["lat_min", "lon_min"]] -= margin
    extent[["lat_max", "lon_max"]] += margin
    return extent


def _vocabulary(seeds_dir: Path, name: str) -> frozenset[str]:
    singular = name.removesuffix("s")
    path = seeds_dir / f"{name}.csv"
    if path.exists():
        seed = pd.read_csv(path, dtype=str)
        column = next((c for c in (singular, "value") if c in seed.columns), seed.columns[0])
        values = seed[column]
    else:
        cues = pd.read_csv(seeds_dir / "cue_terms.csv", dtype=str)
        values = cues.loc[cues["cue_type"] == singular, "cue_value"]
    allowed = frozenset(values.dropna().str.strip())
    if not allowed:
        raise ValueError(f"no {singular} values in {path.name} or cue_terms.csv")
    return allowed
