"""A real Neo4j Community server that chipkg downloads, configures and runs itself.

There is no Docker and no OS package on the target machines, so the server is
assembled from Maven Central jars (see ``neo4j_dist/pom.xml``) into a shared
*distribution* directory, and each *instance* (home) gets its own conf, data,
logs, pid file and password. Several homes may share one distribution.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from chipkg.errors import Neo4jUnavailable

NEO4J_VERSION = "5.26.19"
"""Must equal ``neo4j.version`` in ``neo4j_dist/pom.xml`` (a test checks)."""

POM_PATH = Path(__file__).parent / "neo4j_dist" / "pom.xml"
MIN_JAVA = 17
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
PLUGIN_ARTIFACTS = "apoc-core,apoc-common"
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


class Neo4jStartError(Neo4jUnavailable):
    """A start that failed; ``details`` holds the log tail the CLI may print."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


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


def project_root(start: Path | None = None) -> Path | None:
    """Nearest ancestor of ``start`` (cwd) whose pyproject.toml names project chipkg."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        pyproject = directory / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if data.get("project", {}).get("name") == "chipkg":
            return directory
    return None


def default_home() -> Path:
    """Env ``CHIPKG_NEO4J_HOME``, else ``<project>/.neo4j``, else a per-user dir."""
    env = os.environ.get("CHIPKG_NEO4J_HOME")
    if env:
        return Path(env).expanduser()
    root = project_root()
    if root is not None:
        return root / ".neo4j"
    return Path.home() / ".local" / "share" / "chipkg" / "neo4j"


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise Neo4jUnavailable(f"{name}={raw!r} is not a port number") from None


def render_config(
    *,
    bolt_port: int,
    http_port: int,
    dist_dir: Path,
    home: Path,
    heap: str = "1g",
    pagecache: str = "512m",
) -> str:
    """neo4j.conf for a local-only, authenticated instance with APOC."""
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.http.enabled": "true",
        "server.http.listen_address": f"127.0.0.1:{http_port}",
        "server.http.advertised_address": f"127.0.0.1:{http_port}",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.directories.lib": str(dist_dir / "lib"),
        "server.directories.plugins": str(dist_dir / "plugins"),
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "dbms.security.procedures.unrestricted": "apoc.*",
        "dbms.usage_report.enabled": "false",
        "server.memory.heap.initial_size": heap,
        "server.memory.heap.max_size": heap,
        "server.memory.pagecache.size": pagecache,
    }
    lines = ["# Written by chipkg (chipkg.graph.server); rewritten on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def java_binary() -> str | None:
    """``CHIPKG_JAVA``, else ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    explicit = os.environ.get("CHIPKG_JAVA")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def java_major(java: str) -> int:
    """Major version from ``java -version`` (``1.8`` counts as 8)."""
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Neo4jUnavailable(f"cannot run {java}: {exc}") from None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        raise Neo4jUnavailable(f"cannot tell the Java version of {java}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java() -> str:
    """The java binary to use; raises when Java is missing or older than 17."""
    java = java_binary()
    if java is None:
        raise Neo4jUnavailable(f"Java {MIN_JAVA}+ is required to run Neo4j but none was found")
    major = java_major(java)
    if major < MIN_JAVA:
        raise Neo4jUnavailable(f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA}+, found {major}")
    return java


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on (or holds) ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        if sock.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Like the JVM's server sockets: TIME_WAIT leftovers of a stopped server don't count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def tail(path: Path, lines: int = 20) -> str:
    """Last ``lines`` lines of a log, or '' when it does not exist."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _pid_alive(pid: int) -> bool:
    """Alive and not a zombie (a detached server may be reaped late)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise installs of one distribution across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        self.bolt_port = bolt_port or _env_port("CHIPKG_NEO4J_BOLT_PORT", 7687)
        self.http_port = http_port or _env_port("CHIPKG_NEO4J_HTTP_PORT", 7474)
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
        """The distribution is complete (its VERSION marker is written last)."""
        marker = self.dist_dir / "VERSION"
        return marker.is_file() and marker.read_text().strip() == NEO4J_VERSION

    # -- install -----------------------------------------------------------

    def install(self) -> Path:
        """Fetch the pinned jars with Maven into the distribution dir (idempotent)."""
        if self.installed:
            return self.dist_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jUnavailable("Maven (mvn) is required to download Neo4j but was not found")
        with _file_lock(self.dist_dir.with_name(f".{self.dist_dir.name}.lock")):
            if self.installed:
                return self.dist_dir
            partial = self.dist_dir.with_name(f".{self.dist_dir.name}.partial-{os.getpid()}")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            try:
                self._mvn_copy(mvn, partial / "lib", f"-DexcludeArtifactIds={PLUGIN_ARTIFACTS}")
                self._mvn_copy(
                    mvn,
                    partial / "plugins",
                    f"-DincludeArtifactIds={PLUGIN_ARTIFACTS}",
                    "-DexcludeTransitive=true",
                )
                shutil.copy2(POM_PATH, partial / "pom.xml")
                (partial / "VERSION").write_text(NEO4J_VERSION + "\n")
                shutil.rmtree(self.dist_dir, ignore_errors=True)
                partial.rename(self.dist_dir)
            finally:
                shutil.rmtree(partial, ignore_errors=True)
        return self.dist_dir

    def _mvn_copy(self, mvn: str, out: Path, *flags: str) -> None:
        """One ``dependency:copy-dependencies`` run; raises with Maven's output tail."""
        cmd = [mvn, "-q", "-B", "-f", str(POM_PATH), "dependency:copy-dependencies"]
        cmd += [f"-DoutputDirectory={out}", *flags]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
        except subprocess.TimeoutExpired:
            raise Neo4jStartError(f"download of Neo4j {NEO4J_VERSION} timed out") from None
        if proc.returncode != 0:
            output = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
            raise Neo4jStartError(
                f"download of Neo4j {NEO4J_VERSION} via Maven failed (exit {proc.returncode})",
                output,
            )

    # -- password ----------------------------------------------------------

    def password(self) -> str:
        """``NEO4J_PASSWORD`` if set, else the stored one, else a new one (saved 0600)."""
        env = os.environ.get("NEO4J_PASSWORD")
        if env:
            return env
        if self.password_file.is_file():
            return self.password_file.read_text().strip()
        generated = secrets.token_urlsafe(18)
        self._store_password(generated)
        return generated

    def _store_password(self, value: str) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
        os.chmod(self.password_file, 0o600)

    def _set_initial_password(self, java: str) -> None:
        """Before the first start, write data/dbms/auth.ini like neo4j-admin does."""
        if (self.home / "data" / "databases" / "system").exists():
            return
        value = self.password()
        if len(value) < 8:
            raise Neo4jUnavailable("NEO4J_PASSWORD must have at least 8 characters")
        self._store_password(value)
        # "--" ends options: a password may start with "-" (token_urlsafe makes such ones).
        proc = self.admin(["dbms", "set-initial-password", "--", value], java=java)
        if proc.returncode != 0:
            raise Neo4jStartError(
                f"setting the initial Neo4j password failed: {_first_error(proc.stdout)}",
                tail_text(proc.stdout),
            )

    # -- admin tool --------------------------------------------------------

    def admin_command(self, args: Sequence[str], java: str = "java") -> list[str]:
        """Command line for ``neo4j-admin <args>`` run in-process from the dist lib."""
        heap = os.environ.get("CHIPKG_NEO4J_ADMIN_HEAP", "1g")
        classpath = f"{self.dist_dir / 'lib'}/*"
        return [java, f"-Xmx{heap}", *JVM_FLAGS, "-cp", classpath, ADMIN_TOOL, *args]

    def admin(
        self, args: Sequence[str], java: str | None = None, timeout: float = 3600
    ) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin`` against this home (install first); output is merged."""
        self.install()
        self._write_config()
        env = dict(os.environ, NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        cmd = self.admin_command(args, java or check_java())
        return subprocess.run(
            cmd,
            cwd=self.home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )

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
        # Database first: --nodes/--relationships take several values and would swallow it.
        args = ["database", "import", "full", database, "--overwrite-destination=true"]
        args += [f"--nodes={path}" for path in nodes]
        args += [f"--relationships={path}" for path in relationships]
        proc = self.admin([*args, *extra_args])
        if proc.returncode != 0:
            raise Neo4jStartError(
                f"neo4j-admin import failed: {_first_error(proc.stdout)}", tail_text(proc.stdout)
            )
        return proc.stdout

    # -- lifecycle ---------------------------------------------------------

    def _write_config(self) -> None:
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        text = render_config(
            bolt_port=self.bolt_port,
            http_port=self.http_port,
            dist_dir=self.dist_dir,
            home=self.home,
            heap=os.environ.get("CHIPKG_NEO4J_HEAP", "1g"),
            pagecache=os.environ.get("CHIPKG_NEO4J_PAGECACHE", "512m"),
        )
        (self.conf_dir / "neo4j.conf").write_text(text)

    def _read_pid(self) -> int | None:
        """The pid from the pid file if that process is this instance's server."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not _pid_alive(pid):
            return None
        cmdline = _cmdline(pid)
        if cmdline and (ENTRY_POINT not in cmdline or f"--home-dir={self.home}" not in cmdline):
            return None
        return pid

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
        heap = os.environ.get("CHIPKG_NEO4J_HEAP", "1g")
        classpath = ":".join(
            [f"{self.dist_dir / 'plugins'}/*", f"{self.conf_dir}/*", f"{self.dist_dir / 'lib'}/*"]
        )
        return [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *JVM_FLAGS,
            "-cp",
            classpath,
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
        ]

    def start(self, timeout: float = 120) -> ServerStatus:
        """Install if needed, start detached and wait until Bolt accepts the password."""
        current = self.status()
        if current.running:
            return current
        java = check_java()
        for port, what in ((self.bolt_port, "Bolt"), (self.http_port, "HTTP")):
            if port_in_use(port):
                raise Neo4jUnavailable(
                    f"port {port} on 127.0.0.1 (Neo4j {what}) is already in use by another process"
                )
        self.install()
        self._write_config()
        self._set_initial_password(java)
        pid = self._spawn(java)
        self.pid_file.write_text(f"{pid}\n")
        try:
            self._wait_ready(pid, timeout)
        except Neo4jUnavailable:
            self.stop(timeout=20)
            raise
        return self.status()

    def _spawn(self, java: str) -> int:
        """Launch via a short-lived shell so the server is re-parented, not our child."""
        console = self.logs_dir / "console.log"
        script = 'nohup "$@" >>"$CHIPKG_CONSOLE" 2>&1 </dev/null & echo $!'
        env = dict(os.environ, CHIPKG_CONSOLE=str(console))
        env.update(NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))
        proc = subprocess.run(
            ["sh", "-c", script, "sh", *self.server_command(java)],
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            start_new_session=True,
            check=True,
            timeout=30,
        )
        return int(proc.stdout.strip())

    def _log_tail(self) -> str:
        parts = [tail(self.logs_dir / "neo4j.log"), tail(self.logs_dir / "console.log", 10)]
        return "\n".join(part for part in parts if part)

    def _wait_ready(self, pid: int, timeout: float) -> None:
        """Poll Bolt (with the password), then HTTP, until the deadline."""
        deadline = time.monotonic() + timeout
        auth = ("neo4j", self.password())
        while not self._bolt_ready(auth):
            if not _pid_alive(pid):
                raise Neo4jStartError("Neo4j exited during start-up", self._log_tail())
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j did not answer on {self.bolt_uri} within {timeout:.0f}s",
                    self._log_tail(),
                )
            time.sleep(0.5)
        while not self._http_ready():
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j HTTP did not answer on {self.http_url} within {timeout:.0f}s",
                    self._log_tail(),
                )
            time.sleep(0.5)

    def _bolt_ready(self, auth: tuple[str, str]) -> bool:
        driver = neo4j.GraphDatabase.driver(self.bolt_uri, auth=auth, connection_timeout=2.0)
        try:
            driver.verify_connectivity()
            return True
        except AuthError:
            raise Neo4jStartError(
                f"Neo4j at {self.bolt_uri} rejected the stored password "
                f"(see {self.password_file} or NEO4J_PASSWORD)",
                self._log_tail(),
            ) from None
        except (ServiceUnavailable, DriverError, Neo4jError, OSError):
            return False
        finally:
            driver.close()

    def _http_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.http_url + "/", timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, timeout: float = 60) -> ServerStatus:
        """SIGTERM for a clean shutdown, SIGKILL after ``timeout``; no-op if down."""
        pid = self._read_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                while _pid_alive(pid) and time.monotonic() < deadline + 10:
                    time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return self.status()


def tail_text(text: str, lines: int = 20) -> str:
    """Last ``lines`` lines of a string."""
    return "\n".join(text.splitlines()[-lines:])


def _first_error(output: str) -> str:
    """The line of a Java tool's output that names the problem."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if "Exception:" in line or line.lower().startswith(("error", "failed")):
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]
