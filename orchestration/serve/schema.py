"""The Postgres shape of the published marts: types, keys and comments (no database connection).

Everything here is derived from two sources, read when called (never at import):
- the published DuckDB file's columns and types (`information_schema.columns`), and
- the dbt contract `dbt_project/models/marts/_marts__models.yml`: descriptions become `COMMENT ON`,
  a column tested `unique` + `not_null` becomes the primary key, a `relationships` test to another
  mart becomes a foreign key (tests pointing at seeds, which are not served, are skipped).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# DuckDB scalar type -> Postgres type. DOUBLE is handled by `postgres_type` (counts are numeric).
_SCALARS = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric",
    "HUGEINT": "numeric",
    "UHUGEINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
    "JSON": "jsonb",
}
# Counts a text can state vaguely come as <what>_low / _best / _high (STYLE.md): exact decimals.
_COUNT_COLUMN = re.compile(r"_(low|best|high)$")
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    pg_type: str
    description: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    column: str
    references_table: str
    references_column: str

    @property
    def name(self) -> str:
        return f"fk_{self.column}_{self.references_table}"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    description: str | None = None
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)


def postgres_type(column: str, duckdb_type: str) -> str:
    """The Postgres type for a DuckDB column: lists become arrays, structs and maps jsonb."""
    duckdb_type = duckdb_type.upper().strip()
    if duckdb_type.endswith("[]"):
        element = postgres_type(column, duckdb_type[:-2])
        return "jsonb" if element.endswith("[]") or element == "jsonb" else f"{element}[]"
    if duckdb_type == "DOUBLE" and _COUNT_COLUMN.search(column):
        return "numeric"
    if match := _DECIMAL.match(duckdb_type):
        return f"numeric({match[1]},{match[2]})"
    if duckdb_type.startswith(("STRUCT", "MAP", "UNION")) or duckdb_type.endswith("]"):
        return "jsonb"
    if duckdb_type.startswith("ENUM"):
        return "text"
    return _SCALARS.get(duckdb_type, "text")


def read_contract(models_yml: Path) -> dict[str, dict]:
    """The marts contract from the dbt YAML: {model: {description, columns: {name: {...}}}}."""
    document = yaml.safe_load(models_yml.read_text(encoding="utf-8")) or {}
    contract: dict[str, dict] = {}
    for model in document.get("models", []):
        columns = {}
        for column in model.get("columns", []) or []:
            tests = column.get("data_tests", column.get("tests", [])) or []
            names = {test if isinstance(test, str) else next(iter(test)) for test in tests}
            relationships = [
                test["relationships"].get("arguments", test["relationships"])
                for test in tests
                if isinstance(test, dict) and "relationships" in test
            ]
            columns[column["name"]] = {
                "description": _clean(column.get("description")),
                "is_key": {"unique", "not_null"} <= names,
                "references": [
                    (ref, relation["field"])
                    for relation in relationships
                    if (ref := _ref_name(relation.get("to", ""))) is not None
                ],
            }
        contract[model["name"]] = {"description": _clean(model.get("description")), "columns": columns}
    return contract


def build_tables(columns: list[tuple[str, str, str]], contract: dict[str, dict]) -> list[Table]:
    """Tables from (table, column, DuckDB type) rows in column order, annotated with the contract.

    The primary key is the first column tested unique and not_null; foreign keys only point at served
    tables whose primary key is the referenced column.
    """
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in columns:
        by_table.setdefault(table, []).append((column, kind))
    keys = {
        table: tuple(name for name, _ in cols if contract.get(table, {}).get("columns", {}).get(name, {}).get("is_key"))
        for table, cols in by_table.items()
    }
    tables = []
    for name, cols in by_table.items():
        documented = contract.get(name, {})
        doc_columns = documented.get("columns", {})
        foreign_keys = tuple(
            ForeignKey(column, target, target_column)
            for column, _ in cols
            for target, target_column in doc_columns.get(column, {}).get("references", [])
            if target != name and keys.get(target, ())[:1] == (target_column,)
        )
        tables.append(
            Table(
                name=name,
                columns=tuple(
                    Column(column, kind, postgres_type(column, kind), doc_columns.get(column, {}).get("description"))
                    for column, kind in cols
                ),
                description=documented.get("description"),
                primary_key=keys[name][:1],
                foreign_keys=foreign_keys,
            )
        )
    return sorted(tables, key=lambda table: table.name)


def _ref_name(to: str) -> str | None:
    match = re.fullmatch(r"\s*ref\(\s*['\"]([\w.]+)['\"]\s*\)\s*", to)
    return match[1] if match else None


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None
