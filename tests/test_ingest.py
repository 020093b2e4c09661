"""Ingestion: every input format, every rejection reason, idempotence, versioning, boilerplate."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.ingest import run as pipeline
from orchestration.ingest.cleaning import clean_documents, detect_language
from orchestration.settings import SEEDS_DIR

STORY = (
    "Gunmen attacked a convoy of peacekeepers near Ansongo on Tuesday, the mission said.\n\n"
    "Two soldiers were wounded in the assault, according to a statement.\n"
)


def ingest(settings, now: datetime | None = None) -> pipeline.IngestReport:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        return pipeline.ingest(con, settings.raw_dir, settings.max_file_bytes, now=now)


def query(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def write(raw: Path, name: str, content: str | bytes) -> Path:
    path = raw / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_ingest_txt_front_matter_supplies_metadata(settings):
    write(settings.raw_dir, "a.txt", f"---\ntitle: Convoy hit\npublished: 2016-05-31\nsource: Wire\n---\n{STORY}")
    ingest(settings)
    assert query(settings, "select title, source, published_date::varchar, published_precision, published_source from raw.articles") == [
        ("Convoy hit", "Wire", "2016-05-31", "day", "metadata")
    ]


def test_ingest_markdown_strips_heading_markers(settings):
    write(settings.raw_dir, "b.md", f"---\ntitle: T\n---\n# A heading line\n\n{STORY}")
    ingest(settings)
    (body,) = query(settings, "select body from raw.articles")[0]
    assert body.startswith("A heading line\n\nGunmen attacked")


def test_ingest_html_extracts_main_text_without_navigation(settings):
    paragraphs = "".join(f"<p>{line}</p>" for line in STORY.split("\n\n"))
    html = (
        "<html><head><title>Convoy hit near Ansongo</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World news menu</a></nav>"
        f"<article><h1>Convoy hit near Ansongo</h1>{paragraphs}</article>"
        "<footer>Copyright 2016 Example News. All rights reserved.</footer></body></html>"
    )
    write(settings.raw_dir, "c.html", html)
    ingest(settings)
    (body, fmt) = query(settings, "select body, source_format from raw.articles")[0]
    assert fmt == "html"
    assert "Gunmen attacked a convoy" in body
    assert "World news menu" not in body and "All rights reserved" not in body


def test_ingest_jsonl_records_become_articles_with_ids_in_path(settings):
    lines = [
        json.dumps({"id": "r1", "title": "One", "published": "2017-02-01", "text": STORY}),
        json.dumps({"title": "Two", "text": STORY.replace("Ansongo", "Tessalit")}),
    ]
    write(settings.raw_dir, "feed.jsonl", "\n".join(lines) + "\n")
    ingest(settings)
    assert query(settings, "select source_path, title from raw.articles order by 1") == [
        ("feed.jsonl#L2", "Two"),
        ("feed.jsonl#r1", "One"),
    ]


def test_ingest_json_array_of_records(settings):
    write(settings.raw_dir, "batch.json", json.dumps([{"text": STORY}, {"text": STORY + "More."}]))
    ingest(settings)
    assert query(settings, "select count(*) from raw.articles")[0][0] == 2


def test_ingest_manifest_supplies_missing_metadata(settings):
    write(settings.raw_dir, "sub/plain.txt", STORY)
    write(settings.raw_dir, "sub/manifest.csv", "file,title,url,published,source\nplain.txt,From manifest,,2014-07,Desk\n")
    ingest(settings)
    assert query(settings, "select title, published_date::varchar, published_precision, metadata_origin from raw.articles") == [
        ("From manifest", "2014-07-01", "month", "manifest")
    ]


def test_ingest_infers_publication_month_from_text_without_metadata(settings):
    write(settings.raw_dir, "bare.txt", "The camp was shelled on March 3, 2018, officials said.\n\nCalm returned on 9 April 2018.\n")
    ingest(settings)
    assert query(settings, "select published_date::varchar, published_precision, published_source from raw.articles") == [
        ("2018-04-01", "month", "inferred")
    ]


def test_ingest_unknown_publication_date_is_said(settings):
    write(settings.raw_dir, "nodate.txt", STORY)
    ingest(settings)
    assert query(settings, "select published_date, published_precision, published_source from raw.articles") == [
        (None, "unknown", "unknown")
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "  \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
        ("huge.txt", "word " * 60_000, "too_large"),
        ("notes.docx", "not read", "unsupported"),
        ("bad.jsonl", '{"text": "fine line"}\n{not json\n', "malformed_json"),
        ("notext.json", json.dumps({"title": "no text here"}), "missing_text"),
    ],
)
def test_ingest_rejects_bad_input_with_reason(settings, name, content, reason):
    write(settings.raw_dir, name, content)
    write(settings.raw_dir, "good.txt", STORY)
    report = ingest(settings)
    reasons = query(settings, "select reason from raw.rejected_files")
    assert (reason,) in reasons
    assert report.rejected >= 1
    assert query(settings, "select count(*) from raw.articles where source_path = 'good.txt'")[0][0] == 1


def test_ingest_rejects_undecodable_bytes(settings):
    # invalid UTF-8 with a declared charset that does not exist and no detectable encoding
    write(settings.raw_dir, "broken.html", b'<meta charset="no-such-charset">' + bytes(range(128, 256)) * 40)
    ingest(settings)
    assert query(settings, "select reason from raw.rejected_files") == [("undecodable",)]


def test_ingest_decodes_declared_latin1_and_records_encoding(settings):
    write(settings.raw_dir, "latin.txt", "Les casques bleus à Ménaka.\n\nThe camp at Ménaka was attacked on Friday.".encode("latin-1"))
    ingest(settings)
    (body, encoding) = query(settings, "select body, encoding from raw.articles")[0]
    assert "Ménaka" in body
    assert encoding != "utf-8"


def test_ingest_rejects_duplicate_content_under_another_path(settings):
    write(settings.raw_dir, "one.txt", STORY)
    write(settings.raw_dir, "two.txt", STORY)
    ingest(settings)
    assert query(settings, "select count(*) from raw.articles")[0][0] == 1
    assert query(settings, "select path, reason from raw.rejected_files") == [("two.txt", "duplicate_content")]


def test_ingest_rejects_text_stored_by_an_earlier_run_under_another_path(settings):
    write(settings.raw_dir, "one.txt", STORY)
    ingest(settings)
    write(settings.raw_dir, "two.txt", STORY)
    report = ingest(settings)
    assert report.new == 0
    assert query(settings, "select path, reason, detail from raw.rejected_files") == [
        ("two.txt", "duplicate_content", "same text as one.txt")
    ]


def test_ingest_rejects_text_whose_stored_version_is_superseded(settings):
    path = write(settings.raw_dir, "one.txt", STORY)
    ingest(settings)
    path.write_text(STORY.replace("Two soldiers", "Three soldiers"), encoding="utf-8")
    ingest(settings)
    write(settings.raw_dir, "two.txt", STORY)
    assert ingest(settings).new == 0
    assert query(settings, "select path, detail from raw.rejected_files") == [("two.txt", "same text as one.txt")]


def test_ingest_twice_unchanged_adds_nothing(settings):
    write(settings.raw_dir, "one.txt", STORY)
    write(settings.raw_dir, "empty.txt", "")
    ingest(settings)
    before = query(settings, "select * exclude (last_seen_at) from raw.rejected_files")
    articles_before = query(settings, "select article_id, version_no, ingested_at from raw.articles")
    second = ingest(settings)
    assert (second.new, second.changed, second.unchanged) == (0, 0, 1)
    assert query(settings, "select article_id, version_no, ingested_at from raw.articles") == articles_before
    assert query(settings, "select * exclude (last_seen_at) from raw.rejected_files") == before


def test_ingest_changed_file_supersedes_old_version(settings):
    path = write(settings.raw_dir, "one.txt", STORY)
    ingest(settings, now=datetime(2024, 1, 1, tzinfo=UTC))
    path.write_text(STORY.replace("Two soldiers", "Three soldiers"), encoding="utf-8")
    report = ingest(settings, now=datetime(2024, 1, 2, tzinfo=UTC))
    assert (report.new, report.changed) == (0, 1)
    rows = query(settings, "select version_no, is_current, superseded_by is not null from raw.articles order by version_no")
    assert rows == [(1, False, True), (2, True, False)]
    assert query(settings, "select count(distinct article_id) from raw.paragraphs")[0][0] == 1


def test_ingest_article_id_is_stable_across_warehouses(settings, tmp_path):
    write(settings.raw_dir, "one.txt", STORY)
    ingest(settings)
    other = type(settings)(settings.raw_dir, tmp_path / "other" / "w.duckdb", tmp_path / "p.duckdb", settings.max_file_bytes)
    ingest(other)
    assert query(settings, "select article_id from raw.articles") == query(other, "select article_id from raw.articles")


def test_ingest_missing_raw_dir_is_a_clear_error(settings):
    settings.raw_dir.rmdir()
    with pytest.raises(FileNotFoundError, match="raw directory"):
        ingest(settings)


def _seed_frames(corpus: Path) -> tuple[pl.DataFrame, dict]:
    from orchestration.ingest.files import read_raw_dir

    documents, _ = read_raw_dir(corpus, 5_000_000).frames()
    documents = documents.filter(pl.col("source_format") == "txt")
    result = clean_documents(
        documents,
        pl.read_csv(SEEDS_DIR / "boilerplate_patterns.csv"),
        pl.read_csv(SEEDS_DIR / "language_markers.csv"),
    )
    return result, {row["article_id"]: row["original_text"] for row in documents.iter_rows(named=True)}


def test_cleaning_seed_articles_drop_author_biography(shared_corpus):
    result, _ = _seed_frames(shared_corpus)
    bodies = "\n".join(result.bodies["body"])
    for fragment in ("co-founder", "Previously, she was an editor", "She lives in", "Notify of", "display-posts", "Subscribe"):
        assert fragment not in bodies
    gold_places = {
        place
        for gold in (shared_corpus / "gold").glob("*.json")
        for place in json.loads(gold.read_text())["boilerplate_places"]
    }
    assert gold_places and not [place for place in gold_places if place in bodies]


def test_cleaning_seed_articles_keep_every_article_paragraph(shared_corpus):
    """Every original line of 120+ characters that is not chrome or biography survives verbatim."""
    result, originals = _seed_frames(shared_corpus)
    removed_reasons = set(result.removed["reason"])
    assert removed_reasons <= {"chrome", "page_tail", "author_bio", "related_list", "title"}
    for article_id, original in originals.items():
        body = result.bodies.filter(pl.col("article_id") == article_id)["body"][0]
        bio_at = original.find(" is a co-founder")
        long_lines = [line.strip() for line in original[: original.rfind("\n", 0, bio_at)].split("\n") if len(line.strip()) >= 120 and not line.strip().startswith("[")]
        assert long_lines
        missing = [line[:60] for line in long_lines if line not in body]
        assert missing == []


def test_cleaning_seed_captions_are_flagged_and_kept(shared_corpus):
    result, _ = _seed_frames(shared_corpus)
    captions = result.paragraphs.filter(pl.col("is_caption"))
    assert captions.height >= 4
    assert captions["text"].str.contains("PHOTO|[A-Z]{3,} [A-Z]{3,}$").sum() >= 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 June 2017 – Peace and Security\n\nMortar rounds hit the camp on 1 June 2017.", "2017-06-03"),
        ("Morning brief\nKIDAL, Feb. 9, 2016 (Wire) - Rockets struck the camp on Jan. 30, 2016.", "2016-02-09"),
    ],
)
def test_ingest_dateline_gives_publication_day(settings, text, expected):
    write(settings.raw_dir, "dateline.txt", text)
    ingest(settings)
    assert query(settings, "select published_date::varchar, published_precision, published_source from raw.articles") == [
        (expected, "day", "inferred")
    ]


@pytest.mark.parametrize(
    "bio",
    [
        "Aminata Diallo is Desk Wire's Sahel correspondent, based in Dakar. She covered Kigali and Accra.",
        "Paul Martin was a senior editor at the paper for ten years before moving to Lisbon and Oslo.",
    ],
)
def test_cleaning_drops_author_biography_in_other_wordings(settings, bio):
    write(settings.raw_dir, "story.txt", STORY + "\nShare this:\nFacebook\nTwitter\n\n" + bio + "\n\nHer earlier work appeared in Madrid papers.\n")
    ingest(settings)
    (body,) = query(settings, "select body from raw.articles")[0]
    for word in ("Dakar", "Lisbon", "Madrid", "Facebook", "Share this"):
        assert word not in body
    assert "Two soldiers were wounded" in body


def test_ingest_normalizes_decomposed_accents_to_nfc(settings):
    write(settings.raw_dir, "nfd.txt", "Peacekeepers reached Me\u0301naka and Se\u0301vare\u0301 on Monday.\n")
    ingest(settings)
    (body,) = query(settings, "select body from raw.articles")[0]
    assert "Ménaka" in body and "Sévaré" in body


def test_ingest_skips_readme_and_licence_files(settings):
    write(settings.raw_dir, "README.md", "# About this folder\n\nArticles collected for the desk.\n")
    write(settings.raw_dir, "sub/LICENSE.txt", "All rights reserved by the collectors of this folder.\n")
    write(settings.raw_dir, "story.txt", STORY)
    report = ingest(settings)
    assert (report.files_read, report.new) == (1, 1)
    assert query(settings, "select source_path from raw.articles") == [("story.txt",)]


def test_ingest_skips_files_unchanged_since_last_ingest(settings):
    write(settings.raw_dir, "one.txt", STORY)
    write(settings.raw_dir, "two.txt", STORY.replace("Ansongo", "Gossi"))
    ingest(settings)
    second = ingest(settings)
    assert (second.files_read, second.files_skipped, second.unchanged) == (0, 2, 2)
    write(settings.raw_dir, "two.txt", STORY.replace("Ansongo", "Léré"))
    third = ingest(settings)
    assert (third.files_read, third.files_skipped, third.changed) == (1, 1, 1)


def test_ingest_rereads_files_when_their_manifest_changes(settings):
    write(settings.raw_dir, "plain.txt", STORY)
    write(settings.raw_dir, "manifest.csv", "file,title,url,published,source\nplain.txt,First,,2014-07,Desk\n")
    ingest(settings)
    write(settings.raw_dir, "manifest.csv", "file,title,url,published,source\nplain.txt,Second title,,2014-07-02,Desk\n")
    assert ingest(settings).files_read == 1


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("The convoy was travelling from Gao to the\nbase at Ansongo when it was hit.\n", True),
        ("Officials said the patrol,\nwhich had left at dawn, returned safely.\n", True),
        ("Breaking news from the Sahel desk today\nThe convoy was hit near Ansongo.\n", False),
        ("Peacekeepers on patrol near Ber in 2016 UN PHOTO/JOHN DOE\nThe camp was shelled again.\n", False),
    ],
)
def test_cleaning_joins_only_hard_wrapped_lines(settings, text, joined):
    write(settings.raw_dir, "wrapped.txt", text)
    ingest(settings)
    assert query(settings, "select count(*) from raw.paragraphs")[0][0] == (1 if joined else 2)


def test_ingest_sees_an_edit_that_keeps_size_and_mtime(settings):
    path = write(settings.raw_dir, "one.txt", STORY)
    ingest(settings)
    stat = path.stat()
    path.write_text(STORY.replace("Two soldiers", "Six soldiers"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ingest(settings).changed == 1


def test_ingest_retires_articles_of_a_removed_file(settings):
    write(settings.raw_dir, "keep.txt", STORY)
    gone = write(settings.raw_dir, "gone.txt", STORY.replace("Ansongo", "Gossi"))
    ingest(settings)
    gone.unlink()
    assert ingest(settings).retired == 1
    assert query(settings, "select source_path, is_current, retired_reason from raw.articles order by 1") == [
        ("gone.txt", False, "source_removed"),
        ("keep.txt", True, None),
    ]
    assert ("gone.txt", "source_removed", "retired") in query(settings, "select path, reason, action from raw.rejected_files")


def test_ingest_keeps_removed_file_articles_when_retiring_is_off(settings):
    gone = write(settings.raw_dir, "gone.txt", STORY)
    ingest(settings)
    gone.unlink()
    with duckdb.connect(str(settings.warehouse)) as con:
        pipeline.ingest(con, settings.raw_dir, settings.max_file_bytes, retire_removed=False)
    assert query(settings, "select is_current from raw.articles") == [(True,)]


def test_ingest_unterminated_quote_in_manifest_skips_only_that_row(settings):
    write(settings.raw_dir, "a.txt", STORY)
    write(settings.raw_dir, "b.txt", STORY.replace("Ansongo", "Gossi"))
    write(settings.raw_dir, "manifest.csv", 'file,title,url,published,source\na.txt,"Broken,,2016-01-01,D\nb.txt,Fine,,2016-01-02,D\n')
    ingest(settings)
    assert query(settings, "select source_path, title from raw.articles order by 1") == [("a.txt", None), ("b.txt", "Fine")]
    assert query(settings, "select path, reason from raw.rejected_files") == [("manifest.csv#L2", "malformed_manifest_row")]


def test_article_of_a_file_put_back_is_current_and_extracted_again(settings):
    from orchestration.extract.run import extract

    story = write(settings.raw_dir, "story.txt", STORY)

    def step() -> int:
        ingest(settings)
        with duckdb.connect(str(settings.warehouse)) as con:
            extract(con)
        return query(settings, "select count(*) from raw.mentions")[0][0]

    mentions = step()
    assert mentions > 0
    story.unlink()
    assert step() == 0
    write(settings.raw_dir, "story.txt", STORY)
    assert step() == mentions
    assert query(settings, "select count(*) from raw.articles where is_current") == [(1,)]


@pytest.mark.parametrize(
    "text",
    [
        "27 May: Unidentified gunmen ambushed a patrol near Boni, killing two Togolese peacekeepers.",
        "Mortar rounds hit a UN camp near Tessit; two peacekeepers injured, none killed.",
    ],
)
def test_terse_english_incident_note_is_english(text):
    markers = pl.read_csv(SEEDS_DIR / "language_markers.csv")
    language = pl.DataFrame({"text": [text]}).select(detect_language(markers))
    assert language.item() == "en"
