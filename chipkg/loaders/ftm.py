"""OpenSanctions / FollowTheMoney entities as published: JSON lines, streamed in two passes.

Each line is ``{"id", "schema", "properties": {name: [values]}, "referents", "datasets",
"first_seen", "last_seen", ...}``; nested exports (``targets.nested.json``) carry related
entities inside ``properties`` and are flattened. Company, Organization and LegalEntity
become Companies (PublicBody a GovernmentBody) with their other names as aliases and
their countries (directly or through an Address) as LOCATED_IN. A Sanction becomes a
TARGETS claim from the regulation its authority and programme name, dated by its start
and end. An Ownership becomes SUBSIDIARY_OF (asset -> owner, with the share); a company
acting as another's director (Directorship) is read as control, SUBSIDIARY_OF with lower
confidence. People, vessels and other schemas are counted, not loaded.

The file is never held: the first pass indexes the parties it loads and remembers every
id in a fixed-size Bloom filter (so a link to a Person is told from a link to an id the
file lacks); the second pass reads the links. The id map and the parties' places live in
a temporary SQLite database (:mod:`chipkg.loaders.disk_index`); ``chipkg load`` also
parks the claims and entities on disk and keeps the resolver there, then writes in
batches, so its memory does not grow with the file. The evidence keeps each record's
FtM id, datasets and first/last seen dates.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import ClaimSpool, LoadResult, register
from chipkg.loaders.bloom import Bloom
from chipkg.loaders.disk_index import DiskIndex, DiskList, DiskMap, DiskSet
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
LINKS = ("Sanction", "Ownership", "Directorship")
# Nested exports: the parent's property -> the child's property that points back to it.
REVERSE = {
    "sanctions": "entity",
    "ownershipOwner": "owner",
    "ownershipAsset": "asset",
    "directorshipDirector": "director",
    "directorshipOrganization": "organization",
}
SUFFIXES = (".json", ".jsonl", ".ndjson", ".ftm", ".ijson")
PROVENANCE = ("first_seen", "last_seen")


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


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their numbers, decoded one at a time."""
    seen = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            seen = True
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                    "convert the file to UTF-8",
                    str(path),
                    number,
                ) from exc
    if not seen:
        raise InputError("empty file", str(path))


def _parse(text: str) -> dict[str, Any]:
    """One FtM record, checked for the three fields every entity has."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RowError("truncated or invalid JSON") from exc
    if not isinstance(record, dict):
        raise RowError("expected a JSON object")
    missing = [k for k in ("id", "schema", "properties") if k not in record]
    if missing or not isinstance(record["properties"], dict):
        raise RowError(f"not a FollowTheMoney entity (missing {', '.join(missing)})")
    return record


def _flatten(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The record and the entities nested in its properties, each referring by id."""
    props = dict(record["properties"])
    for prop, values in record["properties"].items():
        if not isinstance(values, list) or not any(isinstance(v, dict) for v in values):
            continue
        ids = []
        for child in values:
            if not isinstance(child, dict):
                ids.append(child)
                continue
            child = _parse(json.dumps(child))
            back = REVERSE.get(prop)
            if back and not child["properties"].get(back):
                child = {**child, "properties": {**child["properties"], back: [record["id"]]}}
            ids.append(child["id"])
            yield from _flatten(child)
        props[prop] = ids
    yield {**record, "properties": props}


class _Ftm(Builder):
    """Builds records from FollowTheMoney lines, pass by pass."""

    def __init__(
        self, path: Path, resolver: Resolver, skip_invalid: bool, park: tuple[bool, bool]
    ) -> None:
        super().__init__(resolver, skip_invalid, spool=ClaimSpool() if park[0] else None)
        self.path = path
        self.disk = disk = DiskIndex()
        if park[1]:  # the entities wait on disk too, for a write in batches
            self.records = DiskMap[Entity](disk, "records")
        try:
            source = dataset_source(path, f"FollowTheMoney entities ({path.name})", "OpenSanctions")
        except BaseException:
            disk.close()
            raise
        self.file_source = self.emit(source)
        self.seen = Bloom()  # every id (and schema-qualified id) in the file
        # What grows with the file lives in ``disk``: memory stays flat however big it is.
        self.ids = DiskMap[str](disk, "ftm_ids")  # FtM id or referent -> chipkg id
        self.places = DiskList[tuple[int, str, list[str], list[str]]](disk, "places")
        self.wanted = DiskSet(disk, "wanted")  # Address ids a loaded party refers to
        self.addresses = DiskMap[list[str]](disk, "addresses")
        self.other_schemas: set[str] = set()
        self.unlinked: Counter[str] = Counter()
        self.bad_countries: Counter[str] = Counter()
        self.bad_lines: set[int] = set()  # lines skipped in the first pass (--skip-invalid)

    def evidence(self, line: int, record: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """File and line, with the record's own provenance (id, datasets, seen) as the quote."""
        text = str(extra.pop("quote", None) or "")
        datasets = ",".join(str(d) for d in record.get("datasets") or [])
        seen = "..".join(str(record[k]) for k in PROVENANCE[:2] if record.get(k))
        tail = "; ".join(
            p for p in (f"ftm {record['id']}", datasets and f"datasets {datasets}", seen) if p
        )
        quote = f"{text[:200]} [{tail}]" if text else f"[{tail}]"
        return {
            "source": self.file_source.id,
            "row": line,
            "extractor": EXTRACTOR,
            "quote": quote[:300],
            **extra,
        }

    def index(self, line: int, record: dict[str, Any]) -> None:
        """First pass: remember the id; make the parties this loader takes."""
        schema = record["schema"]
        keys = [record["id"], *[str(r) for r in record.get("referents") or []]]
        for key in keys:
            self.seen.add(key)
            self.seen.add(f"{schema}\0{key}")
        if schema in PARTIES:
            self.party(line, record, keys)
        elif schema not in LINKS and schema != "Address":
            self.other_schemas.add(schema)

    def party(self, line: int, record: dict[str, Any], keys: list[str]) -> None:
        names = _values(record, "name")
        if not names:
            raise RowError(f"{record['schema']} {record['id']!r} has no name")
        aliases = names[1:] + _values(record, "alias") + _values(record, "previousName")
        entity = self.resolve_or_mint(PARTIES[record["schema"]], names[0], aliases, {})
        for key in keys:
            self.ids[key] = entity.id
        codes = [*_values(record, "country"), *_values(record, "jurisdiction")]
        codes += _values(record, "mainCountry")
        refs = _values(record, "addressEntity")
        self.wanted.update(refs)
        self.places.append((line, entity.id, codes, refs))

    def link(self, line: int, record: dict[str, Any]) -> str | None:
        """Second pass: one record; returns why it is skipped, or None when mapped."""
        schema = record["schema"]
        if schema in PARTIES:
            return None
        if schema == "Address":
            if record["id"] not in self.wanted:
                return "Address of no loaded party"
            self.addresses[record["id"]] = _values(record, "country")
            return None
        if schema == "Sanction":
            return self.sanction(line, record)
        if schema in ("Ownership", "Directorship"):
            return self.control(line, record)
        return f"schema {schema} (not loaded)"

    def ref(self, record: dict[str, Any], prop: str) -> str | None:
        """The chipkg id a reference points to; None (and counted) for records not loaded."""
        target = _first(record, prop)
        if target is None:
            raise RowError(f"{record['schema']} has no {prop}")
        found = self.ids.get(target)
        if found is not None:
            return found
        if target in self.seen:
            kinds = sorted(s for s in self.other_schemas if f"{s}\0{target}" in self.seen)
            self.unlinked[f"{record['schema']} -> {kinds[0] if kinds else 'record'}"] += 1
            return None
        raise RowError(f"unknown entity id {target!r} in {prop}")

    def sanction(self, line: int, record: dict[str, Any]) -> str | None:
        target = self.ref(record, "entity")
        start = parse_date(
            _first(record, "startDate") or _first(record, "listingDate"), "startDate"
        )
        end = parse_date(_first(record, "endDate"), "endDate")
        if target is None:
            return "Sanction of a record not loaded"
        regulation = self.regulation(record)
        quote = (_first(record, "reason") or _first(record, "summary") or "")[:300] or None
        sources = [self.evidence(line, record, valid_from=start, valid_to=end, quote=quote)]
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
        return None

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
        """The programme a Sanction belongs to (else its dataset), issued by its authority."""
        authority = _first(record, "authority")
        program = _first(record, "program")
        datasets = [str(d) for d in record.get("datasets") or []]
        if not authority and not program and not datasets:
            raise RowError("Sanction has neither authority, program nor datasets")
        name = ": ".join(p for p in (authority, program) if p) or f"OpenSanctions {datasets[0]}"
        known = self.resolver.resolve(name, label="Regulation")
        if known is not None:
            return known
        country = self.maybe_country(c) if (c := _first(record, "country")) else None
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

    def control(self, line: int, record: dict[str, Any]) -> str | None:
        """Ownership: asset SUBSIDIARY_OF owner; Directorship: organization of its director."""
        owned = record["schema"] == "Ownership"
        parent = self.ref(record, "owner" if owned else "director")
        child = self.ref(record, "asset" if owned else "organization")
        start = parse_date(_first(record, "startDate"), "startDate")
        end = parse_date(_first(record, "endDate"), "endDate")
        if parent is None or child is None:
            return f"{record['schema']} with a party not loaded"
        if parent == child or "Company" not in (self.label(parent), self.label(child)):
            return f"{record['schema']} not between two companies"
        props = {}
        if owned and (pct := _first(record, "percentage")) is not None:
            props["share"] = _share(pct)
        extra: dict[str, Any] = {"valid_from": start, "valid_to": end}
        if not owned:
            extra |= {"confidence": 0.6, "quote": f"director: {_first(record, 'role') or '-'}"}
        self.claim(
            Claim(
                subject=child,
                predicate="SUBSIDIARY_OF",
                object=parent,
                properties=props,
                evidence=self.evidence(line, record, **extra),
            )
        )
        return None

    def label(self, entity_id: str) -> str:
        known = self.resolver.entities.get(entity_id)
        return known.label if known is not None else ""

    def maybe_country(self, code: str) -> Entity | None:
        """A country by FtM code; codes with no ISO country (``suhh``, ``eu``) are counted."""
        try:
            return self.country(code)
        except RowError:
            self.bad_countries[code] += 1
            return None

    def locate_all(self) -> None:
        """LOCATED_IN for every loaded party, once its Address records have been read."""
        for line, subject, codes, refs in self.places:
            found = [*codes, *[c for r in refs for c in self.addresses.get(r, [])]]
            for code in sorted({c.lower() for c in found}):
                country = self.maybe_country(code)
                if country is None or self.label(subject) not in ("Company", "GovernmentBody"):
                    continue
                self.claim(
                    Claim(
                        subject=subject,
                        predicate="LOCATED_IN",
                        object=country.id,
                        evidence={
                            "source": self.file_source.id,
                            "row": line,
                            "extractor": EXTRACTOR,
                        },
                    )
                )

    def finish(self) -> LoadResult:
        self.locate_all()
        for link, n in sorted(self.unlinked.items()):
            self.result.notes.append(f"{self.path}: {n} {link} links skipped (not loaded)")
        if self.bad_countries:
            shown = ", ".join(f"{c} ({n})" for c, n in self.bad_countries.most_common(5))
            self.result.notes.append(f"{self.path}: country codes with no ISO country: {shown}")
        if not isinstance(self.records, DiskMap):
            return self.done()
        if self.spool is not None:
            self.result.spools.append(self.spool)
        self.result.parked.append(self.records)  # read back one at a time by the write
        self.result.indexes.append(self.disk)
        return self.result


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError as exc:
        raise RowError(f"bad percentage {text!r}") from exc
    if not 0 <= value <= 100:
        raise RowError(f"percentage {text!r} outside 0-100")
    return value / 100


def _records(builder: _Ftm, first: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every record of the file (nested ones flattened); a bad line fails or is skipped."""
    for number, text in _lines(builder.path):
        if number in builder.bad_lines:
            builder.skipped("malformed (--skip-invalid)")
            continue
        try:
            flat = list(_flatten(_parse(text)))
        except RowError as exc:
            builder.bad_lines.add(number)
            builder.fail(builder.path, number, exc)
            continue
        for record in flat:
            yield number, record


def _pass(builder: _Ftm, first: bool) -> None:
    """One pass over the file: index the parties (first) or read every record's links."""
    for line, record in _records(builder, first):
        try:
            if first:
                builder.index(line, record)
                continue
            reason = builder.link(line, record)
        except (RowError, ValidationError, ChipkgError) as exc:
            if first:
                builder.bad_lines.add(line)
            builder.fail(builder.path, line, exc)
            continue
        if reason is None:
            builder.mapped()
        else:
            builder.skipped(reason)


@register("ftm", _is_ftm)
def load_ftm(
    path: Path,
    resolver: Resolver,
    *,
    skip_invalid: bool = False,
    spool: bool = False,
    park_entities: bool = False,
) -> LoadResult:
    """Load a FollowTheMoney JSON-lines file (e.g. an OpenSanctions ``entities.ftm.json``).

    With ``spool`` the claims wait in a temporary file (``result.spools``) instead of
    ``result.claims``; with ``park_entities`` the entities wait on disk too
    (``result.parked``). With a resolver kept on disk as well (``Resolver.of(...,
    disk=...)``), the load's memory is then the same for any size of file.
    ``result.close()`` deletes what was parked.
    """
    builder = _Ftm(path, resolver, skip_invalid, (spool, park_entities))
    try:
        _pass(builder, first=True)
        builder.count_file(path)
        _pass(builder, first=False)
        result = builder.finish()
    except BaseException:
        if builder.spool is not None:
            builder.spool.close()
        builder.disk.close()
        raise
    if not park_entities:
        builder.disk.close()
    return result
