"""The validated marts: table, key, and what each one's checks need (no Great Expectations import).

Severities: 'error' blocks publication; 'warn' quarantines the offending rows (left out of the
published marts, kept with their reasons in quality.failed_rows).
"""

from dataclasses import dataclass

ERROR = "error"
WARN = "warn"


@dataclass(frozen=True)
class Mart:
    """A validated mart in schema `marts`.

    `evidence`: rows carry article_id + evidence_text; `event_date`: the date of something that
    happened, so not after the article's publication (deployments, contributions and figures may
    state plans: "will send 70 personnel from September"); `located`: rows carry country_iso3, latitude, longitude. `parent` =
    (table, column): when a row of that table is quarantined, rows of this mart whose `column` equals
    the parent's key go with it (an attack's sources follow the attack).
    """

    table: str
    key: tuple[str, ...]
    evidence: bool = True
    event_date: str | None = None
    located: bool = False
    parent: tuple[str, str] | None = None


MARTS: tuple[Mart, ...] = (
    Mart("fct_attacks", ("attack_id",), event_date="event_date", located=True),
    Mart("fct_attack_sources", ("attack_id", "article_id"), parent=("fct_attacks", "attack_id")),
    Mart("fct_deployments", ("deployment_id",), located=True),
    Mart("fct_contributions", ("contribution_id",)),
    Mart("fct_figures", ("figure_id",)),
    Mart("dim_places", ("place_id",), evidence=False, located=True),
)
MARTS_BY_TABLE = {mart.table: mart for mart in MARTS}


def row_key_sql(key: tuple[str, ...], alias: str = "") -> str:
    """SQL for a row's key as text: key columns joined by '|'."""
    prefix = f"{alias}." if alias else ""
    return "concat_ws('|', " + ", ".join(f"CAST({prefix}{column} AS VARCHAR)" for column in key) + ")"
