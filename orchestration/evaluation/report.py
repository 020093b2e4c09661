"""Render an evaluation report as text, and write it as JSON."""

import json
from pathlib import Path

from orchestration.evaluation.scoring import FACT_TYPES


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _attack_line(view: dict) -> str:
    return (
        f"{view.get('date') or '?'} {view.get('place') or '?'} "
        f"killed={view.get('killed')} wounded={view.get('wounded')}"
    )


def _keyed_line(view: dict) -> str:
    return " / ".join(str(value) for key, value in view.items() if key not in ("quote", "evidence"))


def _article_lines(entry: dict) -> list[str]:
    lines = []
    attacks = entry["attacks"]
    for view in attacks["missed"]:
        lines.append(f"  attack missed:    {_attack_line(view)}")
    for view in attacks["spurious"]:
        lines.append(f"  attack spurious:  {_attack_line(view)}")
    for pair in attacks["wrong_count"]:
        lines.append(
            f"  attack wrong count: gold {_attack_line(pair['gold'])} | got {_attack_line(pair['predicted'])}"
        )
    for name in ("wrong_date", "wrong_place"):
        for pair in attacks[name]:
            label = name.replace("_", " ")
            lines.append(
                f"  attack {label}: gold {_attack_line(pair['gold'])} | got {_attack_line(pair['predicted'])}"
            )
    for fact_type in ("deployments", "contributions"):
        result = entry[fact_type]
        singular = fact_type[:-1]
        for view in result["missed"]:
            lines.append(f"  {singular} missed:   {_keyed_line(view)}")
        for view in result["spurious"]:
            lines.append(f"  {singular} spurious: {_keyed_line(view)}")
        for view in result["wrong_count"]:
            lines.append(
                f"  {singular} wrong count: {_keyed_line({k: v for k, v in view.items() if k not in ('gold', 'predicted')})}"
                f" gold={view['gold']} got={view['predicted']}"
            )
    if entry["published_right"] is False:
        lines.append(f"  published date differs from gold {entry['published_gold']}")
    return lines


def format_report(report: dict) -> str:
    """Human-readable summary: metrics per fact type, count accuracy, then one block per imperfect article."""
    lines = [f"Evaluation of {report['articles']} gold articles", ""]
    lines.append(f"{'fact type':<14}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}")
    for fact_type in FACT_TYPES:
        m = report["metrics"][fact_type]
        lines.append(
            f"{fact_type:<14}{_number(m['precision']):>8}{_number(m['recall']):>8}{_number(m['f1']):>8}"
            f"{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}"
        )
    counts = report["attack_counts"]
    lines.append("")
    lines.append(
        f"matched attacks with exact killed and wounded: {counts['counts_exact']}/{counts['matched']}"
        f" ({_number(counts['share_exact'])}); killed exact {counts['killed_exact']},"
        f" wounded exact {counts['wounded_exact']}"
    )
    lines.append("")
    lines.append(
        "calibration: share of predicted facts that are correct, by confidence band (correct/predicted)"
    )
    bands = report["calibration"]["attacks"]["bands"]
    lines.append(f"{'fact type':<14}" + "".join(f"{band['band']:>20}" for band in bands))
    for fact_type in FACT_TYPES:
        entry = report["calibration"][fact_type]
        cells = [
            f"{_number(band['share_correct'])} ({band['correct']}/{band['predictions']})"
            for band in entry["bands"]
        ]
        unscored = (
            f"   {entry['without_confidence']} without confidence" if entry["without_confidence"] else ""
        )
        lines.append(f"{fact_type:<14}" + "".join(f"{cell:>20}" for cell in cells) + unscored)
    if report["articles_not_found"]:
        lines.append("articles not found in the warehouse: " + ", ".join(report["articles_not_found"]))
    for entry in report["per_article"]:
        article_lines = _article_lines(entry)
        if article_lines or not entry["found"]:
            lines.append("")
            lines.append(f"{entry['article']}" + ("" if entry["found"] else "  (not in warehouse)"))
            lines.extend(article_lines)
    return "\n".join(lines) + "\n"


def write_report(report: dict, path: Path) -> Path:
    """Write the report as JSON (parents created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
