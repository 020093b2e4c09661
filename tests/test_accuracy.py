"""Extraction accuracy against gold annotations, as a regression guard (issue: accuracy harness).

The corpora are run through the whole pipeline (real Dagster, dbt, quality gate) and scored with
`orchestration.evaluation` (the rules of ../shared/corpus/README.md). A metric below its floor fails
the test. Floors are the level reached when they were last raised, rounded down: raise them as the
extractor improves and record the figures in the README.

- seed: the two seed articles (../shared/corpus, skipped when absent);
- sample: the sample articles in raw/ with gold in tests/gold/sample (the session's sample run);
- dev: tests/eval (articles written to exercise traps; rules were developed against it);
- holdout: tests/eval_holdout (never looked at while writing rules: the honest generalization figure);
- real_holdout: tests/eval_real_holdout (held out too, phrased after real statements, notes and pages).

Seed, dev and both held-out sets share one run: each corpus is copied into its own folder of one raw directory
and scored on its own articles only (facts are scored per article, so the other corpora's articles
change nothing but the run count).
"""

import dataclasses
import shutil
from pathlib import Path

import pytest

from orchestration.evaluation.gold import NameKeys, load_gold
from orchestration.evaluation.report import format_report
from orchestration.evaluation.scoring import score
from orchestration.evaluation.warehouse import read_predictions
from orchestration.settings import PROJECT_ROOT, SEEDS_DIR

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parent
SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
CORPORA = {
    "seed": (SHARED_CORPUS, SHARED_CORPUS / "gold"),
    "sample": (PROJECT_ROOT / "raw", TESTS / "gold" / "sample"),
    "dev": (TESTS / "eval" / "articles", TESTS / "eval" / "gold"),
    "holdout": (TESTS / "eval_holdout" / "articles", TESTS / "eval_holdout" / "gold"),
    "real_holdout": (TESTS / "eval_real_holdout" / "articles", TESTS / "eval_real_holdout" / "gold"),
}
# F1 floors per corpus and fact type, and the floor of the share of matched attacks with exact counts.
F1_FLOORS = {
    "seed": {"attacks": 1.0, "deployments": 0.95, "contributions": 0.95},
    "sample": {"attacks": 0.90, "deployments": 0.95, "contributions": 0.98},
    "dev": {"attacks": 0.95, "deployments": 0.97, "contributions": 0.95},
    "holdout": {"attacks": 0.70, "deployments": 0.80, "contributions": 0.92},
    "real_holdout": {"attacks": 0.80, "deployments": 0.70, "contributions": 0.95},
}
EXACT_COUNT_FLOORS = {"seed": 1.0, "sample": 1.0, "dev": 0.95, "holdout": 0.7, "real_holdout": 0.75}
SHARED_RUN = ("seed", "dev", "holdout", "real_holdout")


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory, pipeline_run):
    """One pipeline run over seed, dev and both held-out sets, each in its own folder (gold folders left
    out)."""
    raw = tmp_path_factory.mktemp("accuracy") / "raw"
    for name in SHARED_RUN:
        articles, gold = CORPORA[name]
        if gold.is_dir():
            shutil.copytree(articles, raw / name, ignore=shutil.ignore_patterns("gold"))
    return pipeline_run(raw)


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_report(request, pipeline_run) -> tuple[str, dict]:
    name = request.param
    articles, gold = CORPORA[name]
    if not gold.is_dir():
        pytest.skip(f"{name} gold not found at {gold} (the shared/ folder beside the repo)")
    if name in SHARED_RUN:
        settings = request.getfixturevalue("shared_run")
        predictions = read_predictions(settings.warehouse)
        predictions = dataclasses.replace(
            predictions,
            articles=[row for row in predictions.articles if row["source_path"].startswith(f"{name}/")],
        )
        raw_dir = settings.raw_dir / name
    else:
        settings = pipeline_run(articles)
        predictions, raw_dir = read_predictions(settings.warehouse), articles
    return name, score(load_gold(gold), predictions, NameKeys(SEEDS_DIR), raw_dir)


@pytest.mark.parametrize("fact_type", ["attacks", "deployments", "contributions"])
def test_accuracy_f1_holds_its_floor(corpus_report, fact_type):
    name, report = corpus_report
    f1 = report["metrics"][fact_type]["f1"]
    print(f"{name} {fact_type} F1 {f1:.3f}")
    assert f1 >= F1_FLOORS[name][fact_type], f"{name} {fact_type} F1 {f1:.3f}\n" + format_report(report)


def test_accuracy_matched_attack_counts_exact_share_holds(corpus_report):
    name, report = corpus_report
    share = report["attack_counts"]["share_exact"]
    assert report["attack_counts"]["matched"] > 0
    assert share >= EXACT_COUNT_FLOORS[name], f"{name} exact-count share {share:.3f}\n" + format_report(report)
