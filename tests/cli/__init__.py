"""chipkg's cli tests."""
