"""Column contracts shared by every extractor (see README, warehouse section).

Each extractor returns frames with exactly these columns and dtypes, so they can be concatenated and
written to DuckDB without casting.
"""

import polars as pl

SENTENCE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "paragraph_no": pl.Int32(),
    "sentence_no": pl.Int32(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "text": pl.String(),
    "is_caption": pl.Boolean(),
    "language": pl.String(),
}

MENTION_SCHEMA: dict[str, pl.DataType] = {
    "mention_id": pl.String(),
    "article_id": pl.String(),
    "sentence_no": pl.Int32(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "surface": pl.String(),
    "mention_type": pl.String(),
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
}

CUE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "sentence_no": pl.Int32(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "surface": pl.String(),
    "cue_type": pl.String(),
    "cue_value": pl.String(),
}

# Claims (extract/casualties.py, attacks.py, aggregates.py): typed statements with evidence offsets.
CASUALTY_CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "article_id": pl.String(),
    "incident_no": pl.Int32(),
    "sentence_no": pl.Int32(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "status": pl.String(),
    "count_low": pl.Float64(),
    "count_best": pl.Float64(),
    "count_high": pl.Float64(),
    "qualifier": pl.String(),
    "victim_group": pl.String(),
    "victim_iso3": pl.String(),
    "trigger": pl.String(),
    "trigger_start": pl.Int32(),
    "mention_id": pl.String(),
    "method": pl.String(),
    "is_additive": pl.Boolean(),
    "is_transfer": pl.Boolean(),
    "is_aggregate": pl.Boolean(),
    "revision": pl.String(),
}

ATTACK_CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "incident_no": pl.Int32(),
    "event_date": pl.Date(),
    "date_precision": pl.String(),
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
    "sentence_no": pl.Int32(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "evidence_text": pl.String(),
    "passage_count": pl.Int32(),
    "confidence": pl.Float64(),
}

FIGURE_CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "sentence_no": pl.Int32(),
    "figure_start": pl.Int32(),
    "mention_id": pl.String(),
    "measure": pl.String(),
    "unit": pl.String(),
    "subject_actor_id": pl.String(),
    "subject_name": pl.String(),
    "value_low": pl.Float64(),
    "value_best": pl.Float64(),
    "value_high": pl.Float64(),
    "qualifier": pl.String(),
    "aggregate_marker": pl.String(),
    "is_aggregate": pl.Boolean(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "evidence_text": pl.String(),
    "confidence": pl.Float64(),
}


# one row per (article, sentence, place, contributor) a sentence places (extract/deployments.py)
DEPLOYMENT_CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "article_id": pl.String(),
    "sentence_no": pl.Int32(),
    "contributor_iso3": pl.String(),
    "contributor_source": pl.String(),
    "mission_actor_id": pl.String(),
    "mission_source": pl.String(),
    "unit_type": pl.String(),
    "personnel_type": pl.String(),
    "place_id": pl.String(),
    "place_name": pl.String(),
    "place_char_start": pl.Int32(),
    "personnel_low": pl.Float64(),
    "personnel_best": pl.Float64(),
    "personnel_high": pl.Float64(),
    "as_of_date": pl.Date(),
    "date_precision": pl.String(),
    "as_of_date_source": pl.String(),
    "anchor": pl.String(),
    "evidence_text": pl.String(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "confidence": pl.Float64(),
}

# one row per (article, sentence, contributor, mission) a sentence states (extract/contributions.py)
CONTRIBUTION_CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String(),
    "article_id": pl.String(),
    "sentence_no": pl.Int32(),
    "contributor_iso3": pl.String(),
    "contributor_source": pl.String(),
    "mission_actor_id": pl.String(),
    "mission_source": pl.String(),
    "personnel_low": pl.Float64(),
    "personnel_best": pl.Float64(),
    "personnel_high": pl.Float64(),
    "personnel_type": pl.String(),
    "is_ceiling": pl.Boolean(),
    "assets": pl.List(pl.String()),
    "as_of_date": pl.Date(),
    "date_precision": pl.String(),
    "as_of_date_source": pl.String(),
    "trigger": pl.String(),
    "evidence_text": pl.String(),
    "char_start": pl.Int32(),
    "char_end": pl.Int32(),
    "confidence": pl.Float64(),
}


# Key columns of each extracted table: unique and not null within one extraction (checked per article by
# `integrity.broken_articles` before anything is written). A table not listed has only its offsets checked.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "sentences": ("article_id", "sentence_no"),
    "mentions": ("mention_id",),
    "cues": ("article_id", "char_start", "cue_type", "cue_value"),
    "casualty_claims": ("claim_id",),
    "attack_claims": ("article_id", "incident_no"),
    "figure_claims": ("mention_id",),
    "deployment_claims": ("claim_id",),
    "contribution_claims": ("claim_id",),
}


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
