"""Dictionary matcher: actors, countries, places, titled persons and cue words (orchestration/extract/dictionary.py)."""

import csv
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from text_frames import sentence_frame

from orchestration.extract.dictionary import (
    DICTIONARY_SEEDS,
    PARALLEL_MIN_SENTENCES,
    Dictionary,
    find_cues,
    find_entity_mentions,
    load_dictionary,
)
from orchestration.extract.folding import ascii_fold, changed_by_ascii_fold
from orchestration.extract.schema import CUE_SCHEMA, MENTION_SCHEMA
from orchestration.extract.sentences import split_sentences
from orchestration.ingest.cleaning import clean_documents
from orchestration.settings import SEEDS_DIR


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return load_dictionary(SEEDS_DIR)


def _frames(texts: tuple[str, ...], language: str = "en") -> tuple[pl.LazyFrame, pl.LazyFrame, str]:
    """Sentences (one per line of the body) and the articles frame for one article."""
    body = "\n".join(texts)
    articles = pl.LazyFrame({"article_id": ["a"], "body": [body], "published_date": [None]})
    return sentence_frame(*texts, language=language), articles, body


def mentions(dictionary: Dictionary, *texts: str, language: str = "en") -> pl.DataFrame:
    sentences, articles, body = _frames(texts, language)
    found = find_entity_mentions(sentences, articles, dictionary).collect()
    for row in found.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["surface"]
    return found


def entity_of(found: pl.DataFrame, surface: str) -> str | None:
    rows = found.filter(pl.col("surface") == surface)
    assert rows.height == 1, f"{surface!r} found {rows.height} times in {found['surface'].to_list()}"
    return rows["entity_id"][0]


def test_dictionary_returns_mention_schema(dictionary):
    found = mentions(dictionary, "Chadian troops reached Kidal.")
    assert found.schema == pl.Schema(MENTION_SCHEMA)


def test_dictionary_niger_is_not_nigeria(dictionary):
    found = mentions(
        dictionary,
        "Troops from Niger and Nigeria arrived in Gao.",
        "A Nigerian officer and two Nigerien soldiers were wounded.",
    )
    assert entity_of(found, "Niger") == "country:NER"
    assert entity_of(found, "Nigeria") == "country:NGA"
    assert entity_of(found, "Nigerian") == "country:NGA"
    assert entity_of(found, "Nigerien") == "country:NER"


def test_dictionary_guineas_stay_apart(dictionary):
    found = mentions(
        dictionary,
        "Guinea and Equatorial Guinea voted for the resolution.",
        "Guinea-Bissau sent police; Guinea Bissau's envoy spoke.",
    )
    assert entity_of(found, "Guinea") == "country:GIN"
    assert entity_of(found, "Equatorial Guinea") == "country:GNQ"
    assert entity_of(found, "Guinea-Bissau") == "country:GNB"
    assert entity_of(found, "Guinea Bissau") == "country:GNB"


def test_dictionary_niger_river_is_not_the_country(dictionary):
    found = mentions(
        dictionary,
        "Fighters crossed the Niger River at night.",
        "Villages along the River Niger were shelled.",
    )
    assert entity_of(found, "Niger River") == entity_of(found, "River Niger")
    assert found.filter(pl.col("entity_id") == "country:NER").is_empty()


def test_dictionary_person_named_chad_is_not_the_country(dictionary):
    found = mentions(
        dictionary,
        "Chad Smith, the group's spokesman, declined to comment.",
        "The statement was confirmed, said Chad Johnson.",
    )
    assert found.filter(pl.col("entity_id") == "country:TCD").is_empty()
    persons = found.filter(pl.col("actor_type") == "person")["surface"].to_list()
    assert persons == ["Chad Smith", "Chad Johnson"]


def test_dictionary_country_name_chad_alone_is_the_country(dictionary):
    found = mentions(dictionary, "Chad said it was quitting Mali.", "Troops from Chad arrived.")
    assert found.filter(pl.col("surface") == "Chad")["entity_id"].to_list() == ["country:TCD", "country:TCD"]
    assert found.filter(pl.col("actor_type") == "person").is_empty()


def test_dictionary_demonym_chadian_resolves_to_chad(dictionary):
    found = mentions(dictionary, "A Chadian peacekeeper was killed.", "The Chadians make up the contingent.")
    assert entity_of(found, "Chadian") == "country:TCD"
    assert entity_of(found, "Chadians") == "country:TCD"
    assert found.filter(pl.col("surface") == "Chadian")["actor_type"].to_list() == ["country"]
    assert found.filter(pl.col("surface") == "Chadian")["country_iso3"].to_list() == ["TCD"]


def test_dictionary_plural_demonyms_resolve(dictionary):
    found = mentions(dictionary, "The Dutch have deployed troops.", "Ivorians and Senegalese joined them.")
    assert entity_of(found, "Dutch") == "country:NLD"
    assert entity_of(found, "Ivorians") == "country:CIV"
    assert entity_of(found, "Senegalese") == "country:SEN"


@pytest.mark.parametrize(
    ("demonym", "iso3"),
    [
        ("Nigerien", "NER"),
        ("Nigerian", "NGA"),
        ("Dutch", "NLD"),
        ("Burkinabe", "BFA"),
        ("Burkinabè", "BFA"),
        ("Ivorian", "CIV"),
        ("Senegalese", "SEN"),
        ("Swedish", "SWE"),
        ("Danish", "DNK"),
        ("Chinese", "CHN"),
        ("Cambodian", "KHM"),
        ("Togolese", "TGO"),
        ("Guinean", "GIN"),
        ("Bangladeshi", "BGD"),
        ("Egyptian", "EGY"),
        ("Jordanian", "JOR"),
    ],
)
def test_dictionary_contributor_demonyms_resolve(dictionary, demonym, iso3):
    found = mentions(dictionary, f"{demonym} peacekeepers patrolled the road.")
    assert entity_of(found, demonym) == f"country:{iso3}"


def test_dictionary_acronym_typo_nmla_matches_mnla(dictionary):
    found = mentions(
        dictionary,
        "The rebels, known as the NMLA, control Kidal.",
        "France and the NMLA agreed; the MNLA denied it.",
    )
    typos = found.filter(pl.col("surface") == "NMLA")
    assert typos["entity_id"].to_list() == ["mnla", "mnla"]
    assert typos["match_method"].to_list() == ["acronym_variant", "acronym_variant"]
    assert entity_of(found, "MNLA") == "mnla"


def test_dictionary_acronym_variant_needs_one_known_acronym(dictionary):
    found = mentions(dictionary, "The WXYZ unit and the ABCD group met.", "ECOWAS and NATO observed.")
    assert found.filter(pl.col("match_method") == "acronym_variant").is_empty()
    assert set(found["entity_id"]) == {"ecowas", "nato"}


def test_dictionary_accent_folding_gerard(dictionary):
    found = mentions(
        dictionary, "Gerard Araud told reporters.", "GÉRARD ARAUD spoke before Gérard Araud left."
    )
    assert found.filter(pl.col("entity_id") == "gerard_araud")["surface"].to_list() == [
        "Gerard Araud",
        "GÉRARD ARAUD",
        "Gérard Araud",
    ]


def test_dictionary_accent_folding_places(dictionary):
    found = mentions(dictionary, "Troops left SÉVARÉ for Sevare airport.", "Ménaka and Menaka are one town.")
    assert entity_of(found, "SÉVARÉ") == entity_of(found, "Sevare")
    assert entity_of(found, "Ménaka") == entity_of(found, "Menaka")


def test_dictionary_short_acronyms_are_case_sensitive(dictionary):
    found = mentions(
        dictionary, "The UN and the AU met.", "He spoke un peu about au revoir and the maa sound."
    )
    assert found["surface"].to_list() == ["UN", "AU"]


def test_dictionary_matches_whole_words_only(dictionary):
    found = mentions(
        dictionary, "Embers and gaolers are not Ber or Gao.", "Malinese Chadwick Tessaliton Kidals"
    )
    assert found["surface"].to_list() == ["Ber", "Gao"]


def test_dictionary_offsets_are_characters_after_accents_and_emoji(dictionary):
    found = mentions(dictionary, "Ménaka — “🙂” then Gao.", "Côte d’Ivoire’s troops reached Tombouctou.")
    assert found["surface"].to_list() == ["Ménaka", "Gao", "Côte d’Ivoire", "Tombouctou"]
    assert entity_of(found, "Côte d’Ivoire") == "country:CIV"


def test_dictionary_skips_sentences_not_in_english(dictionary):
    assert mentions(dictionary, "Les soldats tchadiens sont arrivés à Kidal.", language="fr").is_empty()
    assert mentions(dictionary, "Kidal, Gao et Tombouctou.", language="other").is_empty()


def test_dictionary_mission_aliases_resolve_to_minusma(dictionary):
    found = mentions(
        dictionary,
        "The mission, called Minusma (for Multidimensional Integrated Stabilization Mission in Mali), starts.",
        "The UN mission in Mali and MINUSMA are the same.",
    )
    assert found["entity_id"].to_list() == ["minusma", "minusma", "minusma", "minusma"]


def test_dictionary_armed_group_long_names_resolve(dictionary):
    found = mentions(
        dictionary,
        "Members of the Movement for Oneness and Jihad (Mujao) ambushed a convoy.",
        "Al Qaeda in the Islamic Maghreb and Ansar Dine fighters fled; AQIM denied it.",
    )
    assert found["entity_id"].to_list() == ["mujao", "mujao", "aqim", "ansar_dine", "aqim"]


def test_dictionary_national_forces_resolve(dictionary):
    found = mentions(
        dictionary,
        "Malian soldiers and the Mali Army held Gao.",
        "FAMa units joined Operation Serval and French troops.",
    )
    actors = found.filter(pl.col("mention_type") == "actor")
    assert actors["entity_id"].to_list() == ["fama", "fama", "fama", "serval", "french_armed_forces"]


def test_dictionary_titled_person_found_without_dictionary(dictionary):
    found = mentions(
        dictionary,
        "“We are ready,” said Radhia Achouri, the mission’s spokeswoman.",
        "Gen. Didier Dacko told reporters the army would stay.",
    )
    persons = found.filter(pl.col("actor_type") == "person")
    assert persons["surface"].to_list() == ["Radhia Achouri", "Didier Dacko"]
    assert persons["entity_id"].null_count() == 2
    assert set(persons["match_method"]) == {"title_rule"}


def test_dictionary_apposition_role_finds_person(dictionary):
    found = mentions(
        dictionary,
        "Comfort Ero, director of the group's Africa program, spoke.",
        "Jean-Hervé Jezequel, a Sahel analyst, disagreed.",
    )
    persons = found.filter(pl.col("actor_type") == "person")["surface"].to_list()
    assert persons == ["Comfort Ero", "Jean-Hervé Jezequel"]


def test_dictionary_title_rule_never_takes_a_title_for_a_name(dictionary):
    found = mentions(
        dictionary,
        "Lt. Col. Abdoulaye Maiga spoke first.",
        "Maj. Gen. Oumar Diarra, the army chief, said nothing.",
    )
    persons = found.filter(pl.col("actor_type") == "person")["surface"].to_list()
    assert persons == ["Abdoulaye Maiga", "Oumar Diarra"]


def test_dictionary_title_rule_skips_organizations_and_function_words(dictionary):
    found = mentions(
        dictionary,
        "The Security Council said it would act; Reuters said so too.",
        "Previously, she was an editor. Yet the Mission said nothing on Monday.",
    )
    assert found.filter(pl.col("actor_type") == "person").is_empty()


def test_places_small_towns_resolve(dictionary):
    variants = {
        "Aguelhok": ["Aguelhoc", "Aguelock"],
        "Tessalit": [],
        "Ber": [],
        "Ansongo": [],
        "Ménaka": ["Menaka"],
        "Konna": [],
        "Douentza": [],
        "Sévaré": ["Sevare"],
        "Bandiagara": [],
        "Tarkint": [],
        "Anéfis": ["Anefis"],
        "Gao": [],
        "Kidal": [],
        "Timbuktu": ["Tombouctou"],
        "Mopti": [],
        "Bamako": [],
    }
    for town, spellings in variants.items():
        found = mentions(
            dictionary, *(f"Fighting was reported in {name} on Monday." for name in [town, *spellings])
        )
        places = found.filter(pl.col("mention_type") == "place")
        assert places.height == 1 + len(spellings), town
        assert places["entity_id"].n_unique() == 1, town
        assert places["country_iso3"].to_list() == ["MLI"] * places.height, town
        assert places["latitude"].null_count() == 0 and places["admin1"].null_count() == 0, town


def test_places_ambiguous_name_follows_article_country(dictionary):
    in_niger = mentions(dictionary, "Nigerien troops left Niamey.", "They camped at Boura.")
    in_mali = mentions(dictionary, "Malian troops left Bamako.", "They camped at Boura.")
    boura_niger = in_niger.filter(pl.col("surface") == "Boura")
    boura_mali = in_mali.filter(pl.col("surface") == "Boura")
    assert boura_niger["country_iso3"].to_list() == ["NER"]
    assert boura_mali["country_iso3"].to_list() == ["MLI"]
    assert boura_mali["match_method"][0].startswith("gazetteer:ambiguous:")


def test_places_ambiguous_name_follows_nearby_places(dictionary):
    places = pl.read_csv(SEEDS_DIR / "places.csv", infer_schema=False).with_columns(
        pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64)
    )
    candidates = places.filter(pl.col("name") == "Tabankort")
    assert candidates.height >= 2
    for anchor in ["Kidal", "Gao"]:
        found = mentions(dictionary, f"Rebels regrouped near {anchor}.", "Clashes followed at Tabankort.")
        anchor_row = found.filter(pl.col("surface") == anchor)
        lat, lon = anchor_row["latitude"][0], anchor_row["longitude"][0]
        nearest = candidates.sort((pl.col("latitude") - lat).pow(2) + (pl.col("longitude") - lon).pow(2))[
            "place_id"
        ][0]
        assert entity_of(found, "Tabankort") == nearest, anchor


def test_places_world_cities_resolve(dictionary):
    found = mentions(
        dictionary, "Talks moved from Paris to Dakar and Niamey.", "Envoys flew from Algiers to New York."
    )
    assert found["canonical_name"].to_list() == ["Paris", "Dakar", "Niamey", "Algiers", "New York City"]
    assert found["country_iso3"].to_list() == ["FRA", "SEN", "NER", "DZA", "USA"]


CUE_TERMS = pl.DataFrame(
    {
        "term": ["killed", "wounded", "attack", "attacked", "roadside bomb", "peacekeepers"],
        "cue_type": ["killed", "wounded", "attack_trigger", "attack_trigger", "weapon", "personnel_type"],
        "cue_value": ["killed", "wounded", "attack", "attack", "ied", "peacekeeper"],
    }
)


def _cues(*texts: str) -> pl.DataFrame:
    sentences, _, body = _frames(texts)
    found = find_cues(sentences, CUE_TERMS).collect()
    for row in found.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["surface"]
    return found


def test_cues_return_cue_schema():
    assert _cues("Two were killed.").schema == pl.Schema(CUE_SCHEMA)


def test_cues_match_case_insensitively_and_longest_first():
    found = _cues("A ROADSIDE BOMB Killed two.", "Attacked at dawn, seven Peacekeepers were wounded.")
    assert found["cue_value"].to_list() == ["ied", "killed", "attack", "peacekeeper", "wounded"]


def test_cues_match_only_listed_forms_on_word_boundaries():
    found = _cues("The attacker kills; attacks are frequent.", "Unwounded, bombs roadside.")
    assert found.is_empty()


def test_cues_read_the_seed_vocabulary():
    path = SEEDS_DIR / "cue_terms.csv"
    sentences, _, _ = _frames(
        ("Seven Senegalese peacekeepers were wounded by a roadside bomb.", "Gunmen killed two soldiers.")
    )
    found = find_cues(sentences, pl.read_csv(path)).collect()
    assert {"personnel_type", "wounded", "weapon", "killed"} <= set(found["cue_type"])


def _clean_seed_articles(corpus: Path) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Sentences and bodies of the seed articles, cleaned by the project's own ingest cleaning."""
    manifest = list(csv.DictReader((corpus / "manifest.csv").open(encoding="utf-8")))
    documents = pl.DataFrame(
        [
            {
                "article_id": row["file"],
                "original_text": (corpus / row["file"]).read_text("utf-8"),
                "title": row["title"],
            }
            for row in manifest
        ]
    )
    cleaned = clean_documents(
        documents,
        pl.read_csv(SEEDS_DIR / "boilerplate_patterns.csv"),
        pl.read_csv(SEEDS_DIR / "language_markers.csv"),
    )
    return split_sentences(pl.LazyFrame(cleaned.paragraphs)), pl.LazyFrame(cleaned.bodies)


def test_dictionary_seed_articles_find_gold_places_and_contributors(dictionary, shared_corpus):
    sentences, bodies = _clean_seed_articles(shared_corpus)
    found = find_entity_mentions(sentences, bodies, dictionary).collect()
    countries = pl.read_csv(SEEDS_DIR / "countries.csv")
    for gold_file in sorted((shared_corpus / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        article = found.filter(pl.col("article_id") == gold["article"])
        places = set(article.filter(pl.col("mention_type") == "place")["canonical_name"])
        iso3s = set(article.filter(pl.col("actor_type") == "country")["country_iso3"])
        required = [
            fact
            for kind in ("attacks", "deployments", "contributions")
            for fact in gold[kind]
            if not fact.get("optional")
        ]
        for fact in required:
            if fact.get("place"):
                assert fact["place"] in places, (gold["article"], fact["place"])
            if fact.get("contributor"):
                iso3 = countries.filter(pl.col("name") == fact["contributor"])["iso3"].to_list()
                assert iso3 and iso3[0] in iso3s, (gold["article"], fact["contributor"])


def test_dictionary_seed_articles_have_no_boilerplate_places(dictionary, shared_corpus):
    sentences, bodies = _clean_seed_articles(shared_corpus)
    found = find_entity_mentions(sentences, bodies, dictionary).collect()
    for gold_file in sorted((shared_corpus / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        article = found.filter(pl.col("article_id") == gold["article"])
        leaked = set(article["surface"]) & set(gold["boilerplate_places"])
        assert not leaked, (gold["article"], leaked)


def _seed_copy(tmp_path: Path) -> Path:
    for name in DICTIONARY_SEEDS:
        shutil.copy(SEEDS_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    return tmp_path


def test_dictionary_load_is_cached_per_process(tmp_path):
    seeds = _seed_copy(tmp_path)
    assert load_dictionary(seeds) is load_dictionary(seeds)


def test_dictionary_load_rereads_an_edited_seed(tmp_path):
    seeds = _seed_copy(tmp_path)
    before = load_dictionary(seeds)
    with (seeds / "actor_aliases.csv").open("a", encoding="utf-8") as aliases:
        aliases.write("Blue Helmet Brigade,minusma,name,false\n")
    stat = (seeds / "actor_aliases.csv").stat()
    os.utime(seeds / "actor_aliases.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_dictionary(seeds)
    assert " blue helmet brigade" in after.keys
    assert " blue helmet brigade" not in before.keys


def test_folding_changed_by_ascii_fold_flags_exactly_the_changed_texts():
    texts = [
        "Plain ASCII, with (punctuation) & digits 42.",
        "Tabs\tand\nline breaks\r stay; so does DEL \x7f.",
        "A `backtick` becomes an apostrophe.",
        "Curly ’quotes’ and “double” ones.",
        "Sévaré, Ménaka and Djenné.",
        "An emoji 🙂 and a non-breaking\u00a0space.",
        "A control \x01 character.",
        "",
    ]
    frame = pl.DataFrame({"text": texts}).select(
        changed_by_ascii_fold(pl.col("text")).alias("flagged"),
        (ascii_fold(pl.col("text")) != pl.col("text")).alias("changed"),
    )
    assert frame["flagged"].to_list() == frame["changed"].to_list()
    assert frame["flagged"].to_list() == [False, False, True, True, True, True, True, False]


def test_dictionary_parallel_parts_find_the_same_mentions_as_one_part(dictionary):
    """Above PARALLEL_MIN_SENTENCES the matcher splits articles into parts; the result must not change."""
    if pl.thread_pool_size() == 1:
        pytest.skip("one Polars thread: the matcher never splits")
    texts = [
        "Chadian troops reached Kidal on Monday.",
        "President Ibrahim Boubacar Keita said the MNLA and NMLA left Gao.",
        "Peacekeepers from Burkina Faso patrolled near Boura and Sikasso.",
        "Côte d’Ivoire sent police to Tombouctou, the spokeswoman said.",
        "Gérard Araud met the AU in Bamako.",
    ]
    per_article = 50
    articles = PARALLEL_MIN_SENTENCES // per_article + 10
    rows = [
        {
            "article_id": f"a{article:04d}",
            "sentence_no": number,
            "char_start": number * 100,
            "char_end": number * 100 + len(texts[(article + number) % len(texts)]),
            "text": texts[(article + number) % len(texts)],
            "language": "en",
        }
        for article in range(articles)
        for number in range(per_article)
    ]
    sentences = pl.DataFrame(rows)
    ids = pl.DataFrame({"article_id": sorted({row["article_id"] for row in rows})})
    whole = find_entity_mentions(sentences.lazy(), ids.lazy(), dictionary).collect()
    halves = [ids.head(articles // 2), ids.tail(articles - articles // 2)]
    assert all(half.height * per_article < PARALLEL_MIN_SENTENCES for half in halves)
    pieces = pl.concat(
        [find_entity_mentions(sentences.lazy(), half.lazy(), dictionary).collect() for half in halves]
    )
    assert whole.height > articles * per_article
    assert whole.equals(pieces)
