"""Stable IRIs for entities, claims and evidence, derived from chipkg's canonical ids.

The same graph exported twice, or from either backend, gets the same IRIs, so
exports can be diffed, merged and linked from elsewhere. Entity ids are kept
readable (``https://w3id.org/chipkg/id/company/nvidia``); claims and evidence are
named by a hash of their identity because their keys are long and free-form.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import unquote

from rdflib import Namespace, URIRef

from chipkg.errors import InputError
from chipkg.ontology import Claim, Evidence
from chipkg.ontology.schema import CHIPKG_ID_NS, CHIPKG_NS

CHIPKG = Namespace(CHIPKG_NS)
ID = Namespace(CHIPKG_ID_NS)
#: Named graphs of TriG / N-Quads exports: the facts, and (``--with-ontology``) OWL and SHACL.
DATA_GRAPH = ID["graph/data"]
ONTOLOGY_GRAPH = ID["graph/ontology"]
SHAPES_GRAPH = ID["graph/shapes"]

# ASCII characters allowed as-is in an IRI path segment (RFC 3987 iunreserved/sub-delims/":@/").
_SAFE_ASCII = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/"
)


def _escape(text: str) -> str:
    """Percent-encode what an IRI may not hold, keep other Unicode (IRIs allow it)."""
    out = []
    for char in text:
        if char in _SAFE_ASCII or (ord(char) > 0x9F and not char.isspace()):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def entity_iri(entity_id: str) -> URIRef:
    """``company/nvidia`` -> ``https://w3id.org/chipkg/id/company/nvidia``."""
    return URIRef(CHIPKG_ID_NS + _escape(entity_id))


def entity_id(iri: object) -> str:
    """The canonical id an entity IRI stands for, or an error naming the IRI."""
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(CHIPKG_ID_NS):
        raise InputError(f"<{text}> is not a chipkg entity IRI (expected {CHIPKG_ID_NS}kind/slug)")
    return unquote(text[len(CHIPKG_ID_NS) :])


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def claim_iri(claim: Claim) -> URIRef:
    """``…/id/claim/<sha1 of claim.key>``: one IRI per fact, whatever its sources."""
    return ID["claim/" + _digest(claim.key)]


def evidence_iri(claim: Claim, evidence: Evidence) -> URIRef:
    """``…/id/evidence/<sha1 of claim key and evidence key>``: one IRI per observation."""
    return ID["evidence/" + _digest(claim.key + "\n" + json.dumps(list(evidence.key)))]
