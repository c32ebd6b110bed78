"""chipkg's text tests."""
