"""Engines: run a per-batch pure function over batches of rows, in this process or on Apache Spark.

The work that grows with the corpus — reading and cleaning files (`ingest.batch.ingest_files`) and
extracting facts from articles (`extract.article.extract_batch`) — is a pure function of one batch of
rows and its context (seeds, settings): `function(batch, context) -> {table name: frame}`. Rows of one
file or article never depend on another, so an engine may split a batch further and concatenate what
the parts return. Both engines call the very same function, so their results cannot drift apart:

- `embedded` (default): in this process, one call per batch, Polars on every core;
- `spark`: Spark tasks through `mapInArrow`, one Polars thread per task (`engines.spark`).

`Engine.map_batches(function, context, batches)` yields one {table: frame} per input batch, in input
order; the caller merges each into the warehouse (the same code for both engines).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import polars as pl

BatchFunction = Callable[[pl.DataFrame, Any], dict[str, pl.DataFrame]]


class Engine(Protocol):
    name: str

    def map_batches(
        self, function: BatchFunction, context: Any, batches: Iterable[pl.DataFrame]
    ) -> Iterator[dict[str, pl.DataFrame]]:
        """`function(batch, context)` for each non-empty batch, yielded in input order."""
        ...


class EngineUnavailableError(RuntimeError):
    """The selected engine cannot start here (pyspark not installed, no Java 17+)."""
