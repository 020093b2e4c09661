"""Regex matches with character offsets, vectorized (shared by the sentence, figure and date steps).

Polars reports byte offsets, and only for the first match; Python slices and SQL `substr` count
characters. `regex_spans` wraps every match in a marker with one `replace_all`, splits on the marker and
sums the character lengths of the pieces, which gives exact character offsets for every match.
"""

import polars as pl

MARK = "\x1f"  # ASCII unit separator: one character, never part of news text (replaced by a space if present)


def ascii_boundaries(pattern: str) -> str:
    """`pattern` with every `\\b` made ASCII-only.

    A Unicode word boundary keeps the regex engine off its fast DFA (about 7x slower here). Every boundary
    in our patterns sits next to an ASCII word or digit (numbers, months, abbreviations), where both kinds
    agree; only a non-ASCII letter glued to such a word would be judged differently.
    """
    return pattern.replace(r"\b", r"(?-u:\b)")


def without_marker(text: pl.Expr) -> pl.Expr:
    """`text` with any stray marker character replaced by a space (same length, so offsets hold)."""
    return text.str.replace_all(MARK, " ", literal=True)


def regex_spans(frame: pl.LazyFrame, pattern: str, text: str = "text") -> pl.LazyFrame:
    """One row per non-overlapping match of `pattern` in column `text`, with every input column kept.

    `pattern` must have a named group `core` (the span reported) and may have named groups `pre` before
    and `post` after it (context that must match but is not part of the span). Adds `match` (the core text),
    `match_start` and `match_end` (character offsets into `text`, end exclusive). Rows without a match
    disappear; `pattern` must not match the empty string.
    """
    marked = without_marker(pl.col(text)).str.replace_all(pattern, f"${{pre}}{MARK}${{core}}{MARK}${{post}}")
    return (
        frame.with_columns(_pieces=marked.str.split(MARK))
        .filter(pl.col("_pieces").list.len() > 1)
        .with_columns(
            match=pl.col("_pieces").list.gather_every(2, offset=1),
            match_end=pl.col("_pieces")
            .list.eval(pl.element().str.len_chars().cum_sum())
            .list.gather_every(2, offset=1),
        )
        .drop("_pieces")
        .explode(["match", "match_end"])
        .with_columns(
            match_end=pl.col("match_end").cast(pl.Int32),
            match_start=(pl.col("match_end") - pl.col("match").str.len_chars()).cast(pl.Int32),
        )
    )


def with_groups(frame: pl.LazyFrame, pattern: str, column: str = "match") -> pl.LazyFrame:
    """`frame` plus one column per named group of `pattern` matched in full against `column`.

    Each distinct value is parsed once (matches repeat a lot: "about 1,000", "Jan. 17"); values that do not
    match get nulls.
    """
    parsed = (
        frame.select(column)
        .unique()
        .with_columns(pl.col(column).str.extract_groups(f"^(?:{pattern})$").alias("_groups"))
        .unnest("_groups")
    )
    return frame.join(parsed, on=column, how="left", nulls_equal=True)


def text_before(end: pl.Expr, width: int, text: str = "text") -> pl.Expr:
    """Up to `width` characters of `text` that end at character offset `end` (context left of a match)."""
    start = pl.max_horizontal(end - width, pl.lit(0))
    return pl.col(text).str.slice(start, end - start)
