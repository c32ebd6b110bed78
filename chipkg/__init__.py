"""chipkg: a semiconductor supply-chain knowledge graph with provenance."""

__version__ = "0.1.0"
