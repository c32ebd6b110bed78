"""Where chipkg's Neo4j is and how to log in: ``NEO4J_*`` env, else the managed server.

An explicit ``NEO4J_URI`` always wins (a remote or Aura database); without it
chipkg talks to the server it runs itself (``chipkg neo4j start``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, ServiceUnavailable

from chipkg.errors import Neo4jUnavailable

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    """Connection settings for one Neo4j database."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"

    @classmethod
    def from_env(cls) -> Neo4jSettings:
        """``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``, or managed."""
        uri = os.environ.get("NEO4J_URI", "").strip()
        database = os.environ.get("NEO4J_DATABASE") or "neo4j"
        if uri:
            check_uri(uri)
            return cls(
                uri=uri,
                user=os.environ.get("NEO4J_USER") or "neo4j",
                password=os.environ.get("NEO4J_PASSWORD", ""),
                database=database,
            )
        from chipkg.graph.server import ManagedNeo4j

        managed = ManagedNeo4j()
        return cls(uri=managed.bolt_uri, password=managed.password(), database=database)


def check_uri(uri: str) -> None:
    """Reject URIs the driver would refuse, with the schemes that work."""
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in SCHEMES:
        raise Neo4jUnavailable(f"NEO4J_URI {uri!r} must start with one of: {', '.join(SCHEMES)}")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def connect(settings: Neo4jSettings, tries: int = 3, delay: float = 1.5) -> neo4j.Driver:
    """A driver whose connectivity is verified; bounded retry for a server still starting."""
    check_uri(settings.uri)
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), connection_timeout=5.0
        )
    except (ConfigurationError, ValueError) as exc:
        raise Neo4jUnavailable(f"bad Neo4j URI {settings.uri}: {_one_line(exc)}") from exc
    reason = "no attempt made"
    for attempt in range(max(1, tries)):
        try:
            driver.verify_connectivity()
            return driver
        except AuthError as exc:
            driver.close()
            raise Neo4jUnavailable(
                f"Neo4j at {settings.uri} rejected the credentials for user "
                f"{settings.user!r} (check NEO4J_PASSWORD)"
            ) from exc
        except (ServiceUnavailable, DriverError, OSError) as exc:
            reason = _one_line(exc)
        if attempt + 1 < tries:
            time.sleep(delay)
    driver.close()
    hint = "" if os.environ.get("NEO4J_URI") else " (start it with `chipkg neo4j start`)"
    raise Neo4jUnavailable(f"cannot reach Neo4j at {settings.uri}: {reason}{hint}")
