"""Deployment claims (orchestration/extract/deployments.py): each rule with at least two wordings.

Sentences are written for these tests (paraphrased phrasings of government, parliament, UN and wire
texts, with other names and numbers); they go through the real per-article function and seeds.
"""

import datetime as dt

import pytest
from claim_frames import deployments, extract

MOD_SWEDEN = {"source": "Ministry of Defence of Sweden (news)", "url": "https://mil.example.se/news/1"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The engineering company is based at Camp Tessera in Gao, next to the airfield.", {"place": "Gao"}),
        (
            "The reconnaissance unit operates from the Belgian camp inside the MINUSMA super camp at Timbuktu.",
            {"place": "Timbuktu"},
        ),
        ("Its soldiers will work out of Sévaré for the next six months.", None),
    ],
)
def test_deployment_term_governs_the_first_place_after_its_preposition(text, expected):
    claims = extract("Norway contributes about 60 personnel to MINUSMA. " + text)["deployment_claims"]
    places = set(claims["place_name"])
    if expected is None:
        assert places == set()
    else:
        assert expected["place"] in places


@pytest.mark.parametrize(
    "text",
    [
        "Senegalese troops live at Camp Faidherbe in Bamako, from where their aircraft flies to Gao and Kidal.",
        "Senegalese troops are stationed in Bamako, while their helicopters fly missions to Gao and Kidal.",
    ],
)
def test_deployment_place_behind_a_clause_break_or_a_destination_is_not_placed(text):
    assert deployments(text) == {("SEN", "Bamako")}


@pytest.mark.parametrize(
    "text",
    [
        "A Ghanaian aviation squad carries peacekeepers from Bamako to Gao every week.",
        "Wounded Ghanaian peacekeepers were evacuated to Gao by helicopter.",
    ],
)
def test_deployment_origin_or_destination_is_no_base(text):
    assert deployments(text) == set()


@pytest.mark.parametrize(
    "text, places",
    [
        (
            "Liberia keeps about 400 soldiers in the north, split between Kidal, Tessalit and Anefis.",
            {"Kidal", "Tessalit", "Anefis"},
        ),
        (
            "The Liberian battalion, deployed in Ansongo and Ménaka, escorts fuel convoys.",
            {"Ansongo", "Ménaka"},
        ),
        (
            "Liberian troops are split between Kidal town, Tessalit and Anefis.",
            {"Kidal", "Tessalit", "Anefis"},
        ),
    ],
)
def test_deployment_list_of_towns_is_placed_whole(text, places):
    assert {place for _, place in deployments(text)} == places


@pytest.mark.parametrize(
    "text",
    [
        "In Gao, the Portuguese have deployed a transport detachment.",
        "Gao also has a battalion of UN peacekeepers from Portugal, whose vehicles patrol the town.",
    ],
)
def test_deployment_sentence_opening_with_a_town_places_it(text):
    assert deployments(text) == {("PRT", "Gao")}


@pytest.mark.parametrize(
    "second",
    [
        "The camp, home to some 300 Rwandan peacekeepers, was badly damaged.",
        "The Rwandan quick reaction force stationed at the camp repelled the assault.",
        "Peacekeepers of the Rwandan battalion guarding the camp returned fire.",
    ],
)
def test_deployment_definite_camp_is_the_camp_placed_before(second):
    first = "Mortar rounds struck the MINUSMA camp in Ber before dawn."
    assert deployments(first, second) == {("RWA", "Ber")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mortar rounds landed near the Egyptian camp inside the super camp at Gao.", {("EGY", "Gao")}),
        ("The Jordanian contingent lives at Camp Amman in Timbuktu.", {("JOR", "Timbuktu")}),
        ("A memorial for two peacekeepers from Jordan was held at the UN headquarters in Bamako.", set()),
        ("Gunmen attacked the MINUSMA camp in Ber, killing a Jordanian peacekeeper.", set()),
    ],
)
def test_deployment_camp_alone_needs_an_owner(text, expected):
    assert deployments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Its battalion, which arrived in the Gao region in 2015, secures the camps at Ansongo and Bourem.",
        "The company deployed to the Timbuktu region guards the camps at Ansongo and Bourem.",
    ],
)
def test_deployment_town_named_as_its_area_yields_to_towns(text):
    places = {place for _, place in deployments("Cambodia contributes engineers to MINUSMA. " + text)}
    assert places == {"Ansongo", "Bourem"}


@pytest.mark.parametrize(
    "text",
    [
        "The Finnish helicopters that flew from Gao returned home in July.",
        "The Finnish detachment was based in Gao until 2017.",
        "A Finnish company had been stationed in Gao, but it withdrew last year.",
    ],
)
def test_deployment_that_is_over_is_not_placed(text):
    assert deployments(text, published=dt.date(2019, 5, 2)) == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nigerien troops are based in Niamey and Anefis.", {("NER", "Anefis")}),
        ("Malian soldiers are stationed in Goundam.", set()),
    ],
)
def test_deployment_force_in_its_own_country_is_not_a_deployment(text, expected):
    assert deployments(text) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        ["Niger contributes about 850 troops to MINUSMA. Its battalion is headquartered in Ansongo."],
        ["Niger has sent a formed police unit to the mission. The unit is based in Bamako."],
    ],
)
def test_deployment_contributor_from_the_previous_sentence(paragraph):
    assert {c for c, _ in deployments(*paragraph)} == {"NER"}


@pytest.mark.parametrize(
    "text",
    [
        "Barkhane units operate in Tessalit and Gao.",
        "Operation Barkhane keeps a detachment of about 120 soldiers based in Tessalit.",
    ],
)
def test_deployment_national_operation_stands_for_its_country(text):
    claims = extract(text)["deployment_claims"]
    assert set(claims["contributor_iso3"]) == {"FRA"}
    assert set(claims["mission_actor_id"]) == {"barkhane"}


@pytest.mark.parametrize(
    "text",
    [
        "The task force and the national support element are based at Camp Nobel in Timbuktu.",
        "Staff officers continue to serve at the Force Headquarters in Bamako.",
    ],
)
def test_deployment_publisher_country_stands_for_unnamed_units(text):
    assert {c for c, _ in deployments(text, **MOD_SWEDEN)} == {"SWE"}
    assert {c for c, _ in deployments(text, source="West Africa Daily")} <= {None}


@pytest.mark.parametrize(
    "text",
    [
        "Here, a family just arrived at a bus station in Bamako, the capital.",
        "The minister arrived in Gao on Tuesday for talks with the governor.",
    ],
)
def test_deployment_fallback_contributor_needs_a_force_in_the_sentence(text):
    assert deployments("Sweden has about 250 soldiers in MINUSMA. " + text, **MOD_SWEDEN) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Thousands of Malians living in Niamey took to the streets.",
        "Nigerien traders are based in Gao during the dry season.",
    ],
)
def test_deployment_needs_a_force_even_with_a_named_country(text):
    assert deployments(text) == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Two infantry companies of MINUSMA are now operating in Gao.", {(None, "Gao")}),
        ("One of the injured soldiers died at the mission's field hospital in Gao.", set()),
    ],
)
def test_deployment_without_contributor_needs_a_deployment_term_and_a_named_mission(text, expected):
    assert deployments(text) == expected


@pytest.mark.parametrize(
    "text, partner",
    [
        (
            "12 personnel of a special operations task unit are deployed to Gao alongside German forces.",
            "DEU",
        ),
        ("The platoon serves in Timbuktu together with the Swedish contingent of some 200 troops.", "SWE"),
    ],
)
def test_deployment_partner_is_placed_with_lower_confidence(text, partner):
    claims = extract(text, source="Houses of the Oireachtas (written answer)")["deployment_claims"]
    by_country = dict(zip(claims["contributor_iso3"], claims["confidence"]))
    assert by_country.keys() == {"IRL", partner}
    assert by_country[partner] < by_country["IRL"]


@pytest.mark.parametrize(
    "text",
    [
        "Niamey has increased its contingent in Ménaka to 300 soldiers.",
        "Niamey's battalion is stationed in Ménaka.",
    ],
)
def test_deployment_capital_as_subject_stands_for_its_country(text):
    assert deployments(text) == {("NER", "Ménaka")}


@pytest.mark.parametrize(
    "text",
    [
        "An air transport base in Niamey, Niger, supports the Danish contingent's logistics.",
        "A Danish logistics unit works at the airport in Niamey (Niger).",
    ],
)
def test_deployment_country_in_apposition_to_a_place_is_no_contributor(text):
    assert deployments(text, source="Danish Ministry of Defence") == {("DNK", "Niamey")}


@pytest.mark.parametrize(
    "text, place",
    [
        ("Three Austrian staff officers work for MINUSMA in the Malian capital Bamako.", "Bamako"),
        ("The Austrian detachment is located at Camp Alpen on the outskirts of Timbuktu.", "Timbuktu"),
    ],
)
def test_deployment_place_descriptor_between_preposition_and_town(text, place):
    assert deployments(text) == {("AUT", place)}


def test_deployment_claim_carries_counts_dates_units_and_evidence_offsets():
    text = "On 3 May 2019, about 140 Austrian soldiers of a reconnaissance company were deployed to Gao."
    articles_claims = extract(text, published=dt.date(2019, 5, 20))
    claim = articles_claims["deployment_claims"].row(0, named=True)
    assert (claim["contributor_iso3"], claim["place_name"], claim["unit_type"]) == (
        "AUT",
        "Gao",
        "intelligence",
    )
    assert (claim["personnel_low"], claim["personnel_best"], claim["personnel_high"]) == (126, 140, 154)
    assert (str(claim["as_of_date"]), claim["date_precision"], claim["as_of_date_source"]) == (
        "2019-05-03",
        "day",
        "text",
    )
    assert claim["evidence_text"] == text and (claim["char_start"], claim["char_end"]) == (0, len(text))


@pytest.mark.parametrize(
    "strong, weak",
    [
        (
            "Chadian troops are stationed in Kidal.",
            "A Chadian company in Kidal escorts the convoys.",
        ),
        (
            "The Togolese battalion is based in Douentza.",
            "Togo contributes 900 troops to MINUSMA. A company of about 150 soldiers in Douentza patrols the town.",
        ),
    ],
)
def test_deployment_confidence_ranks_explicit_deployment_terms_above_weaker_anchors(strong, weak):
    strong_confidence = extract(strong)["deployment_claims"]["confidence"].max()
    weak_claims = extract(weak)["deployment_claims"]
    assert weak_claims.height and strong_confidence > weak_claims["confidence"].max()


@pytest.mark.parametrize(
    "text, place",
    [
        ("The Finnish detachment will be relocated from Timbuktu to Gao in March.", "Gao"),
        ("A Finnish company moved from Ber to Goundam in May.", "Goundam"),
    ],
)
def test_deployment_movement_places_its_destination_not_its_origin(text, place):
    assert deployments(text) == {("FIN", place)}


@pytest.mark.parametrize(
    "text, place",
    [
        (
            "The Ivorian battalion took over the Tessalit camp from the Chadian contingent last month.",
            "Tessalit",
        ),
        ("An Ivorian company is based at the Gao super camp.", "Gao"),
    ],
)
def test_deployment_town_naming_a_camp_is_its_place(text, place):
    assert ("CIV", place) in deployments(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chad, which keeps the largest contingent in MINUSMA, lost two more soldiers in Tessalit.", set()),
        ("Uruguay keeps a company in MINUSMA, whose trucks were ambushed near Ansongo.", set()),
        (
            "Some 650 Uruguayan soldiers serve with the UN mission in Mali, most of them in Douentza and Boni.",
            {("URY", "Douentza"), ("URY", "Boni")},
        ),
    ],
)
def test_deployment_comma_ends_the_clause_unless_a_part_of_the_force_follows(text, expected):
    assert deployments(text) == expected


@pytest.mark.parametrize(
    "text, count",
    [
        ("Germany said none of its 700 soldiers in Gao were hurt.", 700),
        ("The 300 Egyptian troops in Anefis were not injured in the attack.", 300),
    ],
)
def test_deployment_negated_casualty_figure_counts_the_force(text, count):
    claims = extract(text)["deployment_claims"]
    assert claims.select("personnel_best").to_series().to_list() == [count]


@pytest.mark.parametrize(
    "text",
    [
        "Camp Orion is a MINUSMA base in Timbuktu. It housed troops from El Salvador, Liberia and Cambodia.",
        (
            "The super camp in Timbuktu is the mission's second base. It is home to peacekeepers from El Salvador, "
            "Liberia and Cambodia."
        ),
    ],
)
def test_deployment_pronoun_after_a_placed_camp_is_that_camp(text):
    assert deployments(text) == {("SLV", "Timbuktu"), ("LBR", "Timbuktu"), ("KHM", "Timbuktu")}


@pytest.mark.parametrize(
    "text",
    [
        "Sweden has staff officers at the Force HQ in Bamako.",
        "Estonia keeps military experts at Force Headquarters in Bamako.",
    ],
)
def test_deployment_people_at_a_headquarters_are_placed(text):
    assert {place for _, place in deployments(text)} == {"Bamako"}


@pytest.mark.parametrize(
    "paragraph, place, count",
    [
        (
            (
                "Senegal is sending a quick reaction force to MINUSMA that will operate out of Sévaré. The company "
                "of about 150 soldiers joins the Senegalese battalion already posted to Ménaka."
            ),
            "Sévaré",
            150,
        ),
        (
            (
                "Belgium will deploy a company to MINUSMA in May. The company of about 120 soldiers comes from "
                "Leopoldsburg. Belgian troops will be based in Gao."
            ),
            "Gao",
            120,
        ),
    ],
)
def test_deployment_count_of_a_unit_opening_the_neighbouring_sentence(paragraph, place, count):
    claims = extract(paragraph)["deployment_claims"]
    counts = dict(claims.select("place_name", "personnel_best").iter_rows())
    assert counts[place] == count
    assert counts.get("Ménaka") is None


@pytest.mark.parametrize(
    "text",
    [
        "About 40 personnel deployed to Gao alongside German forces.",
        "Some 40 Swedish soldiers serve in Gao alongside the German contingent.",
    ],
)
def test_deployment_partner_takes_no_count(text):
    claims = extract(text, **MOD_SWEDEN)["deployment_claims"]
    counts = dict(claims.select("contributor_iso3", "personnel_best").iter_rows())
    assert counts == {"SWE": 40, "DEU": None}


@pytest.mark.parametrize(
    "text",
    [
        "The special operations task group is based in Ménaka, where it advises Malian units.",
        "The intelligence unit operates from Gao, where it trains Malian soldiers.",
    ],
)
def test_deployment_home_force_in_a_later_clause_leaves_the_publisher(text):
    assert {country for country, _ in deployments(text, **MOD_SWEDEN)} == {"SWE"}


@pytest.mark.parametrize(
    "text",
    [
        "Camp Orion was a peacekeeping base in the town of Timbuktu, used by MINUSMA.",
        "The MINUSMA base in Gao was built on open ground next to the runway.",
    ],
)
def test_deployment_camp_without_troops_or_contributor_places_nothing(text):
    assert deployments(text) == set()
