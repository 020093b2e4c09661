"""Attack claims and the article's incident segmentation (orchestration/extract/attacks.py,
incidents.py, context.py): each rule shown by two differently worded articles written for these tests
(no third-party text)."""

import datetime as dt

import polars as pl
import pytest
from claim_frames import counts, extracted

from orchestration.extract.incidents import group_passages

D = dt.date


def _toll(paragraphs: tuple[str, ...], published: dt.date) -> tuple:
    """(killed_best, wounded_best) of the one attack the paragraphs tell."""
    ((_, _, _, killed, wounded),) = counts(*paragraphs, published=published)
    return killed, wounded


@pytest.mark.parametrize(
    "paragraphs",
    [
        (
            "The Secretary-General condemns the attack perpetrated today against a MINUSMA patrol in the Kidal region.",
            "The patrol was ambushed some 15 kilometres north of Aguelhok. Three peacekeepers from Chad were killed and two others were injured.",
        ),
        (
            "The mission strongly condemns the attack carried out this morning against one of its convoys in the Kidal region.",
            "According to initial reports, the convoy struck an explosive device near Tessalit, killing two peacekeepers and wounding four.",
        ),
    ],
)
def test_attack_region_and_today_then_town_and_toll_are_one_incident(paragraphs):
    ((place, level, date, killed, wounded),) = counts(*paragraphs, published=D(2018, 10, 9))
    assert (level, date) == ("town", D(2018, 10, 9))
    assert place in ("Aguelock", "Tessalit")
    assert (killed, wounded) in ((3, 2), (2, 4))


@pytest.mark.parametrize(
    ("paragraphs", "second"),
    [
        (
            (
                "On 8 July 2019, a MINUSMA convoy hit an explosive device south of Bourem, wounding two peacekeepers.",
                "The incident took place two days after gunmen killed five people at a market in Tarkint.",
            ),
            ("Tarkint", D(2019, 7, 6), 5),
        ),
        (
            (
                "Suspected militants ambushed a patrol near Anderamboukane on 10 January 2023, killing three peacekeepers.",
                "The attack came a day after gunmen killed 12 people at a market in Ménaka.",
            ),
            ("Ménaka", D(2023, 1, 9), 12),
        ),
    ],
)
def test_attack_two_days_after_gunmen_killed_is_a_second_incident(paragraphs, second):
    found = counts(*paragraphs, published=D(2023, 1, 11))
    assert len(found) == 2
    place, _, date, killed, _ = found[1]
    assert (place, date, killed) == second


@pytest.mark.parametrize(
    ("lead", "first", "second"),
    [
        (
            "The Secretary-General condemns the two separate attacks carried out yesterday against MINUSMA, one in Tessalit and one near Bourem.",
            "In Tessalit, assailants fired rockets at the camp. A peacekeeper from Chad was killed; another was also injured.",
            "Near Bourem, a convoy struck an explosive device, wounding three peacekeepers.",
        ),
        (
            "Two attacks hit the mission on Monday, one at Ber and another near Goundam.",
            "At Ber, gunmen shelled the camp and killed two soldiers.",
            "Near Goundam, a patrol hit a landmine and one peacekeeper was injured.",
        ),
    ],
)
def test_attack_two_separate_attacks_one_in_a_and_one_near_b(lead, first, second):
    found = counts(lead, first, second, published=D(2017, 6, 8))
    assert [(place, date) for place, _, date, _, _ in found] == [
        (
            "Tessalit" if "Tessalit" in lead else "Ber",
            D(2017, 6, 7) if "yesterday" in lead else D(2017, 6, 5),
        ),
        (
            "Bourem" if "Bourem" in lead else "Goundam",
            D(2017, 6, 7) if "yesterday" in lead else D(2017, 6, 5),
        ),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "On 4 July 2022, a MINUSMA patrol struck an IED in the Kidal region. One peacekeeper was killed.",
        "Gunmen attacked a MINUSMA convoy in the Mopti region on 4 July 2022, killing one peacekeeper.",
    ],
)
def test_attack_region_only_place_is_valid_with_place_level_region(sentence):
    ((place, level, date, killed, _),) = counts(sentence)
    assert (level, date, killed) == ("region", D(2022, 7, 4), 1)
    assert place in ("Kidal", "Mopti")


@pytest.mark.parametrize(
    ("note", "place"),
    [
        (
            "On 14 March 2019, suspected JNIM militants detonated an IED against a MINUSMA convoy near Boni (Douentza, Mopti). Two Togolese peacekeepers were killed and three others injured. Fatalities: 2.",
            "Boni",
        ),
        (
            "On 3 November 2020, armed men fired mortar rounds at the MINUSMA base in Léré (Niafunké, Timbuktu). A peacekeeper from Côte d'Ivoire was killed; another was also injured. Fatalities: 1.",
            "Léré",
        ),
    ],
)
def test_attack_incident_note_place_is_the_one_qualified_in_parentheses(note, place):
    ((found, level, _, killed, wounded),) = counts(note)
    assert (found, level) == (place, "town")
    assert (killed, wounded) in ((2, 3), (1, 1))


@pytest.mark.parametrize(
    ("paragraphs", "date"),
    [
        (
            (
                "Event date: 14 March 2019 | Location: Boni",
                "A MINUSMA convoy struck an IED near Boni. Two peacekeepers were killed.",
            ),
            D(2019, 3, 14),
        ),
        (
            (
                "Date: 17 May 2015 (exact day)",
                "Description: A MINUSMA patrol was attacked near Tabankort; two peacekeepers were killed.",
            ),
            D(2015, 5, 17),
        ),
    ],
)
def test_attack_without_a_date_takes_the_date_stated_before_it(paragraphs, date):
    ((_, _, found, _, _),) = counts(*paragraphs, published=D(2019, 3, 20))
    assert found == date


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        (
            "The convoy had left Sévaré at dawn when it hit an explosive device 40 kilometres south of Douentza on 19 May 2021, killing a peacekeeper.",
            "Douentza",
        ),
        (
            "Two soldiers were killed on 26 October 2022 when their vehicle struck a mine on the road between Kidal and Gao, some 25 kilometres south of Anefis.",
            "Anefis",
        ),
    ],
)
def test_attack_departure_and_road_ends_rank_below_the_place_of_the_blast(sentence, place):
    ((found, _, _, _, _),) = counts(sentence)
    assert found == place


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        (
            "Gunmen ambushed a patrol near Ansongo on 3 June 2016, the defence ministry in Niamey said.",
            "Ansongo",
        ),
        (
            "Militants attacked a checkpoint near Nampala on 6 July 2016, officials in Bamako told reporters.",
            "Nampala",
        ),
    ],
)
def test_attack_speaker_seat_ranks_below_the_incident_place(sentence, place):
    ((found, _, _, _, _),) = counts(sentence)
    assert found == place


@pytest.mark.parametrize(
    "sentence",
    [
        "With this attack, nine peacekeepers have died in hostile acts in Mali since the beginning of the year.",
        "Attacks have killed 56 peacekeepers since 2013.",
    ],
)
def test_attack_aggregate_statement_is_no_attack_but_a_figure(sentence):
    tables = extracted(sentence)
    assert tables["attack_claims"].height == 0
    assert tables["figure_claims"].filter(pl.col("measure") == "killed").height == 1


@pytest.mark.parametrize(
    ("sentence", "measure"),
    [
        (
            "The Council renewed the mandate with a ceiling of up to 13,289 military personnel.",
            "authorized_strength",
        ),
        ("The mission has an authorized limit of about 12,600 troops.", "authorized_strength"),
    ],
)
def test_attack_ceilings_are_figures_never_casualties(sentence, measure):
    tables = extracted(sentence)
    assert tables["casualty_claims"].height == 0
    assert tables["figure_claims"]["measure"].to_list() == [measure]


@pytest.mark.parametrize(
    ("lead", "first", "second"),
    [
        (
            "The Council condemned the two attacks, one in Timbuktu on 4 February 2020 and one near Goundam on 5 February 2020.",
            "In the first attack, one peacekeeper was killed and another was injured.",
            "In the second, two peacekeepers were injured.",
        ),
        (
            "Two attacks struck the mission, one at Ber on 4 February 2020 and one near Gossi on 5 February 2020.",
            "In the first incident, one soldier was killed and another was wounded.",
            "The second attack, a mine blast, wounded two soldiers.",
        ),
    ],
)
def test_attack_in_the_first_and_in_the_second_refer_to_the_listed_incidents(lead, first, second):
    found = counts(lead, first, second)
    assert [(date, killed, wounded) for _, _, date, killed, wounded in found] == [
        (D(2020, 2, 4), 1, 1),
        (D(2020, 2, 5), 0, 2),
    ]


@pytest.mark.parametrize(
    "closing",
    [
        "Ansar Dine, which operates north of Kidal, claimed the attack on a messaging app on Sunday.",
        "The mission condemned the assault in a statement released in Kidal on Sunday.",
    ],
)
def test_attack_later_reference_back_to_the_attack_is_no_new_incident(closing):
    found = counts(
        "BAMAKO, Nov 6 - Four Chadian peacekeepers were killed in Saturday's attack on a convoy outside Kidal.",
        closing,
        published=D(2016, 11, 6),
    )
    assert found == [("Kidal", "town", D(2016, 11, 5), 4, None)]


def test_attack_evidence_is_the_body_text_at_its_offsets():
    paragraphs = (
        "The mission condemns the attack carried out today against a convoy in the Kidal region.",
        "Gunmen ambushed the convoy north of Aguelhok. Three peacekeepers were killed.",
    )
    body = "\n\n".join(paragraphs)
    attacks = extracted(*paragraphs)["attack_claims"]
    for start, end, text in attacks.select("char_start", "char_end", "evidence_text").rows():
        assert body[start:end] == text
    assert attacks["passage_count"].to_list() == [2]


def _passages(*rows: tuple) -> pl.LazyFrame:
    return pl.LazyFrame(
        rows,
        schema={
            "article_id": pl.String,
            "passage_no": pl.Int32,
            "place_id": pl.String,
            "place_level": pl.String,
            "admin1": pl.String,
            "region": pl.String,
            "event_date": pl.Date,
            "date_end": pl.Date,
            "ordinal": pl.Int32,
        },
        orient="row",
    ).with_columns(is_reference=pl.lit(False))


def test_group_passages_same_town_with_one_date_missing_is_one_incident():
    passages = _passages(
        ("a", 1, "gao", "town", "Gao", "Gao", D(2016, 5, 3), D(2016, 5, 3), None),
        ("a", 2, "gao", "town", "Gao", "Gao", None, None, None),
        ("a", 3, "kidal", "town", "Kidal", "Kidal", D(2016, 5, 3), D(2016, 5, 3), None),
    )
    assert group_passages(passages).collect()["incident_no"].to_list() == [1, 1, 2]


def test_group_passages_day_outside_a_coarse_period_is_another_incident():
    passages = _passages(
        ("a", 1, "kidal", "town", "Kidal", "Kidal", D(2015, 1, 17), D(2015, 1, 17), None),
        ("a", 2, "kidal", "town", "Kidal", "Kidal", D(2015, 1, 1), D(2015, 1, 10), None),
        ("a", 3, "kidal", "town", "Kidal", "Kidal", D(2015, 1, 1), D(2015, 1, 31), None),
    )
    assert group_passages(passages).collect()["incident_no"].to_list() == [1, 2, 1]


def test_group_passages_region_joins_its_town_not_another_region():
    passages = _passages(
        ("a", 1, "kidal", "region", "Kidal", "Kidal", D(2018, 10, 9), D(2018, 10, 9), None),
        ("a", 2, "aguelhok", "town", "Kidal", "Kidal", None, None, None),
        ("a", 3, "gao", "region", "Gao", "Gao", D(2018, 10, 9), D(2018, 10, 9), None),
    )
    assert group_passages(passages).collect()["incident_no"].to_list() == [1, 1, 2]


@pytest.mark.parametrize(
    ("paragraphs", "killed", "wounded"),
    [
        (
            (
                "The death toll from Saturday's raid on the camp in Léré has climbed to six soldiers, officials said.",
                "The army had earlier put the toll at four dead and ten injured. Two of the injured soldiers died of their wounds overnight.",
            ),
            6,
            8,
        ),
        (
            (
                "The number of Chadian peacekeepers killed in Thursday's ambush near Tessalit has risen to four.",
                "The mission had initially reported three killed and five wounded, but one of the injured died in Gao.",
            ),
            4,
            4,
        ),
    ],
)
def test_attack_revised_total_is_the_count_and_superseded_reports_only_fill_gaps(paragraphs, killed, wounded):
    assert _toll(paragraphs, D(2019, 5, 6)) == (killed, wounded)


@pytest.mark.parametrize(
    ("paragraphs", "killed", "wounded"),
    [
        (
            (
                "The Secretary-General condemns the attack perpetrated today against a convoy near Ansongo. One peacekeeper was seriously injured when the convoy came under fire. He later succumbed to his injuries. Two other peacekeepers were also injured.",
            ),
            1,
            2,
        ),
        (
            (
                "A Togolese peacekeeper wounded in Tuesday's attack on a temporary base near Douentza has died of his injuries, the mission said on Friday.",
                "The mission said on Wednesday that 17 peacekeepers were injured, four of them seriously, when a car bomb exploded at the gate. A preliminary assessment had indicated that at least 12 peacekeepers were injured.",
            ),
            1,
            16,
        ),
    ],
)
def test_attack_died_of_wounds_moves_a_victim_from_wounded_to_killed(paragraphs, killed, wounded):
    assert _toll(paragraphs, D(2021, 2, 12)) == (killed, wounded)


@pytest.mark.parametrize(
    "paragraphs",
    [
        (
            "Gunmen attacked a MINUSMA patrol near Gossi on Monday, killing one peacekeeper.",
            "The mission said on Wednesday that two more peacekeepers had been wounded in the attack.",
        ),
        (
            "A mine struck a convoy near Bourem on Monday.",
            "Three soldiers were injured, the army announced Wednesday.",
        ),
    ],
)
def test_attack_date_after_a_statement_verb_is_not_the_event_date(paragraphs):
    ((_, _, date, _, _),) = counts(*paragraphs, published=D(2020, 3, 11))
    assert date == D(2020, 3, 9)


@pytest.mark.parametrize(
    ("paragraphs", "killed", "wounded"),
    [
        (
            (
                "Updates as they come in.",
                "17:30 – The army now says four soldiers were killed and six wounded in the attack on the army post at Diafarabé.",
                "09:10 – Two soldiers were killed and three injured when gunmen attacked the army post at Diafarabé, an official said.",
            ),
            4,
            6,
        ),
        (
            (
                "4.50pm: The mission now says that two peacekeepers were wounded in the attack near Tessit.",
                "8.05am: Gunmen attacked a MINUSMA patrol near Tessit, wounding one peacekeeper.",
            ),
            0,
            2,
        ),
    ],
)
def test_attack_live_blog_latest_count_is_the_latest_clock_time(paragraphs, killed, wounded):
    assert _toll(paragraphs, D(2020, 11, 21)) == (killed, wounded)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The road is dangerous. In November 2015, seven Nigerien peacekeepers were killed when their convoy was ambushed near Ménaka. In March 2017, a truck hit a mine near Tin Hama and two drivers died.",
        "On 3 May, gunmen attacked the camp at Aguelhok, killing one peacekeeper. On 9 June, a mine wounded three soldiers near Tessalit.",
    ],
)
def test_attack_sentence_with_its_own_attack_and_another_date_is_another_incident(paragraph):
    found = counts(paragraph, published=D(2019, 7, 1))
    assert len(found) == 2 and found[0][2] != found[1][2]


@pytest.mark.parametrize(
    ("sentence", "place", "killed", "wounded"),
    [
        ("A Senegalese peacekeeper was killed near Sofara on Monday.", "Sofara", 1, None),
        ("Unidentified assailants wounded two Chadian peacekeepers near Tessit on Monday.", "Tessit", 0, 2),
        ("A Bangladeshi peacekeeper was fatally wounded near Tarkint on Monday.", "Tarkint", 1, None),
        ("Two soldiers died and another three sustained injuries near Boni on Monday.", "Boni", 2, 3),
    ],
)
def test_attack_people_killed_or_wounded_at_a_place_are_an_attack(sentence, place, killed, wounded):
    assert counts(sentence, published=D(2020, 3, 11)) == [(place, "town", D(2020, 3, 9), killed, wounded)]


@pytest.mark.parametrize(
    "sentence",
    ["A peacekeeper died of illness in Gao on Monday.", "Two peacekeepers died in a road accident near Gao on Monday."],
)
def test_attack_deaths_from_illness_or_accidents_are_no_attack(sentence):
    assert counts(sentence, published=D(2020, 3, 11)) == []


@pytest.mark.parametrize(
    ("paragraphs", "place"),
    [
        (
            (
                "The camp outside Goundam hosts a company of Bangladeshi peacekeepers.",
                "On 6 February 2018, mortar rounds fell inside the camp, wounding two peacekeepers.",
            ),
            "Goundam",
        ),
        (
            (
                "East of Timbuktu lies Ber, where the mission keeps a base.",
                "Last month, on 12 May, the base came under rocket fire and one soldier was injured.",
            ),
            "Ber",
        ),
    ],
)
def test_attack_without_a_place_of_its_own_is_at_the_town_named_before_it(paragraphs, place):
    ((got, level, _, _, _),) = counts(*paragraphs, published=D(2019, 6, 20))
    assert (got, level) == (place, "town")


def test_attack_passing_mention_with_only_an_inferred_place_is_no_attack():
    assert counts("Gao is the largest town of the north.", "Attacks on the mission have increased.") == []


@pytest.mark.parametrize(
    ("paragraphs", "killed", "wounded"),
    [
        (
            (
                "Nine soldiers were killed and at least 14 wounded when gunmen stormed the army camp at Nampala on Sunday, the ministry said.",
                "The ministry had first reported seven dead, but raised the toll to nine on Monday after two of the wounded died in hospital.",
            ),
            9,
            14,
        ),
        (
            (
                "Gunmen attacked a convoy near Ber on Sunday. Four peacekeepers were killed and six injured, the mission said on Monday.",
                "The toll rose to four after one of the injured died overnight.",
            ),
            4,
            6,
        ),
    ],
)
def test_attack_wounded_told_with_the_final_toll_is_current(paragraphs, killed, wounded):
    assert _toll(paragraphs, D(2019, 1, 21)) == (killed, wounded)
