"""chipkg's export tests."""
