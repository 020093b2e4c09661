"""The per-article function: a batch of articles in, every extracted table out (pure Polars, no I/O).

This is the one seam both engines call (in-process by default, later Spark through mapInArrow): rows
of one article never depend on another article, so any partition of the articles gives the same rows.
"""

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.extract import (
    aggregates,
    attacks,
    casualties,
    context,
    contributions,
    dates,
    deployments,
    dictionary,
    figures,
    forces,
    incidents,
    sentences,
)
from orchestration.extract.integrity import HELD_SCHEMA, hold_back
from orchestration.extract.schema import (
    ATTACK_CLAIM_SCHEMA,
    CASUALTY_CLAIM_SCHEMA,
    CONTRIBUTION_CLAIM_SCHEMA,
    CUE_SCHEMA,
    DEPLOYMENT_CLAIM_SCHEMA,
    FIGURE_CLAIM_SCHEMA,
    MENTION_SCHEMA,
    SENTENCE_SCHEMA,
)
from orchestration.extract.spans import leftmost_longest

HELD_TABLE = "held_articles"


@dataclass(frozen=True)
class Reference:
    """Reference data the extractor reads (loaded once per process from the seeds)."""

    lexicon: dictionary.Dictionary
    cue_terms: pl.DataFrame
    abbreviations: pl.DataFrame
    figure_vocabulary: dict[str, pl.DataFrame]
    claim_vocabulary: dict[str, pl.DataFrame]
    force_vocabulary: forces.ForceVocabulary
    unit_types: pl.DataFrame  # seed unit_types: unit_type, personnel_type
    person_units: list[str]  # seed unit_classes: units of class person
    broad_place_types: list[str]  # seed broad_place_types

    @classmethod
    def load(cls, seeds_dir: Path) -> "Reference":
        unit_classes = pl.read_csv(seeds_dir / "unit_classes.csv", infer_schema=False)
        return cls(
            lexicon=dictionary.load_dictionary(seeds_dir),
            cue_terms=pl.read_csv(seeds_dir / "cue_terms.csv"),
            abbreviations=sentences.load_abbreviations(seeds_dir),
            figure_vocabulary=figures.load_figure_vocabulary(seeds_dir),
            claim_vocabulary=context.load_claim_vocabulary(seeds_dir),
            force_vocabulary=forces.load_force_vocabulary(seeds_dir),
            unit_types=pl.read_csv(seeds_dir / "unit_types.csv", infer_schema=False).select(
                "unit_type", "personnel_type"
            ),
            person_units=unit_classes.filter(pl.col("unit_class") == "person")["unit"].to_list(),
            broad_place_types=pl.read_csv(seeds_dir / "broad_place_types.csv", infer_schema=False)[
                "place_type"
            ].to_list(),
        )


def extract_articles(
    articles: pl.DataFrame, paragraphs: pl.DataFrame, reference: Reference
) -> dict[str, pl.DataFrame]:
    """Tables extracted from `articles` (article_id, body, published_date, published_precision, and
    optionally source and url: the publisher, and title) and their `paragraphs` (raw.paragraphs rows):
    {"sentences", "mentions", "cues", "casualty_claims", "attack_claims", "figure_claims",
    "deployment_claims", "contribution_claims"}, each with the columns of the raw table of that name.
    Mentions of one type never overlap (leftmost-longest), so `mention_id` is unique by construction."""
    found_sentences = sentences.split_sentences(paragraphs.lazy(), reference.abbreviations).collect()
    lazy_articles = articles.lazy()
    lazy_sentences = found_sentences.lazy()
    found_mentions = leftmost_longest(
        pl.concat(
            [
                dictionary.find_entity_mentions(lazy_sentences, lazy_articles, reference.lexicon),
                figures.find_figures(lazy_sentences, reference.figure_vocabulary),
                dates.find_dates(lazy_sentences, lazy_articles),
            ]
        ).collect(),
        ["article_id", "mention_type"],
    ).sort("article_id", "char_start", "mention_type")
    found_cues = dictionary.find_cues(lazy_sentences, reference.cue_terms).collect()
    attack_tables = attack_claim_tables(
        articles, found_sentences, found_mentions, found_cues, reference.claim_vocabulary
    )
    # a figure counted as casualties ("the number of peacekeepers killed has risen to three") is never
    # the strength of a force
    force_mentions = found_mentions.join(
        attack_tables["casualty_claims"].select("mention_id").drop_nulls(), on="mention_id", how="anti"
    )
    return {
        "sentences": found_sentences.select(SENTENCE_SCHEMA.keys()),
        "mentions": found_mentions.select(MENTION_SCHEMA.keys()),
        "cues": found_cues.select(CUE_SCHEMA.keys()),
        **attack_tables,
        **force_claim_tables(articles, found_sentences, force_mentions, found_cues, reference),
    }


def attack_claim_tables(
    articles: pl.DataFrame,
    found_sentences: pl.DataFrame,
    found_mentions: pl.DataFrame,
    found_cues: pl.DataFrame,
    vocabulary: dict[str, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """Attack, casualty and aggregate-figure claims of the articles, from their sentences, mentions and
    cues: {"casualty_claims", "attack_claims", "figure_claims"} (module docstrings of casualties.py,
    incidents.py, attacks.py, aggregates.py)."""
    lazy_articles, lazy_sentences = articles.lazy(), found_sentences.lazy()
    lazy_mentions, lazy_cues = found_mentions.lazy(), found_cues.lazy()
    segments = (
        context.segment_context(lazy_sentences, lazy_articles, lazy_mentions, lazy_cues, vocabulary)
        .collect()
        .lazy()
    )
    mentions_by_segment = context.by_segment(lazy_mentions, segments).collect().lazy()
    cues_by_segment = context.by_segment(lazy_cues, segments).collect().lazy()
    claims = casualties.find_casualty_claims(segments, lazy_mentions, lazy_cues, vocabulary).collect().lazy()
    passages = (
        incidents.find_passages(segments, mentions_by_segment, cues_by_segment, claims, vocabulary)
        .collect()
        .lazy()
    )
    attack_rows, claims, incident_segments = pl.collect_all(
        attacks.find_attack_claims(
            segments, passages, mentions_by_segment, cues_by_segment, claims, lazy_articles, vocabulary
        )
    )
    told = (
        incident_segments.lazy()
        .join(segments, on=["article_id", "segment_index"])
        .select("article_id", "sentence_no")
    )
    figure_rows = aggregates.find_figure_claims(
        lazy_sentences, segments, lazy_mentions, lazy_cues, claims.lazy(), told, vocabulary
    ).collect()
    return {
        "casualty_claims": claims.select(CASUALTY_CLAIM_SCHEMA.keys()),
        "attack_claims": attack_rows.select(ATTACK_CLAIM_SCHEMA.keys()),
        "figure_claims": figure_rows.select(FIGURE_CLAIM_SCHEMA.keys()),
    }


def force_claim_tables(
    articles: pl.DataFrame,
    found_sentences: pl.DataFrame,
    found_mentions: pl.DataFrame,
    found_cues: pl.DataFrame,
    reference: Reference,
) -> dict[str, pl.DataFrame]:
    """Deployment and contribution claims of the articles, from their sentences, mentions and cues:
    {"deployment_claims", "contribution_claims"} (module docstrings of forces.py, deployments.py,
    contributions.py)."""
    lazy_articles = articles.lazy()
    force_context = forces.force_context(
        articles,
        found_sentences,
        found_mentions,
        found_cues,
        reference.lexicon,
        reference.force_vocabulary,
        reference.person_units,
        reference.broad_place_types,
    )
    deployment_claims = deployments.find_deployment_claims(
        force_context, lazy_articles, reference.unit_types["unit_type"].to_list()
    ).collect()
    contribution_claims = contributions.find_contribution_claims(
        force_context,
        deployment_claims.lazy(),
        found_cues.lazy(),
        lazy_articles,
        reference.unit_types,
        reference.figure_vocabulary["number_words"],
    ).collect()
    return {
        "deployment_claims": deployment_claims.select(DEPLOYMENT_CLAIM_SCHEMA.keys()),
        "contribution_claims": contribution_claims.select(CONTRIBUTION_CLAIM_SCHEMA.keys()),
    }


def nest_paragraphs(articles: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """One row per article: `articles`' columns and `paragraphs`, the list of its raw.paragraphs rows
    (in paragraph order) — the batch shape `extract_batch` takes, one self-contained row per article."""
    nested = paragraphs.sort("article_id", "paragraph_no").group_by("article_id", maintain_order=True).agg(
        pl.struct(paragraphs.columns).alias("paragraphs")
    )
    return articles.join(nested, on="article_id", how="left", maintain_order="left")


def extract_batch(batch: pl.DataFrame, reference: Reference) -> dict[str, pl.DataFrame]:
    """The engines' entry: `extract_isolated` on a `nest_paragraphs` batch; the articles held back are
    the table HELD_TABLE (integrity.HELD_SCHEMA)."""
    paragraphs = batch.select(pl.col("paragraphs").explode()).unnest("paragraphs").drop_nulls("article_id")
    tables, held = extract_isolated(batch.drop("paragraphs"), paragraphs, reference)
    return {**tables, HELD_TABLE: held}


def extract_isolated(
    articles: pl.DataFrame, paragraphs: pl.DataFrame, reference: Reference
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """`extract_articles` on a batch, minus the articles held back: (tables, held as in `integrity`).

    When the extractor raises, each half of the batch is tried on its own, down to single articles,
    so one article that breaks it is held (`extract_error`) and the others are extracted.
    """
    try:
        tables = extract_articles(articles, paragraphs, reference)
    except Exception as error:  # noqa: BLE001 - one article's failure never stops the others
        if articles.height == 1:
            detail = f"{type(error).__name__}: {error}"[:300]
            held = pl.DataFrame(
                {"article_id": articles["article_id"], "reason": ["extract_error"], "detail": [detail]},
                schema=HELD_SCHEMA,
            )
            return {}, held
        middle = articles.height // 2
        parts = [
            extract_isolated(
                half, paragraphs.filter(pl.col("article_id").is_in(half["article_id"].implode())), reference
            )
            for half in (articles.head(middle), articles.tail(articles.height - middle))
        ]
        names = {name for part_tables, _ in parts for name in part_tables}
        tables = {
            name: pl.concat([part_tables[name] for part_tables, _ in parts if name in part_tables])
            for name in names
        }
        return tables, pl.concat([held for _, held in parts])
    return hold_back(tables, articles)

