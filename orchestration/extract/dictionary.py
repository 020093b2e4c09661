"""Dictionary matcher: actor, country and place mentions, titled persons, and cue words.

Matching (all vectorized Polars, no per-row Python):
1. Sentence text is folded length-preservingly to ASCII (`folding.py`): Gérard = Gerard, SÉVARÉ =
   Sévaré, punctuation = space for matching (Al-Qaeda = Al Qaeda), and ASCII offsets equal
   character offsets.
2. Aho-Corasick (`str.find_many` / `str.extract_many`, leftmost, keys sorted longest first) finds
   leftmost-longest alias keys; keys start with a space and a hit must end a word, so it is always a
   whole-word match ("Ber" never inside "Bern", "Niger" never inside "Nigeria").
3. An alias marked case_sensitive (short acronyms: UN, AU, MAA) must match exactly after accent folding;
   an alias written with a capital first letter needs a capital in the text (places, names).
4. A place name shared by several gazetteer places is resolved by context, in this order: major places
   (prominence rank <= 2: capitals, cities, towns, regions) first; then the article's focus country
   (most frequent country among its country mentions and anchor places); then distance to the
   centroid of the article's anchor places; then prominence; then population. Anchors are hits with
   one candidate or with exactly one major candidate.
   match_method records it: 'gazetteer' (one candidate) or 'gazetteer:ambiguous:<n>' (n candidates).
5. An all-caps token of 4-8 letters that is no alias but a letter permutation of exactly one actor
   acronym (NMLA → MNLA) matches that actor with match_method 'acronym_variant'.
6. Persons not in the dictionary are found by the cue words of seed person_cues.csv: a title before
   the name (President X), a role in an apposition after it (X, the mission's spokeswoman), a speech
   verb after (X said) or before it (said X, according to X). They become actor_type 'person' with
   entity_id null and match_method 'title_rule'. A person span wins over a shorter dictionary mention
   inside it ("Chad Smith"); a dictionary mention covering the whole span wins ("Chad said").

Speed: sentences are split by article into one part per Polars thread and every stage is collected for all
parts at once (`pl.collect_all`), so both cores work; sentences the fold would not change skip it; one
Aho-Corasick pass marks every hit (`_keyword_hits`), about a fifth of the CPU time; the dictionary is cached
per process (`load_dictionary`).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from orchestration.extract.folding import ascii_fold, changed_by_ascii_fold, key_of_ascii, match_key
from orchestration.extract.schema import CUE_SCHEMA, MENTION_SCHEMA, conform, mention_id
from orchestration.extract.spans import alternation, regex_spans

MAJOR_PLACE_RANK = 2
PARALLEL_MIN_SENTENCES = 20_000  # below this, one part: a second part would only rebuild the automata
DICTIONARY_SEEDS = ("actors", "actor_aliases", "places", "place_types", "place_aliases", "person_cues")
ACRONYM_VARIANT_TOKEN = r"(?P<pre>)(?P<core>\b[A-Z]{4,8}\b)(?P<post>)"
NAME_TOKEN = r"[A-Z][A-Za-z]*(?:['-][A-Za-z]{2,})*"
NAME = rf"{NAME_TOKEN}(?: (?:(?:ag|al|bin|ben|de|da|du|el|ould|van|der|von) )?{NAME_TOKEN}){{0,3}}"
SENTENCE_COLUMNS = ("article_id", "sentence_no", "sentence_start", "text")  # carried by every hit
ENTITY_COLUMNS = {
    "mention_type": pl.String,
    "entity_id": pl.String,
    "canonical_name": pl.String,
    "actor_type": pl.String,
    "country_iso3": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "admin1": pl.String,
    "place_type": pl.String,
    "prominence_rank": pl.Int32,
    "population": pl.Int64,
}


@dataclass(frozen=True)
class Dictionary:
    """Reference frames for one run, built by `load_dictionary`.

    aliases: one row per (alias, entity): key (a space + match_key of the alias), alias_ascii, case_sensitive,
        needs_capital, candidate_count (entities sharing the key), match_method and ENTITY_COLUMNS.
    keys: the distinct alias keys, longest first (leftmost-longest Aho-Corasick).
    acronyms: one row per letter_key (sorted letters) naming exactly one actor: letter_key + ENTITY_COLUMNS.
    person_cues: seed person_cues.csv (term, cue_kind, description).
    """

    aliases: pl.DataFrame
    keys: list[str]
    acronyms: pl.DataFrame
    person_cues: pl.DataFrame


def _read_seed(seeds_dir: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(seeds_dir / f"{name}.csv", infer_schema=False)


def _alias_columns(alias: pl.Expr) -> list[pl.Expr]:
    return [
        _search_key(alias).alias("key"),
        ascii_fold(alias).alias("alias_ascii"),
        alias.str.contains(r"^[\p{Lu}]").alias("needs_capital"),
    ]


def load_dictionary(seeds_dir: Path) -> Dictionary:
    """Read the actor, country and place seeds in `seeds_dir` into matcher-ready frames.

    Cached per process, keyed by the seeds' paths and modification times: an edited seed is read again.
    """
    paths = [Path(seeds_dir).resolve() / f"{name}.csv" for name in DICTIONARY_SEEDS]
    return _load_dictionary(Path(seeds_dir).resolve(), tuple(path.stat().st_mtime_ns for path in paths))


@cache
def _load_dictionary(seeds_dir: Path, mtimes: tuple[int, ...]) -> Dictionary:
    """`load_dictionary` for one state of the seed files (`mtimes` is only the cache key)."""
    actors = _read_seed(seeds_dir, "actors")
    actor_aliases = (
        _read_seed(seeds_dir, "actor_aliases")
        .join(actors, on="actor_id")
        .select(
            *_alias_columns(pl.col("alias")),
            (pl.col("case_sensitive") == "true").alias("case_sensitive"),
            pl.lit("actor").alias("mention_type"),
            pl.col("actor_id").alias("entity_id"),
            pl.col("name").alias("canonical_name"),
            "actor_type",
            "country_iso3",
        )
    )
    places = _read_seed(seeds_dir, "places").join(
        _read_seed(seeds_dir, "place_types").select("place_type", "prominence_rank"),
        on="place_type",
        how="left",
    )
    place_aliases = (
        _read_seed(seeds_dir, "place_aliases")
        .join(places, on="place_id")
        .select(
            *_alias_columns(pl.col("alias")),
            pl.lit(False).alias("case_sensitive"),
            pl.lit("place").alias("mention_type"),
            pl.col("place_id").alias("entity_id"),
            pl.col("name").alias("canonical_name"),
            pl.lit(None, pl.String).alias("actor_type"),
            "country_iso3",
            "latitude",
            "longitude",
            "admin1",
            "place_type",
            "prominence_rank",
            "population",
        )
    )
    aliases = (
        pl.concat([actor_aliases, place_aliases], how="diagonal")
        .with_columns([pl.col(name).cast(dtype) for name, dtype in ENTITY_COLUMNS.items()])
        # One row per (key, entity); a case-insensitive spelling wins over a case-sensitive one.
        .sort("case_sensitive", maintain_order=True)
        .unique(["key", "entity_id"], keep="first", maintain_order=True)
        .with_columns(pl.col("entity_id").n_unique().over("key").cast(pl.Int32).alias("candidate_count"))
        .with_columns(
            pl.when(pl.col("mention_type") == "actor")
            .then(pl.lit("dictionary"))
            .when(pl.col("candidate_count") == 1)
            .then(pl.lit("gazetteer"))
            .otherwise(pl.lit("gazetteer:ambiguous:") + pl.col("candidate_count").cast(pl.String))
            .alias("match_method")
        )
    )
    keys = (
        aliases.select(pl.col("key").unique())
        .filter(pl.col("key").str.len_bytes() > 1)  # an empty alias would match every space
        .sort(pl.col("key").str.len_bytes(), "key", descending=[True, False])
        .get_column("key")
        .to_list()
    )
    acronyms = (
        aliases.filter(pl.col("mention_type") == "actor", pl.col("alias_ascii").str.contains(r"^[A-Z]{4,8}$"))
        .with_columns(_letter_key(pl.col("alias_ascii")).alias("letter_key"))
        .unique(["letter_key", "entity_id"])
        .filter(pl.len().over("letter_key") == 1)
        .select("letter_key", *ENTITY_COLUMNS)
    )
    return Dictionary(aliases, keys, acronyms, _read_seed(seeds_dir, "person_cues"))


def _search_key(term: pl.Expr) -> pl.Expr:
    """Aho-Corasick pattern of a term: a space + its match key, so a hit always starts a word."""
    return pl.lit(" ") + match_key(term)


def _letter_key(token: pl.Expr) -> pl.Expr:
    """Letters of `token` in sorted order: equal for all permutations of the same letters."""
    return token.str.split("").list.sort().list.join("")


def _prepared(sentences: pl.LazyFrame) -> pl.LazyFrame:
    """English sentences with a row_id, their ASCII fold (`ascii`) and a space + their match key text
    (`key_text`: character i of the sentence is character i + 1 here)."""
    english = (
        sentences.filter(pl.col("language") == "en")
        .select("article_id", "sentence_no", pl.col("char_start").alias("sentence_start"), "text")
        .with_row_index("row_id")
        .with_columns(changed_by_ascii_fold(pl.col("text")).alias("needs_fold"))
    )
    # Only the few sentences the fold changes pay for it (row order does not matter downstream).
    return pl.concat(
        [
            english.filter(~pl.col("needs_fold")).with_columns(pl.col("text").alias("ascii")),
            english.filter(pl.col("needs_fold")).with_columns(ascii_fold(pl.col("text")).alias("ascii")),
        ]
    ).select(pl.exclude("needs_fold"), key_of_ascii(pl.lit(" ") + pl.col("ascii")).alias("key_text"))


def _keyword_hits(prepared: pl.LazyFrame, keys: list[str], carry: tuple[str, ...] = ()) -> pl.LazyFrame:
    """One row per leftmost-longest key hit on word boundaries: row_id, start, end (in the sentence), key,
    ascii and the `carry` columns of `prepared`.

    `keys` (from `_search_key`, a Python list sorted longest first: a list literal builds one automaton
    per call) start with a space and are searched in key_text (which starts with a space), so every hit
    starts a word; the word must also end there (a space or the end follows), and not in a contraction
    ("Don't"). The texts travel through the explode as views (no copy) for the boundary test.

    One Aho-Corasick pass (`replace_many`) rewrites every hit into a same-length mark: \x01 on its first
    character (the space) and \x02 on its last. ASCII text holds neither, so two single-byte searches
    give each hit's start and last offset, in the same order; the key is read back from key_text.
    """
    following = pl.col("key_text").str.slice(pl.col("end") + 1, 1)
    contraction = pl.col("ascii").str.slice(pl.col("end"), 2).str.contains("^'[A-RT-Za-rt-z]")
    marks = ["\x01" + key[1:-1] + "\x02" for key in keys]
    return (
        prepared.select(
            "row_id",
            "key_text",
            "ascii",
            *carry,
            pl.col("key_text").str.replace_many(keys, marks, leftmost=True).alias("marked"),
        )
        .with_columns(
            pl.col("marked").str.find_many(["\x01"]).alias("start"),
            pl.col("marked").str.find_many(["\x02"]).alias("end"),
        )
        .drop("marked")
        .explode(["start", "end"])
        .drop_nulls("start")
        .with_columns(pl.col("start").cast(pl.Int32), pl.col("end").cast(pl.Int32))
        .with_columns(
            pl.col("key_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start") + 1).alias("key")
        )
        .filter(following.is_in([" ", ""]))
        .filter(~contraction)
        .drop("key_text")
    )


def _surface(column: str = "text") -> pl.Expr:
    return pl.col(column).str.slice(pl.col("start"), pl.col("end") - pl.col("start"))


def _regex_spans(prepared: pl.LazyFrame, pattern: str) -> pl.LazyFrame:
    """Spans of group `core` of `pattern` (`pre` and `post` around it) in column `ascii`, by
    `spans.regex_spans`: prepared columns + start, end."""
    return (
        regex_spans(prepared, pattern, "ascii")
        .rename({"match_start": "start", "match_end": "end"})
        .drop("match")
    )


def _dictionary_hits(prepared: pl.LazyFrame, dictionary: Dictionary) -> pl.LazyFrame:
    """Alias hits joined to their candidate entities (several rows per hit for an ambiguous place)."""
    surface_ascii = _surface("ascii")
    return (
        _keyword_hits(prepared, dictionary.keys, carry=SENTENCE_COLUMNS)
        .join(dictionary.aliases.lazy(), on="key")
        .filter(
            ~pl.col("case_sensitive") | (surface_ascii == pl.col("alias_ascii")),
            ~pl.col("needs_capital") | pl.col("ascii").str.slice(pl.col("start"), 1).str.contains("^[A-Z]"),
        )
        .drop("ascii")
    )


def _resolve_places(hits: pl.LazyFrame) -> pl.LazyFrame:
    """Keep one entity per hit: ambiguous places resolved by article context (module docstring, step 4)."""
    is_major = pl.col("prominence_rank").fill_null(99) <= MAJOR_PLACE_RANK
    single = hits.filter(pl.col("candidate_count") == 1)
    contested = hits.filter(pl.col("candidate_count") > 1)
    # Context anchors: hits with one candidate, or with exactly one major candidate (Gao the city).
    settled = pl.concat([single, contested.filter(is_major & (is_major.sum().over("row_id", "start") == 1))])
    country_votes = (
        settled.filter(pl.col("country_iso3").is_not_null())
        .group_by("article_id", "country_iso3")
        .agg(pl.len().alias("votes"))
        .sort("votes", "country_iso3", descending=[True, False])
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("country_iso3").first().alias("focus_iso3"))
    )
    centroid = (
        settled.filter(pl.col("mention_type") == "place", pl.col("latitude").is_not_null())
        .group_by("article_id")
        .agg(pl.col("latitude").mean().alias("centre_lat"), pl.col("longitude").mean().alias("centre_lon"))
    )
    distance = (pl.col("latitude") - pl.col("centre_lat")).pow(2) + (
        (pl.col("longitude") - pl.col("centre_lon")) * pl.col("latitude").radians().cos()
    ).pow(2)
    resolved = (
        contested.join(country_votes, on="article_id", how="left")
        .join(centroid, on="article_id", how="left")
        .with_columns(
            is_major.alias("is_major"),
            (pl.col("country_iso3") == pl.col("focus_iso3")).fill_null(False).alias("in_focus"),
            distance.alias("distance"),
        )
        .sort(
            ["is_major", "in_focus", "distance", "prominence_rank", "population", "entity_id"],
            descending=[True, True, False, False, True, False],
            nulls_last=True,
        )
        .unique(["row_id", "start"], keep="first", maintain_order=True)
        .select(single.collect_schema().names())
    )
    return pl.concat([single, resolved])


def _acronym_variants(prepared: pl.LazyFrame, dictionary: Dictionary) -> pl.LazyFrame:
    """All-caps tokens that are no alias but a permutation of exactly one actor acronym."""
    known = pl.LazyFrame({"key": dictionary.keys})
    return (
        _regex_spans(prepared.filter(pl.col("ascii").str.contains("[A-Z]{4}")), ACRONYM_VARIANT_TOKEN)
        .with_columns(_surface("ascii").alias("token"))
        .join(known, left_on=_search_key(pl.col("token")), right_on="key", how="anti")
        .join(dictionary.acronyms.lazy(), left_on=_letter_key(pl.col("token")), right_on="letter_key")
        .select(
            "row_id",
            *SENTENCE_COLUMNS,
            "start",
            "end",
            *ENTITY_COLUMNS,
            pl.lit("acronym_variant").alias("match_method"),
        )
    )


def _person_candidates(prepared: pl.LazyFrame, cues: pl.DataFrame) -> pl.LazyFrame:
    """Person name spans found by title, apposition-role and speech-verb cues (module docstring, step 6)."""

    def terms(kind: str) -> list[str]:
        return cues.filter(pl.col("cue_kind") == kind).get_column("term").to_list()

    titles, roles = alternation(terms("title")), alternation(terms("role"))
    verbs_after = alternation(terms("speech_verb"))
    verbs_before = alternation(terms("speech_verb") + terms("source_phrase"))
    patterns = [
        rf"(?P<pre>\b(?:(?:{titles}) )+)(?P<core>{NAME})(?P<post>)",
        rf"(?P<pre>)(?P<core>{NAME})(?P<post>, (?:(?:the|a|an|{NAME_TOKEN}'s) (?:[A-Za-z'-]+ ){{0,4}}?)?(?:{roles})(?: (?:of|for|at|in|to)\b|[,.;]|$))",
        rf"(?P<pre>)(?P<core>{NAME})(?P<post> (?:[a-z]+ly )?(?:{verbs_after})\b)",
        rf"(?P<pre>\b(?:{verbs_before}) )(?P<core>{NAME})(?P<post>)",
    ]
    cue_words = terms("title") + terms("role") + terms("speech_verb") + terms("source_phrase")
    candidates = prepared.filter(pl.col("ascii").str.contains_any(cue_words))
    leading = rf"^(?:.*\b(?:{titles}) )?(?:(?:{alternation(terms('not_name') + terms('title'))}) )*"
    # A name never contains a cue word itself ("Lt. Col. X" must not yield the person "Col").
    bare_titles = [title.rstrip(".") for title in terms("title")]
    blocked = rf"\b(?:{alternation(terms('not_person_word') + terms('not_name') + bare_titles)})\b"
    spans = pl.concat([_regex_spans(candidates, pattern) for pattern in patterns])
    return (
        spans.with_columns(_surface("ascii").alias("name"))
        .with_columns(
            pl.col("name").str.extract(f"({leading})", 1).str.len_chars().cast(pl.Int32).alias("cut")
        )
        .with_columns((pl.col("start") + pl.col("cut")).alias("start"))
        .with_columns(_surface("ascii").alias("name"))
        .filter(pl.col("end") - pl.col("start") >= 2, ~pl.col("name").str.contains(blocked))
        .unique(["row_id", "start", "end"])
        .select(
            "row_id",
            *SENTENCE_COLUMNS,
            "start",
            "end",
            pl.lit("actor").alias("mention_type"),
            pl.lit("person").alias("actor_type"),
            pl.lit("title_rule").alias("match_method"),
        )
    )


def _persons_against_dictionary(
    persons: pl.LazyFrame, found: pl.LazyFrame
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(persons kept, dictionary mentions kept) after the overlap rule of the module docstring, step 6."""
    keys = ["row_id"]
    pairs = (
        persons.select(*keys, pl.col("start").alias("p_start"), pl.col("end").alias("p_end"))
        .join(found.select(*keys, "start", "end", "mention_type"), on=keys)
        .filter(pl.col("start") < pl.col("p_end"), pl.col("p_start") < pl.col("end"))
    )
    covered = (pl.col("start") <= pl.col("p_start")) & (pl.col("end") >= pl.col("p_end"))
    person_loses = pairs.filter(covered).select(
        *keys, pl.col("p_start").alias("start"), pl.col("p_end").alias("end")
    )
    dictionary_loses = pairs.filter(~covered).select(*keys, "start", "end")
    return (
        persons.join(person_loses, on=[*keys, "start", "end"], how="anti"),
        found.join(dictionary_loses, on=[*keys, "start", "end"], how="anti"),
    )


def _article_parts(sentences: pl.LazyFrame) -> list[pl.LazyFrame]:
    """English `sentences`, split by article into one in-memory part per Polars thread (each article in
    exactly one part; a single part below PARALLEL_MIN_SENTENCES).

    Every step is per sentence or per article, so parts are matched independently and in parallel
    (`_collect_each`): a string kernel over one column otherwise runs on one core.
    """
    english = sentences.filter(pl.col("language") == "en").collect()
    count = pl.thread_pool_size()
    if count == 1 or english.height < PARALLEL_MIN_SENTENCES:
        return [english.lazy()]
    parts = english.with_columns((pl.col("article_id").hash() % count).alias("part")).partition_by(
        "part", include_key=False
    )
    return [part.lazy() for part in parts]


def _collect_each(plans: list[pl.LazyFrame]) -> list[pl.LazyFrame]:
    """Collect independent plans in parallel; a collected stage is read by later stages without recomputing
    it (a lazy plan would redo the Aho-Corasick scan for every reuse)."""
    return [frame.lazy() for frame in pl.collect_all(plans)]


def _assembled(found: pl.LazyFrame, persons: pl.LazyFrame) -> pl.LazyFrame:
    """Dictionary and person hits of one part with body offsets, surface, canonical name and mention_id."""
    mentions = pl.concat([found, persons], how="diagonal_relaxed").with_columns(
        (pl.col("sentence_start") + pl.col("start")).cast(pl.Int32).alias("char_start"),
        (pl.col("sentence_start") + pl.col("end")).cast(pl.Int32).alias("char_end"),
        _surface().alias("surface"),
    )
    return conform(
        mentions.with_columns(pl.coalesce("canonical_name", "surface").alias("canonical_name"), mention_id()),
        MENTION_SCHEMA,
    )


def find_entity_mentions(
    sentences: pl.LazyFrame, articles: pl.LazyFrame, dictionary: Dictionary
) -> pl.LazyFrame:
    """Actor, country and place mentions (MENTION_SCHEMA), one row per mention.

    Grain: one row per (article_id, char_start, mention_type). Only English sentences of articles
    present in `articles` are read; offsets are character offsets into the article body.
    """
    selected = sentences.join(articles.select("article_id"), on="article_id", how="semi")
    prepared = _collect_each([_prepared(part) for part in _article_parts(selected)])
    hits = _collect_each([_dictionary_hits(part, dictionary) for part in prepared])
    stage = _collect_each(
        [
            pl.concat(
                [_resolve_places(part_hits), _acronym_variants(part, dictionary)], how="diagonal_relaxed"
            )
            for part, part_hits in zip(prepared, hits, strict=True)
        ]
        + [_person_candidates(part, dictionary.person_cues) for part in prepared]
    )
    found, candidates = stage[: len(prepared)], stage[len(prepared) :]
    parts = []
    for part_found, part_candidates in zip(found, candidates, strict=True):
        persons, kept = _persons_against_dictionary(part_candidates, part_found)
        parts.append(_assembled(kept, persons))
    return pl.concat(parts).sort("article_id", "char_start", "mention_type")


def find_cues(sentences: pl.LazyFrame, cue_terms: pl.DataFrame) -> pl.LazyFrame:
    """Cue word hits (CUE_SCHEMA): case- and accent-insensitive, whole words, leftmost-longest.

    Grain: one row per (article_id, char_start, cue_type, cue_value); inflected forms are matched
    only when cue_terms lists them. Only English sentences are read.
    """
    terms = cue_terms.select(_search_key(pl.col("term")).alias("key"), "cue_type", "cue_value").unique()
    keys = (
        terms.select(pl.col("key").unique())
        .filter(pl.col("key").str.len_bytes() > 1)  # an empty term would match every space
        .sort(pl.col("key").str.len_bytes(), "key", descending=[True, False])
        .get_column("key")
        .to_list()
    )
    parts = [
        conform(
            _keyword_hits(
                _prepared(part), keys, carry=("article_id", "sentence_no", "sentence_start", "text")
            )
            .join(terms.lazy(), on="key")
            .with_columns(
                (pl.col("sentence_start") + pl.col("start")).alias("char_start"),
                (pl.col("sentence_start") + pl.col("end")).alias("char_end"),
                _surface().alias("surface"),
            ),
            CUE_SCHEMA,
        )
        for part in _article_parts(sentences)
    ]
    return pl.concat(parts).sort("article_id", "char_start", "cue_type")
