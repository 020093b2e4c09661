"""The Spark engine: the same per-batch function on Spark tasks, through `mapInArrow`.

How `SparkEngine.map_batches` runs one step:
1. The driver writes every input batch to `<staging>/bluehelm_runs/<run id>/input` (Parquet), numbering batches
   (`batch_no`) and rows (`seq`). Nothing is read back until step 3 has committed.
2. Spark range-partitions the rows by `seq` into several tasks per core, each sorted by `seq` (so a
   chunk is a run of consecutive rows); `mapInArrow` hands each task
   Arrow record batches of at most ROWS_PER_CHUNK rows; `_apply_chunks` turns each into a Polars frame
   and calls the pure function with the broadcast context. Executors run one Polars thread per task
   (`POLARS_MAX_THREADS=1` in their environment): Spark's task slots are the parallelism.
3. Output rows — one per (chunk, table): `batch_no`, `part_no` (first `seq` of the chunk),
   `table_name`, `row_count` and `ipc`, the table's frame as an Arrow IPC stream — are written to
   `<staging>/bluehelm_runs/<run id>/output` (Parquet, partitioned by `batch_no`). Spark's output committer publishes
   them only when every task has succeeded.
4. Only then does the driver read the output back, one `batch_no` partition at a time (on a plain
   path with a local master the driver reads and writes the staged Parquet itself; URIs and clusters
   go through Spark's file systems), decode the
   frames in `part_no` order and yield one {table: frame} per input batch. The caller stores each in
   DuckDB in its own transaction(s), exactly as for the embedded engine. The run's staging folder is
   deleted when the step ends; a failed or killed job has yielded nothing (the warehouse is untouched)
   and leaves only its own run folder, which no later run reads and the next run on the same staging
   root removes (no clean-up needed by hand).

Several output tables through one `mapInArrow`: each table of each chunk travels as Arrow IPC bytes in
a fixed five-column schema. Chosen over one wide schema with a table discriminator because
(a) mapInArrow needs its output schema before it runs, and the function decides which tables it
returns (claim tables added by other modules run with no change here), (b) every column keeps the exact
dtype Polars produced (Int32 vs Int64, dates, lists, structs): the frames merged into DuckDB are the
frames the embedded engine merges, with no detour through Spark SQL types, (c) a union schema would
carry every table's columns on every row and need them all declared up front. The price: the staged
output is opaque to other Parquet readers — it is staging only; the raw layer dbt reads is DuckDB's
`raw` schema, written by the same merge code for both engines.

Reference data reaches executors as a broadcast of the context (seeds loaded once on the driver, about
6 MB pickled): fetched once per executor, unpickled once per Python worker (workers are reused), so
executors need no seeds folder — only this package and its dependencies (see README, Operations).
"""

import functools
import importlib.util
import io
import math
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from orchestration.engines import BatchFunction, EngineUnavailableError
from orchestration.settings import spark_environment

ROWS_PER_CHUNK = 1_000
TASKS_PER_CORE = 4
MIN_JAVA = 17
RUNS_FOLDER = "bluehelm_runs"
OUTPUT_SCHEMA = pa.schema(
    [
        ("batch_no", pa.int32()),
        ("part_no", pa.int64()),
        ("table_name", pa.string()),
        ("row_count", pa.int64()),
        ("ipc", pa.binary()),
    ]
)
_NO_OUTPUT = pa.table(
    {
        "part_no": pa.array([], pa.int64()),
        "table_name": pa.array([], pa.string()),
        "ipc": pa.array([], pa.binary()),
    }
)
OUTPUT_DDL = "batch_no int, part_no long, table_name string, row_count long, ipc binary"
_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def require_java() -> str:
    """The `java` Spark will start (JAVA_HOME's, else PATH's), checked to be 17 or newer; else a clear error."""
    home = spark_environment()["JAVA_HOME"]
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    where = f"JAVA_HOME={home}" if home else "PATH"
    if not java or not Path(java).exists():
        raise EngineUnavailableError(
            f"the Spark engine needs Java {MIN_JAVA} or newer, and no `java` was found ({where}). Install a "
            f"JDK/JRE {MIN_JAVA}+ (e.g. Debian's openjdk-17-jre-headless) and put it on PATH or set JAVA_HOME, "
            "or run with the embedded engine (BLUEHELM_ENGINE=embedded, the default)."
        )
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=120, check=False)
    found = _JAVA_VERSION.search(shown.stderr + shown.stdout)
    major = (int(found.group(2)) if found.group(1) == "1" else int(found.group(1))) if found else 0
    if major < MIN_JAVA:
        raise EngineUnavailableError(
            f"the Spark engine needs Java {MIN_JAVA} or newer; {java} ({where}) is "
            f"{'version ' + str(major) if major else 'not a working Java'}. Point JAVA_HOME at a Java {MIN_JAVA}+."
        )
    return java


def require_pyspark() -> None:
    """Fail clearly when pyspark (an optional extra) is not installed."""
    if importlib.util.find_spec("pyspark") is None:
        raise EngineUnavailableError(
            "the Spark engine needs pyspark: install the extra with `pip install -e '.[spark]'` "
            "(`make test` installs it), or use the embedded engine (BLUEHELM_ENGINE=embedded)."
        )


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def spark_conf(master: str) -> dict[str, str]:
    """Session settings for `master`: one Polars thread per task, Arrow batches of ROWS_PER_CHUNK rows;
    on a local master also a loopback-only driver, no web UI and 2 GB of driver memory."""
    conf = {
        "spark.master": master,
        "spark.app.name": "bluehelm",
        "spark.executorEnv.POLARS_MAX_THREADS": "1",
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(ROWS_PER_CHUNK),
        "spark.sql.execution.arrow.useLargeVarTypes": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.python.worker.reuse": "true",
        "spark.ui.showConsoleProgress": "false",
    }
    if is_local(master):
        conf |= {
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.driver.memory": "2g",
            "spark.sql.shuffle.partitions": "8",
        }
    return conf


def prepare_session(session: Any) -> Any:
    """On a local master, Python workers run this interpreter unless PYSPARK_PYTHON says otherwise."""
    context = session.sparkContext
    if is_local(context.master) and spark_environment()["PYSPARK_PYTHON"] is None:
        context.pythonExec = sys.executable
    return session


def start_session(master: str) -> Any:
    """A Spark session for `master` outside Dagster (Dagster runs get theirs from the `engine` resource);
    reuses the process's active session if there is one."""
    require_pyspark()
    require_java()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for key, value in spark_conf(master).items():
        builder = builder.config(key, value)
    return prepare_session(builder.getOrCreate())


class SparkEngine:
    """Runs a per-batch function on Spark; stages input and output under `staging` (path or URI).

    The session comes from `session_factory` on first use: a step with nothing to do starts no JVM.
    """

    name = "spark"

    def __init__(self, session_factory: Callable[[], Any], staging: str):
        self._session_factory = session_factory
        self._session = None
        self.runs = f"{staging.rstrip('/')}/{RUNS_FOLDER}"

    @property
    def session(self) -> Any:
        if self._session is None:
            self._session = self._session_factory()
        return self._session

    def map_batches(
        self, function: BatchFunction, context: Any, batches: Iterable[pl.DataFrame]
    ) -> Iterator[dict[str, pl.DataFrame]]:
        pending = iter(batches)
        first = next(pending, None)
        if first is None:
            return
        spark = self.session
        self._remove(self.runs)  # folders of runs killed before they could remove their own
        run_dir = f"{self.runs}/{uuid.uuid4().hex}"
        try:
            count, rows = self._stage_input(chain([first], pending), f"{run_dir}/input")
            tasks = max(
                spark.sparkContext.defaultParallelism * TASKS_PER_CORE, math.ceil(rows / (ROWS_PER_CHUNK * 4))
            )
            shared = spark.sparkContext.broadcast(context)
            try:
                (
                    spark.read.parquet(f"{run_dir}/input")
                    .repartitionByRange(min(tasks, rows), "seq")
                    # a range partition gathers its rows from several map tasks in no set order
                    .sortWithinPartitions("seq")
                    .mapInArrow(functools.partial(_apply_chunks, function, shared), OUTPUT_DDL)
                    .write.partitionBy("batch_no")
                    .parquet(f"{run_dir}/output")
                )
            finally:
                shared.unpersist()
            for batch_no in range(count):
                yield _decode(self._read_output(f"{run_dir}/output", batch_no))
        finally:
            self._remove(run_dir)

    def _read_output(self, path: str, batch_no: int) -> pa.Table:
        """One batch's committed output rows (part_no, table_name, ipc)."""
        local = self._local_path(path)
        if local is not None:  # read in this process: no Spark job per batch
            folder = local / f"batch_no={batch_no}"
            return pl.read_parquet(folder / "*.parquet").to_arrow() if folder.exists() else _NO_OUTPUT
        from pyspark.sql import functions as F

        output = self.session.read.parquet(path).where(F.col("batch_no") == batch_no)
        return output.select("part_no", "table_name", "ipc").toArrow()

    def _stage_input(self, batches: Iterable[pl.DataFrame], path: str) -> tuple[int, int]:
        count = rows = 0
        for batch in batches:
            if batch.height == 0:
                raise ValueError("engines take non-empty batches")
            numbered = batch.with_columns(
                pl.lit(count, pl.Int32).alias("batch_no"),
                pl.int_range(rows, rows + batch.height, dtype=pl.Int64).alias("seq"),
            )
            local = self._local_path(path)
            if local is not None:  # written by this process: no Spark job per batch
                local.mkdir(parents=True, exist_ok=True)
                numbered.write_parquet(local / f"batch-{count:06d}.parquet")
            else:
                table = numbered.to_arrow(compat_level=pl.CompatLevel.oldest())
                self.session.createDataFrame(table).write.mode("append").parquet(path)
            count, rows = count + 1, rows + batch.height
        return count, rows

    def _local_path(self, location: str) -> Path | None:
        """The folder of a plain path on a local master (the driver reads and writes it itself); None for
        URIs (`file:`, `s3a:`, `dbfs:` …) and on clusters, where Spark's file systems do the I/O."""
        if location.startswith("/") and is_local(self.session.sparkContext.master):
            return Path(location)
        return None

    def _remove(self, path: str) -> None:
        """Delete `path` recursively through Spark's Hadoop file system (a local path or any object store)."""
        jvm = self.session.sparkContext._jvm
        target = jvm.org.apache.hadoop.fs.Path(path)
        target.getFileSystem(self.session.sparkContext._jsc.hadoopConfiguration()).delete(target, True)


def _apply_chunks(
    function: BatchFunction, shared: Any, chunks: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """mapInArrow body, on executors: each Arrow chunk → the function, per batch_no → IPC per table."""
    context = shared.value
    for chunk in chunks:
        frame = pl.from_arrow(chunk)
        for (batch_no,), part in frame.group_by("batch_no", maintain_order=True):
            tables = function(part.drop("batch_no", "seq"), context)
            first = part["seq"].min()
            yield pa.RecordBatch.from_pylist(
                [
                    {
                        "batch_no": batch_no,
                        "part_no": first,
                        "table_name": name,
                        "row_count": table.height,
                        "ipc": _to_ipc(table),
                    }
                    for name, table in tables.items()
                ],
                schema=OUTPUT_SCHEMA,
            )


def _to_ipc(frame: pl.DataFrame) -> bytes:
    sink = io.BytesIO()
    frame.write_ipc_stream(sink)
    return sink.getvalue()


def _decode(parts: pa.Table) -> dict[str, pl.DataFrame]:
    """{table: frame} from the output rows of one batch, concatenated in chunk order."""
    frames: dict[str, list[pl.DataFrame]] = {}
    ordered = pl.from_arrow(parts).sort("part_no", maintain_order=True)
    for name, blob in ordered.select("table_name", "ipc").iter_rows():
        frames.setdefault(name, []).append(pl.read_ipc_stream(blob))
    return {name: pl.concat(found, how="vertical_relaxed") for name, found in frames.items()}
