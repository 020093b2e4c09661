"""Contribution claims: what a country provides to a mission (pure Polars, vectorized).

Grain of the output (CONTRIBUTION_CLAIM_SCHEMA): one row per (article, sentence, contributor, mission)
a sentence states; the marts fold them to one row per (article, contributor, mission). Offsets are the
sentence's in the article body; `evidence_text` is that sentence.

A country (not a location, partner, office or donor use: `forces.py`) contributes when its sentence
links it to a force (`trigger`, vocabulary in seed `force_terms.csv`):
- 'verb': a contribution term after it in its clause, or after its possessive ("Niger contributes",
  "Bangladesh's contribution of", "The UK's commitment", "which numbers around 1,050 personnel", "serve
  with"), with no negation between ("which is not a troop contributor", "has never contributed"); the
  sentence must also name a force (personnel, unit, asset, strength figure) or the mission;
- 'strength': a strength figure of people after it within 80 characters in its clause, or around it
  ("Niger has around 900 troops in MINUSMA", "home to some 400 Chadian peacekeepers");
- 'unit': a unit, personnel noun or asset it is attached to ("the Senegalese quick reaction force",
  "Burkina Faso's battalion", "a formed police unit from Togo", "Portugal's transport aircraft"),
  outside a casualty sentence for personnel nouns ("two Togolese peacekeepers were killed" names
  victims);
- 'deployment': a deployment claim of that country (`deployments.py`);
- 'publisher': a sentence naming no usable country, with a contribution term or a strength figure and a
  force, on a page whose publisher speaks for its country's forces ("Defence will continue to contribute
  around 250 military personnel", "In total, 14 Defence Forces personnel serve with MINUSMA"); not when
  the mission or the Council is the subject (term_type mission_subject: "The mission itself is authorised
  … with a ceiling of 13,289").

A sentence telling what is over ("whose soldiers guarded the camp until 2017", `forces.py`) states no
contribution.

Mission: the mission of the sentence nearest to the country that can have it, else the sentence's
mission in context (`forces.py`). A UN mission never has its host as contributor; a national operation
(international_force with a country: Barkhane) never has its own country (that is its own operation), and
has another country only when named in the sentence with a 'verb' trigger ("The UK contributes three
Chinooks to Operation Barkhane"). A country whose own national operation the article names contributes to
another mission only when that mission is named in the sentence ("France will keep 1,000 troops in the
country" is its operation's business).

Personnel: the strength figure nearest after the country (within 100 characters; one around it first),
else a ceiling right before it ("a ceiling of up to 1,100 soldiers for the German contingent"), else the
sentence's only one for a publisher claim, else a count in brackets after the country ("Chad
(1 427), Bangladesh (1 396)"); `is_ceiling` when a ceiling term precedes it ("up to
1,250 soldiers", "a ceiling of up to 300": kept as a ceiling, never as a strength). personnel_type: the
personnel noun nearest to the figure, else the unit's (seed unit_types.personnel_type). Assets: the
sentence's assets as '<type>:<count>' when a number precedes them ("three heavy-lift and two utility
helicopters" → heavy_lift_helicopter:3, utility_helicopter:2), else '<type>'.

Confidence (in [0.05, 0.99]) = trigger (verb 0.5, strength 0.45, unit 0.4, publisher 0.4, deployment 0.35)
+ mission (sentence 0.2, paragraph 0.1, article 0.05) + 0.1 named in the sentence + 0.1 with personnel or
assets − 0.2 when hedged (term_type hedge: "most likely", "expected to").
"""

import polars as pl

from orchestration.extract.forces import (
    ATTACHED_GAP,
    FROM_GAP,
    SENTENCE_KEYS,
    ForceContext,
    as_of_and_evidence,
    between,
    country_candidates,
)
from orchestration.extract.schema import CONTRIBUTION_CLAIM_SCHEMA, conform

TRIGGER_WEIGHT = {"verb": 0.5, "strength": 0.45, "unit": 0.4, "publisher": 0.4, "deployment": 0.35}
TRIGGER_RANK = {"verb": 0, "strength": 1, "unit": 2, "publisher": 3, "deployment": 4}
MISSION_WEIGHT = {"sentence": 0.2, "paragraph": 0.1, "article": 0.05}
NEEDS_FORCE = ("sends", "provides", "commits", "numbers", "rotation", "supports")
# contribution verbs that can give a force to another country's national operation
GIVE_VERBS = ("contributes", "sends", "provides", "commits", "supports")
# a model designation between a count and its asset: "five CH-146 Griffon", "two C-130J", "four NH90"
DESIGNATION = r"[a-z]{1,4}-?\d{2,4}[a-z]?"


def _sentence_flags(context: ForceContext, cues: pl.LazyFrame) -> pl.LazyFrame:
    """Per sentence: names a force (personnel, unit, asset), a strength figure, a casualty, a hedge."""
    terms = context.terms.group_by(SENTENCE_KEYS).agg(
        pl.col("term_type").is_in(["personnel", "unit", "asset", "deployment"]).any().alias("has_force_noun"),
        (pl.col("term_type") == "hedge").any().alias("is_hedged"),
    )
    casualty = (
        cues.filter(pl.col("cue_type").is_in(["killed", "wounded"]))
        .select(*SENTENCE_KEYS)
        .unique()
        .with_columns(pl.lit(True).alias("has_casualty"))
    )
    figures = context.figures.select(*SENTENCE_KEYS).unique().with_columns(pl.lit(True).alias("has_figure"))
    return (
        context.sentences.select(*SENTENCE_KEYS)
        .join(terms, on=SENTENCE_KEYS, how="left")
        .join(casualty, on=SENTENCE_KEYS, how="left")
        .join(figures, on=SENTENCE_KEYS, how="left")
        .with_columns(pl.col("has_force_noun", "is_hedged", "has_casualty", "has_figure").fill_null(False))
    )


def _verb_links(context: ForceContext, candidates: pl.LazyFrame, flags: pl.LazyFrame) -> pl.LazyFrame:
    """Candidates linked to a contribution term (trigger 'verb')."""
    vocabulary = context.vocabulary
    breaks = vocabulary.alternation("clause_break")
    negation = vocabulary.alternation("negation")
    verbs = context.terms.filter(pl.col("term_type") == "contribution").select(
        *SENTENCE_KEYS, pl.col("start").alias("v_start"), pl.col("value").alias("v_value")
    )
    missions_here = context.missions.select(
        *SENTENCE_KEYS, (pl.col("mission_source") == "sentence").alias("_mission_here")
    )
    texts = context.sentences.select(*SENTENCE_KEYS, "text")
    gap = between("c_end", "v_start")
    return (
        candidates.filter(~pl.col("is_partner"))
        .join(verbs, on=SENTENCE_KEYS)
        .filter(pl.col("v_start") >= pl.col("c_end"), pl.col("v_start") - pl.col("c_end") <= 80)
        .join(texts, on=SENTENCE_KEYS)
        .filter(
            ~gap.str.contains(r"[;:]"),
            ~gap.str.contains(rf"\b(?:{negation})\b|n't\b"),
            # a relative clause in between belongs to the country only when it is its own (", which ...")
            ~gap.str.contains(rf"\b(?:{breaks})\b") | gap.str.contains(r"^,\s+(?:which|who|whose)\b"),
        )
        .join(flags, on=SENTENCE_KEYS)
        .join(missions_here, on=SENTENCE_KEYS, how="left")
        .filter(
            pl.col("has_force_noun")
            | pl.col("has_figure")
            | (~pl.col("v_value").is_in(NEEDS_FORCE) & pl.col("_mission_here").fill_null(False))
        )
        .sort(*SENTENCE_KEYS, "c_start", "v_start")
        .group_by(*SENTENCE_KEYS, "c_start", "country_iso3")
        .agg(pl.col("v_value").first().alias("verb_value"))
        .with_columns(pl.lit("verb").alias("trigger"))
    )


def _strength_links(context: ForceContext, candidates: pl.LazyFrame) -> pl.LazyFrame:
    """Candidates with a strength figure after them in their clause, or inside it (trigger 'strength')."""
    breaks = context.vocabulary.alternation("clause_break")
    figures = context.figures.select(
        *SENTENCE_KEYS, pl.col("start").alias("f_start"), pl.col("end").alias("f_end")
    )
    texts = context.sentences.select(*SENTENCE_KEYS, "text")
    gap = between("c_end", "f_start")
    return (
        candidates.join(figures, on=SENTENCE_KEYS)
        .join(texts, on=SENTENCE_KEYS)
        .filter(
            ((pl.col("c_start") >= pl.col("f_start")) & (pl.col("c_end") <= pl.col("f_end")))
            | (
                (pl.col("f_start") >= pl.col("c_end"))
                & (pl.col("f_start") - pl.col("c_end") <= 80)
                & ~gap.str.contains(rf"[;:]|\b(?:{breaks})\b")
            )
        )
        .select(*SENTENCE_KEYS, "c_start", "country_iso3", pl.lit("strength").alias("trigger"))
        .unique()
    )


def _unit_links(context: ForceContext, candidates: pl.LazyFrame, flags: pl.LazyFrame) -> pl.LazyFrame:
    """Candidates attached to a unit, personnel noun or asset (trigger 'unit')."""
    nouns = context.terms.filter(pl.col("term_type").is_in(["unit", "personnel", "asset"])).select(
        *SENTENCE_KEYS,
        pl.col("start").alias("n_start"),
        pl.col("end").alias("n_end"),
        pl.col("term_type").alias("n_type"),
    )
    texts = context.sentences.select(*SENTENCE_KEYS, "text")
    attached = (
        (pl.col("c_end") <= pl.col("n_start")) & between("c_end", "n_start").str.contains(ATTACHED_GAP)
    ) | (
        (pl.col("c_start") >= pl.col("n_end"))
        & (pl.col("c_start") - pl.col("n_end") <= 40)
        & between("n_end", "c_start").str.contains(FROM_GAP)
    )
    return (
        candidates.join(nouns, on=SENTENCE_KEYS)
        .join(texts, on=SENTENCE_KEYS)
        .filter(attached)
        .join(flags, on=SENTENCE_KEYS)
        .filter((pl.col("n_type") != "personnel") | ~pl.col("has_casualty"))
        .select(*SENTENCE_KEYS, "c_start", "country_iso3", pl.lit("unit").alias("trigger"))
        .unique()
    )


def _composition_links(context: ForceContext, candidates: pl.LazyFrame, flags: pl.LazyFrame) -> pl.LazyFrame:
    """Lists of countries a force is said to be made of ("The soldiers are all African: Burkina Faso,
    Ghana, …", "the troops come from Chad and Niger": trigger 'unit')."""
    composition = context.vocabulary.alternation("composition")
    nouns = context.terms.filter(pl.col("term_type").is_in(["unit", "personnel", "contribution"])).select(
        *SENTENCE_KEYS, pl.col("end").alias("n_end")
    )
    heads = (
        candidates.filter(~pl.col("is_partner"))
        .sort(*SENTENCE_KEYS, "c_start")
        .group_by(*SENTENCE_KEYS, "list_no")
        .agg(pl.col("c_start").first().alias("_head_start"))
    )
    linked_lists = (
        heads.join(nouns, on=SENTENCE_KEYS)
        .filter(pl.col("_head_start") > pl.col("n_end"), pl.col("_head_start") - pl.col("n_end") <= 50)
        .join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .filter(between("n_end", "_head_start").str.contains(rf"^[^;.]*?(?:{composition})\s*(?:the\s+)?$"))
        .join(flags.filter(~pl.col("has_casualty")), on=SENTENCE_KEYS, how="semi")
        .select(*SENTENCE_KEYS, "list_no")
        .unique()
    )
    return (
        candidates.join(linked_lists, on=[*SENTENCE_KEYS, "list_no"])
        .select(*SENTENCE_KEYS, "c_start", "country_iso3", pl.lit("unit").alias("trigger"))
        .unique()
    )


def _publisher_links(context: ForceContext, candidates: pl.LazyFrame, flags: pl.LazyFrame) -> pl.LazyFrame:
    """Sentences of a publisher's page naming no usable country (trigger 'publisher')."""
    verbs = (
        context.terms.filter(pl.col("term_type") == "contribution")
        .sort(*SENTENCE_KEYS, "start")
        .group_by(SENTENCE_KEYS)
        .agg(pl.col("value").first().alias("verb_value"))
    )
    stated = verbs.join(
        flags.filter(pl.col("has_force_noun") | pl.col("has_figure")), on=SENTENCE_KEYS, how="semi"
    )
    counted = (
        context.figures.select(*SENTENCE_KEYS)
        .unique()
        .join(flags.filter(pl.col("has_force_noun")), on=SENTENCE_KEYS, how="semi")
        .join(stated.select(*SENTENCE_KEYS), on=SENTENCE_KEYS, how="anti")
        .with_columns(pl.lit(None, pl.String).alias("verb_value"))
    )
    subjects = context.terms.filter(pl.col("term_type") == "mission_subject").select(*SENTENCE_KEYS).unique()
    return (
        pl.concat([stated, counted])
        .join(
            candidates.filter(~pl.col("is_partner")).select(*SENTENCE_KEYS).unique(),
            on=SENTENCE_KEYS,
            how="anti",
        )
        .join(subjects, on=SENTENCE_KEYS, how="anti")
        .join(context.publishers, on="article_id")
        .select(
            *SENTENCE_KEYS,
            pl.lit(None, pl.Int32).alias("c_start"),
            pl.col("publisher_iso3").alias("country_iso3"),
            pl.lit("publisher").alias("trigger"),
            "verb_value",
        )
    )


def _missions(context: ForceContext, links: pl.LazyFrame) -> pl.LazyFrame:
    """Per link (link_key), the mission it contributes to and mission_source (module docstring)."""
    operation = pl.col("mission_actor_type") == "international_force"
    own_operation = operation & (pl.col("mission_country_iso3") == pl.col("country_iso3")).fill_null(False)
    gives = pl.col("verb_value").is_in(GIVE_VERBS).fill_null(False)
    accepts_named = ~own_operation & (
        (operation & (pl.col("mission_country_iso3").is_null() | gives))
        | (~operation & (pl.col("mission_country_iso3") != pl.col("country_iso3")).fill_null(True))
    )
    in_sentence = (
        links.select("link_key", *SENTENCE_KEYS, "c_start", "country_iso3", "verb_value")
        .join(context.mission_mentions, on=SENTENCE_KEYS)
        .filter(accepts_named)
        .with_columns(
            (pl.col("start") - pl.col("c_start").fill_null(pl.col("start"))).abs().alias("_distance")
        )
        .sort("link_key", "_distance", "start")
        .group_by("link_key")
        .agg(pl.col("mission_actor_id").first())
        .with_columns(pl.lit("sentence").alias("mission_source"))
    )
    # a country whose own national operation the article names: no mission from context
    own_operations = (
        context.forces.filter(
            pl.col("actor_type") == "international_force", pl.col("country_iso3").is_not_null()
        )
        .select("article_id", pl.col("country_iso3").alias("_own_iso3"))
        .unique()
    )
    accepts_context = (pl.col("mission_actor_type") == "un_mission") & (
        pl.col("mission_country_iso3") != pl.col("country_iso3")
    ).fill_null(True)
    in_context = (
        links.select("link_key", *SENTENCE_KEYS, "country_iso3")
        .join(in_sentence.select("link_key"), on="link_key", how="anti")
        .join(
            own_operations,
            left_on=["article_id", "country_iso3"],
            right_on=["article_id", "_own_iso3"],
            how="anti",
        )
        .join(context.missions, on=SENTENCE_KEYS)
        .filter(pl.col("mission_actor_id").is_not_null(), accepts_context)
        .select("link_key", "mission_actor_id", "mission_source")
    )
    return pl.concat([in_sentence, in_context])


def _personnel(context: ForceContext, links: pl.LazyFrame, unit_personnel: pl.DataFrame) -> pl.LazyFrame:
    """Per link (link_key): personnel bounds, is_ceiling and personnel_type (module docstring)."""
    figures = context.figures.select(
        *SENTENCE_KEYS,
        pl.col("start").alias("f_start"),
        pl.col("end").alias("f_end"),
        "value_low",
        "value_best",
        "value_high",
        "is_ceiling",
    )
    order = (
        pl.when(pl.col("c_start").is_null())
        .then(pl.col("f_start"))
        .when((pl.col("c_start") >= pl.col("f_start")) & (pl.col("c_start") < pl.col("f_end")))
        .then(-1)
        .when(pl.col("f_end") <= pl.col("c_start"))
        .then(1000)
        .otherwise(pl.col("f_start") - pl.col("c_start"))
    )
    counted = (
        links.select("link_key", *SENTENCE_KEYS, "c_start")
        .join(figures, on=SENTENCE_KEYS)
        .join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .filter(
            pl.col("c_start").is_null()
            | ((pl.col("f_end") > pl.col("c_start")) & (pl.col("f_start") - pl.col("c_start") <= 100))
            # "a ceiling of up to 1,100 soldiers for the German contingent"
            | (
                pl.col("is_ceiling")
                & (pl.col("f_end") <= pl.col("c_start"))
                & between("f_end", "c_start").str.contains(r"^\s+(?:for|from)\s+(?:the\s+)?$")
            )
        )
        .with_columns(order.alias("_order"))
        .sort("link_key", "_order")
        .group_by("link_key")
        .first()
    )
    personnel = context.terms.filter(pl.col("term_type") == "personnel").select(
        *SENTENCE_KEYS, pl.col("start").alias("_at"), pl.col("value").alias("_noun_type")
    )
    units = (
        context.terms.filter(pl.col("term_type") == "unit")
        .join(unit_personnel.lazy(), left_on="value", right_on="unit_type")
        .select(*SENTENCE_KEYS, pl.col("start").alias("_at"), pl.col("personnel_type").alias("_unit_type"))
    )
    anchor = pl.coalesce("f_start", "c_start", pl.lit(0))
    noun_type = (
        links.select("link_key", *SENTENCE_KEYS, "c_start")
        .join(counted.select("link_key", "f_start"), on="link_key", how="left")
        .with_columns(anchor.alias("_anchor"))
        .join(personnel, on=SENTENCE_KEYS)
        .with_columns((pl.col("_at") - pl.col("_anchor")).abs().alias("_distance"))
        .sort("link_key", "_distance")
        .group_by("link_key")
        .agg(pl.col("_noun_type").first())
    )
    unit_type = (
        links.select("link_key", *SENTENCE_KEYS, "c_start")
        .join(units, on=SENTENCE_KEYS)
        .with_columns((pl.col("_at") - pl.col("c_start").fill_null(0)).abs().alias("_distance"))
        .sort("link_key", "_distance")
        .group_by("link_key")
        .agg(pl.col("_unit_type").first())
    )
    return (
        links.select("link_key")
        .join(
            counted.select("link_key", "value_low", "value_best", "value_high", "is_ceiling"),
            on="link_key",
            how="left",
        )
        .join(noun_type, on="link_key", how="left")
        .join(unit_type, on="link_key", how="left")
        .select(
            "link_key",
            pl.col("value_low").alias("personnel_low"),
            pl.col("value_best").alias("personnel_best"),
            pl.col("value_high").alias("personnel_high"),
            pl.col("is_ceiling").fill_null(False),
            pl.coalesce("_noun_type", "_unit_type").alias("personnel_type"),
        )
    )


def find_assets(context: ForceContext, number_words: pl.DataFrame) -> pl.LazyFrame:
    """Per sentence, its assets: a sorted list of '<type>:<count>' (count when a number, "a" or "an"
    precedes the asset phrase, a model designation allowed in between: "five CH-146 Griffon
    helicopters") or '<type>'. Neighbouring asset terms are one phrase ("C-130H Hercules transport
    aircraft"); a coordinated modifier takes its own count ("three heavy-lift and two utility helicopters")."""
    cardinals = number_words.filter(pl.col("kind") != "vague").select(
        pl.col("phrase").str.to_lowercase().alias("_word"),
        pl.col("value_best").cast(pl.Float64).alias("_word_value"),
    )
    words = "|".join(sorted(cardinals["_word"].to_list(), key=len, reverse=True))
    texts = context.sentences.select(*SENTENCE_KEYS, "text")
    assets = (
        context.terms.filter(pl.col("term_type") == "asset")
        .join(texts, on=SENTENCE_KEYS)
        .sort(*SENTENCE_KEYS, "start")
        .with_columns(pl.col("end").shift(1).over(SENTENCE_KEYS).alias("_previous_end"))
        .with_columns(
            (
                pl.col("_previous_end").is_not_null()
                & between("_previous_end", "start").str.contains(r"^\s*$")
            ).alias("_continues")
        )
        .filter(~pl.col("_continues"))
        .with_columns(
            pl.col("text")
            .str.slice(
                pl.max_horizontal(pl.col("start") - 36, pl.lit(0)),
                pl.min_horizontal(pl.col("start"), pl.lit(36)),
            )
            .str.to_lowercase()
            .str.extract(rf"(?:^|[^\w-])(\d[\d,]*|{words}|an?)\s+(?:{DESIGNATION}\s+)?$", 1)
            .alias("_number")
        )
        .join(cardinals.lazy(), left_on="_number", right_on="_word", how="left")
        .with_columns(
            pl.coalesce(
                pl.col("_number").str.replace_all(",", "").cast(pl.Float64, strict=False),
                "_word_value",
                pl.when(pl.col("_number").is_in(["a", "an"])).then(pl.lit(1.0)),
            )
            .cast(pl.Int64)
            .alias("_count")
        )
    )
    return assets.group_by(SENTENCE_KEYS).agg(
        pl.when(pl.col("_count").is_not_null())
        .then(pl.format("{}:{}", "value", "_count"))
        .otherwise(pl.col("value"))
        .unique()
        .sort()
        .alias("assets")
    )


def find_contribution_claims(
    context: ForceContext,
    deployment_claims: pl.LazyFrame,
    cues: pl.LazyFrame,
    articles: pl.LazyFrame,
    unit_personnel: pl.DataFrame,
    number_words: pl.DataFrame,
) -> pl.LazyFrame:
    """Contribution claims (CONTRIBUTION_CLAIM_SCHEMA); see the module docstring.

    `unit_personnel`: seed unit_types (unit_type, personnel_type); `number_words`: seed number_words.
    """
    # stages read several times are collected once (a lazy plan would recompute them for every reader)
    candidates = country_candidates(context).collect().lazy()
    flags = _sentence_flags(context, cues).collect().lazy()
    links = (
        pl.concat(
            [
                _verb_links(context, candidates, flags),
                _strength_links(context, candidates),
                _unit_links(context, candidates, flags),
                _composition_links(context, candidates, flags),
                _publisher_links(context, candidates, flags),
            ],
            how="diagonal_relaxed",
        )
        .collect()
        .lazy()
    )
    # a list of countries contributes as a whole ("Chad, Niger and Togo contribute troops")
    members = candidates.filter(~pl.col("is_partner")).select(
        *SENTENCE_KEYS,
        "list_no",
        pl.col("c_start").alias("_member_start"),
        pl.col("country_iso3").alias("_member_iso3"),
    )
    listed = (
        links.join(candidates.select(*SENTENCE_KEYS, "c_start", "list_no"), on=[*SENTENCE_KEYS, "c_start"])
        .join(members, on=[*SENTENCE_KEYS, "list_no"])
        .filter(pl.col("_member_start") != pl.col("c_start"))
        .with_columns(pl.col("_member_start").alias("c_start"), pl.col("_member_iso3").alias("country_iso3"))
        .select(links.collect_schema().names())
    )
    links = (
        pl.concat([links, listed])
        .join(context.past, on=SENTENCE_KEYS, how="anti")
        .with_columns(
            pl.format(
                "{}:{}:{}:{}", "article_id", "sentence_no", pl.col("c_start").fill_null(-1), "trigger"
            ).alias("link_key")
        )
        .unique("link_key")
        .collect()
        .lazy()
    )
    # a strength or unit known only from the article's context needs a unit or a mission noun of its own
    grounded = (
        context.terms.filter(pl.col("term_type").is_in(["unit", "mission_noun"]))
        .select(*SENTENCE_KEYS)
        .unique()
    )
    missions = _missions(context, links)
    article_only = (pl.col("mission_source") == "article") & pl.col("trigger").is_in(["strength", "unit"])
    missions = (
        missions.join(links.select("link_key", *SENTENCE_KEYS, "trigger"), on="link_key")
        .join(grounded.with_columns(pl.lit(True).alias("_grounded")), on=SENTENCE_KEYS, how="left")
        .filter(~article_only | pl.col("_grounded").fill_null(False))
        .select("link_key", "mission_actor_id", "mission_source")
    )
    # "Chad (1 427), Bangladesh (1 396)": a count in brackets right after the country
    bracketed = (
        links.join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .with_columns(
            pl.col("text")
            .str.slice(pl.col("c_start"), 60)
            .str.extract(r"^[^()\d,;]{2,40}?\s*\((\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})*|\d+)\)", 1)
            .str.replace_all(r"[ ,.\u00a0\u202f]", "")
            .cast(pl.Float64, strict=False)
            .alias("_bracketed")
        )
        .filter(pl.col("_bracketed").is_not_null())
        .select("link_key", "_bracketed")
    )
    stated = (
        links.join(missions, on="link_key")
        .join(_personnel(context, links, unit_personnel), on="link_key", how="left")
        .join(bracketed, on="link_key", how="left")
        .with_columns(
            pl.coalesce("personnel_low", "_bracketed").alias("personnel_low"),
            pl.coalesce("personnel_best", "_bracketed").alias("personnel_best"),
            pl.coalesce("personnel_high", "_bracketed").alias("personnel_high"),
        )
        .with_columns(
            pl.when(pl.col("trigger") == "publisher")
            .then(pl.lit("publisher"))
            .otherwise(pl.lit("sentence"))
            .alias("contributor_source")
        )
    )
    implied = deployment_claims.filter(
        pl.col("contributor_iso3").is_not_null(), pl.col("mission_actor_id").is_not_null()
    ).select(
        *SENTENCE_KEYS,
        pl.col("contributor_iso3").alias("country_iso3"),
        pl.lit("deployment").alias("trigger"),
        "mission_actor_id",
        "mission_source",
        "contributor_source",
        "personnel_low",
        "personnel_best",
        "personnel_high",
        pl.lit(False).alias("is_ceiling"),
        "personnel_type",
    )
    # national operations never have their own country as contributor (its own operation)
    operations = (
        context.forces.filter(pl.col("actor_type") == "international_force")
        .select(
            pl.col("entity_id").alias("mission_actor_id"), pl.col("country_iso3").alias("_operation_iso3")
        )
        .unique()
    )
    implied = (
        implied.join(operations, on="mission_actor_id", how="left")
        .filter(pl.col("_operation_iso3").is_null() | (pl.col("_operation_iso3") != pl.col("country_iso3")))
        .drop("_operation_iso3")
    )
    columns = implied.collect_schema().names()
    claims = pl.concat([stated.select(columns), implied])
    texts = context.sentences.select(*SENTENCE_KEYS, "text", "sentence_start", "sentence_end")
    published = articles.select("article_id", "published_date", "published_precision")
    confidence = (
        pl.col("trigger").replace_strict(TRIGGER_WEIGHT, return_dtype=pl.Float64)
        + pl.col("mission_source").replace_strict(MISSION_WEIGHT, default=0.0, return_dtype=pl.Float64)
        + pl.when(pl.col("contributor_source") == "sentence").then(0.1).otherwise(0.0)
        + pl.when(pl.col("personnel_best").is_not_null() | (pl.col("assets").list.len() > 0))
        .then(0.1)
        .otherwise(0.0)
        - pl.when(pl.col("is_hedged")).then(0.2).otherwise(0.0)
    )
    result = (
        claims.join(find_assets(context, number_words), on=SENTENCE_KEYS, how="left")
        .join(flags.select(*SENTENCE_KEYS, "is_hedged"), on=SENTENCE_KEYS, how="left")
        .join(
            context.dates.select(
                *SENTENCE_KEYS, "resolved_date", pl.col("date_precision").alias("_text_precision")
            ),
            on=SENTENCE_KEYS,
            how="left",
        )
        .join(published, on="article_id", how="left")
        .join(texts, on=SENTENCE_KEYS)
        .with_columns(pl.col("assets").fill_null([]), pl.col("is_hedged").fill_null(False))
        .with_columns(
            confidence.clip(0.05, 0.99).round(2).alias("confidence"),
            pl.col("trigger").replace_strict(TRIGGER_RANK, return_dtype=pl.Int32).alias("_rank"),
        )
        .sort(
            *SENTENCE_KEYS,
            "country_iso3",
            "mission_actor_id",
            "confidence",
            "_rank",
            descending=[False, False, False, False, True, False],
        )
        .unique([*SENTENCE_KEYS, "country_iso3", "mission_actor_id"], keep="first", maintain_order=True)
        .with_columns(
            pl.format(
                "contribution:{}:{}:{}:{}", "article_id", "sentence_no", "country_iso3", "mission_actor_id"
            ).alias("claim_id"),
            pl.col("country_iso3").alias("contributor_iso3"),
            *as_of_and_evidence(),
        )
    )
    return conform(result, CONTRIBUTION_CLAIM_SCHEMA).sort("article_id", "sentence_no", "contributor_iso3")
