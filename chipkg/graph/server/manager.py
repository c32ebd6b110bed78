"""``ManagedNeo4j``: one instance (home + ports) on a possibly shared distribution.

The class only ties the concerns together; each lives in its own module
(distribution, config, process, admin, credentials).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from chipkg.errors import Neo4jUnavailable
from chipkg.graph.server import admin as admin_tool
from chipkg.graph.server import credentials, distribution, process
from chipkg.graph.server.config import default_home, env_port, make_private, write_config
from chipkg.graph.server.distribution import NEO4J_VERSION, check_java
from chipkg.graph.server.errors import Neo4jStartError, first_error, tail_text

POLL_SECONDS = 0.2  # readiness polls: each costs one Bolt handshake, a late start costs more


@dataclass(frozen=True)
class ServerStatus:
    """What ``chipkg neo4j status`` reports."""

    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    browser_url: str
    version: str
    home: str

    def as_dict(self) -> dict[str, object]:
        """Plain dict for ``--json`` output."""
        return asdict(self)


class ManagedNeo4j:
    """One Neo4j instance (home + ports) on a possibly shared distribution."""

    def __init__(
        self,
        home: Path | None = None,
        bolt_port: int | None = None,
        http_port: int | None = None,
        dist_dir: Path | None = None,
    ) -> None:
        self.home = (home or default_home()).expanduser().resolve()
        self.bolt_port = bolt_port or env_port("CHIPKG_NEO4J_BOLT_PORT", 7687)
        self.http_port = http_port or env_port("CHIPKG_NEO4J_HTTP_PORT", 7474)
        env_dist = os.environ.get("CHIPKG_NEO4J_DIST")
        default_dist = self.home / "dist" / NEO4J_VERSION
        self.dist_dir = (dist_dir or (Path(env_dist) if env_dist else default_dist)).resolve()

    # -- locations ---------------------------------------------------------

    @property
    def bolt_uri(self) -> str:
        """Direct Bolt URI of this instance."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        """Base HTTP URL; the Browser lives under ``/browser/``."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def installed(self) -> bool:
        """The distribution is complete."""
        return distribution.is_installed(self.dist_dir)

    def install(self) -> Path:
        """Fetch the pinned jars with Maven into the distribution dir (idempotent)."""
        return distribution.install(self.dist_dir)

    # -- password ----------------------------------------------------------

    def password(self) -> str:
        """``NEO4J_PASSWORD`` if set, else the stored one; raises naming the home if none."""
        return credentials.read_password(self.password_file, self.home)

    def ensure_password(self) -> str:
        """The password ``start`` uses, created (0600) when there is none yet."""
        return credentials.ensure_password(self.password_file)

    @property
    def password_source(self) -> str:
        """Where a client finds the password, for messages."""
        if os.environ.get("NEO4J_PASSWORD"):
            return "$NEO4J_PASSWORD"
        return str(self.password_file)

    @property
    def has_database(self) -> bool:
        """The server has started here before (its system database exists)."""
        return (self.home / "data" / "databases" / "system").exists()

    def _set_initial_password(self, java: str) -> None:
        """Before the first start, write data/dbms/auth.ini like neo4j-admin does."""
        if self.has_database:
            if not os.environ.get("NEO4J_PASSWORD") and not self.password_file.is_file():
                raise Neo4jUnavailable(
                    f"the Neo4j database in {self.home} exists but {self.password_file} is "
                    "missing: set NEO4J_PASSWORD to its password"
                )
            return
        value = self.ensure_password()
        with credentials.initial_password_args(self.home / "run", value) as argfile:
            proc = self.admin([argfile], java=java)
        if proc.returncode != 0:
            raise Neo4jStartError(
                f"setting the initial Neo4j password failed: {first_error(proc.stdout)}",
                tail_text(proc.stdout),
            )

    # -- admin tool --------------------------------------------------------

    def admin_command(self, args: Sequence[str], java: str = "java") -> list[str]:
        """Command line for ``neo4j-admin <args>`` run in-process from the dist lib."""
        return admin_tool.admin_command(self.dist_dir, args, java)

    def admin(
        self, args: Sequence[str], java: str | None = None, timeout: float = 3600
    ) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin`` against this home (install first); output is merged."""
        self.install()
        self._write_config()
        cmd = self.admin_command(args, java or check_java())
        return admin_tool.run_admin(self.home, cmd, timeout=timeout)

    def import_full(
        self,
        nodes: Sequence[str | Path],
        relationships: Sequence[str | Path] = (),
        database: str = "neo4j",
        extra_args: Sequence[str] = (),
    ) -> str:
        """Bulk-import CSVs with ``neo4j-admin database import full`` (server must be down)."""
        if self.status().running:
            raise Neo4jUnavailable("stop Neo4j before a bulk import (chipkg neo4j stop)")
        proc = self.admin(admin_tool.import_args(nodes, relationships, database, extra_args))
        if proc.returncode != 0:
            raise Neo4jStartError(
                f"neo4j-admin import failed: {first_error(proc.stdout)}", tail_text(proc.stdout)
            )
        return proc.stdout

    # -- lifecycle ---------------------------------------------------------

    def _write_config(self) -> None:
        write_config(self.home, self.dist_dir, self.bolt_port, self.http_port)
        make_private(self.home)

    def _read_pid(self) -> int | None:
        return process.read_pid(self.pid_file, self.home)

    def status(self) -> ServerStatus:
        """Running or not, from the pid file and the live process."""
        pid = self._read_pid()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.bolt_uri,
            http_url=self.http_url,
            browser_url=f"{self.http_url}/browser/",
            version=NEO4J_VERSION,
            home=str(self.home),
        )

    def server_command(self, java: str) -> list[str]:
        """The JVM command line of the server (what the packaged ``neo4j`` runs)."""
        return process.server_command(java, self.dist_dir, self.home)

    def start(self, timeout: float = 120) -> ServerStatus:
        """Install if needed, start detached and wait until Bolt accepts the password.

        Also waits for HTTP, i.e. until start-up has finished: when the bulk path stopped
        a server whose web server was still starting, the next start found the Bolt port
        still in use (seen in the restore test).
        """
        current = self.status()
        if current.running:
            return current
        java = check_java()
        for port, what in ((self.bolt_port, "Bolt"), (self.http_port, "HTTP")):
            if process.port_in_use(port):
                raise Neo4jUnavailable(
                    f"port {port} on 127.0.0.1 (Neo4j {what}) is already in use by another process"
                )
        self.install()
        self._write_config()
        self._set_initial_password(java)
        pid = process.spawn(self.server_command(java), self.home)
        fd = os.open(self.pid_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{pid}\n")
        try:
            self._wait_ready(pid, timeout)
        except Neo4jUnavailable:
            self.stop(timeout=20)
            raise
        return self.status()

    def _log_tail(self) -> str:
        parts = [
            process.tail(self.logs_dir / "neo4j.log"),
            process.tail(self.logs_dir / "console.log", 10),
        ]
        return "\n".join(part for part in parts if part)

    def _wait_ready(self, pid: int, timeout: float) -> None:
        """Poll Bolt (with the password), then HTTP, until the deadline."""
        deadline = time.monotonic() + timeout
        auth = ("neo4j", self.password())
        while not self._bolt_ready(auth):
            if not process.pid_alive(pid):
                raise Neo4jStartError("Neo4j exited during start-up", self._log_tail())
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j did not answer on {self.bolt_uri} within {timeout:.0f}s",
                    self._log_tail(),
                )
            time.sleep(POLL_SECONDS)
        while not process.http_ready(self.http_url):
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j HTTP did not answer on {self.http_url} within {timeout:.0f}s",
                    self._log_tail(),
                )
            time.sleep(POLL_SECONDS)

    def _bolt_ready(self, auth: tuple[str, str]) -> bool:
        from neo4j.exceptions import AuthError  # the driver: only once a server is started

        try:
            return process.bolt_ready(self.bolt_uri, auth)
        except AuthError:
            raise Neo4jStartError(
                f"Neo4j at {self.bolt_uri} rejected the stored password "
                f"(see {self.password_file} or NEO4J_PASSWORD)",
                self._log_tail(),
            ) from None

    def stop(self, timeout: float = 60) -> ServerStatus:
        """SIGTERM for a clean shutdown, SIGKILL after ``timeout``; no-op if down."""
        pid = self._read_pid()
        if pid is not None:
            process.terminate(pid, timeout)
        self.pid_file.unlink(missing_ok=True)
        return self.status()
