"""Sentence context shared by the claim extractors: incident segments and their cue flags (pure Polars).

A *segment* is a sentence, or a part of one that tells another incident than the words before it:
- a clause opened by an offset date ("…, two days after gunmen killed five people at a market in X"):
  the date mention (seed `incident_phrases.csv`, roles retrospective_unit / retrospective_direction)
  starts a new segment unless it opens the sentence;
- the items of an enumeration ("two separate attacks, one in A and one near B"; role enumerator), when
  a sentence holds at least two: each item starts a segment and inherits the sentence's attack cue;
- a sentence opening with an ordinal reference ("In the first attack, …", "In the second, …"; role
  ordinal) is a segment of kind ordinal that tells the n-th incident the article listed.

Grain of `segment_context`: one row per segment of an English sentence, with the flags the claim
extractors filter on (attack, casualty, attribution, aggregate cues) and the sentence's aggregate flag:
a sentence is aggregate when it names a period (year or range date: "in 2014", "since 2013") or carries
an aggregate marker ("so far", "this year", "since"), unless neither can scope a count of people (the
sentence names a day date and counts no people: "30 rockets hit the camp on Friday, the heaviest
shelling this year").
"""

from functools import cache
from pathlib import Path

import polars as pl

from orchestration.extract.spans import alternation, dateline_length, regex_spans
from orchestration.settings import SEEDS_DIR

CLAIM_SEEDS = (
    "cue_terms",
    "weapons",
    "unit_classes",
    "broad_place_types",
    "casualty_phrases",
    "incident_phrases",
    "figure_terms",
)


@cache
def load_claim_vocabulary(seeds_dir: Path = SEEDS_DIR) -> dict[str, pl.DataFrame]:
    """The seeds the claim extractors read (CLAIM_SEEDS), keyed by file stem."""
    return {name: pl.read_csv(seeds_dir / f"{name}.csv", infer_schema=False) for name in CLAIM_SEEDS}


def phrases(vocabulary: dict[str, pl.DataFrame], seed: str, role: str) -> list[str]:
    """Phrases of one role of a phrase seed (casualty_phrases / incident_phrases)."""
    frame = vocabulary[seed]
    return frame.filter(pl.col("role") == role)["phrase"].to_list()


def by_segment(frame: pl.LazyFrame, segments: pl.LazyFrame) -> pl.LazyFrame:
    """`frame` (rows with article_id and char_start) with the segment_index of the segment holding
    char_start; rows outside every segment (French sentences, trimmed ends) are dropped."""
    keys = segments.select(
        "article_id",
        pl.col("char_start").alias("_segment_start"),
        pl.col("char_end").alias("_segment_end"),
        "segment_index",
    )
    return (
        frame.sort("char_start")
        .join_asof(
            keys.sort("_segment_start"),
            left_on="char_start",
            right_on="_segment_start",
            by="article_id",
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("char_start") < pl.col("_segment_end"))
        .drop("_segment_start", "_segment_end")
    )


def _boundaries(
    sentences: pl.LazyFrame, mentions: pl.LazyFrame, vocabulary: dict[str, pl.DataFrame]
) -> pl.LazyFrame:
    """Segment starts: every sentence start, offset dates that do not open their sentence, the items of
    enumerations with at least two items, and running totals inside a sentence (", bringing to 128 the
    number of peacekeepers killed": an aggregate clause of its own)."""
    units = alternation(phrases(vocabulary, "incident_phrases", "retrospective_unit"))
    directions = alternation(phrases(vocabulary, "incident_phrases", "retrospective_direction"))
    retrospective = rf"(?i)\b(?:{units})\s+(?:{directions})\b"
    starts = sentences.select(
        "article_id",
        "sentence_no",
        pl.col("char_start").alias("boundary"),
        pl.lit("lead").alias("segment_kind"),
    )
    offsets = (
        mentions.filter(pl.col("mention_type") == "date", pl.col("surface").str.contains(retrospective))
        .join(
            sentences.select(
                "article_id", "sentence_no", pl.col("char_start").alias("_sentence_start"), "text"
            ),
            on=["article_id", "sentence_no"],
        )
        .filter(
            pl.col("text")
            .str.slice(0, pl.col("char_start") - pl.col("_sentence_start"))
            .str.contains(r"[\p{L}\p{N}]")
        )
        .select(
            "article_id",
            "sentence_no",
            pl.col("char_start").alias("boundary"),
            pl.lit("retrospective").alias("segment_kind"),
        )
    )
    enumerator = rf"\b(?:{alternation(phrases(vocabulary, 'incident_phrases', 'enumerator'))})\b"
    items = (
        regex_spans(sentences.select("article_id", "sentence_no", "char_start", "text"), enumerator)
        .filter(pl.len().over("article_id", "sentence_no") >= 2)
        .select(
            "article_id",
            "sentence_no",
            (pl.col("char_start") + pl.col("match_start")).alias("boundary"),
            pl.lit("enumerated").alias("segment_kind"),
        )
    )
    running = (
        rf"(?i)[,;]\s+(?:(?:the|this|their|his|her|its)\s+\w+\s+)?"
        rf"(?:{alternation(phrases(vocabulary, 'casualty_phrases', 'running_total'))})\b"
    )
    totals = (
        regex_spans(sentences.select("article_id", "sentence_no", "char_start", "text"), running)
        .select(
            "article_id",
            "sentence_no",
            (pl.col("char_start") + pl.col("match_start") + 1).alias("boundary"),
            pl.lit("running_total").alias("segment_kind"),
        )
    )
    return (
        pl.concat([starts, offsets, items, totals])
        .unique(["article_id", "boundary"], keep="first")
        .sort("article_id", "boundary")
    )


def segment_context(
    sentences: pl.LazyFrame,
    articles: pl.LazyFrame,
    mentions: pl.LazyFrame,
    cues: pl.LazyFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> pl.LazyFrame:
    """One row per segment of an English sentence (module docstring): article_id, paragraph_no,
    sentence_no, segment_index (article-wide, body order), segment_kind (lead / retrospective / running_total /
    enumerated / ordinal), ordinal (the n of an ordinal segment), char_start, char_end (body offsets), text (the segment), sentence_start, sentence_text,
    dateline_end (body offset where a dateline ends, else the sentence start), published_date,
    published_precision and the flags has_attack_cue, has_casualty_cue, has_casualty_trigger (killed or
    wounded, not by accident or illness), has_attribution_cue, has_aggregate_cue, is_aggregate."""
    english = sentences.filter(pl.col("language") == "en")
    segments = (
        _boundaries(english, mentions, vocabulary)
        .join(
            english.select(
                "article_id",
                "sentence_no",
                "paragraph_no",
                "is_caption",
                pl.col("char_start").alias("sentence_start"),
                pl.col("char_end").alias("sentence_end"),
                pl.col("text").alias("sentence_text"),
            ),
            on=["article_id", "sentence_no"],
        )
        .sort("article_id", "boundary")
        .with_columns(
            char_start=pl.col("boundary"),
            char_end=pl.when(pl.col("sentence_no").shift(-1).over("article_id") == pl.col("sentence_no"))
            .then(pl.col("boundary").shift(-1).over("article_id"))
            .otherwise(pl.col("sentence_end")),
            segment_index=pl.int_range(pl.len()).over("article_id").cast(pl.Int32),
        )
        .with_columns(
            text=pl.col("sentence_text").str.slice(
                pl.col("char_start") - pl.col("sentence_start"), pl.col("char_end") - pl.col("char_start")
            )
        )
        .with_columns(
            char_end=pl.col("char_end")
            - (pl.col("text").str.len_chars() - pl.col("text").str.strip_chars_end(" ,;").str.len_chars()),
            text=pl.col("text").str.strip_chars_end(" ,;"),
            dateline_end=pl.col("sentence_start") + dateline_length(pl.col("sentence_text")),
        )
        .drop("boundary", "sentence_end")
    )
    ordinals = vocabulary["incident_phrases"].filter(pl.col("role") == "ordinal")
    ordinal_word = pl.col("text").str.extract(
        rf"(?i)^(?:(?:in|during)\s+)?the\s+({alternation(ordinals['phrase'].to_list())})\b(?:\s+\w+)?\s*[,:]",
        1,
    )
    segments = segments.with_columns(
        ordinal=pl.when(pl.col("segment_kind") == "lead")
        .then(
            ordinal_word.str.to_lowercase().replace_strict(
                dict(zip(ordinals["phrase"], ordinals["value"], strict=True)), default=None
            )
        )
        .cast(pl.Int32)
    ).with_columns(
        segment_kind=pl.when(pl.col("ordinal").is_not_null())
        .then(pl.lit("ordinal"))
        .otherwise("segment_kind")
    )
    weapons = vocabulary["weapons"].filter(pl.col("implies_attack") == "true")["weapon"].to_list()
    cue_flags = (
        by_segment(cues.select("article_id", "char_start", "cue_type", "cue_value"), segments)
        .group_by("article_id", "segment_index")
        .agg(
            has_attack_cue=(
                (pl.col("cue_type") == "attack_trigger")
                | ((pl.col("cue_type") == "weapon") & pl.col("cue_value").is_in(weapons))
            ).any(),
            has_casualty_cue=pl.col("cue_type").is_in(["killed", "wounded"]).any(),
            has_attribution_cue=(pl.col("cue_type") == "attribution").any(),
            has_aggregate_cue=(pl.col("cue_type") == "aggregate").any(),
        )
    )
    people = (
        vocabulary["unit_classes"]
        .filter(pl.col("unit_class").is_in(["person", "person_anaphor"]))["unit"]
        .to_list()
    )
    sentence_flags = mentions.group_by("article_id", "sentence_no").agg(
        has_period_date=(
            (pl.col("mention_type") == "date") & pl.col("date_precision").is_in(["year", "range"])
        ).any(),
        has_day_date=((pl.col("mention_type") == "date") & (pl.col("date_precision") == "day")).any(),
        counts_people=(
            (pl.col("mention_type") == "figure") & pl.col("unit").is_in(people).fill_null(False)
        ).any(),
    )
    flag_names = ["has_attack_cue", "has_casualty_cue", "has_attribution_cue", "has_aggregate_cue"]
    non_hostile = alternation(phrases(vocabulary, "incident_phrases", "non_hostile"))
    return (
        segments.join(cue_flags, on=["article_id", "segment_index"], how="left")
        .with_columns([pl.col(name).fill_null(False) for name in flag_names])
        .with_columns(
            # an enumerated item is one of the attacks its sentence announces
            has_attack_cue=pl.col("has_attack_cue")
            | (
                (pl.col("segment_kind") == "enumerated")
                & pl.col("has_attack_cue").any().over("article_id", "sentence_no")
            ),
            # people killed or wounded are victims of an attack unless the sentence tells an accident or
            # an illness: such a segment tells an attack even without an attack word of its own
            has_casualty_trigger=pl.col("has_casualty_cue")
            & ~pl.col("sentence_text").str.to_lowercase().str.contains(rf"\b(?:{non_hostile})\b"),
            _sentence_aggregate_cue=pl.col("has_aggregate_cue").any().over("article_id", "sentence_no"),
            _has_running_total=(pl.col("segment_kind") == "running_total").any().over("article_id", "sentence_no"),
        )
        .join(sentence_flags, on=["article_id", "sentence_no"], how="left")
        .with_columns(
            # a sentence with a running-total clause is judged clause by clause (the clause is aggregate,
            # the attack before it is not); any other sentence as a whole
            is_aggregate=pl.when(pl.col("_has_running_total"))
            .then((pl.col("segment_kind") == "running_total") | pl.col("has_aggregate_cue"))
            .otherwise(
                (pl.col("has_period_date").fill_null(False) | pl.col("_sentence_aggregate_cue"))
                & (pl.col("counts_people").fill_null(False) | ~pl.col("has_day_date").fill_null(False))
            )
        )
        .drop("has_period_date", "has_day_date", "counts_people", "_sentence_aggregate_cue", "_has_running_total")
        .join(
            articles.select("article_id", "published_date", "published_precision"),
            on="article_id",
            how="left",
        )
        .sort("article_id", "segment_index")
    )
