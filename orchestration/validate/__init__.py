"""Row-level quality of the marts with Great Expectations (no Dagster imports).

`marts` lists the validated marts, `suites` builds one GX suite per mart, `gate.run_gate` validates
them and saves the results in the `quality` schema, `results.GateResult` says what passed, what
blocks publication and which rows to quarantine.
"""
