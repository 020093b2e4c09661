"""Accuracy harness: compare the marts of a warehouse with gold annotations.

`evaluate(gold_dir, warehouse)` returns a report dict (metrics per fact type, count accuracy,
per-article diff); `format_report` renders it as text; `write_report` saves it as JSON.
"""

from orchestration.evaluation.report import format_report, write_report
from orchestration.evaluation.scoring import evaluate
from orchestration.evaluation.warehouse import EvaluationError

__all__ = ["EvaluationError", "evaluate", "format_report", "write_report"]
