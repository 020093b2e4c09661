"""Engines: the embedded and the Spark engine run the same per-batch functions and give the same rows.

Spark tests share one `local[2]` session (started once; slow to start on a busy machine). They are
skipped only where pyspark is not installed (`make setup` alone); `make test` installs it, and a
missing Java fails them with the engine's own message.
"""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import make_settings
from polars.testing import assert_frame_equal

from orchestration.engines.embedded import EmbeddedEngine
from orchestration.extract.article import Reference, extract_batch, nest_paragraphs
from orchestration.extract.run import extract
from orchestration.ingest.batch import IngestContext, ingest_files
from orchestration.ingest.files import discover_files, files_to_read, read_manifests
from orchestration.ingest.run import cleaning_version, ingest
from orchestration.settings import PROJECT_ROOT, SEEDS_DIR, Settings

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SAMPLE = PROJECT_ROOT / "raw"


def _sample_files() -> tuple[pl.DataFrame, IngestContext]:
    files = files_to_read(SAMPLE, discover_files(SAMPLE), read_manifests(SAMPLE).entries)
    return files, IngestContext.load(SAMPLE, 5_000_000, cleaning_version(), NOW, SEEDS_DIR)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_settings_engine_rejects_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown engine 'sparky'.*embedded, spark"):
        Settings(raw_dir=tmp_path, warehouse=tmp_path / "w.duckdb", published=tmp_path / "p.duckdb",
                 max_file_bytes=1, engine="sparky")  # fmt: skip


def test_ingest_files_any_split_of_the_files_gives_the_same_rows() -> None:
    files, context = _sample_files()
    whole = ingest_files(files, context)
    halves = [ingest_files(files.slice(0, 3), context), ingest_files(files.slice(3), context)]
    assert whole["articles"].height > 0
    for name, frame in whole.items():
        assert_frame_equal(pl.concat([half[name] for half in halves]), frame, check_row_order=False)


def test_extract_batch_any_split_of_the_articles_gives_the_same_rows() -> None:
    files, context = _sample_files()
    tables = ingest_files(files, context)
    articles = tables["articles"].select("article_id", "body", "published_date", "published_precision")
    batch = nest_paragraphs(articles, tables["paragraphs"])
    reference = Reference.load(SEEDS_DIR)
    whole = extract_batch(batch, reference)
    parts = [extract_batch(batch.slice(0, 4), reference), extract_batch(batch.slice(4), reference)]
    assert whole["mentions"].height > 0
    for name, frame in whole.items():
        assert_frame_equal(pl.concat([part[name] for part in parts]), frame, check_row_order=False)


def test_embedded_engine_yields_one_output_per_batch_in_order() -> None:
    batches = [pl.DataFrame({"n": [1, 2]}), pl.DataFrame({"n": [3]})]
    outputs = list(EmbeddedEngine().map_batches(lambda batch, add: {"t": batch + add}, 10, batches))
    assert [output["t"]["n"].to_list() for output in outputs] == [[11, 12], [13]]


def test_spark_engine_without_java_fails_with_clear_message(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent)
    env = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"} | {"PATH": venv_bin}
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "run",
        "--engine",
        "spark",
        "--warehouse",
        str(tmp_path / "w.duckdb"),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=PROJECT_ROOT)
    assert done.returncode == 2
    assert "needs Java 17 or newer, and no `java` was found (PATH)" in done.stderr
    assert "BLUEHELM_ENGINE=embedded" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


# ---- on Spark (local[2]) ----


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the spark extra is not installed (`make test` installs it)")
    from pyspark import cloudpickle

    from orchestration.engines.spark import start_session

    # this module's test functions run on executors, which cannot import the tests folder: ship them by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    return start_session("local[2]")


@pytest.fixture
def spark_engine(spark, tmp_path: Path):
    from orchestration.engines.spark import SparkEngine

    return SparkEngine(lambda: spark, str(tmp_path / "staging"))


def _odd_tables(batch: pl.DataFrame, offset: int) -> dict[str, pl.DataFrame]:
    """Tables of several shapes (lists, structs, dates, Int32) and one empty for most rows."""
    n = batch["n"]
    return {
        "wide": pl.DataFrame(
            {
                "n": (n + offset).cast(pl.Int32),
                "day": pl.Series([date(2020, 1, 1)] * batch.height),
                "tags": [[f"t{value}"] * (value % 3) for value in n],
                "pair": [{"a": value, "b": str(value)} for value in n],
            }
        ),
        "rare": pl.DataFrame({"n": n}).filter(n % 97 == 0),
    }


def test_spark_engine_carries_any_tables_with_exact_types(spark, tmp_path: Path) -> None:
    from orchestration.engines.spark import SparkEngine

    # a URI: staged input and output go through Spark's file systems, as on a cluster
    spark_engine = SparkEngine(lambda: spark, (tmp_path / "staging").as_uri())
    batches = [pl.DataFrame({"n": range(start, start + 2_500)}) for start in (0, 2_500, 5_000)]
    on_spark = list(spark_engine.map_batches(_odd_tables, 7, batches))
    embedded = list(EmbeddedEngine().map_batches(_odd_tables, 7, batches))
    assert len(on_spark) == 3
    for got, expected in zip(on_spark, embedded, strict=True):
        assert set(got) == {"wide", "rare"}
        for name in expected:
            assert_frame_equal(got[name], expected[name])


def _fail_on_executor(batch: pl.DataFrame, _context: object) -> dict[str, pl.DataFrame]:
    raise RuntimeError("boom in a task")


def test_spark_failed_job_yields_nothing_and_next_run_needs_no_cleanup(spark_engine, tmp_path: Path) -> None:
    batches = [pl.DataFrame({"n": range(10)})]
    outputs = spark_engine.map_batches(_fail_on_executor, None, batches)
    with pytest.raises(Exception, match="boom in a task"):
        next(outputs)
    again = list(spark_engine.map_batches(_odd_tables, 0, batches))
    assert again[0]["wide"]["n"].to_list() == list(range(10))
    leftovers = list((tmp_path / "staging").rglob("*.parquet"))
    assert leftovers == []


def _assert_same_tables(left: Path, right: Path, schema: str, skip_columns: tuple[str, ...] = ()) -> None:
    with duckdb.connect(str(left), read_only=True) as a, duckdb.connect(str(right), read_only=True) as b:
        names = [n for (n,) in a.execute(
            f"select table_name from information_schema.tables where table_schema = '{schema}' order by 1").fetchall()]  # fmt: skip
        assert names, f"no tables in {schema}"
        for name in names:
            expected = a.sql(f"select * from {schema}.{name}").pl().drop(skip_columns, strict=False)
            got = b.sql(f"select * from {schema}.{name}").pl().drop(skip_columns, strict=False)
            try:
                assert_frame_equal(_sorted(got), _sorted(expected))
            except AssertionError as error:
                raise AssertionError(f"{schema}.{name} differs: {error}") from None


def test_spark_ingest_and_extract_match_embedded_and_rerun_reads_nothing(
    spark_engine, tmp_path: Path
) -> None:
    paths = {}
    for name, engine in (("embedded", None), ("spark", spark_engine)):
        paths[name] = tmp_path / f"{name}.duckdb"
        with duckdb.connect(str(paths[name])) as con:
            ingest(con, SAMPLE, 5_000_000, now=NOW, engine=engine)
            extract(con, now=NOW, engine=engine)
    _assert_same_tables(paths["embedded"], paths["spark"], "raw")
    with duckdb.connect(str(paths["spark"])) as con:
        again = ingest(con, SAMPLE, 5_000_000, now=NOW, engine=spark_engine)
        assert (again.files_read, again.new, again.changed) == (0, 0, 0)
        assert extract(con, now=NOW, engine=spark_engine).articles == 0
    _assert_same_tables(paths["embedded"], paths["spark"], "raw")


def test_spark_pipeline_publishes_the_same_marts_as_embedded(
    spark, sample_warehouse: Settings, tmp_path: Path, dagster_home: Path
) -> None:
    from orchestration.runner import execute_all

    settings = make_settings(
        SAMPLE,
        tmp_path,
        dagster_home,
        max_file_bytes=sample_warehouse.max_file_bytes,
        engine="spark",
        spark_master="local[2]",
    )
    assert execute_all(settings)
    # ingested_at is when each run read the files; every other column must match
    _assert_same_tables(
        sample_warehouse.published, settings.published, "marts", skip_columns=("ingested_at",)
    )


@pytest.mark.slow
def test_spark_benchmark_corpus_raw_tables_match_embedded(spark_engine, tmp_path: Path) -> None:
    """1,000 synthetic articles of the benchmark generator (txt, md, html and jsonl files):
    every raw table — the marts' only input — is the same on both engines."""
    from orchestration.bench.corpus import generate_corpus

    raw_dir = tmp_path / "raw"
    generate_corpus(raw_dir, 1_000, seed=11)
    paths = {}
    for name, engine in (("embedded", None), ("spark", spark_engine)):
        paths[name] = tmp_path / f"{name}.duckdb"
        with duckdb.connect(str(paths[name])) as con:
            ingest(con, raw_dir, 5_000_000, now=NOW, engine=engine)
            assert extract(con, now=NOW, engine=engine).articles > 900
    _assert_same_tables(paths["embedded"], paths["spark"], "raw")
