"""chipkg's viz tests."""
