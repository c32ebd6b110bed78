"""The US Consolidated Screening List (trade.gov CSV and JSON exports).

Each entry becomes a Company (or Person) with its alternate names as aliases, a
LOCATED_IN claim per address country, and a TARGETS claim from the listing: one
Regulation per Federal Register notice (it lands on the curated regulation whose
citation alias matches, e.g. "84 FR 22961"), or per list and programme when the
entry has no notice. The notice is a Source of its own next to the file's Source.
Vessels and aircraft have no chipkg label: they are counted in the notes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipkg.errors import ChipkgError, InputError
from chipkg.loaders.base import LoadResult, read_text, register
from chipkg.loaders.resolver import Resolver
from chipkg.loaders.structured import (
    Builder,
    RowError,
    check_width,
    dataset_source,
    iter_json_array,
    parse_date,
    read_csv,
    require,
    split_list,
)
from chipkg.ontology import Claim, Entity
from chipkg.ontology.names import slugify

EXTRACTOR = "chipkg.csl"
REQUIRED = ["source", "type", "name"]
# TARGETS reaches companies and countries only: people, vessels and aircraft are counted.
UNLABELLED = ("individual", "vessel", "aircraft")
_FR = re.compile(r"\d+\s*FR\s*\d+", re.IGNORECASE)
# Which agency keeps which list (matched on the CSL ``source`` text).
AGENCIES = [
    ("bureau of industry and security", "Bureau of Industry and Security"),
    ("treasury", "Office of Foreign Assets Control"),
    ("state department", "Directorate of Defense Trade Controls"),
]


def _is_csl(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        head = path.open("rb").read(4096).decode("utf-8", "ignore").lower()
    except OSError:
        return False
    return "federal_register_notice" in head or "source_list_url" in head


class _Csl(Builder):
    """Turns CSL entries (as dicts of strings or lists) into records."""

    def __init__(self, path: Path, resolver: Resolver, skip_invalid: bool) -> None:
        super().__init__(resolver, skip_invalid)
        self.path = path
        self.file_source = self.emit(
            dataset_source(
                path,
                f"Consolidated Screening List ({path.name})",
                "International Trade Administration",
                "https://www.trade.gov/consolidated-screening-list",
            )
        )
        self.regulations: dict[str, Entity] = {}
        self.unlabelled: dict[str, int] = {}
        self.created: set[str] = set()

    def entry(self, line: int, row: dict[str, Any]) -> None:
        kind = _text(row.get("type")).lower()
        if kind in UNLABELLED:
            self.unlabelled[kind] = self.unlabelled.get(kind, 0) + 1
            return
        if kind != "entity":
            raise RowError(f"unknown type {row.get('type')!r} (expected Entity or Individual)")
        name = _text(row.get("name"))
        if not name:
            raise RowError("empty name")
        start = parse_date(_text(row.get("start_date")), "start_date")
        end = parse_date(_text(row.get("end_date")), "end_date")
        aliases = [a for a in _list(row.get("alt_names")) if a != name]
        target = self.resolve_or_mint("Company", name, aliases, {})
        self.locate(line, target, _countries(row.get("addresses")))
        reg, notice = self.regulation(row, start)
        props = {
            "programme": _programme(row),
            "licence_requirement": _text(row.get("license_requirement")) or None,
            "licence_policy": _text(row.get("license_policy")) or None,
        }
        evidence = self.evidence(line, notice, _text(row.get("remarks")) or None, start, end)
        self.claim(
            Claim(
                subject=reg.id,
                predicate="TARGETS",
                object=target.id,
                properties={k: v for k, v in props.items() if v},
                evidence=evidence,
            )
        )

    def evidence(
        self,
        line: int,
        notice: Entity | None,
        quote: str | None,
        start: str | None,
        end: str | None,
    ) -> list[dict[str, Any]]:
        base = {"extractor": EXTRACTOR, "valid_from": start, "valid_to": end}
        items = [{**base, "source": self.file_source.id, "row": line, "quote": quote}]
        if notice is not None:
            items.append({**base, "source": notice.id})
        return items

    def locate(self, line: int, target: Entity, codes: list[str]) -> None:
        for code in sorted(set(codes)):
            country = self.country(code)
            self.claim(
                Claim(
                    subject=target.id,
                    predicate="LOCATED_IN",
                    object=country.id,
                    evidence={"source": self.file_source.id, "row": line, "extractor": EXTRACTOR},
                )
            )

    def regulation(self, row: dict[str, Any], start: str | None) -> tuple[Entity, Entity | None]:
        """The listing regulation (and its notice Source) the entry comes from."""
        notices = _FR.findall(_text(row.get("federal_register_notice")))
        notice = re.sub(r"\s*FR\s*", " FR ", notices[0].upper()) if notices else None
        list_name = _text(row.get("source"))
        if not list_name:
            raise RowError("empty source (the list the entry comes from)")
        key = notice or _list_key(list_name, _list(row.get("programs")))
        if key in self.regulations:
            reg = self.regulations[key]
            self.widen(reg, start)
        else:
            reg = self.resolver.resolve(key, label="Regulation") or self.new_regulation(
                key, list_name, row, start
            )
            self.regulations[key] = reg
        return reg, self.notice_source(notice) if notice else None

    def widen(self, reg: Entity, start: str | None) -> None:
        """A regulation this load created starts at its earliest listing date."""
        record = self.records.get(reg.id)
        if record is None or start is None or reg.id not in self.created:
            return
        current = record.properties.get("effective_from")
        if current is None or start < current:
            updated = record.model_copy(
                update={"properties": {**record.properties, "effective_from": start}}
            )
            self.records[reg.id] = self.resolver.entities[reg.id] = updated
            self.regulations = {
                k: updated if v.id == reg.id else v for k, v in self.regulations.items()
            }

    def new_regulation(
        self, key: str, list_name: str, row: dict[str, Any], start: str | None
    ) -> Entity:
        requirement = _text(row.get("license_requirement"))
        props: dict[str, Any] = {
            "kind": "entity_listing",
            "jurisdiction": self.country("US").id,
            "fdpr": "734.9" in requirement,
        }
        if _FR.fullmatch(key):
            # A notice's listings start together; a whole list has no one start date.
            props["citation"] = key
            if start:
                props["effective_from"] = start
        name = f"{list_name}: {key}"
        reg = self.emit(
            Entity(
                id=self._free_id("Regulation", f"us {key}"),
                label="Regulation",
                name=name,
                aliases=[key],
                properties=props,
            )
        )
        if _FR.fullmatch(key):
            self.created.add(reg.id)
        body = self.agency(list_name)
        if body is not None:
            self.claim(
                Claim(
                    subject=reg.id,
                    predicate="ISSUED_BY",
                    object=body.id,
                    evidence={"source": self.file_source.id, "extractor": EXTRACTOR},
                )
            )
        return reg

    def agency(self, list_name: str) -> Entity | None:
        folded = list_name.lower()
        name = next((n for key, n in AGENCIES if key in folded), None)
        if name is None:
            return None
        known = self.resolver.resolve(name, label="GovernmentBody")
        body = self.resolve_or_mint("GovernmentBody", name, [], {})
        if known is None:
            self.claim(
                Claim(
                    subject=body.id,
                    predicate="LOCATED_IN",
                    object=self.country("US").id,
                    evidence={"source": self.file_source.id, "extractor": EXTRACTOR},
                )
            )
        return body

    def notice_source(self, notice: str) -> Entity:
        return self.emit(
            Entity(
                id=f"source/federal-register-{slugify(notice)}",
                label="Source",
                name=f"Federal Register {notice}",
                properties={"kind": "official_document", "publisher": "Federal Register"},
            )
        )

    def finish(self) -> LoadResult:
        for kind, count in sorted(self.unlabelled.items()):
            self.result.notes.append(
                f"{self.path}: {count} {kind} entries not loaded (TARGETS takes companies)"
            )
        return self.done()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return split_list(_text(value))


def _list_key(list_name: str, programs: list[str]) -> str:
    """A short key for a list without a notice: its abbreviation plus the programmes."""
    abbr = re.search(r"\(([A-Z0-9-]+)\)", list_name)
    head = abbr.group(1) if abbr else list_name
    return " ".join([head, *programs]) if programs else head


def _programme(row: dict[str, Any]) -> str:
    programs = "; ".join(_list(row.get("programs")))
    return f"{_text(row.get('source'))} ({programs})" if programs else _text(row.get("source"))


def _countries(addresses: Any) -> list[str]:
    """Country codes of the addresses: JSON objects carry ``country``; CSV text ends with it."""
    if isinstance(addresses, list):
        return [
            _text(a.get("country")) for a in addresses if isinstance(a, dict) and a.get("country")
        ]
    codes = []
    for address in split_list(_text(addresses)):
        last = address.rsplit(",", 1)[-1].strip()
        if re.fullmatch(r"[A-Za-z]{2}", last):
            codes.append(last.upper())
    return codes


def _json_entries(path: Path) -> list[tuple[int, Any]]:
    """Entries of a CSL JSON export (``{"results": [...]}`` or a bare list) with their lines."""
    text = read_text(path)
    if not text.strip():
        raise InputError("empty file", str(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"truncated or invalid JSON: {exc.msg}", str(path), exc.lineno) from exc
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        start = text.index("[", text.index('"results"'))
    elif isinstance(data, list):
        start = text.index("[")
    else:
        raise InputError('expected a list of entries or an object with "results"', str(path), 1)
    return list(iter_json_array(text, start))


@register("csl", _is_csl)
def load_csl(path: Path, resolver: Resolver, *, skip_invalid: bool = False) -> LoadResult:
    """Load a CSL CSV or JSON export."""
    is_json = path.suffix.lower() == ".json"
    entries: list[tuple[int, Any]] = (
        _json_entries(path) if is_json else list(read_csv(path, REQUIRED))
    )
    builder = _Csl(path, resolver, skip_invalid)
    for line, row in entries:
        try:
            if not isinstance(row, dict):
                raise RowError("entry is not an object")
            if not is_json:
                check_width(row)
                require(row, "name", "type", "source")
            builder.entry(line, row)
        except (RowError, ValidationError, ChipkgError) as exc:
            builder.fail(path, line, exc)
    return builder.finish()
