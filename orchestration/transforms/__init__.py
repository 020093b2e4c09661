"""Pure Polars transforms: frames in, frames out. No Dagster or DuckDB imports here."""
