"""Step 2, extract: one article's text → sentences, typed mentions and cues (pure Polars, no I/O).

`run.extract` is the step over the warehouse; every other module is a pure transform, frames in and
frames out, with no Dagster or DuckDB imports.
"""
