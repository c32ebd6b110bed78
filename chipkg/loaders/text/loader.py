"""The ``text`` format: news articles (.txt, .md, .markdown, .html, .htm) into the graph.

Each document becomes a ``Source`` entity (``source/<slug of the file name>``) and the
entities and claims the extractor finds in it, every claim with the sentence as evidence.
"""

from __future__ import annotations

from pathlib import Path

from chipkg.errors import InputError
from chipkg.loaders.base import LoadResult, register
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.text.document import document_kind, read_document
from chipkg.loaders.text.extractor import Extraction, Extractor, RuleExtractor

DEFAULT_EXTRACTOR: Extractor = RuleExtractor()


def is_text(path: Path) -> bool:
    """A file with a text, Markdown or HTML suffix."""
    return path.is_file() and document_kind(path) is not None


def extract_path(
    path: Path,
    resolver: Resolver,
    language: str | None = None,
    extractor: Extractor | None = None,
) -> Extraction:
    """Read one document and extract its entities and claims."""
    if path.is_dir():
        raise InputError("is a directory; give the text files", str(path))
    document = read_document(path)
    return (extractor or DEFAULT_EXTRACTOR).extract(document, resolver, language)


@register("text", is_text)
def load_text(
    path: Path,
    resolver: Resolver,
    *,
    skip_invalid: bool = False,
    language: str | None = None,
) -> LoadResult:
    """Load one article: its Source node, the entities it names and the claims it makes."""
    del skip_invalid  # a document either reads or fails as a whole
    found = extract_path(path, resolver, language)
    notes = [f"{path.name}: {len(found.claims)} claims ({found.language})"]
    return LoadResult(entities=found.entities, claims=found.claims, notes=notes)
