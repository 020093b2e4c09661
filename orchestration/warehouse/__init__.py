"""The warehouse file: the raw layer written by ingest and extract (`raw`), the writer lock, and
write–audit–publish (`publish`)."""
