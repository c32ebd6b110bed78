"""The ETO Chip Explorer (CSET) supply-chain dataset: a directory of four CSV files.

* ``inputs.csv`` - inputs become Products (tools, materials, software, chips) or
  Technologies (processes), resolved onto curated ones by name;
* ``providers.csv`` - organisations become Companies (LOCATED_IN their country),
  country providers become Countries (``USA``, ``CHN`` -> ``country/us``, ``country/cn``);
* ``provision.csv`` - MANUFACTURES provider -> input, with market share and year;
* ``sequence.csv`` - INPUT_TO (``goes_into``) and TYPE_OF (``is_type_of``).

Ids in the files (``N1``, ``P1``) are local to the dataset; a row naming an id the
dataset does not define is malformed. A provider listed twice under one id adds
aliases; a "country" provider that is no single country (``Various countries``,
``EUR``) is noted and its rows left out. Shares are percentages in ETO and become
fractions. Each file is its own Source, and every claim cites its file and line.
"""

from __future__ import annotations

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


class _Eto(Builder):
    """Builds records file by file; ``inputs`` and ``providers`` map local ids to chipkg ids."""

    def __init__(self, path: Path, resolver: Resolver, skip_invalid: bool) -> None:
        super().__init__(resolver, skip_invalid)
        self.path = path
        self.inputs: dict[str, str] = {}
        self.providers: dict[str, str] = {}
        self.names: dict[str, str] = {}  # provider_id -> provider_name
        self.aggregates: dict[str, str] = {}  # country providers that are no one country
        self.unplaced: list[str] = []  # organisations whose country is no one country
        self.skipped_shares: dict[str, int] = {}
        self.source = ""

    def open_file(self, file: Path) -> list[tuple[int, dict[str, str]]]:
        rows = read_csv(file, FILES[file.name])
        title = f"ETO Chip Explorer {self.path.name}/{file.name}"
        self.source = self.emit(
            dataset_source(file, title, "Emerging Technology Observatory (CSET)")
        ).id
        return rows

    def evidence(self, line: int, **extra: Any) -> dict[str, Any]:
        return {"source": self.source, "row": line, "extractor": EXTRACTOR, **extra}

    def input(self, line: int, row: dict[str, str]) -> None:
        require(row, "input_id", "input_name", "type")
        if row["input_id"] in self.inputs:
            raise RowError(f"duplicate input_id {row['input_id']!r}")
        label, props = _input_props(row["type"].strip().lower(), row["input_name"])
        entity = self.resolve_or_mint(label, row["input_name"], [], props)
        self.inputs[row["input_id"]] = entity.id

    def provider(self, line: int, row: dict[str, str]) -> None:
        require(row, "provider_id", "provider_name", "provider_type")
        pid, name = row["provider_id"], row["provider_name"]
        aliases = split_list(row.get("alias"))
        if pid in self.providers:
            # ETO repeats a provider to list more aliases; a different name is an error.
            if self.names[pid] != name:
                raise RowError(f"provider_id {pid!r} reused for {name!r} (was {self.names[pid]!r})")
            if pid not in self.aggregates:
                known = self.resolver.entities[self.providers[pid]]
                self.emit(Entity(id=known.id, label=known.label, name=known.name, aliases=aliases))
            return
        self.names[pid] = name
        kind = row["provider_type"].strip().lower()
        if kind == "country":
            self.country_provider(pid, [name, *aliases, row.get("country", "")])
            return
        if kind != "organization":
            raise RowError(f"unknown provider_type {kind!r} (expected organization or country)")
        company = self.resolve_or_mint("Company", name, aliases, {})
        self.providers[pid] = company.id
        country = self._maybe_country(row.get("country", ""))
        if country is not None:
            self.claim(
                Claim(
                    subject=company.id,
                    predicate="LOCATED_IN",
                    object=country.id,
                    evidence=self.evidence(line),
                )
            )
        elif row.get("country"):
            self.unplaced.append(f"{name} ({row['country']})")

    def country_provider(self, pid: str, names: list[str]) -> None:
        """A country provider; one that is no single country (\"Various countries\") is noted."""
        found = next((c for n in names if n and (c := self._maybe_country(n))), None)
        if found is None:
            self.aggregates[pid] = names[0]
            self.providers[pid] = ""
        else:
            self.providers[pid] = found.id

    def _maybe_country(self, text: str) -> Entity | None:
        try:
            return self.country(text)
        except RowError:
            return None

    def provision(self, line: int, row: dict[str, str]) -> None:
        provider = self._known(self.providers, row, "provider_id")
        provided = self._known(self.inputs, row, "provided_id")
        if row["provider_id"] in self.aggregates:
            name = self.aggregates[row["provider_id"]]
            self.skipped_shares[name] = self.skipped_shares.get(name, 0) + 1
            return
        props: dict[str, Any] = {}
        if row.get("share_provided"):
            props["market_share"] = _share(row["share_provided"])
        if row.get("year"):
            props["year"] = _year(row["year"])
        evidence = [self.evidence(line, quote=_quote(row.get("source", "")))]
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

    def sequence(self, line: int, row: dict[str, str]) -> None:
        source = self._known(self.inputs, row, "input_id")
        pairs = [("INPUT_TO", "goes_into_id"), ("TYPE_OF", "is_type_of_id")]
        present = [(pred, col) for pred, col in pairs if row.get(col)]
        if not present:
            raise RowError("neither goes_into_id nor is_type_of_id given")
        for predicate, column in present:
            target = self._known(self.inputs, row, column)
            self.claim(
                Claim(
                    subject=source,
                    predicate=predicate,
                    object=target,
                    evidence=self.evidence(line),
                )
            )

    def finish(self) -> LoadResult:
        """The result, with notes on providers that are no single country."""
        for pid, name in sorted(self.aggregates.items()):
            rows = self.skipped_shares.get(name, 0)
            self.result.notes.append(
                f"{self.path}: provider {name!r} ({pid}) is no single country; "
                f"its {rows} provision rows are not loaded"
            )
        if self.unplaced:
            shown = ", ".join(self.unplaced[:5])
            self.result.notes.append(
                f"{self.path}: {len(self.unplaced)} providers without one country: {shown}"
            )
        return self.done()

    @staticmethod
    def _known(ids: dict[str, str], row: dict[str, str], column: str) -> str:
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
    ("inputs.csv", "input"),
    ("providers.csv", "provider"),
    ("provision.csv", "provision"),
    ("sequence.csv", "sequence"),
]


@register("eto", _is_eto)
def load_eto(path: Path, resolver: Resolver, *, skip_invalid: bool = False) -> LoadResult:
    """Load an ETO Chip Explorer directory (inputs, providers, provision, sequence CSVs)."""
    if not path.is_dir():
        raise InputError("the ETO dataset is a directory of CSV files", str(path))
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise InputError(f"missing {', '.join(missing)}", str(path))
    builder = _Eto(path, resolver, skip_invalid)
    for name, step in STEPS:
        file = path / name
        if not file.is_file():
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
