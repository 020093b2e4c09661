"""Figures: numbers, hedges and bounds, counted nouns, and what is not a figure (orchestration/extract/figures.py)."""

import json

import polars as pl
import pytest
from text_frames import seed_articles, sentence_frame

from orchestration.extract.figures import find_figures
from orchestration.extract.schema import MENTION_SCHEMA


def _figures(*texts: str) -> list[dict]:
    return find_figures(sentence_frame(*texts)).collect().to_dicts()


def _only(text: str) -> dict:
    (figure,) = _figures(text)
    return figure


def _bounds(figure: dict) -> tuple:
    return figure["qualifier"], figure["value_low"], figure["value_best"], figure["value_high"]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Gunmen killed 29 peacekeepers last year.", "29 peacekeepers", 29, "peacekeeper"),
        ("The base holds 4,000 soldiers now.", "4,000 soldiers", 4000, "soldier"),
    ],
)
def test_figure_digits_with_unit_are_exact(text, surface, value, unit):
    figure = _only(text)
    assert (figure["surface"], figure["unit"]) == (surface, unit)
    assert _bounds(figure) == ("exact", value, value, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("Thirty-four peacekeepers have died.", 34), ("They saw twenty one helicopters overhead.", 21)],
)
def test_figure_word_numbers_are_converted(text, value):
    assert _only(text)["value_best"] == value


@pytest.mark.parametrize(
    "text", ["Norway sent a dozen personnel to the mission.", "A dozen soldiers guard the airstrip."]
)
def test_figure_a_dozen_is_twelve(text):
    assert _bounds(_only(text)) == ("exact", 12, 12, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It fields about 9,200 troops.", ("approx", 8280, 9200, 10120)),
        ("Around 30 rebels fled.", ("approx", 27, 30, 33)),
        ("Some 4,000 police arrived.", ("approx", 3600, 4000, 4400)),
    ],
)
def test_figure_about_sets_ten_percent_bounds(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A force of nearly 13,000 personnel was approved.", ("at_most", 11700, 13000, 13000)),
        ("Almost 500 civilians fled.", ("at_most", 450, 500, 500)),
    ],
)
def test_figure_nearly_sets_high_bound(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 30 soldiers were hurt.", ("more_than", 31, 31, None)),
        ("The blast injured over 12 villagers.", ("more_than", 13, 13, None)),
    ],
)
def test_figure_more_than_sets_low_bound_above(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 10 civilians died.", ("at_least", 10, 10, None)),
        ("No fewer than 7 guards were taken.", ("at_least", 7, 7, None)),
    ],
)
def test_figure_at_least_sets_low_bound(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Up to 250 police officers may deploy.", ("at_most", None, 250, 250)),
        ("As many as 60 fighters took part.", ("at_most", None, 60, 60)),
    ],
)
def test_figure_up_to_sets_high_bound_only(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fewer than 20 soldiers remain.", ("less_than", None, None, 19)),
        ("Less than 100 observers came.", ("less_than", None, None, 99)),
    ],
)
def test_figure_fewer_than_sets_high_bound_below(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 10 and 15 rebels attacked.", ("range", 10, 12.5, 15)),
        ("The raid killed two or three civilians.", ("range", 2, 2.5, 3)),
        ("It needs 10-20 helicopters.", ("range", 10, 15, 20)),
    ],
)
def test_figure_between_sets_range(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dozens of villagers fled.", ("vague", 24, 24, 99)),
        ("Hundreds of civilians marched.", ("vague", 200, 200, 999)),
    ],
)
def test_figure_dozens_is_vague(text, expected):
    assert _bounds(_only(text)) == expected


@pytest.mark.parametrize("text", ["Several reasons were given.", "Dozens of questions remain."])
def test_figure_vague_quantity_needs_a_counted_noun(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("The blast killed a Chadian peacekeeper.", "a Chadian peacekeeper", "peacekeeper"),
        ("An unarmed civilian was shot.", "An unarmed civilian", "civilian"),
    ],
)
def test_figure_indefinite_article_counts_one(text, surface, unit):
    figure = _only(text)
    assert (figure["surface"], figure["unit"]) == (surface, unit)
    assert _bounds(figure) == ("exact", 1, 1, 1)


@pytest.mark.parametrize("text", ["He is a member of the panel.", "A troop contingent arrived."])
def test_figure_indefinite_article_needs_a_person_noun(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("An ambush wounded seven Senegalese peacekeepers.", "peacekeeper"),
        ("Paris keeps about 1,000 combat troops there.", "troop"),
        ("Two infantry companies are in Gao.", "company"),
    ],
)
def test_figure_unit_skips_modifiers(text, unit):
    assert _only(text)["unit"] == unit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Rebels freed four others.", "other"),
        ("It has 300 police officers.", "police"),
        ("Nearly 900 military and police personnel serve.", "personnel"),
    ],
)
def test_figure_unit_is_singular_lemma(text, unit):
    assert _only(text)["unit"] == unit


@pytest.mark.parametrize(
    "text", ["The raid killed 3 and injured five civilians.", "Gunmen shot 2 and kidnapped six workers."]
)
def test_figure_unit_not_taken_across_another_number(text):
    first, second = _figures(text)
    assert first["unit"] in (None, "person")  # "killed 3": an elided victim noun, never the later one
    assert second["unit"] in {"civilian", "worker"}


@pytest.mark.parametrize(
    "text",
    [
        "It may have about 12,000 troops but has only about 9,200 till now.",
        "Plans call for 800 soldiers, of whom 500 are there.",
    ],
)
def test_figure_elliptical_number_reuses_previous_unit(text):
    first, second = _figures(text)
    assert second["unit"] == first["unit"] is not None


@pytest.mark.parametrize(
    "text", ["The coup of 2012 changed everything.", "Between 2013 and 2015 the war spread."]
)
def test_figure_year_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["Talks ended on Jan. 17 in Algiers.", "The vote on 8 March was close."])
def test_figure_day_of_a_date_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    "text", ["The shelling began at 10:30 and ended.", "Fire broke out at 3 p.m. there."]
)
def test_figure_clock_time_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    "text", ["Konna lies about 435 miles north of the capital.", "The camp is 80 km from the border."]
)
def test_figure_distance_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["The budget is $5 million this year.", "Donors gave 20 million euros."])
def test_figure_money_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["Turnout fell to 40% in the north.", "Some 12 percent voted."])
def test_figure_percentage_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    "text", ["The council adopted resolution 2100 unanimously.", "Under Resolution 2164 the mandate grew."]
)
def test_figure_resolution_number_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["See press release SC/11461 for details.", "It is listed as No. 5 there."])
def test_figure_document_number_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["The 21st battalion left first.", "It was the 3rd attack this week."])
def test_figure_ordinal_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text", ["One of them escaped.", "A three-day truce held."])
def test_figure_bare_one_and_hyphenated_word_are_not_figures(text):
    assert _figures(text) == []


def test_figure_offsets_match_surface_in_body():
    texts = ("Ménaka: “about 40 soldiers” left.", "Sévaré — nearly 13,000 personnel and four others.")
    body = "\n".join(texts)
    figures = _figures(*texts)
    assert len(figures) == 3
    for figure in figures:
        assert body[figure["char_start"] : figure["char_end"]] == figure["surface"]
        assert figure["mention_id"] == f"a:{figure['char_start']}:{figure['char_end']}:figure"


def test_figure_schema_matches_contract():
    result = find_figures(sentence_frame("About 30 troops left.")).collect()
    assert result.schema == pl.Schema(MENTION_SCHEMA)
    assert result.select("mention_type", "match_method").row(0) == ("figure", "pattern")


def test_figure_seed_articles_find_gold_aggregates(shared_corpus):
    for name, body, sentences, _ in seed_articles(shared_corpus):
        gold = json.loads((shared_corpus / "gold" / name.replace(".txt", ".json")).read_text())
        figures = find_figures(sentences).collect()
        assert all(
            body[r["char_start"] : r["char_end"]] == r["surface"] for r in figures.iter_rows(named=True)
        )
        for fact in gold["aggregate_figures"]:
            found = figures.filter(pl.col("value_best") == fact["value"])
            if "miles" in fact["quote"]:
                # Distances are deliberately not figures (issue 8); the gold lists one as an aggregate.
                assert found.is_empty(), fact
            else:
                assert found.height >= 1, fact
                if fact.get("approx"):
                    assert found["qualifier"].to_list() != ["exact"], fact


def test_figure_sentences_without_numbers_give_empty_contract_frame():
    result = find_figures(sentence_frame("No count here.", "Nor here, said the envoy.")).collect()
    assert result.is_empty()
    assert result.schema == pl.Schema(MENTION_SCHEMA)


@pytest.mark.parametrize(
    ("text", "number"),
    [("A 25-year-old soldier was shot.", 25), ("Rebels mined a 10-km stretch of road.", 10)],
)
def test_figure_number_hyphenated_to_a_measure_is_not_a_figure(text, number):
    assert number not in [f["value_best"] for f in _figures(text)]


@pytest.mark.parametrize("text", ["A 25-year-old soldier was shot.", "Gunmen killed a 40-year-old villager."])
def test_figure_indefinite_article_allows_hyphenated_age(text):
    assert [(f["value_best"], f["qualifier"]) for f in _figures(text)] == [(1, "exact")]


@pytest.mark.parametrize(
    "text",
    [
        "At least 25 wounded when gunmen opened fire on the market.",
        "Nine were injured as militants stormed the checkpoint.",
        "Officials counted 14 dead after rebels shelled the town.",
    ],
)
def test_figure_unit_not_taken_across_a_casualty_word(text):
    assert [f["unit"] for f in _figures(text)] == ["person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two soldiers were killed and five others injured.", ["soldier", "other"]),
        ("Three policemen died and seven wounded in the raid.", ["policeman", "policeman"]),
        ("A blast killed two Chadian peacekeepers and injured four.", ["peacekeeper", "peacekeeper"]),
    ],
)
def test_figure_elided_victim_takes_previous_person_unit(text, expected):
    assert [f["unit"] for f in _figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["The raid ended killing at least three and wounding none.", "Gunmen stormed the post, killing 7."],
)
def test_figure_number_after_casualty_verb_counts_people(text):
    assert _figures(text)[0]["unit"] == "person"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The death toll rose to nine on Sunday.", 9),
        ("The death toll from the ambush climbed to 14, officials said.", 14),
        ("Medics put the casualty count at 31.", 31),
    ],
)
def test_figure_toll_counts_people(text, value):
    assert [(f["value_best"], f["unit"]) for f in _figures(text)] == [(value, "person")]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Three Togolese blue helmets were hurt.", "peacekeeper"),
        ("One blue helmet died in the blast.", "peacekeeper"),
        ("Seven U.N. peacekeepers lost their lives.", "peacekeeper"),
        ("Ten UN peacekeepers were wounded.", "peacekeeper"),
        ("One Egyptian peacekeeper was killed.", "peacekeeper"),
        ("Mines wounded 12 members of the Malian armed forces.", "member"),
        ("Officials said a dozen UN troops would arrive.", "troop"),
    ],
)
def test_figure_unit_across_nationality_and_acronym(text, unit):
    assert [f["unit"] for f in _figures(text)] == [unit]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three peacekeepers (two from Chad) were killed.", [(3, "peacekeeper"), (2, "peacekeeper")]),
        ("The convoy (12 vehicles) was hit.", [(12, "vehicle")]),
    ],
)
def test_figure_number_in_parentheses(text, expected):
    assert [(f["value_best"], f["unit"]) for f in _figures(text)] == expected


@pytest.mark.parametrize(
    "text", ["Call +223 20 22 14 71 for details.", "The hotline is 44 90 12 55, open daily."]
)
def test_figure_phone_number_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    "text",
    ["The attack happened on 17/01/2015.", "It was logged on 2015-01-18 at the base.", "Dated 03.02.2016."],
)
def test_figure_numeric_date_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    "text",
    ["Fighting started at 0600 GMT and stopped at 1430 GMT.", "The assault began at 6 a.m. local time."],
)
def test_figure_clock_time_in_gmt_or_am_is_not_a_figure(text):
    assert _figures(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("In March 2013 two peacekeepers died.", 2), ("On 12 May 2014 about 20 soldiers were hurt.", 20)],
)
def test_figure_word_or_hedged_number_after_a_year_is_kept(text, value):
    assert [f["value_best"] for f in _figures(text)] == [value]


@pytest.mark.parametrize(
    ("text", "values"),
    [("The council adopted resolution No. 2100 in April.", []), ("Decree No. 45 named 12 officers.", [12])],
)
def test_figure_number_after_no_abbreviation_is_not_a_figure(text, values):
    assert [f["value_best"] for f in _figures(text)] == values


@pytest.mark.parametrize(
    "text",
    [
        "The death toll went up sharply after two more died.",
        "The death toll rose on Monday after three more died.",
    ],
)
def test_figure_toll_needs_casualty_total_right_before_the_number(text):
    assert [f["unit"] for f in _figures(text)][-1] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The number of soldiers killed in the ambush has risen to three.", 3),
        ("Those injured in the blast now stands at 14, officials said.", 14),
        ("Two of the injured soldiers died in hospital.", 2),
        ("The army said three of those wounded had died.", 3),
    ],
)
def test_figure_revised_total_or_part_of_the_casualties_counts_people(text, value):
    people = [f for f in _figures(text) if f["unit"] == "person"]
    assert [f["value_best"] for f in people] == [value]


