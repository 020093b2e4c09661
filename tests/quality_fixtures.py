"""Literal marts (shaped per issue 3), raw articles and seeds for the quality-gate and publish tests.

The article text is written for these tests; it is not taken from any real article.
"""

from pathlib import Path

import duckdb

SENTENCES_A = (
    (
        "On Jan. 17, a suicide bomber drove a car into the UN camp in Kidal, killing a Chadian peacekeeper "
        "and wounding four others."
    ),
    "Chad keeps an infantry battalion of about 1,400 troops in Tessalit.",
    "Some 34 peacekeepers have been killed in Mali since 2013.",
)
SENTENCES_B = (
    "Rockets hit the airstrip at Gao on Feb. 3, wounding two Senegalese soldiers.",
    "Senegal contributes roughly 850 troops to MINUSMA.",
)
BODY_A = " ".join(SENTENCES_A)
BODY_B = " ".join(SENTENCES_B)


def _evidence(body: str, sentence: str) -> str:
    """SQL literals `evidence_text, char_start, char_end` for a sentence of `body`."""
    start = body.index(sentence)
    return f"$${sentence}$$, {start}, {start + len(sentence)}"


SEEDS = {
    "weapons.csv": "weapon,description\nsuicide_vehicle,vehicle driven by a suicide bomber\n"
    "rocket,rocket fire\nied,improvised explosive device\nsmall_arms,rifles and machine guns\n",
    "targets.csv": "target,description\ncamp,a base\nairstrip,an airfield\nconvoy,vehicles on the move\n",
    "unit_types.csv": "unit_type,description\ninfantry_battalion,battalion of infantry\n"
    "helicopter_unit,helicopters and crews\n",
    "measures.csv": "measure,description\npeacekeepers_killed,peacekeepers killed over a period\n"
    "authorized_troops,authorized troop ceiling\n",
    "places.csv": "place_id,name,country_iso3,latitude,longitude\n"
    "kidal,Kidal,MLI,18.4411,1.4078\ntessalit,Tessalit,MLI,20.2011,1.0114\n"
    "gao,Gao,MLI,16.2717,-0.0447\nbamako,Bamako,MLI,12.6392,-8.0029\n"
    "kayes,Kayes,MLI,14.4469,-11.4450\nmenaka,Menaka,MLI,15.9182,2.4022\n"
    "niamey,Niamey,NER,13.5116,2.1254\nagadez,Agadez,NER,16.9742,7.9865\n",
}

MARTS_SQL = f"""
CREATE SCHEMA raw;
CREATE SCHEMA marts;
CREATE TABLE raw.articles AS SELECT * FROM (VALUES
    ('a1', 1, TRUE, DATE '2015-01-20', 'day', $${BODY_A}$$),
    ('a2', 1, TRUE, DATE '2015-02-01', 'month', $${BODY_B}$$)
) t(article_id, version_no, is_current, published_date, published_precision, body);
CREATE TABLE marts.fct_attacks AS SELECT * FROM (VALUES
    ('att1', DATE '2015-01-17', 'day', 'kidal', 'Kidal', 'Kidal', 'MLI', 18.4411, 1.4078,
     NULL, NULL, 'camp', ['TCD'], 1, 1, 1, 4, 4, 4, ['suicide_vehicle'], 1,
     'a1', 0, {_evidence(BODY_A, SENTENCES_A[0])}),
    ('att2', DATE '2015-02-03', 'day', 'gao', 'Gao', 'Gao', 'MLI', 16.2717, -0.0447,
     NULL, NULL, 'airstrip', ['SEN'], 0, 0, 0, 2, 2, 2, ['rocket'], 1,
     'a2', 0, {_evidence(BODY_B, SENTENCES_B[0])})
) t(attack_id, event_date, date_precision, place_id, place_name, admin1, country_iso3, latitude, longitude,
    perpetrator_actor_id, perpetrator_name, target, victim_nationalities, killed_low, killed_best,
    killed_high, wounded_low, wounded_best, wounded_high, weapons, source_count,
    article_id, sentence_no, evidence_text, char_start, char_end);
CREATE TABLE marts.fct_attack_sources AS SELECT attack_id, article_id, sentence_no, evidence_text,
    char_start, char_end FROM marts.fct_attacks;
CREATE TABLE marts.fct_deployments AS SELECT * FROM (VALUES
    ('dep1', 'TCD', 'Chad', 'MINUSMA', 'infantry_battalion', 'tessalit', 'Tessalit', 'Kidal', 'MLI',
     20.2011, 1.0114, 1300, 1400, 1500, DATE '2015-01-20', 'day',
     'a1', 1, {_evidence(BODY_A, SENTENCES_A[1])})
) t(deployment_id, contributor_iso3, contributor_name, mission, unit_type, place_id, place_name, admin1,
    country_iso3, latitude, longitude, personnel_low, personnel_best, personnel_high, as_of_date,
    date_precision, article_id, sentence_no, evidence_text, char_start, char_end);
CREATE TABLE marts.fct_contributions AS SELECT * FROM (VALUES
    ('con1', 'SEN', 'Senegal', 'MINUSMA', 800, 850, 900, 'troops', DATE '2015-02-01', 'month',
     'a2', 1, {_evidence(BODY_B, SENTENCES_B[1])})
) t(contribution_id, contributor_iso3, contributor_name, mission, personnel_low, personnel_best,
    personnel_high, personnel_type, as_of_date, date_precision,
    article_id, sentence_no, evidence_text, char_start, char_end);
CREATE TABLE marts.fct_figures AS SELECT * FROM (VALUES
    ('fig1', 'peacekeepers_killed', 'minusma', 34, 34, 34, 'approx', DATE '2013-01-01', DATE '2015-01-20',
     'a1', 2, {_evidence(BODY_A, SENTENCES_A[2])})
) t(figure_id, measure, subject_actor_id, value_low, value_best, value_high, qualifier, period_start,
    period_end, article_id, sentence_no, evidence_text, char_start, char_end);
CREATE TABLE marts.dim_places AS SELECT * FROM (VALUES
    ('kidal', 'Kidal', 'Kidal', 'MLI', 18.4411, 1.4078),
    ('tessalit', 'Tessalit', 'Kidal', 'MLI', 20.2011, 1.0114),
    ('gao', 'Gao', 'Gao', 'MLI', 16.2717, -0.0447)
) t(place_id, place_name, admin1, country_iso3, latitude, longitude);
ALTER TABLE marts.fct_attacks ADD COLUMN confidence DOUBLE DEFAULT 0.9;
ALTER TABLE marts.fct_attack_sources ADD COLUMN confidence DOUBLE DEFAULT 0.9;
ALTER TABLE marts.fct_deployments ADD COLUMN confidence DOUBLE DEFAULT 0.7;
ALTER TABLE marts.fct_contributions ADD COLUMN confidence DOUBLE DEFAULT 0.8;
ALTER TABLE marts.fct_figures ADD COLUMN confidence DOUBLE DEFAULT 0.6;
"""


def write_seeds(seeds_dir: Path) -> Path:
    """Write the vocabulary and places seeds into `seeds_dir` and return it."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for name, text in SEEDS.items():
        (seeds_dir / name).write_text(text)
    return seeds_dir


def build_warehouse(path: Path, *statements: str) -> Path:
    """A DuckDB file with raw.articles and the good marts, then `statements` applied (mutations)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(MARTS_SQL)
        for statement in statements:
            con.execute(statement)
    return path
