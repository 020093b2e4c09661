"""Deployment claims: where an article places a contingent or unit (pure Polars, vectorized).

Grain of the output (DEPLOYMENT_CLAIM_SCHEMA): one row per (article, sentence, place, contributor) the
sentence places; contributor_iso3 is null when only a mission is named. Offsets (char_start, char_end)
are the sentence's in the article body; `evidence_text` is that sentence.

A place is placed by an anchor of its sentence (context frames and vocabulary: `forces.py`, seed
`force_terms.csv`):
- anchors: a deployment term (based at, stationed, deployed to, operate from, serve at, took over in,
  split between, guarding …), a unit (battalion, task group, national support element …), a camp or
  headquarters (camp, super camp, base, Force Headquarters …) or a strength figure of people;
- the place is the first place below country level after the anchor that one of the anchor's
  prepositions introduces (seed column `prepositions`: "deployed" takes in/at/to, "operate" takes
  from/out of too, "based" never takes to), at most GAP_LIMITS characters after it, with no clause break
  (seed term_type clause_break, ";" or ":") in between: "based at Camp Gyllene in Timbuktu", "operate
  from the Dutch camp inside the MINUSMA super camp at Gao", "deployed to Gao alongside German forces";
  "from where the aircraft flies to Gao" places nothing, "relocated from Timbuktu to Gao" places Gao;
- places continuing its list (", " / " and ", "Kidal town, Tessalit and Aguelhok") are placed too;
- a sentence opening with "In <place>," or "<place> (also) has …" places that town when an anchor follows;
- "the camp" without a town of its own ("The camp, home to 400 Chadian peacekeepers", "stationed at
  the camp") is the last camp the article placed at a town, when a deployment term or unit within 60
  characters of it in its clause holds the force and the sentence places nothing else;
- a camp alone places a force only when a country is attached to it ("the Dutch camp"), when it is a
  named camp ("Camp Castor") or when the sentence has a deployment term or a unit too;
- a town named as its area ("the Kidal region", seed term_type area_noun) yields to the towns the same
  sentence places;
- a sentence telling what is over (returned home, withdrew, "until 2017": `forces.py`) places nothing;
- a sentence naming no force (no unit, personnel, camp, asset or strength figure: "a family arrived in
  Bamako", "Malians living in Niamey") places nothing.

The contributor, among the countries that are not the place's own country (a force placed in its own
country is no deployment: "Nigerien troops in Niamey"), in this order:
1. a country named in the sentence (not a location, partner, office or donor use: `forces.py`): the one
   attached to the anchor ("the Senegalese quick reaction force", "Burkina Faso's battalion", "a
   battalion of peacekeepers from Burkina Faso"), else the nearest one before the anchor, else after it;
   a list of countries contributes as a whole ('sentence');
2. else the last country of the previous sentence of the paragraph ('context'), else the
   country of a national operation named in the sentence (Barkhane → France, 'operation'), else the
   publisher's country ('publisher'), else none: kept only when a deployment term anchors a sentence
   that names the mission ("Two infantry companies of MINUSMA are operating in Gao": 'none').
A partner named with the contributor ("deployed to Gao alongside German forces", "alongside the Swedish
contingent") is placed there too ('partner').

Mission: the nearest mission of the sentence that can have the contributor (a national operation only
its own country; a UN mission never its host), else the sentence's mission in context (`forces.py`).
unit_type / personnel_type: the unit (or headquarters) and the personnel noun nearest to the anchor.
Personnel (never a partner's): the strength figure nearest to the anchor within 100 characters that
counts no other unit, else the figure of a unit an adjacent sentence opens with (`_counts`). as_of_date: the
sentence's first date, else the publication date.

Confidence (in [0.05, 0.99]) = anchor (deployment term 0.45, camp 0.35, unit or strength 0.3) +
contributor (sentence 0.3, publisher 0.2, context or operation 0.15, partner 0.1, none 0) + 0.1 when
the place directly follows the anchor's preposition + 0.05 with a count − 0.1 in a photo caption.
"""

import polars as pl

from orchestration.extract.folding import ascii_fold
from orchestration.extract.forces import (
    ATTACHED_GAP,
    FROM_GAP,
    SENTENCE_KEYS,
    ForceContext,
    after,
    as_of_and_evidence,
    before,
    between,
    country_candidates,
)
from orchestration.extract.schema import DEPLOYMENT_CLAIM_SCHEMA, conform

GAP_LIMITS = {"deployment": 70, "camp": 110, "unit": 30, "strength": 60}
ANCHOR_WEIGHT = {"deployment": 0.45, "camp": 0.35, "unit": 0.3, "strength": 0.3}
CONTRIBUTOR_WEIGHT = {
    "sentence": 0.3,
    "publisher": 0.2,
    "context": 0.15,
    "operation": 0.15,
    "partner": 0.1,
    "none": 0.0,
}
ANCHOR_RANK = {"deployment": 0, "camp": 1, "unit": 2, "strength": 3}
STRENGTH_PREPOSITIONS = "in|at|inside|within"
PLACE_COLUMNS = ("place_id", "place_name", "place_country_iso3", "is_area")
PLACED_COLUMNS = (*SENTENCE_KEYS, "a_start", "a_end", "anchor_type", "p_start", *PLACE_COLUMNS, "is_direct")
PLACED_KEYS = [*SENTENCE_KEYS, "p_start"]


def _anchors(context: ForceContext) -> pl.LazyFrame:
    """Anchor terms and strength figures: article_id, sentence_no, a_start, a_end, a_surface,
    anchor_type, prepositions."""
    terms = context.terms.filter(pl.col("term_type").is_in(["deployment", "unit", "camp"])).select(
        *SENTENCE_KEYS,
        pl.col("start").alias("a_start"),
        pl.col("end").alias("a_end"),
        pl.col("surface").alias("a_surface"),
        pl.col("term_type").alias("anchor_type"),
        "prepositions",
    )
    strength = context.figures.filter(~pl.col("is_ceiling")).select(
        *SENTENCE_KEYS,
        pl.col("start").alias("a_start"),
        pl.col("end").alias("a_end"),
        pl.lit("").alias("a_surface"),
        pl.lit("strength").alias("anchor_type"),
        pl.lit(STRENGTH_PREPOSITIONS).alias("prepositions"),
    )
    return pl.concat([terms, strength])


def _governed_places(context: ForceContext, anchors: pl.LazyFrame) -> pl.LazyFrame:
    """(anchor, place) pairs where the anchor governs the first place after it that its prepositions
    introduce (module docstring)."""
    breaks = context.vocabulary.alternation("clause_break")
    camps = context.vocabulary.alternation("camp")
    partitive = context.vocabulary.alternation("partitive")
    places = context.places.rename({"start": "p_start", "end": "p_end"})
    limit = pl.col("anchor_type").replace_strict(GAP_LIMITS, return_dtype=pl.Int32)
    introduced = (pl.col("a_surface").str.to_lowercase() + pl.col("gap")).str.contains(
        context.vocabulary.gap_end(pl.col("prepositions"))
    )
    # "took over the Tessalit camp", "based at the Gao super camp": a town naming the camp after it
    names_camp = pl.col("gap").str.contains(r"\bthe\s+$") & after(20, "p_end").str.contains(
        rf"^\s+(?:[a-z-]+\s+)?(?:{camps})\b"
    )
    return (
        anchors.filter(pl.col("prepositions") != "")
        .join(places.select(*SENTENCE_KEYS, "p_start", "p_end", *PLACE_COLUMNS), on=SENTENCE_KEYS)
        .filter(pl.col("p_start") >= pl.col("a_end"))
        .join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .with_columns(between("a_end", "p_start").alias("gap"))
        .filter(
            pl.col("gap").str.len_chars() <= limit,
            ~pl.col("gap").str.contains(rf"[;:]|\b(?:{breaks})\b"),
            # a comma ends the clause of a deployment term or unit ("…, lost two soldiers in Aguelhok")
            # unless a part of the force follows it ("…, most of them in Douentza")
            (pl.col("anchor_type") == "strength")
            | ~pl.col("gap").str.contains(",")
            | pl.col("gap").str.contains(rf",\s+(?:{partitive})\b[^,]*$"),
            introduced | names_camp,
        )
        .filter(pl.col("p_start") == pl.col("p_start").min().over([*SENTENCE_KEYS, "a_start", "anchor_type"]))
        .with_columns(
            pl.col("gap").str.strip_chars().str.contains(r"^(?:in|at|to|from|inside|of)?$").alias("is_direct")
        )
        .select(*PLACED_COLUMNS)
    )


def _topic_places(context: ForceContext, anchors: pl.LazyFrame) -> pl.LazyFrame:
    """Places a sentence opens with ("In Gao, …", "Timbuktu also has …") when an anchor follows."""
    first_anchor = (
        anchors.filter(pl.col("anchor_type") != "camp")
        .sort(*SENTENCE_KEYS, "a_start")
        .group_by(SENTENCE_KEYS)
        .agg(pl.all().first())
    )
    topics = (
        context.places.join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .filter(
            (before(6).str.contains(r"^in\s+$") & after(2).str.contains(r"^,"))
            | ((pl.col("start") == 0) & after(20).str.contains(r"^\s+(?:also\s+)?(?:has|hosts|houses)\b"))
        )
        .select(*SENTENCE_KEYS, pl.col("start").alias("p_start"), *PLACE_COLUMNS)
    )
    return (
        topics.join(first_anchor, on=SENTENCE_KEYS)
        .filter(pl.col("a_start") > pl.col("p_start"))
        .with_columns(pl.lit(False).alias("is_direct"))
        .select(*PLACED_COLUMNS)
    )


def _with_lists(context: ForceContext, placed: pl.LazyFrame) -> pl.LazyFrame:
    """`placed` plus the places continuing a placed place's list, with that place's anchor."""
    ordered = (
        context.places.join(context.sentences.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .sort(*SENTENCE_KEYS, "start")
        .with_columns(pl.col("end").shift(1).over(SENTENCE_KEYS).alias("_previous_end"))
        .with_columns(
            (
                pl.col("_previous_end").is_not_null()
                & between("_previous_end", "start").str.contains(context.vocabulary.list_gap())
            ).alias("_continues")
        )
        .with_columns((~pl.col("_continues")).cast(pl.Int32).cum_sum().over(SENTENCE_KEYS).alias("_list_no"))
        .select(*SENTENCE_KEYS, pl.col("start").alias("p_start"), *PLACE_COLUMNS, "_list_no")
    )
    members = (
        placed.join(ordered.select(*PLACED_KEYS, "_list_no"), on=PLACED_KEYS)
        .rename({"p_start": "_head_start"})
        .drop(*PLACE_COLUMNS)
        .join(ordered, on=[*SENTENCE_KEYS, "_list_no"])
        .filter(pl.col("p_start") > pl.col("_head_start"))
        .with_columns(pl.lit(False).alias("is_direct"))
        .select(*PLACED_COLUMNS)
    )
    return pl.concat([placed.select(*PLACED_COLUMNS), members])


def _camp_references(context: ForceContext, anchors: pl.LazyFrame, governed: pl.LazyFrame) -> pl.LazyFrame:
    """Definite camps without a town of their own take the last camp the article placed at a town."""
    breaks = context.vocabulary.alternation("clause_break")
    camp_places = (
        governed.filter(pl.col("anchor_type") == "camp")
        .select("article_id", pl.col("sentence_no").alias("_camp_sentence"), *PLACE_COLUMNS)
        .unique(["article_id", "_camp_sentence"], keep="last")
        .sort("article_id", "_camp_sentence")
    )
    texts = context.sentences.select(*SENTENCE_KEYS, "text")
    unplaced = texts.join(governed.select(*SENTENCE_KEYS).unique(), on=SENTENCE_KEYS, how="anti")
    definite = (
        anchors.filter(pl.col("anchor_type") == "camp")
        .join(unplaced, on=SENTENCE_KEYS)
        .filter(before(5, "a_start").str.contains(r"\bthe\s+$"))
        .select(
            *SENTENCE_KEYS,
            pl.col("a_start").alias("_camp_start"),
            pl.col("a_end").alias("_camp_end"),
            pl.lit(False).alias("_pronoun"),
        )
    )
    # "It housed troops from …": a sentence opening with a pronoun (term_type camp_pronoun) after a
    # sentence that placed a camp
    pronoun = rf"^(?:{context.vocabulary.alternation('camp_pronoun')})\b"
    pronouns = unplaced.with_columns(
        ascii_fold(pl.col("text")).str.to_lowercase().str.extract(f"({pronoun})", 1).str.len_chars().alias("_camp_end")
    ).select(
        *SENTENCE_KEYS,
        pl.lit(0).alias("_camp_start"),
        pl.col("_camp_end").cast(pl.Int32),
        pl.lit(True).alias("_pronoun"),
    ).filter(pl.col("_camp_end").is_not_null())
    definite = pl.concat([definite, pronouns], how="vertical_relaxed")
    # the anchor holding the force: a deployment term or a unit next to the camp, in its clause
    holders = (
        anchors.filter(pl.col("anchor_type").is_in(["deployment", "unit"]))
        .join(definite, on=SENTENCE_KEYS)
        .join(texts, on=SENTENCE_KEYS)
        .with_columns(
            pl.min_horizontal("a_end", "_camp_end").alias("_left"),
            pl.max_horizontal("a_start", "_camp_start").alias("_right"),
        )
        .filter(
            pl.col("_right") - pl.col("_left") <= 60,
            ~between("_left", "_right").str.contains(rf"[;:]|\b(?:{breaks})\b"),
        )
    )
    return (
        holders.sort("article_id", "sentence_no")
        .join_asof(
            camp_places,
            left_on="sentence_no",
            right_on="_camp_sentence",
            by="article_id",
            strategy="backward",
            allow_exact_matches=False,
        )
        .filter(
            pl.col("place_id").is_not_null(),
            ~pl.col("_pronoun") | (pl.col("_camp_sentence") == pl.col("sentence_no") - 1),
        )
        .with_columns(pl.col("_camp_start").alias("p_start"), pl.lit(False).alias("is_direct"))
        .select(*PLACED_COLUMNS)
    )


def _contributors(context: ForceContext, placed: pl.LazyFrame) -> pl.LazyFrame:
    """Rows of `placed` (one per place) with contributor_iso3, contributor_source and is_attached
    (module docstring: contributor steps)."""
    texts = context.sentences.select(*SENTENCE_KEYS, "text", "paragraph_no")
    candidates = country_candidates(context)
    force_nouns = context.terms.filter(pl.col("term_type").is_in(["unit", "personnel"])).select(
        *SENTENCE_KEYS, pl.col("end").alias("_noun_end")
    )
    from_linked = (
        candidates.join(force_nouns, on=SENTENCE_KEYS)
        .filter(pl.col("c_start") > pl.col("_noun_end"), pl.col("c_start") - pl.col("_noun_end") <= 40)
        .join(texts, on=SENTENCE_KEYS)
        .filter(between("_noun_end", "c_start").str.contains(FROM_GAP))
        .select(*SENTENCE_KEYS, "c_start")
        .unique()
        .with_columns(pl.lit(True).alias("_from_linked"))
    )
    keys = PLACED_KEYS
    pairs = (
        placed.select(*keys, "a_start", "a_end", "place_country_iso3")
        .join(candidates.join(from_linked, on=[*SENTENCE_KEYS, "c_start"], how="left"), on=SENTENCE_KEYS)
        .filter((pl.col("country_iso3") != pl.col("place_country_iso3")).fill_null(True))
        .join(texts, on=SENTENCE_KEYS)
        .with_columns(
            (
                (pl.col("c_end") <= pl.col("a_start"))
                & between("c_end", "a_start").str.contains(ATTACHED_GAP)
            ).alias("is_attached")
        )
        .with_columns(
            pl.when(pl.col("is_attached") | pl.col("_from_linked").fill_null(False))
            .then(0)
            .when(pl.col("c_end") <= pl.col("a_start"))
            .then(1)
            .otherwise(2)
            .alias("_rank"),
            pl.when(pl.col("c_end") <= pl.col("a_start"))
            .then(pl.col("a_start") - pl.col("c_end"))
            .otherwise(pl.col("c_start") - pl.col("a_end"))
            .alias("_distance"),
        )
    )
    main = pairs.filter(~pl.col("is_partner"))
    chosen_list = (
        main.sort(*keys, "_rank", "_distance").group_by(keys).agg(pl.col("list_no").first().alias("_list"))
    )
    in_sentence = (
        main.join(chosen_list, on=keys)
        .filter(pl.col("list_no") == pl.col("_list"))
        .group_by(*keys, pl.col("country_iso3").alias("contributor_iso3"))
        .agg(pl.col("is_attached").any())
        .with_columns(pl.lit("sentence").alias("contributor_source"))
    )
    partners = (
        pairs.filter(pl.col("is_partner"))
        .group_by(*keys, pl.col("country_iso3").alias("contributor_iso3"))
        .agg(pl.col("is_attached").any())
        .with_columns(pl.lit("partner").alias("contributor_source"))
    )
    # a force the sentence names in its own country ("Nigerien troops are based in Niamey") is at home:
    # no contributor from the context stands in for it
    # (a home force in a later clause is another force: "based in Ménaka, where it advises Malian units")
    breaks = context.vocabulary.alternation("clause_break")
    at_home = (
        placed.select(*keys, "a_end", "place_country_iso3")
        .join(candidates.filter(~pl.col("is_partner")), on=SENTENCE_KEYS)
        .filter(pl.col("country_iso3") == pl.col("place_country_iso3"))
        .join(texts.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .filter(
            (pl.col("c_start") < pl.col("a_end"))
            | ~between("a_end", "c_start").str.contains(rf"[;:]|\b(?:{breaks})\b")
        )
        .select(keys)
        .unique()
    )
    unnamed = (
        placed.select(*keys, "place_country_iso3")
        .join(in_sentence.select(keys).unique(), on=keys, how="anti")
        .join(at_home, on=keys, how="anti")
        .join(texts.select(*SENTENCE_KEYS, "paragraph_no"), on=SENTENCE_KEYS)
    )
    previous = (
        unnamed.with_columns((pl.col("sentence_no") - 1).alias("_previous_no"))
        .join(
            candidates.filter(~pl.col("is_partner")).join(
                texts.select(*SENTENCE_KEYS, "paragraph_no"), on=SENTENCE_KEYS
            ),
            left_on=["article_id", "_previous_no", "paragraph_no"],
            right_on=["article_id", "sentence_no", "paragraph_no"],
        )
        .filter((pl.col("country_iso3") != pl.col("place_country_iso3")).fill_null(True))
        .sort(*keys, "c_start")
        .group_by(keys)
        .agg(pl.col("country_iso3").last().alias("_previous_iso3"))
    )
    operations = (
        context.forces.filter(
            pl.col("role") == "mission",
            pl.col("actor_type") == "international_force",
            pl.col("country_iso3").is_not_null(),
        )
        .sort(*SENTENCE_KEYS, "start")
        .group_by(SENTENCE_KEYS)
        .agg(pl.col("country_iso3").first().alias("_operation_iso3"))
    )
    fallback = (
        unnamed.join(previous, on=keys, how="left")
        .join(operations, on=SENTENCE_KEYS, how="left")
        .join(context.publishers, on="article_id", how="left")
        .with_columns(
            pl.when(pl.col("_operation_iso3") != pl.col("place_country_iso3")).then(
                pl.col("_operation_iso3")
            ),
            pl.when(pl.col("publisher_iso3") != pl.col("place_country_iso3")).then(pl.col("publisher_iso3")),
        )
        .select(
            *keys,
            pl.coalesce("_previous_iso3", "_operation_iso3", "publisher_iso3").alias("contributor_iso3"),
            pl.lit(False).alias("is_attached"),
            pl.when(pl.col("_previous_iso3").is_not_null())
            .then(pl.lit("context"))
            .when(pl.col("_operation_iso3").is_not_null())
            .then(pl.lit("operation"))
            .when(pl.col("publisher_iso3").is_not_null())
            .then(pl.lit("publisher"))
            .otherwise(pl.lit("none"))
            .alias("contributor_source"),
        )
    )
    return placed.join(pl.concat([in_sentence, partners, fallback]), on=keys)


def _nearest(candidates: pl.LazyFrame, claims: pl.LazyFrame, value: str, name: str) -> pl.LazyFrame:
    """Per claim (claim_key), the `value` of the candidate row (same sentence, at `_at`) nearest to the anchor."""
    return (
        claims.select("claim_key", *SENTENCE_KEYS, "a_start")
        .join(candidates, on=SENTENCE_KEYS)
        .with_columns((pl.col("_at") - pl.col("a_start")).abs().alias("_distance"))
        .sort("claim_key", "_distance", "_at")
        .group_by("claim_key")
        .agg(
            pl.col(value).first().alias(name),
            pl.col("_distance").first().alias(f"_{name}_distance"),
            pl.col("_at").first().alias(f"_{name}_at"),
        )
    )


def _counts(context: ForceContext, claims: pl.LazyFrame, unit_types: pl.LazyFrame) -> pl.LazyFrame:
    """Per claim (claim_key) of a contributor that is no partner: `count`, the strength figure nearest to
    the anchor within 100 characters
    that counts no other unit ("the company of 150 soldiers joins the battalion posted to Ménaka" does
    not count the battalion); else the figure of a unit the previous (else next) sentence of the
    paragraph opens with ("The company of about 150 soldiers …"), when no claim of its own sentence
    takes it."""
    figures = context.figures.filter(~pl.col("is_ceiling")).select(
        *SENTENCE_KEYS,
        pl.col("start").alias("_at"),
        "unit_start",
        pl.struct("value_low", "value_best", "value_high").alias("count"),
    )
    near = (
        claims.filter(pl.col("contributor_source") != "partner")
        .select("claim_key", *SENTENCE_KEYS, "a_start")
        .join(unit_types.select("claim_key", "_unit_type_at"), on="claim_key", how="left")
        .join(figures, on=SENTENCE_KEYS)
        .filter(pl.col("unit_start").is_null() | (pl.col("unit_start") == pl.col("_unit_type_at")))
        .with_columns((pl.col("_at") - pl.col("a_start")).abs().alias("_distance"))
        .filter(pl.col("_distance") <= 100)
        .sort("claim_key", "_distance", "_at")
        .group_by("claim_key")
        .agg(pl.col("count").first(), pl.col("_at").first())
        .collect()
        .lazy()
    )
    paragraphs = context.sentences.select(*SENTENCE_KEYS, "paragraph_no", "text")
    opening = rf"^(?:{context.vocabulary.alternation('definite_opening')})\s+(?:[a-z-]+\s+)?$"
    carried = (
        figures.filter(pl.col("unit_start").is_not_null())
        .join(near.join(claims.select("claim_key", *SENTENCE_KEYS), on="claim_key"), on=[*SENTENCE_KEYS, "_at"], how="anti")
        .join(paragraphs, on=SENTENCE_KEYS)
        .filter(before(30, "unit_start").str.contains(opening))
        .select("article_id", "paragraph_no", pl.col("sentence_no").alias("_figure_sentence"), "count")
    )
    adjacent = (
        claims.filter(pl.col("contributor_source") != "partner")
        .select("claim_key", *SENTENCE_KEYS)
        .join(near.select("claim_key"), on="claim_key", how="anti")
        .join(paragraphs.drop("text"), on=SENTENCE_KEYS)
        .join(carried, on=["article_id", "paragraph_no"])
        .with_columns((pl.col("_figure_sentence") - pl.col("sentence_no")).alias("_offset"))
        .filter(pl.col("_offset").is_in([1, -1]))
        .sort("claim_key", "_offset")
        .group_by("claim_key")
        .agg(pl.col("count").first())
    )
    return pl.concat([near.select("claim_key", "count"), adjacent])


def _missions(context: ForceContext, claims: pl.LazyFrame) -> pl.LazyFrame:
    """Per claim (claim_key): mission_actor_id and mission_source (module docstring)."""
    accepts = (
        pl.when(pl.col("mission_actor_type") == "international_force")
        .then(
            pl.col("mission_country_iso3").is_null()
            | (pl.col("mission_country_iso3") == pl.col("contributor_iso3"))
        )
        .otherwise((pl.col("mission_country_iso3") != pl.col("contributor_iso3")).fill_null(True))
    )
    in_sentence = (
        claims.select("claim_key", *SENTENCE_KEYS, "a_start", "contributor_iso3")
        .join(context.mission_mentions, on=SENTENCE_KEYS)
        .filter(accepts)
        .with_columns((pl.col("start") - pl.col("a_start")).abs().alias("_distance"))
        .sort("claim_key", "_distance")
        .group_by("claim_key")
        .agg(pl.col("mission_actor_id").first())
        .with_columns(pl.lit("sentence").alias("mission_source"))
    )
    in_context = (
        claims.select("claim_key", *SENTENCE_KEYS, "contributor_iso3")
        .join(in_sentence.select("claim_key"), on="claim_key", how="anti")
        .join(context.missions, on=SENTENCE_KEYS)
        .filter(pl.col("mission_actor_id").is_not_null(), accepts)
        .select("claim_key", "mission_actor_id", "mission_source")
    )
    return pl.concat([in_sentence, in_context])


def find_deployment_claims(
    context: ForceContext, articles: pl.LazyFrame, unit_types: list[str]
) -> pl.LazyFrame:
    """Deployment claims (DEPLOYMENT_CLAIM_SCHEMA) of the articles in `context`; see the module docstring.

    `articles` gives published_date and published_precision; `unit_types` is the seed's vocabulary.
    """
    # stages read several times are collected once (a lazy plan would recompute them for every reader)
    anchors = _anchors(context).collect().lazy()
    governed = _governed_places(context, anchors).collect().lazy()
    placed = pl.concat(
        [
            _with_lists(context, pl.concat([governed, _topic_places(context, anchors)])).with_columns(
                pl.lit(False).alias("is_camp_reference")
            ),
            _camp_references(context, anchors, governed).with_columns(
                pl.lit(True).alias("is_camp_reference")
            ),
        ]
    )
    placed = (
        placed.join(context.past, on=SENTENCE_KEYS, how="anti")
        # one anchor per place: the strongest kind, then the first of a chain ("the Dutch camp inside
        # the super camp at Gao" is the Dutch camp's); direct when any of them introduces it directly
        .with_columns(
            pl.col("anchor_type").replace_strict(ANCHOR_RANK, return_dtype=pl.Int32).alias("_anchor_rank"),
            pl.col("is_direct").any().over(PLACED_KEYS),
        )
        .sort(*PLACED_KEYS, "_anchor_rank", "a_start")
        .group_by(PLACED_KEYS)
        .first()
        .drop("_anchor_rank")
        # an area ("the Kidal region") yields to the towns its sentence places
        .filter(~pl.col("is_area") | pl.col("is_area").all().over(SENTENCE_KEYS))
    )
    # a deployment places a force: the sentence names one (unit, personnel, camp, asset, strength figure)
    named_force = pl.concat(
        [
            context.terms.filter(pl.col("term_type").is_in(["unit", "personnel", "camp", "asset"])).select(
                *SENTENCE_KEYS
            ),
            context.figures.select(*SENTENCE_KEYS),
        ]
    ).unique()
    claims = _contributors(context, placed.join(named_force, on=SENTENCE_KEYS, how="semi").collect().lazy())
    other_anchor = (
        anchors.filter(pl.col("anchor_type").is_in(["deployment", "unit"]))
        .select(*SENTENCE_KEYS)
        .unique()
        .with_columns(pl.lit(True).alias("_other_anchor"))
    )
    named_missions = (
        context.forces.filter(pl.col("role") == "mission")
        .select(*SENTENCE_KEYS)
        .unique()
        .with_columns(pl.lit(True).alias("_names_mission"))
    )
    texts = context.sentences.select(*SENTENCE_KEYS, "text", "sentence_start", "sentence_end", "is_caption")
    # "staff officers at the Force HQ in Bamako": people right before the camp hold it
    people = pl.concat(
        [
            context.terms.filter(pl.col("term_type") == "personnel").select(*SENTENCE_KEYS, "end"),
            context.figures.select(*SENTENCE_KEYS, "end"),
        ]
    )
    held_camps = (
        anchors.filter(pl.col("anchor_type") == "camp")
        .join(people, on=SENTENCE_KEYS)
        .filter(pl.col("end") <= pl.col("a_start"), pl.col("a_start") - pl.col("end") <= 12)
        .join(texts.select(*SENTENCE_KEYS, "text"), on=SENTENCE_KEYS)
        .filter(between("end", "a_start").str.contains(rf"^\s+(?:{STRENGTH_PREPOSITIONS})\s+(?:the\s+)?$"))
        .select(*SENTENCE_KEYS, "a_start")
        .unique()
        .with_columns(pl.lit(True).alias("_held"))
    )
    troops = (
        pl.concat(
            [
                context.terms.filter(pl.col("term_type").is_in(["unit", "personnel"])).select(*SENTENCE_KEYS),
                context.figures.select(*SENTENCE_KEYS),
            ]
        )
        .unique()
        .with_columns(pl.lit(True).alias("_names_troops"))
    )
    claims = (
        claims.join(other_anchor, on=SENTENCE_KEYS, how="left")
        .join(named_missions, on=SENTENCE_KEYS, how="left")
        .join(held_camps, on=[*SENTENCE_KEYS, "a_start"], how="left")
        .join(troops, on=SENTENCE_KEYS, how="left")
        .join(texts, on=SENTENCE_KEYS)
        .filter(
            # a camp alone: a country attached to it, a named camp, people at it, or another anchor
            (pl.col("anchor_type") != "camp")
            | pl.col("_other_anchor").fill_null(False)
            | pl.col("_held").fill_null(False)
            | pl.col("text").str.slice(pl.col("a_start"), 30).str.contains(r"^Camp [A-Z]")
            | pl.col("is_attached"),
            (pl.col("contributor_source") != "none")
            | (
                (pl.col("anchor_type") == "deployment")
                & pl.col("_names_mission").fill_null(False)
                & pl.col("_names_troops").fill_null(False)
            ),
        )
        .with_columns(
            pl.format(
                "{}:{}:{}:{}",
                "article_id",
                "sentence_no",
                "p_start",
                pl.col("contributor_iso3").fill_null("-"),
            ).alias("claim_key")
        )
        .unique("claim_key", keep="first")
        .collect()
        .lazy()
    )
    units = (
        context.terms.filter(
            (pl.col("term_type") == "unit")
            | ((pl.col("term_type") == "camp") & (pl.col("value") == "headquarters"))
        )
        .filter(pl.col("value").is_in(unit_types))
        .select(*SENTENCE_KEYS, pl.col("start").alias("_at"), "value")
    )
    personnel = context.terms.filter(pl.col("term_type") == "personnel").select(
        *SENTENCE_KEYS, pl.col("start").alias("_at"), "value"
    )
    unit_types = _nearest(units, claims, "value", "unit_type")
    count = _counts(context, claims, unit_types)
    anchor_weight = pl.col("anchor_type").replace_strict(ANCHOR_WEIGHT, return_dtype=pl.Float64)
    contributor_weight = pl.col("contributor_source").replace_strict(
        CONTRIBUTOR_WEIGHT, return_dtype=pl.Float64
    )
    result = (
        claims.join(unit_types.drop("_unit_type_at"), on="claim_key", how="left")
        .join(_nearest(personnel, claims, "value", "personnel_type"), on="claim_key", how="left")
        .join(count, on="claim_key", how="left")
        .join(_missions(context, claims), on="claim_key", how="left")
        .join(
            context.dates.select(
                *SENTENCE_KEYS, "resolved_date", pl.col("date_precision").alias("_text_precision")
            ),
            on=SENTENCE_KEYS,
            how="left",
        )
        .join(
            articles.select("article_id", "published_date", "published_precision"),
            on="article_id",
            how="left",
        )
        .with_columns(
            pl.format("deployment:{}", "claim_key").alias("claim_id"),
            pl.col("count").struct.field("value_low").alias("personnel_low"),
            pl.col("count").struct.field("value_best").alias("personnel_best"),
            pl.col("count").struct.field("value_high").alias("personnel_high"),
            *as_of_and_evidence(),
            (pl.col("sentence_start") + pl.col("p_start")).alias("place_char_start"),
            pl.when(pl.col("is_camp_reference"))
            .then(pl.lit("camp_reference"))
            .otherwise(pl.col("anchor_type"))
            .alias("anchor"),
            (
                anchor_weight
                + contributor_weight
                + pl.when(pl.col("is_direct")).then(0.1).otherwise(0.0)
                + pl.when(pl.col("count").is_not_null()).then(0.05).otherwise(0.0)
                - pl.when(pl.col("is_caption")).then(0.1).otherwise(0.0)
            )
            .clip(0.05, 0.99)
            .round(2)
            .alias("confidence"),
        )
    )
    return conform(result, DEPLOYMENT_CLAIM_SCHEMA).sort("article_id", "sentence_no", "place_char_start")
