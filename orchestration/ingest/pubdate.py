"""Publication dates: parse a metadata string, or infer the date from dates written in the text.

`parse_published(value)` (one metadata string, at read time) gives (date, precision) or (None, 'unknown')
for anything that is not a real date between MIN_YEAR and MAX_YEAR: python-dateutil reads ISO dates and
datetimes ("2015-01-18", "2015-01-18T10:00:00Z"), year-month ("2013-04"), year ("2013"), "January 18,
2015", "18 January 2015", "Jan. 18, 2015", "April 2013", RFC 2822 …; numeric day/month orders follow
dateutil's default (month first). A month or year stores its first day with precision 'month' / 'year';
impossible dates ("2015-13-45", "45 January 2015") are None, never an error.

`resolve_publication` keeps a metadata date and otherwise infers one from fully written dates (day,
month and year) in the body: a dateline — such a date opening one of the lines in the first
`DATELINE_CHARS` characters, optionally after an upper-case place and a comma ("GAO, 3 June 2017") —
gives the day (precision 'day'); otherwise the latest such date anywhere is a lower bound of the
publication date, stored with precision 'month' (the article appeared that month or later). Both are
'inferred'. Impossible written dates ("31 February 2015") are skipped.
"""

from datetime import date, datetime

import polars as pl
from dateutil import parser as date_parser

from orchestration import months

DATELINE_CHARS = 200
MIN_YEAR, MAX_YEAR = 1900, 2100
_FILLED_A, _FILLED_B = datetime(1, 1, 1), datetime(2, 2, 2)  # fields a string leaves out differ between these
_MONTH_WORD = rf"({'|'.join(months.NUMBER)})[a-z]*\.?"  # a month's first three letters, then any more
_DAY_FIRST = rf"^(\d{{1,2}})\s+{_MONTH_WORD}\s*,?\s+(\d{{4}})$"
_MONTH_FIRST = rf"^{_MONTH_WORD}\s+(\d{{1,2}})\s*,?\s+(\d{{4}})$"
_WRITTEN_DATE = (
    r"(?i)\b(?:(\d{1,2})\s+" + _MONTH_WORD + r"\s*,?\s+((?:19|20)\d{2})"
    r"|" + _MONTH_WORD.replace("(", "(?:", 1) + r"\s+(\d{1,2})\s*,?\s+((?:19|20)\d{2}))\b"
)


def parse_published(value: str) -> tuple[date | None, str]:
    """(date, precision) of a metadata string; (None, 'unknown') when it is not a plausible date."""
    text = value.strip()
    try:
        # Two defaults tell which fields the string gave: a field it left out differs between them.
        first = date_parser.parse(text, default=_FILLED_A)
        second = date_parser.parse(text, default=_FILLED_B)
    except (ValueError, OverflowError):
        return None, "unknown"
    if first.year != second.year or not MIN_YEAR <= first.year <= MAX_YEAR:
        return None, "unknown"
    if first.month != second.month:
        return date(first.year, 1, 1), "year"
    if first.day != second.day:
        return date(first.year, first.month, 1), "month"
    return first.date(), "day"


def _month_number(word: pl.Expr) -> pl.Expr:
    return word.str.slice(0, 3).replace_strict(months.NUMBER, default=None, return_dtype=pl.Int32)


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


def _safe_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The date, or null when the parts make no real date (day 45, February 31)."""
    return pl.format("{}-{}-{}", year, month, day).str.to_date("%Y-%m-%d", strict=False)


def _to_date_day_first(text: pl.Expr) -> pl.Expr:
    groups = text.str.extract_groups(_DAY_FIRST)
    return _safe_date(
        groups.struct.field("3").cast(pl.Int32, strict=False),
        _month_number(groups.struct.field("2")),
        groups.struct.field("1").cast(pl.Int32, strict=False),
    )


def _to_date_month_first(text: pl.Expr) -> pl.Expr:
    groups = text.str.extract_groups(_MONTH_FIRST)
    return _safe_date(
        groups.struct.field("3").cast(pl.Int32, strict=False),
        _month_number(groups.struct.field("1")),
        groups.struct.field("2").cast(pl.Int32, strict=False),
    )


def resolve_publication(articles: pl.LazyFrame) -> pl.LazyFrame:
    """Complete published_date, published_precision and add published_source from the `body`.

    Input: published_date / published_precision from metadata (`parse_published`; null / 'unknown' when
    the metadata gave none) and `body`.
    """
    meta_date = pl.col("published_date")
    dateline = dateline_date(pl.col("body"))
    inferred = latest_written_date(pl.col("body"))
    return articles.with_columns(
        pl.coalesce(meta_date, dateline, inferred.dt.truncate("1mo")).alias("published_date"),
        pl.when(meta_date.is_not_null())
        .then(pl.col("published_precision"))
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
