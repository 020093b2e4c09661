"""The per-article function: a batch of articles in, every extracted table out (pure Polars, no I/O).

This is the one seam both engines call (in-process by default, later Spark through mapInArrow): rows
of one article never depend on another article, so any partition of the articles gives the same rows.
"""

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.extract import contributions, dates, deployments, dictionary, figures, forces, sentences
from orchestration.extract.schema import (
    CONTRIBUTION_CLAIM_SCHEMA,
    CUE_SCHEMA,
    DEPLOYMENT_CLAIM_SCHEMA,
    MENTION_SCHEMA,
    SENTENCE_SCHEMA,
)


@dataclass(frozen=True)
class Reference:
    """Reference data the extractor reads (loaded once per process from the seeds)."""

    lexicon: dictionary.Dictionary
    cue_terms: pl.DataFrame
    abbreviations: pl.DataFrame
    figure_vocabulary: dict[str, pl.DataFrame]
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
    optionally source and url: the publisher) and their `paragraphs` (raw.paragraphs rows):
    {"sentences", "mentions", "cues", "deployment_claims", "contribution_claims"}, each with the columns
    of the raw table of that name."""
    found_sentences = sentences.split_sentences(paragraphs.lazy(), reference.abbreviations).collect()
    lazy_articles = articles.lazy()
    lazy_sentences = found_sentences.lazy()
    found_mentions = pl.concat(
        [
            dictionary.find_entity_mentions(lazy_sentences, lazy_articles, reference.lexicon),
            figures.find_figures(lazy_sentences, reference.figure_vocabulary),
            dates.find_dates(lazy_sentences, lazy_articles),
        ]
    ).collect()
    found_cues = dictionary.find_cues(lazy_sentences, reference.cue_terms).collect()
    context = forces.force_context(
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
        context, lazy_articles, reference.unit_types["unit_type"].to_list()
    ).collect()
    contribution_claims = contributions.find_contribution_claims(
        context,
        deployment_claims.lazy(),
        found_cues.lazy(),
        lazy_articles,
        reference.unit_types,
        reference.figure_vocabulary["number_words"],
    ).collect()
    return {
        "sentences": found_sentences.select(SENTENCE_SCHEMA.keys()),
        "mentions": found_mentions.select(MENTION_SCHEMA.keys()),
        "cues": found_cues.select(CUE_SCHEMA.keys()),
        "deployment_claims": deployment_claims.select(DEPLOYMENT_CLAIM_SCHEMA.keys()),
        "contribution_claims": contribution_claims.select(CONTRIBUTION_CLAIM_SCHEMA.keys()),
    }
