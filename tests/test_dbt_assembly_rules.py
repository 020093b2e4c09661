"""dbt assembly rules for attacks and deployments, each shown by at least two differently worded
articles written for these tests (no third-party text), through a real `dbt build`."""

from datetime import date
from pathlib import Path

import pytest
from test_dbt_marts import (
    AGUELHOK,
    ANSONGO,
    DOUENTZA,
    GAO,
    KIDAL,
    MENAKA,
    MINUSMA,
    TESSALIT,
    TIMBUKTU,
    Article,
    actor,
    build_marts,
    country,
    day,
    figure,
    place,
    query,
)

pytestmark = pytest.mark.slow

BAMAKO = place("osm:bamako", "Bamako", 12.65, -8.0, "Bamako")
NIAMEY = {**place("osm:niamey", "Niamey", 13.51, 2.11, "Niamey"), "country_iso3": "NER"}
SEVARE = place("osm:sevare", "Sévaré", 14.53, -4.1, "Mopti")
MOPTI = place("osm:mopti", "Mopti", 14.49, -4.19, "Mopti")
GOUNDAM = place("osm:goundam", "Goundam", 16.41, -3.67, "Tombouctou")
ANEFIS = place("osm:anefis", "Anefis", 18.05, 0.6, "Kidal")
BONI = place("osm:boni", "Boni", 15.05, -1.98, "Mopti")
BER = place("osm:ber", "Ber", 16.9, -2.98, "Tombouctou")
KOULIKORO = place("osm:koulikoro", "Koulikoro", 12.86, -7.56, "Koulikoro")

ATTACKS = [
    Article(
        "f000000000000001",
        date(2021, 3, 2),
        [["BAMAKO - Militants ambushed a supply convoy near Boni on March 1, killing two soldiers."]],
        [
            ("BAMAKO", "place", BAMAKO),
            ("Boni", "place", BONI),
            ("March 1", "date", day("2021-03-01")),
            ("two soldiers", "figure", figure(2, "soldier")),
        ],
    ),
    Article(
        "f000000000000002",
        date(2021, 3, 9),
        [["NIAMEY/GAO – Gunmen on motorbikes raided a market in Anefis on Monday, wounding five civilians."]],
        [
            ("NIAMEY", "place", NIAMEY),
            ("GAO", "place", GAO),
            ("Anefis", "place", ANEFIS),
            ("Monday", "date", day("2021-03-08")),
            ("five civilians", "figure", figure(5, "civilian")),
        ],
    ),
    Article(
        "f000000000000003",
        date(2021, 4, 3),
        [
            [
                "Two peacekeepers were wounded on April 1 when their truck struck a mine about 10 km north of Tessalit."
            ],
            ["A roadside bomb hit a patrol 30 kilometres west of Douentza on April 2, killing one soldier."],
        ],
        [
            ("Two peacekeepers", "figure", figure(2, "peacekeeper")),
            ("April 1", "date", day("2021-04-01")),
            ("Tessalit", "place", TESSALIT),
            ("Douentza", "place", DOUENTZA),
            ("April 2", "date", day("2021-04-02")),
            ("one soldier", "figure", figure(1, "soldier")),
        ],
    ),
    Article(
        "f000000000000004",
        date(2021, 5, 6),
        [
            [
                "Gunmen attacked a checkpoint in the Mopti region near Sévaré on May 4, killing three gendarmes."
            ],
            [
                "In the Timbuktu region, an IED struck a convoy outside Goundam on May 5, wounding two soldiers."
            ],
        ],
        [
            ("Mopti", "place", MOPTI),
            ("Sévaré", "place", SEVARE),
            ("May 4", "date", day("2021-05-04")),
            ("three gendarmes", "figure", figure(3, "gendarme")),
            ("Timbuktu", "place", TIMBUKTU),
            ("Goundam", "place", GOUNDAM),
            ("May 5", "date", day("2021-05-05")),
            ("two soldiers", "figure", figure(2, "soldier")),
        ],
    ),
    Article(
        "f000000000000005",
        date(2021, 6, 8),
        [
            [
                "An IED struck a water tanker on the road to Gao, 40 km north of Ansongo, on June 6, injuring four peacekeepers."
            ],
            [
                "Militants attacked a fuel convoy heading towards Kidal near Aguelhok on June 7, killing a driver."
            ],
        ],
        [
            ("Gao", "place", GAO),
            ("Ansongo", "place", ANSONGO),
            ("June 6", "date", day("2021-06-06")),
            ("four peacekeepers", "figure", figure(4, "peacekeeper")),
            ("Kidal", "place", KIDAL),
            ("Aguelhok", "place", AGUELHOK),
            ("June 7", "date", day("2021-06-07")),
            ("a driver", "figure", figure(1, "person")),
        ],
    ),
    Article(
        "f000000000000006",
        date(2021, 7, 10),
        [
            ["More than 20 rockets hit the camp in Ber on Friday, the heaviest shelling this year."],
            ["Mortar rounds struck the airport of Mopti on Saturday in the worst bombardment so far."],
            [
                "On Sunday, officials said 12 peacekeepers had been killed in attacks near Gao so far this year."
            ],
        ],
        [
            ("More than 20 rockets", "figure", figure(21, "rocket", low=21, qualifier="more_than")),
            ("Ber", "place", BER),
            ("Friday", "date", day("2021-07-09")),
            ("Mopti", "place", MOPTI),
            ("Saturday", "date", day("2021-07-10")),
            ("Sunday", "date", day("2021-07-11")),
            ("12 peacekeepers", "figure", figure(12, "peacekeeper")),
            ("Gao", "place", GAO),
        ],
    ),
    Article(
        "f000000000000007",
        date(2021, 8, 4),
        [
            ["A patrol came under fire near Ménaka on August 2; no one was hurt."],
            ["Peacekeepers came under small-arms fire outside Koulikoro on August 3."],
        ],
        [
            ("Ménaka", "place", MENAKA),
            ("August 2", "date", day("2021-08-02")),
            ("Koulikoro", "place", KOULIKORO),
            ("August 3", "date", day("2021-08-03")),
        ],
    ),
    Article(
        "f000000000000008",
        date(2021, 9, 5),
        [
            ["Gunmen ambushed a convoy near Ansongo on September 3, killing two soldiers."],
            [
                "The convoy, which was carrying fuel to the camp in Ménaka, came under fire shortly after dawn."
            ],
            ["Militants attacked the camp in Kidal on September 4, wounding four peacekeepers."],
            ["The attack, which lasted two hours, was launched from hills west of Anefis."],
        ],
        [
            ("Ansongo", "place", ANSONGO),
            ("September 3", "date", day("2021-09-03")),
            ("two soldiers", "figure", figure(2, "soldier")),
            ("Ménaka", "place", MENAKA),
            ("Kidal", "place", KIDAL),
            ("September 4", "date", day("2021-09-04")),
            ("four peacekeepers", "figure", figure(4, "peacekeeper")),
            ("Anefis", "place", ANEFIS),
        ],
    ),
]

NEGATIONS_AND_SPEAKERS = [
    Article(
        "h000000000000001",
        date(2023, 5, 12),
        [
            ["Militants fired rockets at the camp in Ber on May 9; none of its 400 soldiers were hurt."],
            [
                "Gunmen attacked a checkpoint near Goundam on May 10, but there were no casualties among the 30 gendarmes."
            ],
            ["The 40 guards at the post in Boni were not injured when a mine exploded there on May 11."],
        ],
        [
            ("Ber", "place", BER),
            ("May 9", "date", day("2023-05-09")),
            ("400 soldiers", "figure", figure(400, "soldier")),
            ("Goundam", "place", GOUNDAM),
            ("May 10", "date", day("2023-05-10")),
            ("30 gendarmes", "figure", figure(30, "gendarme")),
            ("40 guards", "figure", figure(40, "guard")),
            ("Boni", "place", BONI),
            ("May 11", "date", day("2023-05-11")),
        ],
    ),
    Article(
        "h000000000000002",
        date(2023, 5, 20),
        [
            [
                "Militants attacked a post in the Timbuktu region on May 12, killing three soldiers, officials in Bamako said."
            ],
            [
                "Two soldiers died when a mine exploded in the Kidal region on May 13, a military source in Gao told reporters."
            ],
        ],
        [
            ("Timbuktu", "place", TIMBUKTU),
            ("May 12", "date", day("2023-05-12")),
            ("three soldiers", "figure", figure(3, "soldier")),
            ("Bamako", "place", BAMAKO),
            ("Two soldiers", "figure", figure(2, "soldier")),
            ("Kidal", "place", KIDAL),
            ("May 13", "date", day("2023-05-13")),
            ("Gao", "place", GAO),
        ],
    ),
]

BARKHANE = actor("barkhane", "Operation Barkhane", "international_force", "FRA")
SERVAL = actor("serval", "Operation Serval", "international_force", "FRA")

CONTRIBUTIONS = [
    Article(
        "k000000000000001",
        date(2023, 6, 5),
        [
            ["MINUSMA convoys use the road between Gao and Ansongo."],
            ["Three Nigerien peacekeepers were wounded near Ansongo on June 1."],
            ["Two peacekeepers from Senegal were killed when their truck hit a mine."],
        ],
        [
            ("MINUSMA", "actor", MINUSMA),
            ("Gao", "place", GAO),
            ("Ansongo", "place", ANSONGO),
            ("Nigerien", "actor", country("NER", "Niger")),
            ("Ansongo", "place", ANSONGO, 1),
            ("June 1", "date", day("2023-06-01")),
            ("Senegal", "actor", country("SEN", "Senegal")),
        ],
    ),
    Article(
        "k000000000000002",
        date(2023, 6, 6),
        [["Togo, which had two peacekeepers killed last month, contributes a battalion to MINUSMA."]],
        [("Togo", "actor", country("TGO", "Togo")), ("MINUSMA", "actor", MINUSMA)],
    ),
    Article(
        "k000000000000003",
        date(2023, 6, 7),
        [
            ["MINUSMA patrols the north of the country."],
            ["Operation Barkhane hunts militants across the Sahel."],
            ["France will keep about 1,000 troops in the region."],
        ],
        [
            ("MINUSMA", "actor", MINUSMA),
            ("Operation Barkhane", "actor", BARKHANE),
            ("France", "actor", country("FRA", "France")),
            ("about 1,000 troops", "figure", figure(1000, "troop", 900, 1100, "approx")),
        ],
    ),
    Article(
        "k000000000000004",
        date(2023, 6, 8),
        [
            ["The UN force, MINUSMA, took over from the African mission in July."],
            ["Operation Serval drove the militants out of the northern towns."],
            ["The French have deployed 4,000 soldiers."],
            ["Sweden sends an intelligence unit to MINUSMA."],
        ],
        [
            ("MINUSMA", "actor", MINUSMA),
            ("Operation Serval", "actor", SERVAL),
            ("French", "actor", country("FRA", "France")),
            ("4,000 soldiers", "figure", figure(4000, "soldier")),
            ("Sweden", "actor", country("SWE", "Sweden")),
            ("MINUSMA", "actor", MINUSMA, 1),
        ],
    ),
    Article(
        "k000000000000006",
        date(2023, 6, 10),
        [
            ["Mauritania, which is not a troop contributor to MINUSMA, sent condolences."],
            ["Algeria has never contributed soldiers to the mission."],
            ["Ghana has sent 150 troops to MINUSMA."],
        ],
        [
            ("Mauritania", "actor", country("MRT", "Mauritania")),
            ("MINUSMA", "actor", MINUSMA),
            ("Algeria", "actor", country("DZA", "Algeria")),
            ("Ghana", "actor", country("GHA", "Ghana")),
            ("150 troops", "figure", figure(150, "troop")),
            ("MINUSMA", "actor", MINUSMA, 1),
        ],
    ),
    Article(
        "k000000000000005",
        date(2023, 6, 9),
        [
            ["Operation Barkhane keeps its main base in Gao."],
            ["France also provides a helicopter unit to MINUSMA."],
        ],
        [
            ("Operation Barkhane", "actor", BARKHANE),
            ("Gao", "place", GAO),
            ("France", "actor", country("FRA", "France")),
            ("MINUSMA", "actor", MINUSMA),
        ],
    ),
]

POLICE_AND_AREAS = [
    Article(
        "m000000000000001",
        date(2023, 7, 1),
        [
            ["MINUSMA relies on officers from West Africa to keep order in the towns."],
            [
                "Nigeria's formed police unit, which has guarded public buildings in Gao since July, will rotate soon."
            ],
            ["A formed police unit from Togo is responsible for public order in Mopti."],
            ["Senegal contributes two formed police units to the mission."],
            ["The wounded officer belongs to Ghana's formed police unit in Timbuktu."],
            ["Two engineers attached to Chad’s battalion in Tessalit were flown home."],
        ],
        [
            ("MINUSMA", "actor", MINUSMA),
            ("Nigeria", "actor", country("NGA", "Nigeria")),
            ("Gao", "place", GAO),
            ("Togo", "actor", country("TGO", "Togo")),
            ("Mopti", "place", MOPTI),
            ("Senegal", "actor", country("SEN", "Senegal")),
            ("Ghana", "actor", country("GHA", "Ghana")),
            ("Timbuktu", "place", TIMBUKTU),
            ("Chad", "actor", country("TCD", "Chad")),
            ("Tessalit", "place", TESSALIT),
        ],
    ),
    Article(
        "m000000000000002",
        date(2023, 7, 2),
        [
            [
                "Guinea has about 850 troops in MINUSMA.",
                "Its battalion, which arrived in the Kidal region in 2014, secures the camps at Tessalit and Aguelhok.",
            ],
            ["Benin keeps a company in the Timbuktu region at its base in Ber."],
            ["Ghana's engineers are deployed in the Gao region."],
        ],
        [
            ("Guinea", "actor", country("GIN", "Guinea")),
            ("about 850 troops", "figure", figure(850, "troop", 765, 935, "approx")),
            ("MINUSMA", "actor", MINUSMA),
            ("Kidal", "place", KIDAL),
            ("Tessalit", "place", TESSALIT),
            ("Aguelhok", "place", AGUELHOK),
            ("Benin", "actor", country("BEN", "Benin")),
            ("Timbuktu", "place", TIMBUKTU),
            ("Ber", "place", BER),
            ("Ghana", "actor", country("GHA", "Ghana")),
            ("Gao", "place", GAO),
        ],
    ),
]

DEPLOYMENTS = [
    Article(
        "g000000000000001",
        date(2022, 1, 10),
        [
            ["Its quick reaction force will operate out of Sévaré, Senegal said."],
            ["Portugal's transport aircraft flies out of Bamako for the mission."],
            ["A Togolese battalion is garrisoned in Douentza, with a company detached to Boni."],
            ["The Guinean detachment was posted to Tessalit in the spring."],
        ],
        [
            ("Sévaré", "place", SEVARE),
            ("Senegal", "actor", country("SEN", "Senegal")),
            ("Portugal", "actor", country("PRT", "Portugal")),
            ("Bamako", "place", BAMAKO),
            ("Togolese", "actor", country("TGO", "Togo")),
            ("Douentza", "place", DOUENTZA),
            ("Boni", "place", BONI),
            ("Guinean", "actor", country("GIN", "Guinea")),
            ("Tessalit", "place", TESSALIT),
        ],
    ),
    Article(
        "g000000000000002",
        date(2022, 2, 10),
        [
            ["Sweden has about 250 soldiers in Timbuktu."],
            ["Niger contributes around 870 troops to MINUSMA, most of them in Ménaka and Ansongo."],
            ["Chad keeps about 1,100 soldiers in the north, split between Kidal, Tessalit and Aguelhok."],
        ],
        [
            ("Sweden", "actor", country("SWE", "Sweden")),
            ("about 250 soldiers", "figure", figure(250, "soldier", 225, 275, "approx")),
            ("Timbuktu", "place", TIMBUKTU),
            ("Niger", "actor", country("NER", "Niger")),
            ("around 870 troops", "figure", figure(870, "troop", 783, 957, "approx")),
            ("MINUSMA", "actor", MINUSMA),
            ("Ménaka", "place", MENAKA),
            ("Ansongo", "place", ANSONGO),
            ("Chad", "actor", country("TCD", "Chad")),
            ("about 1,100 soldiers", "figure", figure(1100, "soldier", 990, 1210, "approx")),
            ("Kidal", "place", KIDAL),
            ("Tessalit", "place", TESSALIT),
            ("Aguelhok", "place", AGUELHOK),
        ],
    ),
    Article(
        "g000000000000003",
        date(2022, 3, 10),
        [
            [
                (
                    "Burkina Faso was among the very first countries to send troops to Mali in the early "
                    "months of the mission, with a battalion of some 800 soldiers stationed in Ber."
                )
            ],
            [
                (
                    "Egypt, whose convoys have repeatedly been delayed on the supply roads of the north "
                    "during the last three years, keeps an infantry battalion based in Koulikoro."
                )
            ],
        ],
        [
            ("Burkina Faso", "actor", country("BFA", "Burkina Faso")),
            ("Mali", "actor", country("MLI", "Mali")),
            ("some 800 soldiers", "figure", figure(800, "soldier", 720, 880, "approx")),
            ("Ber", "place", BER),
            ("Egypt", "actor", country("EGY", "Egypt")),
            ("Koulikoro", "place", KOULIKORO),
        ],
    ),
    Article(
        "g000000000000004",
        date(2022, 4, 10),
        [
            ["Two infantry companies of MINUSMA are now operating in Gao."],
            [
                "The transport company carries fuel between Mopti and Sévaré.",
                "A small team works at the headquarters in Bamako.",
            ],
            ["Malian soldiers are stationed in Goundam.", "Nigerien troops are based in Niamey and Anefis."],
        ],
        [
            ("MINUSMA", "actor", MINUSMA),
            ("Gao", "place", GAO),
            ("Mopti", "place", MOPTI),
            ("Sévaré", "place", SEVARE),
            ("Bamako", "place", BAMAKO),
            ("Malian", "actor", country("MLI", "Mali")),
            ("Goundam", "place", GOUNDAM),
            ("Nigerien", "actor", country("NER", "Niger")),
            ("Niamey", "place", NIAMEY),
            ("Anefis", "place", ANEFIS),
        ],
    ),
]


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> Path:
    """A warehouse with the articles above after a full `dbt build`."""
    return build_marts(
        tmp_path_factory.mktemp("dbt_rules"),
        ATTACKS + DEPLOYMENTS + NEGATIONS_AND_SPEAKERS + CONTRIBUTIONS + POLICE_AND_AREAS,
    )


def attacks_of(marts: Path, article_id: str) -> list[tuple]:
    return query(
        marts,
        "select place_name, event_date, killed_best, wounded_best from marts.fct_attacks "
        f"where article_id = '{article_id}' order by event_date nulls last, place_name",
    )


def deployments_of(marts: Path, article_id: str) -> list[tuple]:
    return query(
        marts,
        "select distinct contributor_iso3, place_name from marts.fct_deployments "
        f"where article_id = '{article_id}' order by all",
    )


def contributions_of(marts: Path, article_id: str) -> list[tuple]:
    return query(
        marts,
        "select contributor_iso3, mission from marts.fct_contributions "
        f"where article_id = '{article_id}' order by all",
    )


def test_attack_dateline_without_a_date_does_not_place_the_attack(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000001")] == ["Boni"]
    assert [row[0] for row in attacks_of(marts, "f000000000000002")] == ["Anefis"]


def test_attack_bearing_from_a_town_locates_the_attack_at_the_town(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000003")] == ["Tessalit", "Douentza"]


def test_attack_town_preferred_over_a_town_named_as_its_region(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000004")] == ["Sévaré", "Goundam"]


def test_attack_destination_ranks_after_other_places(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000005")] == ["Ansongo", "Aguelhok"]


def test_attack_aggregate_marker_without_people_counted_keeps_dated_incident(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000006")] == ["Ber", "Mopti"]


def test_attack_came_under_fire_is_a_trigger(marts):
    assert [row[0] for row in attacks_of(marts, "f000000000000007")] == ["Ménaka", "Koulikoro"]


def test_attack_definite_back_reference_continues_the_incident(marts):
    rows = attacks_of(marts, "f000000000000008")
    assert rows == [("Ansongo", date(2021, 9, 3), 2, None), ("Kidal", date(2021, 9, 4), 0, 4)]


def test_deployment_verbs_operate_out_of_garrisoned_posted_detached(marts):
    # "out of Sévaré, Senegal said": a country right after a town reads as the town's address, so the
    # speaker is not taken as the contributor (a known miss of the claim extractor)
    assert deployments_of(marts, "g000000000000001") == [
        ("GIN", "Tessalit"),
        ("PRT", "Bamako"),
        ("TGO", "Boni"),
        ("TGO", "Douentza"),
    ]


def test_deployment_strength_figure_placed_with_in_and_its_list(marts):
    assert deployments_of(marts, "g000000000000002") == [
        ("NER", "Ansongo"),
        ("NER", "Ménaka"),
        ("SWE", "Timbuktu"),
        ("TCD", "Aguelhok"),
        ("TCD", "Kidal"),
        ("TCD", "Tessalit"),
    ]


def test_deployment_subject_far_before_the_verb_is_the_contributor(marts):
    assert deployments_of(marts, "g000000000000003") == [("BFA", "Ber"), ("EGY", "Koulikoro")]


def test_deployment_without_contributor_needs_mission_in_sentence_and_not_home_country(marts):
    assert deployments_of(marts, "g000000000000004") == [("NER", "Anefis"), (None, "Gao")]


def test_attack_negated_figures_are_not_casualties(marts):
    assert attacks_of(marts, "h000000000000001") == [
        ("Ber", date(2023, 5, 9), None, None),
        ("Goundam", date(2023, 5, 10), None, None),
        ("Boni", date(2023, 5, 11), None, None),
    ]


def test_attack_speaker_location_ranks_below_the_incident_place(marts):
    rows = attacks_of(marts, "h000000000000002")
    assert [row[:3] for row in rows] == [
        ("Timbuktu", date(2023, 5, 12), 3),
        ("Kidal", date(2023, 5, 13), 2),
    ]


def test_contribution_victim_nationality_in_casualty_sentence_is_not_a_contributor(marts):
    assert contributions_of(marts, "k000000000000001") == []
    assert contributions_of(marts, "k000000000000002") == [("TGO", "MINUSMA")]


def test_contribution_country_with_own_operation_needs_mission_in_sentence(marts):
    assert contributions_of(marts, "k000000000000003") == []
    assert contributions_of(marts, "k000000000000004") == [("SWE", "MINUSMA")]
    assert contributions_of(marts, "k000000000000005") == [("FRA", "MINUSMA")]


def test_deployment_formed_police_unit_is_placed_with_in(marts):
    assert ("NGA", "Gao") in deployments_of(marts, "m000000000000001")
    assert ("TGO", "Mopti") in deployments_of(marts, "m000000000000001")


def test_deployment_possessive_after_a_preposition_is_the_contributor(marts):
    deployments = deployments_of(marts, "m000000000000001")
    assert ("GHA", "Timbuktu") in deployments
    assert ("TCD", "Tessalit") in deployments


def test_contribution_formed_police_unit_is_police(marts):
    rows = query(
        marts,
        "select contributor_iso3, personnel_type from marts.fct_contributions "
        "where article_id = 'm000000000000001' order by all",
    )
    assert {("GHA", "police"), ("SEN", "police"), ("TGO", "police")} <= set(rows)


def test_deployment_town_named_as_its_area_yields_to_a_town(marts):
    assert deployments_of(marts, "m000000000000002") == [
        ("BEN", "Ber"),
        ("GHA", "Gao"),
        ("GIN", "Aguelhok"),
        ("GIN", "Tessalit"),
    ]


def test_contribution_negated_in_the_country_clause_is_not_a_contribution(marts):
    assert contributions_of(marts, "k000000000000006") == [("GHA", "MINUSMA")]
