"""Casualty claims: who was killed, wounded or went missing, and how many (pure Polars).

Grain of `find_casualty_claims`: one row per casualty statement of a segment (see `context.py`):
- a person figure (seed unit_classes person / person_anaphor) attributed to the nearest killed/wounded
  cue of its segment (seed cue_terms), where each comma or semicolon in between adds 40 characters of
  distance and each coordinating conjunction 20 (seed casualty_phrases, role conjunction), up to 160:
  "two died and four others were hurt" gives the four to "hurt"; "led to the death of two
  peacekeepers and the injury of five others" gives two to death and five to injury;
- a died-of-wounds cue ("succumbed to his wounds", cue_value died_of_wounds) takes a figure before it
  within 100 characters of distance over a nearer wounded cue ("was seriously wounded and succumbed");
- a cue without a figure counts one victim when an indefinite article names it right after the cue
  ("killing a Chadian peacekeeper") or before a passive ("a soldier was killed"), when an implicit
  subject precedes it (role implicit_subject: "another was also injured", "one of them succumbed"), or
  when "he"/"she" dies of wounds ("He later succumbed to his injuries");
- no claim for a negated figure (role negation in the figure's own clause before it — "none of its
  900 soldiers were hurt" — or "not"/"never"/"n't" between figure and a later cue), for a doubted
  figure (role uncertain: "reports differ on whether two more died"), for a figure that
  is part of a count already given (role subset: "four wounded, among them a driver"), for munitions,
  equipment or attackers (never victims).

Columns: claim_id (article_id:char_start:status), article_id, sentence_no, segment_index, char_start,
char_end (the victim phrase in the body), status (killed / wounded), count_low / count_best /
count_high (the figure's bounds; best is the number stated: "more than 20" → 20, low 20, high open),
qualifier, victim_group (counted noun; "others" takes the previous person noun of the
sentence), victim_iso3 (a country named inside or within 20 characters after the victim phrase),
trigger (the cue as written), trigger_start, mention_id (the figure; null for an implicit victim),
method (figure / implicit), is_additive (adds to counts stated before: "also", "another", "two
more"), is_transfer (a victim of the wounded who died: every died-of-wounds cue, and "one of the
injured died", "two of the wounded soldiers died"),
is_aggregate (the sentence is an aggregate statement: such counts are figures, never an incident's),
revision (seed figure_terms: 'superseded' after a superseded-report word within the clause before
the figure, "had initially reported two dead", "a preliminary assessment indicated that 15";
'revised_total' right after a revised-total verb, "the toll has climbed to five", or after a revision
of a total, "raised the toll to ten"; else null).
"""

import polars as pl

from orchestration.extract.context import by_segment, phrases
from orchestration.extract.schema import CASUALTY_CLAIM_SCHEMA
from orchestration.extract.spans import PARTITIVE, alternation, previous_within, run_number

MAX_DISTANCE = 160
DIED_OF_WOUNDS_DISTANCE = 100
NATIONALITY_WINDOW = 20

# The claims as found, before the article's incident segmentation: CASUALTY_CLAIM_SCHEMA with the
# segment of the sentence (`context.segment_context`) where the stored table has incident_no.
CLAIM_SCHEMA: dict[str, pl.DataType] = {
    ("segment_index" if name == "incident_no" else name): dtype for name, dtype in CASUALTY_CLAIM_SCHEMA.items()
}


def _words(vocabulary: dict[str, pl.DataFrame], role: str) -> str:
    return alternation(phrases(vocabulary, "casualty_phrases", role))


def _figure_words(vocabulary: dict[str, pl.DataFrame], role: str) -> str:
    """Alternation of the seed figure_terms of one role (superseded, revised_total)."""
    terms = vocabulary["figure_terms"]
    return alternation(terms.filter(pl.col("role") == role)["term"].to_list())


def _wounded_words(vocabulary: dict[str, pl.DataFrame]) -> str:
    terms = vocabulary["cue_terms"]
    return alternation(terms.filter(pl.col("cue_type") == "wounded")["term"].str.to_lowercase().to_list())


def _revision(vocabulary: dict[str, pl.DataFrame], before: pl.Expr) -> pl.Expr:
    """'revised_total' / 'superseded' / null from the lowercased sentence text right before a figure."""
    revised = (
        rf"\b(?:{_figure_words(vocabulary, 'revised_total')})\s+$"
        rf"|\b(?:{_figure_words(vocabulary, 'revision_verb')})\b[^,;:.()]{{0,25}}"
        rf"\b(?:{_figure_words(vocabulary, 'victim_total')})\b[^,;:.()]{{0,20}}\bto\s+$"
    )
    superseded = rf"\b(?:{_figure_words(vocabulary, 'superseded')})\b[^,;:.()]{{0,80}}$"
    return (
        pl.when(before.str.contains(revised))
        .then(pl.lit("revised_total"))
        .when(before.str.contains(superseded))
        .then(pl.lit("superseded"))
    )


def _relative(column: str) -> pl.Expr:
    """A body offset as an offset into the sentence text."""
    return pl.col(column) - pl.col("sentence_start")


def _sentence_slice(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Sentence text between two body offsets (clipped to the sentence)."""
    begin = pl.max_horizontal(start - pl.col("sentence_start"), pl.lit(0))
    return pl.col("sentence_text").str.slice(
        begin, pl.max_horizontal(end - pl.col("sentence_start") - begin, pl.lit(0))
    )


def _person_figures(
    segments: pl.LazyFrame, mentions: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]
) -> pl.LazyFrame:
    """Figures that count people, with the victim group resolved for "others" and subsets dropped."""
    classes = vocabulary["unit_classes"].select("unit", "unit_class").lazy()
    subset = rf"(?i)\b(?:{_words(vocabulary, 'subset')})\b[\s,:]*$"
    figures = (
        mentions.filter(pl.col("mention_type") == "figure")
        .join(classes, on="unit")
        .filter(pl.col("unit_class").is_in(["person", "person_anaphor"]))
        .sort("article_id", "char_start")
        .with_columns(_sentence_run=run_number("article_id", "sentence_no"))
        .with_columns(
            victim_group=pl.when(pl.col("unit_class") == "person_anaphor")
            .then(
                pl.coalesce(
                    previous_within(
                        pl.when(pl.col("unit_class") == "person").then(pl.col("unit")), "_sentence_run"
                    ),
                    pl.col("unit"),
                )
            )
            .otherwise(pl.col("unit"))
        )
    )
    return (
        by_segment(figures, segments)
        .join(
            segments.select("article_id", "segment_index", "sentence_start", "sentence_text", "is_aggregate"),
            on=["article_id", "segment_index"],
        )
        .filter(~_sentence_slice(pl.col("char_start") - 40, pl.col("char_start")).str.contains(subset))
        .select(
            "mention_id",
            "article_id",
            "sentence_no",
            "segment_index",
            "char_start",
            "char_end",
            "value_low",
            "value_best",
            "value_high",
            "qualifier",
            "victim_group",
            "sentence_start",
            "sentence_text",
            "is_aggregate",
        )
    )


def _attributed_figures(
    figures: pl.LazyFrame, casualty_cues: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]
) -> pl.LazyFrame:
    """Each person figure with its nearest casualty cue of the segment (module docstring)."""
    conjunctions = _words(vocabulary, "conjunction")
    negations = _words(vocabulary, "negation")
    doubts = _words(vocabulary, "uncertain")
    exceptions = _words(vocabulary, "negation_exception")
    clause_words = alternation(
        phrases(vocabulary, "casualty_phrases", "conjunction")
        + phrases(vocabulary, "casualty_phrases", "clause_word")
    )
    additive = _words(vocabulary, "additive")
    cue_after = pl.col("cue_start") >= pl.col("char_end")
    gap_start = pl.when(cue_after).then(pl.col("char_end")).otherwise(pl.col("cue_end"))
    gap = (
        pl.when(cue_after)
        .then(pl.col("cue_start") - pl.col("char_end"))
        .otherwise(pl.col("char_start") - pl.col("cue_end"))
    )
    pairs = (
        figures.join(casualty_cues, on=["article_id", "segment_index"])
        .with_columns(gap=gap, _gap_start=gap_start)
        .filter(pl.col("gap") >= 0)
        .with_columns(gap_text=_sentence_slice(pl.col("_gap_start"), pl.col("_gap_start") + pl.col("gap")))
        .with_columns(
            effective_gap=pl.col("gap")
            + 40 * pl.col("gap_text").str.count_matches(r"[,;]")
            + 20 * pl.col("gap_text").str.count_matches(rf"(?i)\b(?:{conjunctions})\b"),
            # the figure's own clause before it: the text since the last clause break (60 characters at most)
            _clause_before=_sentence_slice(pl.col("char_start") - 60, pl.col("char_start"))
            .str.to_lowercase()
            .str.replace(rf"^.*(?:[,;:()]|\b(?:{clause_words})\b)", ""),
        )
        .with_columns(
            is_negated=(
                pl.col("_clause_before").str.contains(rf"\b(?:{negations})\b")
                & ~pl.col("_clause_before").str.contains(rf"\b(?:{exceptions})\b")
            )
            | (cue_after & pl.col("gap_text").str.to_lowercase().str.contains(r"\b(?:not|never)\b|n['’]t\b"))
            | pl.col("_clause_before").str.contains(rf"\b(?:{doubts})\b"),
            _priority=pl.when(
                (pl.col("cue_value") == "died_of_wounds")
                & cue_after
                & (pl.col("effective_gap") <= DIED_OF_WOUNDS_DISTANCE)
            )
            .then(0)
            .otherwise(1),
        )
        .filter(
            pl.col("effective_gap") <= MAX_DISTANCE,
            ~pl.col("is_negated"),
            # "two of the wounded died": the wounded are who the figure counts among, not its status
            ~(cue_after & pl.col("gap_text").str.contains(rf"(?i)^{PARTITIVE}$")),
        )
        .sort("mention_id", "_priority", "effective_gap", "cue_start")
        .unique("mention_id", keep="first")
    )
    statement = _sentence_slice(
        pl.min_horizontal("char_start", "cue_start"),
        pl.max_horizontal(pl.col("char_end"), pl.col("cue_start") + 12),
    ).str.to_lowercase()
    partitive = rf"^{PARTITIVE}(?:{_wounded_words(vocabulary)})\b"
    after = _sentence_slice(pl.col("char_end"), pl.col("char_end") + 40).str.to_lowercase()
    return pairs.with_columns(
        is_additive=statement.str.replace_all(r"\bmore than\b", "").str.contains(rf"\b(?:{additive})\b"),
        is_transfer=(pl.col("cue_value") == "died_of_wounds")
        | ((pl.col("status") == "killed") & after.str.contains(partitive)),
        method=pl.lit("figure"),
        revision=_revision(
            vocabulary, _sentence_slice(pl.col("char_start") - 100, pl.col("char_start")).str.to_lowercase()
        ),
    )


def _things(vocabulary: dict[str, pl.DataFrame]) -> str:
    """Alternation of the counted nouns (seed figure_terms) whose unit is no person: vehicles, weapons,
    camps, units ("a vehicle has been lost" names no victim)."""
    classes = vocabulary["unit_classes"]
    people = classes.filter(pl.col("unit_class").is_in(["person", "person_anaphor", "perpetrator"]))["unit"]
    terms = vocabulary["figure_terms"].filter(
        pl.col("role").is_in(["counted", "singular_counted"]),
        pl.col("unit").is_in(classes["unit"].implode()),
        ~pl.col("unit").is_in(people.implode()),
    )
    return alternation(terms["term"].to_list())


def _implicit_victims(cues_left: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]) -> pl.LazyFrame:
    """Cues without a figure whose victim is one person named without a number (module docstring)."""
    not_victim = _words(vocabulary, "not_a_victim")
    things = _things(vocabulary)
    auxiliary = _words(vocabulary, "passive_auxiliary").replace(r"\ ", r"\s+")
    subjects = phrases(vocabulary, "casualty_phrases", "implicit_subject")
    subject = alternation(subjects).replace(r"\ ", r"\s+")
    after = _sentence_slice(pl.col("cue_end"), pl.col("cue_end") + 60)
    before = _sentence_slice(pl.col("cue_start") - 60, pl.col("cue_start"))
    nominal = before.str.contains(
        r"(?i)\b(?:the|their|his|her|its|our)\s+$"
    )  # "wishes the injured a full recovery"
    active = (
        pl.when(nominal | after.str.contains(rf"(?i)^\s+(?:a|an)\s+(?:{not_victim})\b"))
        .then(None)
        .otherwise(after.str.extract(r"(?i)^(\s+(?:a|an)\s+[^\s,;.]+(?:\s+[^\s,;.]+)?)", 1))
    )
    passive = before.str.extract(rf"(?i)(?:^|\s)((?:a|an)\s+(?:[^\s,;.]+\s+){{1,3}}(?:{auxiliary})\s+)$", 1)
    # a thing named as the victim ("a vehicle has been lost", "destroying an armoured truck") is none
    named_thing = rf"(?i)\b(?:{things})\b"
    active = pl.when(active.str.contains(named_thing)).then(None).otherwise(active)
    passive = pl.when(passive.str.contains(named_thing)).then(None).otherwise(passive)
    adverbs = r"(?:(?:\w+ly|also|later|then)\s+)*"
    implicit = before.str.extract(
        rf"(?i)(?:^|[\s,;(])((?:{subject})\s+(?:[^\s,;.]+\s+){{0,2}}?(?:(?:{auxiliary}|were|has|had)\s+)?{adverbs})$",
        1,
    )
    # "He later succumbed to his injuries": the victim told before, who died of the wounds counted.
    pronoun = before.str.extract(rf"(?i)(?:^|[\s,;(])((?:he|she)\s+(?:(?:has|had)\s+)?{adverbs})$", 1)
    implicit = pl.coalesce(
        implicit, pl.when(pl.col("cue_value") == "died_of_wounds").then(pronoun)
    )
    group_subject = "|".join(s.replace(" ", r"\s+") for s in subjects if s.startswith("one of"))
    wounded_subject = rf"(?i)^one{PARTITIVE}(?:{_wounded_words(vocabulary)})\b"
    dies_of_wounds = (pl.col("cue_value") == "died_of_wounds") | pl.col("_implicit").str.contains(
        wounded_subject
    )
    return (
        cues_left.with_columns(_active=active, _passive=passive, _implicit=implicit)
        .filter(
            pl.any_horizontal(
                pl.col("_active").is_not_null(),
                pl.col("_passive").is_not_null(),
                pl.col("_implicit").is_not_null(),
            )
        )
        .with_columns(
            char_start=pl.when(pl.col("_active").is_not_null())
            .then(
                pl.col("cue_end")
                + pl.col("_active").str.len_chars()
                - pl.col("_active").str.strip_chars_start().str.len_chars()
            )
            .when(pl.col("_passive").is_not_null())
            .then(pl.col("cue_start") - pl.col("_passive").str.len_chars())
            .otherwise(pl.col("cue_start") - pl.col("_implicit").str.len_chars()),
            char_end=pl.when(pl.col("_active").is_not_null())
            .then(pl.col("cue_end") + pl.col("_active").str.len_chars())
            .otherwise(pl.col("cue_start")),
            is_additive=pl.col("_active").is_null()
            & pl.col("_passive").is_null()
            & ~pl.col("_implicit").str.contains(rf"(?i)^(?:{group_subject}|he|she)\b"),
            is_transfer=pl.col("_active").is_null() & pl.col("_passive").is_null() & dies_of_wounds,
            mention_id=pl.lit(None, pl.String),
            value_low=pl.lit(1.0),
            value_best=pl.lit(1.0),
            value_high=pl.lit(1.0),
            qualifier=pl.lit("exact"),
            victim_group=pl.lit(None, pl.String),
            method=pl.lit("implicit"),
            revision=pl.lit(None, pl.String),
        )
        .with_columns(
            char_start=pl.col("char_start").cast(pl.Int32), char_end=pl.col("char_end").cast(pl.Int32)
        )
    )


def find_casualty_claims(
    segments: pl.LazyFrame, mentions: pl.LazyFrame, cues: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]
) -> pl.LazyFrame:
    """Casualty claims (CLAIM_SCHEMA) of the segments (`context.segment_context`); module docstring."""
    casualty_cues = by_segment(
        cues.filter(pl.col("cue_type").is_in(["killed", "wounded"])).select(
            "article_id",
            "char_start",
            pl.col("char_start").alias("cue_start"),
            pl.col("char_end").alias("cue_end"),
            pl.col("cue_type").alias("status"),
            "cue_value",
            pl.col("surface").alias("trigger"),
        ),
        segments,
    ).drop("char_start")
    figures = _person_figures(segments, mentions, vocabulary)
    attributed = _attributed_figures(figures, casualty_cues, vocabulary)
    cues_left = casualty_cues.join(
        attributed.select("article_id", "cue_start"), on=["article_id", "cue_start"], how="anti"
    ).join(
        segments.select(
            "article_id", "segment_index", "sentence_no", "sentence_start", "sentence_text", "is_aggregate"
        ),
        on=["article_id", "segment_index"],
    )
    implicit = _implicit_victims(cues_left, vocabulary)
    columns = [
        "mention_id",
        "article_id",
        "sentence_no",
        "segment_index",
        "char_start",
        "char_end",
        "status",
        "value_low",
        "value_best",
        "value_high",
        "qualifier",
        "victim_group",
        "trigger",
        "cue_start",
        "method",
        "is_additive",
        "is_transfer",
        "is_aggregate",
        "revision",
    ]
    claims = pl.concat([attributed.select(columns), implicit.select(columns)])
    countries = mentions.filter(
        pl.col("mention_type") == "actor",
        pl.col("actor_type") == "country",
        pl.col("country_iso3").is_not_null(),
    ).select(
        "article_id",
        "sentence_no",
        pl.col("char_start").alias("_country_start"),
        pl.col("country_iso3").alias("victim_iso3"),
    )
    nationality = (
        claims.select("article_id", "sentence_no", "char_start", "char_end", "status")
        .join(countries, on=["article_id", "sentence_no"])
        .filter(
            pl.col("_country_start").is_between(pl.col("char_start"), pl.col("char_end") + NATIONALITY_WINDOW)
        )
        .group_by("article_id", "char_start", "status")
        .agg(pl.col("victim_iso3").min())
    )
    return (
        claims.join(nationality, on=["article_id", "char_start", "status"], how="left")
        .with_columns(
            claim_id=pl.format("{}:{}:{}", "article_id", "char_start", "status"),
            # "more than 20" counts the 20 it states (its open bound stays in count_low / count_high)
            count_best=pl.when(pl.col("qualifier") == "more_than")
            .then(pl.col("value_low") - 1)
            .when(pl.col("qualifier") == "less_than")
            .then(pl.col("value_high") + 1)
            .otherwise(pl.col("value_best")),
            count_high=pl.col("value_high"),
        )
        .with_columns(
            count_low=pl.min_horizontal("value_low", "count_best"),
            trigger_start=pl.col("cue_start"),
        )
        .unique("claim_id", keep="first")
        .select([pl.col(name).cast(dtype) for name, dtype in CLAIM_SCHEMA.items()])
        .sort("article_id", "char_start")
    )
