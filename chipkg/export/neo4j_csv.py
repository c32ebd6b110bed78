"""CSV files for ``neo4j-admin database import full``: offline bulk loading of big graphs.

Node files per label and relationship files per type use the import tool's
header conventions (``id:ID(Entity)``, ``:LABEL``, ``:START_ID(Entity)``,
``:END_ID(Entity)``, ``:TYPE``, typed columns such as ``confidence:double`` and
``aliases:string[]``). Rows are built by the Neo4j store's own row functions,
so a bulk-imported database holds exactly what ``Neo4jStore`` writes and answers
the same Cypher. Arrays are joined with U+001F (unit separator), which JSON text
and names never contain, because evidence JSON and quotes are full of ``;``.
"""

from __future__ import annotations

import csv
import shlex
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from chipkg.errors import InputError
from chipkg.graph.neo4j_store import claim_row, entity_row
from chipkg.ontology import ONTOLOGY, Claim, Entity
from chipkg.ontology.generate import neo4j_schema
from chipkg.ontology.schema import PropertySpec

ARRAY_DELIMITER = "\x1f"
ADMIN_OPTIONS = ("--array-delimiter=U+001F", "--multiline-fields=true")
ID_SPACE = "Entity"
CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("key", ""),
    ("modality", ""),
    ("confidence", "double"),
    ("attributed_to", ""),
    ("valid_from", ""),
    ("valid_to", ""),
    ("derived", "boolean"),
    ("sources", "string[]"),
    ("evidence", "string[]"),
)
SCALAR_TYPES = {"integer": "long", "boolean": "boolean", "list": "string[]"}


def _column_type(spec: PropertySpec) -> str:
    """Import-tool type of a property; ``number`` is decided by the data (long or double)."""
    if spec.type == "number":
        return "number"
    return SCALAR_TYPES.get(spec.type, "")


def _cell(value: Any) -> str:
    """One CSV field: absent -> empty (no property), arrays joined, booleans lower case."""
    kind = type(value)
    if kind is str:  # most cells: tested first, the writer is the hot loop of a bulk load
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        joined = ARRAY_DELIMITER.join(map(str, value))
        if joined.count(ARRAY_DELIMITER) != max(len(value) - 1, 0):
            bad = next(item for item in value if ARRAY_DELIMITER in str(item))
            raise InputError(f"value {bad!r} contains U+001F, the array delimiter")
        return joined
    if kind is float:
        return repr(value)
    return str(value)


@dataclass
class _CsvFile:
    """One output file whose header is written last (number columns depend on the data)."""

    path: Path
    fixed: list[str]
    columns: list[tuple[str, str]]
    rows: int = 0
    whole: dict[str, bool] = field(default_factory=dict)
    body: IO[str] | None = None
    writer: Any = None
    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    def write(self, fixed: list[str], values: dict[str, Any]) -> None:
        if self.body is None:
            self.body = self.path.with_suffix(".body").open("w", encoding="utf-8", newline="")
            self.writer = csv.writer(self.body, lineterminator="\n")
            self.names = [name for name, _ in self.columns]
            self.numbers = [name for name, kind in self.columns if kind == "number"]
        get = values.get
        for name in self.numbers:
            value = get(name)
            if value is not None:
                self.whole[name] = self.whole.get(name, True) and isinstance(value, int)
        self.writer.writerow([*fixed, *[_cell(get(name)) for name in self.names]])
        self.rows += 1

    def header(self) -> list[str]:
        cols = []
        for name, kind in self.columns:
            if kind == "number":
                kind = "long" if self.whole.get(name, False) else "double"
            cols.append(f"{name}:{kind}" if kind else name)
        return [*self.fixed, *cols]

    def finish(self) -> None:
        if self.body is None:
            return
        self.body.close()
        body = self.path.with_suffix(".body")
        with self.path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerow(self.header())
            with body.open(encoding="utf-8", newline="") as rows:
                shutil.copyfileobj(rows, out)
        body.unlink()
        self.body = None  # finished: a second call does nothing


@dataclass
class CsvExport:
    """What was written: file names (relative to the directory) and row counts."""

    directory: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def node_files(self) -> list[str]:
        return [node_file(label) for label in sorted(self.nodes)]

    @property
    def relationship_files(self) -> list[str]:
        return [relationship_file(rel) for rel in sorted(self.relationships)]

    def admin_args(self, database: str = "neo4j", base: Path | None = None) -> list[str]:
        """Arguments after ``neo4j-admin``; file paths relative to ``base`` when given."""
        where = (lambda name: str(base / name)) if base is not None else (lambda name: name)
        args = ["database", "import", "full", database, "--overwrite-destination=true"]
        args += list(ADMIN_OPTIONS)
        args += [f"--nodes={where(name)}" for name in self.node_files]
        args += [f"--relationships={where(name)}" for name in self.relationship_files]
        return args

    def command(self, database: str = "neo4j") -> str:
        """The shell command to run from inside the export directory."""
        return shlex.join(["neo4j-admin", *self.admin_args(database)])


def node_file(label: str) -> str:
    """``nodes_Company.csv``."""
    return f"nodes_{label}.csv"


def relationship_file(predicate: str) -> str:
    """``rels_SUPPLIES.csv``."""
    return f"rels_{predicate}.csv"


def _node_csv(directory: Path, label: str) -> _CsvFile:
    props = ONTOLOGY.entity_properties(label)
    columns = [("name", ""), ("aliases", "string[]")]
    columns += [(n, _column_type(s)) for n, s in props.items() if n not in ("name", "aliases")]
    fixed = [f"id:ID({ID_SPACE})", ":LABEL"]
    return _CsvFile(directory / node_file(label), fixed, columns)


def _relationship_csv(directory: Path, predicate: str) -> _CsvFile:
    columns = list(CLAIM_COLUMNS)
    props = ONTOLOGY.relationship(predicate).properties
    columns += [(n, _column_type(s)) for n, s in props.items()]
    fixed = [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"]
    return _CsvFile(directory / relationship_file(predicate), fixed, columns)


class CsvWriter:
    """The node and relationship files, written a row at a time (so a caller may stream).

    ``finish`` writes the headers, ``import.sh`` and ``after_import.cypher``; rows
    written so far stay on disk when a caller gives up (it removes the directory).
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.files: dict[str, _CsvFile] = {}

    def entity(self, entity: Entity) -> None:
        """One node row in the file of the entity's label."""
        out = self.files.get(entity.label) or self.files.setdefault(
            entity.label, _node_csv(self.directory, entity.label)
        )
        row = entity_row(entity)
        labels = ARRAY_DELIMITER.join(["Entity", entity.label])
        out.write([row.pop("id"), labels], row)

    def claim(self, claim: Claim, key: str | None = None) -> None:
        """One relationship row in the file of the claim's predicate (``key``: known key)."""
        out = self.files.get(claim.predicate) or self.files.setdefault(
            claim.predicate, _relationship_csv(self.directory, claim.predicate)
        )
        out.write([claim.subject, claim.object, claim.predicate], claim_row(claim, key)["props"])

    def close(self) -> None:
        """Close the files, headers first (also after a failure, so nothing stays open)."""
        for csv_file in self.files.values():
            csv_file.finish()

    def finish(self) -> CsvExport:
        """Close the files and write the helper scripts; what was written."""
        self.close()
        result = CsvExport(self.directory)
        for name, csv_file in self.files.items():
            bucket = result.nodes if name in ONTOLOGY.entities else result.relationships
            bucket[name] = csv_file.rows
        _write_helpers(result)
        return result


def write_neo4j_csv(
    entities: Iterable[Entity], claims: Iterable[Claim], directory: Path
) -> CsvExport:
    """Write node and relationship files, ``import.sh`` and the schema into ``directory``."""
    writer = CsvWriter(directory)
    try:
        for entity in entities:
            writer.entity(entity)
        for claim in claims:
            writer.claim(claim)
    except BaseException:
        writer.close()
        raise
    return writer.finish()


#: neo4j-admin cannot write an empty array, so empty ``aliases`` arrive as no property;
#: this restores the ``[]`` that Neo4jStore writes, then chipkg's constraints and indexes.
AFTER_IMPORT = (
    "MATCH (n:Entity) WHERE n.aliases IS NULL "
    "CALL { WITH n SET n.aliases = [] } IN TRANSACTIONS OF 10000 ROWS"
)
AFTER_IMPORT_FILE = "after_import.cypher"


def after_import_statements() -> list[str]:
    """Cypher to run once on the freshly imported database (auto-commit, in order)."""
    return [AFTER_IMPORT, *neo4j_schema()]


def _write_helpers(result: CsvExport) -> None:
    """``import.sh`` with the exact command, and the Cypher to run after the import."""
    header = (
        "// Run once after `neo4j-admin database import` (cypher-shell -f after_import.cypher).\n"
    )
    body = "".join(f"{statement};\n" for statement in after_import_statements())
    (result.directory / AFTER_IMPORT_FILE).write_text(header + body, encoding="utf-8")
    args = shlex.join(result.admin_args()[4:])
    script = f"""#!/bin/sh
# Generated by `chipkg export --format neo4j-csv`: bulk-load this directory into an EMPTY
# database with neo4j-admin (Neo4j stopped; the database is overwritten). Usage:
#   NEO4J_ADMIN=/path/to/neo4j-admin sh import.sh [database]
# Then start Neo4j and run, once:
#   cypher-shell -u neo4j -p <password> -d <database> -f {AFTER_IMPORT_FILE}
set -eu
cd "$(dirname "$0")"
DATABASE="${{1:-neo4j}}"
exec "${{NEO4J_ADMIN:-neo4j-admin}}" database import full "$DATABASE" {args}
"""
    path = result.directory / "import.sh"
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)
