"""Bad input exits 2 with one line, through the real ``chipkg`` entry point (docs/errors.md).

These run ``chipkg`` as a process because the exit code and the one-line message
are made by ``chipkg.cli.main``, which the in-process CLI runner bypasses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chipkg.errors import DiskFullError, InputError, input_failure
from chipkg.graph import EmbeddedStore
from chipkg.ontology import Entity

CHIPKG = str(Path(sys.executable).with_name("chipkg"))


def chipkg(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHIPKG, *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def write_lines(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


COMPANY = {"kind": "entity", "id": "company/a", "label": "Company", "name": "Acme"}


def test_deeply_nested_input_exits_2_naming_the_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.jsonl"
    nested = "[" * 100_000 + "]" * 100_000
    deep.write_text(json.dumps(COMPANY)[:-1] + f', "properties": {nested}}}\n', encoding="utf-8")
    run = chipkg("load", deep, "--db", tmp_path / "db", "-q")
    assert run.returncode == 2
    assert f"{deep}: nested too deeply" in one_error_line(run)
    assert list(EmbeddedStore(tmp_path / "db").entities()) == []


def test_unknown_entity_in_a_claim_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    claim = {
        "kind": "claim",
        "subject": "company/a",
        "predicate": "SUPPLIES",
        "object": "company/nowhere",
        "evidence": [{"source": "source/x"}],
    }
    data = write_lines(tmp_path / "in.jsonl", COMPANY, claim)
    run = chipkg("load", data, "--db", tmp_path / "db", "-q")
    assert run.returncode == 2
    assert "unknown entity 'company/nowhere'" in one_error_line(run)
    assert list(EmbeddedStore(tmp_path / "db").entities()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "Atlantis"], "no Company or Country named 'Atlantis'"),
        (["--target", "Acme", "--restrict", "Unobtainium"], "named 'Unobtainium'"),
    ],
)
def test_unknown_item_in_what_if_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "db"
    EmbeddedStore(db).write([Entity(id="company/a", label="Company", name="Acme")], [])
    run = chipkg("ask", "what-if", "Acme", *args, "--db", db)
    assert run.returncode == 2
    assert message in one_error_line(run)


def test_input_failure_maps_only_input_and_disk_errors() -> None:
    import errno

    assert isinstance(input_failure(RecursionError()), InputError)
    full = input_failure(OSError(errno.ENOSPC, "No space left on device", "/x/y"))
    assert isinstance(full, DiskFullError)
    assert full.exit_code == 2
    assert str(full).startswith("/x/y: no space left")
    assert input_failure(OSError(errno.EACCES, "denied")) is None  # stays an internal error
    assert input_failure(KeyError("bug")) is None


DISK_FULL_SCRIPT = """
set -u
mount -t tmpfs -o size=256k tmpfs "$1" || exit 99
"$2" load "$3" --db "$1/db" -q; echo "small=$?"
"$2" load "$4" --db "$1/db" -q; echo "big=$?"
cat "$1/db/graph.jsonl"
ls -a "$1/db"
"""


def test_disk_full_on_a_small_filesystem_exits_2_and_keeps_the_store(tmp_path: Path) -> None:
    """A 256 KiB tmpfs in a private mount namespace (``unshare -rm``): nothing else sees it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare(1) to mount a small private filesystem")
    probe = subprocess.run([unshare, "-rm", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a mount namespace here: {probe.stderr.decode().strip()}")
    mount = tmp_path / "small"
    mount.mkdir()
    small = write_lines(tmp_path / "small.jsonl", COMPANY)
    many = [
        {**COMPANY, "id": f"company/c{i}", "name": f"Company number {i} " + "x" * 200}
        for i in range(3000)
    ]
    big = write_lines(tmp_path / "big.jsonl", *many)
    script = tmp_path / "full.sh"
    script.write_text(DISK_FULL_SCRIPT, encoding="utf-8")
    run = subprocess.run(
        [unshare, "-rm", "sh", str(script), str(mount), CHIPKG, str(small), str(big)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "small=" not in run.stdout:
        pytest.skip(f"cannot mount a tmpfs in a user namespace here: {run.stderr.strip()}")
    assert "small=0" in run.stdout
    assert "big=2" in run.stdout, run.stdout + run.stderr
    error = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(error) == 1
    assert f"{mount}/db/" in error[0]
    assert "no space left" in error[0]
    stored = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in stored] == ["company/a"]  # the first load intact, nothing more
    assert ".graph-" not in run.stdout  # the temporary file was removed
