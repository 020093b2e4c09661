"""Turn decoded article texts into cleaned bodies and paragraphs (boilerplate out, captions flagged).

Contract of `clean_documents(documents, patterns, markers)`:
- input: one row per document with article_id, original_text, title;
- output `CleanResult`: `paragraphs` (one row per kept paragraph: article_id, paragraph_no, char_start,
  char_end, text, is_caption, language; offsets are characters into `body`), `bodies` (one row per
  document: article_id, body), `removed` (one row per dropped block: article_id, block_no, text, reason),
  `unstructured` (one row per article flagged `text_without_structure`: article_id, detail).
Bodies are the kept paragraphs joined by a blank line, so `body[char_start:char_end] == text`.

Structure bound: a block longer than MAX_PARAGRAPH_CHARS (a minified dump, a table flattened to one
line) is cut into paragraphs of whole words (`cut_long_texts`); such an article, or one with a run of
more than MAX_SENTENCE_CHARS characters without a sentence end, is reported in `unstructured`.

Rules (patterns come from the seed `boilerplate_patterns.csv`, matched case-insensitively on each block):
- drop_line: the block alone is chrome (share buttons, subscription prompts, shortcodes, teasers);
- drop_list: a related-articles heading and the short title-like blocks that follow it;
- drop_rest: a comment widget or footer; it and everything after it are chrome;
- drop_bio: an author biography; it, a name-only byline just before it, and everything after it;
- a block equal to the article title is dropped (it is metadata, kept in `title`);
- captions: a block ending in an all-caps photo credit ("… NAME SURNAME/UN PHOTO") or starting with
  "Photo:"; a short unpunctuated block just before a caption is its heading. Captions are kept, flagged.
Language: per block, counts of English and French marker words (seed `language_markers.csv`) decide
'fr' (more French than English markers, at least two), 'other' (eight or more words, no markers of
either) or 'en'.
"""

from dataclasses import dataclass

import polars as pl

_CAPTION_CREDIT = (
    r"(?:[.!?”\"’)]\s*|\s{1})(?:\p{Lu}[\p{Lu}'’.\-]*(?:\s+|/))+\p{Lu}[\p{Lu}'’.\-]+\s*$"
    r"|(?i)^(?:photo|picture|image|credit)\s*:"
)
_TERMINAL = r"[.!?:;”\"’)\]]\s*$"
_WRAPPED_END = r"(?i)(?:[,\-–—]|\b(?:a|an|the|of|and|or|to|in|on|at|by|for|from|with|that|as|its|their))$"
_NAME_ONLY = r"^\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3}$"
_MARKDOWN_PREFIX = r"^(?:#{1,6}\s+|[-*+]\s+|>\s*)"
BLOCK_SEPARATOR = "\n\n"
# Work bounds: every later step pairs mentions within a sentence or a paragraph, so their length bounds
# that work (news paragraphs stay under ~1,000 characters, sentences under ~500).
MAX_PARAGRAPH_CHARS = 4_000
MAX_SENTENCE_CHARS = 1_000


@dataclass(frozen=True)
class CleanResult:
    """Outputs of `clean_documents` (see module docstring for each frame's grain); `unstructured` has one
    row per article flagged `text_without_structure` (article_id, detail)."""

    paragraphs: pl.DataFrame
    bodies: pl.DataFrame
    removed: pl.DataFrame
    unstructured: pl.DataFrame


def cut_long_texts(frame: pl.LazyFrame, limit: int, text: str = "text") -> pl.LazyFrame:
    """Rows whose `text` is longer than `limit` characters, cut into pieces of whole words.

    Adds `cut_start` (character offset of the piece in the original text; 0 for rows left whole) and
    `is_cut`. A piece holds the words that start within one `limit`-sized stretch, so it is at most
    2 × `limit` long; a word longer than `limit` (no spaces at all) is cut every `limit` characters.
    The single spaces between pieces are dropped. Work is linear in the text length.
    """
    length = pl.col(text).str.len_chars()
    whole = frame.filter(length <= limit).with_columns(
        pl.lit(0, pl.Int32).alias("cut_start"), pl.lit(False).alias("is_cut")
    )
    long = frame.filter(length > limit).with_row_index("_long_row")
    size = pl.col("_word").str.len_chars().cast(pl.Int64)
    pieces = (
        long.select("_long_row", pl.col(text).str.split(" ").alias("_word"))
        .explode("_word")
        .with_columns(_size=size, _word_start=(size + 1).cum_sum().over("_long_row") - (size + 1))
        .with_columns(_offset=pl.int_ranges(0, pl.max_horizontal(pl.col("_size"), 1), limit))
        .explode("_offset")
        .with_columns(_start=pl.col("_word_start") + pl.col("_offset"))
        .with_columns(_end=pl.min_horizontal(pl.col("_start") + limit, pl.col("_word_start") + pl.col("_size")))
        .group_by("_long_row", (pl.col("_start") // limit).alias("_window"))
        .agg(pl.col("_start").min(), pl.col("_end").max())
    )
    cut = (
        long.join(pieces, on="_long_row")
        .with_columns(
            pl.col(text).str.slice(pl.col("_start"), pl.col("_end") - pl.col("_start")),
            pl.col("_start").cast(pl.Int32).alias("cut_start"),
            pl.lit(True).alias("is_cut"),
        )
        .filter(pl.col(text).str.len_chars() > 0)
        .drop("_long_row", "_window", "_start", "_end")
    )
    return pl.concat([whole, cut], how="vertical_relaxed")


def split_blocks(documents: pl.LazyFrame) -> pl.LazyFrame:
    """One row per non-empty block (article_id, block_no, text).

    Lines are blocks of their own, except hard-wrapped prose: a line followed by one starting in lower
    case, or ending in a comma, a dash or a function word ("of", "the", "and" …), continues into the next.
    """
    lines = (
        documents.select("article_id", pl.col("original_text").str.split("\n").alias("line"))
        .explode("line")
        .with_columns(pl.col("line").str.strip_chars())
    )
    next_line = pl.col("line").shift(-1).over("article_id").fill_null("")
    continues = (next_line != "") & (
        next_line.str.contains(r"^\p{Ll}")
        | (pl.col("line").str.contains(_WRAPPED_END) & ~pl.col("line").str.contains(_CAPTION_CREDIT))
    )
    return (
        lines.with_columns(continues.alias("continues"))
        .with_columns((~pl.col("continues").shift(1).over("article_id").fill_null(False)).alias("starts"))
        .filter(pl.col("line") != "")
        .with_columns((pl.col("starts").cast(pl.Int32).cum_sum().over("article_id") - 1).alias("block_no"))
        .group_by("article_id", "block_no", maintain_order=True)
        .agg(pl.col("line").str.join(" ").alias("text"))
        .with_columns(pl.col("text").str.replace(_MARKDOWN_PREFIX, ""))
    )


def _pattern_hit(patterns: pl.DataFrame, action: str) -> pl.Expr:
    regexes = patterns.filter(pl.col("action") == action)["pattern"].to_list()
    if not regexes:
        return pl.lit(False)
    return pl.col("text").str.contains("(?i)(?:" + "|".join(f"(?:{r})" for r in regexes) + ")")


def classify_blocks(blocks: pl.LazyFrame, titles: pl.LazyFrame, patterns: pl.DataFrame) -> pl.LazyFrame:
    """Add `reason` (null when kept) and `is_caption` to each block; see module docstring."""
    by_article = "article_id"
    titlelike = (pl.col("text").str.len_chars() < 120) & ~pl.col("text").str.contains(_TERMINAL)
    is_caption_text = pl.col("text").str.contains(_CAPTION_CREDIT)
    return (
        blocks.join(titles, on=by_article, how="left")
        .sort(by_article, "block_no")
        .with_columns(
            _pattern_hit(patterns, "drop_line").alias("hit_line"),
            _pattern_hit(patterns, "drop_list").alias("hit_list"),
            _pattern_hit(patterns, "drop_rest").alias("hit_rest"),
            _pattern_hit(patterns, "drop_bio").alias("hit_bio"),
            titlelike.alias("titlelike"),
            is_caption_text.alias("caption_text"),
            (
                pl.col("title").is_not_null() & (_comparable(pl.col("text")) == _comparable(pl.col("title")))
            ).alias("is_title"),
        )
        .with_columns(
            # a name-only line directly before a biography belongs to it
            (
                pl.col("hit_bio")
                | (pl.col("text").str.contains(_NAME_ONLY) & pl.col("hit_bio").shift(-1).over(by_article))
            )
            .fill_null(False)
            .alias("bio_start"),
            # related-articles lists: the heading plus the title-like run after it
            ((~pl.col("titlelike") & ~pl.col("hit_list")).cast(pl.Int32).cum_sum().over(by_article)).alias(
                "run"
            ),
        )
        .with_columns(
            (pl.col("bio_start") | pl.col("hit_rest"))
            .cast(pl.Int32)
            .cum_max()
            .over(by_article)
            .alias("tail"),
            (pl.col("hit_list").cast(pl.Int32).cum_sum().over(by_article, "run") > 0).alias("in_list"),
            (
                pl.col("caption_text")
                | (pl.col("titlelike") & pl.col("caption_text").shift(-1).over(by_article))
            )
            .fill_null(False)
            .alias("is_caption"),
        )
        .with_columns(
            pl.when(pl.col("tail") > 0)
            .then(
                pl.when(pl.col("bio_start").cum_max().over(by_article))
                .then(pl.lit("author_bio"))
                .otherwise(pl.lit("page_tail"))
            )
            .when(pl.col("in_list") & (pl.col("titlelike") | pl.col("hit_list")))
            .then(pl.lit("related_list"))
            .when(pl.col("hit_line"))
            .then(pl.lit("chrome"))
            .when(pl.col("is_title"))
            .then(pl.lit("title"))
            .alias("reason")
        )
        .select(by_article, "block_no", "text", "reason", "is_caption")
    )


def _comparable(text: pl.Expr) -> pl.Expr:
    """Lower case, straight quotes, single spaces: for comparing a block with the title."""
    return (
        text.str.strip_chars()
        .str.to_lowercase()
        .str.replace_all(r"[’‘]", "'")
        .str.replace_all(r"[“”]", '"')
        .str.replace_all(r"\s+", " ")
    )


def detect_language(markers: pl.DataFrame) -> pl.Expr:
    """'fr', 'other' or 'en' for the `text` column, from marker-word counts (see module docstring)."""
    english = markers.filter(pl.col("language") == "en")["word"].to_list()
    french = markers.filter(pl.col("language") == "fr")["word"].to_list()
    words = pl.col("text").str.to_lowercase().str.extract_all(r"\p{L}+")
    en = words.list.eval(pl.element().is_in(english)).list.sum()
    fr = words.list.eval(pl.element().is_in(french)).list.sum()
    return (
        pl.when((fr >= 2) & (fr > en))
        .then(pl.lit("fr"))
        .when((words.list.len() >= 8) & (en == 0) & (fr == 0))
        .then(pl.lit("other"))
        .otherwise(pl.lit("en"))
    )


def clean_documents(documents: pl.DataFrame, patterns: pl.DataFrame, markers: pl.DataFrame) -> CleanResult:
    """Cleaned bodies, paragraphs with offsets, and the removed blocks (see module docstring)."""
    lazy = documents.lazy()
    titles = lazy.select("article_id", "title")
    blocks = (
        cut_long_texts(split_blocks(lazy), MAX_PARAGRAPH_CHARS)
        .sort("article_id", "block_no", "cut_start")
        .with_columns(pl.int_range(pl.len()).over("article_id").cast(pl.Int32).alias("block_no"))
        .collect()
    )
    classified = classify_blocks(blocks.lazy().drop("cut_start", "is_cut"), titles, patterns).collect()
    kept = (
        classified.lazy()
        .filter(pl.col("reason").is_null())
        .sort("article_id", "block_no")
        .with_columns(
            pl.int_range(pl.len()).over("article_id").cast(pl.Int32).alias("paragraph_no"),
            pl.col("text").str.len_chars().cast(pl.Int32).alias("length"),
        )
        .with_columns(
            (
                pl.col("length").cum_sum().over("article_id")
                - pl.col("length")
                + pl.col("paragraph_no") * len(BLOCK_SEPARATOR)
            )
            .cast(pl.Int32)
            .alias("char_start")
        )
        .with_columns(
            (pl.col("char_start") + pl.col("length")).alias("char_end"),
            detect_language(markers).alias("language"),
        )
        .select("article_id", "paragraph_no", "char_start", "char_end", "text", "is_caption", "language")
        .collect()
    )
    bodies = (
        documents.select("article_id")
        .join(
            kept.group_by("article_id", maintain_order=True).agg(
                pl.col("text").str.join(BLOCK_SEPARATOR).alias("body")
            ),
            on="article_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.col("body").fill_null(""))
    )
    removed = classified.filter(pl.col("reason").is_not_null()).select(
        "article_id", "block_no", "text", "reason"
    )
    return CleanResult(paragraphs=kept, bodies=bodies, removed=removed, unstructured=_unstructured(blocks))


def _unstructured(blocks: pl.DataFrame) -> pl.DataFrame:
    """Articles with a block cut at MAX_PARAGRAPH_CHARS or a run of more than MAX_SENTENCE_CHARS
    characters without a sentence end (article_id, detail)."""
    longest_run = (
        pl.col("text").str.extract_all(r"[^.!?]+").list.eval(pl.element().str.len_chars()).list.max().fill_null(0)
    )
    return (
        blocks.filter(pl.col("text").str.len_chars() > MAX_SENTENCE_CHARS)
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("is_cut").sum().alias("cut"), longest_run.max().alias("run"))
        .filter((pl.col("cut") > 0) | (pl.col("run") > MAX_SENTENCE_CHARS))
        .select(
            "article_id",
            pl.format(
                "{} paragraph piece(s) cut at {} characters; longest run without a sentence end {} characters "
                "(sentences are cut at {})",
                "cut",
                pl.lit(MAX_PARAGRAPH_CHARS),
                "run",
                pl.lit(MAX_SENTENCE_CHARS),
            ).alias("detail"),
        )
    )
