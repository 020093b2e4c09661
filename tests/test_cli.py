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


def _graphql(port: int, query: str) -> dict:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory):
    """`bluehelm dev` on a free 127.0.0.1 port with a throwaway DAGSTER_HOME, once its code location
    answers: (process, repository nodes). Killed with its session at the end if a test left it running."""
    port = _free_port()
    home = tmp_path_factory.mktemp("dev_home")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [BLUEHELM, "dev", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    query = "{ repositoriesOrError { ... on RepositoryConnection { nodes { schedules { name } sensors { name } } } } }"
    nodes: list = []
    try:
        deadline = time.monotonic() + 900  # the code location can take minutes to load on a busy machine
        while time.monotonic() < deadline and not nodes and server.poll() is None:
            time.sleep(3)
            try:
                nodes = _graphql(port, query)["data"]["repositoriesOrError"]["nodes"]
            except OSError:
                continue
        yield server, nodes
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=60)


@pytest.mark.slow
def test_cli_dev_serves_definitions_with_schedule_and_sensor(dev_server):
    """`bluehelm dev` on 127.0.0.1 loads the code location (dbt found without an activated venv)."""
    _, nodes = dev_server
    assert nodes, "the code location did not load"
    assert [s["name"] for s in nodes[0]["schedules"]] == ["bluehelm_daily"]
    assert [s["name"] for s in nodes[0]["sensors"]] == ["raw_files_sensor"]


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.slow
def test_cli_dev_stops_every_child_within_ten_seconds_of_sigterm(dev_server):
    server, nodes = dev_server
    assert nodes, "the code location did not load"
    children = _descendants(server.pid)
    assert len(children) >= 3, "expected the webserver, the daemon and a code server"
    server.send_signal(signal.SIGTERM)  # the main process only, as a supervisor or `docker stop` does
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (server.poll() is None or any(_alive(pid) for pid in children)):
        time.sleep(0.2)
    assert server.poll() is not None, "bluehelm dev still running 10 s after SIGTERM"
    assert [pid for pid in children if _alive(pid)] == []
