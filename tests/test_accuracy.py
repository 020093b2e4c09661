"""Extraction accuracy against gold annotations, as a regression guard (issue: accuracy harness).

Each corpus is run through the whole pipeline once (real Dagster, dbt, quality gate) and scored with
`orchestration.evaluation.evaluate` (the rules of ../shared/corpus/README.md). A metric below its floor
fails the test. Floors are the level reached when they were last raised, rounded down: raise them as
the extractor improves and record the figures in the README.

- seed: the two seed articles (../shared/corpus, skipped when absent);
- sample: the sample articles in raw/ with gold in tests/gold/sample;
- dev: tests/eval (articles written to exercise traps; rules were developed against it);
- holdout: tests/eval_holdout (never looked at while writing rules: the honest generalization figure).
"""

from pathlib import Path

import pytest

from orchestration.evaluation import evaluate, format_report
from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parent
CORPORA = {
    "seed": (PROJECT_ROOT.parent / "shared" / "corpus", PROJECT_ROOT.parent / "shared" / "corpus" / "gold"),
    "sample": (PROJECT_ROOT / "raw", TESTS / "gold" / "sample"),
    "dev": (TESTS / "eval" / "articles", TESTS / "eval" / "gold"),
    "holdout": (TESTS / "eval_holdout" / "articles", TESTS / "eval_holdout" / "gold"),
}
# F1 floors per corpus and fact type, and the floor of the share of matched attacks with exact counts.
F1_FLOORS = {
    "seed": {"attacks": 1.0, "deployments": 0.85, "contributions": 0.82},
    "sample": {"attacks": 0.85, "deployments": 0.83, "contributions": 0.90},
    "dev": {"attacks": 0.88, "deployments": 0.92, "contributions": 0.84},
    "holdout": {"attacks": 0.65, "deployments": 0.55, "contributions": 0.85},
}
EXACT_COUNT_FLOORS = {"seed": 1.0, "sample": 0.9, "dev": 0.85, "holdout": 0.7}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus_report(request, pipeline_run) -> tuple[str, dict]:
    name = request.param
    articles, gold = CORPORA[name]
    if not gold.is_dir():
        pytest.skip(f"{name} gold not found at {gold} (the shared/ folder beside the repo)")
    settings = pipeline_run(articles)
    return name, evaluate(gold, settings.warehouse)


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
