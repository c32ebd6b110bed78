"""chipkg's queries tests."""
