"""Text loader: multilingual news into entities and claims with evidence, modality and counts.

``RuleExtractor`` is deterministic (gazetteer, patterns, cue words, coreference rules) and
needs no model; ``Extractor`` is the interface another extractor can implement.
"""

from chipkg.loaders.text.document import Document, parse_document, read_document
from chipkg.loaders.text.extractor import Extraction, Extractor, RuleExtractor

__all__ = [
    "Document",
    "Extraction",
    "Extractor",
    "RuleExtractor",
    "parse_document",
    "read_document",
]
