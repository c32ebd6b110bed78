"""chipkg benchmarks: loading and querying, embedded and Neo4j side by side (``python -m bench``)."""
