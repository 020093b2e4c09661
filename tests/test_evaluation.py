"""Evaluator tests on a real DuckDB file holding the mart columns of issue 3 with literal rows."""

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.evaluation import EvaluationError, evaluate, format_report, write_report

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GOLD_DIRS = (PROJECT_ROOT / "tests" / "gold" / "sample", PROJECT_ROOT / "tests" / "eval" / "gold")
GOLD_ARTICLE_DIRS = {
    GOLD_DIRS[0]: PROJECT_ROOT / "raw",
    GOLD_DIRS[1]: PROJECT_ROOT / "tests" / "eval" / "articles",
}

MART_DDL = """
create schema raw;
create schema marts;
create table raw.articles (
    article_id varchar, version_no int, source_path varchar, source_format varchar, title varchar,
    url varchar, source varchar, published_date date, published_precision varchar, is_current boolean);
create table marts.fct_attacks (
    attack_id varchar, event_date date, date_precision varchar, place_id varchar, place_name varchar,
    admin1 varchar, country_iso3 varchar, latitude double, longitude double, perpetrator_actor_id varchar,
    perpetrator_name varchar, target varchar, victim_nationalities varchar[], killed_low double,
    killed_best double, killed_high double, wounded_low double, wounded_best double, wounded_high double,
    weapons varchar[], source_count int, article_id varchar, sentence_no int, evidence_text varchar,
    char_start int, char_end int, confidence double);
create table marts.fct_attack_sources (
    attack_id varchar, article_id varchar, killed_best double, wounded_best double, sentence_no int,
    evidence_text varchar, char_start int, char_end int);
create table marts.fct_deployments (
    deployment_id varchar, contributor_iso3 varchar, contributor_name varchar, mission varchar,
    unit_type varchar, place_id varchar, place_name varchar, admin1 varchar, country_iso3 varchar,
    latitude double, longitude double, personnel_low double, personnel_best double,
    personnel_high double, as_of_date date, date_precision varchar, article_id varchar, sentence_no int,
    evidence_text varchar, char_start int, char_end int, confidence double);
create table marts.fct_contributions (
    contribution_id varchar, contributor_iso3 varchar, contributor_name varchar, mission varchar,
    personnel_low double, personnel_best double, personnel_high double, personnel_type varchar,
    assets varchar[], as_of_date date, date_precision varchar, article_id varchar, sentence_no int,
    evidence_text varchar, char_start int, char_end int, confidence double);
"""

GOLD = {
    "article": "menaka.txt",
    "published": "2014-10-03",
    "attacks": [
        {"date": "2014-10-03", "place": "Ménaka", "killed": 9, "wounded": 2, "quote": "Nine peacekeepers"},
        {"optional": True, "date": "2014-09", "place": "Gao", "killed": None, "wounded": None, "quote": "x"},
    ],
    "deployments": [
        {"contributor": "Niger", "mission": "MINUSMA", "place": "Ansongo", "count": 850, "quote": "q"},
        {"optional": True, "contributor": "Chad", "mission": "MINUSMA", "place": "Kidal", "quote": "q"},
    ],
    "contributions": [
        {"contributor": "Niger", "mission": "MINUSMA", "personnel": 850, "quote": "q"},
        {"contributor": "Nigeria", "mission": "MINUSMA", "personnel": 140, "quote": "q"},
    ],
}
JSONL_GOLD = {
    "article": "briefs.jsonl#rec-2",
    "published": "2019-04-05",
    "attacks": [{"date": "2019-04", "place": "Ber", "killed": 0, "wounded": 3, "quote": "q"}],
    "deployments": [],
    "contributions": [],
}

ARTICLES = [
    (
        "a1",
        1,
        "menaka.txt",
        "txt",
        "Menaka",
        "https://x.example/menaka",
        "W",
        dt.date(2014, 10, 3),
        "day",
        True,
    ),
    (
        "j1",
        1,
        "briefs.jsonl#L1",
        "jsonl",
        "Other",
        "https://x.example/1",
        "W",
        dt.date(2019, 1, 21),
        "day",
        True,
    ),
    (
        "j2",
        1,
        "briefs.jsonl#L2",
        "jsonl",
        "Ber",
        "https://x.example/2",
        "W",
        dt.date(2019, 4, 5),
        "day",
        True,
    ),
]


def attack(attack_id, article_id, date, place, killed, wounded):
    return {
        "attack_id": attack_id,
        "event_date": date,
        "date_precision": "day",
        "place_name": place,
        "killed_best": killed,
        "wounded_best": wounded,
        "article_id": article_id,
        "evidence_text": f"{place} attack",
    }


def deployment(
    deployment_id, article_id, iso3, name, place, personnel=None, mission="MINUSMA", unit_type=None
):
    return {
        "deployment_id": deployment_id,
        "unit_type": unit_type,
        "contributor_iso3": iso3,
        "contributor_name": name,
        "mission": mission,
        "place_name": place,
        "personnel_best": personnel,
        "article_id": article_id,
        "evidence_text": "e",
    }


def contribution(contribution_id, article_id, iso3, name, personnel=None, mission="MINUSMA"):
    return {
        "contribution_id": contribution_id,
        "contributor_iso3": iso3,
        "contributor_name": name,
        "mission": mission,
        "personnel_best": personnel,
        "article_id": article_id,
        "evidence_text": "e",
    }


PERFECT = {
    "attacks": [
        attack("t1", "a1", dt.date(2014, 10, 3), "Ménaka", 9, 2),
        attack("t2", "j2", dt.date(2019, 4, 4), "Ber", None, 3),
    ],
    "deployments": [deployment("d1", "a1", "NER", "Niger", "Ansongo", 850)],
    "contributions": [
        contribution("c1", "a1", "NER", "Niger", 850),
        contribution("c2", "a1", "NGA", "Nigeria", 140),
    ],
}


def build_warehouse(path: Path, facts: dict, articles: list[tuple] = ARTICLES) -> Path:
    """A DuckDB file with raw.articles and the four marts the evaluator reads, filled with `facts`."""
    with duckdb.connect(str(path)) as connection:
        connection.execute(MART_DDL)
        connection.executemany("insert into raw.articles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
        for table, key in (
            ("fct_attacks", "attacks"),
            ("fct_deployments", "deployments"),
            ("fct_contributions", "contributions"),
        ):
            for row in facts.get(key, []):
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                connection.execute(
                    f"insert into marts.{table} ({columns}) values ({marks})", list(row.values())
                )
        connection.execute(
            "insert into marts.fct_attack_sources select attack_id, article_id, killed_best, wounded_best,"
            " sentence_no, evidence_text, char_start, char_end from marts.fct_attacks"
        )
    return path


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "gold"
    directory.mkdir()
    (directory / "menaka.json").write_text(json.dumps(GOLD), encoding="utf-8")
    jsonl_gold = {**JSONL_GOLD, "url": "https://x.example/2"}
    (directory / "briefs__rec-2.json").write_text(json.dumps(jsonl_gold), encoding="utf-8")
    return directory


def run(tmp_path: Path, gold_dir: Path, facts: dict, seeds_dir: Path | None = None) -> dict:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", facts)
    return evaluate(gold_dir, warehouse, seeds_dir=seeds_dir or tmp_path / "no_seeds")


def with_changes(**changes) -> dict:
    return {**PERFECT, **changes}


def test_evaluate_perfect_prediction_scores_f1_one(tmp_path, gold_dir):
    report = run(tmp_path, gold_dir, PERFECT)
    assert {name: metrics["f1"] for name, metrics in report["metrics"].items()} == {
        "attacks": 1.0,
        "deployments": 1.0,
        "contributions": 1.0,
    }
    assert report["attack_counts"]["share_exact"] == 1.0


def test_evaluate_missed_attack_lowers_recall(tmp_path, gold_dir):
    report = run(tmp_path, gold_dir, with_changes(attacks=PERFECT["attacks"][1:]))
    attacks = report["metrics"]["attacks"]
    assert (attacks["recall"], attacks["precision"]) == (0.5, 1.0)
    assert report["per_article"][1]["attacks"]["missed"][0]["place"] == "Ménaka"


def test_evaluate_spurious_deployment_lowers_precision(tmp_path, gold_dir):
    extra = deployment("d2", "a1", "NGA", "Nigeria", "Ménaka")
    report = run(tmp_path, gold_dir, with_changes(deployments=[*PERFECT["deployments"], extra]))
    deployments = report["metrics"]["deployments"]
    assert (deployments["precision"], deployments["recall"]) == (0.5, 1.0)
    assert report["per_article"][1]["deployments"]["spurious"][0]["contributor"] == "NGA"


def test_evaluate_wrong_count_shows_in_diff_not_in_f1(tmp_path, gold_dir):
    wrong = attack("t1", "a1", dt.date(2014, 10, 3), "Ménaka", 8, 2)
    report = run(tmp_path, gold_dir, with_changes(attacks=[wrong, PERFECT["attacks"][1]]))
    diff = report["per_article"][1]["attacks"]["wrong_count"]
    assert report["metrics"]["attacks"]["f1"] == 1.0
    assert [(d["gold"]["killed"], d["predicted"]["killed"], d["killed_right"]) for d in diff] == [
        (9, 8, False)
    ]
    assert report["attack_counts"]["share_exact"] == 0.5


def test_evaluate_optional_facts_neither_reward_nor_penalise(tmp_path, gold_dir):
    optional_attack = attack("t3", "a1", dt.date(2014, 9, 12), "Gao", None, None)
    optional_deployment = deployment("d3", "a1", "TCD", "Chad", "Kidal")
    report = run(
        tmp_path,
        gold_dir,
        with_changes(
            attacks=[*PERFECT["attacks"], optional_attack],
            deployments=[*PERFECT["deployments"], optional_deployment],
        ),
    )
    assert [report["metrics"][name]["tp"] for name in ("attacks", "deployments")] == [2, 1]
    assert [report["metrics"][name]["fp"] for name in ("attacks", "deployments")] == [0, 0]


def test_evaluate_uses_the_articles_own_counts_from_attack_sources(tmp_path, gold_dir):
    merged = attack("t1", "a1", dt.date(2014, 10, 3), "Ménaka", 12, 2)
    warehouse = build_warehouse(
        tmp_path / "warehouse.duckdb", with_changes(attacks=[merged, PERFECT["attacks"][1]])
    )
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("update marts.fct_attack_sources set killed_best = 9 where attack_id = 't1'")
    report = evaluate(gold_dir, warehouse, seeds_dir=tmp_path / "no_seeds")
    assert report["attack_counts"]["share_exact"] == 1.0


def test_evaluate_precise_gold_date_matched_before_coarse_one(tmp_path, gold_dir):
    month_gold = {"date": "2014-10", "place": "Ménaka", "killed": 0, "wounded": 7, "quote": "early October"}
    gold = {**GOLD, "attacks": [month_gold, *GOLD["attacks"]]}
    (gold_dir / "menaka.json").write_text(json.dumps(gold), encoding="utf-8")
    same_day = attack("t1", "a1", dt.date(2014, 10, 3), "Ménaka", 9, 2)
    early_month = attack("t3", "a1", dt.date(2014, 10, 1), "Ménaka", 1, 1)
    report = run(tmp_path, gold_dir, with_changes(attacks=[same_day, early_month, PERFECT["attacks"][1]]))
    matched = report["per_article"][1]["attacks"]["matched"]
    assert [(m["gold"]["date"], m["predicted"]["attack_id"]) for m in matched] == [
        ("2014-10-03", "t1"),
        ("2014-10", "t3"),
    ]


def test_evaluate_wrong_date_counts_as_miss_and_is_labelled(tmp_path, gold_dir):
    late = attack("t1", "a1", dt.date(2014, 10, 4), "Menaka", 9, 2)
    report = run(tmp_path, gold_dir, with_changes(attacks=[late, PERFECT["attacks"][1]]))
    attacks = report["per_article"][1]["attacks"]
    assert (attacks["fn"], attacks["fp"], len(attacks["wrong_date"]), attacks["missed"]) == (1, 1, 1, [])


def test_evaluate_wrong_place_is_labelled(tmp_path, gold_dir):
    elsewhere = attack("t1", "a1", dt.date(2014, 10, 3), "Ansongo", 9, 2)
    report = run(tmp_path, gold_dir, with_changes(attacks=[elsewhere, PERFECT["attacks"][1]]))
    assert report["per_article"][1]["attacks"]["wrong_place"][0]["predicted"]["place"] == "Ansongo"


def test_evaluate_place_compare_ignores_case_and_accents(tmp_path, gold_dir):
    plain = attack("t1", "a1", dt.date(2014, 10, 3), "MENAKA", 9, 2)
    report = run(tmp_path, gold_dir, with_changes(attacks=[plain, PERFECT["attacks"][1]]))
    assert report["metrics"]["attacks"]["tp"] == 2


def test_evaluate_place_alias_seed_maps_variants(tmp_path, gold_dir):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "place_aliases.csv").write_text("alias,place_id\nAguelock,p1\nMénaka,p2\nMenaka,p2\nMenaca,p2\n")
    (seeds / "places.csv").write_text("place_id,name\np1,Aguelhok\np2,Ménaka\n")
    variant = attack("t1", "a1", dt.date(2014, 10, 3), "Menaca", 9, 2)
    report = run(tmp_path, gold_dir, with_changes(attacks=[variant, PERFECT["attacks"][1]]), seeds)
    assert report["metrics"]["attacks"]["tp"] == 2


def test_evaluate_niger_does_not_match_nigeria(tmp_path, gold_dir):
    swapped = [
        contribution("c1", "a1", "NGA", "Nigeria", 850),
        contribution("c2", "a1", "NGA", "Nigeria", 140),
    ]
    report = run(tmp_path, gold_dir, with_changes(contributions=swapped))
    contributions = report["metrics"]["contributions"]
    assert (contributions["tp"], contributions["fn"]) == (1, 1)


def test_evaluate_contributor_name_resolves_when_iso3_missing(tmp_path, gold_dir):
    named = deployment("d1", "a1", None, "Niger", "Ansongo", 850)
    report = run(tmp_path, gold_dir, with_changes(deployments=[named]))
    assert report["metrics"]["deployments"]["f1"] == 1.0


def test_evaluate_month_gold_date_accepts_any_day_of_that_month(tmp_path, gold_dir):
    report = run(tmp_path, gold_dir, PERFECT)
    assert report["per_article"][0]["attacks"]["matched"][0]["predicted"]["date"] == "2019-04-04"


def test_evaluate_jsonl_record_found_through_raw_dir(tmp_path, gold_dir):
    (gold_dir / "briefs__rec-2.json").write_text(json.dumps(JSONL_GOLD), encoding="utf-8")
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    records = [{"id": "rec-1", "url": "https://x.example/1"}, {"id": "rec-2", "url": "https://x.example/2"}]
    (raw_dir / "briefs.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", PERFECT)
    report = evaluate(gold_dir, warehouse, raw_dir=raw_dir, seeds_dir=tmp_path / "no_seeds")
    assert report["per_article"][0]["article_id"] == "j2"


def test_evaluate_jsonl_record_found_by_id_in_source_path(tmp_path, gold_dir):
    (gold_dir / "briefs__rec-2.json").write_text(json.dumps(JSONL_GOLD), encoding="utf-8")
    articles = [row if row[0] != "j2" else ("j2", 1, "briefs.jsonl#rec-2", *row[3:]) for row in ARTICLES]
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", PERFECT, articles)
    report = evaluate(gold_dir, warehouse, seeds_dir=tmp_path / "no_seeds")
    assert report["per_article"][0]["article_id"] == "j2"


def test_evaluate_unknown_article_counts_its_facts_as_missed(tmp_path, gold_dir):
    (gold_dir / "ghost.json").write_text(json.dumps({**GOLD, "article": "ghost.txt"}), encoding="utf-8")
    report = run(tmp_path, gold_dir, PERFECT)
    assert report["articles_not_found"] == ["ghost.txt"]
    assert report["metrics"]["contributions"]["fn"] == 2


def test_evaluate_missing_mart_raises(tmp_path, gold_dir):
    warehouse = tmp_path / "empty.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
    with pytest.raises(EvaluationError, match="fct_attacks"):
        evaluate(gold_dir, warehouse)


def test_format_report_lists_missed_and_spurious_facts(tmp_path, gold_dir):
    extra = deployment("d2", "a1", "NGA", "Nigeria", "Bamako")
    report = run(tmp_path, gold_dir, with_changes(attacks=PERFECT["attacks"][1:], deployments=[extra]))
    text = format_report(report)
    assert "attack missed:    2014-10-03 Ménaka killed=9 wounded=2" in text
    assert "deployment spurious: NGA / Bamako" in text


def test_write_report_writes_json_that_reads_back(tmp_path, gold_dir):
    report = run(tmp_path, gold_dir, PERFECT)
    path = write_report(report, tmp_path / "reports" / "evaluation.json")
    assert json.loads(path.read_text(encoding="utf-8"))["metrics"] == report["metrics"]


@pytest.mark.parametrize("gold_dir_path", GOLD_DIRS, ids=["sample", "eval"])
def test_gold_files_reference_existing_articles(gold_dir_path):
    articles_dir = GOLD_ARTICLE_DIRS[gold_dir_path]
    missing = []
    for path in sorted(gold_dir_path.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        file_name, _, record_id = document["article"].partition("#")
        source = articles_dir / file_name
        if not source.is_file():
            missing.append(document["article"])
        elif record_id:
            ids = [
                json.loads(line).get("id") for line in source.read_text(encoding="utf-8").splitlines() if line
            ]
            if record_id not in ids:
                missing.append(document["article"])
    assert gold_dir_path.is_dir() and not missing


@pytest.mark.parametrize("gold_dir_path", GOLD_DIRS, ids=["sample", "eval"])
def test_gold_files_carry_every_schema_section(gold_dir_path):
    sections = {"article", "published", "attacks", "deployments", "contributions", "aggregate_figures"}
    incomplete = [
        path.name
        for path in sorted(gold_dir_path.glob("*.json"))
        if not sections <= set(json.loads(path.read_text(encoding="utf-8")))
    ]
    assert not incomplete


@pytest.mark.parametrize("gold_dir_path", GOLD_DIRS, ids=["sample", "eval"])
def test_gold_contributors_resolve_to_iso3(gold_dir_path):
    from orchestration.evaluation.gold import NameKeys, load_gold

    keys = NameKeys(None)
    unresolved = {
        fact["contributor"]
        for gold in load_gold(gold_dir_path)
        for fact in gold.deployments + gold.contributions
        if fact.get("contributor") and not re.fullmatch(r"[A-Z]{3}", keys.country(fact["contributor"]))
    }
    assert not unresolved


def _warehouse_echoing_gold(path: Path, gold_dir_path: Path, raw_dir: Path) -> Path:
    """Warehouse whose marts state exactly the required gold facts (month dates on the 15th)."""
    articles, facts = [], {"attacks": [], "deployments": [], "contributions": []}
    for number, gold_path in enumerate(sorted(gold_dir_path.glob("*.json"))):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        article_id = f"a{number}"
        file_name, _, record_id = gold["article"].partition("#")
        source_path, url = file_name, gold.get("url")
        if record_id:
            lines = (raw_dir / file_name).read_text(encoding="utf-8").splitlines()
            line_no = next(i for i, line in enumerate(lines, 1) if json.loads(line)["id"] == record_id)
            source_path = f"{file_name}#L{line_no}"
        articles.append((article_id, 1, source_path, "txt", None, url, None, None, None, True))
        for index, fact in enumerate(f for f in gold["attacks"] if not f.get("optional")):
            date = fact["date"] + "-15" if len(fact["date"]) == 7 else fact["date"]
            facts["attacks"].append(
                attack(
                    f"{article_id}t{index}",
                    article_id,
                    dt.date.fromisoformat(date),
                    fact["place"],
                    fact["killed"],
                    fact["wounded"],
                )
            )
        for index, fact in enumerate(f for f in gold["deployments"] if not f.get("optional")):
            facts["deployments"].append(
                deployment(
                    f"{article_id}d{index}",
                    article_id,
                    None,
                    fact["contributor"],
                    fact["place"],
                    fact["count"],
                    fact["mission"],
                )
            )
        for index, fact in enumerate(f for f in gold["contributions"] if not f.get("optional")):
            facts["contributions"].append(
                contribution(
                    f"{article_id}c{index}",
                    article_id,
                    None,
                    fact["contributor"],
                    fact["personnel"],
                    fact["mission"],
                )
            )
    return build_warehouse(path, facts, articles)


@pytest.mark.parametrize("gold_dir_path", GOLD_DIRS, ids=["sample", "eval"])
def test_evaluate_gold_echoed_by_marts_scores_one(tmp_path, gold_dir_path):
    warehouse = _warehouse_echoing_gold(
        tmp_path / "echo.duckdb", gold_dir_path, GOLD_ARTICLE_DIRS[gold_dir_path]
    )
    report = evaluate(gold_dir_path, warehouse, seeds_dir=tmp_path / "no_seeds")
    assert report["articles_not_found"] == []
    assert [report["metrics"][name]["f1"] for name in ("attacks", "deployments", "contributions")] == [
        1.0
    ] * 3
    assert report["attack_counts"]["share_exact"] == 1.0


def test_load_gold_reads_seed_gold():
    from orchestration.evaluation.gold import load_gold

    seed_gold = PROJECT_ROOT.parent / "shared" / "corpus" / "gold"
    if not seed_gold.is_dir():
        pytest.skip(f"seed corpus not present at {seed_gold}")
    assert sorted(gold.article for gold in load_gold(seed_gold)) == [
        "000_a43eed279b259090.txt",
        "002_828932051196fd1a.txt",
    ]


def confident(row: dict, confidence: float) -> dict:
    return {**row, "confidence": confidence}


def bands_of(report: dict, fact_type: str) -> list[tuple]:
    return [
        (band["band"], band["correct"], band["predictions"])
        for band in report["calibration"][fact_type]["bands"]
        if band["predictions"]
    ]


def test_evaluate_calibration_counts_correct_predictions_per_confidence_band(tmp_path, gold_dir):
    facts = {
        "attacks": [
            confident(PERFECT["attacks"][0], 0.95),
            confident(PERFECT["attacks"][1], 0.6),
            confident(attack("t9", "a1", dt.date(2014, 10, 1), "Kidal", 1, 0), 0.4),
        ],
        "deployments": [
            confident(PERFECT["deployments"][0], 0.9),
            confident(deployment("d2", "a1", "NGA", "Nigeria", "Gao"), 0.88),
        ],
        "contributions": [
            confident(PERFECT["contributions"][0], 0.72),
            confident(PERFECT["contributions"][1], 0.3),
        ],
    }
    report = run(tmp_path, gold_dir, facts)
    assert bands_of(report, "attacks") == [
        ("[0.00, 0.50)", 0, 1),
        ("[0.50, 0.70)", 1, 1),
        ("[0.85, 1.00]", 1, 1),
    ]
    assert bands_of(report, "deployments") == [("[0.85, 1.00]", 1, 2)]
    assert bands_of(report, "contributions") == [("[0.00, 0.50)", 1, 1), ("[0.70, 0.85)", 1, 1)]
    assert report["calibration"]["deployments"]["bands"][-1]["share_correct"] == 0.5


def test_evaluate_calibration_takes_a_keys_highest_confidence_and_skips_optional_matches(tmp_path, gold_dir):
    facts = with_changes(
        deployments=[
            confident(PERFECT["deployments"][0], 0.4),
            confident(deployment("d1b", "a1", "NER", "Niger", "Ansongo", unit_type="company"), 0.9),
            confident(deployment("d3", "a1", "TCD", "Chad", "Kidal"), 0.9),
        ]
    )
    report = run(tmp_path, gold_dir, facts)
    assert bands_of(report, "deployments") == [("[0.85, 1.00]", 1, 1)]


def test_evaluate_calibration_counts_predictions_without_confidence_apart(tmp_path, gold_dir):
    report = run(tmp_path, gold_dir, PERFECT)
    assert report["calibration"]["contributions"]["without_confidence"] == 2
    assert bands_of(report, "contributions") == []


def test_format_report_prints_the_calibration_table(tmp_path, gold_dir):
    facts = with_changes(deployments=[confident(PERFECT["deployments"][0], 0.9)])
    text = format_report(run(tmp_path, gold_dir, facts))
    assert "calibration" in text
    assert re.search(r"deployments\s.*1\.000 \(1/1\)", text)
