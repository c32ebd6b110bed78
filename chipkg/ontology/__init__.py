"""chipkg's domain model: the ontology (loaded from YAML) and the records built on it."""

from chipkg.ontology.records import Claim, Entity, Evidence
from chipkg.ontology.schema import MODALITIES, ONTOLOGY, Modality, Ontology, load_ontology

__all__ = [
    "MODALITIES",
    "ONTOLOGY",
    "Claim",
    "Entity",
    "Evidence",
    "Modality",
    "Ontology",
    "load_ontology",
]
