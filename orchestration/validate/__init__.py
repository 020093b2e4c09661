"""Row-level quality of the marts with Great Expectations (no Dagster imports).

`marts` lists the validated marts, `suites` builds one GX suite per mart, `gate.run_gate` validates
them and saves the results in the `quality` schema, `results.GateResult` says what passed, what
blocks publication and which rows to quarantine.
"""

import sys

# With pyspark installed (the `spark` extra), Great Expectations imports pyspark.sql.connect, whose
# dependency check calls sys.exit(0) when Spark Connect's packages are missing and the process's
# __main__ has neither a spec nor a file — the step subprocesses of Dagster's multiprocess executor,
# pytest-xdist workers, `python -c` — taking it for a doctest run. In exactly
# such a process the module is hidden, so GX's import of it fails as the ImportError GX expects. The
# Spark engine does not use Spark Connect.
_main = sys.modules.get("__main__")
if (
    _main is not None
    and getattr(_main, "__spec__", None) is None
    and not hasattr(_main, "__file__")
    and "pyspark.sql.connect" not in sys.modules
):
    sys.modules["pyspark.sql.connect"] = None
