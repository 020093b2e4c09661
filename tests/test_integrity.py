"""Keys unique by construction, per-article hold-back, bounded text pieces, hostile bytes and metadata
(pure functions on literal frames and strings)."""

from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from orchestration.extract.integrity import broken_articles, hold_back
from orchestration.extract.sentences import split_sentences
from orchestration.extract.spans import leftmost_longest
from orchestration.ingest.cleaning import MAX_SENTENCE_CHARS, cut_long_texts
from orchestration.ingest.files import decode, split_front_matter
from orchestration.ingest.pubdate import parse_published


def test_leftmost_longest_keeps_longest_span_at_a_shared_start():
    spans = pl.DataFrame(
        {
            "article_id": ["a"] * 3,
            "mention_type": ["actor"] * 3,
            "char_start": [10, 10, 30],
            "char_end": [26, 36, 40],
        }
    )
    kept = leftmost_longest(spans, ["article_id", "mention_type"]).sort("char_start")
    assert kept.select("char_start", "char_end").rows() == [(10, 36)]


def test_leftmost_longest_keeps_a_span_after_a_dropped_overlapping_one():
    spans = pl.DataFrame({"k": ["x"] * 3, "char_start": [0, 5, 15], "char_end": [10, 20, 25]})
    kept = leftmost_longest(spans, ["k"]).sort("char_start")
    assert kept.select("char_start", "char_end").rows() == [(0, 10), (15, 25)]


def test_leftmost_longest_resolves_each_type_on_its_own():
    spans = pl.DataFrame({"t": ["actor", "place"], "char_start": [0, 0], "char_end": [5, 3]})
    assert leftmost_longest(spans, ["t"]).height == 2


def _tables(mentions: list[tuple[str, str, int, int]]) -> dict[str, pl.DataFrame]:
    return {
        "mentions": pl.DataFrame(
            mentions, schema=["mention_id", "article_id", "char_start", "char_end"], orient="row"
        )
    }


ARTICLES = pl.DataFrame({"article_id": ["a", "b"], "body": ["x" * 50, "y" * 50]})


def test_hold_back_removes_only_the_article_with_a_duplicate_key():
    tables = _tables([("a:1", "a", 0, 3), ("a:1", "a", 0, 4), ("b:1", "b", 0, 3)])
    kept, held = hold_back(tables, ARTICLES)
    assert held.select("article_id", "reason").rows() == [("a", "duplicate_key:mentions")]
    assert kept["mentions"]["article_id"].to_list() == ["b"]


def test_broken_articles_flags_offsets_past_the_body():
    held = broken_articles(_tables([("a:1", "a", 40, 60), ("b:1", "b", 0, 3)]), ARTICLES)
    assert held.select("article_id", "reason").rows() == [("a", "offset_out_of_range:mentions")]


def test_broken_articles_is_empty_for_clean_rows():
    assert broken_articles(_tables([("a:1", "a", 0, 3), ("b:1", "b", 0, 3)]), ARTICLES).is_empty()


def test_cut_long_texts_pieces_are_bounded_and_point_into_the_original():
    text = " ".join(["Gao", "Kidal", "x" * 25, "killed"] * 20)
    pieces = cut_long_texts(pl.LazyFrame({"text": [text, "short"]}), 40).collect()
    assert pieces["text"].str.len_chars().max() <= 80
    for piece, start in pieces.filter(pl.col("is_cut")).select("text", "cut_start").rows():
        assert text[start : start + len(piece)] == piece


def test_split_sentences_cuts_a_sentence_without_ends_at_the_limit():
    text = " ".join(["Gao Kidal attack killed 12"] * 200)
    paragraphs = pl.LazyFrame(
        {
            "article_id": ["a"],
            "paragraph_no": [0],
            "char_start": [0],
            "char_end": [len(text)],
            "text": [text],
            "is_caption": [False],
            "language": ["en"],
        }
    ).with_columns(pl.col("paragraph_no", "char_start", "char_end").cast(pl.Int32))
    sentences = split_sentences(paragraphs).collect()
    assert sentences.height > 1
    assert sentences["text"].str.len_chars().max() <= 2 * MAX_SENTENCE_CHARS
    for piece, start, end in sentences.select("text", "char_start", "char_end").rows():
        assert text[start:end] == piece


def test_decode_keeps_utf8_with_a_few_bad_bytes_as_utf8():
    decoded = decode("Ménaka and Sévaré ".encode() + b"\xff\xfe")
    assert decoded.encoding == "utf-8" and decoded.replaced == 2
    assert decoded.text.startswith("Ménaka and Sévaré")


def test_decode_reads_short_latin1_as_cp1252():
    assert decode("Casques bleus à Ménaka".encode("latin-1")).text == "Casques bleus à Ménaka"


def test_front_matter_invalid_yaml_is_cut_and_reported():
    meta, body, issues = split_front_matter("---\ntitle: [unclosed\n---\nThe patrol returned.\n")
    assert meta == {} and body == "The patrol returned.\n"
    assert [issue.reason for issue in issues] == ["front_matter_invalid"]


def test_front_matter_unquoted_impossible_date_stays_text():
    meta, _, issues = split_front_matter("---\npublished: 2015-13-45\n---\nText.\n")
    assert meta == {"published": "2015-13-45"} and issues == []


def test_front_matter_alias_bomb_title_is_dropped():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: *c"
    meta, _, issues = split_front_matter(f"---\n{bomb}\n---\nText.\n")
    assert "title" not in meta and [issue.reason for issue in issues] == ["metadata_invalid"]


def test_parse_published_gives_precision_and_refuses_impossible_dates():
    assert parse_published("2013-04") == (date(2013, 4, 1), "month")
    assert parse_published("Jan. 18, 2015") == (date(2015, 1, 18), "day")
    assert parse_published("2015-13-45") == (None, "unknown")
    assert parse_published("45 January 2015") == (None, "unknown")


def test_hold_back_returns_tables_unchanged_when_nothing_breaks():
    tables = _tables([("a:1", "a", 0, 3)])
    kept, held = hold_back(tables, ARTICLES)
    assert held.is_empty()
    assert_frame_equal(kept["mentions"], tables["mentions"])
