"""chipkg's ontology tests."""
