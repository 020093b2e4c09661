"""The quality gate: validate every mart with Great Expectations and persist the results in DuckDB.

Marts are read into pandas DataFrames and validated in an ephemeral GX context (GX's SQL route over
DuckDB needs private patching). A check that cannot run (missing table or column, missing seed, GX
error) is recorded as a failed 'error' check, never as a pass. A failed 'warn' check quarantines the
rows it names; a failed 'warn' check that cannot name its rows is escalated to 'error'.

Tables written (schema `quality`, appended per run):
- validation_runs: one row per (run_id, suite, expectation).
- failed_rows: one row per (run_id, expectation, offending row); row_key = key columns joined by '|'.
"""

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from orchestration.validate.marts import ERROR, MARTS, WARN, Mart
from orchestration.validate.reference import Reference, load_reference
from orchestration.validate.results import CheckOutcome, GateResult
from orchestration.validate.suites import SUITE_BUILDERS, frame_sql

RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_key"]}

VALIDATION_RUNS_COLUMNS = (
    "run_id",
    "validated_at",
    "suite",
    "expectation",
    "expectation_type",
    "severity",
    "success",
    "observed_value",
    "unexpected_count",
)
FAILED_ROWS_COLUMNS = ("run_id", "table_name", "row_key", "expectation", "severity", "offending_values")
SCHEMA_SQL = """
CREATE SCHEMA IF NOT EXISTS quality;
CREATE TABLE IF NOT EXISTS quality.validation_runs (
    run_id VARCHAR, validated_at TIMESTAMP, suite VARCHAR, expectation VARCHAR, expectation_type VARCHAR,
    severity VARCHAR, success BOOLEAN, observed_value VARCHAR, unexpected_count BIGINT
);
CREATE TABLE IF NOT EXISTS quality.failed_rows (
    run_id VARCHAR, table_name VARCHAR, row_key VARCHAR, expectation VARCHAR, severity VARCHAR,
    offending_values VARCHAR
);
"""


def run_gate(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    previous_counts: dict[str, int] | None = None,
    *,
    seeds_dir: Path,
    docs_dir: Path | None = None,
    marts: tuple[Mart, ...] = MARTS,
) -> GateResult:
    """Validate `marts` in the warehouse behind `con`, persist the results under `run_id`, return them.

    `previous_counts` (table -> rows last published) sets the plausible row-count floor; `docs_dir`
    receives the GX Data Docs site (its index.html is `GateResult.docs_path`).
    """
    validated_at = datetime.now(UTC).replace(tzinfo=None)
    reference = load_reference(seeds_dir)
    context = _context(docs_dir)
    outcomes: list[CheckOutcome] = []
    if reference.country_bounds is not None:
        con.register("quality_country_bounds", reference.country_bounds)
    try:
        for mart in marts:
            outcomes += _validate_mart(con, context, mart, reference, (previous_counts or {}).get(mart.table))
    finally:
        if reference.country_bounds is not None:
            con.unregister("quality_country_bounds")
    docs_path = None
    if docs_dir is not None:
        context.build_data_docs()
        docs_path = docs_dir / "index.html"
    result = GateResult(run_id, validated_at, tuple(outcomes), docs_path)
    persist(con, result)
    return result


def persist(con: duckdb.DuckDBPyConnection, result: GateResult) -> None:
    """Replace `result.run_id`'s rows in quality.validation_runs and quality.failed_rows (one transaction)."""
    runs = pd.DataFrame(
        [
            (
                result.run_id,
                result.validated_at,
                o.suite,
                o.expectation,
                o.expectation_type,
                o.severity,
                o.success,
                o.observed_value,
                o.unexpected_count,
            )
            for o in result.outcomes
        ],
        columns=list(VALIDATION_RUNS_COLUMNS),
    )
    rows = pd.DataFrame(
        [
            (result.run_id, o.table, row_key, o.expectation, o.severity, offending)
            for o in result.outcomes
            for row_key, offending in o.failed_rows
        ],
        columns=list(FAILED_ROWS_COLUMNS),
    )
    con.execute(SCHEMA_SQL)
    con.register("quality_new_runs", runs)
    con.register("quality_new_rows", rows)
    con.begin()
    try:
        con.execute("DELETE FROM quality.validation_runs WHERE run_id = ?", [result.run_id])
        con.execute("DELETE FROM quality.failed_rows WHERE run_id = ?", [result.run_id])
        con.execute("INSERT INTO quality.validation_runs SELECT * FROM quality_new_runs")
        con.execute("INSERT INTO quality.failed_rows SELECT * FROM quality_new_rows")
        con.commit()
    except duckdb.Error:
        con.rollback()
        raise
    finally:
        con.unregister("quality_new_runs")
        con.unregister("quality_new_rows")


def load_gate_result(con: duckdb.DuckDBPyConnection, run_id: str) -> GateResult | None:
    """The persisted result of `run_id`, or None when that run was never validated."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_schema = 'quality' AND table_name IN ('validation_runs', 'failed_rows')"
    ).fetchone()[0]
    if exists < 2:
        return None
    runs = con.execute(
        "SELECT validated_at, suite, expectation, expectation_type, severity, success, observed_value,"
        " unexpected_count FROM quality.validation_runs WHERE run_id = ? ORDER BY suite, expectation",
        [run_id],
    ).fetchall()
    if not runs:
        return None
    failed: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for table, row_key, expectation, offending in con.execute(
        "SELECT table_name, row_key, expectation, offending_values FROM quality.failed_rows WHERE run_id = ?",
        [run_id],
    ).fetchall():
        failed[(table, expectation)].append((row_key, offending))
    outcomes = tuple(
        CheckOutcome(
            suite,
            expectation,
            kind,
            severity,
            success,
            observed,
            count,
            tuple(failed.get((suite.split(".")[0], expectation), ())),
        )
        for _, suite, expectation, kind, severity, success, observed, count in runs
    )
    return GateResult(run_id, runs[0][0], outcomes)


def published_counts(published: Path) -> dict[str, int]:
    """Rows per marts table in the published file ({} when nothing was published yet)."""
    if not published.exists():
        return {}
    with duckdb.connect(str(published), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
            ).fetchall()
        ]
        return {name: con.execute(f'SELECT count(*) FROM marts."{name}"').fetchone()[0] for name in tables}


def _context(docs_dir: Path | None) -> Any:
    """An in-memory GX context whose only Data Docs site (if any) is `docs_dir`."""
    sites = {}
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        sites["bluehelm_quality"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _validate_mart(
    con: duckdb.DuckDBPyConnection, context: Any, mart: Mart, reference: Reference, previous_rows: int | None
) -> list[CheckOutcome]:
    suites = SUITE_BUILDERS[mart.table](mart, reference, previous_rows)
    try:
        frame = con.execute(frame_sql(mart, reference.country_bounds is not None)).df()
    except duckdb.Error as error:
        return [CheckOutcome(mart.table, "table_readable", "sql", ERROR, False, str(error).splitlines()[0])]
    outcomes = []
    for suite in suites:
        outcomes += [
            CheckOutcome(suite.name, item["check"], "unrunnable", ERROR, False, item["reason"])
            for item in suite.meta["unrunnable"]
        ]
        column = suite.meta.get("explode")
        if column is not None and column not in frame.columns:
            outcomes.append(
                CheckOutcome(suite.name, f"{column}_exists", "column", ERROR, False, f"no column {column!r}")
            )
            continue
        batch = frame if column is None else _elements(frame, column)
        outcomes += _validate(context, suite, batch)
    return outcomes


def _elements(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per element of list column `column`, keeping the parent's row_key."""
    return frame[["row_key", column]].explode(column).dropna(subset=[column]).reset_index(drop=True)


def _validate(context: Any, suite: gx.ExpectationSuite, frame: pd.DataFrame) -> list[CheckOutcome]:
    if not suite.expectations:
        return []
    asset = context.data_sources.add_or_update_pandas("marts").add_dataframe_asset(suite.name)
    batch_definition = asset.add_batch_definition_whole_dataframe("all_rows")
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=suite)
    )
    try:
        result = definition.run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)
    except Exception as error:  # noqa: BLE001 - a suite that cannot run fails, it never passes
        return [
            CheckOutcome(suite.name, "suite_runnable", "gx", ERROR, False, f"{type(error).__name__}: {error}")
        ]
    return [_outcome(suite.name, item) for item in result.results]


def _outcome(suite_name: str, item: Any) -> CheckOutcome:
    meta = item.expectation_config.meta
    kind = item.expectation_config.type
    error = _exception_message(item.exception_info)
    if error is not None:
        return CheckOutcome(suite_name, meta["check"], kind, ERROR, False, error)
    details = item.result or {}
    failed_rows = tuple(_failed_row(row) for row in details.get("unexpected_index_list") or ())
    severity = meta["severity"]
    if not item.success and severity == WARN and not failed_rows:
        severity = ERROR
    observed = details.get("observed_value")
    return CheckOutcome(
        suite_name,
        meta["check"],
        kind,
        severity,
        bool(item.success),
        None if observed is None else str(observed),
        details.get("unexpected_count"),
        failed_rows,
    )


def _failed_row(row: dict[str, Any]) -> tuple[str, str]:
    values = {column: value for column, value in row.items() if column != "row_key"}
    return str(row["row_key"]), json.dumps(values, default=str)


def _exception_message(info: Any) -> str | None:
    """The first raised exception's message in a GX result's exception_info, else None."""
    if not isinstance(info, dict):
        return None
    entries = [info] if "raised_exception" in info else list(info.values())
    for entry in entries:
        if isinstance(entry, dict) and entry.get("raised_exception"):
            return str(entry.get("exception_message") or "exception while validating")
    return None
