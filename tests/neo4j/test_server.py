"""The managed Neo4j server: config rendering (unit) and a real start/stop cycle (neo4j).

The server tests use their own home under tmp and ports 17687/17474 (or
``CHIPKG_TEST_SERVER_BOLT_PORT``/``CHIPKG_TEST_SERVER_HTTP_PORT``), sharing the
project's downloaded distribution, so the default instance (7687/7474) is untouched.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import logging
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from chipkg.cli.neo4j_cmd import app as neo4j_app
from chipkg.errors import Neo4jUnavailable
from chipkg.graph.neo4j_settings import Neo4jSettings, check_uri, connect
from chipkg.graph.neo4j_store import Neo4jStore
from chipkg.graph.server import (
    NEO4J_VERSION,
    POM_PATH,
    ManagedNeo4j,
    check_java,
    default_home,
    render_config,
)
from chipkg.graph.server.config import (
    browser_csp,
    browser_style_command,
    grass_rules,
    make_private,
    write_config,
)
from chipkg.graph.server.credentials import initial_password_args
from chipkg.ontology import Claim, Entity
from chipkg.viz.grass import GRASS_PATH
from chipkg.viz.style import NODE_STYLES
from tests.support.paths import ROOT

TEST_BOLT = int(os.environ.get("CHIPKG_TEST_SERVER_BOLT_PORT", "17687"))
TEST_HTTP = int(os.environ.get("CHIPKG_TEST_SERVER_HTTP_PORT", "17474"))


# -- unit tests (no server) ----------------------------------------------------


def test_version_matches_pom() -> None:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ET.parse(POM_PATH).getroot()
    version = root.find("m:properties/m:neo4j.version", ns)
    assert version is not None
    assert version.text == NEO4J_VERSION
    assert NEO4J_VERSION.startswith("5.26.")


def test_render_config_is_local_authenticated_and_apoc(tmp_path: Path) -> None:
    text = render_config(
        bolt_port=1234, http_port=5678, dist_dir=tmp_path / "dist", home=tmp_path / "h"
    )
    lines = set(text.splitlines())
    assert "server.default_listen_address=127.0.0.1" in lines
    assert "server.bolt.listen_address=127.0.0.1:1234" in lines
    assert "server.bolt.advertised_address=127.0.0.1:1234" in lines
    assert "server.http.listen_address=127.0.0.1:5678" in lines
    assert "server.https.enabled=false" in lines
    assert "dbms.security.auth_enabled=true" in lines
    assert "dbms.security.procedures.unrestricted=apoc.*" in lines
    assert "dbms.usage_report.enabled=false" in lines
    assert f"server.directories.plugins={tmp_path / 'dist' / 'plugins'}" in lines
    assert "server.memory.pagecache.size=512m" in lines


def test_home_and_ports_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPKG_NEO4J_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("CHIPKG_NEO4J_BOLT_PORT", "27687")
    monkeypatch.setenv("CHIPKG_NEO4J_DIST", str(tmp_path / "shared"))
    monkeypatch.delenv("CHIPKG_NEO4J_HTTP_PORT", raising=False)  # `make test` sets it
    server = ManagedNeo4j()
    assert server.home == (tmp_path / "h").resolve()
    assert server.bolt_uri == "bolt://127.0.0.1:27687"
    assert server.http_url == "http://127.0.0.1:7474"
    assert server.dist_dir == (tmp_path / "shared").resolve()


def test_default_home_is_one_per_user_home_wherever_you_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHIPKG_NEO4J_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    homes = set()
    for where in (ROOT, ROOT / "tests", Path("/"), tmp_path):
        monkeypatch.chdir(where)
        homes.add(default_home())
    assert homes == {tmp_path / "user" / ".local" / "share" / "chipkg" / "neo4j"}
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "chipkg" / "neo4j"


def test_a_read_never_creates_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("CHIPKG_NEO4J_HOME", str(tmp_path / "h"))
    with pytest.raises(Neo4jUnavailable, match="no password for the managed Neo4j in") as info:
        Neo4jSettings.from_env()
    assert str(tmp_path / "h") in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "h").exists()


def test_start_password_is_private_and_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    server = ManagedNeo4j(home=tmp_path)
    first = server.ensure_password()
    assert len(first) >= 16
    assert server.password() == first
    assert server.ensure_password() == first
    assert stat.S_IMODE(os.stat(server.password_file).st_mode) == 0o600
    monkeypatch.setenv("NEO4J_PASSWORD", "from-the-env")
    assert server.password() == "from-the-env"


def test_cli_read_without_credentials_is_one_line_naming_the_home(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(CHIPKG_NEO4J_HOME=str(tmp_path / "h"), CI="1")
    result = subprocess.run(
        [sys.executable, "-m", "chipkg", "stats", "--neo4j"],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=300,
        check=False,
    )
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0
    assert f"in {tmp_path / 'h'}" in result.stderr
    assert not (tmp_path / "h").exists()


def test_home_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "h"
    (home / "data" / "old").mkdir(parents=True, mode=0o755)
    (home / "data" / "old" / "store").write_text("x")
    os.chmod(home / "data" / "old" / "store", 0o644)
    os.chmod(home, 0o755)
    write_config(home, tmp_path / "dist", 1, 2)
    make_private(home)
    paths = [home, *home.rglob("*")]
    assert len(paths) >= 8
    loose = [str(p) for p in paths if os.stat(p).st_mode & 0o077]
    assert loose == []
    assert stat.S_IMODE(os.stat(home / "conf" / "neo4j.conf").st_mode) == 0o600


def test_initial_password_travels_in_a_private_args_file(tmp_path: Path) -> None:
    tricky = 'a "quoted" \\ # -pw'
    with initial_password_args(tmp_path / "run", tricky) as arg:
        assert arg.startswith("@")
        path = Path(arg[1:])
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[:3] == ["dbms", "set-initial-password", "--"]
        assert tricky not in arg
    assert not path.exists()


def test_browser_gets_chipkg_style_and_no_telemetry(tmp_path: Path) -> None:
    text = render_config(bolt_port=1, http_port=2, dist_dir=tmp_path, home=tmp_path)
    settings = dict(line.split("=", 1) for line in text.splitlines()[1:])
    assert settings["client.allow_telemetry"] == "false"
    csp = settings["dbms.security.http_static_content_security_policy_header"]
    assert "segment" not in csp and "canny" not in csp and "googleapis" not in csp
    assert "ws://127.0.0.1:1" in csp.split("connect-src", 1)[1]
    assert settings["dbms.usage_report.enabled"] == "false"
    command = settings["browser.post_connect_cmd"]
    assert command.startswith("style {")
    assert ";" not in command  # Browser splits post-connect commands on ';'
    style = json.loads(command.removeprefix("style "))
    assert style == grass_rules(GRASS_PATH.read_text(encoding="utf-8"))
    assert style["node.Company"]["color"] == NODE_STYLES["Company"].colour
    assert style["node"]["caption"] == "{name}"
    assert len(style) == GRASS_PATH.read_text(encoding="utf-8").count("{\n")


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    monkeypatch.delenv("NEO4J_USER", raising=False)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    settings = Neo4jSettings.from_env()
    assert settings == Neo4jSettings("neo4j+s://example.databases.neo4j.io", "neo4j", "pw")
    with pytest.raises(Neo4jUnavailable, match="must start with one of"):
        check_uri("http://localhost:7474")


def test_unreachable_is_one_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Neo4jSettings(f"bolt://127.0.0.1:{port}", password="whatever")
    with pytest.raises(Neo4jUnavailable, match="cannot reach Neo4j at bolt://") as info:
        connect(settings, tries=2, delay=0.1)
    assert "\n" not in str(info.value)


@contextlib.contextmanager
def _silent_port() -> Iterator[int]:
    """A local TCP port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in held:
            conn.close()


@contextlib.contextmanager
def _http_port() -> Iterator[int]:
    """A local HTTP server (what a user pointing at port 7474 would hit)."""
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _QuietHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("kind", ["silent", "http"])
def test_not_a_neo4j_server_fails_in_seconds(
    scheme: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIPKG_NEO4J_TIMEOUT", "2")
    with _silent_port() if kind == "silent" else _http_port() as port:
        settings = Neo4jSettings(f"{scheme}://127.0.0.1:{port}", password="whatever")
        began = time.monotonic()
        with pytest.raises(Neo4jUnavailable, match="is not a Neo4j server") as info:
            connect(settings)
        elapsed = time.monotonic() - began
    assert elapsed < 8, f"took {elapsed:.1f}s with a 2 s timeout"
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_cli_on_not_a_neo4j_server_exits_3_with_one_line(scheme: str) -> None:
    with _silent_port() as port:
        env = dict(os.environ, NEO4J_URI=f"{scheme}://127.0.0.1:{port}", NEO4J_PASSWORD="x")
        env.update(CHIPKG_NEO4J_TIMEOUT="2", CI="1")
        result = subprocess.run(
            [sys.executable, "-m", "chipkg", "stats", "--neo4j"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0
    assert "is not a Neo4j server" in result.stderr


def test_bad_timeout_setting_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIPKG_NEO4J_TIMEOUT", "soon")
    with pytest.raises(Neo4jUnavailable, match="CHIPKG_NEO4J_TIMEOUT='soon'"):
        connect(Neo4jSettings("bolt://127.0.0.1:1"))


# -- the make-test wrapper (a stub stands in for chipkg) ------------------------


def _run_wrapper(tmp_path: Path, running: bool, command: str) -> tuple[int, list[str]]:
    calls = tmp_path / "calls"
    stub = tmp_path / "chipkg"
    state = "true" if running else "false"
    stub.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {calls}\n'
        f'if [ "$2" = status ]; then echo \'{{"running": {state}}}\'; fi\n'
    )
    stub.chmod(0o755)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "with-test-neo4j.sh"), "sh", "-c", command],
        env=dict(os.environ, CHIPKG=str(stub)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode, calls.read_text().splitlines()


def test_wrapper_stops_the_server_it_started(tmp_path: Path) -> None:
    code, calls = _run_wrapper(tmp_path, running=False, command="exit 0")
    assert code == 0
    assert calls == ["neo4j status --json", "neo4j start", "neo4j stop"]


def test_wrapper_stops_it_when_the_suite_fails_and_keeps_the_exit_code(tmp_path: Path) -> None:
    code, calls = _run_wrapper(tmp_path, running=False, command="exit 5")
    assert code == 5
    assert calls[-1] == "neo4j stop"


def test_wrapper_leaves_a_server_it_did_not_start(tmp_path: Path) -> None:
    code, calls = _run_wrapper(tmp_path, running=True, command="exit 0")
    assert code == 0
    assert calls == ["neo4j status --json"]


# -- the real server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedNeo4j]:
    """A throw-away instance on test ports that shares the default instance's dist."""
    dist = ManagedNeo4j().dist_dir
    home = tmp_path_factory.mktemp("neo4j-home")
    managed = ManagedNeo4j(home=home, bolt_port=TEST_BOLT, http_port=TEST_HTTP, dist_dir=dist)
    yield managed
    managed.stop(timeout=30)


class _CmdlineWatcher:
    """Reads every process's command line, as any local user can, until stopped."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in Path("/proc").glob("[0-9]*/cmdline"):
                with contextlib.suppress(OSError):
                    self.seen.add(path.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
            time.sleep(0.01)

    def __enter__(self) -> _CmdlineWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.neo4j
def test_start_and_query(server: ManagedNeo4j) -> None:
    with _CmdlineWatcher() as watcher:
        status = server.start(timeout=300)
    assert status.running and status.pid
    assert server.status().running
    password = server.password_file.read_text().strip()
    # The watcher saw the admin tool and the server, and the password in neither.
    assert any("org.neo4j.cli.AdminTool" in line for line in watcher.seen)
    assert any("CommunityEntryPoint" in line for line in watcher.seen)
    assert not [line for line in watcher.seen if password in line]
    settings = Neo4jSettings(server.bolt_uri, password=server.password())
    with connect(settings) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one, apoc.version() AS apoc")
    assert records[0]["one"] == 1
    assert records[0]["apoc"] == NEO4J_VERSION
    assert (server.logs_dir / "neo4j.log").is_file()
    assert (server.logs_dir / "debug.log").is_file()


@pytest.mark.neo4j
def test_home_is_private_and_logs_hold_no_password(server: ManagedNeo4j) -> None:
    paths = [server.home, *server.home.rglob("*")]
    assert any(p.parent.name == "databases" for p in paths)  # the store files are there
    loose = [
        f"{stat.filemode(os.stat(p).st_mode)} {p}" for p in paths if os.stat(p).st_mode & 0o077
    ]
    assert loose == []
    password = server.password()
    for log in server.logs_dir.iterdir():
        assert password not in log.read_text(encoding="utf-8", errors="replace"), log
    assert not list((server.home / "run").glob("*.args"))


@pytest.mark.neo4j
def test_browser_settings_reach_the_client(server: ManagedNeo4j) -> None:
    settings = Neo4jSettings(server.bolt_uri, password=server.password())
    with connect(settings) as driver:
        records, _, _ = driver.execute_query("CALL dbms.clientConfig()")
    config = {record["name"]: record["value"] for record in records}
    assert config["client.allow_telemetry"] == "false"
    assert config["browser.post_connect_cmd"] == browser_style_command()
    with urllib.request.urlopen(f"{server.http_url}/browser/", timeout=30) as response:
        csp = response.headers["Content-Security-Policy"]
    assert csp == browser_csp(server.bolt_port, server.http_port)


@pytest.mark.neo4j
@pytest.mark.browser
def test_browser_applies_chipkg_style_on_connect_and_stays_local(server: ManagedNeo4j) -> None:
    """Log in through the real Browser page in headless Chromium, paste nothing."""
    from chipkg.viz.browser import chromium

    outside: list[str] = []
    blocked: list[str] = []
    with chromium() as context:
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url) if _outside(r.url) else None)
        page.on("requestfailed", lambda r: blocked.append(r.url) if r.failure == "csp" else None)
        page.goto(f"{server.http_url}/browser/?dbms={server.bolt_uri}", timeout=180_000)
        page.fill("input[data-testid='username']", "neo4j", timeout=180_000)
        page.fill("input[data-testid='password']", server.password())
        page.click("button[data-testid='connect']")
        page.wait_for_function(
            "() => localStorage.getItem('neo4j.grass') !== null "
            "&& localStorage.getItem('neo4j.grass') !== 'null'",
            timeout=180_000,
        )
        grass = json.loads(page.evaluate("() => localStorage.getItem('neo4j.grass')"))
    assert grass == json.loads(browser_style_command().removeprefix("style "))
    assert grass["node.Company"]["color"] == NODE_STYLES["Company"].colour
    # Browser still asks for Segment, Canny and Google Fonts; the policy stops every one.
    assert outside
    assert sorted(outside) == sorted(blocked)


def _outside(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname
    return url.startswith(("http:", "https:", "ws:")) and host not in ("127.0.0.1", "localhost")


@pytest.mark.neo4j
def test_store_through_the_routing_scheme(
    server: ManagedNeo4j, sample_entities: list[Entity], sample_claims: list[Claim]
) -> None:
    routed = Neo4jSettings(f"neo4j://127.0.0.1:{server.bolt_port}", password=server.password())
    store = Neo4jStore(connect(routed), routed.database, routed.uri)
    try:
        store.clear()
        store.write(sample_entities, sample_claims)
        assert store.get("company/nvidia") == sample_entities[1]
        assert len(list(store.claims(predicate="OWNS"))) == len(
            [c for c in sample_claims if c.predicate == "OWNS"]
        )
    finally:
        store.clear()
        store.close()


@pytest.mark.neo4j
def test_server_notifications_stay_off_the_terminal(
    server: ManagedNeo4j, caplog: pytest.LogCaptureFixture
) -> None:
    query = "MATCH ()-[:CHIPKG_NO_SUCH_TYPE]->() RETURN count(*) AS n"
    auth = ("neo4j", server.password())
    caplog.set_level(logging.DEBUG, logger="neo4j")
    raw = neo4j.GraphDatabase.driver(server.bolt_uri, auth=auth)
    with raw:  # control: without chipkg's settings the server sends one, and it is logged
        _, summary, _ = raw.execute_query(query)
    assert any(status.is_notification for status in summary.gql_status_objects)
    assert [r for r in caplog.records if r.name == "neo4j.notifications"]
    caplog.clear()
    with connect(Neo4jSettings(server.bolt_uri, password=auth[1])) as driver:
        _, summary, _ = driver.execute_query(query)
    assert not any(status.is_notification for status in summary.gql_status_objects)
    assert not [r for r in caplog.records if r.name == "neo4j.notifications"]


@pytest.mark.neo4j
def test_cli_from_root_directory_uses_the_started_server(server: ManagedNeo4j) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(
        CHIPKG_NEO4J_HOME=str(server.home),
        CHIPKG_NEO4J_BOLT_PORT=str(server.bolt_port),
        CHIPKG_NEO4J_HTTP_PORT=str(server.http_port),
        CI="1",
    )
    chipkg = [sys.executable, "-m", "chipkg"]
    run = functools.partial(
        subprocess.run, capture_output=True, text=True, env=env, cwd="/", timeout=300
    )
    stats = run([*chipkg, "stats", "--neo4j", "--json"])
    assert stats.returncode == 0, stats.stderr
    assert "nodes" in json.loads(stats.stdout)
    assert "notification" not in stats.stderr.lower()
    assert "GqlStatusObject" not in stats.stderr
    logs = run([*chipkg, "neo4j", "logs", "--lines", "3"])
    assert logs.returncode == 0, logs.stderr
    assert logs.stdout.splitlines() == (server.logs_dir / "neo4j.log").read_text().splitlines()[-3:]


@pytest.mark.neo4j
def test_browser_answers(server: ManagedNeo4j) -> None:
    with urllib.request.urlopen(f"{server.http_url}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "Neo4j Browser" in response.read().decode("utf-8", "replace")
    with urllib.request.urlopen(server.http_url + "/", timeout=10) as response:
        discovery = json.loads(response.read())
    assert discovery["bolt_direct"] == server.bolt_uri


@pytest.mark.neo4j
def test_start_again_is_noop_and_cli_status(server: ManagedNeo4j) -> None:
    before = server.status()
    assert server.start(timeout=5).pid == before.pid
    args = ["status", "--json", "--home", str(server.home), "--bolt-port", str(TEST_BOLT)]
    result = CliRunner().invoke(neo4j_app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["running"] is True


@pytest.mark.neo4j
def test_wrong_password_is_clean_one_liner(server: ManagedNeo4j) -> None:
    settings = Neo4jSettings(server.bolt_uri, password="definitely-wrong")
    with pytest.raises(Neo4jUnavailable, match="rejected the credentials") as info:
        connect(settings)
    assert "\n" not in str(info.value)


@pytest.mark.neo4j
def test_bulk_import_with_neo4j_admin(server: ManagedNeo4j, tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text("id:ID,name,:LABEL\n1,TSMC,Company\n2,ASML,Company\n")
    (tmp_path / "rels.csv").write_text(":START_ID,:END_ID,:TYPE\n2,1,SUPPLIES\n")
    with pytest.raises(Neo4jUnavailable, match="stop Neo4j"):
        server.import_full([tmp_path / "nodes.csv"])
    server.stop(timeout=60)
    report = server.import_full([tmp_path / "nodes.csv"], [tmp_path / "rels.csv"])
    assert "IMPORT DONE" in report
    server.start(timeout=120)
    settings = Neo4jSettings(server.bolt_uri, password=server.password())
    with connect(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN a.name AS a, type(r) AS t, b.name AS b"
        )
    assert [record.data() for record in records] == [{"a": "ASML", "t": "SUPPLIES", "b": "TSMC"}]


@pytest.mark.neo4j
def test_stop_then_port_taken(server: ManagedNeo4j) -> None:
    assert not server.stop(timeout=60).running
    assert not server.status().running
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", TEST_HTTP))
        squatter.listen()
        with pytest.raises(Neo4jUnavailable, match=f"port {TEST_HTTP} .* already in use"):
            server.start(timeout=30)
    assert not server.status().running


@pytest.mark.neo4j
def test_initial_password_may_start_with_a_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_dist = os.environ.get("CHIPKG_NEO4J_DIST")
    dist = Path(env_dist) if env_dist else ROOT / ".neo4j" / "dist" / NEO4J_VERSION
    managed = ManagedNeo4j(home=tmp_path / "h", bolt_port=1, http_port=2, dist_dir=dist)
    managed.install()
    managed._write_config()
    monkeypatch.setenv("NEO4J_PASSWORD", "-starts-with-a-dash")
    managed._set_initial_password(check_java())
    assert (tmp_path / "h" / "data" / "dbms" / "auth.ini").exists()
    assert managed.password() == "-starts-with-a-dash"
