"""Structural rules of extracted rows, checked per article before anything is written (pure Polars).

`broken_articles(tables, articles)` names every article whose rows break a rule, with the first reason:
- `null_key:<table>` / `duplicate_key:<table>`: a key column (`schema.EXTRACTED_TABLES`) is null, or a key
  value occurs twice;
- `offset_out_of_range:<table>`: char_start / char_end missing, negative, reversed or past the end of
  the article's body.
`hold_back` removes those articles' rows from every table. A held article is recorded in
raw.held_articles and kept out of staging; the other articles of the batch are written as usual.
"""

import polars as pl

from orchestration.extract.schema import EXTRACTED_TABLES

HELD_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
}


def broken_articles(tables: dict[str, pl.DataFrame], articles: pl.DataFrame) -> pl.DataFrame:
    """One row per article (article_id, reason, detail) whose rows in `tables` break a structural rule.

    `articles` has article_id and body (offsets are checked against the body's length).
    """
    lengths = articles.select("article_id", pl.col("body").str.len_chars().alias("_length"))
    problems = [pl.DataFrame(schema=HELD_SCHEMA)]
    for name, frame in tables.items():
        declared = EXTRACTED_TABLES.get(name)
        key = [column for column in declared.key if column in frame.columns] if declared else []
        if key:
            problems.append(
                frame.filter(pl.any_horizontal(pl.col(column).is_null() for column in key)).select(
                    "article_id", pl.lit(f"null_key:{name}").alias("reason"), _describe(key).alias("detail")
                )
            )
            problems.append(
                frame.filter(pl.len().over(key) > 1).select(
                    "article_id",
                    pl.lit(f"duplicate_key:{name}").alias("reason"),
                    _describe(key).alias("detail"),
                )
            )
        if {"char_start", "char_end"} <= set(frame.columns):
            start, end = pl.col("char_start"), pl.col("char_end")
            outside = (
                start.is_null() | end.is_null() | (start < 0) | (end < start) | ~(end <= pl.col("_length"))
            )
            problems.append(
                frame.join(lengths, on="article_id", how="left")
                .filter(outside.fill_null(True))
                .select(
                    "article_id",
                    pl.lit(f"offset_out_of_range:{name}").alias("reason"),
                    pl.format("[{}, {}) in a body of {} characters", start, end, "_length").alias("detail"),
                )
            )
    return (
        pl.concat(problems, how="vertical_relaxed")
        .with_columns(pl.col("detail").fill_null("").str.slice(0, 300))
        .unique("article_id", keep="first", maintain_order=True)
    )


def hold_back(
    tables: dict[str, pl.DataFrame], articles: pl.DataFrame
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """(`tables` without the rows of broken articles, the broken articles as `broken_articles` gives them)."""
    held = broken_articles(tables, articles)
    if held.is_empty():
        return tables, held
    ids = held["article_id"].implode()
    return {name: frame.filter(~pl.col("article_id").is_in(ids)) for name, frame in tables.items()}, held


def _describe(key: list[str]) -> pl.Expr:
    return pl.concat_str(
        [pl.lit(f"{column}=") + pl.col(column).cast(pl.String).fill_null("null") for column in key],
        separator=", ",
    )
