"""`bluehelm bench --engine spark`: the per-article stage on Spark, `local[1]` against `local[2]`.

For each size N: the synthetic corpus (`bench.corpus`) is generated and ingested once with the embedded
engine (so extraction has its input); then, for each master, a fresh worker process starts a Spark
session (its wall time, with a first trivial job and one warm-up call of each stage on 20 rows so that the
Python workers have started, is the fixed cost of starting Spark) and runs, `--repeats`
times, the per-article stage exactly as the pipeline does — `SparkEngine.map_batches` over the ingest
batches (`ingest.batch.ingest_files`: read, decode, clean, dates) and over the extraction batches
(`extract.article.extract_batch`), outputs decoded on the driver, nothing merged into DuckDB; then once
the whole ingest and extract steps into a fresh warehouse (the difference is the driver's merge). Executors
run one Polars thread per task. Medians are reported; the load average is recorded at every phase (the
machine may be shared: compare only figures measured at low load).

Scaling efficiency = (articles/s on local[k] ÷ articles/s on local[1]) ÷ k.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import PROJECT_ROOT, SEEDS_DIR

DEFAULT_MASTERS = "local[1],local[2]"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bluehelm bench --engine spark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--engine", choices=["spark"], default="spark")
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (articles)")
    parser.add_argument(
        "--masters", default=DEFAULT_MASTERS, help=f"Spark masters to compare (default {DEFAULT_MASTERS})"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of the stage per master (median reported)"
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=PROJECT_ROOT / "warehouse" / "bench",
        help="scratch folder (default warehouse/bench)",
    )
    parser.add_argument("--out", type=Path, help="JSON results file (default: <workdir>/bench_spark.json)")
    return parser


def prepare_corpus(root: Path, size: int, seed: int) -> tuple[Path, Path]:
    """The corpus of `size` articles and a warehouse with it ingested (embedded), made once per size and seed."""
    import duckdb

    from orchestration.bench.corpus import generate_corpus
    from orchestration.ingest.run import ingest

    raw_dir, warehouse, done = root / "raw", root / "input.duckdb", root / "prepared.json"
    if done.exists() and json.loads(done.read_text()) == {"size": size, "seed": seed}:
        return raw_dir, warehouse
    for path in (warehouse, done):
        path.unlink(missing_ok=True)
    generate_corpus(raw_dir, size, seed)
    with duckdb.connect(str(warehouse)) as con:
        ingest(con, raw_dir, 5_000_000)
    done.write_text(json.dumps({"size": size, "seed": seed}))
    return raw_dir, warehouse


def run_master(master: str, raw_dir: Path, warehouse: Path, staging: Path, repeats: int) -> dict:
    """In this process: start Spark on `master`, then time the per-article stage `repeats` times."""
    import duckdb

    from orchestration.engines.spark import SparkEngine, start_session
    from orchestration.extract.article import Reference, extract_batch, nest_paragraphs
    from orchestration.extract.run import EXTRACT_BATCH_ARTICLES
    from orchestration.ingest.batch import IngestContext, ingest_files
    from orchestration.ingest.files import discover_files, files_to_read, read_manifests
    from orchestration.ingest.run import INGEST_BATCH_FILES, cleaning_version
    from orchestration.warehouse import raw

    load = {"start": round(os.getloadavg()[0], 2)}
    started = time.perf_counter()
    session = start_session(master)
    session.range(1).count()
    slots = session.sparkContext.defaultParallelism
    engine = SparkEngine(lambda: session, str(staging))
    files = files_to_read(raw_dir, discover_files(raw_dir), read_manifests(raw_dir).entries)
    file_batches = [
        files.slice(start, INGEST_BATCH_FILES) for start in range(0, files.height, INGEST_BATCH_FILES)
    ]
    context = IngestContext.load(raw_dir, 5_000_000, cleaning_version(), datetime.now(UTC), SEEDS_DIR)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        todo = raw.articles_to_extract(con, "bench: every current article")
        article_batches = [
            nest_paragraphs(batch, raw.paragraphs_of(con, batch["article_id"]))
            for batch in todo.iter_slices(EXTRACT_BATCH_ARTICLES)
        ]
    reference = Reference.load(SEEDS_DIR)
    # Python workers start and import their modules once per process: part of the fixed cost, not the rate
    list(engine.map_batches(ingest_files, context, [file_batches[0].head(20)]))
    list(engine.map_batches(extract_batch, reference, [article_batches[0].head(20)]))
    startup = time.perf_counter() - started
    timings: dict[str, list[float]] = {"ingest": [], "extract": []}
    rows: dict[str, int] = {}
    for repeat in range(repeats):
        for stage, function, ctx, batches in (
            ("ingest", ingest_files, context, file_batches),
            ("extract", extract_batch, reference, article_batches),
        ):
            load[f"{stage}_{repeat}"] = round(os.getloadavg()[0], 2)
            begun = time.perf_counter()
            outputs = list(engine.map_batches(function, ctx, batches))
            timings[stage].append(time.perf_counter() - begun)
            key = "articles" if stage == "ingest" else "sentences"
            rows[stage] = sum(output[key].height for output in outputs)
    articles = todo.height
    medians = {stage: statistics.median(times) for stage, times in timings.items()}
    stage_seconds = medians["ingest"] + medians["extract"]
    load["steps"] = round(os.getloadavg()[0], 2)
    steps = whole_steps(engine, raw_dir, staging.parent / f"steps_{slots}.duckdb")
    session.stop()
    return {
        "master": master,
        "task_slots": slots,
        "startup_seconds": round(startup, 2),
        "articles": articles,
        "rows": rows,
        "seconds": {stage: [round(t, 2) for t in times] for stage, times in timings.items()},
        "median_seconds": {stage: round(t, 2) for stage, t in medians.items()},
        "articles_per_s": {
            "ingest": round(articles / medians["ingest"], 1),
            "extract": round(articles / medians["extract"], 1),
            "per_article_stage": round(articles / stage_seconds, 1),
        },
        "steps_seconds": steps,
        "driver_merge_seconds": round(steps["ingest"] + steps["extract"] - stage_seconds, 2),
        "load_average_1min": load,
        "polars_threads_per_task": 1,
    }


def whole_steps(engine, raw_dir: Path, warehouse: Path) -> dict[str, float]:
    """The ingest and extract steps as the pipeline runs them on `engine` (the per-article stage plus the
    driver's merge into DuckDB), on a fresh warehouse."""
    import duckdb

    from orchestration.extract.run import extract
    from orchestration.ingest.run import ingest

    warehouse.unlink(missing_ok=True)
    seconds = {}
    with duckdb.connect(str(warehouse)) as con:
        begun = time.perf_counter()
        ingest(con, raw_dir, 5_000_000, engine=engine)
        seconds["ingest"] = round(time.perf_counter() - begun, 2)
        begun = time.perf_counter()
        extract(con, engine=engine)
        seconds["extract"] = round(time.perf_counter() - begun, 2)
    warehouse.unlink(missing_ok=True)
    return seconds


def scaling(results: list[dict]) -> list[dict]:
    """Speed-up and efficiency of each master against the one with a single task slot."""
    base = next((r for r in results if r.get("task_slots") == 1), None)
    rows = []
    for result in results:
        if base is None or "articles_per_s" not in result:
            continue
        row = {"master": result["master"], "task_slots": result["task_slots"]}
        for stage, rate in result["articles_per_s"].items():
            speedup = rate / base["articles_per_s"][stage]
            row[stage] = {
                "speedup": round(speedup, 2),
                "efficiency": round(speedup / result["task_slots"], 2),
            }
        rows.append(row)
    return rows


def format_table(report: dict) -> str:
    lines = []
    for size in report["sizes"]:
        lines.append(
            f"N={size['articles']} (per-article stage on Spark, one Polars thread per task; medians of {report['repeats']})"
        )
        header = [
            "master",
            "start s",
            "ingest art/s",
            "extract art/s",
            "stage art/s",
            "speed-up",
            "efficiency",
            "merge s",
            "load",
        ]
        rows = [header]
        speed = {row["master"]: row for row in size["scaling"]}
        for result in size["masters"]:
            if "articles_per_s" not in result:
                rows.append(
                    [result["master"], f"failed: {result.get('error')}"[:70], *[""] * (len(header) - 2)]
                )
                continue
            rates = result["articles_per_s"]
            up = speed.get(result["master"], {}).get("per_article_stage", {})
            loads = result["load_average_1min"].values()
            rows.append(
                [
                    result["master"],
                    f"{result['startup_seconds']:.1f}",
                    f"{rates['ingest']:g}",
                    f"{rates['extract']:g}",
                    f"{rates['per_article_stage']:g}",
                    f"{up.get('speedup', '-')}",
                    f"{up.get('efficiency', '-')}",
                    f"{result['driver_merge_seconds']:g}",
                    f"{min(loads):.1f}–{max(loads):.1f}",
                ]
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines += [
            " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows
        ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry of `bluehelm bench --engine spark`; 0 when every master ran."""
    args = _parser().parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    out = args.out or workdir / "bench_spark.json"
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "repeats": args.repeats,
        "sizes": [],
    }
    ok = True
    for size in [int(size) for size in args.sizes.split(",") if size.strip()]:
        root = workdir / f"spark_n{size}"
        raw_dir, warehouse = prepare_corpus(root, size, args.seed)
        results = []
        for master in [m.strip() for m in args.masters.split(",") if m.strip()]:
            result_file = root / "master.json"
            result_file.unlink(missing_ok=True)
            command = [sys.executable, "-m", "orchestration.bench.spark", "--worker", master, str(raw_dir),
                       str(warehouse), str(root / "staging"), str(args.repeats), str(result_file)]  # fmt: skip
            done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
            if done.returncode == 0 and result_file.exists():
                results.append(json.loads(result_file.read_text()))
            else:
                ok = False
                results.append(
                    {"master": master, "error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
                )
        report["sizes"].append({"articles": size, "masters": results, "scaling": scaling(results)})
    out.write_text(json.dumps(report, indent=2))
    print(format_table(report))
    print(f"results written to {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        master, raw_dir, warehouse, staging, repeats, result_file = sys.argv[2:8]
        measured = run_master(master, Path(raw_dir), Path(warehouse), Path(staging), int(repeats))
        Path(result_file).write_text(json.dumps(measured, indent=2))
    else:
        sys.exit(main(sys.argv[1:]))
