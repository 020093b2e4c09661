"""Results of a quality-gate run (no Great Expectations import, so readers of results stay light)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.validate.marts import ERROR, WARN


@dataclass(frozen=True)
class CheckOutcome:
    """One expectation's result. `failed_rows` holds (row_key, offending values as JSON)."""

    suite: str
    expectation: str
    expectation_type: str
    severity: str
    success: bool
    observed_value: str | None = None
    unexpected_count: int | None = None
    failed_rows: tuple[tuple[str, str], ...] = ()

    @property
    def table(self) -> str:
        return self.suite.split(".")[0]


@dataclass(frozen=True)
class GateResult:
    """All outcomes of one gate run; `passed` is False when any 'error' check failed."""

    run_id: str
    validated_at: datetime
    outcomes: tuple[CheckOutcome, ...]
    docs_path: Path | None = None

    @property
    def passed(self) -> bool:
        return not self.blocking_failures()

    def blocking_failures(self, table: str | None = None) -> list[CheckOutcome]:
        return [
            o
            for o in self.outcomes
            if not o.success and o.severity == ERROR and (table is None or o.table == table)
        ]

    def warnings(self, table: str | None = None) -> list[CheckOutcome]:
        return [
            o
            for o in self.outcomes
            if not o.success and o.severity == WARN and (table is None or o.table == table)
        ]

    @property
    def quarantined(self) -> dict[str, frozenset[str]]:
        """Row keys to leave out of the published marts, per table."""
        keys: dict[str, set[str]] = defaultdict(set)
        for outcome in self.warnings():
            keys[outcome.table].update(row_key for row_key, _ in outcome.failed_rows)
        return {table: frozenset(rows) for table, rows in keys.items()}
