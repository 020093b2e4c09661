"""Read the predictions to score from a DuckDB warehouse (read-only).

Articles come from `marts.dim_articles` when it carries `source_path`, else from `raw.articles`
(current versions only). Facts carry their `confidence` when the mart has one (null otherwise). Predictions come from `marts.fct_attacks` (+ `marts.fct_attack_sources`, so an
attack reported by several articles counts for each of them), `marts.fct_deployments` and
`marts.fct_contributions`.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

ARTICLE_TABLES = ("marts.dim_articles", "raw.articles")
FACT_TABLES = (
    "marts.fct_attacks",
    "marts.fct_attack_sources",
    "marts.fct_deployments",
    "marts.fct_contributions",
)


class EvaluationError(RuntimeError):
    """The warehouse lacks a table or column the evaluation needs."""


@dataclass(frozen=True)
class Predictions:
    """Warehouse rows as dicts: articles (one per current article) and facts keyed by article_id."""

    articles: list[dict]
    attacks: dict[str, list[dict]]
    deployments: dict[str, list[dict]]
    contributions: dict[str, list[dict]]


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    schema, name = table.split(".")
    rows = connection.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return {row[0] for row in rows}


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _by_article(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def _select(columns: set[str], wanted: tuple[str, ...]) -> str:
    """Select list with NULL for optional columns the table lacks."""
    return ", ".join(name if name in columns else f"null as {name}" for name in wanted)


def _attack_query(connection: duckdb.DuckDBPyConnection) -> str:
    """One row per (article, attack). Counts and evidence come from the article's own (first) row in
    fct_attack_sources when that table carries them, else from fct_attacks."""
    attack_columns = _columns(connection, "marts.fct_attacks")
    source_columns = _columns(connection, "marts.fct_attack_sources")

    def pick(name: str) -> str:
        if name in source_columns and name in attack_columns:
            return f"coalesce(sources.{name}, attacks.{name}) as {name}"
        if name in source_columns:
            return f"sources.{name}"
        return f"attacks.{name}" if name in attack_columns else f"null as {name}"

    shared = ("killed_best", "wounded_best", "evidence_text")
    attack_only = ("event_date", "date_precision", "place_id", "place_name", "confidence")
    fields = ", ".join(
        [
            *(f"attacks.{n}" if n in attack_columns else f"null as {n}" for n in attack_only),
            *(pick(name) for name in shared),
        ]
    )
    first = "sources.sentence_no" if "sentence_no" in source_columns else "links.attack_id"
    return f"""
        with links as (
            select attack_id, article_id from marts.fct_attack_sources
            union
            select attack_id, article_id from marts.fct_attacks
        )
        select links.article_id, links.attack_id, {fields}
        from links
        join marts.fct_attacks as attacks on attacks.attack_id = links.attack_id
        left join marts.fct_attack_sources as sources
            on sources.attack_id = links.attack_id and sources.article_id = links.article_id
        qualify row_number() over (partition by links.article_id, links.attack_id order by {first}) = 1
        order by links.article_id, links.attack_id
    """


def read_predictions(warehouse: Path) -> Predictions:
    """All articles and mart facts of `warehouse`; raises EvaluationError when a table is missing."""
    if not Path(warehouse).is_file():
        raise EvaluationError(f"warehouse not found: {warehouse}")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        missing = [table for table in FACT_TABLES if not _columns(connection, table)]
        if missing:
            raise EvaluationError(f"warehouse {warehouse} lacks tables: {', '.join(missing)}")
        article_table = next(
            (table for table in ARTICLE_TABLES if "source_path" in _columns(connection, table)), None
        )
        if article_table is None:
            raise EvaluationError(f"warehouse {warehouse} has no article table with source_path")
        article_columns = _columns(connection, article_table)
        current = "where is_current" if "is_current" in article_columns else ""
        articles = _rows(
            connection,
            f"select distinct {_select(article_columns, ('article_id', 'source_path', 'title', 'url', 'published_date'))}"
            f" from {article_table} {current}",
        )
        attacks = _rows(connection, _attack_query(connection))
        deployment_columns = _columns(connection, "marts.fct_deployments")
        deployments = _rows(
            connection,
            f"""select {
                _select(
                    deployment_columns,
                    (
                        "article_id",
                        "deployment_id",
                        "contributor_iso3",
                        "contributor_name",
                        "mission",
                        "unit_type",
                        "place_id",
                        "place_name",
                        "personnel_best",
                        "evidence_text",
                        "confidence",
                    ),
                )
            }
            from marts.fct_deployments order by article_id, deployment_id""",
        )
        contribution_columns = _columns(connection, "marts.fct_contributions")
        contributions = _rows(
            connection,
            f"""select {
                _select(
                    contribution_columns,
                    (
                        "article_id",
                        "contribution_id",
                        "contributor_iso3",
                        "contributor_name",
                        "mission",
                        "personnel_best",
                        "personnel_type",
                        "evidence_text",
                        "confidence",
                    ),
                )
            }
            from marts.fct_contributions order by article_id, contribution_id""",
        )
    return Predictions(
        articles=articles,
        attacks=_by_article(attacks),
        deployments=_by_article(deployments),
        contributions=_by_article(contributions),
    )
