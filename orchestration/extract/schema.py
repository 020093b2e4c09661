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


def conform(frame: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Select `schema`'s columns in order, casting each and filling absent ones with typed nulls."""
    present = set(frame.collect_schema().names())
    return frame.select(
        [
            (pl.col(name) if name in present else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
