"""Sentences → date mentions resolved against the article's publication date, vectorized.

Grain of the output: one row per date expression in a sentence (MENTION_SCHEMA, mention_type 'date',
match_method 'pattern'); `surface` excludes a leading plain preposition ("on", "in", "by", "from" …)
but keeps words that change the meaning ("since", "early", "last", "a day after").

Month and weekday names come from the standard library `calendar` (English); the handful of grammar
words below (prepositions, parts of a month, future markers, day offsets) are part of the pattern, not
reference data.

Resolution rules (publication date P, precision of P: day | month | year | unknown). "The latest
possible P" is P itself or, when only P's month is known, the last day of that month. Month-day and
month-only dates need P's month; weekdays, "last week", "yesterday" need P's day:

| text                                 | resolved_date … date_end               | precision |
|--------------------------------------|----------------------------------------|-----------|
| Jan. 11, 2013 / 8 March 2015         | that day                               | day       |
| 2015-01-17 / 17/01/2015 / 17.01.2015 | that day (day first; month first only when the second number > 12) | day |
| April 25 / 17 Jan. (no year)         | latest such day ≤ latest possible P    | day       |
| the same, in future tense            | first such day ≥ earliest possible P   | day       |
| in March 2012 / July 2013            | 1st … last day of the month            | month     |
| in March (no year)                   | latest such month ≤ P's month (future: first ≥) | month |
| early / mid / late January           | days 1–10 / 11–20 / 21–end of the month | month    |
| in 2014 / during 2014                | Jan 1 … Dec 31                         | year      |
| from 2008 to 2011 / 2008-2011        | Jan 1 of first … Dec 31 of last        | range     |
| since 2013 / since July 2013         | start of that period … P (null if P unknown) | range |
| (on) Friday / last Friday / next Friday | last Friday ≤ P / < P / first > P   | day       |
| "Friday: …" entries of a roundup (2+)   | last Friday < P                        | day       |
| yesterday, last night / today, this morning (afternoon, evening), tonight | P − 1 / P     | day       |
| last week / this week                | Monday … Sunday of that week           | range     |
| last month / this month              | that month                             | month     |
| earlier this month / later this week | that period, ending / starting at P    | as above  |
| last year / this year                | that year                              | year      |
| the day before / a day earlier / the previous day | anchor − 1                | day       |
| the day after / the next day / two days later     | anchor + n                | day       |
| a day after that / two days before this           | anchor ± n                | day       |
| a day after … / two days after …  (apposition)    | anchor − n: "on D, a day after X" puts X on D − 1 | day |
| a day before … / two days before …                | anchor + n                | day       |

The anchor of a day offset is the nearest earlier day-precision date in the same sentence or the sentence
before it in the same paragraph (an offset resolved before counts, so "… on March 3. Two days earlier …
The previous day …" chains), else P. "a day after X" / "two days before X" inside a sentence dates the
event X that follows it (apposition: "on D, a day after X" or "The attack came a day after X" puts X on
anchor − n); at the start of a sentence it dates the main clause instead ("D. A day after the attack,
troops …" is D + 1).
A date is in future tense when its sentence has will, shall, would, 'll, next, scheduled, expected to,
due to or plans to before it. Whenever a rule needs P (or the day of P) and the article's date is
unknown or too coarse, the mention is kept with precision 'unknown' and null dates: no guessing. A bare month or year
counts only after a preposition, "since" or a part of the month ("the 2012 coup" is not a date).
"""

import calendar

import polars as pl

from orchestration import months
from orchestration.extract.schema import MENTION_SCHEMA, conform, mention_id
from orchestration.extract.spans import (
    ascii_boundaries,
    previous_within,
    regex_spans,
    run_number,
    text_before,
    with_groups,
)


def _names(names: list[str]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


_MONTH = (
    rf"(?:{_names(months.NAMES)}|"
    rf"(?:{_names(months.ABBREVIATIONS)})\b\.?)"
)
_WEEKDAY = _names(list(calendar.day_name))
_YEAR = r"(?:19|20)\d\d"
_PARTS = {"early": 1, "beginning of": 1, "start of": 1, "mid": 2, "middle of": 2, "late": 3, "end of": 3}
_PREPOSITION = r"\b(?:[Ii]n|[Oo]n|[Bb]y|[Oo]f|[Dd]uring|[Uu]ntil|[Tt]ill|[Ff]rom|[Bb]etween|[Tt]hrough|"
_PREPOSITION += r"[Tt]hroughout|[Bb]efore|[Aa]fter|[Aa]round|[Ff]or)\s+(?:the\s+)?"
_SMALL_NUMBER = r"(?i:an|a|one|two|three|four|five|six|seven|\d{1,2})"
_FUTURE = ascii_boundaries(
    r"\b(?:will|shall|would|next|scheduled|expected to|due to|plans? to)\b|’ll\b|'ll\b"
)

_CORE_PATTERN = (
    r"(?P<core>(?P<since>[Ss]ince\s+)?(?:"
    + rf"(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>{_YEAR})\b)?"
    + rf"|(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MONTH})(?:,?\s+(?P<dm_y>{_YEAR})\b)?"
    + rf"|(?:(?P<part>(?:[Tt]he\s+)?(?:{_names([p.capitalize() for p in _PARTS] + list(_PARTS))}))[\s-]+)?"
    + rf"(?P<my_m>{_MONTH})(?:,?\s+(?P<my_y>{_YEAR})\b)?"
    + rf"|\b(?P<iso_y>{_YEAR})-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)\b"
    + rf"|\b(?P<num_a>[0-3]?\d)[/.](?P<num_b>[0-3]?\d)[/.](?P<num_y>{_YEAR})\b"
    + rf"|\b(?P<ra>{_YEAR})\s*(?:-|–|\s+to\s+|\s+and\s+|\s+until\s+)\s*(?P<rb>{_YEAR})\b"
    + rf"|\b(?P<y>{_YEAR})\b"
    + rf"|(?:(?P<wd_rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<wd>{_WEEKDAY})\b"
    + r"|(?P<rel>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]his\s+(?:morning|afternoon|evening)|[Ll]ast\s+night"
    + r"|(?:(?:[Ee]arlier|[Ll]ater)\s+)?(?:[Ll]ast|[Tt]his)\s+(?:week|month|year))\b"
    + rf"|(?P<off>(?P<off_n>{_SMALL_NUMBER}|[Tt]he)\s+days?\s+(?P<off_dir>before|after|earlier|later)(?P<off_that>\s+(?:that|this)\b)?"
    + r"|[Tt]he\s+(?P<off_adj>next|following|previous)\s+day)\b"
    + r"))"
)
_PREPOSITION = ascii_boundaries(_PREPOSITION)
_CORE_PATTERN = ascii_boundaries(_CORE_PATTERN)
OFFSET_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "the": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
# Every date expression holds one of these (digits, a month, "day" in weekdays/today/offsets, …):
# sentences without any are skipped before the regex (a literal Aho-Corasick scan is ~100x cheaper).
_TRIGGERS = [*"0123456789", *months.ABBREVIATIONS, "day", "week", "month", "year", "morning", "afternoon",
             "evening", "night"]


def _date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Date from parts; null when the parts are not a real calendar day (e.g. Feb. 30)."""
    return pl.format("{}-{}-{}", year, month, day).str.to_date("%Y-%m-%d", strict=False)


def _month_of(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 3).str.to_lowercase().replace_strict(months.NUMBER, default=None)


def _shift_years(date: pl.Expr, years: pl.Expr) -> pl.Expr:
    return _date(date.dt.year() + years, date.dt.month(), date.dt.day())


def _days(n: pl.Expr) -> pl.Expr:
    return pl.duration(days=n)


def _with_context_year(found: pl.LazyFrame, sentences: pl.LazyFrame, articles: pl.LazyFrame) -> pl.LazyFrame:
    """`found` with `_context_year`: the year a date without one is told in, else null.

    That is the year of the nearest earlier year heading of the article (a sentence that is a short title
    with one year and no final full stop, "2016", "== 2016 ==", "Attacks in 2016", or a lead-in to a list,
    "The following attacks were recorded in 2016:"), or of the nearest earlier full date (day, month and year) in the same or the
    previous paragraph ("On 14 January 2015, … On 9 March, …"), whichever is nearer. A month with a year
    ("deployed in July 2013") is background more often than a chronology and sets none; nor do ranges
    and "since" dates. A title that names exactly one year ("Attacks on the mission in 2015") heads the
    whole body.
    """
    position = (pl.col("_sentence_start") + pl.col("match_start")).cast(pl.Int64)
    stated = found.filter(pl.col("since").is_null()).select(
        "article_id",
        "paragraph_no",
        _position=position,
        _year=pl.coalesce("md_y", "dm_y", "iso_y", "num_y").cast(pl.Int32),
        _heading=pl.lit(False),
    )
    headings = sentences.select(
        "article_id",
        "paragraph_no",
        _position=pl.col("_sentence_start").cast(pl.Int64),
        _year=pl.when(
            pl.col("text").str.contains(r"^\W*(?:\S+\s+){0,7}\S+\W*$") & ~pl.col("text").str.contains(r"[.!?]\s*$")
            | pl.col("text").str.contains(r":\s*$")
        )
        .then(pl.col("text").str.extract_all(rf"\b{_YEAR}\b"))
        .list.first()
        .cast(pl.Int32),
        _heading=pl.lit(True),
    )
    frames = [stated, headings]
    if "title" in articles.collect_schema().names():
        years = pl.col("title").str.extract_all(rf"\b{_YEAR}\b")
        frames.append(
            articles.select(
                "article_id",
                paragraph_no=pl.lit(-1, pl.Int32),
                _position=pl.lit(-1, pl.Int64),
                _year=pl.when(years.list.len() == 1).then(years.list.first()).cast(pl.Int32),
                _heading=pl.lit(True),
            )
        )
    context = (
        pl.concat(frames)
        .filter(pl.col("_year").is_not_null())
        .rename({"paragraph_no": "_context_paragraph"})
        .sort("_position")
    )
    return (
        found.with_columns(_position=position)
        .sort("_position")
        # both sides are sorted by _position, hence within each article too (Polars cannot check that)
        .join_asof(
            context,
            on="_position",
            by="article_id",
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
        .with_columns(
            _context_year=pl.when(
                pl.col("_heading") | (pl.col("_context_paragraph") >= pl.col("paragraph_no") - 1)
            ).then("_year")
        )
        .drop("_position", "_year", "_heading", "_context_paragraph")
    )


def find_dates(sentences: pl.LazyFrame, articles: pl.LazyFrame) -> pl.LazyFrame:
    """Date mentions (MENTION_SCHEMA) in `sentences` (SENTENCE_SCHEMA); rules in the module docstring.

    `articles`: one row per article with article_id, published_date (Date, may be null) and
    published_precision (day|month|year|unknown).
    """
    precision = pl.col("published_precision")
    published = pl.col("published_date")
    day_known = precision == "day"
    month_known = precision.is_in(["day", "month"])
    # Bounds of the period the publication date stands for.
    latest = (
        pl.when(day_known)
        .then(published)
        .when(precision == "month")
        .then(published.dt.month_end())
        .when(precision == "year")
        .then(_date(published.dt.year(), pl.lit(12), pl.lit(31)))
    )
    earliest = (
        pl.when(day_known)
        .then(published)
        .when(precision == "month")
        .then(published.dt.month_start())
        .when(precision == "year")
        .then(_date(published.dt.year(), pl.lit(1), pl.lit(1)))
    )
    base = sentences.select(
        "article_id", "paragraph_no", "sentence_no", "text", pl.col("char_start").alias("_sentence_start")
    )
    found = (
        with_groups(
            regex_spans(base.filter(pl.col("text").str.contains_any(_TRIGGERS)), _CORE_PATTERN), _CORE_PATTERN
        )
        .with_columns(
            _cued=text_before(pl.col("match_start"), 40).str.contains(f"{_PREPOSITION}$"),
            _future=pl.col("text").str.slice(0, pl.col("match_start")).str.contains(_FUTURE),
        )
        .join(
            articles.select("article_id", "published_date", "published_precision"),
            on="article_id",
            how="left",
        )
    )
    # Day and month of the month-day and numeric forms; kinds of expression.
    num_a, num_b = pl.col("num_a").cast(pl.Int32), pl.col("num_b").cast(pl.Int32)
    month_first = num_b > 12  # 01/17/2015: only a month-first reading is a real date
    day = pl.coalesce(
        pl.col("md_d").cast(pl.Int32),
        pl.col("dm_d").cast(pl.Int32),
        pl.col("iso_d").cast(pl.Int32),
        pl.when(month_first).then(num_b).otherwise(num_a),
    )
    month = pl.coalesce(
        _month_of("md_m"),
        _month_of("dm_m"),
        pl.col("iso_m").cast(pl.Int32),
        pl.when(month_first).then(num_a).otherwise(num_b),
    )
    explicit_year = pl.coalesce("md_y", "dm_y", "iso_y", "num_y").cast(pl.Int32)
    month_only = _month_of("my_m")
    month_year = pl.col("my_y").cast(pl.Int32)
    part = pl.col("part").str.to_lowercase().str.replace(r"^the\s+", "").replace_strict(_PARTS, default=None)
    # Each step is stored as a column and read back by name: inlined, the nested date expressions grow
    # exponentially and are evaluated many times over.
    found = found.with_columns(
        _latest=latest,
        _earliest=earliest,
        _day=day,
        _month=month,
        _explicit_year=explicit_year,
        _month_only=month_only,
        _month_year=month_year,
        _part=part,
    )
    latest, earliest, day, month = pl.col("_latest"), pl.col("_earliest"), pl.col("_day"), pl.col("_month")
    explicit_year, month_only, month_year = (
        pl.col("_explicit_year"),
        pl.col("_month_only"),
        pl.col("_month_year"),
    )
    part = pl.col("_part")
    is_day = day.is_not_null()
    is_month = month_only.is_not_null()
    cued = pl.col("_cued") | pl.col("since").is_not_null()

    # Month-day without a year: the year in context (`_with_context_year`), else the latest such day not after
    # P, or the first not before P in future tense.
    found = _with_context_year(found, base, articles).with_columns(
        _same_year=_date(latest.dt.year(), month, day),
        _future_year=_date(earliest.dt.year(), month, day),
        _context_day=_date(pl.col("_context_year"), month, day),
    )
    context_day = pl.col("_context_day")
    in_context = context_day.is_not_null() & ~pl.col("_future") & (latest.is_null() | (context_day <= latest))
    same_year = pl.col("_same_year")
    past_day = pl.when(same_year > latest).then(_shift_years(same_year, pl.lit(-1))).otherwise(same_year)
    future_year = pl.col("_future_year")
    future_day = (
        pl.when(future_year < earliest).then(_shift_years(future_year, pl.lit(1))).otherwise(future_year)
    )
    day_date = (
        pl.when(explicit_year.is_not_null())
        .then(_date(explicit_year, month, day))
        .when(in_context)
        .then(context_day)
        .when(month_known & pl.col("_future"))
        .then(future_day)
        .when(month_known)
        .then(past_day)
    )
    # Month without a year.
    reference_month = pl.when(pl.col("_future")).then(earliest).otherwise(latest)
    context_year = pl.col("_context_year")
    month_year_resolved = (
        pl.when(month_year.is_not_null())
        .then(month_year)
        .when(
            context_year.is_not_null()
            & ~pl.col("_future")
            & (latest.is_null() | (_date(context_year, month_only, pl.lit(1)) <= latest))
        )
        .then(context_year)
        .when(month_known & pl.col("_future") & (month_only < reference_month.dt.month()))
        .then(reference_month.dt.year() + 1)
        .when(month_known & ~pl.col("_future") & (month_only > reference_month.dt.month()))
        .then(reference_month.dt.year() - 1)
        .when(month_known)
        .then(reference_month.dt.year())
    )
    found = found.with_columns(
        _day_date=day_date, _month_start=_date(month_year_resolved, month_only, pl.lit(1))
    )
    day_date, month_start = pl.col("_day_date"), pl.col("_month_start")
    part_start = pl.when(part == 2).then(pl.lit(11)).when(part == 3).then(pl.lit(21)).otherwise(pl.lit(1))
    month_from = pl.when(part.is_null()).then(month_start).otherwise(month_start + _days(part_start - 1))
    month_to = (
        pl.when(part == 1)
        .then(month_start + _days(pl.lit(9)))
        .when(part == 2)
        .then(month_start + _days(pl.lit(19)))
        .otherwise(month_start.dt.month_end())
    )
    # Weekdays and relative words need the day of publication.
    weekday = (
        pl.col("wd")
        .str.slice(0, 3)
        .str.to_lowercase()
        .replace_strict({name[:3].lower(): i + 1 for i, name in enumerate(calendar.day_name)}, default=None)
    )
    found = found.with_columns(_weekday=weekday)
    weekday = pl.col("_weekday")
    # a roundup's entries labelled by weekday ("Monday: …", two or more in the article) tell the past
    # week: "Monday:" in a roundup published on a Monday is the Monday before
    label = (
        pl.col("wd").is_not_null()
        & pl.col("wd_rel").is_null()
        & pl.col("text").str.slice(0, pl.col("match_start")).str.contains(r"^[^\p{L}\p{N}]*$")
        & pl.col("text").str.slice(pl.col("match_end"), 3).str.contains(r"^\s*[:–—-]")
    )
    found = found.with_columns(_roundup=label & (label.sum().over("article_id") >= 2))
    back = (published.dt.weekday() - weekday + 7) % 7
    back = (
        pl.when(((pl.col("wd_rel").str.to_lowercase() == "last") | pl.col("_roundup")) & (back == 0))
        .then(7)
        .otherwise(back)
    )
    ahead = (weekday - published.dt.weekday() + 7) % 7
    ahead = pl.when(ahead == 0).then(7).otherwise(ahead)
    weekday_date = (
        pl.when(pl.col("wd_rel").str.to_lowercase() == "next")
        .then(published + _days(ahead))
        .otherwise(published - _days(back))
    )
    found = found.with_columns(_rel_words=pl.col("rel").str.to_lowercase().str.replace_all(r"\s+", " "))
    # parts of the publication day count as that day; "last night" as the day before
    found = found.with_columns(
        _rel=pl.col("_rel_words")
        .str.replace(r"^(?:earlier|later) ", "")
        .str.replace(r"^(?:this (?:morning|afternoon|evening)|tonight)$", "today")
        .str.replace(r"^last night$", "yesterday")
    )
    rel_words, rel = pl.col("_rel_words"), pl.col("_rel")
    week_start = published - _days(published.dt.weekday() - 1)
    last_month = published.dt.month_start().dt.offset_by("-1mo")
    rel_from = (
        pl.when(rel == "yesterday")
        .then(published - _days(pl.lit(1)))
        .when(rel == "today")
        .then(published)
        .when(rel == "last week")
        .then(week_start - _days(pl.lit(7)))
        .when(rel == "this week")
        .then(week_start)
        .when(rel == "last month")
        .then(last_month)
        .when(rel == "this month")
        .then(published.dt.month_start())
        .when(rel == "last year")
        .then(_date(published.dt.year() - 1, pl.lit(1), pl.lit(1)))
        .when(rel == "this year")
        .then(_date(published.dt.year(), pl.lit(1), pl.lit(1)))
    )
    found = found.with_columns(_rel_from=rel_from)
    rel_from = pl.col("_rel_from")
    rel_to = (
        pl.when(rel.is_in(["yesterday", "today"]))
        .then(rel_from)
        .when(rel.str.ends_with("week"))
        .then(rel_from + _days(pl.lit(6)))
        .when(rel.str.ends_with("month"))
        .then(rel_from.dt.month_end())
        .otherwise(_date(rel_from.dt.year(), pl.lit(12), pl.lit(31)))
    )
    found = found.with_columns(_rel_to=rel_to)
    rel_to = pl.col("_rel_to")
    # "earlier this month" ends at P, "later this week" starts at P.
    rel_to = (
        pl.when(rel_words.str.starts_with("earlier"))
        .then(pl.min_horizontal(rel_to, published))
        .otherwise(rel_to)
    )
    rel_from = (
        pl.when(rel_words.str.starts_with("later"))
        .then(pl.max_horizontal(rel_from, published))
        .otherwise(rel_from)
    )
    rel_precision = (
        pl.when(rel.is_in(["yesterday", "today"]))
        .then(pl.lit("day"))
        .when(rel.str.ends_with("week"))
        .then(pl.lit("range"))
        .when(rel.str.ends_with("month"))
        .then(pl.lit("month"))
        .otherwise(pl.lit("year"))
    )
    rel_needs = (
        pl.when(rel.str.ends_with("year"))
        .then(precision.is_in(["day", "month", "year"]))
        .when(rel.str.ends_with("month"))
        .then(month_known)
        .otherwise(day_known)
    )
    year = pl.col("y").cast(pl.Int32)
    range_from = _date(pl.coalesce(pl.col("ra").cast(pl.Int32), year), pl.lit(1), pl.lit(1))
    range_to = _date(pl.coalesce(pl.col("rb").cast(pl.Int32), year), pl.lit(12), pl.lit(31))

    resolved = (
        found.filter(
            ~(is_month & month_year.is_null() & pl.col("part").is_null() & ~cued),
            ~(pl.col("y").is_not_null() & ~cued),
        )
        .with_columns(
            resolved_date=pl.when(is_day)
            .then(day_date)
            .when(is_month)
            .then(month_from)
            .when(pl.col("ra").is_not_null() | pl.col("y").is_not_null())
            .then(range_from)
            .when(pl.col("wd").is_not_null() & day_known)
            .then(weekday_date)
            .when(pl.col("rel").is_not_null() & rel_needs)
            .then(rel_from),
            date_end=pl.when(is_day)
            .then(day_date)
            .when(is_month)
            .then(month_to)
            .when(pl.col("ra").is_not_null() | pl.col("y").is_not_null())
            .then(range_to)
            .when(pl.col("wd").is_not_null() & day_known)
            .then(weekday_date)
            .when(pl.col("rel").is_not_null() & rel_needs)
            .then(rel_to),
            date_precision=pl.when(is_day)
            .then(pl.lit("day"))
            .when(is_month)
            .then(pl.lit("month"))
            .when(pl.col("ra").is_not_null())
            .then(pl.lit("range"))
            .when(pl.col("y").is_not_null())
            .then(pl.lit("year"))
            .when(pl.col("wd").is_not_null())
            .then(pl.lit("day"))
            .when(pl.col("rel").is_not_null())
            .then(rel_precision)
            .otherwise(pl.lit("day")),
        )
        .with_columns(
            date_end=pl.when(pl.col("since").is_not_null())
            .then(pl.when(day_known).then(published).otherwise(latest))
            .otherwise("date_end"),
            date_precision=pl.when(pl.col("since").is_not_null())
            .then(pl.lit("range"))
            .otherwise("date_precision"),
        )
        .sort("article_id", "sentence_no", "match_start")
        .with_columns(_run=run_number("article_id", "paragraph_no"))
    )
    # Day offsets: from the nearest earlier day-precision date of the same or the previous sentence of the
    # paragraph, else the publication day. Two passes, so that an offset can anchor on an offset before it.
    n = pl.col("off_n").str.to_lowercase().replace_strict(OFFSET_WORDS, default=pl.col("off_n"))
    n = n.cast(pl.Int32, strict=False)
    backwards = pl.col("off_dir").is_in(["before", "earlier"]) | (pl.col("off_adj") == "previous")
    apposition = (
        pl.col("off_dir").is_in(["before", "after"])
        & (pl.col("off_n").str.to_lowercase() != "the")
        & pl.col("off_that").is_null()
    )
    is_offset = pl.col("off").is_not_null()
    day_anchor = pl.when(pl.col("date_precision") == "day").then("resolved_date")
    anchor_sentence = previous_within(pl.when(day_anchor.is_not_null()).then("sentence_no"), "_run")
    near = anchor_sentence >= pl.col("sentence_no") - 1
    anchor = pl.coalesce(
        pl.when(near).then(previous_within(day_anchor, "_run")),
        pl.when(day_known).then(published),
    )
    # "on D, a day after X" puts X on D - 1; "D. A day after the attack, troops …" is D + 1.
    sentence_initial = pl.col("text").str.slice(0, pl.col("match_start")).str.contains(r"^[^\p{L}\p{N}]*$")
    flipped = apposition & ~sentence_initial
    sign = pl.when(backwards).then(-1).otherwise(1) * pl.when(flipped).then(-1).otherwise(1)
    offset_date = anchor + _days(sign * n.fill_null(1))
    for _ in range(2):
        resolved = resolved.with_columns(
            resolved_date=pl.when(is_offset).then(offset_date).otherwise("resolved_date"),
        )
    resolved = resolved.with_columns(
        date_end=pl.when(is_offset).then("resolved_date").otherwise("date_end"),
        date_precision=pl.when(pl.col("resolved_date").is_null())
        .then(pl.lit("unknown"))
        .otherwise("date_precision"),
    )
    return conform(
        resolved.with_columns(
            surface=pl.col("core"),
            char_start=pl.col("_sentence_start") + pl.col("match_start"),
            char_end=pl.col("_sentence_start") + pl.col("match_end"),
            mention_type=pl.lit("date"),
            match_method=pl.lit("pattern"),
        ).with_columns(mention_id()),
        MENTION_SCHEMA,
    )
