"""Where chipkg's Neo4j is and how to log in: ``NEO4J_*`` env, else the managed server.

An explicit ``NEO4J_URI`` always wins (a remote or Aura database, ``neo4j://`` routing
or ``bolt://`` direct); without it chipkg talks to the server it runs itself
(``chipkg neo4j start``). Every connection has a bounded timeout
(``CHIPKG_NEO4J_TIMEOUT`` seconds, default 5) and asks the server for no notifications,
so nothing but chipkg's own one-line messages reaches the terminal.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, ServiceUnavailable

from chipkg.errors import Neo4jUnavailable

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_TIMEOUT = 5.0
BOLT_MAGIC = b"\x60\x60\xb0\x17"
BOLT_VERSIONS = b"\x00\x08\x08\x05" + b"\x00\x00\x04\x04" + b"\x00" * 8

# The driver logs pool and routing trouble on the "neo4j" loggers; without a handler
# Python would print those raw lines to stderr. Applications that configure logging
# still receive them through propagation.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Neo4jSettings:
    """Connection settings for one Neo4j database."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"
    password_from: str = field(default="NEO4J_PASSWORD", compare=False)

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
        return cls(
            uri=managed.bolt_uri,
            password=managed.password(),
            database=database,
            password_from=managed.password_source,
        )


def check_uri(uri: str) -> None:
    """Reject URIs the driver would refuse, with the schemes that work."""
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in SCHEMES:
        raise Neo4jUnavailable(f"NEO4J_URI {uri!r} must start with one of: {', '.join(SCHEMES)}")


def connect_timeout() -> float:
    """Seconds to wait for a connection and its Bolt handshake (``CHIPKG_NEO4J_TIMEOUT``)."""
    raw = os.environ.get("CHIPKG_NEO4J_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise Neo4jUnavailable(f"CHIPKG_NEO4J_TIMEOUT={raw!r} must be a positive number of seconds")
    return value


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def speaks_bolt(uri: str, timeout: float) -> bool | None:
    """Probe a plain ``bolt://``/``neo4j://`` address: None if nothing listens there,
    False if something answers without a Bolt handshake (an HTTP port, another
    service), True for a Bolt server. TLS schemes are not probed (None)."""
    parts = urlsplit(uri)
    if parts.scheme not in ("bolt", "neo4j") or parts.hostname is None:
        return None
    try:
        with socket.create_connection((parts.hostname, parts.port or 7687), timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(BOLT_MAGIC + BOLT_VERSIONS)
            reply = b""
            while len(reply) < 4:
                chunk = sock.recv(4 - len(reply))
                if not chunk:
                    break
                reply += chunk
    except TimeoutError:
        return False
    except OSError:
        return None
    return len(reply) == 4 and reply[:2] == b"\x00\x00"


def _driver(settings: Neo4jSettings, timeout: float) -> neo4j.Driver:
    try:
        return neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            notifications_min_severity="OFF",
        )
    except (ConfigurationError, ValueError) as exc:
        raise Neo4jUnavailable(f"bad Neo4j URI {settings.uri}: {_one_line(exc)}") from exc


def connect(settings: Neo4jSettings, tries: int = 3, delay: float = 1.5) -> neo4j.Driver:
    """A driver whose connectivity is verified; bounded retry for a server still starting.

    Each try waits at most ``CHIPKG_NEO4J_TIMEOUT`` seconds; a port that answers but does
    not speak Bolt fails at once with a message saying so.
    """
    check_uri(settings.uri)
    timeout = connect_timeout()
    driver = _driver(settings, timeout)
    reason = "no attempt made"
    for attempt in range(max(1, tries)):
        try:
            driver.verify_connectivity()
            return driver
        except AuthError as exc:
            driver.close()
            raise Neo4jUnavailable(
                f"Neo4j at {settings.uri} rejected the credentials for user "
                f"{settings.user!r} (check {settings.password_from})"
            ) from exc
        except (ServiceUnavailable, DriverError, OSError) as exc:
            reason = _one_line(exc)
        if speaks_bolt(settings.uri, timeout) is False:
            driver.close()
            raise Neo4jUnavailable(
                f"{settings.uri} is not a Neo4j server: something answers there but not "
                f"with the Bolt protocol within {timeout:g}s (an HTTP port? use the Bolt port)"
            )
        if attempt + 1 < tries:
            time.sleep(delay)
    driver.close()
    hint = "" if os.environ.get("NEO4J_URI") else " (start it with `chipkg neo4j start`)"
    raise Neo4jUnavailable(f"cannot reach Neo4j at {settings.uri}: {reason}{hint}")
