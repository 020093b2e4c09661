"""Aggregate figure claims: figure statements that are not one incident's casualty count (pure Polars).

Grain of `find_figure_claims`: one row per figure mention that states an aggregate casualty total
("34 peacekeepers killed since 2013"), a force size or ceiling ("an authorized limit of about 12,000
troops"), or an equipment count. A figure qualifies when it counts people or equipment (seed
unit_classes person / person_anaphor / asset), or has no counted noun in a sentence with an aggregate
marker ("has netted about 9,200 till now"); munitions, formations and distances never do, nor a lone
person or thing outside an aggregate or casualty statement, nor a casualty count of a sentence that
tells an attack incident (those belong to the attack claims).

measure: the casualty status of a casualty count, else authorized_strength (marker ceiling),
peak_strength (marker peak), asset_count (equipment) or personnel_strength. subject: the actor named
nearest to the figure, before it first. period: the date mention nearest to the figure; it ends at
publication for running totals ("since", "so far"), at the date's end, or at the end of its month or
year. Evidence is the sentence.
"""

import polars as pl

from orchestration.extract.schema import FIGURE_CLAIM_SCHEMA


def _nearest(figures: pl.LazyFrame, others: pl.LazyFrame, order: list[pl.Expr]) -> pl.LazyFrame:
    """For each figure, the row of `others` in its sentence first in `order` (expressions over both)."""
    return (
        figures.select("mention_id", "article_id", "sentence_no", pl.col("char_start").alias("_figure_start"))
        .join(others, on=["article_id", "sentence_no"])
        .sort(["mention_id", *order])
        .unique("mention_id", keep="first")
    )


def find_figure_claims(
    sentences: pl.LazyFrame,
    segments: pl.LazyFrame,
    mentions: pl.LazyFrame,
    cues: pl.LazyFrame,
    claims: pl.LazyFrame,
    attack_sentences: pl.LazyFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> pl.LazyFrame:
    """Figure claims (FIGURE_CLAIM_SCHEMA); module docstring. `claims`: casualty claims; `attack_sentences`:
    (article_id, sentence_no) of the sentences telling a kept attack incident."""
    classes = vocabulary["unit_classes"].select("unit", "unit_class").lazy()
    sentence_flags = segments.group_by("article_id", "sentence_no").agg(
        is_aggregate=pl.col("is_aggregate").any(),
        has_aggregate_cue=pl.col("has_aggregate_cue").any(),
        published_date=pl.col("published_date").first(),
    )
    casualty = claims.filter(pl.col("mention_id").is_not_null()).select(
        "mention_id", casualty_status="status"
    )
    in_attack = attack_sentences.unique().with_columns(_in_attack=pl.lit(True))
    figures = (
        mentions.filter(pl.col("mention_type") == "figure")
        .join(classes, on="unit", how="left")
        .join(sentence_flags, on=["article_id", "sentence_no"])
        .join(casualty, on="mention_id", how="left")
        .join(in_attack, on=["article_id", "sentence_no"], how="left")
        .filter(
            pl.col("unit_class").is_in(["person", "person_anaphor", "asset"]).fill_null(False)
            | (pl.col("unit").is_null() & pl.col("has_aggregate_cue")),
            (pl.col("value_best") >= 2) | pl.col("is_aggregate") | pl.col("casualty_status").is_not_null(),
            ~(
                pl.col("casualty_status").is_not_null()
                & ~pl.col("is_aggregate")
                & pl.col("_in_attack").fill_null(False)
            ),
        )
    )
    distance = (pl.col("char_start") - pl.col("_figure_start")).abs()
    markers = _nearest(
        figures,
        cues.filter(pl.col("cue_type") == "aggregate").select(
            "article_id", "sentence_no", "char_start", "cue_value"
        ),
        [distance],
    ).select("mention_id", aggregate_marker="cue_value")
    subjects = _nearest(
        figures,
        mentions.filter(
            pl.col("mention_type") == "actor",
            pl.col("entity_id").is_not_null(),
            pl.col("actor_type").fill_null("") != "person",
        ).select("article_id", "sentence_no", "char_start", "entity_id", "canonical_name"),
        [pl.col("char_start") >= pl.col("_figure_start"), distance],
    ).select("mention_id", subject_actor_id="entity_id", subject_name="canonical_name")
    periods = _nearest(
        figures,
        mentions.filter(pl.col("mention_type") == "date", pl.col("resolved_date").is_not_null()).select(
            "article_id",
            "sentence_no",
            "char_start",
            "resolved_date",
            "date_end",
            pl.col("date_precision").alias("period_precision"),
        ),
        [distance],
    ).select(
        "mention_id",
        period_start="resolved_date",
        _period_date_end="date_end",
        _period_precision="period_precision",
    )
    evidence = sentences.select("article_id", "sentence_no", "char_start", "char_end", "text")
    return (
        figures.join(markers, on="mention_id", how="left")
        .join(subjects, on="mention_id", how="left")
        .join(periods, on="mention_id", how="left")
        .rename({"char_start": "figure_start"})
        .drop("char_end", "text", strict=False)
        .join(evidence, on=["article_id", "sentence_no"])
        .with_columns(
            measure=pl.when(pl.col("casualty_status").is_not_null())
            .then("casualty_status")
            .when(pl.col("aggregate_marker") == "ceiling")
            .then(pl.lit("authorized_strength"))
            .when(pl.col("aggregate_marker") == "peak")
            .then(pl.lit("peak_strength"))
            .when(pl.col("unit_class") == "asset")
            .then(pl.lit("asset_count"))
            .otherwise(pl.lit("personnel_strength")),
            period_end=pl.when(pl.col("period_start").is_null())
            .then(None)
            .when(pl.col("aggregate_marker").is_in(["since", "so_far"]))
            .then(pl.col("published_date"))
            .when(pl.col("_period_date_end").is_not_null())
            .then(pl.col("_period_date_end"))
            .when(pl.col("_period_precision") == "year")
            .then(pl.col("period_start").dt.offset_by("11mo").dt.month_end())
            .when(pl.col("_period_precision") == "month")
            .then(pl.col("period_start").dt.month_end())
            .otherwise(pl.col("period_start")),
            evidence_text=pl.col("text"),
            confidence=(
                0.4
                + pl.col("subject_actor_id").is_not_null().cast(pl.Float64) * 0.2
                + (pl.col("aggregate_marker").is_not_null() | pl.col("period_start").is_not_null()).cast(
                    pl.Float64
                )
                * 0.2
                + pl.col("unit").is_not_null().cast(pl.Float64) * 0.2
            ).round(2),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in FIGURE_CLAIM_SCHEMA.items()])
        .sort("article_id", "figure_start")
    )
