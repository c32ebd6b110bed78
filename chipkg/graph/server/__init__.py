"""A real Neo4j Community server that chipkg downloads, configures and runs itself.

The jars are assembled from Maven Central into a shared *distribution*
(:mod:`.distribution`); each *instance* (home) gets its own conf (:mod:`.config`),
data, logs, pid (:mod:`.process`) and password (:mod:`.credentials`);
``neo4j-admin`` runs from the same jars (:mod:`.admin`). :class:`ManagedNeo4j`
ties them together.
"""

from chipkg.graph.server.config import default_home, render_config
from chipkg.graph.server.distribution import NEO4J_VERSION, POM_PATH, check_java
from chipkg.graph.server.errors import Neo4jStartError, tail_text
from chipkg.graph.server.manager import ManagedNeo4j, ServerStatus

__all__ = [
    "NEO4J_VERSION",
    "POM_PATH",
    "ManagedNeo4j",
    "Neo4jStartError",
    "ServerStatus",
    "check_java",
    "default_home",
    "render_config",
    "tail_text",
]
