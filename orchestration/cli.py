"""The `bluehelm` command: run, prepare, dev, docs, evaluate, serve, bench, reference.

Heavy modules are imported inside each command so `bluehelm --help` stays fast.
"""

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from orchestration.settings import (
    DAGSTER_YAML,
    DBT_PROJECT_DIR,
    ENGINES,
    PROJECT_ROOT,
    TELEMETRY_OFF,
    Settings,
)

DEV_STOP_SECONDS = 4.0  # `bluehelm dev`: how long its processes get to stop on a signal before SIGKILL


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.from_env(
            raw_dir=getattr(args, "raw_dir", None),
            warehouse=getattr(args, "warehouse", None),
            engine=getattr(args, "engine", None),
        )
    except ValueError as error:
        raise SystemExit(f"bluehelm: {error}") from None


def engine_ready(settings: Settings) -> str | None:
    """None when the selected engine can start here, else the reason (Spark: pyspark, Java 17+)."""
    if settings.engine != "spark":
        return None
    from orchestration.engines import EngineUnavailableError
    from orchestration.engines.spark import require_java, require_pyspark

    try:
        require_pyspark()
        require_java()
    except EngineUnavailableError as error:
        return str(error)
    return None


def prepare_dagster_home(settings: Settings) -> None:
    """The settings' DAGSTER_HOME exists and holds our dagster.yaml (telemetry off, one run at a time)."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(DAGSTER_YAML, home / "dagster.yaml")


def run_pipeline(settings: Settings, full_refresh: bool = False) -> bool:
    """Materialize every asset and check in this process; True when the run succeeded."""
    from orchestration.runner import execute_all

    prepare_dagster_home(settings)
    return execute_all(settings, full_refresh=full_refresh)


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    problem = engine_ready(settings)
    if problem:
        print(f"bluehelm run: {problem}", file=sys.stderr)
        return 2
    from orchestration.runner import summarize

    ok = run_pipeline(settings, full_refresh=args.full_refresh)
    print(summarize(settings, ok))
    return 0 if ok else 1


def cmd_prepare(args: argparse.Namespace) -> int:
    from orchestration.dbt_project import prepare_manifest

    manifest = prepare_manifest(_settings(args))
    print(f"dbt manifest ready: {manifest}")
    return 0


def cmd_dev(args: argparse.Namespace) -> int:
    settings = _settings(args)
    prepare_dagster_home(settings)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-m", "orchestration.definitions", "-h", args.host, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (DAGSTER_HOME={settings.dagster_home})")
    # code servers and run workers read these settings back from their environment, and find this
    # environment's dbt even when the venv is not activated
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, **settings.environment(), "PATH": venv_bin + os.pathsep + os.environ.get("PATH", "")}
    return run_supervised(command, env, cwd=PROJECT_ROOT)


def run_supervised(command: list[str], env: dict[str, str], cwd: Path, grace_seconds: float = DEV_STOP_SECONDS) -> int:
    """Run `command` until it exits or this process gets SIGTERM, SIGINT or SIGHUP; then stop its whole tree.

    `dagster dev` starts a webserver, a daemon and code servers and does not stop them promptly on a
    signal. Here the command runs in its own process group and this process is a child subreaper (Linux),
    so every descendant stays in our tree even when its parent dies first. On a signal, every descendant
    gets SIGTERM, and SIGKILL after `grace_seconds` if still alive; exit code 128 + the signal number.
    """
    _become_subreaper()
    received: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    child = subprocess.Popen(command, env=env, cwd=cwd, start_new_session=True)
    while not received and child.poll() is None:
        time.sleep(0.2)
    if received:
        _stop_tree(child, grace_seconds)
        return 128 + received[0]
    _stop_tree(child, grace_seconds)  # whatever it left behind
    return child.returncode or 0


def _become_subreaper() -> None:
    """Make orphaned descendants this process's children (prctl PR_SET_CHILD_SUBREAPER; Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _descendants(root: int) -> set[int]:
    """Process ids of every live descendant of `root`, from /proc (empty where /proc is missing)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [root]
    while stack:
        for pid in children.get(stack.pop(), ()):
            if pid not in found:
                found.add(pid)
                stack.append(pid)
    return found


def _stop_tree(child: subprocess.Popen, grace_seconds: float) -> None:
    """SIGTERM to the child's process group and every descendant, SIGKILL to those alive after
    `grace_seconds`; reap them all."""
    me = os.getpid()
    for signum, wait in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 5.0)):
        targets = _descendants(me)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signum)
        for pid in targets:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap()
            if not _descendants(me):
                return
            time.sleep(0.1)


def _reap() -> None:
    """Collect the exit status of every finished child (orphans adopted as subreaper included)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def cmd_docs(args: argparse.Namespace) -> int:
    from orchestration.dbt_project import dbt_args

    settings = _settings(args)
    if not settings.warehouse.exists():
        print(f"no warehouse at {settings.warehouse}: run `bluehelm run` first", file=sys.stderr)
        return 2
    dbt = Path(sys.executable).with_name("dbt")
    directories = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    code = subprocess.call(
        [str(dbt), *dbt_args(settings, "docs", "generate", *directories)],
        env={**os.environ, **TELEMETRY_OFF},
    )
    if code == 0:
        print(f"dbt docs written to {DBT_PROJECT_DIR / 'target' / 'index.html'}")
        print("serve them with: .venv/bin/dbt docs serve --project-dir dbt_project --profiles-dir dbt_project --host 127.0.0.1")
    return code


def cmd_evaluate(args: argparse.Namespace) -> int:
    from orchestration.evaluation import evaluate, format_report, write_report

    gold_dir = Path(args.gold).resolve()
    if not gold_dir.is_dir():
        print(f"gold directory {gold_dir} does not exist", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bluehelm-eval-") as scratch:
        warehouse = Path(args.warehouse) if args.warehouse else Path(scratch) / "evaluate.duckdb"
        # never publish an evaluation over the analysts' warehouse: its published copy sits beside it
        settings = Settings.from_env(
            raw_dir=args.raw_dir,
            warehouse=warehouse,
            published=warehouse.parent / "published" / warehouse.name,
            engine=args.engine,
        )
        needs_run = not args.reuse or not settings.warehouse.exists()
        problem = engine_ready(settings) if needs_run else None
        if problem:
            print(f"bluehelm evaluate: {problem}", file=sys.stderr)
            return 2
        if needs_run and not run_pipeline(settings):
            print("pipeline run failed; see the log above", file=sys.stderr)
            return 1
        report = evaluate(gold_dir, settings.warehouse)
    print(format_report(report))
    out = Path(args.out)
    write_report(report, out)
    print(f"\nreport written to {out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from orchestration.serve.main import serve
    from orchestration.serve.options import options_from_arguments
    from orchestration.serve.server import ServeError

    try:
        return serve(_settings(args), options_from_arguments(args))
    except ServeError as error:
        print(f"bluehelm serve: {error}", file=sys.stderr)
        return 2


def cmd_bench(args: argparse.Namespace) -> int:
    from orchestration.bench import main as bench_main

    return bench_main(args.passed_args)


def cmd_reference(args: argparse.Namespace) -> int:
    from orchestration.reference.build import main as reference_main

    return reference_main(args.passed_args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bluehelm", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def with_paths(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--raw-dir", help="input articles (default: raw/, env BLUEHELM_RAW_DIR)")
        sub.add_argument(
            "--warehouse", help="build DuckDB file (default: warehouse/bluehelm.duckdb, env BLUEHELM_WAREHOUSE)"
        )
        sub.add_argument(
            "--engine",
            choices=ENGINES,
            help="engine of the per-article work: embedded (default) or spark (env BLUEHELM_ENGINE; "
            "Spark master from BLUEHELM_SPARK_MASTER, default local[*])",
        )
        return sub

    run = with_paths(commands.add_parser("run", help="run the whole pipeline in this process"))
    run.add_argument(
        "--full-refresh", action="store_true", help="rebuild every dbt model from raw and validate every row"
    )
    run.set_defaults(func=cmd_run)
    with_paths(commands.add_parser("prepare", help="parse the dbt project (manifest for Dagster)")).set_defaults(
        func=cmd_prepare
    )
    dev = with_paths(commands.add_parser("dev", help="start the Dagster UI (dagster dev)"))
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=3000)
    dev.set_defaults(func=cmd_dev)
    with_paths(commands.add_parser("docs", help="generate the dbt docs site")).set_defaults(func=cmd_docs)
    evaluate = with_paths(commands.add_parser("evaluate", help="compare extracted facts with gold annotations"))
    evaluate.add_argument("--gold", required=True, help="folder of gold JSON files")
    evaluate.add_argument("--out", default="evaluation.json", help="where to write the JSON report")
    evaluate.add_argument("--reuse", action="store_true", help="reuse --warehouse if it exists instead of running")
    evaluate.set_defaults(func=cmd_evaluate)
    serve = with_paths(commands.add_parser("serve", help="PostgreSQL server with a read-only copy of the marts"))
    from orchestration.serve.options import add_arguments as add_serve_arguments

    add_serve_arguments(serve)
    serve.set_defaults(func=cmd_serve)
    commands.add_parser("bench", help="performance benchmark (see README; `bluehelm bench --help`)")
    commands.add_parser("reference", help="regenerate reference seeds (`bluehelm reference --help`)")
    return parser


PASS_THROUGH = {"bench": cmd_bench, "reference": cmd_reference}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASS_THROUGH:  # these parse their own options (and their own --help)
        return PASS_THROUGH[argv[0]](argparse.Namespace(passed_args=argv[1:]))
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
