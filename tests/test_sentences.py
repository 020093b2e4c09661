"""Sentence splitting: boundaries, abbreviations, offsets and numbering (orchestration/extract/sentences.py)."""

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from text_frames import paragraph_frame, paragraphs_from_lines

from orchestration.extract.schema import SENTENCE_SCHEMA
from orchestration.extract.sentences import load_abbreviations, split_sentences

SENTENCE_GOLD = Path(__file__).parent / "data" / "sentence_gold.jsonl"
# Boundary F1 measured on SENTENCE_GOLD (see the module docstring of sentences.py), rounded down.
GOLD_BOUNDARY_F1 = 0.978


def _paragraphs(*texts: str, article_id: str = "a", captions: tuple[bool, ...] = ()) -> pl.LazyFrame:
    """Paragraphs of one article body made of `texts` joined by blank lines."""
    return paragraph_frame(*texts, article_id=article_id, captions=captions).lazy()


def _texts(*paragraphs: str) -> list[str]:
    return split_sentences(_paragraphs(*paragraphs)).collect()["text"].to_list()


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Rebels took the town. The army fled.", ["Rebels took the town.", "The army fled."]),
        (
            "A convoy left Gao at dawn. 12 trucks followed.",
            ["A convoy left Gao at dawn.", "12 trucks followed."],
        ),
    ],
)
def test_sentences_split_on_period_before_capital_or_digit(paragraph, expected):
    assert _texts(paragraph) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Was it safe? Nobody knew! Talks went on.", ["Was it safe?", "Nobody knew!", "Talks went on."]),
        ("Why now?! Officials would not say.", ["Why now?!", "Officials would not say."]),
    ],
)
def test_sentences_split_on_question_and_exclamation_marks(paragraph, expected):
    assert _texts(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    ["The raid came on Jan. 17 near the border.", "Troops arrived on Sept. 3 and Feb. 9 in the north."],
)
def test_sentences_keep_jan_abbreviation(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    "paragraph",
    [
        "It was led by Gen. Moussa Traoré of the army.",
        "Lt. Col. Diarra and Dr. Keita met Mr. Sy in St. Louis.",
    ],
)
def test_sentences_keep_title_abbreviations(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The U.N. Security Council voted.",
        "Aid from the U.S. State Department and the U.K. Foreign Office came.",
    ],
)
def test_sentences_keep_dotted_acronyms(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("She worked in Fresno, Calif., and Aspen, Colo., for years.", None),
        ("He lives in Albany, N.Y. He writes.", ["He lives in Albany, N.Y. He writes."]),
    ],
)
def test_sentences_keep_state_abbreviations(paragraph, expected):
    assert _texts(paragraph) == (expected or [paragraph])


@pytest.mark.parametrize(
    "paragraph", ["See item No. 5 of the report.", "Annex No. 12 and Art. 4 list the sites."]
)
def test_sentences_keep_number_abbreviation(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    "paragraph", ["The book by J. R. Tolkien sold well.", "Analyst A. Diallo disagreed with B. Ba today."]
)
def test_sentences_keep_initials(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("He called it “a trap.” She agreed.", ["He called it “a trap.”", "She agreed."]),
        ("“We will stay.” The envoy left.", ["“We will stay.”", "The envoy left."]),
    ],
)
def test_sentences_split_after_closing_quote(paragraph, expected):
    assert _texts(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph", ["“It is over,” said the colonel. ", "“Why us?” asked a villager, angry."]
)
def test_sentences_do_not_split_before_lowercase(paragraph):
    assert _texts(paragraph) == [paragraph.strip()]


@pytest.mark.parametrize(
    "paragraph",
    ["Jihadists – most likely Ansar Dine — seized it.", "The mission — approved in April — starts soon."],
)
def test_sentences_dashes_do_not_split(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize("paragraph", ["It costs 3.5 million a year.", "Version 2.0 of the plan failed."])
def test_sentences_decimal_numbers_do_not_split(paragraph):
    assert _texts(paragraph) == [paragraph]


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("  “Gérard Araud spoke.”   Then Mali replied.  ", "Ménaka fell. Ber held."),
        ("Sévaré — the hub. It grew.", "\tKidal. Tessalit!"),
    ],
)
def test_sentences_offsets_point_into_body(paragraphs):
    body = "\n\n".join(paragraphs)
    sentences = split_sentences(_paragraphs(*paragraphs)).collect()
    assert sentences.height >= 4
    for row in sentences.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["text"]
        assert row["text"] == row["text"].strip()


def test_sentences_number_article_wide_in_body_order():
    paragraphs = pl.concat(
        [
            _paragraphs("Two. Three.", "Four.", article_id="b"),
            _paragraphs("One. Two.", "Three.", article_id="a"),
        ]
    ).reverse()
    result = split_sentences(paragraphs).collect().sort("article_id", "sentence_no")
    assert result["sentence_no"].to_list() == [0, 1, 2, 0, 1, 2]
    assert result["paragraph_no"].to_list() == [0, 0, 1, 0, 0, 1]
    assert result["text"].to_list() == ["One.", "Two.", "Three.", "Two.", "Three.", "Four."]


def test_sentences_carry_caption_flag_and_language():
    paragraphs = _paragraphs("Soldiers on patrol. PHOTO CREDIT", "The patrol ended.", captions=(True, False))
    result = split_sentences(paragraphs).collect()
    assert result["is_caption"].to_list() == [True, True, False]
    assert result["language"].unique().to_list() == ["en"]


def test_sentences_never_cross_paragraphs():
    assert _texts("A headline without a period", "Body text starts here.") == [
        "A headline without a period",
        "Body text starts here.",
    ]


def test_sentences_schema_matches_contract():
    result = split_sentences(_paragraphs("One sentence.")).collect()
    assert result.schema == pl.Schema(SENTENCE_SCHEMA)
    assert_frame_equal(
        result.select("char_start", "char_end"),
        pl.DataFrame(
            {"char_start": [0], "char_end": [13]}, schema={"char_start": pl.Int32, "char_end": pl.Int32}
        ),
    )


def test_sentences_seed_articles_offsets_hold(shared_corpus):
    for path in sorted(shared_corpus.glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        sentences = split_sentences(paragraphs_from_lines(body, path.stem)).collect()
        assert sentences.height > 50
        for row in sentences.iter_rows(named=True):
            assert body[row["char_start"] : row["char_end"]] == row["text"]


def test_sentences_empty_input_gives_empty_contract_frame():
    empty = _paragraphs("x").clear()
    result = split_sentences(empty).collect()
    assert result.is_empty()
    assert result.schema == pl.Schema(SENTENCE_SCHEMA)


def _gold() -> list[dict]:
    return [json.loads(line) for line in SENTENCE_GOLD.read_text(encoding="utf-8").splitlines()]


def _boundary_f1(gold: list[dict], abbreviations: pl.DataFrame) -> float:
    """Micro F1 of sentence ends inside paragraphs (the paragraph end is not counted: always a boundary)."""
    frame = pl.LazyFrame(
        [
            {
                "article_id": f"{number:05d}",
                "paragraph_no": 0,
                "char_start": 0,
                "char_end": len(record["text"]),
                "text": record["text"],
                "is_caption": False,
                "language": record["language"],
            }
            for number, record in enumerate(gold)
        ]
    )
    found = split_sentences(frame, abbreviations).collect()
    ends = {key: group["char_end"].to_list() for key, group in found.group_by("article_id")}
    hits = predicted = expected = 0
    for number, record in enumerate(gold):
        last = len(record["text"].rstrip())
        wanted = {end for end in record["ends"] if end != last}
        got = {end for end in ends.get((f"{number:05d}",), []) if end != last}
        hits, predicted, expected = hits + len(wanted & got), predicted + len(got), expected + len(wanted)
    return 2 * hits / (predicted + expected)


def test_sentences_gold_file_is_well_formed():
    gold = _gold()
    assert len(gold) > 400
    for record in gold:
        text, ends = record["text"], record["ends"]
        assert ends == sorted(set(ends)), record["source"]
        assert ends[-1] == len(text.rstrip()), record["source"]
        for end in ends:
            assert not text[end - 1].isspace() and text[end : end + 1] in ("", " "), record["source"]


def test_sentences_boundary_f1_on_gold_holds():
    assert _boundary_f1(_gold(), load_abbreviations()) >= GOLD_BOUNDARY_F1


def test_sentences_boundary_f1_on_gold_drops_without_title_abbreviations():
    titles_dropped = load_abbreviations().filter(pl.col("category") != "title")
    assert _boundary_f1(_gold(), titles_dropped) < GOLD_BOUNDARY_F1
