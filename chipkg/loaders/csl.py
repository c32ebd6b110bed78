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
from chipkg.loaders.resolver import Merge, Resolver
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
# "84 FR 22961", "67 F.R. 56530": volume and page of a Federal Register notice.
_FR = re.compile(r"(\d+)\s*F\.?\s*R\.?\s*(\d+)", re.IGNORECASE)
# A date written next to a notice: "67 F.R. 56530 9/4/02", "Vol. 88, No. 151, 08/08/2023".
_NOTICE_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
# The boilerplate some lists append to a name.
_SUCCESSORS = re.compile(r";?\s*and any successor.*$", re.IGNORECASE)
_ACRONYM = re.compile(r"\s*\(([^()]{2,40})\)\s*$")
# Licence review policy, strictest first: the published text -> ``licence_review``.
REVIEWS = [
    ("presumption_of_denial", re.compile(r"(presumption|policy) of denial", re.IGNORECASE)),
    ("case_by_case", re.compile(r"case[- ]by[- ]case", re.IGNORECASE)),
    ("presumption_of_approval", re.compile(r"presumption of approval", re.IGNORECASE)),
]
# The scope after a review policy: "... of denial for <scope>", "case-by-case review for <scope>".
_SCOPE = re.compile(r"\s*(?:basis\s+|review\s+)?for\s+(.+)", re.IGNORECASE | re.DOTALL)
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
        self.untyped = 0

    def entry(self, line: int, row: dict[str, Any]) -> None:
        kind = _text(row.get("type")).lower()
        if kind in UNLABELLED:
            self.unlabelled[kind] = self.unlabelled.get(kind, 0) + 1
            self.skipped(f"{kind} (TARGETS takes companies)")
            return
        if kind not in ("entity", ""):
            raise RowError(f"unknown type {row.get('type')!r} (expected Entity or Individual)")
        name, aliases = _names(row)
        start = parse_date(_text(row.get("start_date")), "start_date")
        end = parse_date(_text(row.get("end_date")), "end_date")
        notices = _notices(_text(row.get("federal_register_notice")))
        start = start or _notice_date(_text(row.get("federal_register_notice")))
        target = self.listed(name, aliases, _places(row.get("addresses")))
        self.locate(line, target, _countries(row.get("addresses")))
        reg = self.regulation(row, notices[0] if notices else None, start)
        evidence = self.evidence(line, notices, _text(row.get("remarks")) or None, start, end)
        self.claim(
            Claim(
                subject=reg.id,
                predicate="TARGETS",
                object=target.id,
                properties=_listing_props(row),
                evidence=evidence,
            )
        )
        if not kind:
            self.untyped += 1
        self.mapped()

    def listed(self, name: str, aliases: list[str], places: list[str]) -> Entity:
        """The company a listing names: by its name or aliases, then without a place prefix.

        Chinese firms are often listed as "<City> <Name> Co., Ltd." with the city in
        the address; when no name matches as written, the same names without that
        leading place are tried ("Wuxi Hygon Information Technology" -> Hygon).
        """
        found = self.resolver.resolve(name, label="Company")
        if found is None:
            hits = {e.id: e for a in aliases if (e := self.resolver.resolve(a, label="Company"))}
            if not hits:
                for variant in _without_place([name, *aliases], places):
                    if (e := self.resolver.resolve(variant, label="Company")) is not None:
                        hits[e.id] = e
                if len(hits) == 1:
                    only = next(iter(hits))
                    self.resolver.merges.append(Merge(name=name, entity_id=only, via="address"))
            found = next(iter(hits.values())) if len(hits) == 1 else None
        if found is None:
            return self.resolve_or_mint("Company", name, aliases, {})
        return self.emit(
            Entity(id=found.id, label="Company", name=found.name, aliases=[name, *aliases])
        )

    def evidence(
        self,
        line: int,
        notices: list[str],
        quote: str | None,
        start: str | None,
        end: str | None,
    ) -> list[dict[str, Any]]:
        base = {"extractor": EXTRACTOR, "valid_from": start, "valid_to": end}
        items = [{**base, "source": self.file_source.id, "row": line, "quote": quote}]
        items += [{**base, "source": self.notice_source(n).id} for n in notices]
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

    def regulation(self, row: dict[str, Any], notice: str | None, start: str | None) -> Entity:
        """The listing regulation: one per first Federal Register notice, else per list."""
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
        return reg

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
        if self.untyped:
            self.result.notes.append(
                f"{self.path}: {self.untyped} entries without a type (the BIS and State lists "
                "give none) loaded as companies"
            )
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


def _names(row: dict[str, Any]) -> tuple[str, list[str]]:
    """The listed name and its aliases, without list boilerplate; an acronym is an alias."""
    name = _SUCCESSORS.sub("", _text(row.get("name"))).strip()
    if not name:
        raise RowError("empty name")
    aliases = [re.sub(r"^and\s+", "", a) for a in _list(row.get("alt_names"))]
    acronym = _ACRONYM.search(name)
    if acronym:
        aliases += [acronym.group(1).strip(), name[: acronym.start()].strip()]
    return name, [a for a in dict.fromkeys(aliases) if a and a != name]


def _notices(text: str) -> list[str]:
    """Federal Register notices in citation form ("84 FR 22961"), first (the listing) first."""
    found = [f"{vol} FR {page}" for vol, page in _FR.findall(text)]
    return list(dict.fromkeys(found))


def _notice_date(text: str) -> str | None:
    """The earliest date written in the notice text, for entries with no ``start_date``."""
    dates = []
    for month, day, year in _NOTICE_DATE.findall(text):
        full = int(year)
        if len(year) == 2:
            full += 1900 if full > 50 else 2000
        dates.append(parse_date(f"{int(month)}/{int(day)}/{full:04d}", "federal_register_notice"))
    return min((d for d in dates if d), default=None)


def licence_review(policy: str, requirement: str) -> str | None:
    """``licence_review`` from the published texts: the strictest review policy named,
    ``license_required`` when a licence is needed but no review policy is stated."""
    for value, pattern in REVIEWS:
        if pattern.search(policy):
            return value
    return "license_required" if requirement or policy else None


def licence_scope(policy: str, review: str | None) -> str | None:
    """What the review policy covers: the ``for ...`` phrase of the clause naming ``review``.

    "Presumption of denial for items uniquely required to produce semiconductors at advanced
    technology nodes; case-by-case otherwise" -> "items uniquely required to produce ...".
    None when the clause names no scope (the policy then covers the whole listing).
    """
    pattern = dict(REVIEWS).get(review or "")
    if pattern is None:
        return None
    for clause in re.split(r";|\.(?:\s|$)", policy):
        found = pattern.search(clause)
        if found:
            scoped = _SCOPE.match(clause[found.end() :])
            return scoped.group(1).strip() if scoped else None
    return None


def _listing_props(row: dict[str, Any]) -> dict[str, Any]:
    """TARGETS properties: programme, the published licence texts, the review and its scope."""
    requirement = _text(row.get("license_requirement"))
    policy = _text(row.get("license_policy"))
    review = licence_review(policy, requirement)
    props = {
        "programme": _programme(row),
        "licence_requirement": requirement or None,
        "licence_policy": policy or None,
        "licence_review": review,
        "licence_scope": licence_scope(policy, review),
    }
    return {k: v for k, v in props.items() if v}


def _places(addresses: Any) -> list[str]:
    """Cities and provinces of the addresses (not street lines), for name-prefix matching."""
    parts: list[str] = []
    if isinstance(addresses, list):
        for item in addresses:
            if isinstance(item, dict):
                parts += [_text(item.get("city")), _text(item.get("state"))]
    else:
        for address in split_list(_text(addresses)):
            parts += [p.strip() for p in address.split(",")[1:]]
    places = {re.sub(r"\s+(Province|City|Shi)$", "", p) for p in parts}
    return sorted(p for p in places if p and " " not in p and not p.isupper())


def _without_place(names: list[str], places: list[str]) -> list[str]:
    """Names that start with one of the places, with that place removed."""
    out = []
    for name in names:
        head, _, rest = name.partition(" ")
        if rest and head in places:
            out.append(rest)
    return out


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
    builder.count_file(path)
    for line, row in entries:
        try:
            if not isinstance(row, dict):
                raise RowError("entry is not an object")
            if not is_json:
                check_width(row)
                require(row, "name", "source")
            builder.entry(line, row)
        except (RowError, ValidationError, ChipkgError) as exc:
            builder.fail(path, line, exc)
    return builder.finish()
