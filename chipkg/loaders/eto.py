"""The ETO Chip Explorer (CSET) supply-chain dataset, as published: a directory of CSVs.

* ``stages.csv`` - the three stages (S1 design, S2 fabrication, S3 assembly, test and
  packaging) become Technologies; stages are also read from ``inputs.csv``'s
  ``stage_id``/``stage_name`` when ``stages.csv`` is absent;
* ``inputs.csv`` - inputs become Products (tools, materials, software, chips) or
  Technologies (processes), resolved onto curated ones by name; an input that names a
  stage (the processes) is INPUT_TO that stage;
* ``providers.csv`` - organisations become Companies (LOCATED_IN their country),
  country providers become Countries (``USA``, ``CHN`` -> ``country/us``, ``country/cn``);
* ``provision.csv`` - MANUFACTURES provider -> input or stage, with market share and
  year; a country's share of a stage is the stage's market or capacity share (the
  stage's chart caption, kept as the quote, says which);
* ``sequence.csv`` - INPUT_TO (``goes_into``) and TYPE_OF (``is_type_of``).

Every row is mapped or counted as skipped with a reason: aggregate providers
(``Various countries``, ``EUR``, ``Various companies``) are no single country or company,
so they and their provision rows are skipped. A row naming an id the dataset does not
define, a bad share or an unknown input type is malformed and stops the load.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import LoadResult, register
from chipkg.loaders.reference import source_id
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.structured import (
    Builder,
    RowError,
    check_width,
    dataset_source,
    read_csv,
    require,
    split_list,
)
from chipkg.ontology import Claim, Entity

EXTRACTOR = "chipkg.eto"
FILES = {
    "stages.csv": ["stage_id", "stage_name"],
    "inputs.csv": ["input_id", "input_name", "type"],
    "providers.csv": ["provider_name", "provider_id", "provider_type"],
    "provision.csv": ["provider_id", "provided_id"],
    "sequence.csv": ["input_id"],
}
REQUIRED_FILES = ("inputs.csv", "providers.csv")
# ETO input type -> (label, Product category or Technology kind).
TYPES = {
    "ultimate_output": ("Product", "chip"),
    "process": ("Technology", "process"),
    "tool_resource": ("Product", "equipment"),
    "material_resource": ("Product", "material"),
    "design_resource": ("Product", "other"),
}
AGGREGATE = re.compile(r"^(various|other|rest of)\b", re.IGNORECASE)
SKIP_AGGREGATE = "aggregate provider (no single country or company)"
SKIP_NO_COUNTRY = "country provider is no single country"


def _is_eto(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in REQUIRED_FILES)


def _input_props(kind: str, name: str) -> tuple[str, dict[str, Any]]:
    """Label and properties for an input of ETO type ``kind``."""
    if kind not in TYPES:
        raise RowError(f"unknown type {kind!r} (expected {', '.join(TYPES)})")
    label, value = TYPES[kind]
    folded = name.lower()
    if label == "Technology":
        return label, {"kind": value}
    if kind == "tool_resource" and ("lithograph" in folded or "scanner" in folded):
        value = "lithography_system"
    if kind == "design_resource" and ("eda" in folded.split() or "design automation" in folded):
        value = "eda_software"
    return label, {"category": value}


def _stage_kind(name: str) -> str:
    """Technology kind of a stage: design, packaging (assembly/test/packaging) or process."""
    folded = name.lower()
    if "design" in folded:
        return "design"
    if "packag" in folded or "assembly" in folded:
        return "packaging"
    return "process"


class _Eto(Builder):
    """Builds records file by file; ``items`` and ``providers`` map local ids to chipkg ids."""

    def __init__(self, path: Path, resolver: Resolver, skip_invalid: bool) -> None:
        super().__init__(resolver, skip_invalid)
        self.path = path
        self.items: dict[str, str] = {}  # input and stage ids -> chipkg ids
        self.captions: dict[str, str] = {}  # stage id -> what its shares measure
        self.providers: dict[str, str] = {}
        self.names: dict[str, str] = {}  # provider_id -> provider_name
        self.aggregates: dict[str, str] = {}  # provider_id -> reason its rows are skipped
        self.unplaced: list[str] = []  # organisations whose country is no one country
        self.source = ""

    def open_file(self, file: Path) -> list[tuple[int, dict[str, str]]]:
        rows = read_csv(file, FILES[file.name])
        title = f"ETO Chip Explorer {self.path.name}/{file.name}"
        self.source = self.emit(
            dataset_source(file, title, "Emerging Technology Observatory (CSET)")
        ).id
        self.count_file(file)
        return rows

    def evidence(self, line: int, **extra: Any) -> dict[str, Any]:
        return {"source": self.source, "row": line, "extractor": EXTRACTOR, **extra}

    def stage(self, line: int, row: dict[str, str]) -> None:
        require(row, "stage_id", "stage_name")
        if row["stage_id"] in self.items:
            raise RowError(f"duplicate stage_id {row['stage_id']!r}")
        self._stage(row["stage_id"], row["stage_name"])
        caption = row.get("market_share_chart_caption", "").strip()
        if caption:
            self.captions[row["stage_id"]] = caption[:300]
        self.mapped()

    def _stage(self, stage_id: str, name: str) -> str:
        """The Technology for a stage, made on first mention."""
        if stage_id not in self.items:
            props = {"kind": _stage_kind(name)}
            entity = self.resolve_or_mint("Technology", f"{name} stage", [], props)
            self.items[stage_id] = entity.id
        return self.items[stage_id]

    def input(self, line: int, row: dict[str, str]) -> None:
        require(row, "input_id", "input_name", "type")
        if row["input_id"] in self.items:
            raise RowError(f"duplicate input_id {row['input_id']!r}")
        label, props = _input_props(row["type"].strip().lower(), row["input_name"])
        entity = self.resolve_or_mint(label, row["input_name"], [], props)
        self.items[row["input_id"]] = entity.id
        stage_id = row.get("stage_id", "").strip()
        if stage_id:
            stage = self._stage(stage_id, row.get("stage_name", "").strip() or stage_id)
            self.claim(
                Claim(
                    subject=entity.id,
                    predicate="INPUT_TO",
                    object=stage,
                    evidence=self.evidence(line),
                )
            )
        self.mapped()

    def provider(self, line: int, row: dict[str, str]) -> None:
        require(row, "provider_id", "provider_name", "provider_type")
        pid, name = row["provider_id"], row["provider_name"]
        aliases = split_list(row.get("alias"))
        if pid in self.names:
            self._repeat(pid, name, aliases)
            return
        self.names[pid] = name
        kind = row["provider_type"].strip().lower()
        if kind not in ("organization", "country"):
            raise RowError(f"unknown provider_type {kind!r} (expected organization or country)")
        if AGGREGATE.match(name):
            self.aggregates[pid] = SKIP_AGGREGATE
            self.skipped(SKIP_AGGREGATE)
        elif kind == "country":
            self.country_provider(pid, [name, *aliases, row.get("country", "")])
        else:
            self.organisation(line, pid, name, aliases, row.get("country", ""))

    def _repeat(self, pid: str, name: str, aliases: list[str]) -> None:
        """ETO repeats a provider to list more aliases; a different name is an error."""
        if self.names[pid] != name:
            raise RowError(f"provider_id {pid!r} reused for {name!r} (was {self.names[pid]!r})")
        if pid in self.aggregates:
            self.skipped(self.aggregates[pid])
            return
        known = self.resolver.entities[self.providers[pid]]
        self.emit(Entity(id=known.id, label=known.label, name=known.name, aliases=aliases))
        self.mapped()

    def organisation(self, line: int, pid: str, name: str, aliases: list[str], where: str) -> None:
        company = self.resolve_or_mint("Company", name, aliases, {})
        self.providers[pid] = company.id
        country = self._maybe_country(where)
        if country is not None:
            self.claim(
                Claim(
                    subject=company.id,
                    predicate="LOCATED_IN",
                    object=country.id,
                    evidence=self.evidence(line),
                )
            )
        elif where:
            self.unplaced.append(f"{name} ({where})")
        self.mapped()

    def country_provider(self, pid: str, names: list[str]) -> None:
        """A country provider; one that is no single country (``EUR``) is skipped."""
        found = next((c for n in names if n and (c := self._maybe_country(n))), None)
        if found is None:
            self.aggregates[pid] = SKIP_NO_COUNTRY
            self.skipped(SKIP_NO_COUNTRY)
        else:
            self.providers[pid] = found.id
            self.mapped()

    def _maybe_country(self, text: str) -> Entity | None:
        try:
            return self.country(text)
        except RowError:
            return None

    def provision(self, line: int, row: dict[str, str]) -> None:
        if row.get("provider_id", "").strip() in self.aggregates:
            self.skipped(self.aggregates[row["provider_id"].strip()])
            return
        provider = self._known(self.providers, row, "provider_id")
        provided = self._known(self.items, row, "provided_id")
        props: dict[str, Any] = {}
        if row.get("share_provided"):
            props["market_share"] = _share(row["share_provided"])
        if row.get("year"):
            props["year"] = _year(row["year"])
        quote = _quote(row.get("source", "")) or self.captions.get(row["provided_id"])
        evidence = [self.evidence(line, quote=quote)]
        url = row.get("source", "").strip()
        if url.startswith(("http://", "https://")):
            cited = self.emit(
                Entity(id=source_id(url), label="Source", name=url, properties={"url": url})
            )
            evidence.append({"source": cited.id, "extractor": EXTRACTOR})
        self.claim(
            Claim(
                subject=provider,
                predicate="MANUFACTURES",
                object=provided,
                properties=props,
                evidence=evidence,
            )
        )
        self.mapped()

    def sequence(self, line: int, row: dict[str, str]) -> None:
        source = self._known(self.items, row, "input_id")
        pairs = [("INPUT_TO", "goes_into_id"), ("TYPE_OF", "is_type_of_id")]
        present = [(pred, col) for pred, col in pairs if row.get(col)]
        if not present:
            raise RowError("neither goes_into_id nor is_type_of_id given")
        for predicate, column in present:
            target = self._known(self.items, row, column)
            self.claim(
                Claim(
                    subject=source,
                    predicate=predicate,
                    object=target,
                    evidence=self.evidence(line),
                )
            )
        self.mapped()

    def finish(self) -> LoadResult:
        """The result, with a note on organisations placed in no single country."""
        if self.unplaced:
            shown = ", ".join(self.unplaced[:5])
            self.result.notes.append(
                f"{self.path}: {len(self.unplaced)} providers without one country "
                f"(loaded, no LOCATED_IN): {shown}"
            )
        return self.done()

    def _known(self, ids: dict[str, str], row: dict[str, str], column: str) -> str:
        value = row.get(column, "").strip()
        if not value:
            raise RowError(f"empty {column}")
        if value not in ids:
            raise RowError(f"unknown {column} {value!r}")
        return ids[value]


def _share(text: str) -> float:
    """ETO gives shares in percent (``11.4``); chipkg keeps fractions in [0, 1]."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError as exc:
        raise RowError(f"bad share_provided {text!r} (expected a percentage)") from exc
    if not 0 <= value <= 100:
        raise RowError(f"share_provided {text!r} outside 0-100")
    return round(value / 100, 6)


def _year(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError as exc:
        raise RowError(f"bad year {text!r}") from exc
    if not 1900 <= value <= 2100:
        raise RowError(f"year {text!r} out of range")
    return value


def _quote(source: str) -> str | None:
    text = source.strip()
    return None if not text or text.startswith(("http://", "https://")) else text[:300]


STEPS = [
    ("stages.csv", "stage"),
    ("inputs.csv", "input"),
    ("providers.csv", "provider"),
    ("provision.csv", "provision"),
    ("sequence.csv", "sequence"),
]


@register("eto", _is_eto)
def load_eto(path: Path, resolver: Resolver, *, skip_invalid: bool = False) -> LoadResult:
    """Load an ETO Chip Explorer directory (stages, inputs, providers, provision, sequence)."""
    if not path.is_dir():
        raise InputError("the ETO dataset is a directory of CSV files", str(path))
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise InputError(f"missing {', '.join(missing)}", str(path))
    builder = _Eto(path, resolver, skip_invalid)
    for name, step in STEPS:
        file = path / name
        if not file.is_file():
            if name != "stages.csv":
                builder.result.notes.append(f"{path}: no {name}; its links are not loaded")
            continue
        handle = getattr(builder, step)
        for line, row in builder.open_file(file):
            try:
                check_width(row)
                handle(line, row)
            except (RowError, ValidationError, ChipkgError) as exc:
                builder.fail(file, line, exc)
    return builder.finish()
