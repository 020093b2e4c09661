"""An article's incident segmentation: which segments tell which attack (pure Polars).

Two steps.

`find_passages` — one row per segment of a *passage*: a run of neighbouring segments of one paragraph
that carry attack, casualty or attribution cues, with at least one attack trigger or people killed or
wounded (not by accident or illness: "A peacekeeper was killed near Sofara"); a segment that
tells another incident (an offset-date clause, an enumerated item, or an attack trigger with a day or
month date other than the one told before it in the paragraph) starts a run of its own. A run that starts
at most four segments after another one continues it when it has no trigger of its own ("The wounded
were flown to Gao."), names no place and no date ("No group claimed the attack."), or opens with a
definite reference back to the attack or its target and gives no count and no date ("The convoy,
which was bound for Gao, came under fire."; seed incident_phrases, role back_reference), unless an
aggregate segment lies between. Aggregate segments never join a passage. A segment can locate the
attack only when it has a trigger or a casualty claim.

`group_passages` — one incident per group of passages of the article that tell the same attack (a
document about one attack elaborates one incident):
- passages at the same town whose dates agree (or one has none) are one incident (a headline and
  the body);
- a passage placed only at a region ("in the Kidal region") joins the incident of a town of that
  region (the town's admin1) whose date agrees; a passage with no place joins an incident whose date
  agrees — the nearest earlier one, else the nearest later one;
- a passage opening with an ordinal ("In the second attack, …") joins the n-th incident placed at a
  town, in body order; a passage without casualties whose every trigger is a definite reference back
  ("Ansar Dine claimed the attack on Sunday", "the assault was condemned") joins the incident told
  just before it, whatever its date;
- towns that differ, or dates that differ, are different incidents ("two days after gunmen killed
  five people at a market in X", "two separate attacks, one in A and one near B").
"""

import polars as pl

from orchestration.extract.context import phrases
from orchestration.extract.spans import previous_within, run_number

CONTINUATION_WINDOW = 4


def find_passages(
    segments: pl.LazyFrame,
    mentions_by_segment: pl.LazyFrame,
    cues_by_segment: pl.LazyFrame,
    claims: pl.LazyFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> pl.LazyFrame:
    """One row per segment of a passage (module docstring): article_id, passage_no, segment_index,
    can_locate, ordinal (the n of a passage opening with "In the n-th attack"). `mentions_by_segment` and `cues_by_segment` carry segment_index (`context.by_segment`)."""
    openers = "|".join(phrases(vocabulary, "incident_phrases", "back_reference"))
    segment_dates = (
        mentions_by_segment.filter(
            pl.col("mention_type") == "date", pl.col("date_precision").is_in(["day", "month"])
        )
        .group_by("article_id", "segment_index")
        .agg(_date=pl.col("resolved_date").min())
    )
    dated_before = pl.col("_date").forward_fill().shift(1).over("article_id", "paragraph_no")
    relevant = (
        segments.with_columns(
            _aggregates_so_far=pl.col("is_aggregate").cast(pl.Int32).cum_sum().over("article_id")
        )
        .filter(
            pl.col("has_attack_cue") | pl.col("has_casualty_cue") | pl.col("has_attribution_cue"),
            ~pl.col("is_aggregate"),
        )
        .join(segment_dates, on=["article_id", "segment_index"], how="left")
        .sort("article_id", "segment_index")
        .with_columns(
            _run_key=pl.col("segment_index")
            - pl.int_range(pl.len()).over("article_id", "paragraph_no").cast(pl.Int32),
            # a clause about another incident (offset date, enumerated item), or a sentence with its own
            # attack and a date other than the one told before it in the paragraph ("In November 2015,
            # … ambushed near A. In March 2017, a truck hit a mine near B"), starts a run of its own
            _clause_no=(
                (pl.col("segment_kind") != "lead")
                | (pl.col("has_attack_cue") & (pl.col("_date") != dated_before).fill_null(False))
            )
            .cast(pl.Int32)
            .cum_sum()
            .over("article_id"),
        )
        .drop("_date")
    )
    anchors = mentions_by_segment.group_by("article_id", "segment_index").agg(
        _has_place=((pl.col("mention_type") == "place") & pl.col("entity_id").is_not_null()).any(),
        _has_date=(
            (pl.col("mention_type") == "date") & pl.col("date_precision").is_in(["day", "month"])
        ).any(),
    )
    back_cues = (
        cues_by_segment.filter(pl.col("cue_type").is_in(["target", "attack_trigger", "weapon"]))
        .join(
            segments.select("article_id", "segment_index", pl.col("char_start").alias("_segment_start")),
            on=["article_id", "segment_index"],
        )
        .filter((pl.col("char_start") - pl.col("_segment_start")).is_between(4, 20))
        .select("article_id", "segment_index", _back_cue=pl.lit(True))
        .unique()
    )
    runs = (
        relevant.join(anchors, on=["article_id", "segment_index"], how="left")
        .join(back_cues, on=["article_id", "segment_index"], how="left")
        .sort("article_id", "segment_index")
        .group_by("article_id", "paragraph_no", "_run_key", "_clause_no", maintain_order=True)
        .agg(
            first_segment=pl.col("segment_index").min(),
            last_segment=pl.col("segment_index").max(),
            has_trigger=(pl.col("has_attack_cue") | (pl.col("segment_kind") == "ordinal")).any(),
            _tells_attack=(pl.col("has_attack_cue") | pl.col("has_casualty_trigger")).any(),
            _is_ordinal=(pl.col("segment_kind") == "ordinal").first(),
            aggregates_so_far=pl.col("_aggregates_so_far").max(),
            is_anchored=(pl.col("_has_place").fill_null(False) | pl.col("_has_date").fill_null(False)).any(),
            opens_with_back_reference=(
                pl.col("text").str.contains(rf"^(?:{openers})\s")
                & ~pl.col("has_casualty_cue")
                & ~pl.col("_has_date").fill_null(False)
                & pl.col("_back_cue").fill_null(False)
            ).first(),
        )
        .sort("article_id", "first_segment")
        .with_columns(
            _continues=~pl.col("_is_ordinal")
            & (~pl.col("has_trigger") | ~pl.col("is_anchored") | pl.col("opens_with_back_reference"))
            & (
                pl.col("last_segment").shift(1).over("article_id")
                >= pl.col("first_segment") - CONTINUATION_WINDOW
            ).fill_null(False)
            & (
                pl.col("aggregates_so_far").shift(1).over("article_id") == pl.col("aggregates_so_far")
            ).fill_null(False)
        )
        .with_columns(passage_no=(~pl.col("_continues")).cast(pl.Int32).cum_sum().over("article_id"))
        .filter(pl.col("_tells_attack").any().over("article_id", "passage_no"))
    )
    located = (
        claims.filter(~pl.col("is_aggregate"))
        .select("article_id", "segment_index")
        .unique()
        .with_columns(_claim=pl.lit(True))
    )
    return (
        relevant.join(
            runs.select("article_id", "paragraph_no", "_run_key", "_clause_no", "passage_no"),
            on=["article_id", "paragraph_no", "_run_key", "_clause_no"],
        )
        .join(located, on=["article_id", "segment_index"], how="left")
        .select(
            "article_id",
            "passage_no",
            "segment_index",
            can_locate=pl.col("has_attack_cue") | pl.col("_claim").fill_null(False),
            ordinal=pl.col("ordinal").first().over("article_id", "passage_no"),
        )
        .sort("article_id", "segment_index")
    )


def _dates_agree(left: str, right: str) -> pl.Expr:
    """Dates of two passages agree: their periods overlap (a day inside "early January"), or one side
    has none."""
    left_start, right_start = pl.col(f"{left}event_date"), pl.col(f"{right}event_date")
    left_end, right_end = pl.col(f"{left}date_end"), pl.col(f"{right}date_end")
    overlap = (left_start <= right_end) & (right_start <= left_end)
    return left_start.is_null() | right_start.is_null() | overlap


def group_passages(passages: pl.LazyFrame) -> pl.LazyFrame:
    """incident_no per passage (module docstring). `passages`: one row per passage with article_id,
    passage_no, place_id, place_level (town / region / country / null), region (admin1 the passage's place stands
    for), event_date, date_end (the last day of the date's period), ordinal, is_reference. Output: article_id, passage_no, incident_no (1-based, body order)."""
    # only a passage after an incident can refer back to it
    passages = passages.sort("article_id", "passage_no").with_columns(
        is_reference=pl.col("is_reference")
        & ((~pl.col("is_reference")).cast(pl.Int32).cum_sum().over("article_id") > 0)
    )
    told = passages.filter(~pl.col("is_reference"))
    towns = told.filter(pl.col("place_level") == "town").select(
        "article_id", "passage_no", "place_id", "admin1", "event_date", "date_end"
    )
    other = towns.rename(
        {name: f"o_{name}" for name in ("passage_no", "place_id", "admin1", "event_date", "date_end")}
    )
    town_roots = (
        towns.join(other, left_on=["article_id", "place_id"], right_on=["article_id", "o_place_id"])
        .filter(pl.col("o_passage_no") <= pl.col("passage_no"), _dates_agree("", "o_"))
        .group_by("article_id", "passage_no")
        .agg(root=pl.col("o_passage_no").min())
    )
    loose = told.filter(
        pl.col("place_level").is_null() | (pl.col("place_level") != "town"), pl.col("ordinal").is_null()
    )
    placeless = pl.col("place_level").is_null() | (pl.col("place_level") == "country")
    attached = (
        loose.select("article_id", "passage_no", "place_level", "region", "event_date", "date_end")
        .join(other, on="article_id")
        .filter(
            _dates_agree("", "o_"),
            placeless | (pl.col("region") == pl.col("o_admin1")),
        )
        .with_columns(
            _later=pl.col("o_passage_no") > pl.col("passage_no"),
            _distance=(pl.col("o_passage_no") - pl.col("passage_no")).abs(),
        )
        .sort("article_id", "passage_no", "_later", "_distance")
        .unique(["article_id", "passage_no"], keep="first")
        .select("article_id", "passage_no", target=pl.col("o_passage_no"))
        .join(town_roots.rename({"passage_no": "target"}), on=["article_id", "target"])
        .select("article_id", "passage_no", "root")
    )
    listed = (
        town_roots.select("article_id", "root")
        .unique()
        .sort("article_id", "root")
        .with_columns(ordinal=(pl.int_range(pl.len()).over("article_id") + 1).cast(pl.Int32))
    )
    referred = (
        passages.filter(pl.col("ordinal").is_not_null())
        .select("article_id", "passage_no", "ordinal")
        .join(listed, on=["article_id", "ordinal"])
        .select("article_id", "passage_no", "root")
    )
    roots = (
        passages.select("article_id", "passage_no", "is_reference")
        .join(pl.concat([town_roots, attached, referred]), on=["article_id", "passage_no"], how="left")
        .with_columns(root=pl.coalesce("root", "passage_no"))
        .sort("article_id", "passage_no")
    )
    # a passage that only refers back to the attack ("X claimed the attack on Sunday") joins the
    # incident told just before it
    back = previous_within(pl.when(~pl.col("is_reference")).then(pl.col("root")), "_article_run")
    return (
        roots.with_columns(_article_run=run_number("article_id"))
        .with_columns(root=pl.when(pl.col("is_reference")).then(pl.coalesce(back, "root")).otherwise("root"))
        .sort("article_id", "root", "passage_no")
        .with_columns(incident_no=run_number("article_id", "root").cast(pl.Int32))
        .with_columns(
            incident_no=(pl.col("incident_no") - pl.col("incident_no").min().over("article_id") + 1).cast(
                pl.Int32
            )
        )
        .select("article_id", "passage_no", "incident_no")
        .sort("article_id", "passage_no")
    )
