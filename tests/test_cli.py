"""The `bluehelm` command as a user runs it (subprocesses of the installed entry point)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli import _descendants
from orchestration.settings import PROJECT_ROOT

BLUEHELM = str(Path(sys.executable).with_name("bluehelm"))
TESTS = Path(__file__).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BLUEHELM, *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_cli_evaluate_reuses_warehouse_and_writes_json_report(sample_warehouse, tmp_path):
    out = tmp_path / "report.json"
    result = run(
        "evaluate", "--gold", str(TESTS / "gold" / "sample"), "--warehouse", str(sample_warehouse.warehouse),
        "--reuse", "--out", str(out),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "attacks" in result.stdout and "F1" in result.stdout
    assert set(json.loads(out.read_text())["metrics"]) >= {"attacks", "deployments", "contributions"}


def test_cli_evaluate_missing_gold_dir_is_a_clear_error(tmp_path):
    result = run("evaluate", "--gold", str(tmp_path / "nope"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_cli_serve_without_published_warehouse_is_a_clear_error(tmp_path):
    result = run("serve", "--warehouse", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and "no published warehouse" in result.stderr


def test_cli_bench_passes_its_own_options_through():
    result = run("bench", "--help")
    assert result.returncode == 0 and "--sizes" in result.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory):
    """`bluehelm dev` on a free 127.0.0.1 port with a throwaway DAGSTER_HOME and warehouse (the sample
    articles as input), once its code location answers: (process, repository nodes, port, DAGSTER_HOME).
    Stopped at the end if a test left it running."""
    port = _free_port()
    home = tmp_path_factory.mktemp("dev_home")
    warehouse = tmp_path_factory.mktemp("dev_warehouse") / "bluehelm.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [BLUEHELM, "dev", "--port", str(port), "--raw-dir", str(PROJECT_ROOT / "raw"), "--warehouse", str(warehouse)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    query = (
        "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } "
        "schedules { name } sensors { name } } } } }"
    )
    nodes: list = []
    try:
        deadline = time.monotonic() + 900  # the code location can take minutes to load on a busy machine
        while time.monotonic() < deadline and not nodes and server.poll() is None:
            time.sleep(3)
            try:
                nodes = _graphql(port, query)["data"]["repositoriesOrError"]["nodes"]
            except OSError:
                continue
        yield server, nodes, port, home
    finally:
        if server.poll() is None:
            # SIGTERM: `bluehelm dev` stops its whole tree (its webserver, daemon and code servers run in
            # a process group of their own, which a SIGKILL of this one would leave running)
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=60)


@pytest.mark.slow
def test_cli_dev_serves_definitions_with_schedule_and_sensor(dev_server):
    """`bluehelm dev` on 127.0.0.1 loads the code location (dbt found without an activated venv)."""
    _, nodes, _, _ = dev_server
    assert nodes, "the code location did not load"
    assert [s["name"] for s in nodes[0]["schedules"]] == ["bluehelm_daily"]
    assert [s["name"] for s in nodes[0]["sensors"]] == ["raw_files_sensor"]


LAUNCH_RUN = """mutation ($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""


@pytest.mark.slow
def test_cli_dev_run_launched_like_the_ui_succeeds_with_every_step_in_one_process(dev_server):
    """A run launched through the webserver (queued, started by the daemon in a run worker, as the UI's
    launchpad does) publishes the warehouse, and every step runs in the run worker's process."""
    import dagster as dg

    _, nodes, port, home = dev_server
    assert nodes, "the code location did not load"
    selector = {
        "repositoryLocationName": nodes[0]["location"]["name"],
        "repositoryName": nodes[0]["name"],
        "jobName": "bluehelm_pipeline",
    }
    launched = _graphql(port, LAUNCH_RUN, {"params": {"selector": selector, "runConfigData": {}}})
    assert launched["data"]["launchRun"]["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["data"]["launchRun"]["run"]["runId"]
    instance = dg.DagsterInstance.from_config(str(home))
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and not instance.get_run_by_id(run_id).is_finished:
        time.sleep(2)
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.SUCCESS
    events = instance.all_logs(run_id)
    run_pid = {event.dagster_event.pid for event in events if event.dagster_event_type == dg.DagsterEventType.RUN_START}
    step_pids = {event.dagster_event.pid for event in events if event.dagster_event_type == dg.DagsterEventType.STEP_START}
    assert len(run_pid) == 1 and step_pids == run_pid
    assert any(
        event.dagster_event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
        and event.dagster_event.asset_key == dg.AssetKey(["warehouse", "published"])
        for event in events
    )


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.slow
def test_cli_dev_stops_every_child_within_ten_seconds_of_sigterm(dev_server):
    server, nodes, _, _ = dev_server
    assert nodes, "the code location did not load"
    children = _descendants(server.pid)
    assert len(children) >= 3, "expected the webserver, the daemon and a code server"
    server.send_signal(signal.SIGTERM)  # the main process only, as a supervisor or `docker stop` does
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (server.poll() is None or any(_alive(pid) for pid in children)):
        time.sleep(0.2)
    assert server.poll() is not None, "bluehelm dev still running 10 s after SIGTERM"
    assert [pid for pid in children if _alive(pid)] == []
