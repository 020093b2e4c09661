"""Great Expectations suites for the marts: one suite-building function per mart.

One home per rule: dbt owns the structural contract (keys unique and not null, relationships to
dimensions and seeds, accepted values of scalar vocabularies such as target, unit_type, measure) and
fails the build; these suites own row-level quality (counts non-negative and ordered, evidence is the
article text at its offsets, confidence in [0, 1], dates not after publication, coordinates inside the
country, ISO3 codes, list-element vocabularies) and quarantine offending rows, plus the table-level
row-count plausibility that blocks publication. No rule lives in both.

Each suite validates one DataFrame read by `frame_sql` (the mart's rows plus derived check columns:
`row_key`, `qc_evidence_at_offsets`, `qc_published_latest`, `qc_event_date`, `qc_in_country_bounds`).
List columns (weapons, victim_nationalities) get their own suite named `<mart>.<column>`, validated on
one row per list element carrying the parent's `row_key`.

Every expectation carries `meta = {"check": <name unique in its mart>, "severity": "error" | "warn"}`:
'error' blocks publication; 'warn' quarantines the offending rows. Checks that cannot be built (a seed
is missing) are listed in `suite.meta["unrunnable"]` and fail with severity 'error'.
"""

import math
from collections.abc import Callable

import great_expectations as gx
import great_expectations.expectations as gxe

from orchestration.validate.marts import ERROR, WARN, Mart, row_key_sql
from orchestration.validate.reference import Reference

MIN_ROW_RATIO = 0.5


def frame_sql(mart: Mart, with_bounds: bool) -> str:
    """SQL reading `marts.<table>` with the derived columns its suite checks.

    Joins raw.articles (current version) for the body and publication date, and the relation
    `quality_country_bounds` (registered by the gate) when `with_bounds`.
    """
    derived = [f"{row_key_sql(mart.key, 'f')} AS row_key"]
    joins = []
    if mart.evidence or mart.event_date:
        joins.append("LEFT JOIN raw.articles a ON a.article_id = f.article_id AND a.is_current")
    if mart.evidence:
        derived.append(
            "coalesce(substr(a.body, f.char_start + 1, f.char_end - f.char_start) = f.evidence_text, false)"
            " AS qc_evidence_at_offsets"
        )
    if mart.event_date:
        derived.append(
            "CASE a.published_precision WHEN 'unknown' THEN NULL"
            " WHEN 'month' THEN last_day(a.published_date)"
            " WHEN 'year' THEN make_date(year(a.published_date), 12, 31)"
            " ELSE a.published_date END AS qc_published_latest"
        )
        derived.append(f"TRY_CAST(f.{mart.event_date} AS DATE) AS qc_event_date")
    if mart.located and with_bounds:
        joins.append("LEFT JOIN quality_country_bounds b ON b.country_iso3 = f.country_iso3")
        derived.append(
            "CASE WHEN f.latitude IS NULL OR f.longitude IS NULL THEN NULL ELSE coalesce("
            "f.latitude BETWEEN b.lat_min AND b.lat_max AND f.longitude BETWEEN b.lon_min AND b.lon_max,"
            " false) END AS qc_in_country_bounds"
        )
    return f"SELECT f.*, {', '.join(derived)} FROM marts.{mart.table} f {' '.join(joins)}"


def min_rows(previous_rows: int | None, ratio: float = MIN_ROW_RATIO) -> int:
    """Fewest rows plausible after a run that published `previous_rows` (at least 1 once non-empty)."""
    if not previous_rows:
        return 0
    return max(1, math.ceil(previous_rows * ratio))


def fct_attacks_suites(mart: Mart, ref: Reference, previous_rows: int | None) -> list[gx.ExpectationSuite]:
    """Attacks: counts, ordering, place, date, evidence, weapons vocabulary, nationalities."""
    rows = _suite(mart, previous_rows)
    for measure in ("killed", "wounded"):
        _add(rows, _range(measure))
    _add(rows, _event_date(mart))
    _add(rows, _coordinates(rows, ref))
    _add(rows, [_iso3(ref, "country_iso3")])
    _add(rows, [_non_negative("source_count")])
    weapons = _element_suite(mart, "weapons")
    _add(weapons, _vocabulary(weapons, ref, "weapons", "weapons"))
    nationalities = _element_suite(mart, "victim_nationalities")
    _add(nationalities, [_iso3(ref, "victim_nationalities")])
    return [rows, weapons, nationalities]


def fct_attack_sources_suites(
    mart: Mart, ref: Reference, previous_rows: int | None
) -> list[gx.ExpectationSuite]:
    """Attack sources: one row per (attack, article) whose evidence is in that article."""
    return [_suite(mart, previous_rows)]


def fct_deployments_suites(
    mart: Mart, ref: Reference, previous_rows: int | None
) -> list[gx.ExpectationSuite]:
    """Deployments: personnel ordering, place, evidence, contributor ISO3."""
    rows = _suite(mart, previous_rows)
    _add(rows, _range("personnel"))
    _add(rows, _coordinates(rows, ref))
    _add(rows, [_iso3(ref, "country_iso3"), _iso3(ref, "contributor_iso3")])
    return [rows]


def fct_contributions_suites(
    mart: Mart, ref: Reference, previous_rows: int | None
) -> list[gx.ExpectationSuite]:
    """Contributions: personnel ordering, evidence, contributor ISO3."""
    rows = _suite(mart, previous_rows)
    _add(rows, _range("personnel"))
    _add(rows, [_iso3(ref, "contributor_iso3")])
    return [rows]


def fct_figures_suites(mart: Mart, ref: Reference, previous_rows: int | None) -> list[gx.ExpectationSuite]:
    """Aggregate figures: value ordering, evidence."""
    rows = _suite(mart, previous_rows)
    _add(rows, _range("value"))
    return [rows]


def dim_places_suites(mart: Mart, ref: Reference, previous_rows: int | None) -> list[gx.ExpectationSuite]:
    """Places: valid ISO3, coordinates inside their country."""
    rows = _suite(mart, previous_rows)
    _add(rows, _coordinates(rows, ref))
    _add(rows, [_iso3(ref, "country_iso3")])
    return [rows]


SuiteBuilder = Callable[[Mart, Reference, int | None], list[gx.ExpectationSuite]]
SUITE_BUILDERS: dict[str, SuiteBuilder] = {
    "fct_attacks": fct_attacks_suites,
    "fct_attack_sources": fct_attack_sources_suites,
    "fct_deployments": fct_deployments_suites,
    "fct_contributions": fct_contributions_suites,
    "fct_figures": fct_figures_suites,
    "dim_places": dim_places_suites,
}


def _meta(check: str, severity: str) -> dict[str, str]:
    return {"check": check, "severity": severity}


def _suite(mart: Mart, previous_rows: int | None) -> gx.ExpectationSuite:
    """A mart's row suite with the checks every mart shares: row count; evidence and confidence for facts."""
    suite = gx.ExpectationSuite(name=mart.table, meta={"unrunnable": []})
    suite.add_expectation(
        gxe.ExpectTableRowCountToBeBetween(
            min_value=min_rows(previous_rows), meta=_meta("row_count_plausible", ERROR)
        )
    )
    if mart.evidence:
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeInSet(
                column="qc_evidence_at_offsets", value_set=[True], meta=_meta("evidence_in_article", WARN)
            )
        )
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeBetween(
                column="confidence", min_value=0, max_value=1, meta=_meta("confidence_in_unit_interval", WARN)
            )
        )
    return suite


def _element_suite(mart: Mart, column: str) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=f"{mart.table}.{column}", meta={"unrunnable": [], "explode": column})


def _add(suite: gx.ExpectationSuite, expectations: list[gxe.Expectation]) -> None:
    for expectation in expectations:
        suite.add_expectation(expectation)


def _non_negative(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=0, meta=_meta(f"{column}_non_negative", WARN)
    )


def _range(measure: str) -> list[gxe.Expectation]:
    """<measure>_low/_best/_high are non-negative and low <= best <= high (nulls allowed)."""
    low, best, high = (f"{measure}_{bound}" for bound in ("low", "best", "high"))
    return [
        _non_negative(low),
        _non_negative(best),
        _non_negative(high),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=best,
            column_B=low,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(f"{measure}_low_le_best", WARN),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=high,
            column_B=best,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(f"{measure}_best_le_high", WARN),
        ),
    ]


def _event_date(mart: Mart) -> list[gxe.Expectation]:
    """The row's date is not after the end of its article's publication date (at its precision)."""
    return [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="qc_published_latest",
            column_B="qc_event_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta(f"{mart.event_date}_not_after_publication", WARN),
        )
    ]


def _coordinates(suite: gx.ExpectationSuite, ref: Reference) -> list[gxe.Expectation]:
    if ref.country_bounds is None:
        suite.meta["unrunnable"].append(
            {"check": "coordinates_in_country", "reason": ref.missing.get("places", "places seed missing")}
        )
        return []
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="qc_in_country_bounds", value_set=[True], meta=_meta("coordinates_in_country", WARN)
        )
    ]


def _iso3(ref: Reference, column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=sorted(ref.iso3_codes), meta=_meta(f"{column}_valid_iso3", WARN)
    )


def _vocabulary(suite: gx.ExpectationSuite, ref: Reference, column: str, seed: str) -> list[gxe.Expectation]:
    check = f"{column}_in_vocabulary"
    if seed not in ref.vocabularies:
        suite.meta["unrunnable"].append(
            {"check": check, "reason": ref.missing.get(seed, f"{seed} seed missing")}
        )
        return []
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=column, value_set=sorted(ref.vocabularies[seed]), meta=_meta(check, WARN)
        )
    ]
