"""chipkg's neo4j tests."""
