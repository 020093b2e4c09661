"""Publication dates: parse metadata strings, or infer from dates written in the text.

Contract: `parse_published(expr)` turns metadata strings into (published_date, published_precision);
accepted forms are ISO dates and datetimes ("2015-01-18", "2015-01-18T10:00:00Z"), year-month
("2013-04"), year ("2013"), and English "January 18, 2015" / "18 January 2015" / "Jan. 18, 2015".
A month or year stores its first day with precision 'month' / 'year'.

`resolve_publication` infers a date for articles without metadata from fully written dates (day, month
and year) in their body: a dateline — such a date opening one of the lines in the first
`DATELINE_CHARS` characters, optionally after an upper-case place and a comma ("GAO, 3 June 2017") —
gives the day (precision 'day'); otherwise the latest such date anywhere is a lower bound of the publication
date, stored with precision 'month' (the article appeared that month or later). Both are 'inferred'.
"""

import polars as pl

DATELINE_CHARS = 200
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)[a-z]*\.?"
_DAY_FIRST = rf"^(\d{{1,2}})\s+{_MONTH_WORD}\s*,?\s+(\d{{4}})$"
_MONTH_FIRST = rf"^{_MONTH_WORD}\s+(\d{{1,2}})\s*,?\s+(\d{{4}})$"
_WRITTEN_DATE = (
    r"(?i)\b(?:(\d{1,2})\s+" + _MONTH_WORD + r"\s*,?\s+((?:19|20)\d{2})"
    r"|" + _MONTH_WORD.replace("(", "(?:", 1) + r"\s+(\d{1,2})\s*,?\s+((?:19|20)\d{2}))\b"
)


def _month_number(word: pl.Expr) -> pl.Expr:
    return word.str.slice(0, 3).replace_strict(
        {k[:3]: v for k, v in _MONTHS.items()}, default=None, return_dtype=pl.Int32
    )


def parse_published(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(date, precision) expressions for a metadata string column; unparseable → (null, 'unknown')."""
    text = value.cast(pl.String).str.strip_chars().str.to_lowercase()
    iso_day = text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    iso_month = (text + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    iso_year = (text + "-01-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    is_day = text.str.contains(r"^\d{4}-\d{2}-\d{2}")
    is_month = text.str.contains(r"^\d{4}-\d{2}$")
    is_year = text.str.contains(r"^\d{4}$")
    date = (
        pl.when(is_day)
        .then(iso_day)
        .when(is_month)
        .then(iso_month)
        .when(is_year)
        .then(iso_year)
        .otherwise(pl.coalesce(_to_date_day_first(text), _to_date_month_first(text)))
    )
    precision = (
        pl.when(date.is_null())
        .then(pl.lit("unknown"))
        .when(is_month)
        .then(pl.lit("month"))
        .when(is_year)
        .then(pl.lit("year"))
        .otherwise(pl.lit("day"))
    )
    return date, precision


_DATELINE = r"(?mi)^(?:\p{Lu}[\p{Lu}\s.'’-]*,\s+)?" + _WRITTEN_DATE.removeprefix("(?i)\\b")


def latest_written_date(text: pl.Expr) -> pl.Expr:
    """The latest fully written date (day, month, year) in a text column, or null."""
    return _latest(text.str.extract_all(_WRITTEN_DATE))


def dateline_date(text: pl.Expr) -> pl.Expr:
    """The date of a dateline opening a line in the first DATELINE_CHARS characters, or null."""
    found = text.cast(pl.String).str.slice(0, DATELINE_CHARS).str.extract_all(_DATELINE)
    return _latest(found.list.eval(pl.element().str.replace(r"^[^,\d]*,\s+", "")))


def _latest(found: pl.Expr) -> pl.Expr:
    parsed = found.list.eval(
        pl.coalesce(
            pl.element().str.to_lowercase().str.replace_all(r"[.,]", "").pipe(_to_date_day_first),
            pl.element().str.to_lowercase().str.replace_all(r"[.,]", "").pipe(_to_date_month_first),
        )
    )
    return parsed.list.drop_nulls().list.max()


def _to_date_day_first(text: pl.Expr) -> pl.Expr:
    groups = text.str.extract_groups(_DAY_FIRST)
    return pl.date(
        groups.struct.field("3").cast(pl.Int32, strict=False),
        _month_number(groups.struct.field("2")),
        groups.struct.field("1").cast(pl.Int32, strict=False),
    )


def _to_date_month_first(text: pl.Expr) -> pl.Expr:
    groups = text.str.extract_groups(_MONTH_FIRST)
    return pl.date(
        groups.struct.field("3").cast(pl.Int32, strict=False),
        _month_number(groups.struct.field("1")),
        groups.struct.field("2").cast(pl.Int32, strict=False),
    )


def resolve_publication(articles: pl.LazyFrame) -> pl.LazyFrame:
    """Add published_date, published_precision, published_source from `published` and `body`."""
    meta_date, meta_precision = parse_published(pl.col("published"))
    dateline = dateline_date(pl.col("body"))
    inferred = latest_written_date(pl.col("body"))
    return articles.with_columns(
        pl.coalesce(meta_date, dateline, inferred.dt.truncate("1mo")).alias("published_date"),
        pl.when(meta_date.is_not_null())
        .then(meta_precision)
        .when(dateline.is_not_null())
        .then(pl.lit("day"))
        .when(inferred.is_not_null())
        .then(pl.lit("month"))
        .otherwise(pl.lit("unknown"))
        .alias("published_precision"),
        pl.when(meta_date.is_not_null())
        .then(pl.lit("metadata"))
        .when(inferred.is_not_null())
        .then(pl.lit("inferred"))
        .otherwise(pl.lit("unknown"))
        .alias("published_source"),
    )
