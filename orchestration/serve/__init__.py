"""The serve step: a real PostgreSQL server holding a read-only copy of the published marts.

- `options.py`  the `bluehelm serve` command-line options (`ServeOptions`, BLUEHELM_SERVE_*, in settings.py)
- `server.py`   the cluster under `<warehouse dir>/serve/`: binaries, OS user, initdb, roles, start, stop
- `schema.py`   Postgres types, primary and foreign keys, comments from the dbt marts contract
- `load.py`     bulk load of the published marts into a fresh schema, swapped in atomically
- `main.py`     `bluehelm serve` itself (start, catch up with the published file, wait for a signal)

The published DuckDB file stays the source of truth: the serving copy can be deleted at any time and
is rebuilt from it by the next `bluehelm serve`.
"""
