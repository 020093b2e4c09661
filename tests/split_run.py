"""`make test`: the whole suite as two pytest processes at once, one per core of the machines it runs on.

The modules in RUNS start whole `bluehelm run` processes (reruns, kill -9, the benchmark, bad input,
`bluehelm dev`), plus one dbt build of literal rows to even the load, and take about half of the
suite's time; the rest runs beside them (each about 7 minutes on an idle 2-core machine). Each process builds
its own session fixtures (a second sample run, ~30 s) and its own temporary folder under BASETEMP.
pytest-xdist is not used: its workers would each build whichever session fixtures their share of the
tests needs (several sample runs), where two fixed groups build them at most twice.

Arguments go to both processes (so does PYTEST_ADDOPTS). Exit status: 0 only when both passed; pytest's
own codes otherwise (5: no test collected, which also fails).
"""

import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
RUNS = (
    "test_operations.py",
    "test_bench.py",
    "test_bad_input.py",
    "test_cli.py",
    "test_dbt_assembly_rules.py",
)
BASETEMP = Path(tempfile.gettempdir()) / "bluehelm-tests"


def main(args: list[str]) -> int:
    runs = [str(TESTS / name) for name in RUNS]
    BASETEMP.mkdir(parents=True, exist_ok=True)
    pytest = [sys.executable, "-m", "pytest"]
    with tempfile.TemporaryFile("w+") as log:
        first = subprocess.Popen(
            [*pytest, *runs, f"--basetemp={BASETEMP / 'runs'}", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        second = subprocess.run(
            [*pytest, str(TESTS), *(f"--ignore={path}" for path in runs), f"--basetemp={BASETEMP / 'rest'}", *args],
            check=False,
        )
        first.wait()
        log.seek(0)
        print(f"\n===== {', '.join(RUNS)} (run beside the above) =====", flush=True)
        sys.stdout.write(log.read())
    print(f"\nexit codes: rest {second.returncode}, runs {first.returncode}", flush=True)
    return second.returncode or first.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
