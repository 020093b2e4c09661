"""Contribution claims (orchestration/extract/contributions.py): each rule with at least two wordings.

Sentences are written for these tests (paraphrased phrasings of government, parliament, UN and wire
texts, with other names and numbers); they go through the real per-article function and seeds.
"""

import datetime as dt

import pytest
from claim_frames import contributions, extract

MOD_NETHERLANDS = {
    "source": "Ministry of Defence of the Netherlands (news)",
    "url": "https://mod.example.nl/n/2",
}
PARLIAMENT_IRELAND = {
    "source": "Houses of the Oireachtas (written answers)",
    "url": "https://oireachtas.example.ie/q/9",
}


def claim_of(text: str, contributor: str, **metadata) -> dict:
    claims = extract(text, **metadata)["contribution_claims"]
    return claims.filter(claims["contributor_iso3"] == contributor).row(0, named=True)


@pytest.mark.parametrize(
    "text, contributor, count",
    [
        ("Ghana contributes about 800 troops to MINUSMA.", "GHA", 800),
        (
            "The Secretary-General thanked Nepal for its contribution of some 1,200 uniformed personnel to MINUSMA.",
            "NPL",
            1200,
        ),
        ("The UK's commitment to the mission is up to 250 personnel.", "GBR", 250),
    ],
)
def test_contribution_verb_links_a_country_to_the_mission(text, contributor, count):
    claim = claim_of("MINUSMA patrols the north. " + text, contributor)
    assert (claim["mission_actor_id"], claim["personnel_best"], claim["trigger"]) == (
        "minusma",
        count,
        "verb",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Algeria, which is not a troop contributor to MINUSMA, sent condolences.",
        "Morocco has never contributed soldiers to the UN mission in Mali.",
    ],
)
def test_contribution_negated_in_the_country_clause_is_none(text):
    assert contributions(text) == set()


@pytest.mark.parametrize(
    "text, contributor, count",
    [
        ("Benin has about 400 soldiers and police officers in MINUSMA.", "BEN", 400),
        (
            "The Ghanaian contingent, which numbers around 650 personnel, escorts convoys for the UN mission in Mali.",
            "GHA",
            650,
        ),
        ("Rockets hit the UN camp in Kidal, home to some 300 Guinean peacekeepers of MINUSMA.", "GIN", 300),
    ],
)
def test_contribution_strength_figure_of_a_country(text, contributor, count):
    claim = claim_of(text, contributor)
    assert (claim["mission_actor_id"], claim["personnel_best"]) == ("minusma", count)


@pytest.mark.parametrize(
    "text, contributor, personnel_type",
    [
        (
            "A formed police unit from Rwanda is responsible for public order in Gao for the UN mission in Mali.",
            "RWA",
            "police",
        ),
        ("The Rwandan quick reaction force of MINUSMA patrols the road to Ansongo.", "RWA", None),
    ],
)
def test_contribution_unit_owned_by_a_country(text, contributor, personnel_type):
    claim = claim_of(text, contributor)
    assert (claim["mission_actor_id"], claim["personnel_type"]) == ("minusma", personnel_type)


@pytest.mark.parametrize(
    "text",
    [
        "MINUSMA deployed its first units in July. The soldiers are all African: Benin, Ghana and Togo.",
        "MINUSMA deployed its first units in July. The troops come from Benin, Ghana and Togo.",
    ],
)
def test_contribution_list_of_countries_a_force_is_made_of(text):
    assert contributions(text) == {("BEN", "minusma"), ("GHA", "minusma"), ("TGO", "minusma")}


@pytest.mark.parametrize(
    "text",
    [
        "MINUSMA said two peacekeepers from Senegal were killed when their truck hit a mine.",
        "Three Nigerien peacekeepers of MINUSMA were wounded near Ansongo.",
    ],
)
def test_contribution_victims_nationality_is_not_a_contribution(text):
    assert contributions(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Norway announced a contribution of $15 million to the humanitarian response plan for Mali and MINUSMA.",
        "MINUSMA thanked Japan, whose contribution to the mission's trust fund financed new bunkers.",
    ],
)
def test_contribution_donor_of_money_is_no_contributor(text):
    assert contributions(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Peru, which holds the Council presidency this month, said MINUSMA needs more helicopters.",
        "The statement on MINUSMA was read by the Permanent Representative of Kenya, who praised its troops.",
    ],
)
def test_contribution_office_holder_is_no_contributor(text):
    assert contributions(text) == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The UK also contributes three Chinook helicopters and about 90 personnel to Operation Barkhane.",
            {("GBR", "barkhane")},
        ),
        ("France sends 600 more soldiers to Operation Barkhane.", set()),
        ("Mali contributes 200 soldiers to joint patrols with MINUSMA.", set()),
    ],
)
def test_contribution_to_a_national_operation_or_host_mission(text, expected):
    assert contributions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "France will keep about 1,000 troops in the region.",
        "Paris has 800 soldiers in the Sahel.",
    ],
)
def test_contribution_country_with_its_own_operation_needs_the_mission_named(text):
    context = "MINUSMA patrols the north. Operation Barkhane hunts militants across the Sahel. "
    assert contributions(context + text) == set()


@pytest.mark.parametrize(
    "text, metadata, count",
    [
        (
            "Defence will continue to contribute around 180 military personnel to MINUSMA next year.",
            MOD_NETHERLANDS,
            180,
        ),
        ("In total, 11 Defence Forces personnel serve with MINUSMA.", PARLIAMENT_IRELAND, 11),
    ],
)
def test_contribution_publisher_speaks_for_its_own_forces(text, metadata, count):
    claims = extract(text, **metadata)["contribution_claims"]
    assert claims.select(
        "contributor_iso3", "mission_actor_id", "contributor_source", "personnel_best"
    ).rows() == [
        (
            metadata["source"] and ("NLD" if "Netherlands" in metadata["source"] else "IRL"),
            "minusma",
            "publisher",
            count,
        )
    ]
    assert extract(text, source="Sahel Wire")["contribution_claims"].height == 0


@pytest.mark.parametrize(
    "text",
    [
        "The mission itself is authorised by the Security Council with a ceiling of 13,289 military personnel.",
        "The Security Council renewed the mission's mandate with up to 1,920 police.",
    ],
)
def test_contribution_mission_totals_are_no_national_contribution(text):
    assert contributions("MINUSMA was created in 2013. " + text, **MOD_NETHERLANDS) == set()


@pytest.mark.parametrize(
    "text, low, best, high",
    [
        (
            "Under the new mandate, up to 1,100 Estonian soldiers may be deployed to MINUSMA.",
            None,
            1100,
            1100,
        ),
        ("Estonia's commitment to MINUSMA is a ceiling of up to 90 personnel.", None, 90, 90),
    ],
)
def test_contribution_ceiling_is_kept_as_a_ceiling(text, low, best, high):
    claim = claim_of(text, "EST")
    assert (
        claim["personnel_low"],
        claim["personnel_best"],
        claim["personnel_high"],
        claim["is_ceiling"],
    ) == (
        low,
        best,
        high,
        True,
    )


@pytest.mark.parametrize(
    "text, assets",
    [
        (
            "Germany sends three heavy-lift and two utility helicopters to MINUSMA.",
            ["heavy_lift_helicopter:3", "utility_helicopter:2"],
        ),
        (
            "Portugal provides a C-130H Hercules transport aircraft and 60 personnel to MINUSMA.",
            ["transport_aircraft:1"],
        ),
        ("Denmark provides two Chinooks and a drone to MINUSMA.", ["drone:1", "heavy_lift_helicopter:2"]),
    ],
)
def test_contribution_assets_by_type_and_count(text, assets):
    contributor = text.split()[0]
    iso3 = {"Germany": "DEU", "Portugal": "PRT", "Denmark": "DNK"}[contributor]
    assert claim_of(text, iso3)["assets"] == assets


def test_contribution_counts_in_brackets_after_a_list_of_countries():
    text = "The largest troop contributors to MINUSMA were Chad (1 350), Egypt (1 020) and Niger (870)."
    claims = extract(text)["contribution_claims"]
    assert dict(claims.select("contributor_iso3", "personnel_best").iter_rows()) == {
        "TCD": 1350,
        "EGY": 1020,
        "NER": 870,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Guinea, whose soldiers guarded the MINUSMA camp in Aguelhok until 2017, condemned the attack.",
        "Sweden contributed an intelligence unit to MINUSMA from 2014 to 2019.",
    ],
)
def test_contribution_that_is_over_is_none(text):
    assert contributions(text, published=dt.date(2021, 2, 1)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "The ceremony at the MINUSMA camp was attended by some 120 guests from Chad.",
        "The commander of the Chadian contingent of MINUSMA, who has 26 years of service, spoke.",
    ],
)
def test_contribution_guests_and_years_never_count_a_force(text):
    claims = extract(text)["contribution_claims"]
    assert claims["personnel_best"].drop_nulls().to_list() == []


@pytest.mark.parametrize(
    "text",
    [
        "The seventh rotation of the Chadian contingent arrived in Kidal for MINUSMA.",
        "The 9th Chadian peacekeeping contingent to MINUSMA completed its handover.",
    ],
)
def test_contribution_rotation_number_is_not_a_count(text):
    claim = claim_of(text, "TCD")
    assert claim["personnel_best"] is None


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Operation Serval drove the militants out of the towns. The United States provides drones to the operation.",
            {("USA", "serval")},
        ),
        ("The United States has been providing technical support to the operation, including drones.", set()),
    ],
)
def test_contribution_the_operation_is_the_operation_named_before(text, expected):
    assert contributions("MINUSMA took over in July. " + text) == expected


@pytest.mark.parametrize(
    "strong, weak",
    [
        (
            "Ghana contributes about 800 troops to MINUSMA.",
            "MINUSMA patrols the north. The Ghanaian battalion escorts convoys.",
        ),
        ("Benin has 400 soldiers in MINUSMA.", "Chad is most likely to be donating troops to MINUSMA, too."),
    ],
)
def test_contribution_confidence_ranks_explicit_statements_above_weaker_links(strong, weak):
    strong_confidence = extract(strong)["contribution_claims"]["confidence"].max()
    weak_claims = extract(weak)["contribution_claims"]
    assert weak_claims.height and strong_confidence > weak_claims["confidence"].max()


@pytest.mark.parametrize(
    "text, assets",
    [
        (
            "Canada contributes three CH-147F Chinook and five CH-146 Griffon helicopters to MINUSMA.",
            ["heavy_lift_helicopter:3", "utility_helicopter:5"],
        ),
        ("Norway provides one C-130J Hercules transport aircraft to MINUSMA.", ["transport_aircraft:1"]),
    ],
)
def test_contribution_asset_count_before_a_model_designation(text, assets):
    claims = extract(text)["contribution_claims"]
    assert claims["assets"].to_list() == [assets]


@pytest.mark.parametrize(
    "text, personnel",
    [
        ("The Bundestag approved a ceiling of up to 1,100 soldiers for the German MINUSMA contingent.", 1100),
        ("Parliament set a limit of 150 soldiers for the Slovak contingent in MINUSMA.", 150),
    ],
)
def test_contribution_ceiling_before_the_country_is_its_ceiling(text, personnel):
    claims = extract(text)["contribution_claims"]
    assert claims.select("personnel_best", "is_ceiling").rows() == [(personnel, True)]


@pytest.mark.parametrize(
    "text, personnel",
    [
        ("The Government proposes that Norway contribute up to 70 personnel to MINUSMA in 2021.", 70),
        ("In 2020, Estonia will send some 95 soldiers to MINUSMA.", 95),
    ],
)
def test_contribution_year_of_a_plan_is_no_period(text, personnel):
    claims = extract(text)["contribution_claims"]
    assert claims["personnel_best"].to_list() == [personnel]


@pytest.mark.parametrize(
    "paragraphs",
    [
        (
            "The number of Senegalese peacekeepers killed in Friday's ambush near Ber has risen to four, the United Nations mission in Mali said.",
            "Senegal contributes some 900 troops to MINUSMA.",
        ),
        (
            "Eleven Chadian peacekeepers serving with MINUSMA were wounded in the attack, the mission said.",
            "Chad contributes about 1,400 troops to MINUSMA.",
        ),
    ],
)
def test_contribution_count_is_never_a_casualty_figure(paragraphs):
    strengths = extract(*paragraphs, published=dt.date(2019, 3, 18))["contribution_claims"]["personnel_best"]
    stated = strengths.drop_nulls().to_list()
    assert stated and min(stated) >= 900
