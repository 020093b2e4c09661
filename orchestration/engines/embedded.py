"""The embedded engine: the per-batch function in this process, one call per batch (Polars on all cores)."""

from collections.abc import Iterable, Iterator
from typing import Any

import polars as pl

from orchestration.engines import BatchFunction


class EmbeddedEngine:
    """Today's behaviour: nothing to start, nothing staged; outputs computed lazily, batch by batch."""

    name = "embedded"

    def map_batches(
        self, function: BatchFunction, context: Any, batches: Iterable[pl.DataFrame]
    ) -> Iterator[dict[str, pl.DataFrame]]:
        for batch in batches:
            yield function(batch, context)
