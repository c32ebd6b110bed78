"""chipkg's loaders tests."""
