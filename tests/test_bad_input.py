"""Hostile input mixed with good files: two real pipeline runs on one warehouse.

Run A: the sample articles in raw/ plus one extra good story. Run B: the same folder with that story
deleted and every kind of bad input added (pathological sizes included). Run B must succeed, put each
bad item in the ledger with its reason, retire the deleted story's facts, leave the good articles'
facts as run A made them, and do bounded work on the pathological files.
"""

import json
import random
import shutil
import time
from pathlib import Path

import pytest
from conftest import make_settings, query_rows

from orchestration.ingest.cleaning import MAX_PARAGRAPH_CHARS, MAX_SENTENCE_CHARS
from orchestration.runner import execute_all
from orchestration.settings import DEFAULT_RAW_DIR

pytestmark = pytest.mark.slow

MAX_FILE_BYTES = 4_500_000
DELETED_STORY = """---
title: Patrol hit near Hombori
published: 2019-03-08
---
MOPTI, March 8 - A roadside bomb struck a MINUSMA patrol near Hombori on Thursday, wounding two Togolese
peacekeepers, the mission said in a statement.
"""
SPANISH_OFFICER = """---
title: Spanish officer visits Koulikoro training camp
published: 2018-05-04
---
KOULIKORO, 4 May 2018 - Lieutenant Colonel Juan Carlos Pérez García, the commander of the training
mission's advisory team, said on Friday that Malian units had completed their course. Colonel Juan Carlos
Pérez García told reporters that "Juan Carlos Pérez García and his team" would return in June.
"""
NEUTRAL = [
    "Officials from Gao and Kidal met in Bamako to discuss water supplies and school repairs.",
    "Delegates from Mopti said the new road to Sévaré would open next year.",
    "Traders in Timbuktu reported good harvests of rice and millet this season.",
    "The regional council of Ségou approved a budget for health centres.",
]
DENSE_WORDS = ["Gao", "Kidal", "Timbuktu", "Menaka", "MINUSMA", "JNIM", "MNLA", "killed", "attack", "12",
               "wounded", "Mopti", "Ansongo", "peacekeepers", "Barkhane", "Chadian", "three", "soldiers",
               "Bamako", "the", "in", "and", "were", "near", "by"]  # fmt: skip

# bad item → (ledger path, reason, action)
EXPECTED_LEDGER = {
    "impossible front-matter date": ("bad_date.md", "invalid_date", "flagged"),
    "impossible manifest date": ("manifest.csv#L3", "invalid_date", "ignored"),
    "unterminated quote in manifest": ("manifest.csv#L4", "malformed_manifest_row", "ignored"),
    "Latin-1 manifest": ("latin/manifest.csv", "manifest_not_utf8", "flagged"),
    "JSON nested 100,000 deep": ("deep.json", "malformed_json", "rejected"),
    "JSONL line nested 100,000 deep": ("deep_lines.jsonl#L1", "malformed_json", "rejected"),
    "duplicate JSONL id": ("duplicates.jsonl#L1", "duplicate_id", "ignored"),
    "invalid YAML front matter": ("broken_front_matter.md", "front_matter_invalid", "flagged"),
    "YAML alias bomb": ("alias_bomb.md", "metadata_invalid", "flagged"),
    "invalid UTF-8 bytes": ("invalid_utf8.txt", "invalid_utf8", "flagged"),
    "4 MB without a newline": ("no_newline.txt", "text_without_structure", "flagged"),
    "2 MB entity-dense, no newline": ("dense.txt", "text_without_structure", "flagged"),
    "deleted file": ("retired_story.txt", "source_removed", "retired"),
    "empty": ("empty.txt", "empty", "rejected"),
    "binary": ("image.txt", "binary", "rejected"),
    "NUL bytes": ("nul.txt", "binary", "rejected"),
    "oversized": ("too_big.txt", "too_large", "rejected"),
    "unsupported extension": ("notes.docx", "unsupported", "rejected"),
    "malformed JSON": ("malformed.json", "malformed_json", "rejected"),
    "record without text": ("notext.jsonl#L1", "missing_text", "rejected"),
}


def _random_text(pieces: list[str], size: int, seed: int) -> str:
    """`size` characters of `pieces` drawn at random (seeded) and joined by spaces."""
    rng = random.Random(seed)
    drawn, length = [], 0
    while length < size:
        drawn.append(rng.choice(pieces))
        length += len(drawn[-1]) + 1
    return " ".join(drawn)[:size]


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return (
        "---\n"
        + "\n".join(lines)
        + "\ntitle: *h\n---\nThe convoy reached Gao safely on Monday, the mission said.\n"
    )


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def write_bad_inputs(raw: Path) -> None:
    """Every bad input of the suite, beside the good files already in `raw`."""
    (raw / "spanish_officer.txt").write_text(SPANISH_OFFICER, encoding="utf-8")
    (raw / "bad_date.md").write_text(
        "---\ntitle: Bad date\npublished: 2015-13-45\n---\nA convoy reached Kidal safely on Monday.\n",
        encoding="utf-8",
    )
    manifest = (DEFAULT_RAW_DIR / "manifest.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    manifest += [
        "manifest_date.txt,Impossible date row,,2019-02-30,Desk",
        'quoted.txt,"Unterminated title,,2019-05-01,Desk',
        "after_quote.txt,Row after the broken one,,2019-05-02,Desk",
    ]
    (raw / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    for name, text in (
        ("manifest_date.txt", "Engineers repaired the bridge at Ansongo, the mission said."),
        ("quoted.txt", "Engineers repaired a well near Ber, the mission said."),
        ("after_quote.txt", "Engineers repaired the airstrip at Tessalit, the mission said."),
    ):
        (raw / name).write_text(text + "\n", encoding="utf-8")
    (raw / "latin").mkdir()
    (raw / "latin" / "manifest.csv").write_bytes(
        "file,title,url,published,source\nmenaka.txt,Casques bleus à Ménaka,,2016-03-01,Desk\n".encode(
            "latin-1"
        )
    )
    (raw / "latin" / "menaka.txt").write_text(
        "Engineers repaired the camp gate at Ménaka.\n", encoding="utf-8"
    )
    (raw / "deep.json").write_text(_nested(100_000), encoding="utf-8")
    (raw / "deep_lines.jsonl").write_text(
        _nested(100_000)
        + "\n"
        + json.dumps({"id": "ok", "text": "Engineers repaired the road to Douentza."})
        + "\n",
        encoding="utf-8",
    )
    (raw / "duplicates.jsonl").write_text(
        json.dumps({"id": "r1", "text": "First version: the convoy left Gao."})
        + "\n"
        + json.dumps({"id": "r1", "text": "Second version: the convoy left Gao on Tuesday."})
        + "\n",
        encoding="utf-8",
    )
    (raw / "broken_front_matter.md").write_text(
        "---\ntitle: [unclosed\npublished: 2016-01-01\n---\nThe patrol returned to Tessalit without incident.\n",
        encoding="utf-8",
    )
    (raw / "alias_bomb.md").write_text(_alias_bomb(), encoding="utf-8")
    (raw / "invalid_utf8.txt").write_bytes(
        "Peacekeepers reached Ménaka and Sévaré on Monday, the mission said.\n".encode()
        + b"Bad \xff\xfe bytes.\n"
    )
    (raw / "no_newline.txt").write_text(_random_text(NEUTRAL, 4_000_000, seed=7), encoding="utf-8")
    (raw / "dense.txt").write_text(_random_text(DENSE_WORDS, 2_000_000, seed=11), encoding="utf-8")
    (raw / "empty.txt").write_text("  \n", encoding="utf-8")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (raw / "nul.txt").write_bytes(b"Some text\x00with NUL bytes\x00inside.\n")
    (raw / "too_big.txt").write_text("word " * (MAX_FILE_BYTES // 5 + 10), encoding="utf-8")
    (raw / "notes.docx").write_text("not read", encoding="utf-8")
    (raw / "malformed.json").write_text("{not json", encoding="utf-8")
    (raw / "notext.jsonl").write_text(json.dumps({"title": "no text here"}) + "\n", encoding="utf-8")


GOOD_FACTS = {
    "attacks": """select s.article_id, a.place_name, a.event_date, a.killed_best, a.wounded_best, s.evidence_text
                  from marts.fct_attack_sources s join marts.fct_attacks a on a.attack_id = s.attack_id
                  join marts.dim_articles d on d.article_id = s.article_id
                  where d.source_path in ({paths}) order by all""",
    "deployments": """select f.* exclude (deployment_id) from marts.fct_deployments f join marts.dim_articles d
                      using (article_id) where d.source_path in ({paths}) order by all""",
    "contributions": """select f.* exclude (contribution_id) from marts.fct_contributions f
                        join marts.dim_articles d using (article_id) where d.source_path in ({paths}) order by all""",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, dagster_home: Path):
    """(settings, good-only facts, seconds of run A, seconds of run B)."""
    root = tmp_path_factory.mktemp("bad_input")
    raw = root / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    (raw / "retired_story.txt").write_text(DELETED_STORY, encoding="utf-8")
    settings = make_settings(raw, root / "wh", dagster_home, max_file_bytes=MAX_FILE_BYTES)
    started = time.monotonic()
    assert execute_all(settings), "run A (good files only) failed"
    seconds_a = time.monotonic() - started
    good_paths = ", ".join(
        f"'{path}'"
        for (path,) in query_rows(
            settings.published,
            "select source_path from marts.dim_articles where source_path <> 'retired_story.txt'",
        )
    )
    good = {
        name: query_rows(settings.published, sql.format(paths=good_paths)) for name, sql in GOOD_FACTS.items()
    }
    assert query_rows(
        settings.published, "select count(*) from marts.fct_attacks where place_name = 'Hombori'"
    ) == [(1,)]
    (raw / "retired_story.txt").unlink()
    write_bad_inputs(raw)
    started = time.monotonic()
    ok = execute_all(settings)
    seconds_b = time.monotonic() - started
    assert ok, "run B (good and bad files mixed) failed"
    return settings, good, good_paths, seconds_a, seconds_b


@pytest.mark.parametrize("case", sorted(EXPECTED_LEDGER))
def test_bad_input_is_in_the_ledger_with_its_reason(runs, case):
    settings = runs[0]
    path, reason, action = EXPECTED_LEDGER[case]
    rows = query_rows(
        settings.warehouse, f"select reason, action, detail from raw.rejected_files where path = '{path}'"
    )
    assert (reason, action) in [(row[0], row[1]) for row in rows], rows


def test_bad_input_good_articles_facts_equal_the_good_only_run(runs):
    settings, good, good_paths, *_ = runs
    assert good["attacks"] and good["deployments"]
    for name, sql in GOOD_FACTS.items():
        assert query_rows(settings.published, sql.format(paths=good_paths)) == good[name], name


def test_bad_input_deleted_file_facts_leave_the_published_marts(runs):
    settings = runs[0]
    assert query_rows(
        settings.published, "select count(*) from marts.fct_attacks where place_name = 'Hombori'"
    ) == [(0,)]
    assert query_rows(
        settings.warehouse,
        "select is_current, retired_reason from raw.articles where source_path = 'retired_story.txt'",
    ) == [(False, "source_removed")]


def test_bad_input_pathological_files_do_bounded_work(runs):
    settings = runs[0]
    for path in ("no_newline.txt", "dense.txt"):
        (article_id, flags) = query_rows(
            settings.warehouse, f"select article_id, flags from raw.articles where source_path = '{path}'"
        )[0]
        assert "text_without_structure" in flags
        longest_paragraph, paragraphs = query_rows(
            settings.warehouse,
            f"select max(char_end - char_start), count(*) from raw.paragraphs where article_id = '{article_id}'",
        )[0]
        longest_sentence, sentences = query_rows(
            settings.warehouse,
            f"select max(char_end - char_start), count(*) from raw.sentences where article_id = '{article_id}'",
        )[0]
        most_mentions = query_rows(
            settings.warehouse,
            f"select max(n) from (select count(*) n from raw.mentions where article_id = '{article_id}' group by sentence_no)",
        )[0][0]
        assert longest_paragraph <= 2 * MAX_PARAGRAPH_CHARS and paragraphs >= 400
        assert longest_sentence <= 2 * MAX_SENTENCE_CHARS and sentences >= 1_000
        assert most_mentions <= 2 * MAX_SENTENCE_CHARS // 3  # a mention takes at least a letter and a space


def test_bad_input_run_takes_a_small_factor_of_the_good_run(runs):
    *_, seconds_a, seconds_b = runs
    assert seconds_b <= 4 * seconds_a, (seconds_a, seconds_b)


def test_bad_input_spanish_double_surname_gives_unique_mentions(runs):
    settings = runs[0]
    (article_id,) = query_rows(
        settings.warehouse, "select article_id from raw.articles where source_path = 'spanish_officer.txt'"
    )[0]
    counts = query_rows(
        settings.warehouse,
        f"select count(*), count(distinct mention_id), count(distinct (char_start, mention_type)) from raw.mentions where article_id = '{article_id}'",
    )[0]
    assert counts[0] == counts[1] == counts[2]
    assert query_rows(
        settings.published, f"select count(*) from marts.dim_articles where article_id = '{article_id}'"
    ) == [(1,)]


def test_bad_input_read_anyway_items_keep_good_text_and_metadata(runs):
    settings = runs[0]
    bodies = dict(
        query_rows(settings.warehouse, "select source_path, body from raw.articles where is_current")
    )
    titles = dict(
        query_rows(settings.warehouse, "select source_path, title from raw.articles where is_current")
    )
    assert (
        "Ménaka" in bodies["invalid_utf8.txt"]
        and "\ufffd" in bodies["invalid_utf8.txt"]
        and "├" not in bodies["invalid_utf8.txt"]
    )
    assert "unclosed" not in bodies["broken_front_matter.md"] and bodies["broken_front_matter.md"].startswith(
        "The patrol"
    )
    assert titles["alias_bomb.md"] is None
    assert titles["latin/menaka.txt"] == "Casques bleus à Ménaka"
    assert titles["after_quote.txt"] == "Row after the broken one" and titles["quoted.txt"] is None
    assert bodies["duplicates.jsonl#r1"].startswith("Second version")
    assert query_rows(
        settings.warehouse,
        "select count(*) from raw.articles where is_current and source_path = 'duplicates.jsonl#r1'",
    ) == [(1,)]
    assert query_rows(
        settings.warehouse, "select published_precision from raw.articles where source_path = 'bad_date.md'"
    ) == [("unknown",)]
