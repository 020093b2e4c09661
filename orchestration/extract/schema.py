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


# Key columns of each extracted table: unique and not null within one extraction (checked per article by
# `integrity.broken_articles` before anything is written). A table not listed has only its offsets checked.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "sentences": ("article_id", "sentence_no"),
    "mentions": ("mention_id",),
    "cues": ("article_id", "char_start", "cue_type", "cue_value"),
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
