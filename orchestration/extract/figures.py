"""Sentences → figure mentions: counts of people and things with hedges, bounds and counted noun.

Grain of the output: one row per figure in a sentence (MENTION_SCHEMA, mention_type 'figure',
match_method 'pattern'). `surface` runs from the hedge (or the number) to the counted noun when one is
found, else to the number; offsets are character offsets into the article body.

What is a number (vocabulary in seeds `number_words.csv`, `figure_hedges.csv`, `figure_terms.csv`):
- digits "4,000", "1.5", optionally followed by million/billion/thousand/hundred;
- cardinal words "two", "Thirty-four", "two hundred" (converted with text2num, once per distinct text);
- phrases "a dozen", "a hundred" (exact) and vague quantities "dozens", "hundreds", "several" whose
  low/best/high come from the seed;
- ranges "between 10 and 15", "from 10 to 15", "10 to 15", "10-15";
- an indefinite article before a singular person noun, with up to two words between: "a Chadian
  peacekeeper", "an unarmed civilian" → 1.

Counted noun (`unit`): the first seed term of role counted/singular_counted after the number, with at
most two modifier words between ("seven Senegalese peacekeepers", "ten U.N. blue helmets", "about 1,000
combat troops"); a modifier that is a number or a function word ("when", "as", "by" …) stops the search,
and so does a casualty word (seed `cue_terms.csv`, cue_type killed/wounded) unless it sits right before
the noun ("three wounded soldiers" → soldier; "25 wounded when gunmen …" → not gunman).

Elided victims: a figure without a noun of its own that counts casualties gets unit `person`, or the unit
of the previous figure of the sentence when that unit is of class person (seed `unit_classes.csv`):
- the number is followed by a casualty word, optionally after auxiliaries or adverbs (role auxiliary):
  "at least 25 wounded", "nine dead", "eleven were later injured", "… killed and seven wounded";
- the number follows a casualty word: "killing at least three", "injuring four";
- the number follows a casualty total in the same clause, after "to", "at" or "of" (role victim_total):
  "the death toll rose to nine", "a casualty count of 12";
- the number follows a revised total (role revised_total) of a casualty word or total earlier in the
  clause: "the number of soldiers killed in the ambush has risen to three";
- the number counts part of the casualties ("two of the injured soldiers died", "one of those wounded").
The casualty word itself stays outside `surface`, so the cue and the figure never overlap. A count in a
clause that reports a superseded count ("had initially reported eight dead") is still a figure: the
casualty claims mark it (`casualties.py`, seed role superseded) and use it only when nothing newer is told.

Otherwise, a figure with no noun of its own that is followed by punctuation, a function word or a
conjunction ("about 12,000 troops but only about 9,200 till now") reuses the unit of the previous
figure in the same sentence.

Not figures (dropped): a number followed by a measure term (miles, km, percent, %, dollars, days, years,
clock times, "10:30"), preceded by a month or followed by one (dates), preceded by a reference word
(resolution, No., article, flight …) or glued to a letter, "/", "#", "+" or a currency sign ("SC/11461",
"$5"), numbers chained by "/", ".", ":" or "-" to another digit group (numeric dates "17/01/2015",
"2015-01-17"), digit numbers next to another digit group across one space (phone numbers
"+223 20 22 14 71"; the cost: "in 2013 20 soldiers" without a comma is lost), ordinals ("21st",
"first" are never matched), years 1900–2100 unless a counted noun follows directly, a bare "one"
without a counted noun (unless a casualty word follows: "a toll of one dead"), number words glued to a hyphen ("three-day"), numbers glued by a hyphen to a
measure ("25-year-old", "10-km"), and vague quantities without a counted noun ("several reasons").

Bounds, in the spirit of UCDP's low/best/high estimates (X = the number; factors and step per hedge
in `figure_hedges.csv`, bounds rounded outward: low down, high up, best to nearest):

| text                         | qualifier | low        | best       | high       |
|------------------------------|-----------|------------|------------|------------|
| 30                           | exact     | X          | X          | X          |
| about/around/some 30         | approx    | 0.9X       | X          | 1.1X       |
| nearly/almost/close to 30    | at_most   | 0.9X       | X          | X          |
| up to/as many as/at most 30  | at_most   | null       | X          | X          |
| at least/no fewer than 30    | at_least  | X          | X          | null       |
| more than/over 30            | more_than | X+1        | X+1        | null       |
| fewer than/less than 30      | less_than | null       | null       | X-1        |
| between A and B, A to B      | range     | A          | (A+B)/2    | B          |
| dozens/hundreds/several …    | vague     | seed low   | seed best  | seed high  |
| a Chadian peacekeeper        | exact     | 1          | 1          | 1          |

A hedge before a range or a vague quantity is kept in `surface` but does not change the bounds.
"""

import re
from functools import cache
from pathlib import Path

import polars as pl
from text_to_num import text2num

from orchestration import months
from orchestration.extract.schema import MENTION_SCHEMA, conform, mention_id
from orchestration.extract.spans import (
    PARTITIVE,
    ascii_boundaries,
    fill_within,
    regex_spans,
    run_number,
    text_before,
    with_groups,
)
from orchestration.settings import SEEDS_DIR

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULTIPLIERS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD = r"[\p{L}'’.-]+"
_CONTEXT_AFTER = 64  # characters read after a number (modifiers and counted noun, casualty word)
_CONTEXT_BEFORE = 120  # characters read before a number (previous word, toll word, digit chains)


@cache
def load_figure_vocabulary(seeds_dir: Path = SEEDS_DIR) -> dict[str, pl.DataFrame]:
    """Seeds `number_words.csv`, `figure_hedges.csv`, `figure_terms.csv`, `unit_classes.csv` and the
    casualty words (cue_type killed / wounded) of `cue_terms.csv`, keyed by file stem."""
    vocabulary = {
        name: pl.read_csv(seeds_dir / f"{name}.csv", infer_schema_length=None)
        for name in ("number_words", "figure_hedges", "figure_terms", "unit_classes")
    }
    vocabulary["cue_terms"] = pl.read_csv(seeds_dir / "cue_terms.csv", infer_schema_length=None).filter(
        pl.col("cue_type").is_in(["killed", "wounded"])
    )
    return vocabulary


def _either_case(phrase: str) -> str:
    """Regex for `phrase` with its first letter in either case (sentence-initial words)."""
    head, tail = phrase[0], re.escape(phrase[1:])
    return f"[{head.lower()}{head.upper()}]{tail}" if head.isalpha() else re.escape(phrase)


def _alternation(phrases: list[str], either_case: bool = True) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(_either_case(p) if either_case else re.escape(p) for p in ordered)


def _patterns(vocabulary: dict[str, pl.DataFrame]) -> dict[str, str]:
    words = vocabulary["number_words"]
    terms = vocabulary["figure_terms"]
    hedges = vocabulary["figure_hedges"]["hedge"].to_list()
    cardinal = _alternation(words.filter(pl.col("kind") == "cardinal")["phrase"].to_list())
    phrase = _alternation(words.filter(pl.col("kind") != "cardinal")["phrase"].to_list())
    word_number = rf"(?:{cardinal})(?:(?:-|\s+)(?:{cardinal}))*"
    number = rf"(?:{_DIGITS})\b(?:\s+(?:{'|'.join(_MULTIPLIERS)})\b)?|\b(?:{phrase}|{word_number})\b"
    nouns = terms.filter(pl.col("role").is_in(["counted", "singular_counted", "measure"]))["term"]
    singular = terms.filter(pl.col("role") == "singular_counted")["term"].to_list()
    hedge = rf"(?P<hedge>\b(?:{_alternation(hedges)})\s+)?"
    patterns = {
        "number": (
            rf"(?P<core>{hedge}(?:(?:[Bb]etween|[Ff]rom)\s+(?P<lo1>{number})\s+(?:and|to)\s+(?P<hi1>{number})"
            rf"|(?P<lo2>{number})\s+(?:to|or)\s+(?P<hi2>{number})"
            rf"|(?P<lo3>(?:{_DIGITS})\b)\s*[-–]\s*(?P<hi3>(?:{_DIGITS})\b)"
            rf"|(?P<single>{number})))"
        ),
        "article": rf"(?P<core>\b[Aa]n?\s+(?P<mods>(?:[\p{{L}}\d'’-]+\s+){{0,2}}?)(?P<noun>{_alternation(singular, False)}))\b",
        "noun_after": rf"^(?P<tail>(?P<mods>(?:\s+{_WORD}){{0,2}}?)\s+(?P<noun>{_alternation(nouns.to_list(), False)}))"
        r"(?:[^\p{L}\p{N}]|$)",
    }
    return {name: ascii_boundaries(pattern) for name, pattern in patterns.items()}


def _number_values(texts: pl.Series, vocabulary: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """(text, kind, low, best, high) for each distinct number text; Python runs once per distinct text."""
    table = {
        row["phrase"]: (row["kind"], row["value_low"], row["value_best"], row["value_high"])
        for row in vocabulary["number_words"].iter_rows(named=True)
    }
    rows = []
    for text in texts.drop_nulls().unique().to_list():
        key = " ".join(text.lower().split())
        if key in table and table[key][0] != "cardinal":
            kind, low, best, high = table[key]
        elif key[0].isdigit():
            head, *rest = key.split()
            value = float(head.replace(",", "")) * (_MULTIPLIERS[rest[0]] if rest else 1.0)
            kind, low, best, high = "digits", value, value, value
        else:
            try:
                value = float(text2num(key.replace("-", " "), "en"))
            except ValueError:
                continue
            kind, low, best, high = "words", value, value, value
        rows.append((text, kind, float(low), float(best), float(high)))
    return pl.DataFrame(
        rows,
        schema={
            "number": pl.String,
            "kind": pl.String,
            "low": pl.Float64,
            "best": pl.Float64,
            "high": pl.Float64,
        },
        orient="row",
    )


def _bound(value: pl.Expr, factor: str, rounding: str) -> pl.Expr:
    scaled = (value * pl.col(factor)).round(6)
    rounded = {"floor": scaled.floor(), "ceil": scaled.ceil(), "round": scaled.round(0)}[rounding]
    return rounded + pl.col("step")


def find_figures(sentences: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame] | None = None) -> pl.LazyFrame:
    """Figure mentions (MENTION_SCHEMA) in `sentences` (SENTENCE_SCHEMA); see the module docstring.

    `vocabulary` defaults to the seeds (see `load_figure_vocabulary`). The number matches are collected
    once inside (to convert each distinct number text in Python); the rest stays lazy.
    """
    vocabulary = load_figure_vocabulary() if vocabulary is None else vocabulary
    patterns = _patterns(vocabulary)
    terms = vocabulary["figure_terms"]
    role = {r: terms.filter(pl.col("role") == r)["term"].to_list() for r in terms["role"].unique()}
    unit_of = dict(zip(terms["term"], terms["unit"], strict=True))
    number_tokens = {w for phrase in vocabulary["number_words"]["phrase"] for w in phrase.split()} - {
        "a",
        "of",
    }
    stop_words = [*role["function_word"], *number_tokens]
    casualty = vocabulary["cue_terms"]["term"].str.to_lowercase().unique().to_list()
    classes = vocabulary["unit_classes"]
    person_units = classes.filter(pl.col("unit_class") == "person")["unit"].to_list()
    casualty_after = ascii_boundaries(
        rf"^\s+(?:(?:{_alternation(role['auxiliary'], False)})\s+){{0,3}}(?:{_alternation(casualty, False)})\b"
    )
    victim_total = ascii_boundaries(
        rf"\b(?:{_alternation(role['victim_total'])})\b[^,;:.()\d]{{0,30}}\b(?:to|at|of)\s+$"
    )
    revised_total = ascii_boundaries(
        rf"\b(?:{_alternation([*role['victim_total'], *casualty])})\b[^,;:.()\d]{{0,80}}"
        rf"\b(?:{_alternation(role['revised_total'])})\s+$"
    )
    partitive = ascii_boundaries(rf"^{PARTITIVE}(?:{_alternation(casualty, False)})\b")
    base = sentences.select(
        "article_id", "sentence_no", "text", pl.col("char_start").alias("_sentence_start")
    )

    # Cheap literal pre-filters (Aho-Corasick): only sentences that can hold a match go to the regexes.
    number_triggers = [*"0123456789", *vocabulary["number_words"]["phrase"].to_list()]
    with_numbers = base.filter(pl.col("text").str.contains_any(number_triggers, ascii_case_insensitive=True))
    with_nouns = base.filter(
        pl.col("text").str.contains_any(role["singular_counted"], ascii_case_insensitive=True)
    )
    numbers = (
        with_groups(regex_spans(with_numbers, patterns["number"]), patterns["number"])
        .with_columns(
            _after=pl.col("text").str.slice(pl.col("match_end"), _CONTEXT_AFTER),
            _before=text_before(pl.col("match_start"), _CONTEXT_BEFORE),
            lo=pl.coalesce("lo1", "lo2", "lo3"),
            hi=pl.coalesce("hi1", "hi2", "hi3"),
        )
        .with_columns(
            pl.col("_after").str.extract_groups(patterns["noun_after"]).struct.unnest(),
            _previous_word=pl.col("_before")
            .str.extract(r"(\S*)\s*$")
            .str.to_lowercase()
            .str.strip_chars_start("(“\"‘'"),
            _previous_char=pl.col("_before").str.slice(-1),
            _next_word=pl.col("_after").str.extract(r"^\s*(\p{L}[\p{L}’'.-]*)").str.to_lowercase(),
            _next_capitalized=pl.col("_after").str.extract(r"^\s+(\p{Lu}[\p{L}.]*)").str.to_lowercase(),
            _first=pl.coalesce("single", "lo"),
        )
        .collect()
    )
    values = _number_values(pl.concat([numbers["_first"], numbers["hi"]]), vocabulary)
    hedges = vocabulary["figure_hedges"]
    mod_words = pl.col("mods").str.to_lowercase().str.extract_all(r"[\p{L}\d'’-]+")
    noun_found = (
        pl.col("noun").is_not_null()
        & ~mod_words.list.eval(pl.element().is_in(stop_words)).list.any()
        & ~mod_words.list.slice(0, mod_words.list.len() - 1)
        .list.eval(pl.element().is_in(casualty))
        .list.any()
    )
    figures = (
        numbers.lazy()
        .join(values.lazy(), left_on="_first", right_on="number", how="inner")
        .join(
            values.lazy().select("number", hi_value=pl.col("best")),
            left_on="hi",
            right_on="number",
            how="left",
        )
        .with_columns(
            _noun=pl.when(noun_found).then("noun"),
            _mods=pl.when(noun_found).then("mods").otherwise(pl.lit("")),
        )
        .with_columns(_unit=pl.col("_noun").replace_strict(unit_of, default=None))
        .filter(
            ~pl.col("_noun").is_in(role["measure"]).fill_null(False),
            ~pl.col("_previous_word").is_in([*role["reference_prefix"], *months.words()]),
            ~pl.col("_next_capitalized").is_in(months.words()).fill_null(False),
            ~pl.col("_previous_char").str.contains(r"[\p{L}\p{N}$€£¥#/№:+]"),
            ~pl.col("_before").str.contains(r"\d[/.:\-–]$"),
            ~pl.col("_after").str.contains(r"^[/.\-–]\d"),
            ~(
                pl.col("match").str.contains(r"^\d")
                & (pl.col("_before").str.contains(r"\d\s$") | pl.col("_after").str.contains(r"^\s\d"))
            ),
            ~pl.col("_after").str.contains(r"^(?:%|:\d|\s*(?:[ap]\.?m\b|GMT|UTC)|\s+per\s?cent)"),
            ~((pl.col("kind") == "words") & pl.col("_after").str.contains(r"^-\p{L}")),
            ~pl.col("_after")
            .str.extract(r"^-(\p{L}+)")
            .str.to_lowercase()
            .is_in(role["measure"])
            .fill_null(False),
            ~(
                (pl.col("_first").str.to_lowercase() == "one")
                & pl.col("_unit").is_null()
                & ~pl.col("_after").str.to_lowercase().str.contains(casualty_after)
            ),
            ~(
                pl.col("_first").str.contains(r"^\d{4}$")
                & pl.col("best").is_between(1900, 2100)
                & (pl.col("_unit").is_null() | (pl.col("_mods").str.strip_chars() != ""))
            ),
        )
        .with_columns(
            _hedge=pl.col("hedge").str.strip_chars().str.to_lowercase(),
            _elided=pl.col("_unit").is_null()
            & (
                pl.col("_after").str.to_lowercase().str.contains(casualty_after)
                | pl.col("_previous_word").is_in(casualty)
                | pl.col("_before").str.contains(victim_total)
                | pl.col("_before").str.contains(revised_total)
                | pl.col("_after").str.to_lowercase().str.contains(partitive)
            ),
            _end=pl.when(pl.col("_unit").is_not_null())
            .then(pl.col("match_end") + pl.col("tail").str.len_chars().cast(pl.Int32))
            .otherwise(pl.col("match_end")),
        )
        .join(hedges.lazy(), left_on="_hedge", right_on="hedge", how="left")
        .with_columns(
            qualifier=pl.when(pl.col("hi").is_not_null())
            .then(pl.lit("range"))
            .when(pl.col("kind") == "vague")
            .then(pl.lit("vague"))
            .otherwise(pl.col("qualifier").fill_null("exact")),
            step=pl.col("step").fill_null(0),
        )
        .with_columns(
            value_low=pl.when(pl.col("qualifier").is_in(["range", "vague", "exact"]))
            .then("low")
            .otherwise(_bound(pl.col("best"), "low_factor", "floor")),
            value_best=pl.when(pl.col("qualifier") == "range")
            .then((pl.col("low") + pl.col("hi_value")) / 2)
            .when(pl.col("qualifier").is_in(["vague", "exact"]))
            .then("best")
            .otherwise(_bound(pl.col("best"), "best_factor", "round")),
            value_high=pl.when(pl.col("qualifier") == "range")
            .then("hi_value")
            .when(pl.col("qualifier").is_in(["vague", "exact"]))
            .then("high")
            .otherwise(_bound(pl.col("best"), "high_factor", "ceil")),
        )
    )
    articles = (
        with_groups(regex_spans(with_nouns, patterns["article"]), patterns["article"])
        .filter(
            ~pl.col("mods")
            .str.to_lowercase()
            .str.extract_all(r"[\p{L}\d'’-]+")
            .list.eval(
                pl.element().is_in([*stop_words, *role["counted"], *role["singular_counted"]])
                | pl.element().str.contains(r"^\d[\d,.]*$")
            )
            .list.any()
        )
        .with_columns(
            _unit=pl.col("noun").replace_strict(unit_of, default=None),
            _end=pl.col("match_end"),
            qualifier=pl.lit("exact"),
            value_low=pl.lit(1.0),
            value_best=pl.lit(1.0),
            value_high=pl.lit(1.0),
            _next_word=pl.lit(None, pl.String),
            _elided=pl.lit(False),
        )
    )
    columns = [
        "article_id",
        "sentence_no",
        "text",
        "_sentence_start",
        "match_start",
        "_end",
        "_unit",
        "_next_word",
        "_elided",
        "qualifier",
        "value_low",
        "value_best",
        "value_high",
    ]
    elliptical = pl.col("_next_word").is_null() | pl.col("_next_word").is_in(
        [*role["function_word"], *role["conjunction"]]
    )
    return conform(
        pl.concat([figures.select(columns), articles.select(columns)])
        .sort("article_id", "sentence_no", "match_start")
        .with_columns(_run=run_number("article_id", "sentence_no"))
        .with_columns(
            unit=pl.when(pl.col("_elided"))
            .then(
                pl.coalesce(
                    fill_within(pl.when(pl.col("_unit").is_in(person_units)).then("_unit"), "_run"),
                    pl.lit("person"),
                )
            )
            .when(pl.col("_unit").is_null() & elliptical)
            .then(fill_within(pl.col("_unit"), "_run"))
            .otherwise("_unit"),
            surface=pl.col("text").str.slice(pl.col("match_start"), pl.col("_end") - pl.col("match_start")),
            char_start=pl.col("_sentence_start") + pl.col("match_start"),
            char_end=pl.col("_sentence_start") + pl.col("_end"),
            mention_type=pl.lit("figure"),
            match_method=pl.lit("pattern"),
        )
        .filter(pl.col("unit").is_not_null() | (pl.col("qualifier") != "vague"))
        .with_columns(mention_id()),
        MENTION_SCHEMA,
    )
