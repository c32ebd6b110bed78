"""chipkg's store tests."""
