"""The server JVM as a detached process: command line, spawn, readiness, pid, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from chipkg.graph.server.distribution import JVM_FLAGS

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"


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


def pid_alive(pid: int) -> bool:
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


def cmdline(pid: int) -> str:
    """The process's command line with spaces, or '' when it cannot be read."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def read_pid(pid_file: Path, home: Path) -> int | None:
    """The pid from the pid file if that process is this home's server."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if not pid_alive(pid):
        return None
    line = cmdline(pid)
    if line and (ENTRY_POINT not in line or f"--home-dir={home}" not in line):
        return None
    return pid


def server_command(java: str, dist_dir: Path, home: Path) -> list[str]:
    """The JVM command line of the server (what the packaged ``neo4j`` runs)."""
    heap = os.environ.get("CHIPKG_NEO4J_HEAP", "1g")
    conf_dir = home / "conf"
    classpath = ":".join([f"{dist_dir / 'plugins'}/*", f"{conf_dir}/*", f"{dist_dir / 'lib'}/*"])
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        classpath,
        ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={conf_dir}",
    ]


def spawn(command: list[str], home: Path) -> int:
    """Launch via a short-lived shell so the server is re-parented, not our child."""
    console = home / "logs" / "console.log"
    script = 'umask 077; nohup "$@" >>"$CHIPKG_CONSOLE" 2>&1 </dev/null & echo $!'
    env = private_env(home)
    env["CHIPKG_CONSOLE"] = str(console)
    proc = subprocess.run(
        ["sh", "-c", script, "sh", *command],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        start_new_session=True,
        check=True,
        timeout=30,
    )
    return int(proc.stdout.strip())


def private_env(home: Path) -> dict[str, str]:
    """Environment for the server and neo4j-admin: this home, and no password in it."""
    env = {key: value for key, value in os.environ.items() if key != "NEO4J_PASSWORD"}
    env.update(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    return env


def bolt_ready(uri: str, auth: tuple[str, str]) -> bool:
    """True when Bolt accepts ``auth``; raises ``AuthError`` when it refuses it."""
    import neo4j  # the driver takes ~0.5 s to import: only commands that reach a server pay
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=2.0)
    try:
        driver.verify_connectivity()
        return True
    except AuthError:
        raise
    except (ServiceUnavailable, DriverError, Neo4jError, OSError):
        return False
    finally:
        driver.close()


def http_ready(url: str) -> bool:
    """True when the HTTP discovery document answers 200."""
    try:
        with urllib.request.urlopen(url + "/", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def terminate(pid: int, timeout: float) -> None:
    """SIGTERM for a clean shutdown, SIGKILL after ``timeout``."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while pid_alive(pid) and time.monotonic() < deadline + 10:
            time.sleep(0.1)
