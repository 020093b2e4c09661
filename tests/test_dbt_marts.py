"""dbt marts: a real `dbt build` on a temporary warehouse whose raw tables hold literal rows.

The articles below are written for these tests (no third-party text). Sentences, mentions and dates
are literal rows in the raw contract shape; cue words come from the real matcher over the real
`cue_terms.csv` seed and the claims (casualty, attack, figure, deployment, contribution) from the
real claim extractors over those rows, so the vocabulary and the claim rules are tested together with
the assembly.
"""

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.dbt_project import dbt_args
from orchestration.extract.article import Reference, attack_claim_tables, force_claim_tables
from orchestration.extract.dictionary import find_cues
from orchestration.extract.schema import MENTION_SCHEMA, SENTENCE_SCHEMA, conform
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT, SEEDS_DIR, TELEMETRY_OFF, Settings
from orchestration.warehouse.raw import ensure_raw_schema

pytestmark = pytest.mark.slow

DBT = Path(sys.executable).with_name("dbt")


@dataclass
class Article:
    """A test article: paragraphs of sentences; the body joins sentences by ' ', paragraphs by blank lines."""

    article_id: str
    published: date | None
    paragraphs: list[list[str]]
    mentions: list[tuple] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(" ".join(paragraph) for paragraph in self.paragraphs)

    def sentence_rows(self) -> list[dict]:
        rows, offset, number = [], 0, 0
        for paragraph_no, paragraph in enumerate(self.paragraphs):
            for sentence in paragraph:
                rows.append(
                    {
                        "article_id": self.article_id,
                        "paragraph_no": paragraph_no,
                        "sentence_no": number,
                        "char_start": offset,
                        "char_end": offset + len(sentence),
                        "text": sentence,
                        "is_caption": False,
                        "language": "en",
                    }
                )
                offset += len(sentence) + 1
                number += 1
            offset += 1  # the second newline between paragraphs (the first replaced the space)
        return rows

    def mention_rows(self) -> list[dict]:
        """Mentions given as (surface, mention_type, attributes, occurrence) located in the body."""
        body, sentences, rows = self.body, self.sentence_rows(), []
        for surface, mention_type, attributes, *occurrence in self.mentions:
            start = -1
            for _ in range((occurrence or [0])[0] + 1):
                start = body.index(surface, start + 1)
            sentence = next(s for s in sentences if s["char_start"] <= start < s["char_end"])
            rows.append(
                dict(
                    mention_id=f"{self.article_id}:{start}:{mention_type}",
                    article_id=self.article_id,
                    sentence_no=sentence["sentence_no"],
                    char_start=start,
                    char_end=start + len(surface),
                    surface=surface,
                    mention_type=mention_type,
                    match_method="dictionary",
                    **attributes,
                )
            )
        return rows


def country(iso3: str, name: str) -> dict:
    return {
        "entity_id": f"country:{iso3}",
        "canonical_name": name,
        "actor_type": "country",
        "country_iso3": iso3,
    }


def actor(actor_id: str, name: str, actor_type: str, iso3: str | None = None) -> dict:
    return {"entity_id": actor_id, "canonical_name": name, "actor_type": actor_type, "country_iso3": iso3}


def place(place_id: str, name: str, lat: float, lon: float, admin1: str) -> dict:
    return {
        "entity_id": place_id,
        "canonical_name": name,
        "country_iso3": "MLI",
        "latitude": lat,
        "longitude": lon,
        "admin1": admin1,
        "place_type": "town",
    }


def figure(
    best: float,
    unit: str | None,
    low: float | None = None,
    high: float | None = None,
    qualifier: str = "exact",
) -> dict:
    low = best if low is None and qualifier == "exact" else low
    high = best if high is None and qualifier == "exact" else high
    return {"value_low": low, "value_best": best, "value_high": high, "qualifier": qualifier, "unit": unit}


def day(value: str, precision: str = "day", end: str | None = None) -> dict:
    return {
        "resolved_date": date.fromisoformat(value),
        "date_precision": precision,
        "date_end": date.fromisoformat(end) if end else None,
    }


MINUSMA = actor("minusma", "MINUSMA", "un_mission", "MLI")
AGUELHOK = place("osm:aguelhok", "Aguelhok", 19.46, 0.86, "Kidal")
GAO = place("osm:gao", "Gao", 16.27, -0.04, "Gao")
TIMBUKTU = place("osm:timbuktu", "Timbuktu", 16.77, -3.0, "Tombouctou")
MENAKA = place("osm:menaka", "Ménaka", 15.92, 2.4, "Ménaka")
DOUENTZA = place("osm:douentza", "Douentza", 15.0, -2.95, "Mopti")
ANSONGO = place("osm:ansongo", "Ansongo", 15.66, 0.5, "Gao")
KONNA = place("osm:konna", "Konna", 14.95, -3.89, "Mopti")
TESSALIT = place("osm:tessalit", "Tessalit", 20.2, 1.01, "Kidal")
LERE = place("osm:lere", "Léré", 15.71, -4.91, "Tombouctou")
KIDAL = place("osm:kidal", "Kidal", 18.44, 1.41, "Kidal")
BOUREM = place("osm:bourem", "Bourem", 16.95, -0.35, "Gao")
DIABALY = place("osm:diabaly", "Diabaly", 14.68, -6.02, "Ségou")
NIONO = place("osm:niono", "Niono", 14.25, -5.99, "Ségou")
NAMPALA = place("osm:nampala", "Nampala", 15.28, -5.55, "Ségou")
SAHEL = {**place("feature:sahel", "Sahel", 15.0, 0.0, ""), "place_type": "region", "admin1": None}
BARKHANE = actor("barkhane", "Operation Barkhane", "international_force", "FRA")

ARTICLES = [
    Article(
        "a000000000000001",
        date(2016, 5, 20),
        [
            [
                (
                    "Militants attacked a MINUSMA camp in Aguelhok on May 18, killing a Guinean peacekeeper "
                    "and wounding three others."
                ),
                "Rockets and mortars struck the camp during the assault.",
            ],
            [
                "One soldier was killed, as were two children, when a roadside bomb exploded near Gao on May 10."
            ],
            ["MINUSMA has lost 56 peacekeepers since 2013."],
            [
                "Jihadists fired more than 30 rockets at the airport of Timbuktu on May 15, injuring two civilians.",
                "Two more civilians were hurt.",
            ],
            ["Senegalese troops are stationed in Ménaka."],
            ["In 2013, Malian soldiers fought hard in Konna."],
            [
                "Niger has sent about 850 troops to MINUSMA.",
                "The mission has an authorized limit of about 12,600 troops.",
            ],
        ],
        [
            ("MINUSMA", "actor", MINUSMA, 0),
            ("Aguelhok", "place", AGUELHOK),
            ("May 18", "date", day("2016-05-18")),
            ("a Guinean peacekeeper", "figure", figure(1, "peacekeeper")),
            ("Guinean", "actor", country("GIN", "Guinea")),
            ("three others", "figure", figure(3, "other")),
            ("One soldier", "figure", figure(1, "soldier")),
            ("two children", "figure", figure(2, "child")),
            ("Gao", "place", GAO),
            ("May 10", "date", day("2016-05-10")),
            ("MINUSMA", "actor", MINUSMA, 1),
            ("56 peacekeepers", "figure", figure(56, "peacekeeper")),
            ("2013", "date", day("2013-01-01", "year", "2013-12-31"), 0),
            ("more than 30 rockets", "figure", figure(31, "rocket", low=31, qualifier="more_than")),
            ("Timbuktu", "place", TIMBUKTU),
            ("May 15", "date", day("2016-05-15")),
            ("two civilians", "figure", figure(2, "civilian")),
            ("Two more civilians", "figure", figure(2, "civilian")),
            ("Senegalese", "actor", country("SEN", "Senegal")),
            ("Ménaka", "place", MENAKA),
            ("2013", "date", day("2013-01-01", "year", "2013-12-31"), 1),
            ("Malian", "actor", country("MLI", "Mali")),
            ("Konna", "place", KONNA),
            ("Niger", "actor", country("NER", "Niger")),
            ("about 850 troops", "figure", figure(850, "troop", 765, 935, "approx")),
            ("MINUSMA", "actor", MINUSMA, 2),
            ("about 12,600 troops", "figure", figure(12600, "troop", 11340, 13860, "approx")),
        ],
    ),
    Article(
        "b000000000000002",
        date(2016, 5, 19),
        [
            [
                "A suicide bomber struck the UN camp in Aguelhok on May 18.",
                "Two Guinean peacekeepers died and four others were hurt, officials said.",
            ],
        ],
        [
            ("Aguelhok", "place", AGUELHOK),
            ("May 18", "date", day("2016-05-18")),
            ("Two Guinean peacekeepers", "figure", figure(2, "peacekeeper")),
            ("Guinean", "actor", country("GIN", "Guinea")),
            ("four others", "figure", figure(4, "other")),
        ],
    ),
    Article(
        "c000000000000003",
        date(2016, 6, 4),
        [
            [
                "Gunmen ambushed a convoy near Douentza on June 1, killing four soldiers.",
                "The toll later rose to six soldiers as two more died of their wounds.",
                "Ansar Dine claimed responsibility.",
            ],
            [
                "Suspected MUJAO fighters ambushed a patrol near Ansongo on June 3, wounding two Nigerien soldiers."
            ],
        ],
        [
            ("Douentza", "place", DOUENTZA),
            ("June 1", "date", day("2016-06-01")),
            ("four soldiers", "figure", figure(4, "soldier")),
            ("six soldiers", "figure", figure(6, "soldier")),
            ("Ansar Dine", "actor", actor("ansar_dine", "Ansar Dine", "armed_group")),
            ("MUJAO", "actor", actor("mujao", "MUJAO", "armed_group")),
            ("Ansongo", "place", ANSONGO),
            ("June 3", "date", day("2016-06-03")),
            ("two Nigerien soldiers", "figure", figure(2, "soldier")),
            ("Nigerien", "actor", country("NER", "Niger")),
        ],
    ),
    Article(
        "d000000000000004",
        date(2016, 7, 3),
        [
            ["Government forces counterattacked on June 8, a day after gunmen raided Tessalit."],
            ["On July 2, one day after militants shelled Léré, the army sent reinforcements."],
            ["Chadian troops are stationed in Tessalit alongside Malian soldiers."],
            ["Barkhane units in Chad, Niger and Mauritania number about 3,000 troops."],
            ["Malian troops fled Tessalit in 2012."],
            ["Insurgents ambushed a patrol near Kidal, wounding three soldiers."],
            ["On June 20, a supply convoy left Gao.", "It was ambushed near Bourem in the afternoon."],
            ["Togo contributes about 900 troops to MINUSMA.", "Its battalion is based in Douentza."],
        ],
        [
            ("June 8", "date", day("2016-06-08")),
            ("a day after", "date", day("2016-06-07")),  # offsets as the date extractor resolves them
            ("Tessalit", "place", TESSALIT, 0),
            ("July 2", "date", day("2016-07-02")),
            ("one day after", "date", day("2016-07-01")),
            ("Léré", "place", LERE),
            ("Chadian", "actor", country("TCD", "Chad")),
            ("Tessalit", "place", TESSALIT, 1),
            ("Malian", "actor", country("MLI", "Mali"), 0),
            ("Barkhane", "actor", BARKHANE),
            ("Chad", "actor", country("TCD", "Chad"), 1),
            ("Niger", "actor", country("NER", "Niger")),
            ("Mauritania", "actor", country("MRT", "Mauritania")),
            ("about 3,000 troops", "figure", figure(3000, "troop", 2700, 3300, "approx")),
            ("Malian", "actor", country("MLI", "Mali"), 1),
            ("Tessalit", "place", TESSALIT, 2),
            ("2012", "date", day("2012-01-01", "year", "2012-12-31")),
            ("Kidal", "place", KIDAL),
            ("three soldiers", "figure", figure(3, "soldier")),
            ("June 20", "date", day("2016-06-20")),
            ("Gao", "place", GAO),
            ("Bourem", "place", BOUREM),
            ("Togo", "actor", country("TGO", "Togo")),
            ("about 900 troops", "figure", figure(900, "troop", 810, 990, "approx")),
            ("MINUSMA", "actor", MINUSMA),
            ("Douentza", "place", DOUENTZA),
        ],
    ),
    Article(
        "e000000000000005",
        date(2016, 7, 7),
        [
            ["Militants stormed a police post in Diabaly on July 4."],
            ["Two gendarmes were killed, officials said."],
            ["Mortar fire hits army camp in Niono"],
            ["Mortar shells struck the army camp in Niono on July 5, wounding four soldiers."],
            ["In the Sahel, gunmen attacked a checkpoint near Nampala on July 6."],
        ],
        [
            ("Diabaly", "place", DIABALY),
            ("July 4", "date", day("2016-07-04")),
            ("Two gendarmes", "figure", figure(2, "gendarme")),
            ("Niono", "place", NIONO, 0),
            ("Niono", "place", NIONO, 1),
            ("July 5", "date", day("2016-07-05")),
            ("four soldiers", "figure", figure(4, "soldier")),
            ("Sahel", "place", SAHEL),
            ("Nampala", "place", NAMPALA),
            ("July 6", "date", day("2016-07-06")),
        ],
    ),
]


def _write_raw(warehouse: Path, articles_written: list[Article]) -> None:
    sentences = conform(
        pl.LazyFrame([row for a in articles_written for row in a.sentence_rows()]), SENTENCE_SCHEMA
    )
    mentions = conform(
        pl.LazyFrame([row for a in articles_written for row in a.mention_rows()], infer_schema_length=None),
        MENTION_SCHEMA,
    ).collect()
    cues = find_cues(sentences, pl.read_csv(SEEDS_DIR / "cue_terms.csv", infer_schema=False)).collect()
    sentences = sentences.collect()
    paragraphs = sentences.group_by("article_id", "paragraph_no").agg(
        pl.col("char_start").min(),
        pl.col("char_end").max(),
        pl.col("text").str.join(" "),
        pl.col("is_caption").first(),
        pl.col("language").first(),
    )
    now = datetime(2016, 6, 3, 12, 0)
    articles = pl.DataFrame(
        [
            {
                "article_id": a.article_id,
                "version_no": 1,
                "source_path": f"{a.article_id}.txt",
                "source_format": "txt",
                "title": f"Test article {a.article_id}",
                "url": None,
                "source": "test",
                "published_date": a.published,
                "published_precision": "day" if a.published else "unknown",
                "published_source": "metadata" if a.published else "unknown",
                "metadata_origin": None,
                "encoding": "utf-8",
                "original_text": a.body,
                "body": a.body,
                "content_sha256": a.article_id,
                "char_count": len(a.body),
                "cleaning_version": "test",
                "is_current": True,
                "superseded_by": None,
                "superseded_at": None,
                "ingested_at": now,
            }
            for a in articles_written
        ]
    )
    reference = Reference.load(SEEDS_DIR)
    claims = {
        **attack_claim_tables(
            articles.select("article_id", "body", "published_date", "published_precision"),
            sentences,
            mentions,
            cues,
            reference.claim_vocabulary,
        ),
        **force_claim_tables(articles, sentences, mentions, cues, reference),
    }
    with duckdb.connect(str(warehouse)) as con:
        ensure_raw_schema(con)
        for table, frame in [
            ("articles", articles),
            ("paragraphs", paragraphs),
            ("sentences", sentences),
            ("mentions", mentions),
            ("cues", cues),
            *claims.items(),
        ]:
            con.register("frame", frame)
            con.execute(f"insert into raw.{table} by name select * from frame")
            con.unregister("frame")


def build_marts(directory: Path, articles_written: list[Article]) -> Path:
    """A warehouse in `directory` with the articles' literal raw rows, after a full `dbt build`."""
    warehouse = directory / "bluehelm.duckdb"
    _write_raw(warehouse, articles_written)
    result = subprocess.run(
        [
            str(DBT),
            *dbt_args(Settings.from_env(warehouse=warehouse), "build"),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(directory / "target"),
        ],
        check=False,
        cwd=PROJECT_ROOT,
        env={**os.environ, **TELEMETRY_OFF},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return warehouse


@pytest.fixture(scope="module")
def marts(dagster_run) -> Path:
    """A warehouse with the literal raw rows above, after a full `dbt build` (models, seeds, tests) run
    by Dagster (`dagster_run`: one build serves both the SQL rules and the Dagster wiring)."""
    _, result, warehouse = dagster_run
    assert result.success, "dbt build of the literal rows failed"
    return warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def attack_at(warehouse: Path, place_name: str) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.fct_attacks where place_name = ?", [place_name])
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0]))


def test_attack_casualties_other_takes_previous_unit_and_own_cue(marts):
    attack = attack_at(marts, "Aguelhok")
    assert (attack["killed_low"], attack["killed_high"], attack["wounded_low"], attack["wounded_high"]) == (
        1,
        2,
        3,
        4,
    )


def test_attack_victim_nationality_from_adjacent_demonym(marts):
    assert attack_at(marts, "Aguelhok")["victim_nationalities"] == ["GIN"]


def test_attack_same_place_and_day_in_two_articles_is_one_attack(marts):
    attack = attack_at(marts, "Aguelhok")
    assert attack["source_count"] == 2
    sources = query(
        marts, f"select count(*) from marts.fct_attack_sources where attack_id = '{attack['attack_id']}'"
    )
    assert sources == [(2,)]


def test_attack_best_count_comes_from_latest_source(marts):
    attack = attack_at(marts, "Aguelhok")
    assert (attack["killed_best"], attack["wounded_best"]) == (1, 3)


def test_attack_details_from_neighbouring_sentences_join_incident(marts):
    attack = attack_at(marts, "Aguelhok")
    assert {"rocket", "mortar", "suicide_bomber"} <= set(attack["weapons"])


def test_attack_as_were_adds_to_previous_casualty_cue(marts):
    attack = attack_at(marts, "Gao")
    assert (attack["killed_best"], attack["event_date"]) == (3, date(2016, 5, 10))
    assert attack["weapons"] == ["ied"]


def test_attack_munitions_are_not_casualties(marts):
    attack = attack_at(marts, "Timbuktu")
    counts = [
        attack[f"{kind}_{bound}"] for kind in ("killed", "wounded") for bound in ("low", "best", "high")
    ]
    assert attack["killed_best"] == 0 and 31 not in counts


def test_attack_more_adds_to_the_previous_count(marts):
    assert attack_at(marts, "Timbuktu")["wounded_best"] == 4


def test_attack_latest_stated_toll_wins_within_article(marts):
    attack = attack_at(marts, "Douentza")
    assert attack["killed_best"] == 6


def test_attack_claimed_and_suspected_perpetrators_kept_apart(marts):
    assert attack_at(marts, "Douentza")["perpetrator_attribution"] == "claimed"
    ansongo = attack_at(marts, "Ansongo")
    assert (ansongo["perpetrator_name"], ansongo["perpetrator_attribution"]) == ("MUJAO", "suspected")


def test_attack_aggregate_statement_goes_to_figures(marts):
    assert query(marts, "select count(*) from marts.fct_attacks where killed_best = 56") == [(0,)]
    rows = query(
        marts,
        "select measure, subject_actor_id, period_start, period_end from marts.fct_figures "
        "where value_best = 56",
    )
    assert rows == [("killed", "minusma", date(2013, 1, 1), date(2016, 5, 20))]


def test_figure_authorized_limit_is_authorized_strength(marts):
    assert query(marts, "select measure from marts.fct_figures where value_best = 12600") == [
        ("authorized_strength",)
    ]


def test_attack_count_is_exact(marts):
    places = query(marts, "select place_name from marts.fct_attacks order by place_name")
    assert places == [
        ("Aguelhok",),
        ("Ansongo",),
        ("Bourem",),
        ("Diabaly",),
        ("Douentza",),
        ("Gao",),
        ("Kidal",),
        ("Léré",),
        ("Nampala",),
        ("Niono",),
        ("Tessalit",),
        ("Timbuktu",),
    ]


def test_attack_a_day_after_a_dated_event_is_the_day_before(marts):
    assert attack_at(marts, "Tessalit")["event_date"] == date(2016, 6, 7)
    assert attack_at(marts, "Léré")["event_date"] == date(2016, 7, 1)


def test_attack_without_a_date_in_the_text_has_unknown_date(marts):
    attack = attack_at(marts, "Kidal")
    assert (attack["event_date"], attack["date_precision"], attack["wounded_best"]) == (None, "unknown", 3)


def test_attack_date_from_the_sentence_before_when_none_inside(marts):
    attack = attack_at(marts, "Bourem")
    assert (attack["event_date"], attack["date_precision"]) == (date(2016, 6, 20), "day")


def test_attack_placeless_dateless_next_paragraph_continues_the_incident(marts):
    attack = attack_at(marts, "Diabaly")
    assert (attack["killed_best"], attack["event_date"]) == (2, date(2016, 7, 4))


def test_attack_headline_and_body_of_one_article_are_one_attack(marts):
    attack = attack_at(marts, "Niono")
    assert (attack["event_date"], attack["wounded_best"], attack["source_count"]) == (date(2016, 7, 5), 4, 1)
    assert attack["evidence_text"].startswith("Mortar shells struck")
    sources = query(
        marts,
        f"select incident_count from marts.fct_attack_sources where attack_id = '{attack['attack_id']}'",
    )
    assert sources == [(2,)]


def test_attack_town_preferred_over_broad_region(marts):
    assert attack_at(marts, "Nampala")["target"] == "checkpoint"
    assert query(marts, "select count(*) from marts.fct_attacks where place_name = 'Sahel'") == [(0,)]


def test_deployment_needs_a_contingent_placed_somewhere(marts):
    rows = query(
        marts,
        "select contributor_iso3, place_name, as_of_date_source from marts.fct_deployments "
        "where place_name <> 'Douentza' order by contributor_iso3",
    )
    assert rows == [("SEN", "Ménaka", "publication"), ("TCD", "Tessalit", "publication")]


def test_deployment_contributor_from_previous_sentence_of_paragraph(marts):
    rows = query(marts, "select contributor_iso3 from marts.fct_deployments where place_name = 'Douentza'")
    assert rows == [("TGO",)]


def test_contribution_country_listed_as_location_is_not_a_contributor(marts):
    rows = query(
        marts,
        "select contributor_iso3 from marts.fct_contributions where contributor_iso3 in ('NER', 'MRT') "
        "and article_id = 'd000000000000004'",
    )
    assert rows == []


def test_contribution_keeps_personnel_bounds(marts):
    rows = query(
        marts,
        "select contributor_iso3, mission_actor_id, personnel_low, personnel_best, personnel_high "
        "from marts.fct_contributions where contributor_iso3 = 'NER'",
    )
    assert rows == [("NER", "minusma", 765, 850, 935)]


def test_attack_ids_are_stable_md5_of_natural_keys(marts):
    (attack_id,) = query(marts, "select attack_id from marts.fct_attacks where place_name = 'Aguelhok'")[0]
    (expected,) = query(marts, "select md5(concat_ws('|', 'attack', 'osm:aguelhok', '2016-05-18'))")[0]
    assert attack_id == expected


def test_every_fact_carries_evidence_that_matches_the_body(marts):
    for table in ("fct_attacks", "fct_deployments", "fct_contributions", "fct_figures"):
        rows = query(
            marts,
            f"select count(*) from marts.{table} f join staging.stg_raw__articles a "
            f"using (article_id) where substr(a.body, f.char_start + 1, f.char_end - f.char_start) "
            f"<> f.evidence_text",
        )
        assert rows == [(0,)], table


@pytest.fixture(scope="module")
def dagster_run(tmp_path_factory):
    """A real Dagster materialize() of the dbt assets on a fresh warehouse holding the literal raw rows:
    (assets, result, warehouse)."""
    import dagster as dg

    from orchestration.defs.assemble import build_dbt_assets, dbt_resource
    from orchestration.defs.resources import WarehouseResource

    warehouse = tmp_path_factory.mktemp("dagster_dbt") / "bluehelm.duckdb"
    _write_raw(warehouse, ARTICLES)
    assets = build_dbt_assets()
    result = dg.materialize(
        [assets],
        resources={"dbt": dbt_resource(), "warehouse": WarehouseResource(Settings.from_env(warehouse=warehouse))},
        raise_on_error=False,
    )
    return assets, result, warehouse


def test_dbt_assets_key_models_by_schema_and_sources_by_meta(dagster_run):
    assets, _, _ = dagster_run
    keys = {key.to_user_string() for key in assets.keys}
    assert {"marts/fct_attacks", "marts/dim_actors", "staging/stg_raw__mentions", "seeds/cue_terms"} <= keys
    upstream = {key.to_user_string() for key in assets.dependency_keys}
    assert {"raw/articles", "raw/sentences", "raw/mentions", "raw/cues"} <= upstream


def test_dbt_assets_materialize_with_row_counts(dagster_run):
    import dagster as dg

    _, result, _ = dagster_run
    assert result.success
    observations = [
        event.event_specific_data.asset_observation
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.ASSET_OBSERVATION
    ]
    counts = {
        observation.asset_key.to_user_string(): observation.metadata["dagster/row_count"].value
        for observation in observations
        if "dagster/row_count" in observation.metadata
    }
    assert (counts["marts/fct_attacks"], counts["marts/dim_articles"]) == (12, 5)
