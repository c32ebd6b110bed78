"""OpenSanctions / FollowTheMoney entities as JSON lines (``{"id", "schema", "properties"}``).

Company, Organization and LegalEntity records become Companies (PublicBody a
GovernmentBody) with their other names as aliases and their countries (directly
or through an Address record) as LOCATED_IN claims. A Sanction becomes a TARGETS
claim from the regulation its authority and programme name, dated by its start and
end; an Ownership becomes SUBSIDIARY_OF (asset -> owner, with the share). Records
of other schemas are counted in the notes and skipped. References between records
may point forwards, so the file is read whole before any claim is made.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import LoadResult, read_text, register
from chipkg.loaders.reference import source_id
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.structured import Builder, RowError, dataset_source, parse_date
from chipkg.ontology import Claim, Entity

EXTRACTOR = "chipkg.ftm"
PARTIES = {
    "Company": "Company",
    "Organization": "Company",
    "LegalEntity": "Company",
    "PublicBody": "GovernmentBody",
}
LINKS = ("Sanction", "Ownership")
SUFFIXES = (".json", ".jsonl", ".ndjson", ".ftm", ".ijson")


def _is_ftm(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            first = next((raw for raw in handle if raw.strip()), b"")
        record = json.loads(first)
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "schema" in record and "properties" in record


def _values(record: dict[str, Any], prop: str) -> list[str]:
    """The string values of one property (FollowTheMoney keeps every property as a list)."""
    value = record["properties"].get(prop, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RowError(f"property {prop!r} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _first(record: dict[str, Any], prop: str) -> str | None:
    values = _values(record, prop)
    return values[0] if values else None


class _Ftm(Builder):
    """Builds records from parsed FollowTheMoney lines."""

    def __init__(self, path: Path, resolver: Resolver, skip_invalid: bool) -> None:
        super().__init__(resolver, skip_invalid)
        self.path = path
        self.file_source = self.emit(
            dataset_source(path, f"FollowTheMoney entities ({path.name})", "OpenSanctions")
        )
        self.ids: dict[str, str] = {}  # FtM id -> chipkg id (loaded parties)
        self.others: dict[str, str] = {}  # FtM id -> schema of records not loaded
        self.addresses: dict[str, list[str]] = {}
        self.skipped_schemas: Counter[str] = Counter()
        self.unlinked: Counter[str] = Counter()

    def evidence(self, line: int, **extra: Any) -> dict[str, Any]:
        return {"source": self.file_source.id, "row": line, "extractor": EXTRACTOR, **extra}

    def party(self, line: int, record: dict[str, Any]) -> None:
        names = [*_values(record, "name")]
        if not names:
            raise RowError(f"{record['schema']} {record['id']!r} has no name")
        aliases = names[1:] + _values(record, "alias") + _values(record, "previousName")
        entity = self.resolve_or_mint(PARTIES[record["schema"]], names[0], aliases, {})
        self.ids[record["id"]] = entity.id

    def locate(self, line: int, record: dict[str, Any]) -> None:
        codes = _values(record, "country") + _values(record, "jurisdiction")
        codes += _values(record, "mainCountry")
        for ref in _values(record, "addressEntity"):
            codes += self.addresses.get(ref, [])
        subject = self.ids[record["id"]]
        for code in sorted(set(c.lower() for c in codes)):
            country = self.country(code)
            self.claim(
                Claim(
                    subject=subject,
                    predicate="LOCATED_IN",
                    object=country.id,
                    evidence=self.evidence(line),
                )
            )

    def ref(self, record: dict[str, Any], prop: str) -> str | None:
        """The chipkg id a reference property points to; None for records not loaded."""
        target = _first(record, prop)
        if target is None:
            raise RowError(f"{record['schema']} has no {prop}")
        if target in self.ids:
            return self.ids[target]
        if target in self.others:
            self.unlinked[f"{record['schema']} -> {self.others[target]}"] += 1
            return None
        raise RowError(f"unknown entity id {target!r} in {prop}")

    def sanction(self, line: int, record: dict[str, Any]) -> None:
        target = self.ref(record, "entity")
        start = parse_date(
            _first(record, "startDate") or _first(record, "listingDate"), "startDate"
        )
        end = parse_date(_first(record, "endDate"), "endDate")
        if target is None:
            return
        regulation = self.regulation(record)
        sources = [self.evidence(line, valid_from=start, valid_to=end)]
        for url in _values(record, "sourceUrl")[:1]:
            sources.append({**self.url_source(url), "valid_from": start, "valid_to": end})
        props = {"programme": _first(record, "program") or _first(record, "authority")}
        self.claim(
            Claim(
                subject=regulation.id,
                predicate="TARGETS",
                object=target,
                properties={k: v for k, v in props.items() if v},
                evidence=sources,
            )
        )

    def url_source(self, url: str) -> dict[str, Any]:
        source = self.emit(
            Entity(
                id=source_id(url),
                label="Source",
                name=url,
                properties={"url": url, "kind": "official_document"},
            )
        )
        return {"source": source.id, "extractor": EXTRACTOR}

    def regulation(self, record: dict[str, Any]) -> Entity:
        """The programme a Sanction belongs to, issued by its authority (or its country)."""
        authority = _first(record, "authority")
        program = _first(record, "program")
        if not authority and not program:
            raise RowError("Sanction has neither authority nor program")
        name = ": ".join(p for p in (authority, program) if p)
        known = self.resolver.resolve(name, label="Regulation")
        if known is not None:
            return known
        country = self.country(c) if (c := _first(record, "country")) else None
        kind = "entity_listing" if program and "list" in program.lower() else "sanctions_programme"
        props: dict[str, Any] = {"kind": kind}
        if country is not None:
            props["jurisdiction"] = country.id
        reg = self.resolve_or_mint("Regulation", name, [], props)
        issuer = self.issuer(authority, country)
        if issuer is not None:
            self.claim(
                Claim(
                    subject=reg.id,
                    predicate="ISSUED_BY",
                    object=issuer.id,
                    evidence={"source": self.file_source.id, "extractor": EXTRACTOR},
                )
            )
        return reg

    def issuer(self, authority: str | None, country: Entity | None) -> Entity | None:
        if not authority:
            return country
        known = self.resolver.resolve(authority, label="GovernmentBody")
        body = known or self.resolve_or_mint("GovernmentBody", authority, [], {})
        if known is None and country is not None:
            self.claim(
                Claim(
                    subject=body.id,
                    predicate="LOCATED_IN",
                    object=country.id,
                    evidence={"source": self.file_source.id, "extractor": EXTRACTOR},
                )
            )
        return body

    def ownership(self, line: int, record: dict[str, Any]) -> None:
        owner, asset = self.ref(record, "owner"), self.ref(record, "asset")
        start = parse_date(_first(record, "startDate"), "startDate")
        end = parse_date(_first(record, "endDate"), "endDate")
        if owner is None or asset is None:
            return
        props = {}
        if (pct := _first(record, "percentage")) is not None:
            props["share"] = _share(pct)
        self.claim(
            Claim(
                subject=asset,
                predicate="SUBSIDIARY_OF",
                object=owner,
                properties=props,
                evidence=self.evidence(line, valid_from=start, valid_to=end),
            )
        )

    def finish(self) -> LoadResult:
        if self.skipped_schemas:
            counts = ", ".join(f"{k} ({n})" for k, n in sorted(self.skipped_schemas.items()))
            total = sum(self.skipped_schemas.values())
            self.result.notes.append(f"{self.path}: skipped {total} records of schemas {counts}")
        for link, n in sorted(self.unlinked.items()):
            self.result.notes.append(f"{self.path}: {n} {link} links skipped (not loaded)")
        return self.done()


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError as exc:
        raise RowError(f"bad percentage {text!r}") from exc
    if not 0 <= value <= 100:
        raise RowError(f"percentage {text!r} outside 0-100")
    return value / 100


def _parse_lines(path: Path, builder: _Ftm) -> list[tuple[int, dict[str, Any]]]:
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file", str(path))
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise RowError("expected a JSON object")
            missing = [k for k in ("id", "schema", "properties") if k not in record]
            if missing or not isinstance(record["properties"], dict):
                raise RowError(f"not a FollowTheMoney entity (missing {', '.join(missing)})")
            records.append((number, record))
        except json.JSONDecodeError:
            builder.fail(path, number, RowError("truncated or invalid JSON"))
        except RowError as exc:
            builder.fail(path, number, exc)
    return records


def _run(builder: _Ftm, records: list[tuple[int, dict[str, Any]]], step: str) -> None:
    for line, record in records:
        schema = record["schema"]
        try:
            if step == "index":
                if schema == "Address":
                    builder.addresses[record["id"]] = _values(record, "country")
                elif schema in PARTIES:
                    builder.party(line, record)
                elif schema not in LINKS:
                    builder.others[record["id"]] = schema
                    builder.skipped_schemas[schema] += 1
            elif step == "claims" and schema in PARTIES and record["id"] in builder.ids:
                builder.locate(line, record)
            elif step == "claims" and schema == "Sanction":
                builder.sanction(line, record)
            elif step == "claims" and schema == "Ownership":
                builder.ownership(line, record)
        except (RowError, ValidationError, ChipkgError) as exc:
            builder.fail(builder.path, line, exc)


@register("ftm", _is_ftm)
def load_ftm(path: Path, resolver: Resolver, *, skip_invalid: bool = False) -> LoadResult:
    """Load a FollowTheMoney JSON-lines file (e.g. an OpenSanctions ``entities.ftm.json``)."""
    builder = _Ftm(path, resolver, skip_invalid)
    records = _parse_lines(path, builder)
    _run(builder, records, "index")
    _run(builder, records, "claims")
    return builder.finish()
