"""bluehelm: news about peacekeeping and armed conflict, turned into a queryable DuckDB warehouse."""
