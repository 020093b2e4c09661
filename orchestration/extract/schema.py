"""Column contracts shared by every extractor (see README, warehouse section): the one declaration of
each raw table the extract step writes (`EXTRACTED_TABLES`).

Each extractor returns frames with exactly these columns and dtypes, so they can be concatenated and
written to DuckDB without casting; the raw DDL and the Dagster asset descriptions are derived from here.
"""

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class NotNull:
    """A column the raw table declares `not null`."""

    dtype: pl.DataType


@dataclass(frozen=True)
class ExtractedTable:
    """A raw table the extract step writes: its grain (the description), columns in order with their
    types, and key (unique and not null within one extraction; `primary_key`: also the DuckDB primary key).
    The raw DDL (`warehouse.raw`) and the Dagster asset descriptions (`defs.extract`) are derived from it."""

    description: str
    columns: dict[str, pl.DataType | NotNull]
    key: tuple[str, ...]
    primary_key: bool = False

    @property
    def schema(self) -> dict[str, pl.DataType]:
        """Column name → Polars type, in table order."""
        return {name: getattr(column, "dtype", column) for name, column in self.columns.items()}


SENTENCES = ExtractedTable(
    "One row per sentence of a current article (offsets into the body).",
    {
        "article_id": NotNull(pl.String()),
        "paragraph_no": NotNull(pl.Int32()),
        "sentence_no": NotNull(pl.Int32()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "text": NotNull(pl.String()),
        "is_caption": NotNull(pl.Boolean()),
        "language": NotNull(pl.String()),
    },
    key=("article_id", "sentence_no"),
    primary_key=True,
)

MENTIONS = ExtractedTable(
    "One row per resolved mention of an actor, place, figure or date.",
    {
        "mention_id": NotNull(pl.String()),
        "article_id": NotNull(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "surface": NotNull(pl.String()),
        "mention_type": NotNull(pl.String()),
        "entity_id": pl.String(),
        "canonical_name": pl.String(),
        "actor_type": pl.String(),
        "country_iso3": pl.String(),
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
        "admin1": pl.String(),
        "place_type": pl.String(),
        "value_low": pl.Float64(),
        "value_best": pl.Float64(),
        "value_high": pl.Float64(),
        "qualifier": pl.String(),
        "unit": pl.String(),
        "resolved_date": pl.Date(),
        "date_end": pl.Date(),
        "date_precision": pl.String(),
        "match_method": pl.String(),
    },
    key=("mention_id",),
)

CUES = ExtractedTable(
    "One row per cue word (attack trigger, casualty verb, weapon, unit type …).",
    {
        "article_id": NotNull(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "surface": NotNull(pl.String()),
        "cue_type": NotNull(pl.String()),
        "cue_value": pl.String(),
    },
    key=("article_id", "char_start", "cue_type", "cue_value"),
)

# Claims: typed statements with evidence offsets.
# extract/casualties.py
CASUALTY_CLAIMS = ExtractedTable(
    "One row per casualty statement (killed/wounded, count bounds, victims, trigger).",
    {
        "claim_id": NotNull(pl.String()),
        "article_id": NotNull(pl.String()),
        "incident_no": pl.Int32(),
        "sentence_no": NotNull(pl.Int32()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "status": NotNull(pl.String()),
        "count_low": pl.Float64(),
        "count_best": pl.Float64(),
        "count_high": pl.Float64(),
        "qualifier": pl.String(),
        "victim_group": pl.String(),
        "victim_iso3": pl.String(),
        "trigger": NotNull(pl.String()),
        "trigger_start": NotNull(pl.Int32()),
        "mention_id": pl.String(),
        "method": NotNull(pl.String()),
        "is_additive": NotNull(pl.Boolean()),
        "is_transfer": NotNull(pl.Boolean()),
        "is_aggregate": NotNull(pl.Boolean()),
        "revision": pl.String(),
    },
    key=("claim_id",),
)

# extract/attacks.py
ATTACK_CLAIMS = ExtractedTable(
    "One row per attack incident an article tells (place, date, perpetrator, counts, evidence).",
    {
        "article_id": NotNull(pl.String()),
        "incident_no": NotNull(pl.Int32()),
        "event_date": pl.Date(),
        "date_precision": NotNull(pl.String()),
        "place_id": pl.String(),
        "place_name": pl.String(),
        "place_level": pl.String(),
        "admin1": pl.String(),
        "country_iso3": pl.String(),
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
        "perpetrator_actor_id": pl.String(),
        "perpetrator_name": pl.String(),
        "perpetrator_attribution": pl.String(),
        "target": pl.String(),
        "weapons": pl.List(pl.String()),
        "killed_low": pl.Float64(),
        "killed_best": pl.Float64(),
        "killed_high": pl.Float64(),
        "wounded_low": pl.Float64(),
        "wounded_best": pl.Float64(),
        "wounded_high": pl.Float64(),
        "victim_nationalities": pl.List(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "evidence_text": NotNull(pl.String()),
        "passage_count": NotNull(pl.Int32()),
        "confidence": NotNull(pl.Float64()),
    },
    key=("article_id", "incident_no"),
)

# extract/aggregates.py
FIGURE_CLAIMS = ExtractedTable(
    "One row per aggregate figure statement (totals, strengths, equipment counts).",
    {
        "article_id": NotNull(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "figure_start": NotNull(pl.Int32()),
        "mention_id": NotNull(pl.String()),
        "measure": NotNull(pl.String()),
        "unit": pl.String(),
        "subject_actor_id": pl.String(),
        "subject_name": pl.String(),
        "value_low": pl.Float64(),
        "value_best": pl.Float64(),
        "value_high": pl.Float64(),
        "qualifier": pl.String(),
        "aggregate_marker": pl.String(),
        "is_aggregate": NotNull(pl.Boolean()),
        "period_start": pl.Date(),
        "period_end": pl.Date(),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "evidence_text": NotNull(pl.String()),
        "confidence": NotNull(pl.Float64()),
    },
    key=("mention_id",),
)

# extract/deployments.py
DEPLOYMENT_CLAIMS = ExtractedTable(
    "One row per (article, sentence, place, contributor) a sentence places (a deployment).",
    {
        "claim_id": NotNull(pl.String()),
        "article_id": NotNull(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "contributor_iso3": pl.String(),
        "contributor_source": NotNull(pl.String()),
        "mission_actor_id": pl.String(),
        "mission_source": pl.String(),
        "unit_type": pl.String(),
        "personnel_type": pl.String(),
        "place_id": NotNull(pl.String()),
        "place_name": pl.String(),
        "place_char_start": NotNull(pl.Int32()),
        "personnel_low": pl.Float64(),
        "personnel_best": pl.Float64(),
        "personnel_high": pl.Float64(),
        "as_of_date": pl.Date(),
        "date_precision": NotNull(pl.String()),
        "as_of_date_source": NotNull(pl.String()),
        "anchor": NotNull(pl.String()),
        "evidence_text": NotNull(pl.String()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "confidence": NotNull(pl.Float64()),
    },
    key=("claim_id",),
    primary_key=True,
)

# extract/contributions.py
CONTRIBUTION_CLAIMS = ExtractedTable(
    "One row per (article, sentence, contributor, mission) a sentence states (a contribution).",
    {
        "claim_id": NotNull(pl.String()),
        "article_id": NotNull(pl.String()),
        "sentence_no": NotNull(pl.Int32()),
        "contributor_iso3": NotNull(pl.String()),
        "contributor_source": NotNull(pl.String()),
        "mission_actor_id": NotNull(pl.String()),
        "mission_source": NotNull(pl.String()),
        "personnel_low": pl.Float64(),
        "personnel_best": pl.Float64(),
        "personnel_high": pl.Float64(),
        "personnel_type": pl.String(),
        "is_ceiling": NotNull(pl.Boolean()),
        "assets": NotNull(pl.List(pl.String())),
        "as_of_date": pl.Date(),
        "date_precision": NotNull(pl.String()),
        "as_of_date_source": NotNull(pl.String()),
        "trigger": NotNull(pl.String()),
        "evidence_text": NotNull(pl.String()),
        "char_start": NotNull(pl.Int32()),
        "char_end": NotNull(pl.Int32()),
        "confidence": NotNull(pl.Float64()),
    },
    key=("claim_id",),
    primary_key=True,
)

# raw table name → declaration, in the order the extract step returns them
EXTRACTED_TABLES: dict[str, ExtractedTable] = {
    "sentences": SENTENCES,
    "mentions": MENTIONS,
    "cues": CUES,
    "casualty_claims": CASUALTY_CLAIMS,
    "attack_claims": ATTACK_CLAIMS,
    "figure_claims": FIGURE_CLAIMS,
    "deployment_claims": DEPLOYMENT_CLAIMS,
    "contribution_claims": CONTRIBUTION_CLAIMS,
}

SENTENCE_SCHEMA = SENTENCES.schema
MENTION_SCHEMA = MENTIONS.schema
CUE_SCHEMA = CUES.schema
CASUALTY_CLAIM_SCHEMA = CASUALTY_CLAIMS.schema
ATTACK_CLAIM_SCHEMA = ATTACK_CLAIMS.schema
FIGURE_CLAIM_SCHEMA = FIGURE_CLAIMS.schema
DEPLOYMENT_CLAIM_SCHEMA = DEPLOYMENT_CLAIMS.schema
CONTRIBUTION_CLAIM_SCHEMA = CONTRIBUTION_CLAIMS.schema


def mention_id() -> pl.Expr:
    """The `mention_id` column: article_id:char_start:char_end:mention_type. With overlaps resolved
    leftmost-longest per type (`spans.leftmost_longest`) a (start, type) pair is already unique; the end
    keeps ids unique even for spans that share a start."""
    return pl.format("{}:{}:{}:{}", "article_id", "char_start", "char_end", "mention_type").alias(
        "mention_id"
    )


def conform(frame: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Select `schema`'s columns in order, casting each and filling absent ones with typed nulls."""
    present = set(frame.collect_schema().names())
    return frame.select(
        [
            (pl.col(name) if name in present else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
