"""`bluehelm bench`: throughput, wall time, memory and warehouse size at several corpus sizes.

For each size N a fresh worker process (`orchestration.bench.stages`) generates the synthetic corpus
(`orchestration.bench.corpus`), times every stage and the whole run, measures peak memory of its
process tree and, at `--incremental-at`, a one-article incremental run; optionally the mention
matcher against a spaCy PhraseMatcher baseline. The results table is printed and written as JSON.
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import PROJECT_ROOT

STAGES = ("ingest", "extraction", "dbt_build", "quality_gate", "publish")
GIB_MIB = 1024


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bluehelm bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--engine",
        choices=["embedded", "spark"],
        default="embedded",
        help="embedded: this benchmark; spark: the Spark scaling benchmark (`bluehelm bench --engine spark --help`)",
    )
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (articles)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=PROJECT_ROOT / "warehouse" / "bench",
        help="scratch folder for corpora and warehouses (default warehouse/bench)",
    )
    parser.add_argument("--out", type=Path, help="JSON results file (default: <workdir>/bench.json)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--skip-spacy", action="store_true", help="no spaCy baseline comparison")
    parser.add_argument(
        "--spacy-max-mb",
        type=float,
        default=10.0,
        help="compare matchers on at most this many MB of sentence text (default 10)",
    )
    parser.add_argument(
        "--incremental-at",
        type=int,
        default=10_000,
        help="size whose warehouse gets the 1-article incremental run (default 10000; "
        "the largest size if not among --sizes; 0 = skip)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        help="seconds after which one size's worker is stopped (its finished measurements are kept)",
    )
    parser.add_argument(
        "--gold-sample",
        type=int,
        default=200,
        help="gold JSON files written per size for `bluehelm evaluate` (all: -1)",
    )
    return parser


def _machine() -> dict:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(pages / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def run_worker(size: int, args: argparse.Namespace, incremental: bool) -> dict:
    """One size in a fresh process (so peak memory is per size); its JSON result.

    A worker still running after `--timeout` seconds is stopped (its process group, which it leads);
    the measurements it finished are kept and `timed_out_in` names the phase that was running.
    """
    out = args.workdir / f"result_n{size}.json"
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "orchestration.bench.stages",
        "--size",
        str(size),
        "--workdir",
        str(args.workdir),
        "--seed",
        str(args.seed),
        "--out",
        str(out),
        "--spacy-max-mb",
        str(args.spacy_max_mb),
        "--gold-sample",
        str(args.gold_sample if args.gold_sample >= 0 else size),
    ]
    command += ["--skip-spacy"] if args.skip_spacy else []
    command += ["--incremental"] if incremental else []
    started = time.perf_counter()
    log = args.workdir / f"worker_n{size}.log"
    with log.open("w") as log_handle:
        worker = subprocess.Popen(
            command, cwd=PROJECT_ROOT, start_new_session=True, stdout=log_handle, stderr=subprocess.STDOUT
        )
    status = "ok"
    try:
        worker.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()
        status = "timed_out"
    wall = round(time.perf_counter() - started, 3)
    result = json.loads(out.read_text()) if out.exists() else {"articles": size}
    if status == "ok" and (worker.returncode != 0 or result.get("phase") != "done"):
        status = "failed"
    if status != "ok":
        result["failed_in" if status == "failed" else "timed_out_in"] = result.get("phase")
    return {
        **result,
        "status": status,
        "worker_exit_code": worker.returncode,
        "worker_seconds": wall,
        "worker_log": str(log),
    }


def assess_targets(results: list[dict]) -> list[dict]:
    """The issue's targets: measured value, limit and met (None when not measured).

    A time of a run that failed or covered only part of the pipeline is a lower bound: it counts as
    missed when already over the limit (`lower_bound` true), else as not measured.
    """
    targets = []

    def add(name: str, value, limit: float, higher_is_better: bool, complete: bool = True) -> None:
        if value is None:
            met = None
        elif higher_is_better:
            met = value >= limit
        else:
            met = value < limit if complete else (False if value >= limit else None)
        targets.append(
            {"target": name, "value": value, "limit": limit, "met": met, "lower_bound": not complete}
        )

    for result in results:
        n = result["articles"]
        comparison = result.get("mention_comparison") or {}
        mention = ((result.get("extractors") or {}).get("by_extractor") or {}).get("entity_mentions") or {}
        add(f"mention extraction MB/s (n={n})", mention.get("mb_per_s"), 50, True)
        add(f"mention MB/s ratio to spaCy (n={n})", comparison.get("ratio"), 10, True)
        run = result.get("whole_run") or {}
        if n == 10_000:
            complete = run.get("status") == "ok" and bool(run.get("complete"))
            add("whole pipeline seconds at 10k", run.get("seconds"), 40, False, complete)
        if n == 100_000:
            peak = (result.get("memory") or {}).get("peak_pipeline_tree_mib")
            add("peak memory MiB at 100k", peak, 1.5 * GIB_MIB, False)
        incremental = result.get("incremental") or {}
        if "process_total_seconds" in incremental:
            add(
                f"incremental 1-article run seconds, process total (n={n})",
                incremental["process_total_seconds"],
                10,
                False,
                incremental.get("process_exit_code") == 0,
            )
            add(
                f"incremental 1-article run seconds, pipeline's own work (n={n})",
                incremental.get("pipeline_own_seconds"),
                3,
                False,
                bool(incremental.get("in_process_ok")),
            )
            add(
                f"incremental / full run time (n={n})",
                incremental.get("ratio_to_full_run"),
                0.1,
                False,
                bool(incremental.get("in_process_ok")),
            )
        sensor = result.get("sensor") or {}
        if "file_written_to_published_seconds" in sensor:
            add(f"+1 article via the running sensor, file written → published, seconds (n={n})",
                sensor["file_written_to_published_seconds"], 15, False)
    return targets


def _cell(stage: dict | None) -> str:
    if not stage:
        return "-"
    if stage.get("status") != "ok":
        after = f" after {stage['seconds']:.1f}s" if stage.get("seconds") else ""
        return f"{stage.get('status', '?')}{after}"
    partial = " (partial job)" if stage.get("complete") is False else ""
    return f"{stage['seconds']:.1f}s {stage['articles_per_s']:g}/s {stage['mb_per_s']:g}MB/s{partial}"


def format_table(report: dict) -> str:
    """Plain-text results table (one row per size, one column per stage) plus the targets."""
    header = ["N", *STAGES, "whole_run", "peak MiB", "warehouse MB", "mentions MB/s", "spaCy MB/s", "ratio"]
    rows = [header]
    for result in report["results"]:
        stages = result.get("stages", {})
        mention = ((result.get("extractors") or {}).get("by_extractor") or {}).get("entity_mentions") or {}
        comparison = result.get("mention_comparison") or {}
        build = (result.get("warehouse_bytes") or {}).get("build")
        rows.append(
            [
                str(result["articles"]),
                *(_cell(stages.get(name)) for name in STAGES),
                _cell(result.get("whole_run")),
                str((result.get("memory") or {}).get("peak_pipeline_tree_mib", "-")),
                f"{build / 1e6:.0f}" if build else "-",
                str(mention.get("mb_per_s", "-")),
                str(comparison.get("spacy_mb_per_s", "-")),
                str(comparison.get("ratio", "-")),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    for result in report["results"]:
        if result.get("status") != "ok":
            where = result.get("timed_out_in") or result.get("failed_in")
            lines.append(f"n={result['articles']}: worker {result.get('status')} during {where}")
        metrics = (result.get("accuracy") or {}).get("metrics")
        if metrics:
            scores = ", ".join(
                f"{kind} P={m['precision']:.2f} R={m['recall']:.2f}" for kind, m in metrics.items()
            )
            counts = result["accuracy"].get("attack_counts", {})
            lines.append(
                f"accuracy on planted facts, n={result['articles']} ({result['accuracy'].get('gold_articles')} gold "
                f"articles): {scores}; attack counts exact {counts.get('share_exact')}"
            )
        incremental = result.get("incremental")
        if incremental and "process_total_seconds" in incremental:
            extracted = [
                ((incremental.get(run) or {}).get("metadata") or {})
                .get("raw/sentences", {})
                .get("articles_extracted")
                for run in ("process_run", "in_process_run")
            ]
            lines.append(
                f"incremental +1 article on n={result['articles']}: `bluehelm run` process "
                f"{incremental['process_total_seconds']}s (exit {incremental['process_exit_code']}), "
                f"pipeline's own work {incremental['pipeline_own_seconds']}s (ok={incremental.get('in_process_ok')}); "
                f"articles re-extracted: {extracted[0]} / {extracted[1]} (more than 1 = extraction version changed); "
                f"ratio to the full run {incremental.get('ratio_to_full_run')}"
            )
            lines.append(
                f"fixed cost of an empty run (unchanged input) on n={result['articles']}: "
                f"{incremental.get('empty_run_own_seconds')}s in-process, "
                f"{incremental.get('empty_run_process_seconds')}s as a `bluehelm run` process"
            )
        sensor = result.get("sensor")
        if sensor:
            lines.append(f"+1 article through the running sensor on n={result['articles']}: {sensor}")
    lines.append("targets:")
    for target in report["targets"]:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        bound = " (run failed or partial: lower bound)" if target.get("lower_bound") else ""
        lines.append(f"  {target['target']}: {target['value']}{bound} (limit {target['limit']}) {verdict}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry of `bluehelm bench` (argv: the arguments after `bench`); 0 when every size ran.

    `--engine spark` runs the Spark scaling benchmark instead (`bench.spark`)."""
    argv = argv[1:] if argv[:1] == ["--"] else argv
    if "--engine" in argv and argv[argv.index("--engine") + 1 :][:1] == ["spark"] or "--engine=spark" in argv:
        from orchestration.bench.spark import main as spark_main

        return spark_main(argv)
    args = _parser().parse_args(argv)
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.out = args.out or args.workdir / "bench.json"
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    incremental_at = (
        0
        if args.incremental_at == 0
        else (args.incremental_at if args.incremental_at in sizes else max(sizes))
    )
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "seed": args.seed,
        "sizes": sizes,
        "incremental_at": incremental_at or None,
        "results": [run_worker(size, args, size == incremental_at) for size in sizes],
    }
    report["targets"] = assess_targets(report["results"])
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print(format_table(report))
    print(f"results written to {args.out}")
    return 0 if all(result.get("status") == "ok" for result in report["results"]) else 1
