"""Forces in context: what the deployment and contribution claims share (pure Polars, no I/O).

One article's sentences, mentions and the force vocabulary (seed `force_terms.csv`) become:

- `terms`: keyword hits of force_terms (deployment verbs, camps, units, personnel nouns, contribution
  triggers, assets and context markers), whole words, case- and accent-insensitive, leftmost-longest;
- `forces`: actor mentions that can name a force, with the flags that keep a country from being a
  contributor (rules below);
- `places`: place mentions below country level that can locate a force (not in a dateline, not a
  bearing's reference point such as "40 km north of Gao");
- `figures`: person figures that can count a force (not a casualty count, not an aggregate);
- `missions`: per sentence, the mission it speaks about;
- `publishers`: per article, the country of a publisher that speaks for its own forces.

Country flags (a flagged country names no contributor; a flag of the first country of a list ", " /
" and " applies to the whole list):
- location or object use: a location preposition (seed term_type location_preposition: in, at, of, to,
  by, with, against …) right before it ("companies in Chad", "the Government of Chad", "led by
  France"), unless it is a possessive ("Senegal's battalion") or owns the force noun after it ("most of
  the German contingent", "in the Chinese camp"); a country in apposition to a place ("Niamey, Niger");
- partner: right after a partner marker ("alongside German forces", term_type partner) or glued to a
  partner suffix ("the German-led company", term_type partner_suffix): it names the force the
  contributor serves with;
- office: an office held (term_type council_role: presidency, permanent representative …) within 60
  characters after it in its clause ("Equatorial Guinea, which holds the Council presidency");
- donor: its sentence names money (term_type donor: trust fund, humanitarian, million …) and no
  personnel, unit or asset ("Germany announced a contribution of $20 million to the humanitarian plan").
A capital (place_type capital, or seed capital_places) named as the subject of a verb (seed term_type
state_verb) or with a possessive stands for its country ("Niamey has increased its contingent",
"Niamey's troops"). A place name right after "Camp" names a camp, not a place ("Camp Amman in Timbuktu").

Missions: a mission mention (un_mission or international_force) or a noun standing for the article's
UN mission (term_type mission_noun: "UN peacekeepers", "blue helmets"). Per sentence: the first mission
of the sentence, else the last one earlier in the paragraph, else the mission the article names most
(`mission_source` sentence / paragraph / article).

Publisher country (seed `publishers.csv`): a page published by a government, ministry, armed force or
parliament (a source_word in `source`, a domain_label in the url's host, or a known institution
`name` in either) speaks for its country's forces: the country is named in `source` (a country name or
demonym: "Ministry of Defence of Sweden", "Belgian Defence"), else is implied by the institution's name
("Bundestag"), else by the url's country-code domain ("….gov.bd", "uk" via a tld row).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from orchestration.extract.dictionary import Dictionary, find_cues, find_entity_mentions
from orchestration.extract.folding import ascii_fold
from orchestration.extract.spans import alternation, dateline_length
from orchestration.settings import SEEDS_DIR

# term types used only to build context patterns (never matched as keywords: "in", "of" are everywhere)
PATTERN_TERM_TYPES = (
    "location_preposition",
    "partner_suffix",
    "clause_break",
    "state_verb",
    "negation",
    "composition",
    "area_noun",
    "place_noun",
    "place_descriptor",
    "partitive",
    "camp_pronoun",
    "definite_opening",
)
MISSION_ACTOR_TYPES = ("un_mission", "international_force")
FORCE_NOUN_TYPES = ("personnel", "unit", "asset", "camp")
BEARING = r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of\s+(?:the\s+)?$"
LIST_JOINS = r"(?:,\s*|,?\s+and\s+|\s+or\s+|\s+as well as\s+)(?:(?:in|at)\s+(?:the\s+)?)?"
SENTENCE_KEYS = ["article_id", "sentence_no"]
# text between a country and the force noun it owns: "Burkina Faso's first battalion", "the Dutch camp",
# "The Netherlands, whose contingent"
ATTACHED_GAP = r"^(?:(?:['’]s|,\s+whose)\s+(?:[a-z0-9-]+\s+){0,3}|\s+(?:[a-z0-9-]+\s+)?)$"
# text between a force noun and the country it comes from: "a battalion of UN peacekeepers from Chad"
FROM_GAP = r"^\s+(?:of\s+)?(?:[a-z.]+\s+){0,3}from\s+(?:the\s+)?$"
# aggregate cue values (seed cue_terms) that make a figure a running total rather than a force's strength
AGGREGATE_PERIODS = ("since", "so_far", "this_year", "last_year", "peak")
# words opening a period: a year after them makes a figure a running total
PERIOD_OPENING = r"\b(?:since|from|between|until|till|through)"


@dataclass(frozen=True)
class ForceVocabulary:
    """Seeds `force_terms.csv` (term, term_type, value, prepositions, description), `publishers.csv`
    (pattern, match_on, country_iso3, description), ISO2 → ISO3 from `countries.csv` and the place_id of
    capitals the gazetteer types as plain cities (`capital_places.csv`)."""

    terms: pl.DataFrame
    publishers: pl.DataFrame
    iso2: pl.DataFrame
    capitals: pl.DataFrame

    def words(self, term_type: str) -> list[str]:
        return self.terms.filter(pl.col("term_type") == term_type)["term"].to_list()

    def list_gap(self) -> str:
        """Regex of the text between two members of a list of names (", ", " and " …; "Kidal town, …", "Chad (1 350), …")."""
        return rf"^(?:\s*\([^()]{{0,20}}\))?(?:\s+(?:{self.alternation('place_noun')}))?{LIST_JOINS}$"

    def gap_end(self, prepositions: pl.Expr) -> pl.Expr:
        """Regex (per row) of a text ending with one of `prepositions` ("in|at"), an optional "the" and an
        optional place descriptor ("in the Malian capital ", "on the outskirts of ")."""
        descriptor = rf"(?:(?:[a-z-]+\s+){{0,2}}?(?:{self.alternation('place_descriptor')})\s+)?"
        return pl.concat_str([pl.lit(r"(?:^|\b)(?:"), prepositions, pl.lit(rf")\s+(?:the\s+)?{descriptor}$")])

    def alternation(self, term_type: str) -> str:
        """Regex alternation of the (lower-cased) terms of `term_type`, longest first."""
        return alternation([w.lower() for w in self.words(term_type)])


@cache
def load_force_vocabulary(seeds_dir: Path = SEEDS_DIR) -> ForceVocabulary:
    """Read the force vocabulary seeds of `seeds_dir` (cached per directory)."""
    terms = pl.read_csv(seeds_dir / "force_terms.csv", infer_schema=False).with_columns(
        pl.col("prepositions").fill_null("")
    )
    publishers = pl.read_csv(seeds_dir / "publishers.csv", infer_schema=False)
    iso2 = pl.read_csv(seeds_dir / "countries.csv", infer_schema=False).select(
        pl.col("iso2").str.to_lowercase().alias("tld"), pl.col("iso3").alias("country_iso3")
    )
    capitals = pl.read_csv(seeds_dir / "capital_places.csv", infer_schema=False).select("place_id")
    return ForceVocabulary(terms, publishers, iso2, capitals)


@dataclass(frozen=True)
class ForceContext:
    """Per-article context frames shared by the deployment and contribution claims (module docstring).

    sentences: article_id, paragraph_no, sentence_no, sentence_start, sentence_end, text, is_caption
        (English sentences; `text` is the sentence, offsets below are relative to it).
    terms: article_id, sentence_no, start, end, surface, term_type, value, prepositions.
    forces: article_id, paragraph_no, sentence_no, start, end, entity_id, canonical_name, actor_type,
        role ('country' | 'mission'), country_iso3, is_excluded (location or object use), is_partner,
        is_office, is_donor, list_no.
    places: article_id, sentence_no, start, end, place_id, place_name, place_country_iso3, place_type,
        is_area (followed by an area noun: "the Kidal region").
    figures: article_id, sentence_no, start, end, value_low, value_best, value_high, qualifier, unit,
        unit_start (the unit a figure counts: "the company of about 150"), is_ceiling (person figures
        that are neither casualties nor aggregates).
    dates: article_id, sentence_no, start, resolved_date, date_precision (first usable date per sentence).
    past: article_id, sentence_no of sentences telling what is over: a history term (term_type history:
        returned home, withdrew …) or a period that ended before publication ("until 2017", "from
        2014 to 2019").
    mission_mentions: article_id, sentence_no, start, mission_actor_id, mission_country_iso3,
        mission_actor_type (named missions and resolved mission nouns).
    missions: article_id, sentence_no, mission_actor_id, mission_country_iso3, mission_actor_type,
        mission_source.
    publishers: article_id, publisher_iso3.
    """

    sentences: pl.LazyFrame
    terms: pl.LazyFrame
    forces: pl.LazyFrame
    places: pl.LazyFrame
    figures: pl.LazyFrame
    dates: pl.LazyFrame
    past: pl.LazyFrame
    mission_mentions: pl.LazyFrame
    missions: pl.LazyFrame
    publishers: pl.LazyFrame
    vocabulary: ForceVocabulary


def _english(sentences: pl.LazyFrame) -> pl.LazyFrame:
    return sentences.filter(pl.col("language") == "en").select(
        "article_id",
        "paragraph_no",
        "sentence_no",
        pl.col("char_start").alias("sentence_start"),
        pl.col("char_end").alias("sentence_end"),
        "text",
        "is_caption",
    )


def _relative(frame: pl.LazyFrame, sentences: pl.LazyFrame) -> pl.LazyFrame:
    """`frame` (article-wide char_start/char_end) with `start`/`end` relative to its sentence and the
    sentence's text and paragraph."""
    return frame.join(
        sentences.select(*SENTENCE_KEYS, "paragraph_no", "sentence_start", "text"), on=SENTENCE_KEYS
    ).with_columns(
        (pl.col("char_start") - pl.col("sentence_start")).cast(pl.Int32).alias("start"),
        (pl.col("char_end") - pl.col("sentence_start")).cast(pl.Int32).alias("end"),
    )


def before(width: int, start: str = "start") -> pl.Expr:
    """Up to `width` characters of the sentence before offset `start`, lower-cased and ASCII-folded."""
    begin = pl.max_horizontal(pl.col(start) - width, pl.lit(0))
    return ascii_fold(pl.col("text").str.slice(begin, pl.col(start) - begin)).str.to_lowercase()


def after(width: int, end: str = "end") -> pl.Expr:
    """Up to `width` characters of the sentence after offset `end`, lower-cased and ASCII-folded."""
    return ascii_fold(pl.col("text").str.slice(pl.col(end), width)).str.to_lowercase()


def between(left_end: str, right_start: str) -> pl.Expr:
    """Sentence text between two offsets (empty when they overlap), lower-cased and ASCII-folded."""
    length = pl.max_horizontal(pl.col(right_start) - pl.col(left_end), pl.lit(0))
    return ascii_fold(pl.col("text").str.slice(pl.col(left_end), length)).str.to_lowercase()


def find_force_terms(sentences: pl.LazyFrame, vocabulary: ForceVocabulary) -> pl.LazyFrame:
    """Keyword hits of the force vocabulary in English `sentences` (ForceContext.terms)."""
    keyword_terms = vocabulary.terms.filter(~pl.col("term_type").is_in(PATTERN_TERM_TYPES))
    hits = find_cues(
        sentences,
        keyword_terms.select(
            "term", pl.col("term_type").alias("cue_type"), pl.col("value").alias("cue_value")
        ),
    )
    prepositions = keyword_terms.select(
        pl.col("term_type").alias("cue_type"), pl.col("value").alias("cue_value"), "prepositions"
    ).unique(["cue_type", "cue_value"])
    return (
        _relative(hits, _english(sentences))
        .join(prepositions.lazy(), on=["cue_type", "cue_value"], how="left")
        .select(
            *SENTENCE_KEYS,
            "start",
            "end",
            "surface",
            pl.col("cue_type").alias("term_type"),
            pl.col("cue_value").alias("value"),
            pl.col("prepositions").fill_null(""),
        )
    )


def list_numbers(frame: pl.LazyFrame, group: list[str], gap_pattern: str) -> pl.LazyFrame:
    """`list_no` per row: mentions joined to the previous one of `group` by a `gap_pattern` text continue
    its list (frame needs start, end, text)."""
    ordered = frame.sort([*group, "start"])
    gap = between("_previous_end", "start")
    return (
        ordered.with_columns(pl.col("end").shift(1).over(group).alias("_previous_end"))
        .with_columns(
            (pl.col("_previous_end").is_not_null() & gap.str.contains(gap_pattern)).alias("continues_list")
        )
        .with_columns((~pl.col("continues_list")).cast(pl.Int32).cum_sum().over(group).alias("list_no"))
        .drop("_previous_end")
    )


def find_forces(
    sentences: pl.LazyFrame, mentions: pl.LazyFrame, terms: pl.LazyFrame, vocabulary: ForceVocabulary
) -> pl.LazyFrame:
    """Mentions that can name a force (ForceContext.forces), with the flags of the module docstring."""
    english = _english(sentences)
    located = rf"\b(?:{vocabulary.alternation('location_preposition')})\s+(?:the\s+)?$"
    partner_before = rf"\b(?:{vocabulary.alternation('partner')})\s+(?:the\s+)?$"
    partner_after = rf"^(?:{vocabulary.alternation('partner_suffix')})\b"
    possessive = r"^['’]s\b"
    subject_verb = rf"^(?:['’]s\b|,?\s+(?:{vocabulary.alternation('state_verb')})\b)"
    actors = mentions.filter(
        pl.col("mention_type") == "actor",
        pl.col("actor_type").is_in(MISSION_ACTOR_TYPES)
        | (pl.col("actor_type").is_in(["country", "national_force"]) & pl.col("country_iso3").is_not_null()),
    )
    capitals = mentions.filter(
        pl.col("mention_type") == "place",
        (pl.col("place_type") == "capital")
        | pl.col("entity_id").is_in(vocabulary.capitals["place_id"].implode()),
        pl.col("country_iso3").is_not_null(),
    ).with_columns(
        pl.lit("country").alias("actor_type"), ("country:" + pl.col("country_iso3")).alias("entity_id")
    )
    candidates = pl.concat(
        [
            _relative(actors, english).with_columns(pl.lit(False).alias("_capital")),
            _relative(capitals, english).with_columns(pl.lit(True).alias("_capital")),
        ],
        how="diagonal_relaxed",
    ).with_columns(
        pl.when(pl.col("actor_type").is_in(MISSION_ACTOR_TYPES))
        .then(pl.lit("mission"))
        .otherwise(pl.lit("country"))
        .alias("role"),
        before(30).alias("_before"),
        after(40).alias("_after"),
    )
    # a capital counts only as the subject of a verb or with a possessive, outside a dateline
    candidates = candidates.join(
        english.select(*SENTENCE_KEYS, "text")
        .with_columns(dateline_length(pl.col("text")).alias("_dateline"))
        .drop("text"),
        on=SENTENCE_KEYS,
    ).filter(
        ~pl.col("_capital")
        | (
            pl.col("_after").str.contains(subject_verb)
            & ~pl.col("_before").str.contains(located)
            & (pl.col("start") >= pl.col("_dateline"))
        )
    )
    # "Most of the German contingent", "in the Chinese camp": a demonym before a force noun is its owner
    force_nouns = terms.filter(pl.col("term_type").is_in(FORCE_NOUN_TYPES)).select(
        *SENTENCE_KEYS, pl.col("start").alias("_noun_start")
    )
    owners = (
        candidates.select(*SENTENCE_KEYS, "start", "end", "text")
        .join(force_nouns, on=SENTENCE_KEYS)
        .filter(pl.col("_noun_start") >= pl.col("end"))
        .filter(between("end", "_noun_start").str.contains(r"^\s+(?:[a-z-]+\s+)?$"))
        .select(*SENTENCE_KEYS, "start")
        .unique()
        .with_columns(pl.lit(True).alias("_owns_force"))
    )
    # "Niamey, Niger": a country in apposition to a place names where the place is
    place_ends = _relative(mentions.filter(pl.col("mention_type") == "place"), english).select(
        *SENTENCE_KEYS, pl.col("end").alias("_place_end")
    )
    appositions = (
        candidates.select(*SENTENCE_KEYS, "start", "text")
        .join(place_ends, on=SENTENCE_KEYS)
        .filter(pl.col("_place_end") < pl.col("start"), pl.col("start") - pl.col("_place_end") <= 3)
        .filter(between("_place_end", "start").str.contains(r"^(?:,|\s*\()\s*$"))
        .select(*SENTENCE_KEYS, "start")
        .unique()
        .with_columns(pl.lit(True).alias("_apposition"))
    )
    sentence_flags = terms.group_by(SENTENCE_KEYS).agg(
        (pl.col("term_type") == "donor").any().alias("_has_donor"),
        pl.col("term_type").is_in(["personnel", "unit", "asset"]).any().alias("_has_force_noun"),
    )
    offices = terms.filter(pl.col("term_type") == "council_role").select(
        *SENTENCE_KEYS, pl.col("start").alias("_office_start")
    )
    office_pairs = (
        candidates.select(*SENTENCE_KEYS, "start", "end", "text")
        .join(offices, on=SENTENCE_KEYS)
        .filter((pl.col("_office_start") >= pl.col("end")) & (pl.col("_office_start") - pl.col("end") <= 60))
        .filter(~between("end", "_office_start").str.contains(r"[;.]"))
        .select(*SENTENCE_KEYS, "start")
        .unique()
        .with_columns(pl.lit(True).alias("is_office"))
    )
    flagged = (
        candidates.join(sentence_flags, on=SENTENCE_KEYS, how="left")
        .join(office_pairs, on=[*SENTENCE_KEYS, "start"], how="left")
        .join(owners, on=[*SENTENCE_KEYS, "start"], how="left")
        .join(appositions, on=[*SENTENCE_KEYS, "start"], how="left")
        .with_columns(
            (
                (
                    pl.col("_before").str.contains(located)
                    & ~pl.col("_after").str.contains(possessive)
                    & ~pl.col("_owns_force").fill_null(False)
                )
                | pl.col("_apposition").fill_null(False)
            ).alias("_excluded_here"),
            (
                pl.col("_before").str.contains(partner_before) | pl.col("_after").str.contains(partner_after)
            ).alias("_partner_here"),
            pl.col("is_office").fill_null(False),
            (pl.col("_has_donor").fill_null(False) & ~pl.col("_has_force_noun").fill_null(False)).alias(
                "is_donor"
            ),
        )
    )
    return (
        list_numbers(flagged, [*SENTENCE_KEYS, "role"], vocabulary.list_gap())
        .with_columns(
            pl.col("_excluded_here").first().over([*SENTENCE_KEYS, "role", "list_no"]).alias("is_excluded"),
            pl.col("_partner_here").first().over([*SENTENCE_KEYS, "role", "list_no"]).alias("is_partner"),
        )
        .select(
            *SENTENCE_KEYS,
            "paragraph_no",
            "start",
            "end",
            "entity_id",
            "canonical_name",
            "actor_type",
            "role",
            "country_iso3",
            "is_excluded",
            "is_partner",
            "is_office",
            "is_donor",
            "list_no",
        )
    )


def find_places(
    sentences: pl.LazyFrame, mentions: pl.LazyFrame, broad_types: list[str], vocabulary: ForceVocabulary
) -> pl.LazyFrame:
    """Place mentions below country level that can locate a force (ForceContext.places)."""
    places = mentions.filter(
        pl.col("mention_type") == "place",
        pl.col("entity_id").is_not_null(),
        pl.col("place_type").is_null() | ~pl.col("place_type").is_in(["country", *broad_types]),
    )
    return (
        _relative(places, _english(sentences))
        .filter(
            pl.col("start") >= dateline_length(pl.col("text")),
            ~before(40).str.contains(BEARING),
            # "Camp Amman in Timbuktu": a place name after "Camp" names the camp, not where it is
            ~pl.col("text")
            .str.slice(pl.max_horizontal(pl.col("start") - 5, pl.lit(0)), 5)
            .str.contains(r"^Camp $"),
        )
        .select(
            *SENTENCE_KEYS,
            "start",
            "end",
            pl.col("entity_id").alias("place_id"),
            pl.col("canonical_name").alias("place_name"),
            pl.col("country_iso3").alias("place_country_iso3"),
            "place_type",
            after(20).str.contains(rf"^\s+(?:{vocabulary.alternation('area_noun')})\b").alias("is_area"),
        )
    )


def find_strength_figures(
    sentences: pl.LazyFrame,
    mentions: pl.LazyFrame,
    cues: pl.LazyFrame,
    terms: pl.LazyFrame,
    person_units: list[str],
    vocabulary: ForceVocabulary,
) -> pl.LazyFrame:
    """Person figures that can count a force (ForceContext.figures): figures of a person unit (seed
    unit_classes), bare numbers counting a unit ("a contingent of around 450": `unit_start` is that unit
    term's start) and bare numbers a few words before a person noun ("250 Canadian Armed Forces members").

    Not a casualty count: no killed/wounded cue (raw.cues) within 40 characters after the figure or 25
    before it, unless negated ("none of its 900 soldiers were hurt": term_type negation). Not an aggregate: the sentence carries no aggregate cue of a period
    (AGGREGATE_PERIODS: since, so far, this year …; "in total" still counts a force) nor a period date (a
    range, or a year after since/from/until …: "up to 70 personnel in 2021" still counts a force).
    `is_ceiling`: a ceiling term (term_type ceiling: up to, ceiling of …) starts within 30 characters
    before the figure or opens it.
    """
    english = _english(sentences)
    all_figures = _relative(mentions.filter(pl.col("mention_type") == "figure"), english)
    # "a contingent of around 450", "the company of about 150 soldiers": the unit the figure counts
    unit_terms = terms.filter(pl.col("term_type") == "unit").select(
        *SENTENCE_KEYS, pl.col("start").alias("unit_start"), pl.col("end").alias("_unit_end")
    )
    unit_counts = (
        all_figures.join(unit_terms, on=SENTENCE_KEYS)
        .filter(pl.col("_unit_end") <= pl.col("start"), pl.col("start") - pl.col("_unit_end") <= 5)
        .filter(between("_unit_end", "start").str.contains(r"^\s+of\s+$"))
        .select(*SENTENCE_KEYS, "start", "unit_start")
        .unique([*SENTENCE_KEYS, "start"])
    )
    # "about 250 Canadian Armed Forces members": a bare number, a few words, then a person noun
    person_after = rf"^\s+(?:[a-z][a-z.-]*\s+){{1,4}}(?:{alternation(person_units)})s?\b"
    figures = (
        all_figures.join(unit_counts, on=[*SENTENCE_KEYS, "start"], how="left")
        .filter(
            pl.col("unit").is_in(person_units)
            | (pl.col("unit").is_null() & (pl.col("unit_start").is_not_null() | after(60).str.contains(person_after)))
        )
        .with_columns(pl.col("unit").fill_null("person"))
    )
    casualty = _relative(
        cues.filter(pl.col("cue_type").is_in(["killed", "wounded"])).select(
            *SENTENCE_KEYS, "char_start", "char_end"
        ),
        english,
    ).select(*SENTENCE_KEYS, pl.col("start").alias("_cue_start"), pl.col("end").alias("_cue_end"))
    negation = rf"\b(?:{vocabulary.alternation('negation')})\b"
    casualty_figures = (
        figures.select(*SENTENCE_KEYS, "start", "end", "text")
        .join(casualty, on=SENTENCE_KEYS)
        .filter(
            ((pl.col("_cue_start") >= pl.col("end")) & (pl.col("_cue_start") - pl.col("end") <= 40))
            | ((pl.col("_cue_end") <= pl.col("start")) & (pl.col("start") - pl.col("_cue_end") <= 25))
        )
        # "none of its 900 soldiers were hurt": a negated casualty counts a force, not victims
        .filter(
            ~before(14).str.contains(rf"{negation}\s+(?:[a-z]+\s+)?$"),
            ~between("end", "_cue_start").str.contains(negation),
        )
        .select(*SENTENCE_KEYS, "start")
        .unique()
    )
    aggregate = pl.concat(
        [
            cues.filter(
                pl.col("cue_type") == "aggregate", pl.col("cue_value").is_in(AGGREGATE_PERIODS)
            ).select(*SENTENCE_KEYS),
            # a period ("from 2014 to 2019", "since 2013"), not a year a force is planned for ("in 2021")
            _relative(
                mentions.filter(
                    pl.col("mention_type") == "date", pl.col("date_precision").is_in(["year", "range"])
                ),
                english,
            )
            .filter(
                (pl.col("date_precision") == "range")
                | pl.col("surface").str.to_lowercase().str.contains(PERIOD_OPENING)
                | before(14).str.contains(PERIOD_OPENING + r"\s+$")
            )
            .select(*SENTENCE_KEYS),
        ]
    ).unique()
    ceilings = terms.filter(pl.col("term_type") == "ceiling").select(
        *SENTENCE_KEYS, pl.col("start").alias("_ceiling_start")
    )
    ceiling_figures = (
        figures.select(*SENTENCE_KEYS, "start")
        .join(ceilings, on=SENTENCE_KEYS)
        # before the figure, or its own hedge ("up to 1,250 soldiers")
        .filter(
            (pl.col("_ceiling_start") <= pl.col("start") + 1)
            & (pl.col("start") - pl.col("_ceiling_start") <= 30)
        )
        .select(*SENTENCE_KEYS, "start")
        .unique()
        .with_columns(pl.lit(True).alias("is_ceiling"))
    )
    return (
        figures.join(casualty_figures, on=[*SENTENCE_KEYS, "start"], how="anti")
        .join(aggregate, on=SENTENCE_KEYS, how="anti")
        .join(ceiling_figures, on=[*SENTENCE_KEYS, "start"], how="left")
        .select(
            *SENTENCE_KEYS,
            "start",
            "end",
            "value_low",
            "value_best",
            "value_high",
            "qualifier",
            "unit",
            "unit_start",
            pl.col("is_ceiling").fill_null(False),
        )
    )


def find_dates(sentences: pl.LazyFrame, mentions: pl.LazyFrame) -> pl.LazyFrame:
    """First date of each sentence that can say when a force stands somewhere: day, month or year
    precision, not opening a period ("since 2013", "from 2014", "until May")."""
    dates = _relative(
        mentions.filter(
            pl.col("mention_type") == "date",
            pl.col("resolved_date").is_not_null(),
            pl.col("date_precision").is_in(["day", "month", "year"]),
        ),
        _english(sentences),
    )
    return (
        dates.filter(
            ~pl.col("surface").str.to_lowercase().str.contains(r"^(?:since|from|until|till)\b"),
            ~before(12).str.contains(r"\b(?:since|from|until|till|between)\s+$"),
        )
        .sort(*SENTENCE_KEYS, "start")
        .group_by(SENTENCE_KEYS)
        .agg(pl.col("start").first(), pl.col("resolved_date").first(), pl.col("date_precision").first())
    )


def country_candidates(context: ForceContext) -> pl.LazyFrame:
    """Country mentions that can name a contributor (partners kept, flagged)."""
    return context.forces.filter(
        pl.col("role") == "country", ~pl.col("is_excluded"), ~pl.col("is_office"), ~pl.col("is_donor")
    ).select(
        *SENTENCE_KEYS,
        pl.col("start").alias("c_start"),
        pl.col("end").alias("c_end"),
        "country_iso3",
        "list_no",
        "is_partner",
    )


def as_of_and_evidence() -> list[pl.Expr]:
    """A claim's as_of_date (the sentence's date from `find_dates`, else the publication date), its
    date_precision and as_of_date_source, and its evidence: the sentence text and offsets."""
    return [
        pl.coalesce("resolved_date", "published_date").alias("as_of_date"),
        pl.when(pl.col("resolved_date").is_not_null())
        .then(pl.col("_text_precision"))
        .when(pl.col("published_date").is_not_null())
        .then(pl.col("published_precision").fill_null("unknown"))
        .otherwise(pl.lit("unknown"))
        .alias("date_precision"),
        pl.when(pl.col("resolved_date").is_not_null())
        .then(pl.lit("text"))
        .when(pl.col("published_date").is_not_null())
        .then(pl.lit("publication"))
        .otherwise(pl.lit("unknown"))
        .alias("as_of_date_source"),
        pl.col("text").alias("evidence_text"),
        pl.col("sentence_start").alias("char_start"),
        pl.col("sentence_end").alias("char_end"),
    ]


def find_past(
    sentences: pl.LazyFrame, mentions: pl.LazyFrame, terms: pl.LazyFrame, articles: pl.LazyFrame
) -> pl.LazyFrame:
    """Sentences telling what is over (ForceContext.past)."""
    ended = (
        _relative(
            mentions.filter(pl.col("mention_type") == "date", pl.col("resolved_date").is_not_null()),
            _english(sentences),
        )
        .join(articles.select("article_id", "published_date"), on="article_id")
        .filter(
            before(8).str.contains(r"\b(?:until|till)\s+$") | (pl.col("date_precision") == "range"),
            pl.coalesce("date_end", "resolved_date") < pl.col("published_date"),
        )
        .select(*SENTENCE_KEYS)
    )
    history = terms.filter(pl.col("term_type") == "history").select(*SENTENCE_KEYS)
    return pl.concat([ended, history]).unique()


def find_mission_mentions(sentences: pl.LazyFrame, forces: pl.LazyFrame, terms: pl.LazyFrame) -> pl.LazyFrame:
    """Named missions and mission nouns (ForceContext.mission_mentions): "UN peacekeepers", "the mission"
    stand for the UN mission the article names most; "the operation" for the last international force
    named up to that sentence."""
    english = _english(sentences)
    columns = ["mission_actor_id", "mission_country_iso3", "mission_actor_type"]
    named = forces.filter(pl.col("role") == "mission").select(
        *SENTENCE_KEYS,
        "start",
        pl.col("entity_id").alias("mission_actor_id"),
        pl.col("country_iso3").alias("mission_country_iso3"),
        pl.col("actor_type").alias("mission_actor_type"),
    )
    article_un = (
        named.filter(pl.col("mission_actor_type") == "un_mission")
        .group_by("article_id", *columns)
        .agg(pl.len().alias("_count"), pl.col("sentence_no").min().alias("_first"))
        .sort("_count", "_first", descending=[True, False])
        .group_by("article_id", maintain_order=True)
        .first()
        .drop("_count", "_first")
    )
    nouns = terms.filter(pl.col("term_type") == "mission_noun").select(*SENTENCE_KEYS, "start", "value")
    un_nouns = nouns.filter(pl.col("value") == "un").drop("value").join(article_un, on="article_id")
    operations = (
        named.filter(pl.col("mission_actor_type") == "international_force")
        .sort("article_id", "sentence_no", "start")
        .group_by(SENTENCE_KEYS, maintain_order=True)
        .last()
        .select("article_id", pl.col("sentence_no").alias("_named_in"), *columns)
        .sort("article_id", "_named_in")
    )
    operation_nouns = (
        nouns.filter(pl.col("value") == "operation")
        .drop("value")
        .sort("article_id", "sentence_no")
        .join_asof(
            operations, left_on="sentence_no", right_on="_named_in", by="article_id", strategy="backward"
        )
        .filter(pl.col("mission_actor_id").is_not_null())
        .drop("_named_in")
    )
    return pl.concat(
        [
            named,
            un_nouns.select(named.collect_schema().names()),
            operation_nouns.select(named.collect_schema().names()),
        ]
    ).join(english.select(*SENTENCE_KEYS), on=SENTENCE_KEYS, how="semi")


def find_missions(
    sentences: pl.LazyFrame, mission_mentions: pl.LazyFrame, terms: pl.LazyFrame
) -> pl.LazyFrame:
    """Per English sentence, the mission it speaks about (ForceContext.missions). A sentence naming an
    operation the article never named ("support to the operation") takes no mission from context."""
    english = _english(sentences)
    unresolved = (
        terms.filter(pl.col("term_type") == "mission_noun", pl.col("value") == "operation")
        .join(mission_mentions, on=[*SENTENCE_KEYS, "start"], how="anti")
        .select(*SENTENCE_KEYS)
        .unique()
    )
    columns = ["mission_actor_id", "mission_country_iso3", "mission_actor_type"]
    all_missions = mission_mentions.join(english.select(*SENTENCE_KEYS, "paragraph_no"), on=SENTENCE_KEYS)
    in_sentence = (
        all_missions.sort(*SENTENCE_KEYS, "start")
        .group_by(SENTENCE_KEYS)
        .first()
        .drop("start", "paragraph_no")
    )
    per_sentence = (
        all_missions.sort(*SENTENCE_KEYS, "start")
        .group_by(["article_id", "paragraph_no", "sentence_no"])
        .last()
        .drop("start")
        .sort("article_id", "paragraph_no", "sentence_no")
    )
    article_most = (
        all_missions.group_by("article_id", *columns)
        .agg(pl.len().alias("_count"), pl.col("sentence_no").min().alias("_first"))
        .sort("_count", "_first", descending=[True, False])
        .group_by("article_id", maintain_order=True)
        .first()
        .drop("_count", "_first")
    )
    earlier = (
        english.select(*SENTENCE_KEYS, "paragraph_no")
        .sort("article_id", "paragraph_no", "sentence_no")
        .join_asof(
            per_sentence.with_columns(pl.col("sentence_no").alias("_from")).drop("sentence_no"),
            left_on="sentence_no",
            right_on="_from",
            by=["article_id", "paragraph_no"],
            strategy="backward",
            allow_exact_matches=False,
        )
        .select(*SENTENCE_KEYS, *[pl.col(c).alias(f"_paragraph_{c}") for c in columns])
    )
    return (
        english.select(*SENTENCE_KEYS)
        .join(unresolved, on=SENTENCE_KEYS, how="anti")
        .join(in_sentence, on=SENTENCE_KEYS, how="left")
        .join(earlier, on=SENTENCE_KEYS, how="left")
        .join(article_most.rename({c: f"_article_{c}" for c in columns}), on="article_id", how="left")
        .select(
            *SENTENCE_KEYS,
            *[pl.coalesce(c, f"_paragraph_{c}", f"_article_{c}").alias(c) for c in columns],
            pl.when(pl.col("mission_actor_id").is_not_null())
            .then(pl.lit("sentence"))
            .when(pl.col("_paragraph_mission_actor_id").is_not_null())
            .then(pl.lit("paragraph"))
            .when(pl.col("_article_mission_actor_id").is_not_null())
            .then(pl.lit("article"))
            .alias("mission_source"),
        )
    )


def publisher_countries(
    articles: pl.LazyFrame, lexicon: Dictionary, vocabulary: ForceVocabulary
) -> pl.LazyFrame:
    """Per article whose publisher speaks for its own forces, that country (ForceContext.publishers).

    `articles` may lack `source` and `url` (then no article has a publisher country).
    """
    present = set(articles.collect_schema().names())
    meta = articles.select(
        "article_id",
        (pl.col("source") if "source" in present else pl.lit(None, pl.String)).fill_null("").alias("source"),
        (pl.col("url") if "url" in present else pl.lit(None, pl.String))
        .fill_null("")
        .str.extract(r"^(?:[a-z][a-z0-9+.-]*://)?([^/:?#]+)", 1)
        .fill_null("")
        .str.to_lowercase()
        .alias("host"),
    ).filter((pl.col("source") != "") | (pl.col("host") != ""))
    rules = vocabulary.publishers.with_columns(
        ascii_fold(pl.col("pattern")).str.to_lowercase().alias("pattern")
    )

    def rule_pattern(kind: str) -> str:
        return alternation(rules.filter(pl.col("match_on") == kind)["pattern"].to_list())

    source = ascii_fold(pl.col("source")).str.to_lowercase()
    labels = pl.col("host").str.split(".")
    names = rules.filter(pl.col("match_on") == "name").select(
        "pattern", pl.col("country_iso3").alias("_named_iso3")
    )
    name_hit = source.str.extract(rf"\b({rule_pattern('name')})\b", 1)
    host_name_hit = pl.col("host").str.extract(rf"(?:^|[.-])({rule_pattern('name')})(?:[.-]|$)", 1)
    tld_overrides = rules.filter(pl.col("match_on") == "tld").select(
        pl.col("pattern").alias("tld"), pl.col("country_iso3").alias("_tld_iso3")
    )
    tlds = pl.concat([tld_overrides, vocabulary.iso2.rename({"country_iso3": "_tld_iso3"})]).unique(
        "tld", keep="first"
    )
    institutional = meta.with_columns(
        pl.coalesce(name_hit, host_name_hit).alias("_name"),
        labels.list.last().alias("tld"),
        (
            source.str.contains(rf"\b(?:{rule_pattern('source_word')})\b")
            | labels.list.eval(
                pl.element().is_in(rules.filter(pl.col("match_on") == "domain_label")["pattern"].to_list())
            ).list.any()
        ).alias("_institutional"),
    ).filter(pl.col("_institutional") | pl.col("_name").is_not_null())
    named_in_source = (
        find_entity_mentions(
            institutional.select(
                "article_id",
                pl.lit(0, pl.Int32).alias("paragraph_no"),
                pl.lit(0, pl.Int32).alias("sentence_no"),
                pl.lit(0, pl.Int32).alias("char_start"),
                pl.col("source").str.len_chars().cast(pl.Int32).alias("char_end"),
                pl.col("source").alias("text"),
                pl.lit(False).alias("is_caption"),
                pl.lit("en").alias("language"),
            ),
            institutional.select("article_id"),
            lexicon,
        )
        .filter(pl.col("actor_type") == "country", pl.col("country_iso3").is_not_null())
        .sort("article_id", "char_start")
        .group_by("article_id")
        .agg(pl.col("country_iso3").first().alias("_source_iso3"))
    )
    return (
        institutional.join(named_in_source, on="article_id", how="left")
        .join(names.lazy(), left_on="_name", right_on="pattern", how="left")
        .join(tlds.lazy(), on="tld", how="left")
        .select("article_id", pl.coalesce("_source_iso3", "_named_iso3", "_tld_iso3").alias("publisher_iso3"))
        .filter(pl.col("publisher_iso3").is_not_null())
    )


def force_context(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    mentions: pl.DataFrame,
    cues: pl.DataFrame,
    lexicon: Dictionary,
    vocabulary: ForceVocabulary,
    person_units: list[str],
    broad_place_types: list[str],
) -> ForceContext:
    """Every context frame of the module docstring for a batch of articles (collected once each)."""
    lazy_sentences = sentences.lazy()
    lazy_mentions = mentions.lazy()
    terms = find_force_terms(lazy_sentences, vocabulary).collect().lazy()
    forces = find_forces(lazy_sentences, lazy_mentions, terms, vocabulary).collect().lazy()
    mission_mentions = find_mission_mentions(lazy_sentences, forces, terms).collect().lazy()
    frames = pl.collect_all(
        [
            _english(lazy_sentences),
            find_places(lazy_sentences, lazy_mentions, broad_place_types, vocabulary),
            find_strength_figures(
                lazy_sentences, lazy_mentions, cues.lazy(), terms, person_units, vocabulary
            ),
            find_dates(lazy_sentences, lazy_mentions),
            find_past(lazy_sentences, lazy_mentions, terms, articles.lazy()),
            find_missions(lazy_sentences, mission_mentions, terms),
            publisher_countries(articles.lazy(), lexicon, vocabulary),
        ]
    )
    english, places, figures, dates, past, missions, publishers = (frame.lazy() for frame in frames)
    return ForceContext(
        english,
        terms,
        forces,
        places,
        figures,
        dates,
        past,
        mission_mentions,
        missions,
        publishers,
        vocabulary,
    )
