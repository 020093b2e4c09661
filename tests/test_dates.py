"""Dates: absolute and relative expressions resolved against the publication date (orchestration/extract/dates.py)."""

import datetime as dt
import json

import polars as pl
import pytest
from text_frames import paragraph_sentences, seed_articles, sentence_frame

from orchestration.extract.dates import find_dates
from orchestration.extract.schema import MENTION_SCHEMA

D = dt.date
PUBLISHED = D(2015, 1, 18)  # a Sunday


def _articles(published: dt.date | None, precision: str = "day") -> pl.LazyFrame:
    return pl.LazyFrame(
        {"article_id": ["a"], "published_date": [published], "published_precision": [precision]},
        schema={"article_id": pl.String, "published_date": pl.Date, "published_precision": pl.String},
    )


def _dates(text: str, published: dt.date | None = PUBLISHED, precision: str = "day") -> list[tuple]:
    result = find_dates(sentence_frame(text), _articles(published, precision)).collect()
    return list(result.select("surface", "resolved_date", "date_end", "date_precision").iter_rows())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strikes began on Jan. 11, 2013, in the north.", ("Jan. 11, 2013", D(2013, 1, 11))),
        ("The convoy was hit on 8 March 2015 near Ber.", ("8 March 2015", D(2015, 3, 8))),
        ("It was signed on June 20, 2015.", ("June 20, 2015", D(2015, 6, 20))),
    ],
)
def test_dates_full_date_is_day(text, expected):
    surface, day = expected
    assert _dates(text) == [(surface, day, day, "day")]


@pytest.mark.parametrize(
    ("text", "day"),
    [("The raid on Jan. 17 failed.", D(2015, 1, 17)), ("On 3 January a mine exploded.", D(2015, 1, 3))],
)
def test_dates_month_day_takes_publication_year(text, day):
    assert _dates(text)[0][1:] == (day, day, "day")


@pytest.mark.parametrize(
    ("text", "day"),
    [("Rebels struck on Jan. 25 again.", D(2014, 1, 25)), ("The truce of March 2 collapsed.", D(2014, 3, 2))],
)
def test_dates_month_day_after_publication_goes_to_previous_year(text, day):
    assert _dates(text)[0][1] == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The mission will begin on July 1.", D(2015, 7, 1)),
        ("Talks are scheduled for Jan. 5 in Algiers.", D(2016, 1, 5)),
    ],
)
def test_dates_future_tense_goes_forward(text, day):
    assert _dates(text)[0][1] == day


@pytest.mark.parametrize(
    ("text", "published", "precision", "day"),
    [
        ("The vote was on April 25 in New York.", D(2013, 4, 1), "month", D(2013, 4, 25)),
        ("Fighting resumed on Dec. 30 there.", D(2014, 12, 1), "month", D(2014, 12, 30)),
    ],
)
def test_dates_month_precision_publication_uses_its_last_day(text, published, precision, day):
    assert _dates(text, published, precision)[0][1] == day


@pytest.mark.parametrize("text", ["Fighting resumed on Dec. 30 there.", "Rebels came back in early March."])
def test_dates_year_precision_publication_leaves_month_day_unknown(text):
    assert _dates(text, D(2014, 1, 1), "year")[0][1:] == (None, None, "unknown")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It followed a March 2012 coup.", ("March 2012", D(2012, 3, 1), D(2012, 3, 31))),
        ("The mission deployed in July 2013.", ("July 2013", D(2013, 7, 1), D(2013, 7, 31))),
    ],
)
def test_dates_month_year_is_month(text, expected):
    assert _dates(text) == [(*expected, "month")]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("A mine exploded in early January at the airstrip.", D(2015, 1, 1), D(2015, 1, 10)),
        ("The offensive came in mid-January.", D(2015, 1, 11), D(2015, 1, 20)),
    ],
)
def test_dates_part_of_month_is_month_precision_range(text, start, end):
    assert _dates(text)[0][1:] == (start, end, "month")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("A clash in late December near Timbuktu ended.", D(2014, 12, 21)),
        ("Rains came in November.", D(2014, 11, 1)),
    ],
)
def test_dates_month_after_publication_month_goes_to_previous_year(text, start):
    assert _dates(text)[0][1] == start


@pytest.mark.parametrize("text", ["Conditions May Be Unsafe", "A long March ended."])
def test_dates_bare_month_needs_a_preposition(text):
    assert _dates(text) == []


@pytest.mark.parametrize(
    ("text", "year"),
    [("The mission lost 29 peacekeepers in 2014.", 2014), ("During 2012 the north fell.", 2012)],
)
def test_dates_in_year_is_year(text, year):
    (row,) = _dates(text)
    assert row[1:] == (D(year, 1, 1), D(year, 12, 31), "year")


@pytest.mark.parametrize("text", ["The 2012 coup changed Mali.", "It adopted resolution 2100 quickly."])
def test_dates_bare_year_without_preposition_is_not_a_date(text):
    assert _dates(text) == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Thirty-four peacekeepers have died since 2013.", D(2013, 1, 1)),
        ("Since July 2013 the mission has grown.", D(2013, 7, 1)),
    ],
)
def test_dates_since_is_range_to_publication(text, start):
    assert _dates(text)[0][1:] == (start, D(2015, 1, 18), "range")


@pytest.mark.parametrize(
    ("text", "surface"),
    [("She served from 2008 to 2011 there.", "2008 to 2011"), ("In 2012-2014 it grew.", "2012-2014")],
)
def test_dates_year_range_is_range(text, surface):
    assert _dates(text)[0][0] == surface
    assert _dates(text)[0][3] == "range"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Gunmen struck on Friday.", D(2015, 1, 16)),
        ("The camp was shelled Sunday.", D(2015, 1, 18)),
        ("It happened last Sunday.", D(2015, 1, 11)),
    ],
)
def test_dates_weekday_is_last_on_or_before_publication(text, day):
    assert _dates(text)[0][1] == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels attacked last week.", (D(2015, 1, 5), D(2015, 1, 11), "range")),
        ("The UN said last month that it would stay.", (D(2014, 12, 1), D(2014, 12, 31), "month")),
        ("Officials spoke yesterday.", (D(2015, 1, 17), D(2015, 1, 17), "day")),
    ],
)
def test_dates_relative_words_count_back_from_publication(text, expected):
    assert _dates(text)[0][1:] == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Assailants stormed the camp this morning, the mission said.", D(2015, 1, 18)),
        ("A second convoy is expected to arrive tonight.", D(2015, 1, 18)),
        ("The patrol came under fire this afternoon near the river.", D(2015, 1, 18)),
        ("Mortar rounds landed inside the base last night.", D(2015, 1, 17)),
    ],
)
def test_dates_parts_of_the_publication_day_resolve_to_it(text, day):
    assert _dates(text)[0][1:] == (day, day, "day")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The base was hit on Jan. 11, 2013, and the day before a mine exploded.", D(2013, 1, 10)),
        ("On 8 March 2015 a convoy was hit; two days later a camp fell.", D(2015, 3, 10)),
    ],
)
def test_dates_day_offset_uses_the_sentence_date(text, day):
    assert _dates(text)[-1][1:] == (day, day, "day")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Strikes began on Jan. 11, 2013, a day after jihadists took Konna.", D(2013, 1, 10)),
        ("Troops left on 5 May 2014, two days after the town fell.", D(2014, 5, 3)),
    ],
)
def test_dates_day_after_apposition_goes_back(text, day):
    assert _dates(text)[-1][1] == day


@pytest.mark.parametrize("text", ["The next day the convoy left.", "A day later rebels returned."])
def test_dates_day_offset_without_sentence_date_uses_publication(text):
    assert _dates(text)[0][1] == D(2015, 1, 19)


@pytest.mark.parametrize(
    "text", ["Gunmen struck on Friday.", "The raid on Jan. 17 failed.", "It began in early January."]
)
def test_dates_relative_without_publication_date_is_unknown(text):
    assert _dates(text, None, "unknown")[0][1:] == (None, None, "unknown")


@pytest.mark.parametrize("text", ["Rebels attacked last week.", "Gunmen struck on Friday."])
def test_dates_weekday_needs_day_precision_publication(text):
    assert _dates(text, D(2015, 1, 1), "month")[0][3] == "unknown"


@pytest.mark.parametrize("text", ["It was due on Feb. 30, 2015.", "The raid of 31 April 2014 is disputed."])
def test_dates_impossible_day_is_unknown(text):
    assert _dates(text)[0][1:] == (None, None, "unknown")


def test_dates_offsets_match_surface_in_body():
    texts = ("Ménaka — “since 2013” — fell.", "Sévaré: on Jan. 7, 2015, and last week.")
    body = "\n".join(texts)
    result = find_dates(sentence_frame(*texts), _articles(D(2015, 1, 18))).collect()
    assert result.height == 3
    for row in result.iter_rows(named=True):
        assert body[row["char_start"] : row["char_end"]] == row["surface"]


def test_dates_schema_matches_contract():
    result = find_dates(sentence_frame("It began in 2013."), _articles(D(2015, 1, 18))).collect()
    assert result.schema == pl.Schema(MENTION_SCHEMA)
    assert result.select("mention_type", "match_method").row(0) == ("date", "pattern")


def test_dates_seed_articles_find_attack_dates(shared_corpus):
    for name, body, sentences, articles in seed_articles(shared_corpus):
        gold = json.loads((shared_corpus / "gold" / name.replace(".txt", ".json")).read_text())
        dates = find_dates(sentences, articles).collect()
        assert all(body[r["char_start"] : r["char_end"]] == r["surface"] for r in dates.iter_rows(named=True))
        for attack in gold["attacks"]:
            if attack.get("optional") or not attack["date"]:
                continue
            if len(attack["date"]) == 10:
                found = dates.filter(
                    (pl.col("resolved_date") == D.fromisoformat(attack["date"]))
                    & (pl.col("date_precision") == "day")
                )
            else:
                found = dates.filter(
                    (pl.col("resolved_date").dt.strftime("%Y-%m") == attack["date"])
                    & (pl.col("date_precision") == "month")
                )
            assert found.height >= 1, attack


def test_dates_sentences_without_dates_give_empty_contract_frame():
    result = find_dates(sentence_frame("No time here.", "Nor here."), _articles(PUBLISHED)).collect()
    assert result.is_empty()
    assert result.schema == pl.Schema(MENTION_SCHEMA)


def _paragraph_dates(*paragraphs: str, published: dt.date = PUBLISHED) -> list[tuple]:
    result = find_dates(paragraph_sentences(*paragraphs), _articles(published)).collect()
    return list(result.select("surface", "resolved_date", "date_precision").iter_rows())


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Rebels attacked the camp on 12 March 2014. The day before, a patrol was ambushed.", D(2014, 3, 11)),
        ("A mine exploded on Jan. 9. Two days earlier, a convoy was hit.", D(2015, 1, 7)),
        ("The post fell on 3 May 2013. A day later, troops retook it.", D(2013, 5, 4)),
    ],
)
def test_dates_day_offset_anchors_on_previous_sentence(text, day):
    assert _paragraph_dates(text)[-1][1:] == (day, "day")


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("Rebels attacked on 12 March 2014.", "The day before, a patrol was ambushed."),
        (
            "A mine exploded on Jan. 9. Nobody was hurt. Troops searched the area.",
            "Two days earlier it rained.",
        ),
    ],
)
def test_dates_day_offset_ignores_dates_of_other_paragraphs(paragraphs):
    offset = _paragraph_dates(*paragraphs)[-1]
    assert offset[1] == PUBLISHED - dt.timedelta(days=1 if "day before" in offset[0] else 2)


@pytest.mark.parametrize(
    "text",
    [
        "A mine exploded on 4 June 2014. Nobody was hurt. Troops searched the area. The next day it rained.",
        "Gunmen struck on Jan. 2. The army replied. Officials met. The day before they had warned.",
    ],
)
def test_dates_day_offset_does_not_anchor_two_sentences_back(text):
    assert _paragraph_dates(text)[-1][1] in (
        PUBLISHED + dt.timedelta(days=1),
        PUBLISHED - dt.timedelta(days=1),
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "A mine exploded on March 3. Two days earlier, a convoy was hit. The previous day, nothing moved.",
            D(2014, 2, 28),
        ),
        (
            "Troops left on 10 May 2014. A day later the town fell, and a day after that, the airport.",
            D(2014, 5, 12),
        ),
    ],
)
def test_dates_day_offset_chains_on_an_earlier_offset(text, day):
    assert _paragraph_dates(text, published=D(2014, 5, 20))[-1][1] == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Gunmen attacked Ber on March 3. Two days after the attack, a convoy was hit.", D(2014, 3, 5)),
        ("The town fell on 9 May 2014. A day after that, troops arrived.", D(2014, 5, 10)),
    ],
)
def test_dates_day_after_in_next_sentence_goes_forward(text, day):
    assert _paragraph_dates(text, published=D(2014, 5, 20))[-1][1] == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Attacks rose earlier this month.", (D(2015, 1, 1), D(2015, 1, 18), "month")),
        ("Talks resumed earlier this week in Algiers.", (D(2015, 1, 12), D(2015, 1, 18), "range")),
        ("The council meets later this month.", (D(2015, 1, 18), D(2015, 1, 31), "month")),
    ],
)
def test_dates_earlier_or_later_this_period_is_bounded_by_publication(text, expected):
    assert _dates(text)[0][1:] == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Rebels struck in the night from Saturday to Sunday.", [D(2015, 1, 17), D(2015, 1, 18)]),
        ("The raid lasted from Thursday to Friday.", [D(2015, 1, 15), D(2015, 1, 16)]),
    ],
)
def test_dates_weekday_span_resolves_each_day(text, days):
    assert [d[1] for d in _dates(text)] == days


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The attack happened on 17/01/2015.", D(2015, 1, 17)),
        ("It was logged on 2015-01-16 at the base.", D(2015, 1, 16)),
        ("The report dated 03.02.2014 says so.", D(2014, 2, 3)),
        ("The US memo dated 12/25/2014 says so.", D(2014, 12, 25)),
    ],
)
def test_dates_numeric_date_is_day(text, day):
    assert _dates(text)[0][1:] == (day, day, "day")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Rockets hit the camp on Friday. The attack came a day after a mine wounded two soldiers.",
            D(2015, 1, 15),
        ),
        ("Troops left on 5 May 2014. Their exit came two days after the town fell.", D(2014, 5, 3)),
    ],
)
def test_dates_day_after_inside_next_sentence_dates_the_earlier_event(text, day):
    assert _paragraph_dates(text)[-1][1] == day


def _dates_in(*paragraphs: str, published: dt.date) -> list[tuple]:
    result = find_dates(paragraph_sentences(*paragraphs), _articles(published)).collect()
    return list(result.select("surface", "resolved_date", "date_precision").iter_rows())


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            ("2016", "3 February – A convoy struck a mine near Bourem.", "In late August, a camp was shelled."),
            [("3 February", D(2016, 2, 3), "day"), ("late August", D(2016, 8, 21), "month")],
        ),
        (
            ("== 2014 ==", "On 19 March, rockets fell on the camp in Tessalit."),
            [("19 March", D(2014, 3, 19), "day")],
        ),
        (
            ("On 14 January 2015, a patrol was ambushed near Ber. On 9 March, the camp in Kidal was shelled.",),
            [("14 January 2015", D(2015, 1, 14), "day"), ("9 March", D(2015, 3, 9), "day")],
        ),
    ],
)
def test_dates_without_a_year_take_the_year_of_their_heading_or_paragraph(paragraphs, expected):
    assert _dates_in(*paragraphs, published=D(2021, 6, 10)) == expected


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("The mission was deployed in July 2013. Gunmen attacked its camp on 12 March.",),
        ("Since 14 January 2015 the road has been closed.", "On 12 March, a convoy was hit."),
    ],
)
def test_dates_background_month_year_or_since_sets_no_year(paragraphs):
    # a month-year of background ("in July 2013") and a "since" date do not move "12 March"
    (*_, last) = _dates_in(*paragraphs, published=D(2019, 3, 15))
    assert last[1] == D(2019, 3, 12)


@pytest.mark.parametrize(
    "heading", ["Attacks recorded in 2017", "The following incidents were reported in 2017:", "### 2017"]
)
def test_dates_short_title_or_list_lead_in_with_a_year_is_a_heading(heading):
    assert _dates_in(heading, "5 May: a patrol was ambushed near Ber.", published=D(2021, 6, 10))[-1][1] == D(
        2017, 5, 5
    )


@pytest.mark.parametrize(
    ("title", "year"),
    [("Attacks on the mission in 2015 (timeline)", 2015), ("Convoy ambushed near Ber on 9 March", 2021)],
)
def test_dates_title_with_one_year_heads_the_body(title, year):
    articles = pl.LazyFrame(
        {
            "article_id": ["a"],
            "published_date": [D(2021, 6, 10)],
            "published_precision": ["day"],
            "title": [title],
        }
    )
    found = find_dates(paragraph_sentences("On 9 March, a convoy was ambushed near Ber."), articles).collect()
    assert found["resolved_date"].to_list() == [D(year, 3, 9)]


@pytest.mark.parametrize("separator", [":", " –"])
def test_dates_roundup_weekday_labels_tell_the_past_week(separator):
    found = _dates_in(
        f"Monday{separator} a mine hit a convoy near Gossi.",
        f"Wednesday{separator} gunmen attacked a post at Boni.",
        published=D(2020, 3, 16),  # a Monday
    )
    assert [row[1] for row in found] == [D(2020, 3, 9), D(2020, 3, 11)]


def test_dates_single_weekday_on_publication_weekday_is_that_day():
    assert _dates_in("Monday: the mission reported calm in Gao.", published=D(2020, 3, 16))[0][1] == D(2020, 3, 16)
