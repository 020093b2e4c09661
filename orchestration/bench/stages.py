"""One benchmark size in one process: generate, time each stage, the whole run, memory, sizes.

Every stage runs through the functions the pipeline itself uses (never a re-implementation):
ingest = `ingestion.ingest`, extraction = `extraction.extract`, dbt build = `dbt build` through
`dbt_project.dbt_cli()` (the resource the dbt asset uses), quality gate = `quality.gate.run_gate`, publish =
`publishing.publish_gated`; the whole run = `runner.execute_all` (the Dagster job `bluehelm run`
executes), with per-step times and materialization metadata from the Dagster instance (DAGSTER_HOME
in the work folder, configured like `bluehelm run`'s). A stage whose module cannot be imported is
reported `unavailable` (no time); one that raises is `failed` with the time until it failed and no
throughput. Extractor timings and the spaCy comparison are medians of 3 (the machine may be shared).

Run as `python -m orchestration.bench.stages --size N --workdir DIR --seed S --out result.json`
(`orchestration.bench.main` starts one such process per size so peak memory is per size).
"""

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from orchestration.bench.corpus import generate_corpus, write_gold_files
from orchestration.bench.memory import MIB, TreeMemorySampler
from orchestration.settings import PROJECT_ROOT, SEEDS_DIR, Settings

MB = 1_000_000


def rate(value: float) -> float:
    """A throughput rounded to 3 significant digits (small rates stay readable)."""
    return float(f"{value:.3g}")


REPEATS = 3


def median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> tuple[float, object]:
    """Median wall time of `repeats` calls of `work` (the machine may be shared) and the last result."""
    times, value = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _stage(name: str, work: Callable[[], dict | None], articles: int, mb: float) -> dict:
    """Run `work`, timing it; status ok / unavailable (import failed) / failed (raised)."""
    started = time.perf_counter()
    try:
        detail = work() or {}
    except ImportError as error:
        return {"stage": name, "status": "unavailable", "error": f"{type(error).__name__}: {error}"}
    except Exception as error:  # noqa: BLE001 - a failing stage is a result, not a crash of the bench
        return {
            "stage": name,
            "status": "failed",
            "seconds": round(time.perf_counter() - started, 3),
            "error": f"{type(error).__name__}: {error}",
            "traceback_tail": traceback.format_exc().splitlines()[-6:],
        }
    seconds = time.perf_counter() - started
    return {
        "stage": name,
        "status": "ok",
        "seconds": round(seconds, 3),
        "articles_per_s": rate(articles / seconds) if seconds else None,
        "mb_per_s": rate(mb / seconds) if seconds else None,
        **detail,
    }


def bench_settings(raw_dir: Path, warehouse: Path, dagster_home: Path) -> Settings:
    """Settings as `bluehelm run` reads them, for this size's files and its own DAGSTER_HOME (prepared)."""
    from orchestration.cli import prepare_dagster_home

    settings = Settings.from_env(raw_dir=raw_dir, warehouse=warehouse, dagster_home=dagster_home)
    prepare_dagster_home(settings)
    return settings


def _dbt_build(settings: Settings, scratch: Path) -> dict:
    """`dbt build` through the project's own `dbt_cli()` resource and `dbt_args` (as the dbt asset runs
    it, but without a Dagster context, so no per-node Dagster events)."""
    from orchestration.dbt_project import dbt_args, dbt_cli

    command = dbt_args(settings, "build")
    invocation = dbt_cli().cli(command, target_path=scratch / "dbt_target", raise_on_error=False).wait()
    results = invocation.get_artifact("run_results.json")["results"]
    statuses = dict(Counter(result["status"] for result in results))
    if not invocation.is_successful():
        failing = [result["unique_id"] for result in results if result["status"] in ("error", "fail")]
        raise RuntimeError(f"dbt build failed: {statuses}; failing: {failing[:10]}")
    return {"dbt_results": statuses}


def run_stages(
    settings: Settings,
    scratch: Path,
    articles: int,
    raw_mb: float,
    results: dict,
    begin: Callable[[str], None],
) -> dict:
    """Each pipeline stage in order on a fresh build file, into `results`; `begin(stage)` is called
    before each. Body MB is the throughput basis after ingest."""
    import duckdb

    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)

    def ingest() -> dict:
        from orchestration.ingest.run import ingest as run_ingest

        with duckdb.connect(str(settings.warehouse), config=settings.duckdb_config) as con:
            report = run_ingest(con, settings.raw_dir, settings.max_file_bytes)
        return {"new": report.new, "rejected": report.rejected, "basis": "raw bytes on disk"}

    begin("ingest")
    results["ingest"] = _stage("ingest", ingest, articles, raw_mb)
    body_mb = raw_mb
    if settings.warehouse.exists():
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            query = "select coalesce(sum(strlen(body)), 0) from raw.articles where is_current"
            body_mb = con.execute(query).fetchone()[0] / MB

    def extract() -> dict:
        from orchestration.extract.run import extract as run_extract

        with duckdb.connect(str(settings.warehouse), config=settings.duckdb_config) as con:
            report = run_extract(con)
        return {
            "sentences": report.sentences,
            "mentions": report.mentions,
            "mentions_by_type": report.mentions_by_type,
            "cues": report.cues,
            "basis": "cleaned body bytes",
        }

    begin("extraction")
    results["extraction"] = _stage("extraction", extract, articles, body_mb)
    begin("dbt_build")
    results["dbt_build"] = _stage("dbt_build", lambda: _dbt_build(settings, scratch), articles, body_mb)
    gate_holder: dict = {}

    def quality_gate() -> dict:
        from orchestration.validate.gate import published_counts, run_gate

        with duckdb.connect(str(settings.warehouse), config=settings.duckdb_config) as con:
            gate = run_gate(
                con,
                f"bench-{uuid.uuid4().hex[:8]}",
                published_counts(settings.published),
                seeds_dir=SEEDS_DIR,
                docs_dir=settings.gx_docs_dir,
            )
        gate_holder["gate"] = gate
        return {"passed": gate.passed, "blocking_failures": len(gate.blocking_failures())}

    begin("quality_gate")
    results["quality_gate"] = _stage("quality_gate", quality_gate, articles, body_mb)

    def publish() -> dict:
        from orchestration.warehouse.publish import publish_gated

        if "gate" not in gate_holder:
            raise RuntimeError("no quality gate result to publish under")
        result = publish_gated(
            settings.warehouse, settings.published, settings.exports_dir, gate_holder["gate"], settings.duckdb_config
        )
        return {"quarantined_rows": result.quarantined_rows}

    begin("publish")
    results["publish"] = _stage("publish", publish, articles, body_mb)
    return results


def _latest_run(instance) -> dict:
    """Seconds per step of the latest run on `instance` and the numeric metadata it materialized."""
    import dagster as dg

    runs = instance.get_runs(limit=1)
    if not runs:
        return {}
    steps = {}
    for stat in instance.get_run_step_stats(runs[0].run_id):
        seconds = (stat.end_time - stat.start_time) if stat.end_time and stat.start_time else None
        steps[stat.step_key] = {
            "status": str(stat.status.value if stat.status else None),
            "seconds": round(seconds, 3) if seconds is not None else None,
        }
    materialized = {}
    for record in instance.all_logs(runs[0].run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = record.dagster_event.event_specific_data.materialization
        materialized[materialization.asset_key.to_user_string()] = {
            key: value.value
            for key, value in materialization.metadata.items()
            if isinstance(value.value, int | float) and not isinstance(value.value, bool)
        }
    wanted = ("raw/articles", "raw/sentences", "warehouse/published")
    return {
        "steps": steps,
        "metadata": {key: materialized[key] for key in wanted if key in materialized},
        "assets_materialized": len(materialized),
    }


def job_coverage(settings: Settings) -> dict[str, bool]:
    """Which benchmark stages the Dagster job contains (a whole run without one is not the whole pipeline)."""
    from orchestration.definitions import build_definitions
    from orchestration.defs.validate import CHECK_NAME

    graph = build_definitions(settings).resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    return {
        "ingest": "raw/articles" in keys,
        "extraction": "raw/mentions" in keys,
        "dbt_build": any(key.startswith("marts/") for key in keys),
        "quality_gate": any(check.name == CHECK_NAME for check in graph.asset_check_keys),
        "publish": "warehouse/published" in keys,
    }


def whole_run(settings: Settings, articles: int, raw_mb: float) -> dict:
    """`runner.execute_all` on a fresh build file, as `bluehelm run` does; per-step times included."""
    holder: dict = {}

    def work() -> dict:
        import dagster as dg

        from orchestration.runner import execute_all

        holder["covers"] = job_coverage(settings)
        instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
        ok = execute_all(settings, instance)
        holder.update(_latest_run(instance))
        if not ok:
            failed = [step for step, stat in holder["steps"].items() if stat["status"] != "SUCCESS"]
            raise RuntimeError(f"Dagster run failed; steps not successful: {failed}")
        return {}

    result = _stage("whole_run", work, articles, raw_mb)
    result.update(holder)
    result["complete"] = bool(holder.get("covers")) and all(holder["covers"].values())
    return result


def _bluehelm_run(settings: Settings) -> tuple[float, subprocess.CompletedProcess]:
    """`bluehelm run` in a new process configured by the settings' environment: wall seconds, result."""
    bluehelm = Path(sys.executable).with_name("bluehelm")
    command = [str(bluehelm)] if bluehelm.exists() else [sys.executable, "-m", "orchestration.cli"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "run"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_ROOT,
        env={**os.environ, **settings.environment()},
    )
    return time.perf_counter() - started, done


def incremental(settings: Settings, seed: int, existing: int, full_run_seconds: float | None) -> dict:
    """Fixed cost and one-article runs on the whole run's warehouse.

    First a run on unchanged input (the fixed cost of an empty run), in-process and as a `bluehelm run`
    process; then one added article via a `bluehelm run` process (total wall) and another in-process
    (the pipeline's own work, without interpreter start and imports); its ratio to the full run.
    """
    import dagster as dg

    from orchestration.runner import execute_all

    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    started = time.perf_counter()
    empty_ok = execute_all(settings, instance)
    empty_seconds = time.perf_counter() - started
    empty_process_seconds, empty_done = _bluehelm_run(settings)
    generate_corpus(settings.raw_dir, 1, seed, first_index=existing)
    process_seconds, done = _bluehelm_run(settings)
    process_run = _latest_run(instance)
    generate_corpus(settings.raw_dir, 1, seed, first_index=existing + 1)
    started = time.perf_counter()
    ok = execute_all(settings, instance)
    own_seconds = time.perf_counter() - started
    return {
        "empty_run_own_seconds": round(empty_seconds, 3),
        "empty_run_ok": empty_ok,
        "empty_run_process_seconds": round(empty_process_seconds, 3),
        "empty_run_process_exit_code": empty_done.returncode,
        "process_command": "bluehelm run (settings in its environment)",
        "process_exit_code": done.returncode,
        "process_total_seconds": round(process_seconds, 3),
        "process_output_tail": (done.stdout + done.stderr).splitlines()[-4:] if done.returncode else [],
        "process_run": process_run,
        "in_process_ok": ok,
        "pipeline_own_seconds": round(own_seconds, 3),
        "ratio_to_full_run": round(own_seconds / full_run_seconds, 3) if full_run_seconds else None,
        "in_process_run": _latest_run(instance),
    }


def sensor_latency(settings: Settings, seed: int, existing: int, timeout: float = 900.0) -> dict:
    """+1 article through the running Dagster sensor: `dagster-daemon run` on the settings' instance
    with `raw_files_sensor` started; seconds from the file written to the published warehouse holding it.

    The sensor's first tick launches a run of the current files; the article is written once that run
    has finished (no run in flight), so the figure is that of a file landing on an idle pipeline. Where
    the seconds went comes from the new run's record: until the sensor's tick created it (the sensor's
    `minimum_interval_seconds` and the daemon's loop), until the queue launched it (the run queue's
    `dequeue_interval_seconds`), until its run worker started (a new process importing the code
    location), then the run until publish. The daemon is stopped through its own process group only.
    """
    import signal

    import dagster as dg
    import duckdb

    from orchestration.defs.automation import SENSOR_INTERVAL_SECONDS

    env = {**os.environ, **settings.environment(), "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    bin_dir = Path(sys.executable).parent
    module = ["-m", "orchestration.definitions"]
    started = subprocess.run(
        [str(bin_dir / "dagster"), "sensor", "start", "raw_files_sensor", *module],
        capture_output=True, text=True, check=False, cwd=PROJECT_ROOT, env=env,
    )
    if started.returncode != 0:
        return {"status": "failed", "error": (started.stdout + started.stderr)[-2000:]}
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    log = settings.dagster_home / "daemon.log"
    with log.open("w") as handle:
        daemon = subprocess.Popen(
            [str(bin_dir / "dagster-daemon"), "run", *module],
            cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def articles_published() -> int:
        if not settings.published.exists():
            return -1
        try:
            with duckdb.connect(str(settings.published), read_only=True) as con:
                return con.execute("select count(*) from marts.dim_articles").fetchone()[0]
        except duckdb.Error:
            return -1

    sensor_runs = dg.RunsFilter(tags={"dagster/sensor_name": "raw_files_sensor"})

    def runs_finished() -> list:
        """The sensor's runs, newest first, once there is one and none is queued or running."""
        runs = instance.get_runs(filters=sensor_runs)
        return runs if runs and all(run.is_finished for run in runs) else []

    def wait_for(condition, deadline: float):
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.25)
        return None

    try:
        first = wait_for(runs_finished, time.monotonic() + timeout)
        if not first:
            return {"status": "timed_out", "phase": "first sensor run", "daemon_log": str(log)}
        if first[0].status != dg.DagsterRunStatus.SUCCESS:
            return {"status": "failed", "phase": "first sensor run", "run_status": str(first[0].status), "daemon_log": str(log)}
        count = articles_published()
        generate_corpus(settings.raw_dir, 1, seed, first_index=existing)
        written = time.time()
        published = wait_for(lambda: articles_published() > count, time.monotonic() + timeout)
        seconds = time.time() - written
        # the run's later steps (reports, serving copy) finish before the daemon is stopped
        after = published and wait_for(lambda: len(runs_finished()) > len(first) and runs_finished(), time.monotonic() + timeout)
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
    if not published:
        return {"status": "timed_out", "phase": "new article", "seconds": round(seconds, 3), "daemon_log": str(log)}
    run = after[0] if after else instance.get_runs(filters=sensor_runs, limit=1)[0]
    record = instance.get_run_records(dg.RunsFilter(run_ids=[run.run_id]))[0]
    stats = instance.get_run_stats(run.run_id)
    moments = [written, record.create_timestamp.timestamp(), stats.launch_time, stats.start_time, written + seconds]
    spans = [round(later - earlier, 3) if earlier and later else None for earlier, later in itertools.pairwise(moments)]
    return {
        "status": "ok",
        "file_written_to_published_seconds": round(seconds, 3),
        "seconds_until": dict(zip(("run_requested", "run_launched", "run_worker_started", "published"), spans)),
        "run_status": run.status.value,
        "sensor_interval_seconds": SENSOR_INTERVAL_SECONDS,
        "how": "dagster-daemon run, idle pipeline; file written → marts.dim_articles in the published file counts it",
    }


def _batches(warehouse: Path) -> list[tuple]:
    """(articles, paragraphs, sentences) per extraction batch, split by the pipeline's own splitter."""
    import duckdb

    from orchestration.extract import sentences
    from orchestration.extract.run import EXTRACT_BATCH_ARTICLES
    from orchestration.warehouse import raw as raw_store

    batches = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        articles = raw_store.articles_to_extract(con, "bench: every current article")
        for batch in articles.iter_slices(EXTRACT_BATCH_ARTICLES):
            paragraphs = raw_store.paragraphs_of(con, batch["article_id"])
            batches.append((batch, paragraphs, sentences.split_sentences(paragraphs.lazy()).collect()))
    return batches


def extractor_timings(warehouse: Path) -> dict:
    """Seconds and MB/s (of sentence text) of each extractor alone, in the batches extraction uses."""
    import polars as pl

    from orchestration.extract import dates, dictionary, figures, sentences

    batches = _batches(warehouse)
    text_mb = sum(s.get_column("text").str.len_bytes().sum() for _, _, s in batches) / MB
    started = time.perf_counter()
    lexicon = dictionary.load_dictionary(SEEDS_DIR)
    load_seconds = time.perf_counter() - started
    cue_terms = pl.read_csv(SEEDS_DIR / "cue_terms.csv")
    jobs = {
        "sentence_split": lambda a, p, s: sentences.split_sentences(p.lazy()),
        "entity_mentions": lambda a, p, s: dictionary.find_entity_mentions(s.lazy(), a.lazy(), lexicon),
        "figures": lambda a, p, s: figures.find_figures(s.lazy()),
        "dates": lambda a, p, s: dates.find_dates(s.lazy(), a.lazy()),
        "cues": lambda a, p, s: dictionary.find_cues(s.lazy(), cue_terms),
    }
    timings = {}
    for name, job in jobs.items():
        seconds, rows = median_seconds(lambda job=job: sum(job(*batch).collect().height for batch in batches))
        timings[name] = {"seconds": round(seconds, 3), "mb_per_s": rate(text_mb / seconds), "rows": rows}
    return {
        "sentence_text_mb": round(text_mb, 2),
        "sentences": sum(s.height for _, _, s in batches),
        "dictionary_load_seconds": round(load_seconds, 3),
        "by_extractor": timings,
        "repeats": f"median of {REPEATS}",
    }


def spacy_baseline(warehouse: Path, max_mb: float) -> dict:
    """spaCy 3.8 blank English + PhraseMatcher (LOWER) over the seeds' actor and place aliases, run as a
    user would: whole-article docs through `nlp.pipe`, on the first articles up to `max_mb` MB of body
    text; and our matcher on the very same articles' sentences. Both rates are per MB of body text."""
    import polars as pl
    import spacy
    from spacy.matcher import PhraseMatcher

    from orchestration.extract import dictionary

    batches = _batches(warehouse)
    if not batches:
        return {}
    found = pl.concat([s for _, _, s in batches])
    articles = pl.concat([a for a, _, _ in batches])
    subset_articles = articles.filter(articles.get_column("body").str.len_bytes().cum_sum() <= max_mb * MB)
    subset = found.filter(pl.col("article_id").is_in(subset_articles["article_id"].implode()))
    bodies = subset_articles.get_column("body").to_list()
    text_mb = sum(len(body.encode("utf-8")) for body in bodies) / MB
    aliases = sorted(
        set(pl.read_csv(SEEDS_DIR / "actor_aliases.csv", infer_schema=False).get_column("alias").drop_nulls())
        | set(
            pl.read_csv(SEEDS_DIR / "place_aliases.csv", infer_schema=False).get_column("alias").drop_nulls()
        )
    )
    started = time.perf_counter()
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("ALIAS", list(nlp.tokenizer.pipe(aliases)))
    build_seconds = time.perf_counter() - started
    spacy_seconds, spacy_hits = median_seconds(
        lambda: sum(len(matcher(doc)) for doc in nlp.pipe(bodies, batch_size=100))
    )
    lexicon = dictionary.load_dictionary(SEEDS_DIR)
    our_seconds, ours = median_seconds(
        lambda: dictionary.find_entity_mentions(subset.lazy(), subset_articles.lazy(), lexicon).collect()
    )
    spacy_mbs = text_mb / spacy_seconds
    our_mbs = text_mb / our_seconds
    return {
        "basis": "article body MB; spaCy: nlp.pipe over whole articles; ours: find_entity_mentions on their sentences",
        "text_mb": round(text_mb, 2),
        "articles": len(bodies),
        "aliases": len(aliases),
        "spacy_version": spacy.__version__,
        "spacy_setup_seconds": round(build_seconds, 3),
        "spacy_seconds": round(spacy_seconds, 3),
        "spacy_mb_per_s": rate(spacy_mbs),
        "spacy_matches": spacy_hits,
        "bluehelm_seconds": round(our_seconds, 3),
        "bluehelm_mb_per_s": rate(our_mbs),
        "bluehelm_mentions": ours.height,
        "ratio": rate(our_mbs / spacy_mbs),
        "repeats": f"median of {REPEATS}",
    }


def accuracy(gold_dir: Path, settings: Settings) -> dict:
    """`orchestration.evaluation.evaluate` of the planted facts (gold sample) against the build marts."""
    from orchestration.evaluation import evaluate

    report = evaluate(gold_dir, settings.warehouse, raw_dir=settings.raw_dir)
    return {
        "gold_articles": len(report["articles"])
        if isinstance(report["articles"], list)
        else report["articles"],
        "articles_not_found": len(report["articles_not_found"]),
        "metrics": report["metrics"],
        "attack_counts": report["attack_counts"],
    }


def _file_bytes(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


# The sensor phase is left out: its tree holds dagster-daemon, a code server and a run worker (each a
# Python process with Dagster loaded), reported in peak_tree_mib_by_phase.
PIPELINE_PHASES = ("ingest", "extraction", "dbt_build", "quality_gate", "publish", "whole_run", "incremental")


def run_size(
    size: int,
    workdir: Path,
    seed: int,
    out: Path,
    skip_spacy: bool = False,
    spacy_max_mb: float = 10.0,
    with_incremental: bool = False,
    gold_sample: int = 200,
) -> dict:
    """Everything measured for one corpus size (see module docstring).

    The result so far is rewritten to `out` at the start of every phase (`phase` names the running
    one), so a parent that kills a stuck worker still has every finished measurement.
    """
    root = workdir / f"n{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    raw_dir = root / "raw"
    result: dict = {"articles": size, "stages": {}}
    with TreeMemorySampler() as sampler:

        def begin(phase: str) -> None:
            result.setdefault("load_average_1min", {})[phase] = round(os.getloadavg()[0], 2)
            sampler.phase = result["phase"] = phase
            result["memory"] = _memory(sampler)
            out.write_text(json.dumps(result, indent=2, default=str))

        begin("generate")
        corpus = generate_corpus(raw_dir, size, seed, gold_path=root / "gold.jsonl")
        result["corpus"] = {
            **corpus.__dict__,
            "mb": round(corpus.bytes / MB, 2),
            "gold": str(root / "gold.jsonl"),
            "gold_files": write_gold_files(root / "gold.jsonl", root / "gold", gold_sample),
        }
        raw_mb = corpus.bytes / MB
        stages_settings = bench_settings(raw_dir, root / "stages" / "bluehelm.duckdb", root / "dagster_home")
        run_stages(stages_settings, root, size, raw_mb, result["stages"], begin)
        if result["stages"]["extraction"]["status"] == "ok":
            begin("extractors")
            result["extractors"] = _guarded(lambda: extractor_timings(stages_settings.warehouse))
        if result["stages"]["dbt_build"]["status"] != "unavailable":
            begin("accuracy")
            result["accuracy"] = _guarded(lambda: accuracy(root / "gold", stages_settings))
        run_settings = bench_settings(raw_dir, root / "run" / "bluehelm.duckdb", root / "dagster_home")
        begin("whole_run")
        result["whole_run"] = whole_run(run_settings, size, raw_mb)
        result["warehouse_bytes"] = {
            "build": _file_bytes(stages_settings.warehouse),
            "published": _file_bytes(stages_settings.published),
            "whole_run_build": _file_bytes(run_settings.warehouse),
            "whole_run_published": _file_bytes(run_settings.published),
        }
        if with_incremental:
            begin("incremental")
            full_seconds = result["whole_run"].get("seconds") if result["whole_run"].get("status") == "ok" else None
            result["incremental"] = _guarded(lambda: incremental(run_settings, seed, size, full_seconds))
            begin("sensor")
            result["sensor"] = _guarded(lambda: sensor_latency(run_settings, seed, size + 2))
        if not skip_spacy and result["stages"]["extraction"]["status"] == "ok":
            begin("spacy_comparison")
            result["mention_comparison"] = _guarded(
                lambda: spacy_baseline(stages_settings.warehouse, spacy_max_mb)
            )
    result["phase"] = "done"
    result["load_average_1min"]["done"] = round(os.getloadavg()[0], 2)
    result["memory"] = _memory(sampler)
    out.write_text(json.dumps(result, indent=2, default=str))
    return result


def _memory(sampler: TreeMemorySampler) -> dict:
    """The sampler's report plus the peak over pipeline phases only (not generation or spaCy)."""
    peak = max((sampler.peaks.get(phase, 0) for phase in PIPELINE_PHASES), default=0)
    return {**sampler.report(), "peak_pipeline_tree_mib": round(peak / MIB, 1)}


def _guarded(work: Callable[[], dict]) -> dict:
    try:
        return work()
    except Exception as error:  # noqa: BLE001 - reported in the results
        return {
            "status": "failed",
            "error": f"{type(error).__name__}: {error}",
            "traceback_tail": traceback.format_exc().splitlines()[-6:],
        }


def worker_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.bench.stages")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skip-spacy", action="store_true")
    parser.add_argument("--spacy-max-mb", type=float, default=10.0)
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--gold-sample", type=int, default=200)
    args = parser.parse_args(argv)
    run_size(
        args.size,
        args.workdir.resolve(),
        args.seed,
        args.out.resolve(),
        args.skip_spacy,
        args.spacy_max_mb,
        args.incremental,
        args.gold_sample,
    )
    return 0


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
