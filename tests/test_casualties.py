"""Casualty claims (orchestration/extract/casualties.py): each rule shown by two differently worded
sentences written for these tests (no third-party text)."""

import polars as pl
import pytest
from claim_frames import casualty_counts, counts, extracted

ATTACK = "Gunmen attacked a MINUSMA convoy near Gao on 14 March 2019."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The blast led to the death of two peacekeepers and the injury of five others.",
            {"killed": 2, "wounded": 5},
        ),
        (
            "It resulted in the deaths of three soldiers and injuries to four others.",
            {"killed": 3, "wounded": 4},
        ),
    ],
)
def test_casualty_nominalized_death_and_injury_are_counted_apart(sentence, expected):
    assert casualty_counts(ATTACK, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("The assault claimed the lives of at least three peacekeepers.", 3),
        ("The ambush cost the lives of two soldiers.", 2),
        ("Four peacekeepers from Niger lost their lives.", 4),
        ("One Togolese soldier lost his life in the explosion.", 1),
    ],
)
def test_casualty_periphrastic_death_is_killed(sentence, killed):
    assert casualty_counts(ATTACK, sentence) == {"killed": killed}


@pytest.mark.parametrize(
    "sentence",
    [
        "A peacekeeper from Chad was killed; another was also injured.",
        "One soldier died and another was wounded.",
    ],
)
def test_casualty_trailing_another_adds_one_wounded(sentence):
    assert casualty_counts(ATTACK, sentence) == {"killed": 1, "wounded": 1}


@pytest.mark.parametrize(
    "sentence",
    [
        "A Bangladeshi peacekeeper was seriously wounded and succumbed to his wounds after being flown to Gao.",
        "One Chadian soldier was badly injured and later died of his wounds.",
    ],
)
def test_casualty_succumbed_counts_the_victim_as_killed_not_wounded(sentence):
    assert casualty_counts(ATTACK, sentence) == {"killed": 1}


@pytest.mark.parametrize(
    "paragraphs",
    [
        (
            "Two peacekeepers were seriously injured.",
            "One of them succumbed to his wounds during the evacuation.",
        ),
        (
            "Three soldiers were wounded in the blast.",
            "One of the wounded later died of his wounds in hospital.",
        ),
    ],
)
def test_casualty_one_of_them_succumbed_moves_a_victim_from_wounded_to_killed(paragraphs):
    ((_, _, _, killed, wounded),) = counts(ATTACK + " " + paragraphs[0] + " " + paragraphs[1])
    injured = 2 if paragraphs[0].startswith("Two") else 3
    assert (killed, wounded) == (1, injured - 1)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Mortar rounds struck the camp, leaving a toll of one dead and three injured.",
            {"killed": 1, "wounded": 3},
        ),
        (
            "The attack left a toll of two dead and six injured among peacekeepers.",
            {"killed": 2, "wounded": 6},
        ),
    ],
)
def test_casualty_toll_of_dead_and_injured(sentence, expected):
    assert casualty_counts(ATTACK, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The attack caused casualties among peacekeepers and civilians.",
        "The mission reported casualties among the escort without giving figures.",
    ],
)
def test_casualty_casualties_without_a_number_is_never_killed(sentence):
    assert casualty_counts(ATTACK, sentence) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Four people were wounded, among them a civilian driver.", {"wounded": 4}),
        ("Six were injured, including two children.", {"wounded": 6}),
    ],
)
def test_casualty_subset_after_among_them_is_not_added(sentence, expected):
    assert casualty_counts(ATTACK, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "No peacekeepers were hurt in the attack.",
        "None of its 900 soldiers were injured.",
    ],
)
def test_casualty_negated_figure_is_no_casualty(sentence):
    assert casualty_counts(ATTACK, sentence) == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "Reports differ on whether two more peacekeepers later died.",
        "There were unconfirmed reports of five dead among the escort.",
    ],
)
def test_casualty_doubted_figure_is_no_casualty(sentence):
    assert casualty_counts(ATTACK, sentence) == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "The convoy, made up of 65 trucks escorted by 12 armoured vehicles, was hit by a mine.",
        "The camp, where 200 guests attended a medal parade after 20 years of service, was shelled.",
    ],
)
def test_casualty_escorts_guests_and_years_are_no_casualties(sentence):
    assert casualty_counts(sentence) == {}


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("More than 20 peacekeepers were wounded.", "more_than"),
        ("The blast wounded more than 20 soldiers.", "more_than"),
    ],
)
def test_casualty_more_than_counts_the_stated_number(sentence, qualifier):
    claims = extracted(ATTACK, sentence)["casualty_claims"]
    assert claims.select("status", "count_low", "count_best", "count_high", "qualifier").rows() == [
        ("wounded", 20.0, 20.0, None, qualifier)
    ]


@pytest.mark.parametrize(
    ("sentence", "iso3"),
    [
        ("Three peacekeepers from Chad were killed.", ["TCD"]),
        ("Two Guinean peacekeepers died.", ["GIN"]),
    ],
)
def test_casualty_victim_nationality_from_the_victim_phrase(sentence, iso3):
    assert extracted(ATTACK, sentence)["casualty_claims"]["victim_iso3"].to_list() == iso3


@pytest.mark.parametrize(
    "lead",
    [
        "The statement was issued by the President of the Council, the Permanent Representative of Niger.",
        "Japan, whose contribution financed the camp's defences, condemned the attack.",
    ],
)
def test_casualty_council_president_or_donor_is_not_a_victim(lead):
    attacks = extracted(lead, ATTACK + " Two peacekeepers were killed.")["attack_claims"]
    assert attacks["victim_nationalities"].to_list() == [[]]


def test_casualty_claim_ids_and_offsets_point_into_the_body():
    tables = extracted(ATTACK, "Two peacekeepers were killed.")
    claims = tables["casualty_claims"]
    body = ATTACK + "\n\n" + "Two peacekeepers were killed."
    assert [body[s:e] for s, e in claims.select("char_start", "char_end").rows()] == ["Two peacekeepers"]
    assert claims["claim_id"].to_list() == [f"t000000000000001:{claims['char_start'][0]}:killed"]
    assert claims.filter(pl.col("incident_no").is_null()).height == 0


@pytest.mark.parametrize(
    "sentence",
    [
        "Drivers know each spot where a vehicle has been lost on the road to Ménaka.",
        "Gunmen ambushed the convoy near Gossi and a truck was lost in the fire.",
    ],
)
def test_casualties_a_thing_named_as_the_victim_is_none(sentence):
    assert casualty_counts(sentence).get("killed") is None


@pytest.mark.parametrize(
    ("paragraph", "killed", "wounded"),
    [
        (
            "Two Chadian peacekeepers were killed near Tessalit on Monday, bringing to 128 the number of peacekeepers killed in hostile acts.",
            2,
            None,
        ),
        (
            "A mine killed one Togolese soldier near Boni on Monday; the death brings to 61 the total of Togolese peacekeepers lost.",
            1,
            None,
        ),
        (
            "Three soldiers were wounded near Gossi on Monday, bringing the number of attacks on the mission this year to 41.",
            0,
            3,
        ),
    ],
)
def test_casualties_running_total_clause_is_aggregate_but_the_attack_before_it_is_not(paragraph, killed, wounded):
    ((_, _, _, got_killed, got_wounded),) = counts(paragraph)
    assert (got_killed, got_wounded) == (killed, wounded)
