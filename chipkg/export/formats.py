"""Export format names, apart from the exporters so the CLI lists them without importing
rdflib or networkx (about 0.25 s of every command's start)."""

from __future__ import annotations

#: ``--format`` value -> rdflib serializer name.
RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt", "jsonld": "json-ld"}
