"""Step 1, ingest: raw files → articles (reading, decoding, boilerplate removal, publication date).

`run.ingest` is the step; `files`, `cleaning` and `pubdate` are pure functions it calls (no I/O to
the warehouse, no Dagster).
"""
