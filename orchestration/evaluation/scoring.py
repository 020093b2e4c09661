"""Score mart predictions against gold annotations (rules of `../shared/corpus/README.md`).

Per gold article:
- attacks match one-to-one when the canonical place agrees and the predicted `event_date` agrees with
  the gold date at the gold's precision (day, month or year; a null gold date or place leaves that
  side unconstrained); killed/wounded are then compared exactly with `killed_best`/`wounded_best`,
  where null and 0 both mean "none stated";
- deployments are compared as sets of (contributor, place) keys, contributions as sets of
  (contributor, mission) keys, so several mart rows with one key count once;
- optional gold facts are neither rewarded nor penalised: a prediction they match is neither a true nor
  a false positive, and missing them costs nothing.
Predictions for articles without a gold file are ignored. Metrics are micro-averaged over articles;
with nothing to find (or nothing claimed) recall (or precision) is 1.0.

Calibration: per fact type and confidence band (CALIBRATION_BANDS), how many predicted facts carry a
confidence in the band and the share of them that are correct (a matched attack, a required key);
predictions matching only optional gold facts are left out, as in the metrics. A keyed fact's
confidence is the highest of the mart rows sharing its key; predictions without a confidence are
counted apart (`without_confidence`).
"""

import datetime as dt
import json
from pathlib import Path

from orchestration.evaluation.gold import GoldArticle, NameKeys, load_gold
from orchestration.evaluation.warehouse import Predictions, read_predictions
from orchestration.settings import SEEDS_DIR

FACT_TYPES = ("attacks", "deployments", "contributions")
CALIBRATION_BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.0))


def resolve_article(gold: GoldArticle, articles: list[dict], raw_dir: Path | None) -> dict | None:
    """The warehouse article a gold file describes, or None.

    A plain file matches on `source_path` (equal, or ending in `/<file>`). A JSON-lines record
    `<file>.jsonl#<id>` matches, among the articles of `<file>.jsonl`, the one whose source_path ends in
    `#<id>`; failing that (source_path `#L<line>`), the one whose url (else title) equals the record's,
    taken from the gold file or, when it has none, from the record with that id in `raw_dir`.
    """
    file_name, _, record_id = gold.article.partition("#")

    def same_file(source_path: str) -> bool:
        path = source_path.split("#", 1)[0]
        return path == file_name or path.endswith("/" + file_name)

    candidates = [row for row in articles if row.get("source_path") and same_file(row["source_path"])]
    if not record_id:
        plain = [row for row in candidates if "#" not in row["source_path"]]
        return plain[0] if plain else None
    by_id = [row for row in candidates if row["source_path"].split("#", 1)[1] == record_id]
    if len(by_id) == 1:
        return by_id[0]
    url, title = gold.url, gold.title
    if url is None and title is None and raw_dir is not None:
        url, title = _record_identity(Path(raw_dir), file_name, record_id)
    for field, wanted in (("url", url), ("title", title)):
        if wanted:
            found = [row for row in candidates if row.get(field) and row[field].strip() == wanted.strip()]
            if len(found) == 1:
                return found[0]
    return None


def _record_identity(raw_dir: Path, file_name: str, record_id: str) -> tuple[str | None, str | None]:
    matches = list(raw_dir.rglob(file_name))
    if not matches:
        return None, None
    for line in matches[0].read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and str(record.get("id")) == record_id:
            return record.get("url"), record.get("title")
    return None, None


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def date_agrees(gold_date: str | None, predicted: object) -> bool:
    """True when the predicted date equals the gold date at the gold's precision (YYYY, YYYY-MM, day)."""
    if gold_date is None:
        return True
    date = _as_date(predicted)
    if date is None:
        return False
    return date.isoformat()[: len(gold_date)] == gold_date


def _count(value: object) -> float | None:
    if value is None or value == 0:
        return None
    return float(value)


def _plain(value: object) -> object:
    """Whole-number floats as ints, for readable diffs."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _attack_view(row: dict) -> dict:
    return {
        "attack_id": row.get("attack_id"),
        "date": _as_date(row.get("event_date")).isoformat() if row.get("event_date") else None,
        "place": row.get("place_name"),
        "killed": _plain(row.get("killed_best")),
        "wounded": _plain(row.get("wounded_best")),
        "evidence": row.get("evidence_text"),
    }


def _gold_attack_view(fact: dict) -> dict:
    return {key: fact.get(key) for key in ("date", "place", "killed", "wounded", "quote")}


def _place_agrees(keys: NameKeys, gold_place: str | None, predicted_place: str | None) -> bool:
    return gold_place is None or keys.place(gold_place) == keys.place(predicted_place)


def score_attacks(gold_facts: list[dict], predicted: list[dict], keys: NameKeys) -> dict:
    """Match attacks of one article; return counts and the diff (see module docstring)."""
    # Required facts before optional ones, precise dates before coarse ones ("2015-01-17" before
    # "2015-01"), so a coarse gold date cannot take the prediction a precise one needs.
    order = sorted(
        range(len(gold_facts)),
        key=lambda index: (
            bool(gold_facts[index].get("optional")),
            -len(gold_facts[index].get("date") or ""),
        ),
    )
    free = list(range(len(predicted)))
    matched, missed = [], []
    for index in order:
        fact = gold_facts[index]
        candidates = [
            position
            for position in free
            if _place_agrees(keys, fact.get("place"), predicted[position].get("place_name"))
            and date_agrees(fact.get("date"), predicted[position].get("event_date"))
        ]
        if not candidates:
            if not fact.get("optional"):
                missed.append(fact)
            continue
        exact = [
            position
            for position in candidates
            if _count(predicted[position].get("killed_best")) == _count(fact.get("killed"))
            and _count(predicted[position].get("wounded_best")) == _count(fact.get("wounded"))
        ]
        position = (exact or candidates)[0]
        free.remove(position)
        if not fact.get("optional"):
            matched.append((fact, predicted[position]))
    spurious = [predicted[position] for position in free]
    scored = [(row.get("confidence"), True) for _, row in matched] + [
        (row.get("confidence"), False) for row in spurious
    ]
    wrong_count = [
        {
            "gold": _gold_attack_view(fact),
            "predicted": _attack_view(row),
            "killed_right": _count(row.get("killed_best")) == _count(fact.get("killed")),
            "wounded_right": _count(row.get("wounded_best")) == _count(fact.get("wounded")),
        }
        for fact, row in matched
        if _count(row.get("killed_best")) != _count(fact.get("killed"))
        or _count(row.get("wounded_best")) != _count(fact.get("wounded"))
    ]
    wrong_date, wrong_place = _near_misses(missed, spurious, keys)
    explained = wrong_date + wrong_place
    unexplained_missed = [fact for fact in missed if not any(pair["gold_fact"] is fact for pair in explained)]
    unexplained_spurious = [row for row in spurious if not any(pair["row"] is row for pair in explained)]
    return {
        "tp": len(matched),
        "fp": len(spurious),
        "fn": len(missed),
        "counts_exact": len(matched) - len(wrong_count),
        "killed_exact": sum(_count(r.get("killed_best")) == _count(f.get("killed")) for f, r in matched),
        "wounded_exact": sum(_count(r.get("wounded_best")) == _count(f.get("wounded")) for f, r in matched),
        "matched": [{"gold": _gold_attack_view(f), "predicted": _attack_view(r)} for f, r in matched],
        "missed": [_gold_attack_view(fact) for fact in unexplained_missed],
        "spurious": [_attack_view(row) for row in unexplained_spurious],
        "wrong_count": wrong_count,
        "wrong_date": [_pair_view(pair) for pair in wrong_date],
        "wrong_place": [_pair_view(pair) for pair in wrong_place],
        "scored": scored,
    }


def _pair_view(pair: dict) -> dict:
    return {"gold": _gold_attack_view(pair["gold_fact"]), "predicted": _attack_view(pair["row"])}


def _near_misses(missed: list[dict], spurious: list[dict], keys: NameKeys) -> tuple[list, list]:
    """Pair missed gold and spurious predictions that share the place (wrong date) or the date (wrong
    place). Diagnostic only: the pair still counts as one miss and one false positive, but the diff
    lists it under wrong_date / wrong_place instead of missed / spurious."""
    wrong_date, wrong_place, used = [], [], set()
    for fact in missed:
        for position, row in enumerate(spurious):
            if position in used:
                continue
            same_place = fact.get("place") is not None and _place_agrees(
                keys, fact["place"], row.get("place_name")
            )
            same_date = fact.get("date") is not None and date_agrees(fact["date"], row.get("event_date"))
            if same_place or same_date:
                used.add(position)
                (wrong_date if same_place else wrong_place).append({"gold_fact": fact, "row": row})
                break
    return wrong_date, wrong_place


def score_keyed(gold_facts: list[dict], predicted: list[dict], keys: NameKeys, second: str) -> dict:
    """Set comparison of (contributor, `second`) keys for deployments (second='place') or
    contributions (second='mission') of one article; diff entries show the names as written."""
    second_key = keys.place if second == "place" else keys.mission
    predicted_second = "place_name" if second == "place" else "mission"
    count_field = "count" if second == "place" else "personnel"

    def gold_key(fact: dict) -> tuple:
        return keys.country(fact.get("contributor")), second_key(fact.get(second))

    def predicted_key(row: dict) -> tuple:
        contributor = keys.country(row.get("contributor_name"), row.get("contributor_iso3"))
        return contributor, second_key(row.get(predicted_second))

    def gold_view(fact: dict) -> dict:
        return {"contributor": fact.get("contributor"), second: fact.get(second)}

    def predicted_view(row: dict) -> dict:
        contributor = row.get("contributor_iso3") or row.get("contributor_name")
        return {"contributor": contributor, second: row.get(predicted_second)}

    required = {gold_key(fact): fact for fact in gold_facts if not fact.get("optional")}
    optional = {gold_key(fact) for fact in gold_facts if fact.get("optional")} - set(required)
    rows: dict = {}
    confidence: dict = {}
    for row in predicted:
        key = predicted_key(row)
        rows.setdefault(key, row)
        if row.get("confidence") is not None:
            confidence[key] = max(confidence.get(key, row["confidence"]), row["confidence"])
    hits = [key for key in required if key in rows]
    missed = [key for key in required if key not in rows]
    spurious = [key for key in rows if key not in required and key not in optional]
    wrong_count = [
        {
            **gold_view(required[key]),
            "gold": required[key].get(count_field),
            "predicted": _plain(rows[key].get("personnel_best")),
        }
        for key in hits
        if required[key].get(count_field) is not None
        and _count(rows[key].get("personnel_best")) != _count(required[key].get(count_field))
    ]
    scored = [
        (confidence.get(key), key in required) for key in rows if key in required or key not in optional
    ]
    return {
        "tp": len(hits),
        "fp": len(spurious),
        "fn": len(missed),
        "scored": scored,
        "matched": [gold_view(required[key]) for key in hits],
        "missed": [{**gold_view(required[key]), "quote": required[key].get("quote")} for key in missed],
        "spurious": [
            {**predicted_view(rows[key]), "evidence": rows[key].get("evidence_text")} for key in spurious
        ],
        "wrong_count": wrong_count,
    }


def _ratio(numerator: int, denominator: int, empty: float | None) -> float | None:
    return numerator / denominator if denominator else empty


def _metrics(tp: int, fp: int, fn: int) -> dict:
    precision = _ratio(tp, tp + fp, 1.0)
    recall = _ratio(tp, tp + fn, 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def calibration(scored: list[tuple[float | None, bool]]) -> dict:
    """Counts and share correct per confidence band of (confidence, correct) pairs (module docstring)."""
    bands = []
    for index, (low, high) in enumerate(CALIBRATION_BANDS):
        last = index == len(CALIBRATION_BANDS) - 1
        inside = [
            correct
            for value, correct in scored
            if value is not None and low <= value and (value < high or (last and value <= high))
        ]
        bands.append(
            {
                "band": f"[{low:.2f}, {high:.2f}{']' if last else ')'}",
                "low": low,
                "high": high,
                "predictions": len(inside),
                "correct": sum(inside),
                "share_correct": _ratio(sum(inside), len(inside), None),
            }
        )
    return {"bands": bands, "without_confidence": sum(value is None for value, _ in scored)}


def _published_agrees(gold: str | None, article: dict | None) -> bool | None:
    if gold is None or article is None:
        return None
    return date_agrees(gold, article.get("published_date"))


def score(gold_articles: list[GoldArticle], predictions: Predictions, keys: NameKeys, raw_dir=None) -> dict:
    """The evaluation report for already loaded gold and predictions."""
    totals = {fact_type: {"tp": 0, "fp": 0, "fn": 0} for fact_type in FACT_TYPES}
    scored: dict[str, list] = {fact_type: [] for fact_type in FACT_TYPES}
    counts = {"matched": 0, "counts_exact": 0, "killed_exact": 0, "wounded_exact": 0}
    per_article, not_found = [], []
    for gold in gold_articles:
        article = resolve_article(gold, predictions.articles, raw_dir)
        article_id = article["article_id"] if article else None
        if article is None:
            not_found.append(gold.article)
        attacks = score_attacks(gold.attacks, predictions.attacks.get(article_id, []), keys)
        deployments = score_keyed(
            gold.deployments, predictions.deployments.get(article_id, []), keys, "place"
        )
        contributions = score_keyed(
            gold.contributions, predictions.contributions.get(article_id, []), keys, "mission"
        )
        for fact_type, result in zip(FACT_TYPES, (attacks, deployments, contributions)):
            for field in ("tp", "fp", "fn"):
                totals[fact_type][field] += result[field]
            scored[fact_type].extend(result.pop("scored"))
        counts["matched"] += attacks["tp"]
        for field in ("counts_exact", "killed_exact", "wounded_exact"):
            counts[field] += attacks[field]
        per_article.append(
            {
                "article": gold.article,
                "gold_file": gold.path.name,
                "article_id": article_id,
                "found": article is not None,
                "published_gold": gold.published,
                "published_right": _published_agrees(gold.published, article),
                "attacks": attacks,
                "deployments": deployments,
                "contributions": contributions,
            }
        )
    return {
        "articles": len(gold_articles),
        "articles_not_found": not_found,
        "metrics": {fact_type: _metrics(**totals[fact_type]) for fact_type in FACT_TYPES},
        "calibration": {fact_type: calibration(scored[fact_type]) for fact_type in FACT_TYPES},
        "attack_counts": {
            **counts,
            "share_exact": _ratio(counts["counts_exact"], counts["matched"], None),
        },
        "per_article": per_article,
    }


def evaluate(
    gold_dir: Path, warehouse: Path, raw_dir: Path | None = None, seeds_dir: Path | None = None
) -> dict:
    """Compare the marts of `warehouse` with every gold file under `gold_dir`; return the report.

    `raw_dir` is only used to look up url/title of JSON-lines records whose gold file has neither;
    `seeds_dir` (default: the project's dbt seeds) supplies place aliases and country names.
    """
    keys = NameKeys(SEEDS_DIR if seeds_dir is None else seeds_dir)
    report = score(load_gold(Path(gold_dir)), read_predictions(Path(warehouse)), keys, raw_dir)
    return {"gold_dir": str(gold_dir), "warehouse": str(warehouse), **report}
