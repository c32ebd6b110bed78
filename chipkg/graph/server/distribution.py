"""The shared distribution: Neo4j's jars fetched from Maven Central, and the Java to run them.

There is no Docker and no OS package on the target machines, so the server is
assembled from Maven Central jars (see ``neo4j_dist/pom.xml``) into a *distribution*
directory that several instance homes may share.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from chipkg.errors import Neo4jUnavailable
from chipkg.graph.server.errors import Neo4jStartError

NEO4J_VERSION = "5.26.19"
"""Must equal ``neo4j.version`` in ``neo4j_dist/pom.xml`` (a test checks)."""

POM_PATH = Path(__file__).resolve().parent.parent / "neo4j_dist" / "pom.xml"
MIN_JAVA = 17
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


def is_installed(dist_dir: Path) -> bool:
    """The distribution is complete (its VERSION marker is written last)."""
    marker = dist_dir / "VERSION"
    return marker.is_file() and marker.read_text().strip() == NEO4J_VERSION


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


def install(dist_dir: Path) -> Path:
    """Fetch the pinned jars with Maven into ``dist_dir`` (idempotent, atomic)."""
    if is_installed(dist_dir):
        return dist_dir
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable("Maven (mvn) is required to download Neo4j but was not found")
    with _file_lock(dist_dir.with_name(f".{dist_dir.name}.lock")):
        if is_installed(dist_dir):
            return dist_dir
        partial = dist_dir.with_name(f".{dist_dir.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        try:
            _mvn_copy(mvn, partial / "lib", f"-DexcludeArtifactIds={PLUGIN_ARTIFACTS}")
            _mvn_copy(
                mvn,
                partial / "plugins",
                f"-DincludeArtifactIds={PLUGIN_ARTIFACTS}",
                "-DexcludeTransitive=true",
            )
            shutil.copy2(POM_PATH, partial / "pom.xml")
            (partial / "VERSION").write_text(NEO4J_VERSION + "\n")
            shutil.rmtree(dist_dir, ignore_errors=True)
            partial.rename(dist_dir)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return dist_dir


def _mvn_copy(mvn: str, out: Path, *flags: str) -> None:
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
